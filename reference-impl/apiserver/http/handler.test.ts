// The HTTP layer without sockets, over the core in virtual time: statuses and their bodies, content
// negotiation, Tables, warnings, discovery, OpenAPI and watch streams as the transport would see them.
import { beforeEach, describe, expect, it } from "vitest";
import type { KubeObject, Status } from "../../../spec/interfaces/api-client.ts";
import { OpenApiDocuments } from "../openapi/index.ts";
import { ResourceRegistry } from "../resources.ts";
import { type TestServer, startTestServer } from "../testing.ts";
import { TokenAuthenticator } from "./auth.ts";
import { servedGroupVersions } from "./discovery.ts";
import { type ApiCore, HttpApi, type HttpRequest } from "./handler.ts";
import type { CompleteResponse, HttpResponse, StreamResponse } from "./responses.ts";
import { versionInfo } from "./version.ts";

const TOKEN = "t0ken";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const KUBECTL_GET_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const registry = new ResourceRegistry();
const openapi = new OpenApiDocuments(servedGroupVersions(registry));

let t: TestServer;
let api: HttpApi;

function makeApi(core: ApiCore, extra: Partial<ConstructorParameters<typeof HttpApi>[0]> = {}): HttpApi {
  return new HttpApi({
    core,
    registry,
    clock: t.sim.clock,
    rng: t.sim.rng("http"),
    authenticator: new TokenAuthenticator([{ token: TOKEN, user: "admin" }]),
    serverAddress: "127.0.0.1:6443",
    openapi,
    version: versionInfo("linux/amd64", "node20"),
    ...extra,
  });
}

beforeEach(async () => {
  t = await startTestServer();
  api = makeApi(t.server);
});

async function call(method: string, url: string, headers: Record<string, string> = {}, body?: string | Uint8Array, tooLarge = false): Promise<CompleteResponse> {
  const req: HttpRequest = { method, url, headers: { ...AUTH, ...lower(headers) } };
  if (body !== undefined) req.body = typeof body === "string" ? new TextEncoder().encode(body) : body;
  if (tooLarge) req.bodyTooLarge = true;
  const res = await api.handle(req);
  if (res.kind !== "complete") throw new Error(`expected a complete response, got a stream`);
  return res;
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function json(res: CompleteResponse): Record<string, unknown> {
  return JSON.parse(String(res.body)) as Record<string, unknown>;
}

const configMap = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "b" }, ...extra });

describe("HttpApi: authentication", () => {
  it("answers 401 Unauthorized without a token or with a bad one", async () => {
    for (const headers of [{ authorization: "" }, { authorization: "Bearer nope" }, { authorization: "Basic eDp5" }]) {
      const res = await call("GET", "/api/v1/namespaces", headers);
      expect(res.status).toBe(401);
      expect(json(res)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    }
  });

  it("serves /healthz, /livez, /readyz and /version without a token", async () => {
    for (const path of ["/healthz", "/livez", "/readyz"]) {
      const res = await call("GET", path, { authorization: "" });
      expect([res.status, res.body, res.headers["Content-Type"]]).toEqual([200, "ok", "text/plain; charset=utf-8"]);
    }
    const version = await call("GET", "/version", { authorization: "" });
    expect(version.status).toBe(200);
    expect(json(version)).toMatchObject({ major: "1", minor: "32", gitVersion: "v1.32.0+plumbline", platform: "linux/amd64" });
    // WriteRawJSON indents.
    expect(String(version.body)).toContain('\n  "major": "1"');
    expect((await call("GET", "/healthz?verbose", { authorization: "" })).body).toBe("[+]ping ok\nhealthz check passed\n");
    // A bad token fails authentication even there.
    expect((await call("GET", "/healthz", { authorization: "Bearer nope" })).status).toBe(401);
  });

  it("with --anonymous-auth lets a request without a token through, still refusing a bad token", async () => {
    api = makeApi(t.server, { anonymousAuth: true });
    expect((await call("GET", "/api/v1/namespaces", { authorization: "" })).status).toBe(200);
    expect((await call("GET", "/api/v1/namespaces", { authorization: "Bearer nope" })).status).toBe(401);
  });
});

describe("HttpApi: routing errors", () => {
  it("answers 404 as go-restful (details {}) under an API prefix and as the not-found handler elsewhere", async () => {
    const underApi = await call("GET", "/api/v1/namespaces/default/widgets");
    expect(underApi.status).toBe(404);
    expect(json(underApi)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 });
    expect(json(await call("GET", "/nonsense"))).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
  });

  it("answers 405 MethodNotAllowed for a method a path has no route for", async () => {
    const res = await call("PUT", "/api/v1/namespaces/default/configmaps");
    expect(res.status).toBe(405);
    expect(json(res)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server does not allow this method on the requested resource", reason: "MethodNotAllowed", details: {}, code: 405 });
  });

  it("answers 400 for a malformed URL escape", async () => {
    expect((await call("GET", "/api/v1/namespaces/%zz")).status).toBe(400);
  });

  it("answers a failure inside the core as a 500 Status, never a stack", async () => {
    api = makeApi({ handle: () => Promise.reject(new Error("boom")), watch: () => ({ code: 500, body: "x" }) });
    const res = await call("GET", "/api/v1/namespaces");
    expect(res.status).toBe(500);
    expect(json(res)).toMatchObject({ kind: "Status", reason: "InternalError", code: 500 });
  });
});

describe("HttpApi: bodies", () => {
  it("creates from JSON, YAML and protobuf bodies", async () => {
    const created = await call("POST", "/api/v1/namespaces/default/configmaps", { "Content-Type": "application/json" }, configMap("a"));
    expect(created.status).toBe(201);
    expect(created.headers["Content-Type"]).toBe("application/json");
    expect(json(created)).toMatchObject({ kind: "ConfigMap", metadata: { name: "a", namespace: "default" }, data: { a: "b" } });
    const yaml = await call("POST", "/api/v1/namespaces/default/configmaps", { "Content-Type": "application/yaml" }, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: 'yes'}\n");
    expect(json(yaml)).toMatchObject({ metadata: { name: "b" }, data: { x: "yes" } });
    // YAML 1.1 reads an unquoted yes as a boolean, which a ConfigMap's data cannot hold.
    const bool = await call("POST", "/api/v1/namespaces/default/configmaps", { "Content-Type": "application/yaml" }, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: yes}\n");
    expect(bool.status).toBe(400);
    // kubectl create namespace demo, as client-go 1.32 encodes it.
    const ns = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, ...new TextEncoder().encode("Namespace"), 0x12, 0x0a, 0x0a, 0x06, 0x0a, 0x04, ...new TextEncoder().encode("demo"), 0x12, 0x00]);
    const proto = await call("POST", "/api/v1/namespaces", { "Content-Type": "application/vnd.kubernetes.protobuf", Accept: "application/vnd.kubernetes.protobuf,application/json" }, ns);
    expect(proto.status).toBe(201);
    expect(proto.headers["Content-Type"]).toBe("application/json");
    expect(json(proto)).toMatchObject({ kind: "Namespace", metadata: { name: "demo" }, status: { phase: "Active" } });
  });

  it("answers 415 for a body in an unknown format, and go-restful's 415 for a PATCH that is no patch", async () => {
    const post = await call("POST", "/api/v1/namespaces/default/configmaps", { "Content-Type": "text/plain" }, configMap("a"));
    expect(post.status).toBe(415);
    expect(json(post)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
      reason: "UnsupportedMediaType",
      code: 415,
    });
    const patch = await call("PATCH", "/api/v1/namespaces/default/configmaps/a", { "Content-Type": "application/json" }, "{}");
    expect(json(patch)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "415: Unsupported Media Type", reason: "UnsupportedMediaType", details: {}, code: 415 });
  });

  it("answers 413 for a body over 3 MiB", async () => {
    const res = await call("POST", "/api/v1/namespaces/default/configmaps", { "Content-Type": "application/json" }, "", true);
    expect(res.status).toBe(413);
    expect(json(res)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Request entity too large: limit is 3145728", reason: "RequestEntityTooLarge", code: 413 });
  });

  it("answers 400 with the decoder's message for malformed JSON and YAML", async () => {
    const bad = await call("POST", "/api/v1/namespaces/default/configmaps", { "Content-Type": "application/json" }, '{"apiVersion":"v1",');
    expect(bad.status).toBe(400);
    expect(json(bad)).toMatchObject({
      reason: "BadRequest",
      message: 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1",)',
    });
    const yaml = await call("PUT", "/api/v1/namespaces/default/configmaps/a", { "Content-Type": "application/yaml" }, "a: b: c");
    expect(yaml.status).toBe(400);
    const patch = await call("PATCH", "/api/v1/namespaces/default/configmaps/a", { "Content-Type": "application/merge-patch+json" }, "{");
    expect(json(patch)).toMatchObject({ code: 400, message: "error decoding patch: unexpected end of JSON input" });
  });

  it("patches and deletes with a DeleteOptions body", async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("a"));
    const patched = await call("PATCH", "/api/v1/namespaces/default/configmaps/a", { "Content-Type": "application/merge-patch+json" }, '{"data":{"c":"d"}}');
    expect(json(patched)).toMatchObject({ data: { a: "b", c: "d" } });
    const deleted = await call("DELETE", "/api/v1/namespaces/default/configmaps/a", { "Content-Type": "application/json" }, '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}');
    expect(deleted.status).toBe(200);
    expect((await call("GET", "/api/v1/namespaces/default/configmaps/a")).status).toBe(404);
  });

  it("sends the core's warnings as Warning headers", async () => {
    const res = await call("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Warn", {}, configMap("w", { bogus: 1 }));
    expect(res.status).toBe(201);
    expect(res.headers.Warning).toEqual(['299 - "unknown field \\"bogus\\""']);
  });
});

describe("HttpApi: output negotiation", () => {
  beforeEach(async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("a"));
  });

  it("prints a Table for kubectl get, with every column and list metadata", async () => {
    const res = await call("GET", "/api/v1/namespaces/default/configmaps?includeObject=Object", { Accept: KUBECTL_GET_ACCEPT });
    expect(res.status).toBe(200);
    const table = json(res);
    expect(table).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    expect((table.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual(["Name", "Data", "Age"]);
    // A list's items carry no type; a Table row's object does (ConvertToVersion sets it).
    expect(table.rows).toMatchObject([{ cells: ["a", 1, "0s"], object: { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "a" } } }]);
    expect((table.metadata as { resourceVersion?: string }).resourceVersion).toMatch(/^\d+$/);
    const one = json(await call("GET", "/api/v1/namespaces/default/configmaps/a", { Accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io" }));
    expect(one).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1beta1", rows: [{ object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1beta1" } }] });
  });

  it("answers PartialObjectMetadataList for a list, YAML when asked, pretty JSON for curl", async () => {
    const partial = json(await call("GET", "/api/v1/namespaces/default/configmaps", { Accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" }));
    expect(partial).toMatchObject({ kind: "PartialObjectMetadataList", items: [{ kind: "PartialObjectMetadata", metadata: { name: "a" } }] });
    const yaml = await call("GET", "/api/v1/namespaces/default/configmaps/a", { Accept: "application/yaml" });
    expect(yaml.headers["Content-Type"]).toBe("application/yaml");
    expect(String(yaml.body)).toMatch(/^apiVersion: v1\ndata:\n {2}a: b\nkind: ConfigMap\n/);
    const curl = await call("GET", "/api/v1/namespaces/default/configmaps/a", { "User-Agent": "curl/8.5.0" });
    expect(String(curl.body)).toMatch(/^{\n {2}"/);
    expect(json(curl)).toMatchObject({ kind: "ConfigMap" });
  });

  it("answers 406 for an Accept it cannot satisfy, as indented JSON", async () => {
    const res = await call("GET", "/api/v1/namespaces/default/configmaps", { Accept: "text/html" });
    expect(res.status).toBe(406);
    expect(String(res.body)).toMatch(/^{\n {2}"kind": "Status"/);
    expect(json(res)).toMatchObject({ reason: "NotAcceptable", message: "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf" });
    // A watch in YAML: YAML cannot stream; the Status itself is still written in the YAML asked for.
    const watch = await call("GET", "/api/v1/namespaces/default/configmaps?watch=true", { Accept: "application/yaml" });
    expect(watch.status).toBe(406);
    expect(watch.headers["Content-Type"]).toBe("application/yaml");
    expect(String(watch.body)).toContain('message: "only the following media types are accepted: application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch"\n');
  });

  it("keeps error answers as Statuses in the negotiated serializer", async () => {
    const res = await call("GET", "/api/v1/namespaces/default/configmaps/missing", { Accept: KUBECTL_GET_ACCEPT });
    expect(res.status).toBe(404);
    expect(json(res)).toMatchObject({ kind: "Status", reason: "NotFound", message: 'configmaps "missing" not found' });
  });
});

describe("HttpApi: discovery and OpenAPI", () => {
  it("serves the aggregated document when kubectl asks for it, with an ETag it honours", async () => {
    const accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    const res = await call("GET", "/apis", { Accept: accept });
    expect(res.headers["Content-Type"]).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    expect(res.headers["Cache-Control"]).toBe("public");
    expect(json(res)).toMatchObject({ kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2" });
    const etag = res.headers.ETag as string;
    expect(etag).toMatch(/^"[0-9A-F]{128}"$/);
    expect((await call("GET", "/apis", { Accept: accept, "If-None-Match": etag })).status).toBe(304);
    const legacy = await call("GET", "/api");
    expect(json(legacy)).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    expect(legacy.headers["Cache-Control"]).toBe("no-cache, private");
    expect(json(await call("GET", "/api/v1"))).toMatchObject({ kind: "APIResourceList", groupVersion: "v1" });
    expect(json(await call("GET", "/apis/apps"))).toMatchObject({ kind: "APIGroup", name: "apps" });
  });

  it("serves OpenAPI v2 and v3 with ETags, hash redirects and immutable caching", async () => {
    const index = await call("GET", "/openapi/v3");
    const paths = json(index).paths as Record<string, { serverRelativeURL: string }>;
    const url = paths["apis/apps/v1"]!.serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await call("GET", url);
    expect(doc.status).toBe(200);
    expect(doc.headers["Cache-Control"]).toBe("public, immutable");
    expect(json(doc).openapi).toBe("3.0.0");
    expect((await call("GET", url, { "If-None-Match": doc.headers.ETag as string })).status).toBe(304);
    const stale = await call("GET", "/openapi/v3/apis/apps/v1?hash=OLD");
    expect([stale.status, stale.headers.Location]).toEqual([301, url]);
    expect((await call("GET", "/openapi/v3/apis/nope/v1")).status).toBe(404);
    const v2 = await call("GET", "/openapi/v2");
    expect([v2.status, v2.headers["Content-Type"]]).toEqual([200, "application/json"]);
    expect(json(v2).swagger).toBe("2.0");
    // kubectl before 1.28 asks for the protobuf form only; kube-openapi labels it octet-stream.
    const pb = await call("GET", "/openapi/v2", { Accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" });
    expect([pb.status, pb.headers["Content-Type"]]).toEqual([200, "application/octet-stream"]);
    expect(pb.body).toBeInstanceOf(Uint8Array);
    expect((await call("GET", "/openapi/v2", { Accept: "application/vnd.kubernetes.protobuf" })).status).toBe(406);
  });
});

/** A stream's lines, collected as the transport would write them. */
function collect(res: HttpResponse): { lines: string[]; ended: () => boolean } {
  if (res.kind !== "stream") throw new Error(`expected a stream, got ${res.status}: ${String(res.body)}`);
  const lines: string[] = [];
  let ended = false;
  (res as StreamResponse).attach({
    write: (chunk) => {
      lines.push(chunk);
      return true;
    },
    end: () => {
      ended = true;
    },
  });
  return { lines, ended: () => ended };
}

describe("HttpApi: watch", () => {
  it("streams newline-delimited watch events and ends at timeoutSeconds", async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("before"));
    const res = await api.handle({ method: "GET", url: "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=10", headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers["Content-Type"]).toBe("application/json");
    const out = collect(res);
    await t.sim.settle();
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("after"));
    await t.sim.settle();
    const events = out.lines.map((l) => JSON.parse(l) as { type: string; object: KubeObject });
    expect(out.lines.every((l) => l.endsWith("}\n"))).toBe(true);
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED before", "ADDED after"]);
    expect(out.ended()).toBe(false);
    await t.sim.runFor(10_000);
    expect(out.ended()).toBe(true);
  });

  it("streams Tables when asked, column definitions only in the first event", async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("a"));
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("b"));
    const out = collect(await api.handle({ method: "GET", url: "/api/v1/namespaces/default/configmaps?watch=1", headers: { ...AUTH, accept: KUBECTL_GET_ACCEPT } }));
    await t.sim.settle();
    const events = out.lines.map((l) => JSON.parse(l) as { type: string; object: { kind: string; columnDefinitions: unknown; rows: { cells: unknown[] }[] } });
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.object.kind)).toEqual(["Table", "Table"]);
    expect(events[0]!.object.columnDefinitions).not.toBeNull();
    expect(events[1]!.object.columnDefinitions).toBeNull();
    expect(events.map((e) => e.object.rows[0]!.cells[0])).toEqual(["a", "b"]);
  });

  it("watches one object through the legacy path, and answers a failing start as a plain response", async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("a"));
    await call("POST", "/api/v1/namespaces/default/configmaps", {}, configMap("b"));
    const out = collect(await api.handle({ method: "GET", url: "/api/v1/watch/namespaces/default/configmaps/b", headers: AUTH }));
    await t.sim.settle();
    expect(out.lines.map((l) => (JSON.parse(l) as { object: KubeObject }).object.metadata?.name)).toEqual(["b"]);
    const bad = await call("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=abc");
    expect(bad.status).toBe(400);
    expect((json(bad) as unknown as Status).kind).toBe("Status");
  });

  it("gives a watch without timeoutSeconds 30 to 60 minutes, as --min-request-timeout does", async () => {
    const out = collect(await api.handle({ method: "GET", url: "/api/v1/namespaces/default/configmaps?watch=true", headers: AUTH }));
    await t.sim.runFor(29 * 60_000);
    expect(out.ended()).toBe(false);
    await t.sim.runFor(31 * 60_000);
    expect(out.ended()).toBe(true);
  });
});
