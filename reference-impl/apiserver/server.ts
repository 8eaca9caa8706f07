// ApiServer: the Kubernetes API over a KV, transport-independent. `handle` answers every verb but
// watch with an ApiResponse; `watch` starts a stream of events into a WatchSink (or answers an
// ApiResponse when the watch cannot start). Neither ever throws for a bad request: every failure is
// a Status. `start` creates what kube-apiserver bootstraps and starts periodic compaction.
import { ApiError, type KubeObject, type Status } from "../../spec/interfaces/api-client.ts";
import type { Clock } from "../../spec/interfaces/clock.ts";
import type { KV } from "../../spec/interfaces/kv.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";
import { SYSTEM_NAMESPACES, SYSTEM_PRIORITY_CLASSES } from "./bootstrap.ts";
import { badRequest, fail, methodNotSupported, resourceNotServed, tooManyRequests } from "./errors.ts";
import { bind } from "./handlers/binding.ts";
import type { Scope, ServerContext } from "./handlers/context.ts";
import { create } from "./handlers/create.ts";
import { deleteCollection } from "./handlers/delete-collection.ts";
import { del } from "./handlers/delete.ts";
import { get } from "./handlers/get.ts";
import { list } from "./handlers/list.ts";
import { patch } from "./handlers/patch.ts";
import { getScale, writeScale } from "./handlers/scale.ts";
import { update } from "./handlers/update.ts";
import { startWatch } from "./handlers/watch.ts";
import { defaultHooks } from "./default-hooks.ts";
import type { ApiServerHooks } from "./hooks.ts";
import { groupResource } from "./meta.ts";
import type { ApiRequest, ApiResponse, Verb, WatchResponse, WatchSink } from "./request.ts";
import { type ResourceInfo, ResourceRegistry, type SubresourceInfo, subresourceOf } from "./resources.ts";
import { Compactor, DEFAULT_COMPACTION_INTERVAL_MS } from "./storage/compactor.ts";
import { interpretStorageError } from "./storage/interpret.ts";
import { ObjectStore } from "./storage/store.ts";
import type { Watcher } from "./storage/watcher.ts";

/** Upstream's watch cache sends bookmarks about once a minute. */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
/** kube-apiserver's --min-request-timeout default: 1800 s. */
export const DEFAULT_MIN_REQUEST_TIMEOUT_MS = 1800 * 1000;
/** Concurrent watches past which new ones get 429. */
export const DEFAULT_MAX_WATCHES = 10_000;

export interface ApiServerOptions {
  kv: KV;
  clock: Clock;
  rng: Rng;
  /** Replaces hooks of defaultHooks() (defaults, validation, decoding, SSA, printing); admission and extra subresources are added here. */
  hooks?: Partial<ApiServerHooks>;
  /** 0 disables compaction (e.g. when another API server on the same store compacts). */
  compactionIntervalMs?: number;
  bookmarkIntervalMs?: number;
  /** Watches without timeoutSeconds end after 1–2× this; 0: they never time out. */
  minRequestTimeoutMs?: number;
  maxWatches?: number;
  registry?: ResourceRegistry;
  /** Background failures (compaction); default: ignored. */
  onError?: (err: unknown) => void;
}

const SYSTEM_USER = "system:apiserver";

export class ApiServer {
  readonly registry: ResourceRegistry;
  readonly hooks: ApiServerHooks;
  readonly #ctx: ServerContext;
  readonly #compactor: Compactor;
  readonly #watchers = new Set<Watcher>();
  readonly #maxWatches: number;
  #stopped = false;

  constructor(opts: ApiServerOptions) {
    this.registry = opts.registry ?? new ResourceRegistry();
    this.hooks = { ...defaultHooks(), ...opts.hooks };
    this.#ctx = {
      registry: this.registry,
      store: new ObjectStore(opts.kv),
      kv: opts.kv,
      clock: opts.clock,
      rng: opts.rng,
      hooks: this.hooks,
      bookmarkIntervalMs: opts.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
      minRequestTimeoutMs: opts.minRequestTimeoutMs ?? DEFAULT_MIN_REQUEST_TIMEOUT_MS,
    };
    this.#maxWatches = opts.maxWatches ?? DEFAULT_MAX_WATCHES;
    this.#compactor = new Compactor(opts.kv, opts.clock, opts.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS, opts.onError);
  }

  /** Creates the system namespaces and PriorityClasses (kept if they exist) and starts compaction. */
  async start(): Promise<void> {
    for (const name of SYSTEM_NAMESPACES) {
      await this.#ensure({ verb: "create", group: "", version: "v1", resource: "namespaces", query: {}, user: SYSTEM_USER, body: { apiVersion: "v1", kind: "Namespace", metadata: { name } } });
    }
    for (const pc of SYSTEM_PRIORITY_CLASSES) {
      await this.#ensure({ verb: "create", group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses", query: {}, user: SYSTEM_USER, body: structuredClone(pc) });
    }
    this.#compactor.start();
  }

  /** Stops compaction and ends every watch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#compactor.stop();
    for (const w of [...this.#watchers]) w.stop();
  }

  /** One compaction round now (what the timer does every interval). */
  compactNow(): Promise<void> {
    return this.#compactor.runOnce();
  }

  get activeWatches(): number {
    return this.#watchers.size;
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      const scope = this.#resolve(req);
      const res = await this.#dispatch(scope);
      return this.#printed(scope, res);
    } catch (err) {
      return errorResponse(err);
    }
  }

  watch(req: ApiRequest, sink: WatchSink): WatchResponse | ApiResponse {
    try {
      if (this.#stopped) fail({ ...badRequest("the server is shutting down"), code: 503, reason: "ServiceUnavailable" });
      const scope = this.#resolve({ ...req, verb: "watch" });
      if (this.#watchers.size >= this.#maxWatches) fail(tooManyRequests("too many watches open on this server, please try again later", 1));
      let watcher: Watcher | undefined = undefined;
      const w = startWatch(this.#ctx, scope, sink, () => {
        if (watcher !== undefined) this.#watchers.delete(watcher);
      });
      watcher = w;
      if (!w.ended) this.#watchers.add(w);
      return { stop: () => w.stop() };
    } catch (err) {
      return errorResponse(err);
    }
  }

  // ---- routing ----------------------------------------------------------------------------------

  /** The request's resource, namespace, name and subresource, checked against the registry. */
  #resolve(raw: ApiRequest): Scope {
    const req = checkRequestShape(raw);
    const info = this.registry.lookup(req.group, req.version, req.resource);
    if (info === undefined) fail(resourceNotServed());
    const namespace = info.namespaced ? (req.namespace ?? "") : "";
    if (!info.namespaced && (req.namespace ?? "") !== "") fail(resourceNotServed());
    const name = req.name ?? "";
    const collectionVerb = req.verb === "list" || req.verb === "watch" || req.verb === "deletecollection" || (req.verb === "create" && req.subresource === undefined);
    if (!collectionVerb && name === "") fail(badRequest("resource name may not be empty"));
    if (collectionVerb && name !== "" && req.subresource === undefined && req.verb !== "create") fail(badRequest(`a name may not be given to ${req.verb}`));
    for (const [what, value] of [["name", name], ["namespace", namespace]] as const) {
      const bad = pathSegmentErrors(value);
      if (bad.length > 0) fail(badRequest(`invalid resource ${what} ${JSON.stringify(value)}: ${bad.join(", ")}`));
    }
    if (info.namespaced && namespace === "" && (req.verb === "create" || req.verb === "deletecollection" || !collectionVerb)) {
      fail(badRequest("the namespace of the request may not be empty for a namespaced resource"));
    }
    const scope: Scope = req.subresource === undefined ? { info, namespace, name, req } : { info, namespace, name, subresource: req.subresource, req };
    if (req.subresource !== undefined) checkSubresourceVerb(info, subresourceOf(info, req.subresource), req.subresource, req.verb);
    else if (!info.verbs.includes(req.verb)) fail(methodNotSupported(groupResource(info), req.verb));
    return scope;
  }

  async #dispatch(scope: Scope): Promise<ApiResponse> {
    const ctx = this.#ctx;
    const verb = scope.req.verb;
    switch (scope.subresource) {
      case undefined:
      case "status":
      case "finalize":
        break;
      case "scale":
        return verb === "get" ? getScale(ctx, scope) : writeScale(ctx, scope);
      case "binding":
        return bind(ctx, scope);
      default: {
        const handler = this.hooks.subresources[`${scope.info.resource}/${scope.subresource}`];
        if (handler === undefined) fail(resourceNotServed());
        return handler(scope.req);
      }
    }
    switch (verb) {
      case "get":
        return get(ctx, scope);
      case "list":
        return list(ctx, scope);
      case "create":
        return create(ctx, scope);
      case "update":
        return update(ctx, scope);
      case "patch":
        return patch(ctx, scope);
      case "delete":
        return del(ctx, scope);
      case "deletecollection":
        return deleteCollection(ctx, scope);
      case "watch":
        fail(badRequest("watch requests are served by ApiServer.watch"));
    }
  }

  /** Server-side printing for `as=Table` requests, when a printer is installed. */
  #printed(scope: Scope, res: ApiResponse): ApiResponse {
    const print = this.hooks.printTable;
    const wantsTable = (scope.req.accept ?? "").includes("as=Table");
    if (print === undefined || !wantsTable || res.code !== 200 || typeof res.body === "string" || res.body.kind === "Status") return res;
    return { ...res, body: print(scope.info, res.body as KubeObject, scope.req, this.#ctx.clock.now()) };
  }

  /** A create whose AlreadyExists is fine (bootstrap objects surviving a restart). */
  async #ensure(req: ApiRequest): Promise<void> {
    const res = await this.handle(req);
    if (res.code !== 201 && res.code !== 409) {
      throw new ApiError(res.body as Status);
    }
  }
}

const verbs: readonly Verb[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/** The trust boundary of the transport-independent model: a request of the wrong shape is a 400. */
function checkRequestShape(req: unknown): ApiRequest {
  if (req === null || typeof req !== "object") fail(badRequest("malformed request"));
  const r = req as Record<string, unknown>;
  if (typeof r.verb !== "string" || !verbs.includes(r.verb as Verb)) fail(badRequest(`unsupported verb ${typeof r.verb === "string" ? JSON.stringify(r.verb) : `of type ${typeof r.verb}`}`));
  for (const field of ["group", "version", "resource"]) {
    if (typeof r[field] !== "string") fail(badRequest(`malformed request: ${field} must be a string`));
  }
  for (const field of ["subresource", "namespace", "name", "contentType", "accept", "user"]) {
    if (r[field] !== undefined && typeof r[field] !== "string") fail(badRequest(`malformed request: ${field} must be a string`));
  }
  if (r.subresource === "") delete r.subresource;
  const query = r.query ?? {};
  if (query === null || typeof query !== "object" || Array.isArray(query) || Object.values(query).some((v) => typeof v !== "string")) {
    fail(badRequest("malformed request: query parameters must be strings"));
  }
  return { ...(r as unknown as ApiRequest), query: query as Record<string, string>, user: typeof r.user === "string" ? r.user : "" };
}

function checkSubresourceVerb(info: ResourceInfo, sub: SubresourceInfo | undefined, name: string, verb: Verb): void {
  if (sub === undefined) fail(resourceNotServed());
  if (!(sub.verbs as readonly string[]).includes(verb)) fail(methodNotSupported(groupResource(info, name), verb));
}

/** IsValidPathSegmentName: names become path segments and store keys. */
function pathSegmentErrors(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  const errs: string[] = [];
  if (value.includes("/")) errs.push("may not contain '/'");
  if (value.includes("%")) errs.push("may not contain '%'");
  return errs;
}

function errorResponse(err: unknown): ApiResponse {
  const status = interpretStorageError(err, { group: "", resource: "" }, "");
  return { code: status.code, body: status };
}
