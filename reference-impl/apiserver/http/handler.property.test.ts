// Bad input never makes the HTTP layer answer 5xx or throw: random methods, paths, queries, content
// types, Accept headers and bodies against the server in virtual time.
import { fc, test } from "@fast-check/vitest";
import { beforeAll, expect } from "vitest";
import { OpenApiDocuments } from "../openapi/index.ts";
import { ResourceRegistry } from "../resources.ts";
import { type TestServer, startTestServer } from "../testing.ts";
import { TokenAuthenticator } from "./auth.ts";
import { servedGroupVersions } from "./discovery.ts";
import { HttpApi } from "./handler.ts";
import { versionInfo } from "./version.ts";

const registry = new ResourceRegistry();
let t: TestServer;
let api: HttpApi;

beforeAll(async () => {
  t = await startTestServer();
  api = new HttpApi({
    core: t.server,
    registry,
    clock: t.sim.clock,
    rng: t.sim.rng("http"),
    authenticator: new TokenAuthenticator([{ token: "t", user: "admin" }]),
    serverAddress: "127.0.0.1:6443",
    openapi: new OpenApiDocuments(servedGroupVersions(registry)),
    version: versionInfo("linux/amd64", "node"),
  });
});

const segment = fc.oneof(
  fc.constantFrom("api", "apis", "v1", "apps", "namespaces", "default", "pods", "configmaps", "nodes", "status", "scale", "watch", "deployments", "x", "", "..", "%2F", "%zz"),
  fc.string({ maxLength: 6 }),
);
const randomPath = fc.array(segment, { maxLength: 7 }).map((s) => `/${s.join("/")}`);
/** Paths that reach the core, so bodies and queries are read rather than refused at routing. */
const servedPath = fc.constantFrom(
  "/api/v1/namespaces/default/configmaps",
  "/api/v1/namespaces/default/configmaps/x",
  "/api/v1/namespaces/default/pods/p/status",
  "/api/v1/namespaces/default/pods/p/binding",
  "/api/v1/namespaces/default/pods/p/eviction",
  "/apis/apps/v1/namespaces/default/deployments/d/scale",
  "/apis/apps/v1/namespaces/default/deployments",
  "/api/v1/nodes/n",
  "/api/v1/namespaces/x",
  "/api/v1/namespaces/x/finalize",
  "/api/v1/watch/namespaces/default/configmaps/x",
  "/api/v1/configmaps",
  "/apis/events.k8s.io/v1/namespaces/default/events",
  "/openapi/v3/api/v1",
  "/api",
  "/apis",
);
const path = fc.oneof({ arbitrary: servedPath, weight: 3 }, { arbitrary: randomPath, weight: 1 });
const query = fc.array(
  fc.tuple(
    fc.constantFrom("watch", "labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "timeoutSeconds", "dryRun", "fieldValidation", "includeObject", "pretty", "hash"),
    fc.oneof(fc.constantFrom("true", "0", "1", "a=b", "abc", "-1", "All", "Strict", "Object"), fc.string({ maxLength: 8 })),
  ),
  { maxLength: 4 },
).map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&"));
const contentType = fc.constantFrom(
  undefined,
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
  "text/plain",
  ";;",
);
const accept = fc.constantFrom(undefined, "application/json", "application/yaml", "*/*", "text/html", "application/json;as=Table;v=v1;g=meta.k8s.io", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", "a;b=c,,");
const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 64 }),
  fc.json().map((s) => new TextEncoder().encode(s)),
  fc.constantFrom('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}', '[{"op":"add","path":"/x","value":1}]', "a: b: c", "k8s\u0000\n\u0003").map((s) => new TextEncoder().encode(s)),
);

test.prop([fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"), path, query, contentType, accept, body], { numRuns: 500 })(
  "answers any request without a 5xx",
  async (method, p, q, ct, acc, b) => {
    const headers: Record<string, string | undefined> = { authorization: "Bearer t", "content-type": ct, accept: acc };
    const res = await api.handle({ method, url: q === "" ? p : `${p}?${q}`, headers, ...(b === undefined ? {} : { body: b }) });
    if (res.kind === "stream") res.stop();
    expect(res.status, `${method} ${p}?${q} (${ct}, ${acc}): ${res.kind === "complete" ? String(res.body).slice(0, 300) : "stream"}`).toBeLessThan(500);
  },
);
