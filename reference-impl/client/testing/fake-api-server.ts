// FakeApiServer: a small in-memory API server for testing clients and informers before (and
// besides) the real one. One global revision like etcd, a history of changes that compaction trims,
// lists at the current or an exact past revision with limit/continue, and watches from any
// uncompacted revision with label-selector transitions, bookmarks, timeouts and the 410 ERROR event.
// Tests can compact, break every watch (a server-side disconnect) and script failures. It is a
// fake: it validates nothing and knows only the resources registered with it.
import type { KubeObject, Status, WatchEvent } from "../../../spec/interfaces/api-client.ts";
import type { Clock, Timer } from "../../../spec/interfaces/clock.ts";
import { compareGoStrings } from "../../../spec/semantics/go-compat.ts";
import { LabelSelectorError, type LabelSelector, parseLabelSelector } from "../../../spec/semantics/labels.ts";
import { alreadyExists, badRequest, conflict, notFound, resourceExpired, tooLargeResourceVersion } from "../../apiserver/errors.ts";
import type { ApiRequest, ApiResponse, WatchResponse, WatchSink } from "../../apiserver/request.ts";
import type { ApiHandler } from "../in-process.ts";

export interface FakeResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export const FAKE_CORE_RESOURCES: readonly FakeResource[] = [
  { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true },
  { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true },
  { group: "", version: "v1", resource: "nodes", kind: "Node", namespaced: false },
  { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false },
  { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true },
];

export interface FakeApiServerOptions {
  clock: Clock;
  resources?: readonly FakeResource[];
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. Default 60 s. */
  bookmarkIntervalMs?: number;
  /** Most history entries kept; older ones are compacted away. Default 100_000. */
  maxHistory?: number;
  /** Most requests remembered in `requests`. Default 1_000. */
  maxRequestLog?: number;
}

export const CONTINUE_EXPIRED_MESSAGE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";
export const LIST_EXPIRED_MESSAGE = "The resourceVersion for the provided list is too old.";

type EventType = "ADDED" | "MODIFIED" | "DELETED";

interface Change {
  rev: number;
  resource: string;
  key: string;
  type: EventType;
  /** The new object; for DELETED the last state with the delete's revision. */
  obj: KubeObject;
  /** The state before (MODIFIED, DELETED). */
  prev?: KubeObject;
}

interface ActiveWatch {
  resource: string;
  namespace: string | undefined;
  selector: LabelSelector;
  sink: WatchSink;
  timers: Timer[];
  ended: boolean;
}

type Objects = Map<string, KubeObject>;

export class FakeApiServer implements ApiHandler {
  readonly clock: Clock;
  readonly bookmarkIntervalMs: number;
  readonly maxHistory: number;
  readonly maxRequestLog: number;
  /** The last revision written. */
  revision = 1;
  /** Changes at or below this revision are gone. */
  compactedRevision = 0;
  /** The latest requests, oldest first (bounded). */
  readonly requests: ApiRequest[] = [];
  /** Scripted answers: return an ApiResponse to answer a request with it instead of serving it. */
  intercept: ((req: ApiRequest) => ApiResponse | undefined) | undefined;
  readonly #resources = new Map<string, FakeResource>();
  readonly #objects = new Map<string, Objects>();
  #history: Change[] = [];
  readonly #watches = new Set<ActiveWatch>();
  #uid = 0;

  constructor(opts: FakeApiServerOptions) {
    this.clock = opts.clock;
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;
    this.maxHistory = opts.maxHistory ?? 100_000;
    this.maxRequestLog = opts.maxRequestLog ?? 1_000;
    for (const r of opts.resources ?? FAKE_CORE_RESOURCES) {
      this.#resources.set(r.resource, r);
      this.#objects.set(r.resource, new Map());
    }
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    this.#log(req);
    const scripted = this.intercept?.(req);
    if (scripted !== undefined) return scripted;
    const r = this.#resources.get(req.resource);
    if (r === undefined || r.group !== req.group || r.version !== req.version) {
      return fail({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 });
    }
    try {
      return this.#serve(r, req);
    } catch (err) {
      if (err instanceof StatusFailure) return fail(err.status);
      throw err;
    }
  }

  watch(req: ApiRequest, sink: WatchSink): WatchResponse | ApiResponse {
    this.#log(req);
    const scripted = this.intercept?.(req);
    if (scripted !== undefined) return scripted;
    const r = this.#resources.get(req.resource);
    if (r === undefined) return fail({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 });
    let selector: LabelSelector;
    try {
      selector = this.#selector(req);
    } catch (err) {
      if (err instanceof StatusFailure) return fail(err.status);
      throw err;
    }
    const w: ActiveWatch = { resource: r.resource, namespace: req.namespace, selector, sink, timers: [], ended: false };
    const rv = req.query.resourceVersion ?? "";
    if (rv === "" || rv === "0") {
      for (const obj of this.#current(r, req.namespace)) if (selector.matches(obj.metadata?.labels ?? {})) sink.event({ type: "ADDED", object: clone(obj) });
    } else {
      const from = Number(rv);
      if (!Number.isSafeInteger(from) || from < 0) return fail(badRequest(`invalid resource version: ${rv}`));
      if (from < this.compactedRevision) {
        sink.event({ type: "ERROR", object: resourceExpired(`too old resource version: ${from} (${this.compactedRevision})`) as unknown as KubeObject });
        sink.close();
        return { stop: () => undefined };
      }
      if (from > this.revision) return fail(tooLargeResourceVersion(from, this.revision));
      for (const c of this.#history) if (c.rev > from) this.#send(w, c);
    }
    this.#watches.add(w);
    if (req.query.allowWatchBookmarks === "true") {
      w.timers.push(
        this.clock.setRepeatingTimer(this.bookmarkIntervalMs, () => {
          this.#emit(w, { type: "BOOKMARK", object: { kind: r.kind, apiVersion: apiVersion(r), metadata: { resourceVersion: String(this.revision) } } });
        }, "fake apiserver bookmark"),
      );
    }
    const timeoutSeconds = Number(req.query.timeoutSeconds ?? "0");
    if (timeoutSeconds > 0) w.timers.push(this.clock.setTimer(timeoutSeconds * 1000, () => this.#end(w), "fake apiserver watch timeout"));
    return { stop: () => this.#end(w) };
  }

  /** Forgets history at or below `revision` (default: all of it); older lists and watches get 410. */
  compact(revision: number = this.revision): void {
    if (revision <= this.compactedRevision) return;
    this.compactedRevision = Math.min(revision, this.revision);
    this.#history = this.#history.filter((c) => c.rev > this.compactedRevision);
  }

  /** Ends every watch from the server side (as an API server restart or a dropped connection would). */
  breakWatches(): number {
    const n = this.#watches.size;
    for (const w of [...this.#watches]) this.#end(w);
    return n;
  }

  get activeWatches(): number {
    return this.#watches.size;
  }

  /** The current objects of `resource`, sorted by key. */
  objects(resource: string): KubeObject[] {
    const r = this.#resources.get(resource);
    if (r === undefined) throw new Error(`fake apiserver: unknown resource ${resource}`);
    return this.#current(r, undefined).map(clone);
  }

  #serve(r: FakeResource, req: ApiRequest): ApiResponse {
    switch (req.verb) {
      case "get":
        if (req.subresource === "log") return { code: 200, body: `log of ${req.name}\n` };
        return ok(clone(this.#mustGet(r, req)));
      case "list":
        return ok(this.#list(r, req));
      case "create":
        return { code: 201, body: clone(this.#create(r, req)) };
      case "update":
        return ok(clone(this.#update(r, req)));
      case "patch":
        return ok(clone(this.#patch(r, req)));
      case "delete":
        return ok(clone(this.#delete(r, req)));
      default:
        throw new StatusFailure(badRequest(`fake apiserver: verb ${req.verb} not supported`));
    }
  }

  #list(r: FakeResource, req: ApiRequest): KubeObject {
    const q = req.query;
    const selector = this.#selector(req);
    const limit = q.limit === undefined ? 0 : Number(q.limit);
    let atRev = this.revision;
    let startAfter: string | undefined;
    if (q.continue !== undefined) {
      const token = decodeToken(q.continue);
      if (token.rv < this.compactedRevision) throw new StatusFailure(resourceExpired(CONTINUE_EXPIRED_MESSAGE));
      atRev = token.rv;
      startAfter = token.start;
    } else if (q.resourceVersion !== undefined && q.resourceVersion !== "" && q.resourceVersion !== "0") {
      const rv = Number(q.resourceVersion);
      if (!Number.isSafeInteger(rv) || rv < 0) throw new StatusFailure(badRequest(`invalid resource version: ${q.resourceVersion}`));
      if (rv > this.revision) throw new StatusFailure(tooLargeResourceVersion(rv, this.revision));
      // As upstream: with a limit, or resourceVersionMatch=Exact, the list is at exactly rv.
      const exact = q.resourceVersionMatch === "Exact" || (q.resourceVersionMatch === undefined && limit > 0);
      if (exact) {
        if (rv < this.compactedRevision) throw new StatusFailure(resourceExpired(LIST_EXPIRED_MESSAGE));
        atRev = rv;
      }
    }
    const state = this.#stateAt(r, atRev);
    const keys = [...state.keys()].filter((k) => startAfter === undefined || compareGoStrings(k, startAfter) > 0).sort(compareGoStrings);
    const items: KubeObject[] = [];
    let next: string | undefined;
    for (const key of keys) {
      const obj = state.get(key)!;
      if (req.namespace !== undefined && obj.metadata?.namespace !== req.namespace) continue;
      if (!selector.matches(obj.metadata?.labels ?? {})) continue;
      if (limit > 0 && items.length === limit) {
        next = items.length > 0 ? keyOf(r, items[items.length - 1]!) : undefined;
        break;
      }
      items.push(clone(obj));
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(atRev) };
    if (next !== undefined) metadata.continue = encodeToken(atRev, next);
    return { kind: `${r.kind}List`, apiVersion: apiVersion(r), metadata, items };
  }

  #create(r: FakeResource, req: ApiRequest): KubeObject {
    const obj = asObject(req.body);
    const meta = { ...(obj.metadata ?? {}) };
    if ((meta.name ?? "") === "" && (meta.generateName ?? "") !== "") meta.name = `${meta.generateName}${(++this.#uid).toString(36)}`;
    if ((meta.name ?? "") === "") throw new StatusFailure(badRequest("name or generateName is required"));
    if (r.namespaced) meta.namespace = req.namespace ?? meta.namespace ?? "default";
    else delete meta.namespace;
    const key = r.namespaced ? `${meta.namespace}/${meta.name}` : meta.name!;
    if (this.#objects.get(r.resource)!.has(key)) throw new StatusFailure(alreadyExists(r, meta.name!));
    if (req.query.dryRun === "All") return { ...obj, metadata: meta };
    const rev = this.#nextRevision();
    meta.uid = `uid-${(++this.#uid).toString().padStart(6, "0")}`;
    meta.resourceVersion = String(rev);
    meta.creationTimestamp = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, "Z");
    const stored: KubeObject = { ...obj, apiVersion: apiVersion(r), kind: r.kind, metadata: meta };
    this.#apply(r, key, "ADDED", stored, undefined, rev);
    return stored;
  }

  #update(r: FakeResource, req: ApiRequest): KubeObject {
    const prev = this.#mustGet(r, req);
    const obj = asObject(req.body);
    const rv = obj.metadata?.resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== prev.metadata?.resourceVersion) throw new StatusFailure(conflict(r, req.name ?? ""));
    const next: KubeObject =
      req.subresource === "status" ? { ...clone(prev), status: obj.status } : { ...obj, ...(prev.status === undefined ? {} : { status: prev.status }) };
    return this.#write(r, req, prev, next);
  }

  #patch(r: FakeResource, req: ApiRequest): KubeObject {
    const prev = this.#mustGet(r, req);
    if (req.contentType === "application/json-patch+json") throw new StatusFailure(badRequest("fake apiserver: JSON patch not supported"));
    return this.#write(r, req, prev, mergePatch(clone(prev), req.body) as KubeObject);
  }

  #write(r: FakeResource, req: ApiRequest, prev: KubeObject, next: KubeObject): KubeObject {
    const meta = { ...(next.metadata ?? {}) };
    for (const f of ["name", "namespace", "uid", "creationTimestamp"] as const) meta[f] = prev.metadata?.[f];
    if (!r.namespaced) delete meta.namespace;
    if (req.query.dryRun === "All") return { ...next, metadata: meta };
    const rev = this.#nextRevision();
    meta.resourceVersion = String(rev);
    const stored: KubeObject = { ...next, apiVersion: apiVersion(r), kind: r.kind, metadata: meta };
    this.#apply(r, keyOf(r, prev), "MODIFIED", stored, prev, rev);
    return stored;
  }

  #delete(r: FakeResource, req: ApiRequest): KubeObject {
    const prev = this.#mustGet(r, req);
    const pre = (req.body as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== prev.metadata?.resourceVersion) {
      throw new StatusFailure(conflict(r, req.name ?? "", `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${prev.metadata?.resourceVersion}`));
    }
    if ((req.body as { dryRun?: unknown } | undefined)?.dryRun !== undefined) return prev;
    const rev = this.#nextRevision();
    const last: KubeObject = { ...clone(prev), metadata: { ...prev.metadata, resourceVersion: String(rev) } };
    this.#apply(r, keyOf(r, prev), "DELETED", last, prev, rev);
    return prev;
  }

  #apply(r: FakeResource, key: string, type: EventType, obj: KubeObject, prev: KubeObject | undefined, rev: number): void {
    const objects = this.#objects.get(r.resource)!;
    if (type === "DELETED") objects.delete(key);
    else objects.set(key, obj);
    const change: Change = prev === undefined ? { rev, resource: r.resource, key, type, obj } : { rev, resource: r.resource, key, type, obj, prev };
    this.#history.push(change);
    if (this.#history.length > this.maxHistory) this.compact(this.#history[this.#history.length - this.maxHistory - 1]!.rev);
    for (const w of this.#watches) this.#send(w, change);
  }

  #nextRevision(): number {
    return ++this.revision;
  }

  /** Sends one change to a watch, with upstream's selector transitions. */
  #send(w: ActiveWatch, c: Change): void {
    if (c.resource !== w.resource) return;
    if (w.namespace !== undefined && c.obj.metadata?.namespace !== w.namespace) return;
    const matches = (o: KubeObject | undefined): boolean => o !== undefined && w.selector.matches(o.metadata?.labels ?? {});
    if (c.type === "DELETED") {
      if (matches(c.prev)) this.#emit(w, { type: "DELETED", object: clone(c.obj) });
      return;
    }
    const now = matches(c.obj);
    const before = matches(c.prev);
    if (now && before) this.#emit(w, { type: "MODIFIED", object: clone(c.obj) });
    else if (now) this.#emit(w, { type: "ADDED", object: clone(c.obj) });
    else if (before) this.#emit(w, { type: "DELETED", object: { ...clone(c.prev!), metadata: { ...c.prev!.metadata, resourceVersion: String(c.rev) } } });
  }

  #emit(w: ActiveWatch, ev: WatchEvent): void {
    if (!w.ended) w.sink.event(ev);
  }

  #end(w: ActiveWatch): void {
    if (w.ended) return;
    w.ended = true;
    for (const t of w.timers) t.cancel();
    this.#watches.delete(w);
    w.sink.close();
  }

  #selector(req: ApiRequest): LabelSelector {
    if ((req.query.fieldSelector ?? "") !== "") throw new StatusFailure(badRequest("fake apiserver: field selectors not supported"));
    try {
      return parseLabelSelector(req.query.labelSelector ?? "");
    } catch (err) {
      if (err instanceof LabelSelectorError) throw new StatusFailure(badRequest(err.message));
      throw err;
    }
  }

  #mustGet(r: FakeResource, req: ApiRequest): KubeObject {
    const key = r.namespaced ? `${req.namespace ?? ""}/${req.name ?? ""}` : (req.name ?? "");
    const obj = this.#objects.get(r.resource)!.get(key);
    if (obj === undefined) throw new StatusFailure(notFound(r, req.name ?? ""));
    return obj;
  }

  #current(r: FakeResource, namespace: string | undefined): KubeObject[] {
    const objects = this.#objects.get(r.resource)!;
    return [...objects.keys()]
      .sort(compareGoStrings)
      .map((k) => objects.get(k)!)
      .filter((o) => namespace === undefined || o.metadata?.namespace === namespace);
  }

  /** The objects of `r` at revision `rev` (>= compactedRevision): now, minus the changes after rev. */
  #stateAt(r: FakeResource, rev: number): Objects {
    const state = new Map(this.#objects.get(r.resource)!);
    for (let i = this.#history.length - 1; i >= 0; i--) {
      const c = this.#history[i]!;
      if (c.rev <= rev) break;
      if (c.resource !== r.resource) continue;
      if (c.type === "ADDED") state.delete(c.key);
      else state.set(c.key, c.prev!);
    }
    return state;
  }

  #log(req: ApiRequest): void {
    if (this.requests.length >= this.maxRequestLog) this.requests.shift();
    this.requests.push(clone(req));
  }
}

class StatusFailure extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

function fail(status: Status): ApiResponse {
  return { code: status.code, body: status };
}

function ok(body: KubeObject): ApiResponse {
  return { code: 200, body };
}

function apiVersion(r: FakeResource): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}

function keyOf(r: FakeResource, obj: KubeObject): string {
  return r.namespaced ? `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}` : (obj.metadata?.name ?? "");
}

function asObject(body: unknown): KubeObject {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new StatusFailure(badRequest("the body must be an object"));
  return clone(body as KubeObject);
}

function encodeToken(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start }), "utf8").toString("base64url");
}

function decodeToken(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv === "number" && typeof parsed.start === "string") return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through
  }
  throw new StatusFailure(badRequest("continue key is not valid"));
}

/** JSON merge patch (RFC 7386). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return clone(patch);
  const out: Record<string, unknown> =
    target !== null && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function clone<T>(value: T): T {
  return typeof value === "object" && value !== null ? structuredClone(value) : value;
}
