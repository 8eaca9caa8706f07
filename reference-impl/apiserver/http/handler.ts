// The HTTP layer of the API server without the sockets: a request (method, URL, headers, body bytes)
// in, a response (or a watch stream) out. It authenticates, routes the REST path, negotiates the
// media types, decodes the body, calls the transport-independent core (ApiServer.handle/watch) and
// encodes its answer, applying the Accept conversions (Table, PartialObjectMetadata) itself, for
// single answers and for every watch event alike. Live code (live/http-server.ts) feeds it from
// node:http; it only reads time from the Clock, so it runs in simulation too.
//
// The order of checks follows upstream's handlers, so a request with several faults gets the
// answer kube-apiserver gives: authentication (401), route (404/405), a PATCH's Content-Type (415,
// go-restful), Accept (406), a body's Content-Type (415), its size (413), its syntax (400).
import type { KubeObject, Status, WatchEvent } from "../../../spec/interfaces/api-client.ts";
import type { Clock } from "../../../spec/interfaces/clock.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";
import { badRequest, qualifiedKind, requestEntityTooLarge, statusFromError } from "../errors.ts";
import type { OpenApiDocuments } from "../openapi/index.ts";
import { groupKindOf } from "../printers/index.ts";
import type { ApiRequest, ApiResponse, WatchResponse, WatchSink } from "../request.ts";
import { type ResourceRegistry, apiVersionOf } from "../resources.ts";
import type { TokenAuthenticator } from "./auth.ts";
import { type BodyPurpose, MAX_REQUEST_BODY_BYTES, decodeBody } from "./body.ts";
import { encodeJson, encodeObject, warningHeaders } from "./encode.ts";
import {
  type HealthCheckResult,
  serveDiscovery,
  serveHealth,
  serveOpenApiV2,
  serveOpenApiV3,
  serveOpenApiV3Index,
  serveRoot,
  serveVersion,
} from "./endpoints.ts";
import { type Negotiated, inputSerializer, isPrettyPrint, negotiate, patchContentTypeMatches, resourceRestrictions, responseMediaType } from "./media.ts";
import { type HttpResponse, type RequestView, type ResponseHeaders, type StreamOutput, complete, errorResponse } from "./responses.ts";
import { type ResourceRoute, isPublicPath, routeRequest, splitUrl } from "./routes.ts";
import { methodNotAllowed, notAcceptable, patchTypeNotSupported, pathNotFound, unauthorized, unknownBodyFormat } from "./statuses.ts";
import { type Transformed, transformObject } from "./transform.ts";
import type { VersionInfo } from "./version.ts";

/** What the HTTP layer needs of the core: ApiServer's two entry points. */
export interface ApiCore {
  handle(req: ApiRequest): Promise<ApiResponse>;
  watch(req: ApiRequest, sink: WatchSink): WatchResponse | ApiResponse;
}

export interface HttpRequest {
  method: string;
  /** The request target: path and query, as sent. */
  url: string;
  /** Header values by lower-case name (repeated headers joined with ", "). */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body's bytes; undefined or empty when there is none. */
  body?: Uint8Array;
  /** The body was longer than maxBodyBytes; the transport dropped it. */
  bodyTooLarge?: boolean;
}

export interface HttpApiOptions {
  core: ApiCore;
  registry: ResourceRegistry;
  clock: Clock;
  /** Draws the default watch timeouts. */
  rng: Rng;
  /** Bearer tokens; undefined turns authentication off (every request is system:anonymous). */
  authenticator?: TokenAuthenticator;
  /**
   * --anonymous-auth: a request without credentials is system:anonymous instead of a 401 (a bad
   * token is still a 401). kubectl sends tokens only over HTTPS, so plain HTTP needs this.
   */
  anonymousAuth?: boolean;
  /** HOST:PORT clients reach the server at (APIVersions' serverAddressByClientCIDRs). */
  serverAddress: string | (() => string);
  openapi: OpenApiDocuments;
  version: VersionInfo;
  /** The checks behind /healthz, /livez and /readyz; default: ping only. */
  healthChecks?: () => Promise<HealthCheckResult[]>;
  /** --min-request-timeout: a watch without timeoutSeconds lasts 1-2x this long. Default 1800. */
  minRequestTimeoutSeconds?: number;
  /** Events a watch may hold before the transport attaches; past it the watch is stopped. */
  maxPendingWatchEvents?: number;
}

export const DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS = 1800;
/** The user of unauthenticated requests. */
export const ANONYMOUS_USER = "system:anonymous";
const DEFAULT_MAX_PENDING_WATCH_EVENTS = 10_000;

/** Largest body the transport needs to hand over (larger ones are answered 413). */
export const MAX_BODY_BYTES = MAX_REQUEST_BODY_BYTES;

export class HttpApi {
  readonly #o: HttpApiOptions;
  readonly #startMs: number;

  constructor(opts: HttpApiOptions) {
    this.#o = opts;
    this.#startMs = opts.clock.now();
  }

  /** Answers one request. Never throws: any failure is a Status. */
  async handle(req: HttpRequest): Promise<HttpResponse> {
    const view: RequestView = { accept: req.headers.accept, userAgent: req.headers["user-agent"], query: {} };
    try {
      return withDefaultHeaders(await this.#handle(req, view));
    } catch (err) {
      return withDefaultHeaders(errorResponse(statusFromError(err), view));
    }
  }

  async #handle(req: HttpRequest, view: RequestView): Promise<HttpResponse> {
    const url = splitUrl(req.url);
    if ("error" in url) return errorResponse(badRequest(url.error), view);
    view.query = url.query;
    let user = ANONYMOUS_USER;
    if (this.#o.authenticator !== undefined) {
      const auth = this.#o.authenticator.authenticate(req.headers.authorization);
      // A bad token fails authentication everywhere; no token is anonymous, which may read the
      // public paths (system:public-info-viewer) or, with --anonymous-auth, anything.
      if ("user" in auth) user = auth.user;
      else if (auth.reason === "invalid" || !(isPublicPath(url.path) || this.#o.anonymousAuth === true)) return errorResponse(unauthorized(), view);
    }
    const route = routeRequest(req.method, url.path, url.query, this.#o.registry);
    const o = this.#o;
    const docReq = { ...view, ifNoneMatch: req.headers["if-none-match"] };
    const openapiReq = { accept: view.accept, ifNoneMatch: docReq.ifNoneMatch, query: url.query, lastModifiedMs: this.#startMs, nowMs: o.clock.now() };
    switch (route.kind) {
      case "notFound":
        return errorResponse(pathNotFound(route.goRestful), view);
      case "methodNotAllowed":
        return errorResponse(methodNotAllowed(), view);
      case "badRequest":
        return errorResponse(badRequest(route.message), view);
      case "root":
        return serveRoot(o.registry);
      case "version":
        return serveVersion(o.version);
      case "health":
        return serveHealth(route.endpoint, route.check, await this.#healthResults(), url.query);
      case "discovery":
        return serveDiscovery(o.registry, route, typeof o.serverAddress === "string" ? o.serverAddress : o.serverAddress(), docReq);
      case "openapiV2":
        return serveOpenApiV2(o.openapi, openapiReq);
      case "openapiV3Index":
        return serveOpenApiV3Index(o.openapi, openapiReq);
      case "openapiV3":
        return serveOpenApiV3(o.openapi, route.gvPath, openapiReq);
      case "resource":
        return this.#resource(route, req, view, user);
    }
  }

  async #healthResults(): Promise<HealthCheckResult[]> {
    const checks = this.#o.healthChecks;
    return [{ name: "ping" }, ...(checks === undefined ? [] : await checks())];
  }

  async #resource(route: ResourceRoute, req: HttpRequest, view: RequestView, user: string): Promise<HttpResponse> {
    const contentType = req.headers["content-type"];
    // go-restful picks PATCH routes by their Consumes before anything else looks at the request.
    if (route.verb === "patch" && !patchContentTypeMatches(contentType)) return errorResponse(patchTypeNotSupported(), view);
    const restrictions = resourceRestrictions(route.tableAllowed);
    const nego = negotiate(view.accept, restrictions);
    if (nego === undefined) return errorResponse(notAcceptable(), view);
    if (route.verb === "watch" && negotiate(view.accept, restrictions, true) === undefined) return errorResponse(notAcceptable(true), view);

    const apiReq: ApiRequest = { verb: route.verb, group: route.group, version: route.version, resource: route.resource, query: route.query, user };
    if (route.namespace !== undefined) apiReq.namespace = route.namespace;
    if (route.name !== undefined) apiReq.name = route.name;
    if (route.subresource !== undefined) apiReq.subresource = route.subresource;
    const userAgent = req.headers["user-agent"];
    if (userAgent !== undefined) apiReq.userAgent = userAgent;

    const body = this.#readBody(route, req, contentType, view);
    if (body !== undefined && "status" in body) return errorResponse(body.status, view);
    if (body !== undefined) apiReq.body = body.value;
    if (route.verb === "patch" && contentType !== undefined) apiReq.contentType = contentType;

    if (route.verb === "watch") return this.#watch(route, apiReq, nego, view);
    const res = await this.#o.core.handle(apiReq);
    return this.#respond(route, res, nego, view);
  }

  /** The body of a write, decoded; undefined when the verb takes none or none was sent. */
  #readBody(route: ResourceRoute, req: HttpRequest, contentType: string | undefined, view: RequestView): { value: unknown } | { status: Status } | undefined {
    const bytes = req.body ?? new Uint8Array();
    switch (route.verb) {
      case "create":
      case "update": {
        const format = inputSerializer(contentType);
        if (format === undefined) return { status: unknownBodyFormat() };
        if (req.bodyTooLarge === true) return { status: tooLarge() };
        return decodeBody(bytes, format, { kind: "object", objectKind: this.#bodyKind(route) });
      }
      case "patch": {
        if (req.bodyTooLarge === true) return { status: tooLarge() };
        const patchType = (contentType ?? "").split(";")[0]!.trim();
        const purpose: BodyPurpose = { kind: "patch", patchType };
        const validation = view.query.fieldValidation;
        if (validation !== undefined) purpose.fieldValidation = validation;
        return decodeBody(bytes, patchType === "application/apply-patch+yaml" ? "yaml" : "json", purpose);
      }
      case "delete":
      case "deletecollection": {
        if (req.bodyTooLarge === true) return { status: tooLarge() };
        if (bytes.length === 0) return undefined;
        const format = inputSerializer(contentType);
        if (format === undefined) return { status: unknownBodyFormat() };
        return decodeBody(bytes, format, { kind: "deleteOptions" });
      }
      default:
        return undefined;
    }
  }

  /** The kind a body must decode into (the subresource's kind for binding, eviction, scale). */
  #bodyKind(route: ResourceRoute): string {
    if (route.subresource === undefined) return route.info.kind;
    return route.info.subresources.find((s) => s.name === route.subresource)?.kind ?? route.info.kind;
  }

  #transformOptions(route: ResourceRoute, body: KubeObject, nego: Negotiated, view: RequestView) {
    const groupKind =
      route.subresource === "scale" ? groupKindOf(String(body.apiVersion ?? ""), String(body.kind ?? "")) : qualifiedKind(route.info.group, route.info.kind);
    const typeMeta = route.subresource === "scale" ? undefined : { apiVersion: apiVersionOf(route.info), kind: route.info.kind };
    return { target: nego.convert!, groupKind, group: route.info.group, query: view.query, nowMs: this.#o.clock.now(), ...(typeMeta === undefined ? {} : { typeMeta }) };
  }

  #respond(route: ResourceRoute, res: ApiResponse, nego: Negotiated, view: RequestView): HttpResponse {
    const headers: ResponseHeaders = {};
    const warnings = warningHeaders(res.warnings);
    if (warnings.length > 0) headers.Warning = warnings;
    if (typeof res.body === "string") return complete(res.code, { ...headers, "Content-Type": "text/plain" }, res.body);
    const body = res.body as KubeObject;
    if (res.code >= 400) {
      const err = errorResponse(body as unknown as Status, view);
      return { ...err, headers: { ...err.headers, ...headers } };
    }
    let value: unknown = body;
    if (nego.convert !== undefined) {
      const t: Transformed = transformObject(body, this.#transformOptions(route, body, nego, view));
      if ("status" in t) return errorResponse(t.status, view);
      value = t.value;
    }
    const pretty = nego.pretty || isPrettyPrint(view.query, view.userAgent);
    return complete(res.code, { ...headers, "Content-Type": responseMediaType(nego.serializer) }, encodeObject(value, nego.serializer, pretty));
  }

  #watch(route: ResourceRoute, apiReq: ApiRequest, nego: Negotiated, view: RequestView): HttpResponse {
    const timeout = apiReq.query.timeoutSeconds;
    if (timeout === undefined || /^[+-]?0+$/.test(timeout)) {
      // ListResource: no timeout means 1-2x --min-request-timeout, so watches spread their reconnects.
      const min = this.#o.minRequestTimeoutSeconds ?? DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS;
      apiReq.query = { ...apiReq.query, timeoutSeconds: String(Math.floor(min * (this.#o.rng.float() + 1))) };
    }
    let headersSent = false;
    const encode = (ev: WatchEvent): string => {
      let object: unknown = ev.object;
      if (nego.convert !== undefined && (ev.type === "ADDED" || ev.type === "MODIFIED" || ev.type === "DELETED")) {
        const opts = { ...this.#transformOptions(route, ev.object, nego, view), ...(headersSent ? { noHeaders: true } : {}) };
        const t = transformObject(ev.object, opts);
        // Upstream logs a failed transformation and sends the object as it is.
        if ("value" in t) {
          object = t.value;
          if (nego.convert.kind === "Table") headersSent = true;
        }
      }
      return encodeJson({ type: ev.type, object });
    };
    const pipe = new WatchPipe(encode, this.#o.maxPendingWatchEvents ?? DEFAULT_MAX_PENDING_WATCH_EVENTS);
    const started = this.#o.core.watch(apiReq, pipe);
    if ("code" in started) return this.#respond(route, started, nego, view);
    pipe.watch = started;
    return {
      kind: "stream",
      status: 200,
      // serveWatch: JSON watch streams are plain application/json (other serializers add ;stream=watch).
      headers: { "Content-Type": "application/json" },
      attach: (out) => pipe.attach(out),
      stop: () => started.stop(),
    };
  }
}

function tooLarge(): Status {
  return requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`);
}

/** WithCacheControl: every answer that does not set its own caching is `no-cache, private`. */
function withDefaultHeaders(res: HttpResponse): HttpResponse {
  if (res.headers["Cache-Control"] !== undefined) return res;
  return { ...res, headers: { "Cache-Control": "no-cache, private", ...res.headers } };
}

/**
 * The sink between the core's watch and the transport: events are encoded as they come; until the
 * transport attaches they wait in a bounded queue.
 */
class WatchPipe implements WatchSink {
  watch: WatchResponse | undefined;
  #out: StreamOutput | undefined;
  #pending: string[] = [];
  #closed = false;

  constructor(
    private readonly encode: (ev: WatchEvent) => string,
    private readonly maxPending: number,
  ) {}

  event(ev: WatchEvent): void {
    if (this.#closed) return;
    const line = this.encode(ev);
    if (this.#out !== undefined) {
      this.#out.write(line);
      return;
    }
    this.#pending.push(line);
    if (this.#pending.length > this.maxPending) this.watch?.stop();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#out?.end();
  }

  attach(out: StreamOutput): void {
    this.#out = out;
    for (const line of this.#pending) out.write(line);
    this.#pending = [];
    if (this.#closed) out.end();
  }
}
