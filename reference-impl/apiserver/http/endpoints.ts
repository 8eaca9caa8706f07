// The endpoints beside the resources: discovery (legacy and aggregated), /version, the health checks
// and OpenAPI (k8s.io/kube-openapi handler and handler3: ETags, If-None-Match, `?hash=` redirects and
// immutable caching). Pure: the time for Expires/Last-Modified comes from the caller.
import { createHash } from "node:crypto";
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE, OPENAPI_V2_PROTOBUF_SUBTYPES, type OpenApiDocuments, type SerializedDocument, type SerializedProtobuf } from "../openapi/index.ts";
import type { ResourceRegistry } from "../resources.ts";
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, rootPaths } from "./discovery.ts";
import { encodeObject } from "./encode.ts";
import { AGGREGATED_DISCOVERY_GROUP, AGGREGATED_DISCOVERY_KIND, DEFAULT_RESTRICTIONS, DISCOVERY_RESTRICTIONS, type AcceptClause, isPrettyPrint, negotiate, parseAccept, responseMediaType } from "./media.ts";
import { type CompleteResponse, type RequestView, complete, errorResponse, plainNotFound, rawJson, textResponse } from "./responses.ts";
import type { DiscoveryDoc, HealthCheck } from "./routes.ts";
import { notAcceptable, pathNotFound } from "./statuses.ts";
import type { VersionInfo } from "./version.ts";

/** fmt.Sprintf("%X", sha512.Sum512(data)). */
export function sha512Hex(text: string): string {
  return createHash("sha512").update(text).digest("hex").toUpperCase();
}

/** A discovery document through WriteObjectNegotiated (JSON or YAML, pretty when asked). */
function negotiatedDocument(doc: unknown, req: RequestView): CompleteResponse {
  const nego = negotiate(req.accept, DEFAULT_RESTRICTIONS);
  if (nego === undefined) return errorResponse(notAcceptable(), req);
  const pretty = nego.pretty || isPrettyPrint(req.query, req.userAgent);
  return complete(200, { "Content-Type": responseMediaType(nego.serializer) }, encodeObject(doc, nego.serializer, pretty));
}

export interface DiscoveryRequest extends RequestView {
  ifNoneMatch: string | undefined;
}

/** /api, /apis, /apis/{g}, /api/v1, /apis/{g}/{v}. */
export function serveDiscovery(registry: ResourceRegistry, doc: DiscoveryDoc, serverAddress: string, req: DiscoveryRequest): CompleteResponse {
  switch (doc.doc) {
    case "apiVersions":
    case "apiGroupList": {
      const aggregated = negotiate(req.accept, DISCOVERY_RESTRICTIONS);
      if (aggregated?.convert !== undefined) return serveAggregated(registry, doc.doc === "apiVersions" ? "api" : "apis", aggregated.convert.version, aggregated.serializer, req);
      return negotiatedDocument(doc.doc === "apiVersions" ? apiVersions(registry, serverAddress) : apiGroupList(registry), req);
    }
    case "apiGroup": {
      const group = apiGroup(registry, doc.group);
      return group === undefined ? errorResponse(pathNotFound(false), req) : negotiatedDocument(group, req);
    }
    case "apiResourceList": {
      const list = apiResourceList(registry, doc.group, doc.version);
      return list === undefined ? errorResponse(pathNotFound(true), req) : negotiatedDocument(list, req);
    }
  }
}

/** The aggregated handler's ServeHTTPWithETag: ETag of the items, 304 on If-None-Match. */
function serveAggregated(
  registry: ResourceRegistry,
  root: "api" | "apis",
  version: string,
  serializer: "json" | "yaml" | "protobuf",
  req: DiscoveryRequest,
): CompleteResponse {
  const doc = aggregatedDiscovery(registry, root, version === "v2beta1" ? "v2beta1" : "v2");
  const etag = JSON.stringify(sha512Hex(JSON.stringify(doc.items)));
  const headers = { ETag: etag, Vary: "Accept", "Cache-Control": "public" };
  if (req.ifNoneMatch === etag) return complete(304, headers, "");
  const mediaType = `${responseMediaType(serializer)};g=${AGGREGATED_DISCOVERY_GROUP};v=${version};as=${AGGREGATED_DISCOVERY_KIND}`;
  const pretty = isPrettyPrint(req.query, req.userAgent);
  return complete(200, { ...headers, "Content-Type": mediaType }, encodeObject(doc, serializer, pretty));
}

/** GET /version: WriteRawJSON (always indented). */
export function serveVersion(info: VersionInfo): CompleteResponse {
  return rawJson(200, info);
}

/** GET /: the paths the server serves (WriteRawJSON). */
export function serveRoot(registry: ResourceRegistry): CompleteResponse {
  return rawJson(200, rootPaths(registry));
}

/** One health check's outcome; `error` stays in the server's log, never in the answer. */
export interface HealthCheckResult {
  name: string;
  error?: string;
}

/** /healthz, /livez, /readyz (handleRootHealth) and /<endpoint>/<check>. */
export function serveHealth(endpoint: HealthCheck, check: string | undefined, results: readonly HealthCheckResult[], query: Readonly<Record<string, string>>): CompleteResponse {
  if (check !== undefined) {
    const one = results.find((r) => r.name === check);
    if (one === undefined) return plainNotFound();
    return one.error === undefined ? textResponse(200, "ok") : textResponse(500, `internal server error: ${one.error}\n`);
  }
  const lines = results.map((r) => (r.error === undefined ? `[+]${r.name} ok\n` : `[-]${r.name} failed: reason withheld\n`));
  // Always verbose on failure (http.Error adds the newline).
  if (results.some((r) => r.error !== undefined)) return textResponse(500, `${lines.join("")}${endpoint} check failed\n`);
  if (!Object.hasOwn(query, "verbose")) return textResponse(200, "ok");
  return textResponse(200, `${lines.join("")}${endpoint} check passed\n`);
}

export interface OpenApiRequest {
  accept: string | undefined;
  ifNoneMatch: string | undefined;
  query: Readonly<Record<string, string>>;
  /** The time the documents were built (Last-Modified) and the time now (Expires), in ms. */
  lastModifiedMs: number;
  nowMs: number;
}

const isJson = (c: AcceptClause): boolean => (c.type === "application" || c.type === "*") && (c.subType === "json" || c.subType === "*");
const isV2Protobuf = (c: AcceptClause): boolean => c.type === "application" && OPENAPI_V2_PROTOBUF_SUBTYPES.includes(c.subType);

/** kube-openapi serves JSON and protobuf; v3 here as JSON only (a protobuf-only Accept gets 406). */
function acceptsJson(accept: string | undefined): boolean {
  return acceptClauses(accept).some(isJson);
}

function acceptClauses(accept: string | undefined): AcceptClause[] {
  return parseAccept(accept === undefined || accept === "" ? "*/*" : accept);
}

function serveDocument(doc: SerializedDocument | SerializedProtobuf, req: OpenApiRequest, extra: Record<string, string>): CompleteResponse {
  const etag = JSON.stringify(doc.hash);
  const contentType = "json" in doc ? "application/json" : OPENAPI_V2_PROTOBUF_CONTENT_TYPE;
  const headers = { "Content-Type": contentType, ETag: etag, Vary: "Accept", "Last-Modified": new Date(req.lastModifiedMs).toUTCString(), ...extra };
  // http.ServeContent answers a matching If-None-Match with 304 and no body.
  if (req.ifNoneMatch !== undefined && req.ifNoneMatch.split(",").some((t) => t.trim() === etag || t.trim() === "*")) {
    return complete(304, headers, "");
  }
  return complete(200, headers, "json" in doc ? doc.json : doc.bytes);
}

/** GET /openapi/v2: JSON or protobuf, the client's first acceptable choice (kubectl < 1.28 asks for protobuf only). */
export function serveOpenApiV2(docs: OpenApiDocuments, req: OpenApiRequest): CompleteResponse {
  const choice = acceptClauses(req.accept).find((c) => isJson(c) || isV2Protobuf(c));
  if (choice === undefined) return complete(406, { Vary: "Accept" }, "");
  return serveDocument(isV2Protobuf(choice) ? docs.v2Protobuf() : docs.v2(), req, {});
}

/** GET /openapi/v3: the index of group-version documents. */
export function serveOpenApiV3Index(docs: OpenApiDocuments, req: OpenApiRequest): CompleteResponse {
  const json = JSON.stringify(docs.v3Index());
  return serveDocument({ json, hash: sha512Hex(json) }, req, {});
}

/** GET /openapi/v3/<gv>[?hash=]: a wrong hash redirects to the current one; a right one is immutable. */
export function serveOpenApiV3(docs: OpenApiDocuments, gvPath: string, req: OpenApiRequest): CompleteResponse {
  if (!acceptsJson(req.accept)) return complete(406, { Vary: "Accept" }, "");
  const doc = docs.v3(gvPath);
  if (doc === undefined) return plainNotFound();
  const hash = req.query.hash ?? "";
  if (hash === "") return serveDocument(doc, req, {});
  if (hash !== doc.hash) {
    const location = `/openapi/v3/${gvPath}?hash=${doc.hash}`;
    return complete(301, { Location: location, "Content-Type": "text/html; charset=utf-8" }, `<a href="${location}">Moved Permanently</a>.\n\n`);
  }
  const expires = new Date(req.nowMs + 365 * 24 * 3600 * 1000).toUTCString();
  return serveDocument(doc, req, { "Cache-Control": "public, immutable", Expires: expires });
}
