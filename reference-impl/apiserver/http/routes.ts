// The REST paths of kube-apiserver mapped onto the transport-independent ApiRequest, as its API
// installer registers them (k8s.io/apiserver/pkg/endpoints/installer.go):
//   /api/v1/...  and  /apis/{group}/{version}/...
//   namespaced:      namespaces/{ns}/{resource}            GET list|watch, POST create, DELETE deletecollection
//                    namespaces/{ns}/{resource}/{name}     GET get, PUT update, PATCH patch, DELETE delete
//                    namespaces/{ns}/{resource}/{name}/{subresource}
//                    {resource}                            GET list|watch across namespaces
//   cluster-scoped:  {resource}, {resource}/{name}, {resource}/{name}/{subresource}
//   deprecated:      watch/... of each list and item path (GET only)
// plus discovery, /version, health checks and OpenAPI. A path that no route claims is a 404; a path
// with routes but none for the method is a 405 (go-restful's answers). Pure: no I/O.
import { FieldSelectorError, oneTermEqualSelector, parseFieldSelector } from "../../../spec/semantics/fields.ts";
import type { Verb } from "../request.ts";
import { type ResourceInfo, type ResourceRegistry, subresourceOf } from "../resources.ts";

/** The request a resource route makes, before the body, user and headers are added. */
export interface ResourceRoute {
  kind: "resource";
  info: ResourceInfo;
  verb: Verb;
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: Record<string, string>;
  /** Whether the endpoint's storage prints Tables (main resources and status/scale). */
  tableAllowed: boolean;
}

export type DiscoveryDoc =
  | { doc: "apiVersions" }
  | { doc: "apiGroupList" }
  | { doc: "apiGroup"; group: string }
  | { doc: "apiResourceList"; group: string; version: string };

export type HealthCheck = "healthz" | "livez" | "readyz";

export type Route =
  | ResourceRoute
  | ({ kind: "discovery" } & DiscoveryDoc)
  | { kind: "root" }
  | { kind: "version" }
  | { kind: "health"; endpoint: HealthCheck; check?: string }
  | { kind: "openapiV2" }
  | { kind: "openapiV3Index" }
  | { kind: "openapiV3"; gvPath: string }
  /** `goRestful`: the path is under a served API prefix (go-restful answers with details {}). */
  | { kind: "notFound"; goRestful: boolean }
  | { kind: "methodNotAllowed"; allow: string[] }
  | { kind: "badRequest"; message: string };

/** Paths that answer without authentication (upstream's system:public-info-viewer). */
export const PUBLIC_PATHS: readonly string[] = ["/healthz", "/livez", "/readyz", "/version"];

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Splits `/path?query` into the decoded path and the query (first value of each key, as Go's Get). */
export function splitUrl(url: string): { path: string; query: Record<string, string> } | { error: string } {
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2})[\s\S]{0,2}/.exec(rawPath)?.[0] ?? rawPath;
    return { error: `invalid URL escape ${JSON.stringify(bad)}` };
  }
  const query: Record<string, string> = {};
  // url.ParseQuery drops pairs it cannot decode; Values.Get takes the first value.
  for (const pair of rawQuery.split("&")) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? "" : pair.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(k.replaceAll("+", " "));
      value = decodeURIComponent(v.replaceAll("+", " "));
    } catch {
      continue;
    }
    if (!Object.hasOwn(query, key)) setEntry(query, key, value);
  }
  return { path, query };
}

function setEntry(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** strconv-free bool of a list option (runtime.Convert_Slice_string_To_bool): all but "0"/"false". */
export function queryFlag(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value !== "0" && value.toLowerCase() !== "false";
}

/** Routes a request. `path` is decoded; `query` holds the first value of each parameter. */
export function routeRequest(method: string, path: string, query: Record<string, string>, registry: ResourceRegistry): Route {
  const segments = path.split("/");
  if (segments[0] !== "" || path === "") return { kind: "notFound", goRestful: false };
  // go-restful tolerates one trailing slash (its route expressions end in `(/.*)?` with "" or "/").
  const parts = segments.slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (path === "/") return onlyGet(method, { kind: "root" }, false);

  const head = parts[0];
  if (head === "version" && parts.length === 1) return onlyGet(method, { kind: "version" }, true);
  if (head === "healthz" || head === "livez" || head === "readyz") {
    if (parts.length === 1) return { kind: "health", endpoint: head };
    if (parts.length === 2 && parts[1] !== "") return { kind: "health", endpoint: head, check: parts[1]! };
    return { kind: "notFound", goRestful: false };
  }
  if (head === "openapi") return openapiRoute(parts);
  if (head === "api") return coreRoute(method, parts.slice(1), query, registry);
  if (head === "apis") return groupsRoute(method, parts.slice(1), query, registry);
  return { kind: "notFound", goRestful: false };
}

function openapiRoute(parts: string[]): Route {
  if (parts.length === 2 && parts[1] === "v2") return { kind: "openapiV2" };
  if (parts.length === 2 && parts[1] === "v3") return { kind: "openapiV3Index" };
  if (parts.length > 2 && parts[1] === "v3") return { kind: "openapiV3", gvPath: parts.slice(2).join("/") };
  return { kind: "notFound", goRestful: false };
}

function onlyGet(method: string, route: Route, goRestful: boolean): Route {
  if (method === "GET") return route;
  // Non-go-restful handlers (the root listing) answer any method.
  return goRestful ? { kind: "methodNotAllowed", allow: ["GET"] } : route;
}

/** Served group-versions in the registry. */
function servesVersion(registry: ResourceRegistry, group: string, version: string): boolean {
  return registry.all.some((r) => r.group === group && r.version === version);
}

function servesGroup(registry: ResourceRegistry, group: string): boolean {
  return registry.all.some((r) => r.group === group);
}

function coreRoute(method: string, rest: string[], query: Record<string, string>, registry: ResourceRegistry): Route {
  if (rest.length === 0) return onlyGet(method, { kind: "discovery", doc: "apiVersions" }, true);
  const version = rest[0]!;
  if (!servesVersion(registry, "", version)) return { kind: "notFound", goRestful: true };
  return groupVersionRoute(method, "", version, rest.slice(1), query, registry);
}

function groupsRoute(method: string, rest: string[], query: Record<string, string>, registry: ResourceRegistry): Route {
  if (rest.length === 0) return onlyGet(method, { kind: "discovery", doc: "apiGroupList" }, true);
  const group = rest[0]!;
  if (group === "" || !servesGroup(registry, group)) return { kind: "notFound", goRestful: false };
  if (rest.length === 1) return onlyGet(method, { kind: "discovery", doc: "apiGroup", group }, true);
  const version = rest[1]!;
  if (!servesVersion(registry, group, version)) return { kind: "notFound", goRestful: true };
  return groupVersionRoute(method, group, version, rest.slice(2), query, registry);
}

const notFound: Route = { kind: "notFound", goRestful: true };

/** A path below /api/{v} or /apis/{g}/{v}. */
function groupVersionRoute(method: string, group: string, version: string, rest: string[], query: Record<string, string>, registry: ResourceRegistry): Route {
  if (rest.length === 0) return onlyGet(method, { kind: "discovery", doc: "apiResourceList", group, version }, true);
  const legacyWatch = rest[0] === "watch";
  const parts = legacyWatch ? rest.slice(1) : rest;
  if (parts.length === 0 || parts.some((p) => p === "")) return notFound;
  const lookup = (resource: string): ResourceInfo | undefined => registry.lookup(group, version, resource);

  let info: ResourceInfo | undefined;
  let namespace: string | undefined;
  let tail: string[];
  if (parts[0] === "namespaces" && parts.length >= 3 && lookup(parts[2]!)?.namespaced === true) {
    namespace = parts[1]!;
    info = lookup(parts[2]!)!;
    tail = parts.slice(3);
  } else {
    info = lookup(parts[0]!);
    if (info === undefined) return notFound;
    tail = parts.slice(1);
    // A namespaced kind without a namespace segment: only the list across all namespaces.
    if (info.namespaced && tail.length > 0) return notFound;
  }
  if (tail.length > 2) return notFound;
  const allNamespaces = info.namespaced && namespace === undefined;
  const base = { info, group, version, resource: info.resource, query, tableAllowed: true };
  const withNs = namespace === undefined ? base : { ...base, namespace };

  if (legacyWatch) {
    if (tail.length === 2) return notFound;
    if (!info.verbs.includes("watch") || (tail.length === 0 && !info.verbs.includes("list"))) return notFound;
    if (method !== "GET") return { kind: "methodNotAllowed", allow: ["GET"] };
    if (tail.length === 0) return { kind: "resource", ...withNs, verb: "watch" };
    const selected = watchOneQuery(query, tail[0]!);
    return "error" in selected ? { kind: "badRequest", message: selected.error } : { kind: "resource", ...withNs, verb: "watch", query: selected.query };
  }

  if (tail.length === 0) {
    // The collection: list/watch, create, deletecollection (across namespaces: list/watch only).
    const methods: Record<string, Verb | undefined> = allNamespaces
      ? { GET: listOrWatch(info, query) }
      : { GET: listOrWatch(info, query), POST: has(info, "create"), DELETE: has(info, "deletecollection") };
    return pick(method, methods, (verb) => ({ kind: "resource", ...withNs, verb }));
  }
  const name = tail[0]!;
  if (tail.length === 1) {
    const methods: Record<string, Verb | undefined> = {
      GET: has(info, "get"),
      PUT: has(info, "update"),
      PATCH: has(info, "patch"),
      DELETE: has(info, "delete"),
    };
    return pick(method, methods, (verb) => ({ kind: "resource", ...withNs, verb, name }));
  }
  const subresource = tail[1]!;
  const sub = subresourceOf(info, subresource);
  if (sub === undefined) return notFound;
  const verbs = sub.verbs as readonly string[];
  const methods: Record<string, Verb | undefined> = {
    GET: verbs.includes("get") ? "get" : undefined,
    POST: verbs.includes("create") ? "create" : undefined,
    PUT: verbs.includes("update") ? "update" : undefined,
    PATCH: verbs.includes("patch") ? "patch" : undefined,
  };
  const tableAllowed = subresource === "status" || subresource === "scale";
  return pick(method, methods, (verb) => ({ kind: "resource", ...withNs, verb, name, subresource, tableAllowed }));
}

/**
 * A watch of one object (`watch/.../{name}`) is a watch of the collection filtered to metadata.name
 * (ListResource with a name): a given fieldSelector must require exactly that name.
 */
function watchOneQuery(query: Record<string, string>, name: string): { query: Record<string, string> } | { error: string } {
  const given = query.fieldSelector ?? "";
  if (given === "") return { query: { ...query, fieldSelector: oneTermEqualSelector("metadata.name", name).toString() } };
  let selector;
  try {
    selector = parseFieldSelector(given);
  } catch (err) {
    // The core reports the malformed selector as it does for any list.
    if (err instanceof FieldSelectorError) return { query };
    throw err;
  }
  if (selector.empty()) return { query: { ...query, fieldSelector: oneTermEqualSelector("metadata.name", name).toString() } };
  if (selector.requiresExactMatch("metadata.name") !== name) return { error: "fieldSelector metadata.name doesn't match requested name" };
  return { query };
}

function has(info: ResourceInfo, verb: Verb): Verb | undefined {
  return (info.verbs as readonly string[]).includes(verb) ? verb : undefined;
}

/** GET on a collection: a watch when ?watch is set to anything but false/0 (ListOptions.Watch). */
function listOrWatch(info: ResourceInfo, query: Record<string, string>): Verb | undefined {
  if (!(info.verbs as readonly string[]).includes("list")) return undefined;
  return queryFlag(query.watch) && (info.verbs as readonly string[]).includes("watch") ? "watch" : "list";
}

function pick(method: string, methods: Record<string, Verb | undefined>, make: (verb: Verb) => Route): Route {
  const verb = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (verb !== undefined) return make(verb);
  const allow = Object.entries(methods)
    .filter(([, v]) => v !== undefined)
    .map(([m]) => m);
  // A path whose routes all went away is not a path at all.
  return allow.length === 0 ? notFound : { kind: "methodNotAllowed", allow };
}
