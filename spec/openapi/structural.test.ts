import { describe, expect, test } from "vitest";
import { definitionSource, type SchemaObject } from "./definitions.ts";
import { parseJson } from "./go-json.ts";
import { decodeAs, decodeBody, decodeValue, MAX_STRICT_ERRORS, summarizeData, type TargetKind } from "./structural.ts";

const deployment: TargetKind = { apiVersion: "apps/v1", kind: "Deployment", typeName: "io.k8s.api.apps.v1.Deployment" };
const pod: TargetKind = { apiVersion: "v1", kind: "Pod", typeName: "io.k8s.api.core.v1.Pod" };
const podError = (body: unknown) => decodeBody(JSON.stringify({ apiVersion: "v1", kind: "Pod", ...(body as object) }), pod, "Strict").error;

// test/integration/apiserver/field_validation_test.go (invalidBodyJSON and its expected errors).
const upstreamInvalidBody = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "dupename",
    "name": "test-deployment",
    "labels": {"app": "nginx"},
    "unknownMeta": "metaVal"
  },
  "spec": {
    "unknown1": "val1",
    "unknownDupe": "valDupe",
    "unknownDupe": "valDupe2",
    "paused": true,
    "paused": false,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {
      "metadata": {"labels": {"app": "nginx"}},
      "spec": {
        "containers": [{
          "name": "nginx",
          "image": "nginx:latest",
          "unknownNested": "val1",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "Never"
        }]
      }
    }
  }
}`;
const upstreamStrictErrors = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];

describe("decodeBody: the three fieldValidation modes (upstream's field validation test)", () => {
  test("Strict fails with every unknown and duplicate field, in document order", () => {
    expect(decodeBody(upstreamInvalidBody, deployment, "Strict")).toEqual({
      error: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${upstreamStrictErrors.join(", ")}`,
      warnings: [],
    });
  });

  test("Warn accepts the object, drops unknown fields, keeps the last duplicate and warns", () => {
    const result = decodeBody(upstreamInvalidBody, deployment, "Warn");
    expect(result.warnings).toEqual(upstreamStrictErrors);
    expect(result.object).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "test-deployment", labels: { app: "nginx" } },
      spec: {
        paused: false,
        selector: { matchLabels: { app: "nginx" } },
        template: {
          metadata: { labels: { app: "nginx" } },
          spec: { containers: [{ name: "nginx", image: "nginx:latest", imagePullPolicy: "Never" }] },
        },
      },
    });
  });

  test("Ignore accepts the same object silently", () => {
    const result = decodeBody(upstreamInvalidBody, deployment, "Ignore");
    expect(result.warnings).toEqual([]);
    expect(result.object).toEqual(decodeBody(upstreamInvalidBody, deployment, "Warn").object);
  });
});

describe("decodeBody: before the typed decode (version/kind)", () => {
  test.each<[string, string]>([
    ['{"apiVersion":"v1","kind":"Pod"', "couldn't get version/kind; json parse error: unexpected end of JSON input ({\"apiVersion\":\"v1\",\"kind\":\"Pod ...)"],
    ["", "couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)"],
    ["[]", `couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b5d)`],
    ['{"kind":5}', 'couldn\'t get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind":5})'],
    ['{"APIVERSION":true}', 'couldn\'t get version/kind; json parse error: json: cannot unmarshal bool into Go struct field .apiVersion of type string ({"APIVERSION":true})'],
    ['{"apiVersion":"a/b/c"}', 'unexpected GroupVersion string: a/b/c ({"apiVersion":"a/b/c"})'],
  ])("%j is unrecognized", (body, reason) => {
    expect(decodeBody(body, pod, "Strict").error).toBe(`the object provided is unrecognized (must be of type Pod): ${reason}`);
  });

  test("the kind and version in the message are the body's, defaulted from the endpoint", () => {
    expect(decodeBody('{"spec":{"containers":"x"}}', pod, "Ignore").error).toMatch(/^Pod in version "v1" cannot be handled as a Pod: /);
    expect(decodeBody('{"apiVersion":"apps/v1","kind":"Thing","spec":1}', pod, "Ignore").error).toMatch(
      /^Thing in version "v1" cannot be handled as a Pod: /,
    );
  });

  test("keys that are not apiVersion or kind, whatever their case, are not read", () => {
    expect(decodeBody('{"constructor":1,"__proto__":2,"Kind":"Pod"}', pod, "Ignore")).toEqual({ object: {}, warnings: [] });
  });

  test("a null body decodes to an empty object", () => {
    expect(decodeBody("null", pod, "Strict")).toEqual({ object: {}, warnings: [] });
  });

  test("summarizes long bodies as upstream does", () => {
    expect(summarizeData("x".repeat(40), 30)).toBe(`${"78".repeat(30)} ...`);
    expect(summarizeData('{"a":1}', 30)).toBe('{"a":1}');
  });
});

describe("type errors (Go's UnmarshalTypeError, context = innermost struct + JSON path without indices)", () => {
  test.each<[string, unknown, string]>([
    ["string for int32", { spec: { containers: [{ name: "c", ports: [{ containerPort: "80" }] }] } }, "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"],
    ["number for string in a map", { metadata: { labels: { a: 1 } } }, "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"],
    ["number for string in a list", { spec: { containers: [{ name: "c", args: ["a", 2] }] } }, "json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string"],
    ["string for a list of structs", { spec: { containers: "x" } }, "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"],
    ["array for a struct", { spec: [] }, "json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec"],
    ["object for a string", { spec: { nodeName: {} } }, "json: cannot unmarshal object into Go struct field PodSpec.spec.nodeName of type string"],
    ["bool for int64", { spec: { activeDeadlineSeconds: true } }, "json: cannot unmarshal bool into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64"],
    ["string for bool", { spec: { hostNetwork: "yes" } }, "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool"],
    ["int32 overflow", { spec: { priority: 2 ** 31 } }, "json: cannot unmarshal number 2147483648 into Go struct field PodSpec.spec.priority of type int32"],
    ["list for a resource list", { spec: { overhead: [] } }, "json: cannot unmarshal array into Go struct field PodSpec.spec.overhead of type v1.ResourceList"],
    ["number for a time", { metadata: { creationTimestamp: 5 } }, "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string"],
  ])("%s", (_name, body, message) => {
    expect(podError(body)).toBe(`Pod in version "v1" cannot be handled as a Pod: ${message}`);
  });

  test("a number literal that is not an integer is refused for an integer field, as written", () => {
    const body = '{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80.0}]}]}}';
    expect(decodeBody(body, pod, "Ignore").error).toBe(
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 80.0 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
  });

  test("at the top level the error names the Go value", () => {
    expect(decodeValue("x", "io.k8s.api.core.v1.Pod", { strict: true }).error).toBe("json: cannot unmarshal string into Go value of type v1.Pod");
  });

  test("the first type error wins and decoding goes on; strict errors are dropped", () => {
    const result = decodeValue({ foo: 1, spec: { hostNetwork: "a", hostPID: "b" } }, "io.k8s.api.core.v1.Pod", { strict: true });
    expect(result).toEqual({
      error: "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool",
      strictErrors: [],
    });
  });

  test("an unmarshaler's error stops decoding and wins over an earlier type error", () => {
    const body = { spec: { hostNetwork: "a", containers: [{ name: "c", resources: { limits: { cpu: "lots" } } }] } };
    expect(podError(body)).toBe(
      "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  test("null is accepted anywhere and leaves the field unset", () => {
    expect(decodeValue({ metadata: null, spec: { nodeName: null, containers: null } }, "io.k8s.api.core.v1.Pod", { strict: true })).toEqual({
      object: { spec: {} },
      strictErrors: [],
    });
  });
});

describe("values with their own decoding", () => {
  const decodePod = (spec: unknown) => decodeValue({ spec }, "io.k8s.api.core.v1.Pod", { strict: true });

  test("int-or-string takes an integer or a string, and refuses the rest as an int32", () => {
    const dep = (rollingUpdate: unknown) =>
      decodeValue({ spec: { strategy: { rollingUpdate } } }, "io.k8s.api.apps.v1.Deployment", { strict: true });
    expect(dep({ maxSurge: 1, maxUnavailable: "25%" }).object).toEqual({
      spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } } },
    });
    const context = "Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32";
    expect(dep({ maxSurge: true }).error).toBe(`json: cannot unmarshal bool into ${context}`);
    expect(dep({ maxSurge: 1.5 }).error).toBe(`json: cannot unmarshal number 1.5 into ${context}`);
    expect(dep({ maxSurge: {} }).error).toBe(`json: cannot unmarshal object into ${context}`);
    expect(dep({ maxSurge: 2 ** 31 }).error).toBe(`json: cannot unmarshal number 2147483648 into ${context}`);
  });

  test("quantities take strings or numbers and are written back canonical", () => {
    const result = decodePod({ containers: [{ name: "c", resources: { requests: { cpu: 0.5, memory: " 1.5Gi " } } }] });
    expect(result.object).toEqual({ spec: { containers: [{ name: "c", resources: { requests: { cpu: "500m", memory: "1536Mi" } } }] } });
    expect(decodePod({ overhead: { cpu: true } }).error).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  test("times are parsed like time.Parse and written back in UTC", () => {
    const meta = (creationTimestamp: unknown) => decodeValue({ metadata: { creationTimestamp } }, "io.k8s.api.core.v1.Pod", { strict: true });
    expect(meta("2024-01-01T01:00:00+01:00").object).toEqual({ metadata: { creationTimestamp: "2024-01-01T00:00:00Z" } });
    expect(meta("yesterday").error).toBe('parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
    const lease = decodeValue({ spec: { renewTime: "2024-01-01T00:00:00.5Z" } }, "io.k8s.api.coordination.v1.Lease", { strict: true });
    expect(lease.error).toBe('parsing time "2024-01-01T00:00:00.5Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".5Z" as ".000000"');
  });

  test("bytes are base64, refused with Go's message", () => {
    const secret = (data: unknown) => decodeValue({ data }, "io.k8s.api.core.v1.Secret", { strict: true });
    expect(secret({ a: "aGVs\nbG8=" }).object).toEqual({ data: { a: "aGVsbG8=" } });
    expect(secret({ a: "aGVsbG8" }).error).toBe("illegal base64 data at input byte 4");
    expect(secret({ a: 1 }).error).toBe("json: cannot unmarshal number into Go struct field Secret.data of type []uint8");
  });

  test("raw extensions keep any value, unchecked", () => {
    const revision = { data: { anything: [1, { goes: true }] }, revision: 3 };
    expect(decodeValue(revision, "io.k8s.api.apps.v1.ControllerRevision", { strict: true })).toEqual({ object: revision, strictErrors: [] });
  });
});

// A fixture schema for what the served kinds do not exercise: maps of structs, lists of lists,
// x-kubernetes-preserve-unknown-fields and x-kubernetes-embedded-resource.
const fixture = definitionSource({
  "example.v1.Widget": {
    type: "object",
    properties: {
      parts: { type: "object", additionalProperties: { $ref: "#/definitions/example.v1.Part" } },
      grid: { type: "array", items: { type: "array", items: { $ref: "#/definitions/example.v1.Part" } } },
      free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "integer", format: "int32" } } },
      embedded: { type: "object", "x-kubernetes-embedded-resource": true, properties: { data: { type: "string" } } },
      ratio: { type: "number", format: "double" },
    },
  },
  "example.v1.Part": { type: "object", properties: { name: { type: "string" } } },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": { type: "object", properties: { name: { type: "string" } } },
} satisfies Record<string, SchemaObject>);
const widget = (body: string, strict = true) => decodeAs(parseJson(body), "example.v1.Widget", { strict, definitions: fixture });

describe("unknown fields in nested lists and maps (fixture schema)", () => {
  test("paths name map keys with dots and list indices in brackets", () => {
    const result = widget('{"parts":{"a":{"name":"x","foo":1},"b":{"bar":2}},"grid":[[{}],[{"name":"y"},{"baz":3}]]}');
    expect(result.strictErrors).toEqual([
      'unknown field "parts.a.foo"',
      'unknown field "parts.b.bar"',
      'unknown field "grid[1][1].baz"',
    ]);
    expect(result.object).toEqual({ parts: { a: { name: "x" }, b: {} }, grid: [[{}], [{ name: "y" }, {}]] });
  });

  test("duplicate map keys are duplicate fields", () => {
    expect(widget('{"parts":{"a":{},"a":{"name":"z"}}}').strictErrors).toEqual(['duplicate field "parts.a"']);
  });

  test("preserve-unknown-fields keeps unknown content and still checks known fields", () => {
    expect(widget('{"free":{"known":1,"extra":{"deep":[1,2]}}}')).toEqual({
      object: { free: { known: 1, extra: { deep: [1, 2] } } },
      strictErrors: [],
    });
    expect(widget('{"free":{"known":"1"}}').error).toBe("json: cannot unmarshal string into Go struct field .free.known of type int32");
  });

  test("an embedded resource has apiVersion, kind and an ObjectMeta metadata", () => {
    const result = widget('{"embedded":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","unknownEmbeddedMeta":"foo"},"data":"x","other":1}}');
    expect(result.strictErrors).toEqual(['unknown field "embedded.metadata.unknownEmbeddedMeta"', 'unknown field "embedded.other"']);
    expect(result.object).toEqual({ embedded: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: "x" } });
  });

  test("numbers beyond float64 are refused as written", () => {
    expect(widget('{"ratio":1e400}').error).toBe("json: cannot unmarshal number 1e400 into Go struct field Widget.ratio of type float64");
    expect(widget('{"ratio":1.5e2}').object).toEqual({ ratio: 150 });
  });

  test("without strict decoding, unknown fields are dropped without a word", () => {
    expect(widget('{"parts":{"a":{"foo":1}},"nope":1}', false)).toEqual({ object: { parts: { a: {} } }, strictErrors: [] });
  });

  test("strict errors are deduplicated and capped at 100, as sigs.k8s.io/json does", () => {
    const many = Array.from({ length: 150 }, (_, i) => `"u${i}":1`).join(",");
    const result = widget(`{${many},"u0":2}`);
    expect(result.strictErrors).toHaveLength(MAX_STRICT_ERRORS);
    expect(result.strictErrors[0]).toBe('unknown field "u0"');
    expect(new Set(result.strictErrors).size).toBe(MAX_STRICT_ERRORS);
  });
});
