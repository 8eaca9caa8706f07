// fast-check arbitraries for HTTP requests to a Kubernetes API server, valid and malformed: paths of
// the real route shapes (served and unknown groups, versions, resources and subresources, odd
// namespaces and names: unicode, percent-encodings, raw Latin-1 bytes, dot segments, very long),
// methods, query strings of the parameters kube-apiserver reads (selector garbage,
// resourceVersion, paging, watch, dryRun, ...), content types, Accept headers and bodies (valid-ish
// objects with mutations, truncated JSON, YAML and YAML alias bombs, huge numbers, deep nesting,
// protobuf-looking garbage, bodies past the 3 MiB limit). And the verdict on an answer: no 5xx
// except the documented ones, every error body a Status, no stack traces.
import fc from "fast-check";
import { parse as parseYaml, stringify as toYaml } from "yaml";

export interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** A label for the body's shape, for the report on coverage. */
  bodyShape: string;
}

/** The request target as sent (path plus query). */
export function target(r: FuzzRequest): string {
  return r.query === "" ? r.path : `${r.path}?${r.query}`;
}

// ---- paths ----

/** Group/version prefixes: every served one, plus unknown groups and versions. */
const SERVED_PREFIXES = [
  "/api/v1",
  "/apis/apps/v1",
  "/apis/batch/v1",
  "/apis/policy/v1",
  "/apis/coordination.k8s.io/v1",
  "/apis/discovery.k8s.io/v1",
  "/apis/scheduling.k8s.io/v1",
  "/apis/networking.k8s.io/v1",
  "/apis/events.k8s.io/v1",
];
const UNKNOWN_PREFIXES = ["/api/v2", "/api", "/apis/apps/v2", "/apis/apps/v1beta1", "/apis/extensions/v1beta1", "/apis/example.com/v1", "/apis/apps", "/apis", "/apis//v1", "/api/v1/"];

const RESOURCES = [
  "namespaces",
  "nodes",
  "pods",
  "services",
  "endpoints",
  "events",
  "configmaps",
  "secrets",
  "serviceaccounts",
  "limitranges",
  "resourcequotas",
  "deployments",
  "replicasets",
  "daemonsets",
  "statefulsets",
  "controllerrevisions",
  "jobs",
  "cronjobs",
  "poddisruptionbudgets",
  "leases",
  "endpointslices",
  "priorityclasses",
  "ingresses",
];
const ODD_RESOURCES = ["widgets", "Pods", "pod", "pods.v1", "deployments.apps", "po", "", "*", "componentstatuses", "bindings", "tokenreviews"];
const SUBRESOURCES = ["status", "scale", "binding", "eviction", "log", "finalize", "proxy", "exec", "attach", "portforward", "ephemeralcontainers", "resize", "token", "approval", "x"];

const dnsName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
/** A name segment as it appears in the path: valid, encoded unicode, raw Latin-1 bytes, percent garbage, dot segments, very long. */
const nameSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom("default", "kube-system", "fuzz", "x", "web", "kubernetes", "no-such"), weight: 6 },
  { arbitrary: dnsName, weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }).map(encodeURIComponent), weight: 2 },
  { arbitrary: fc.constantFrom("名前", "ünï", "😀", "a b", "a\u00a0b").map(encodeURIComponent), weight: 1 },
  // Printable ASCII as it is (quotes, braces, backslashes...); bytes above 0x7e must be
  // percent-encoded on the wire (see PROTOCOL_GARBAGE), so they come as escapes of invalid UTF-8.
  { arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 6 }).map((s) => s.replace(/[/?#]/g, "")), weight: 1 },
  { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, "0").toUpperCase()}`).join("")), weight: 1 },
  { arbitrary: fc.constantFrom("%2F", "%00", "%zz", "%", "%252F", "a%2Fb", "%2e%2e", "%C5C", "%FF", "%C0%AF", "%ED%A0%80", ".", "..", "UPPER", "-lead", "trail-", "a.b", "a_b", "x".repeat(300)), weight: 2 },
);

const resourcePath: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.oneof({ arbitrary: fc.constantFrom(...SERVED_PREFIXES), weight: 6 }, { arbitrary: fc.constantFrom(...UNKNOWN_PREFIXES), weight: 1 }),
    watch: fc.boolean().map((b) => (b ? "/watch" : "")),
    namespace: fc.option(nameSegment, { freq: 2 }),
    resource: fc.oneof({ arbitrary: fc.constantFrom(...RESOURCES), weight: 8 }, { arbitrary: fc.constantFrom(...ODD_RESOURCES), weight: 1 }),
    name: fc.option(nameSegment, { freq: 3 }),
    sub: fc.option(fc.constantFrom(...SUBRESOURCES), { freq: 2 }),
    extra: fc.option(fc.constantFrom("/x", "/", "//", "/a/b"), { freq: 8 }),
  })
  .map((p) => {
    let path = `${p.prefix}${p.watch}`;
    if (p.namespace !== null) path += `/namespaces/${p.namespace}`;
    path += `/${p.resource}`;
    if (p.name !== null) {
      path += `/${p.name}`;
      if (p.sub !== null) path += `/${p.sub}`;
    }
    return path + (p.extra ?? "");
  });

const OTHER_PATHS = [
  "/",
  "/api",
  "/apis",
  "/api/v1",
  "/apis/apps",
  "/apis/apps/v1",
  "/version",
  "/version/",
  "/healthz",
  "/healthz/ping",
  "/healthz/etcd",
  "/healthz/nope",
  "/livez",
  "/livez/ping",
  "/readyz",
  "/readyz/shutdown",
  "/openapi/v2",
  "/openapi/v3",
  "/openapi/v3/api/v1",
  "/openapi/v3/apis/apps/v1",
  "/openapi/v3/apis/nope/v1",
  "/metrics",
  "/logs",
  "/swagger.json",
  "//api//v1",
  "/api/v1/../v1/pods",
  "/api/v1/namespaces/default/pods/../configmaps",
  "/api/v1/namespaces/default/pods/%2e%2e/configmaps",
];
const randomSegments = fc.array(fc.oneof(nameSegment, fc.constantFrom("api", "apis", "v1", "namespaces", "pods", "watch", "status")), { maxLength: 6 }).map((s) => `/${s.join("/")}`);

export const fuzzPath: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: resourcePath, weight: 10 },
  { arbitrary: fc.constantFrom(...OTHER_PATHS), weight: 2 },
  { arbitrary: randomSegments, weight: 1 },
);

// ---- query strings ----

const SELECTOR_VALUES = ["a=b", "a==b", "a!=b", "a in (b,c)", "a notin (b)", "a", "!a", "a in (b", "a=b,,c", "=", "!", "a=b=c", "a in ()", "x/y=z", "-a=b", "a=" + "v".repeat(70), "app=web,tier in (db, cache)", "名=前"];
const FIELD_VALUES = ["metadata.name=x", "metadata.namespace!=default", "spec.nodeName=", "status.phase=Running", "spec.nodeName=n1,status.phase!=Failed", "foo.bar=baz", "metadata.name", "=x", "metadata.name==x", "spec.schedulerName=default-scheduler", "type=Opaque", "involvedObject.name=x", "spec.unschedulable=true"];
const RV_VALUES = ["", "0", "1", "2", "-1", "abc", "99999999999", "18446744073709551616", "1e3", " 1", "0x10", "999999"];
const NUMERIC_VALUES = ["0", "1", "-5", "500", "abc", "1e309", "1.5", "9999999999999999999", "", "0x1"];
const BOOL_VALUES = ["true", "false", "1", "0", "yes", "", "TRUE"];

const continueToken = fc.oneof(
  fc.constantFrom("", "abc", "!!!", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4In0", "e30"),
  fc.record({ v: fc.constantFrom("meta.k8s.io/v1", "v2"), rv: fc.oneof(fc.integer({ min: -1, max: 1_000_000_000 }), fc.constant(1e300)), start: fc.string({ maxLength: 6 }) }).map((t) =>
    Buffer.from(JSON.stringify(t)).toString("base64url"),
  ),
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString("base64")),
);

const queryParam: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant("labelSelector"), fc.oneof(fc.constantFrom(...SELECTOR_VALUES), fc.string({ maxLength: 10 }))),
  fc.tuple(fc.constant("fieldSelector"), fc.oneof(fc.constantFrom(...FIELD_VALUES), fc.string({ maxLength: 10 }))),
  fc.tuple(fc.constant("resourceVersion"), fc.constantFrom(...RV_VALUES)),
  fc.tuple(fc.constant("resourceVersionMatch"), fc.constantFrom("Exact", "NotOlderThan", "", "exact", "Bogus")),
  fc.tuple(fc.constantFrom("limit", "timeoutSeconds", "gracePeriodSeconds"), fc.constantFrom(...NUMERIC_VALUES)),
  fc.tuple(fc.constant("continue"), continueToken),
  fc.tuple(fc.constantFrom("watch", "allowWatchBookmarks", "sendInitialEvents", "orphanDependents", "force", "pretty", "includeUninitialized", "exact", "export"), fc.constantFrom(...BOOL_VALUES)),
  fc.tuple(fc.constant("dryRun"), fc.constantFrom("All", "all", "", "None", "All,All")),
  fc.tuple(fc.constant("fieldManager"), fc.oneof(fc.constantFrom("kubectl", "", "x".repeat(200), "名前"), fc.string({ maxLength: 8 }))),
  fc.tuple(fc.constant("fieldValidation"), fc.constantFrom("Strict", "Warn", "Ignore", "strict", "", "Nope")),
  fc.tuple(fc.constant("propagationPolicy"), fc.constantFrom("Background", "Foreground", "Orphan", "background", "", "None")),
  fc.tuple(fc.constantFrom("as", "container", "follow", "tailLines", "previous", "sinceSeconds", "timestamps", "limitBytes"), fc.string({ maxLength: 6 })),
  fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })),
);

/** Mostly well-encoded pairs; sometimes raw separators and broken escapes. */
export const fuzzQuery: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(queryParam, { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")), weight: 8 },
  { arbitrary: fc.constantFrom("&&", "=", "watch", "watch&watch=1", "limit=%zz", "labelSelector=%", "a=%00", "resourceVersion=1&resourceVersion=2", "fieldSelector=metadata.name%3Dx%2Cmetadata.name%3Dy"), weight: 1 },
);

// ---- headers ----

export const CONTENT_TYPES = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
  "application/apply-patch+cbor",
  "application/cbor",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "application/json;charset=",
  "application/vnd.kubernetes.protobuf;stream=watch",
  "multipart/form-data; boundary=x",
  "text/plain",
  "*/*",
  "",
  ";;",
  "application/",
];
const contentType = fc.option(fc.oneof({ arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 6 }, { arbitrary: fc.string({ maxLength: 12 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")), weight: 1 }), { freq: 6 });

const ACCEPTS = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/json;as=Table;v=v1;g=meta.k8s.io",
  "application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json",
  "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
  "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io",
  "application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io",
  "application/json;stream=watch",
  "application/vnd.kubernetes.protobuf;stream=watch",
  "*/*",
  "text/html",
  "application/*",
  "a;b=c,,",
  "",
];
const accept = fc.option(fc.constantFrom(...ACCEPTS), { freq: 3 });

/** Who sends it: usually the admin token; sometimes none or a bad one (401 on a TLS server). */
export type Credentials = "token" | "none" | "bad";
const credentials = fc.oneof({ arbitrary: fc.constant<Credentials>("token"), weight: 12 }, { arbitrary: fc.constantFrom<Credentials>("none", "bad"), weight: 1 });

// ---- bodies ----

const podTemplate = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx", ports: [{ containerPort: 80 }] }] } };
/** Objects kube-apiserver accepts (more or less), as mutation seeds. */
const TEMPLATES: Record<string, unknown>[] = [
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fuzz-cm", labels: { a: "b" } }, data: { k: "v" } },
  { apiVersion: "v1", kind: "Secret", metadata: { name: "fuzz-secret" }, type: "Opaque", data: { k: "dg==" }, stringData: { s: "x" } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "fuzz-pod", generateName: "fuzz-", labels: { app: "web" } }, spec: podTemplate.spec },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "fuzz-deploy" },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: podTemplate, strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } } },
  },
  { apiVersion: "v1", kind: "Service", metadata: { name: "fuzz-svc" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, targetPort: "http", nodePort: 30080 }] } },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "fuzz-ns" } },
  { apiVersion: "v1", kind: "Node", metadata: { name: "fuzz-node" }, spec: { taints: [{ key: "k", effect: "NoSchedule" }] }, status: { capacity: { cpu: "4", memory: "8Gi" } } },
  { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "fuzz-lease" }, spec: { holderIdentity: "x", leaseDurationSeconds: 15, renewTime: "2024-01-01T00:00:00.000000Z" } },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "fuzz-pdb" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } } },
  { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "x", namespace: "default" }, deleteOptions: { gracePeriodSeconds: 0 } },
  { apiVersion: "v1", kind: "Binding", metadata: { name: "x" }, target: { apiVersion: "v1", kind: "Node", name: "fuzz-node" } },
  { apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "x" }, spec: { replicas: 3 } },
  { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, propagationPolicy: "Foreground", preconditions: { uid: "u", resourceVersion: "1" } },
  { apiVersion: "v1", kind: "LimitRange", metadata: { name: "fuzz-lr" }, spec: { limits: [{ type: "Container", default: { cpu: "500m" }, max: { memory: "1Gi" } }] } },
  { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "fuzz-quota" }, spec: { hard: { pods: "10", "requests.cpu": "4" } } },
  { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "fuzz-cj" }, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { ...podTemplate.spec, restartPolicy: "Never" } } } } } },
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "fuzz-pc" }, value: 1000, globalDefault: false },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "fuzz-ing" }, spec: { rules: [{ host: "a.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "s", port: { number: 80 } } } }] } }] } },
];

/** Every path to a value inside a JSON document. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation = { op: "set"; value: unknown } | { op: "delete" } | { op: "add"; key: string; value: unknown };

function mutate(doc: unknown, at: (string | number)[], m: Mutation): unknown {
  if (at.length === 0) {
    if (m.op === "set") return m.value;
    if (m.op === "delete") return undefined;
    if (doc !== null && typeof doc === "object" && !Array.isArray(doc)) return { ...doc, [m.key]: m.value };
    return m.value;
  }
  const [head, ...rest] = at;
  if (Array.isArray(doc)) {
    const copy = [...doc];
    const next = mutate(copy[head as number], rest, m);
    if (next === undefined) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const obj = { ...(doc as Record<string, unknown>) };
  const next = mutate(obj[head as string], rest, m);
  if (next === undefined) delete obj[head as string];
  else obj[head as string] = next;
  return obj;
}

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, -1, 0, 2 ** 31, 2 ** 53 + 1, -0.5, "", "名前", "a\u0000b", "x".repeat(1000), [], {}, true, "1Gi", "-1", "999999999999999999999Ki", "2024-13-45T99:99:99Z"),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), value: oddValue }),
  fc.constant({ op: "delete" as const }),
  fc.record({ op: fc.constant("add" as const), key: fc.oneof(fc.constantFrom("unknownField", "status", "$patch", "$setElementOrder/containers", "$retainKeys", "metadata", "apiVersion"), fc.string({ maxLength: 6 })), value: oddValue }),
);

/** A template with 0-3 mutations at random places. */
const mutatedObject: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...TEMPLATES), fc.array(fc.tuple(fc.nat(), mutation), { maxLength: 3 }))
  .map(([template, muts]) => {
    let doc: unknown = template;
    for (const [pick, m] of muts) {
      const paths = pathsOf(doc);
      doc = mutate(doc, paths[pick % paths.length]!, m);
    }
    return doc;
  });

/** Textual edits JSON.stringify cannot make: numbers beyond float64 and int64, duplicate keys. */
const NUMBER_EDITS = ["1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808", "-0", "0.5", "1e-400", "00", "+1", "NaN", "Infinity"];

const encoder = new TextEncoder();
const bytes = (s: string): Uint8Array => encoder.encode(s);

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Prebuilt: past the 3 MiB request limit (413). */
const OVERSIZED = bytes(JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "huge" }, data: { k: "x".repeat(3 * 1024 * 1024 + 16) } }));

const JSON_PATCH_OPS = fc.array(
  fc.record({
    op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test", "bogus"),
    path: fc.constantFrom("/metadata/labels/a", "/spec/replicas", "/data/k", "/metadata/name", "/spec/containers/0/image", "/spec/containers/-", "", "/", "~1", "/a/b/c", "/metadata/finalizers/0", "/status"),
    value: oddValue,
    from: fc.constantFrom("/metadata/labels", "/data", "/x"),
  }),
  { maxLength: 4 },
);

export const fuzzBody: fc.Arbitrary<{ body?: Uint8Array; shape: string }> = fc.oneof(
  { arbitrary: fc.constant({ shape: "none" }), weight: 4 },
  { arbitrary: mutatedObject.map((o) => ({ body: bytes(JSON.stringify(o) ?? "null"), shape: "json-object" })), weight: 8 },
  { arbitrary: mutatedObject.map((o) => ({ body: bytes(toYaml(o ?? null)), shape: "yaml-object" })), weight: 3 },
  {
    arbitrary: fc.tuple(mutatedObject, fc.constantFrom(...NUMBER_EDITS)).map(([o, n]) => ({ body: bytes((JSON.stringify(o) ?? "0").replace(/(?<=[:[,])-?\d+(\.\d+)?(?=[,\]}])/, n)), shape: "json-number-edit" })),
    weight: 2,
  },
  { arbitrary: fc.tuple(mutatedObject, fc.nat()).map(([o, cut]) => {
    const text = JSON.stringify(o) ?? "{}";
    return { body: bytes(text.slice(0, cut % Math.max(1, text.length))), shape: "json-truncated" };
  }), weight: 3 },
  { arbitrary: JSON_PATCH_OPS.map((ops) => ({ body: bytes(JSON.stringify(ops)), shape: "json-patch" })), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '{"metadata":{"name":"a","name":"b"}}',
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"k":"1","k":"2"}}',
      "{",
      "}",
      "[]",
      "null",
      "0",
      '"string"',
      "{'single':'quotes'}",
      '{"a":1}garbage',
      "\ufeff{}",
      "a: b: c",
      "- [",
      "key: value\n\tindented: tab",
      "--- \n...\n---",
      "a: &a [*a, *a]",
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      "!!binary aGVsbG8=",
      "? complex\n: key",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-cm\ndata:\n  k: !!int 3",
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-🙂"}}',
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\\ud800"}}',
      '{"__proto__":{"polluted":true},"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"proto"}}',
      '{"constructor":{"prototype":{"polluted":true}},"metadata":{"name":"ctor"}}',
    ).map((s) => ({ body: bytes(s), shape: "json-yaml-odd" })),
    weight: 3,
  },
  {
    // Deep nesting, in JSON (and in YAML's flow style, which is the same text).
    arbitrary: fc.tuple(fc.integer({ min: 100, max: 100_000 }), fc.constantFrom<[string, string, string]>(["[", "]", "0"], ['{"a":', "}", "1"])).map(([depth, [open, close, inner]]) => ({
      body: bytes(nested(depth, open, close, inner)),
      shape: "deep-nesting",
    })),
    weight: 1,
  },
  {
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ body: Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...b]), shape: "protobuf-garbage" })),
    weight: 2,
  },
  { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ body: b, shape: "random-bytes" })), weight: 1 },
  { arbitrary: fc.constant({ body: OVERSIZED, shape: "oversized" }), weight: 1 },
);

/**
 * Request heads no HTTP client sends: raw bytes above 0x7e or control bytes in the request line,
 * broken request lines and headers, bad chunked framing. Written on a raw socket; node:http's parser
 * refuses them with a bare 400 and closes the connection (Go's net/http answers these with a
 * text/plain 400 too), and the server must go on serving.
 */
export const PROTOCOL_GARBAGE: readonly string[] = [
  "GET /api/v1/namespaces/\xc5C/pods HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET /api/v1/namespaces/\x85/pods HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET /api/v1/namespaces/a b/pods HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET /api/v1/\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET /api/v1 HTTP/9.9\r\nHost: x\r\n\r\n",
  "GET\r\n\r\n",
  "BREW /pot HTCPCP/1.0\r\n\r\n",
  "GET /api/v1 HTTP/1.1\r\nBad Header\r\n\r\n",
  "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
  "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
  "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
  `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${"X-Big: y\r\n".repeat(2000)}\r\n`,
];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND", "get"];

// ---- coherent requests: the right prefix, scope, method and body type, with some faults ----

interface ResourceShape {
  resource: string;
  prefix: string;
  namespaced: boolean;
  kind: string;
  subresources: string[];
}

const SHAPES: ResourceShape[] = [
  { resource: "configmaps", prefix: "/api/v1", namespaced: true, kind: "ConfigMap", subresources: [] },
  { resource: "secrets", prefix: "/api/v1", namespaced: true, kind: "Secret", subresources: [] },
  { resource: "pods", prefix: "/api/v1", namespaced: true, kind: "Pod", subresources: ["status", "binding", "eviction", "log"] },
  { resource: "services", prefix: "/api/v1", namespaced: true, kind: "Service", subresources: ["status"] },
  { resource: "namespaces", prefix: "/api/v1", namespaced: false, kind: "Namespace", subresources: ["status", "finalize"] },
  { resource: "nodes", prefix: "/api/v1", namespaced: false, kind: "Node", subresources: ["status"] },
  { resource: "limitranges", prefix: "/api/v1", namespaced: true, kind: "LimitRange", subresources: [] },
  { resource: "resourcequotas", prefix: "/api/v1", namespaced: true, kind: "ResourceQuota", subresources: ["status"] },
  { resource: "deployments", prefix: "/apis/apps/v1", namespaced: true, kind: "Deployment", subresources: ["status", "scale"] },
  { resource: "cronjobs", prefix: "/apis/batch/v1", namespaced: true, kind: "CronJob", subresources: ["status"] },
  { resource: "poddisruptionbudgets", prefix: "/apis/policy/v1", namespaced: true, kind: "PodDisruptionBudget", subresources: ["status"] },
  { resource: "leases", prefix: "/apis/coordination.k8s.io/v1", namespaced: true, kind: "Lease", subresources: [] },
  { resource: "priorityclasses", prefix: "/apis/scheduling.k8s.io/v1", namespaced: false, kind: "PriorityClass", subresources: [] },
  { resource: "ingresses", prefix: "/apis/networking.k8s.io/v1", namespaced: true, kind: "Ingress", subresources: ["status"] },
];

const SUBRESOURCE_KINDS: Record<string, string> = { binding: "Binding", eviction: "Eviction", scale: "Scale" };
const templateOf = (kind: string): Record<string, unknown> => TEMPLATES.find((t) => t.kind === kind) ?? TEMPLATES[0]!;

const PATCH_TYPES = ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml"];

const coherentRequest: fc.Arbitrary<FuzzRequest & { credentials: Credentials }> = fc
  .record({
    shape: fc.constantFrom(...SHAPES),
    namespace: fc.oneof({ arbitrary: fc.constantFrom("default", "fuzz"), weight: 8 }, { arbitrary: nameSegment, weight: 1 }),
    name: fc.option(fc.oneof({ arbitrary: fc.constantFrom("x", "web", "fresh"), weight: 4 }, { arbitrary: dnsName, weight: 2 }, { arbitrary: nameSegment, weight: 1 }), { freq: 3 }),
    useTemplateName: fc.boolean(),
    sub: fc.option(fc.nat(), { freq: 3 }),
    verb: fc.constantFrom("read", "write", "write", "patch", "delete"),
    mutations: fc.oneof(fc.constant([] as [number, Mutation][]), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 2 })),
    encoding: fc.constantFrom("json", "json", "json", "yaml"),
    patchType: fc.constantFrom(...PATCH_TYPES),
    jsonPatch: JSON_PATCH_OPS,
    query: fc.oneof(
      { arbitrary: fc.constant(""), weight: 4 },
      { arbitrary: fc.constantFrom("dryRun=All", "fieldValidation=Strict", "fieldValidation=Warn", "fieldManager=fuzz", "propagationPolicy=Foreground", "gracePeriodSeconds=0", "labelSelector=app%3Dweb", "limit=1", "resourceVersion=0", "watch=1&timeoutSeconds=1"), weight: 3 },
      { arbitrary: fuzzQuery, weight: 2 },
    ),
    accept: fc.option(fc.constantFrom("application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "application/yaml"), { freq: 4 }),
    /** One fault on an otherwise coherent request. */
    fault: fc.oneof(
      { arbitrary: fc.constant<{ kind: "none" }>({ kind: "none" }), weight: 12 },
      { arbitrary: fc.record({ kind: fc.constant("contentType" as const), value: fc.constantFrom(...CONTENT_TYPES) }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant("body" as const), value: fuzzBody }), weight: 2 },
      { arbitrary: fc.constant<{ kind: "oversized" }>({ kind: "oversized" }), weight: 1 },
    ),
  })
  .map((r) => {
    const subName = r.sub === null || r.shape.subresources.length === 0 ? undefined : r.shape.subresources[r.sub % r.shape.subresources.length];
    const name = r.name ?? undefined;
    let path = r.shape.prefix + (r.shape.namespaced ? `/namespaces/${r.namespace}` : "") + `/${r.shape.resource}`;
    if (name !== undefined) path += `/${name}${subName === undefined ? "" : `/${subName}`}`;
    const onItem = name !== undefined;
    const method = r.verb === "read" ? "GET" : r.verb === "delete" ? "DELETE" : r.verb === "patch" ? (onItem ? "PATCH" : "POST") : onItem ? (subName === "binding" || subName === "eviction" ? "POST" : "PUT") : "POST";

    const kind = (subName !== undefined && SUBRESOURCE_KINDS[subName]) || r.shape.kind;
    let doc: unknown = structuredClone(templateOf(kind));
    const meta = (doc as { metadata?: Record<string, unknown> }).metadata;
    if (meta !== undefined && (onItem || !r.useTemplateName)) meta.name = name ?? `fuzz-${r.shape.resource.slice(0, 6)}`;
    for (const [pick, m] of r.mutations) {
      const paths = pathsOf(doc);
      doc = mutate(doc, paths[pick % paths.length]!, m);
    }
    const headers: Record<string, string> = {};
    if (r.accept !== null) headers.accept = r.accept;
    let body: Uint8Array | undefined;
    let bodyShape = "none";
    if (method === "PATCH") {
      headers["content-type"] = r.patchType;
      const patch: unknown = r.patchType === "application/json-patch+json" ? r.jsonPatch : r.patchType === "application/apply-patch+yaml" ? doc : { metadata: { labels: { fuzzed: "yes" } }, ...(doc as object) };
      body = bytes(r.patchType.endsWith("yaml") ? toYaml(patch ?? null) : (JSON.stringify(patch) ?? "null"));
      bodyShape = `patch:${r.patchType.split("/")[1]}`;
    } else if (method === "POST" || method === "PUT") {
      headers["content-type"] = r.encoding === "yaml" ? "application/yaml" : "application/json";
      body = bytes(r.encoding === "yaml" ? toYaml(doc ?? null) : (JSON.stringify(doc) ?? "null"));
      bodyShape = `${r.encoding}:${kind}${r.mutations.length > 0 ? "+mutated" : ""}`;
    }
    if (r.fault.kind === "contentType") headers["content-type"] = r.fault.value;
    if (r.fault.kind === "body" && r.fault.value.body !== undefined) {
      body = r.fault.value.body;
      bodyShape = r.fault.value.shape;
    }
    if (r.fault.kind === "oversized") {
      body = OVERSIZED;
      bodyShape = "oversized";
    }
    const query = method === "PATCH" && r.patchType.endsWith("apply-patch+yaml") && !r.query.includes("fieldManager") ? [r.query, "fieldManager=fuzz"].filter((q) => q !== "").join("&") : r.query;
    const req = { method, path, query, headers, ...(body === undefined ? {} : { body }), bodyShape, credentials: "token" as Credentials };
    return Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req), enumerable: false });
  });

const randomRequest: fc.Arbitrary<FuzzRequest & { credentials: Credentials }> = fc
  .record({
    method: fc.oneof({ arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), weight: 10 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
    path: fuzzPath,
    query: fuzzQuery,
    contentType,
    accept,
    body: fuzzBody,
    credentials,
  })
  .map((r) => {
    const headers: Record<string, string> = {};
    if (r.contentType !== null) headers["content-type"] = r.contentType;
    if (r.accept !== null) headers.accept = r.accept;
    const req = {
      method: r.method,
      path: r.path,
      query: r.query,
      headers,
      ...(r.body.body === undefined ? {} : { body: r.body.body }),
      bodyShape: r.body.shape,
      credentials: r.credentials,
    };
    // Counterexamples print short: a 3 MiB body would drown the report.
    return Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req), enumerable: false });
  });

/** Requests of every kind: coherent ones that reach the core (with faults), and random ones. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest & { credentials: Credentials }> = fc.oneof({ arbitrary: coherentRequest, weight: 1 }, { arbitrary: randomRequest, weight: 1 });

/** One line for a report: method, target, credentials, headers and the start of the body. */
export function describeRequest(r: FuzzRequest & { credentials?: Credentials }): string {
  const body = r.body === undefined ? "" : ` ${JSON.stringify(Buffer.from(r.body.subarray(0, 160)).toString("latin1"))}${r.body.length > 160 ? "..." : ""}`;
  return `${r.method} ${target(r)} [${r.credentials ?? "token"}] ${JSON.stringify(r.headers)} body(${r.bodyShape}, ${r.body?.length ?? 0} B)${body}`;
}

// ---- the verdict ----

export interface FuzzAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The client stopped reading (a watch stream). */
  truncated: boolean;
}

const WATCH_EVENT_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/**
 * A JSON watch stream (one event per line): every complete line is {type, object}; an ERROR
 * carries a Status. A plain 200 list (not a stream) is left alone.
 */
function watchStreamProblem(res: FuzzAnswer): string | undefined {
  // One JSON document (a list, discovery, pretty-printed or not) is not a stream.
  if (res.body.startsWith("{\n")) return undefined;
  try {
    JSON.parse(res.body);
    return undefined;
  } catch {
    // A stream: one event per line.
  }
  const lines = res.body.split("\n");
  const complete = res.truncated ? lines.slice(0, -1) : lines;
  for (const line of complete) {
    if (line.trim() === "") continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return `a watch line that is not JSON: ${line.slice(0, 200)}`;
    }
    const e = event as { type?: unknown; object?: { kind?: unknown } };
    if (typeof e.type !== "string" || !WATCH_EVENT_TYPES.has(e.type) || typeof e.object !== "object" || e.object === null) return `a malformed watch event: ${line.slice(0, 200)}`;
    if (e.type === "ERROR" && e.object.kind !== "Status") return `an ERROR watch event without a Status: ${line.slice(0, 200)}`;
  }
  return undefined;
}

/**
 * The non-resource endpoints answer as upstream's plain Go handlers do, not with a Status: an
 * unknown health check or OpenAPI group-version is http.NotFound's "404 page not found"; the OpenAPI
 * documents answer a non-JSON Accept with a bare 406.
 */
function isPlainEndpointAnswer(req: FuzzRequest, res: FuzzAnswer): boolean {
  const path = req.path;
  const plainPath = /^\/(healthz|livez|readyz)\/./.test(path) || path.startsWith("/openapi/");
  if (!plainPath) return false;
  if (res.status === 404) return res.contentType.startsWith("text/plain") && res.body === "404 page not found\n";
  if (res.status === 406) return path.startsWith("/openapi/") && res.body === "";
  return false;
}

/**
 * What is wrong with an answer, or undefined when it is acceptable: a 5xx other than the documented
 * ones (504 Timeout for a resourceVersion far in the future; 500 for an eviction with several
 * PodDisruptionBudgets), an error body that is not a Status matching the HTTP code, a stack trace.
 */
export function verdict(req: FuzzRequest, res: FuzzAnswer): string | undefined {
  const status = res.status;
  if (status < 100 || status > 599) return `HTTP status ${status}`;
  if (/\bat .+\.(ts|js):\d+:\d+|node:internal|file:\/\//.test(res.body)) return "a stack trace in the body";
  if (status === 200 && res.contentType.startsWith("application/json") && /watch/.test(res.contentType + req.path + req.query)) {
    const problem = watchStreamProblem(res);
    if (problem !== undefined) return problem;
  }
  if (status < 400) return undefined;
  if (req.method.toUpperCase() === "HEAD") return status >= 500 ? `${status} to HEAD` : undefined;
  if (isPlainEndpointAnswer(req, res)) return undefined;
  let parsed: unknown;
  try {
    if (res.contentType.startsWith("application/json")) parsed = JSON.parse(res.body);
    else if (res.contentType.startsWith("application/yaml")) parsed = parseYaml(res.body);
    else if (res.contentType.startsWith("application/vnd.kubernetes.protobuf")) {
      // A protobuf Status: the envelope's magic and the kind; not decoded further here.
      return status >= 500 ? `${status} (protobuf)` : res.body.startsWith("k8s\u0000") && res.body.includes("Status") ? undefined : "a protobuf error body that is not a Status";
    } else return `${status} with Content-Type ${JSON.stringify(res.contentType)}: ${res.body.slice(0, 200)}`;
  } catch (err) {
    return `${status} with an unparsable ${res.contentType} body (${String(err)}): ${res.body.slice(0, 200)}`;
  }
  if (parsed === null || typeof parsed !== "object") return `${status} with a non-object body`;
  const s = parsed as Record<string, unknown>;
  if (s.kind !== "Status" || s.apiVersion !== "v1" || s.status !== "Failure" || s.code !== status || typeof s.message !== "string") {
    return `${status} with a body that is not a matching Status: ${res.body.slice(0, 300)}`;
  }
  if (status >= 500) {
    if (status === 504 && s.reason === "Timeout" && String(s.message).includes("Too large resource version")) return undefined;
    if (status === 500 && req.path.endsWith("/eviction") && String(s.message).includes("more than one PodDisruptionBudget")) return undefined;
    return `${status}: ${res.body.slice(0, 400)}`;
  }
  return undefined;
}
