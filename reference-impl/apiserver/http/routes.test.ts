import { describe, expect, it } from "vitest";
import { ResourceRegistry } from "../resources.ts";
import { type Route, isPublicPath, queryFlag, routeRequest, splitUrl } from "./routes.ts";

const registry = new ResourceRegistry();

function route(method: string, url: string): Route {
  const split = splitUrl(url);
  if ("error" in split) throw new Error(split.error);
  return routeRequest(method, split.path, split.query, registry);
}

/** The ApiRequest-relevant part of a resource route, or the route kind. */
function summary(method: string, url: string): unknown {
  const r = route(method, url);
  if (r.kind !== "resource") return r;
  const { verb, group, version, resource, namespace, name, subresource } = r;
  return Object.fromEntries(Object.entries({ verb, group, version, resource, namespace, name, subresource }).filter(([, v]) => v !== undefined));
}

describe("routeRequest: resource paths", () => {
  it.each([
    ["GET", "/api/v1/namespaces/default/pods", { verb: "list", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["GET", "/api/v1/namespaces/default/pods?watch=true", { verb: "watch", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["GET", "/api/v1/namespaces/default/pods?watch=1", { verb: "watch", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["GET", "/api/v1/namespaces/default/pods?watch=false", { verb: "list", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["GET", "/api/v1/namespaces/default/pods?watch=0", { verb: "list", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["POST", "/api/v1/namespaces/default/pods", { verb: "create", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["DELETE", "/api/v1/namespaces/default/pods", { verb: "deletecollection", group: "", version: "v1", resource: "pods", namespace: "default" }],
    ["GET", "/api/v1/namespaces/default/pods/web", { verb: "get", group: "", version: "v1", resource: "pods", namespace: "default", name: "web" }],
    ["PUT", "/api/v1/namespaces/default/pods/web", { verb: "update", group: "", version: "v1", resource: "pods", namespace: "default", name: "web" }],
    ["PATCH", "/api/v1/namespaces/default/pods/web", { verb: "patch", group: "", version: "v1", resource: "pods", namespace: "default", name: "web" }],
    ["DELETE", "/api/v1/namespaces/default/pods/web", { verb: "delete", group: "", version: "v1", resource: "pods", namespace: "default", name: "web" }],
    ["GET", "/api/v1/namespaces/default/pods/web/status", { verb: "get", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "status" }],
    ["PUT", "/api/v1/namespaces/default/pods/web/status", { verb: "update", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "status" }],
    ["PATCH", "/api/v1/namespaces/default/pods/web/status", { verb: "patch", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "status" }],
    ["POST", "/api/v1/namespaces/default/pods/web/binding", { verb: "create", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "binding" }],
    ["POST", "/api/v1/namespaces/default/pods/web/eviction", { verb: "create", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "eviction" }],
    ["GET", "/api/v1/namespaces/default/pods/web/log", { verb: "get", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "log" }],
    // A namespaced kind across all namespaces.
    ["GET", "/api/v1/pods", { verb: "list", group: "", version: "v1", resource: "pods" }],
    ["GET", "/api/v1/pods?watch=true", { verb: "watch", group: "", version: "v1", resource: "pods" }],
    // Cluster-scoped kinds.
    ["GET", "/api/v1/nodes", { verb: "list", group: "", version: "v1", resource: "nodes" }],
    ["POST", "/api/v1/nodes", { verb: "create", group: "", version: "v1", resource: "nodes" }],
    ["GET", "/api/v1/nodes/n1", { verb: "get", group: "", version: "v1", resource: "nodes", name: "n1" }],
    ["PATCH", "/api/v1/nodes/n1/status", { verb: "patch", group: "", version: "v1", resource: "nodes", name: "n1", subresource: "status" }],
    // Namespaces themselves, their status and finalize.
    ["GET", "/api/v1/namespaces", { verb: "list", group: "", version: "v1", resource: "namespaces" }],
    ["POST", "/api/v1/namespaces", { verb: "create", group: "", version: "v1", resource: "namespaces" }],
    ["GET", "/api/v1/namespaces/demo", { verb: "get", group: "", version: "v1", resource: "namespaces", name: "demo" }],
    ["DELETE", "/api/v1/namespaces/demo", { verb: "delete", group: "", version: "v1", resource: "namespaces", name: "demo" }],
    ["PUT", "/api/v1/namespaces/demo/status", { verb: "update", group: "", version: "v1", resource: "namespaces", name: "demo", subresource: "status" }],
    ["PUT", "/api/v1/namespaces/demo/finalize", { verb: "update", group: "", version: "v1", resource: "namespaces", name: "demo", subresource: "finalize" }],
    // Named groups.
    ["GET", "/apis/apps/v1/namespaces/ns/deployments", { verb: "list", group: "apps", version: "v1", resource: "deployments", namespace: "ns" }],
    ["PUT", "/apis/apps/v1/namespaces/ns/deployments/d/scale", { verb: "update", group: "apps", version: "v1", resource: "deployments", namespace: "ns", name: "d", subresource: "scale" }],
    ["GET", "/apis/scheduling.k8s.io/v1/priorityclasses/high", { verb: "get", group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses", name: "high" }],
    ["GET", "/apis/events.k8s.io/v1/events", { verb: "list", group: "events.k8s.io", version: "v1", resource: "events" }],
    // One trailing slash is tolerated, as go-restful does.
    ["GET", "/api/v1/namespaces/default/pods/", { verb: "list", group: "", version: "v1", resource: "pods", namespace: "default" }],
    // Percent-encoded segments are decoded.
    ["GET", "/api/v1/namespaces/default/configmaps/a%2Eb", { verb: "get", group: "", version: "v1", resource: "configmaps", namespace: "default", name: "a.b" }],
  ])("%s %s", (method, url, expected) => {
    expect(summary(method, url)).toEqual(expected);
  });

  it("maps the legacy /watch/ paths to watches; one object through a metadata.name field selector", () => {
    expect(summary("GET", "/api/v1/watch/namespaces/default/pods")).toEqual({ verb: "watch", group: "", version: "v1", resource: "pods", namespace: "default" });
    expect(summary("GET", "/api/v1/watch/pods")).toEqual({ verb: "watch", group: "", version: "v1", resource: "pods" });
    const one = route("GET", "/api/v1/watch/namespaces/default/pods/web?resourceVersion=5");
    expect(one).toMatchObject({ kind: "resource", verb: "watch", namespace: "default", query: { fieldSelector: "metadata.name=web", resourceVersion: "5" } });
    expect(one.kind === "resource" ? one.name : "not a resource").toBeUndefined();
    expect(route("GET", "/api/v1/watch/namespaces/default/pods/web?fieldSelector=metadata.name%3Dweb")).toMatchObject({ query: { fieldSelector: "metadata.name=web" } });
    expect(route("GET", "/api/v1/watch/namespaces/default/pods/web?fieldSelector=metadata.name%3Dother")).toEqual({
      kind: "badRequest",
      message: "fieldSelector metadata.name doesn't match requested name",
    });
    expect(route("POST", "/api/v1/watch/pods")).toEqual({ kind: "methodNotAllowed", allow: ["GET"] });
    expect(route("GET", "/api/v1/watch/namespaces/default/pods/web/status")).toEqual({ kind: "notFound", goRestful: true });
  });

  it("answers 405 for a path that has routes, none for the method", () => {
    expect(route("PUT", "/api/v1/namespaces/default/pods")).toEqual({ kind: "methodNotAllowed", allow: ["GET", "POST", "DELETE"] });
    expect(route("POST", "/api/v1/namespaces/default/pods/web")).toEqual({ kind: "methodNotAllowed", allow: ["GET", "PUT", "PATCH", "DELETE"] });
    expect(route("DELETE", "/api/v1/namespaces")).toEqual({ kind: "methodNotAllowed", allow: ["GET", "POST"] });
    expect(route("POST", "/api/v1/pods")).toEqual({ kind: "methodNotAllowed", allow: ["GET"] });
    expect(route("DELETE", "/api/v1/namespaces/default/pods/web/status")).toEqual({ kind: "methodNotAllowed", allow: ["GET", "PUT", "PATCH"] });
    expect(route("GET", "/api/v1/namespaces/default/pods/web/binding")).toEqual({ kind: "methodNotAllowed", allow: ["POST"] });
    expect(route("HEAD", "/api/v1/namespaces/default/pods")).toMatchObject({ kind: "methodNotAllowed" });
    expect(route("POST", "/api")).toEqual({ kind: "methodNotAllowed", allow: ["GET"] });
    expect(route("POST", "/version")).toEqual({ kind: "methodNotAllowed", allow: ["GET"] });
  });

  it.each([
    ["/api/v1/namespaces/default/widgets", true],
    ["/api/v1/namespaces/default/pods/web/nonsense", true],
    ["/api/v1/namespaces/default/pods/web/status/extra", true],
    ["/api/v1/pods/web", true],
    ["/api/v1/namespaces/default/nodes", true],
    ["/api/v2/pods", true],
    ["/apis/apps/v2/deployments", true],
    ["/apis/apps/v1/namespaces", true],
    ["/apis/widgets.example.com/v1/things", false],
    ["/apis/widgets.example.com", false],
    ["/nonsense", false],
    ["/api/v1//pods", true],
  ])("answers 404 for %s (go-restful: %s)", (url, goRestful) => {
    expect(route("GET", url)).toEqual({ kind: "notFound", goRestful });
  });
});

describe("routeRequest: the other endpoints", () => {
  it.each([
    ["/api", { kind: "discovery", doc: "apiVersions" }],
    ["/apis", { kind: "discovery", doc: "apiGroupList" }],
    ["/apis/apps", { kind: "discovery", doc: "apiGroup", group: "apps" }],
    ["/api/v1", { kind: "discovery", doc: "apiResourceList", group: "", version: "v1" }],
    ["/apis/apps/v1", { kind: "discovery", doc: "apiResourceList", group: "apps", version: "v1" }],
    ["/apis/apps/v1/", { kind: "discovery", doc: "apiResourceList", group: "apps", version: "v1" }],
    ["/version", { kind: "version" }],
    ["/healthz", { kind: "health", endpoint: "healthz" }],
    ["/readyz/etcd", { kind: "health", endpoint: "readyz", check: "etcd" }],
    ["/livez", { kind: "health", endpoint: "livez" }],
    ["/openapi/v2", { kind: "openapiV2" }],
    ["/openapi/v3", { kind: "openapiV3Index" }],
    ["/openapi/v3/apis/apps/v1", { kind: "openapiV3", gvPath: "apis/apps/v1" }],
    ["/", { kind: "root" }],
  ])("GET %s", (url, expected) => {
    expect(route("GET", url)).toEqual(expected);
  });

  it("knows the paths that answer without authentication", () => {
    expect(["/healthz", "/livez", "/readyz", "/readyz/etcd", "/version"].every(isPublicPath)).toBe(true);
    expect(["/api", "/apis", "/openapi/v2", "/", "/versions", "/healthzz"].some(isPublicPath)).toBe(false);
  });
});

describe("splitUrl and queryFlag", () => {
  it("decodes the path, keeps the first value of a repeated parameter, drops undecodable pairs", () => {
    expect(splitUrl("/api/v1/namespaces/a%20b/pods?labelSelector=app%3Dweb&limit=5&limit=6&bad=%zz&x+y=1+2")).toEqual({
      path: "/api/v1/namespaces/a b/pods",
      query: { labelSelector: "app=web", limit: "5", "x y": "1 2" },
    });
    expect(splitUrl("/api/%zz")).toEqual({ error: 'invalid URL escape "%zz"' });
    expect(splitUrl("/a?__proto__=1").valueOf()).toMatchObject({ query: { ["__proto__"]: "1" } });
  });

  it("reads boolean list options as upstream's parameter codec: anything but false/0 is true", () => {
    expect([undefined, "0", "false", "False", "FALSE"].map(queryFlag)).toEqual([false, false, false, false, false]);
    expect(["true", "1", "", "yes", "t"].map(queryFlag)).toEqual([true, true, true, true, true]);
  });
});
