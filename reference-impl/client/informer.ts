// SharedInformer: a local, event-driven copy of one resource type, after client-go's
// sharedIndexInformer and Reflector (tools/cache/shared_informer.go, reflector.go):
//
//  - list (paged like tools/pager, falling back to a full list when a continue token expires), then
//    watch from the list's resourceVersion with allowWatchBookmarks and a timeout drawn from
//    [minWatchTimeout, 2 × minWatchTimeout);
//  - a watch that ends normally is resumed at once from the last resourceVersion seen (object or
//    bookmark); a "very short watch" (under 1 s, no events) relists after a back-off;
//  - 410 Expired/Gone (an ERROR event or the request's answer) relists at the last resourceVersion;
//    a list that itself gets 410 (or "too large resource version") retries at once with
//    resourceVersion "" (a consistent read of the latest state);
//  - 429 backs off and resumes the watch. Connection errors (refused, timed out, cut by a partition)
//    also back off and resume the watch from the last resourceVersion. (Upstream resumes only after
//    "connection refused" and relists after a watch request that timed out; in simulation a
//    partition shows up as a timeout, and resuming is what the watch cache makes cheap and correct.)
//  - every other error relists after the reflector's exponential back-off (0.8 s doubling to 30 s,
//    jittered when an Rng is given, reset after 2 min).
//
// Handlers run synchronously, in order, on the thread of events (there are no threads here, so
// client-go's per-listener buffers are not needed): onAdd, onUpdate(old, new), onDelete(obj). A
// relist delivers what changed: adds, updates (only when the resourceVersion moved; an unchanged
// object is a "sync" that client-go passes only to listeners due for resync) and, for cached
// objects missing from the new list, onDelete with a DeletedFinalStateUnknown tombstone.
// Resync re-delivers onUpdate(obj, obj) for every cached object each resync period.
import {
  ApiError,
  type ApiClient,
  type KubeList,
  type KubeObject,
  type ListOptions,
  type ResourceType,
  type Status,
  type Watch,
  type WatchEvent,
} from "../../spec/interfaces/api-client.ts";
import type { Clock, Timer } from "../../spec/interfaces/clock.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";
import { type BackoffOptions, ExponentialBackoff, REFLECTOR_BACKOFF } from "./backoff.ts";
import {
  isConnectionError,
  isExpiredError,
  isNotFound,
  isResourceExpired,
  isTooLargeResourceVersionError,
  isTooManyRequests,
} from "./errors.ts";
import { Indexer, type Indexers, NAMESPACE_INDEX, metaNamespaceKey, objectKey } from "./indexer.ts";

/** The last known state of an object whose deletion the informer missed (it vanished in a relist). */
export class DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  /** `isInInitialList`: delivered from the first list (or the cache, for a handler added later). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  /** Stops delivering to this handler. */
  remove(): void;
  /** True once the handler has been given the informer's initial state. */
  hasSynced(): boolean;
}

export interface HandlerOptions {
  /** Re-deliver every cached object with onUpdate(obj, obj) this often; 0: never. Minimum 1 s. */
  resyncPeriodMs?: number;
}

/** client-go's defaults. */
export const DEFAULT_PAGE_SIZE = 500;
export const MIN_WATCH_TIMEOUT_MS = 5 * 60 * 1000;
export const MIN_RESYNC_PERIOD_MS = 1000;
/** A watch that ends sooner than this without events is "very short" (relist). */
export const VERY_SHORT_WATCH_MS = 1000;

export interface SharedInformerOptions<T extends KubeObject = KubeObject> {
  client: ApiClient;
  clock: Clock;
  type: ResourceType;
  /** Only this namespace; undefined for all namespaces (or a cluster-scoped type). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Default resync period of handlers; 0 (default): no resync. */
  resyncPeriodMs?: number;
  /** Page size of lists (client-go's WatchListPageSize); 0 turns paging off. Default: client-go's choice. */
  pageSize?: number;
  /** Watches ask for a timeout in [min, 2 × min). Default 5 min. */
  minWatchTimeoutMs?: number;
  /** Jitter for back-off and watch timeouts; without it they are exact. */
  rng?: Rng;
  backoff?: BackoffOptions;
  /** Extra indexes; "namespace" is always there. */
  indexers?: Indexers<T>;
  /** For the trace, e.g. "scheduler/pods". */
  name?: string;
  /** What the informer does: list, watch, relist, back-off, errors. */
  trace?: (kind: string, summary: string) => void;
  /** A handler threw. Default: rethrown from a microtask, so the failure is loud. */
  onError?: (err: unknown) => void;
}

interface Listener<T extends KubeObject> {
  handler: ResourceEventHandler<T>;
  resyncPeriodMs: number;
  timer: Timer | undefined;
}

interface WatchOutcome {
  error: ApiError | undefined;
  eventCount: number;
}

export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly type: ResourceType;
  readonly name: string;
  readonly #o: SharedInformerOptions<T>;
  readonly #cache: Indexer<T>;
  readonly #listeners: Listener<T>[] = [];
  readonly #backoff: ExponentialBackoff;
  #started = false;
  #stopped = false;
  #synced = false;
  #syncWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  #lastSyncResourceVersion = "";
  #lastSyncResourceVersionUnavailable = false;
  #paginatedResult = false;
  #watch: Watch | undefined;
  #sleep: { timer: Timer; resolve: () => void } | undefined;

  constructor(opts: SharedInformerOptions<T>) {
    this.#o = opts;
    this.type = opts.type;
    this.name = opts.name ?? `${opts.type.group === "" ? "" : `${opts.type.group}/`}${opts.type.resource}`;
    this.#cache = new Indexer<T>({ [NAMESPACE_INDEX]: (obj) => [obj.metadata?.namespace ?? ""] });
    if (opts.indexers !== undefined) this.#cache.addIndexers(opts.indexers);
    this.#backoff = new ExponentialBackoff(opts.clock, opts.rng, opts.backoff ?? REFLECTOR_BACKOFF);
  }

  // ---- lifecycle

  /** Starts listing and watching (once). */
  start(): void {
    if (this.#stopped) throw new Error(`informer ${this.name} was stopped; create a new one`);
    if (this.#started) return;
    this.#started = true;
    for (const l of this.#listeners) this.#armResync(l);
    void this.#run();
  }

  /** Stops everything: the watch, timers, back-off; handlers get nothing more. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const l of this.#listeners) l.timer?.cancel();
    this.#watch?.stop();
    this.#watch = undefined;
    const sleep = this.#sleep;
    this.#sleep = undefined;
    sleep?.timer.cancel();
    sleep?.resolve();
    const waiters = this.#syncWaiters;
    this.#syncWaiters = [];
    for (const w of waiters) w.reject(new Error(`informer ${this.name} stopped before it synced`));
  }

  get started(): boolean {
    return this.#started;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** True once the first list is in the cache and its handlers ran. */
  hasSynced(): boolean {
    return this.#synced;
  }

  waitForSync(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    if (this.#stopped) return Promise.reject(new Error(`informer ${this.name} stopped before it synced`));
    return new Promise((resolve, reject) => this.#syncWaiters.push({ resolve, reject }));
  }

  /** The resourceVersion of the last list, event or bookmark. */
  lastSyncResourceVersion(): string {
    return this.#lastSyncResourceVersion;
  }

  // ---- handlers and indexes

  addEventHandler(handler: ResourceEventHandler<T>, opts: HandlerOptions = {}): HandlerRegistration {
    if (this.#stopped) throw new Error(`informer ${this.name} was stopped`);
    let resyncPeriodMs = opts.resyncPeriodMs ?? this.#o.resyncPeriodMs ?? 0;
    if (resyncPeriodMs > 0 && resyncPeriodMs < MIN_RESYNC_PERIOD_MS) resyncPeriodMs = MIN_RESYNC_PERIOD_MS;
    const listener: Listener<T> = { handler, resyncPeriodMs, timer: undefined };
    this.#listeners.push(listener);
    if (this.#started) {
      this.#armResync(listener);
      // A late handler first gets what the cache holds, as client-go replays it.
      for (const obj of this.#cache.list()) this.#call(() => handler.onAdd?.(obj, true));
    }
    return {
      remove: () => {
        const i = this.#listeners.indexOf(listener);
        if (i < 0) return;
        this.#listeners.splice(i, 1);
        listener.timer?.cancel();
      },
      hasSynced: () => this.#synced,
    };
  }

  addIndexers(indexers: Indexers<T>): void {
    this.#cache.addIndexers(indexers);
  }

  hasIndex(name: string): boolean {
    try {
      this.#cache.listIndexFuncValues(name);
      return true;
    } catch {
      return false;
    }
  }

  // ---- the cache (read-only for callers: objects are shared, do not mutate them)

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#cache.get(objectKey(namespace, name));
  }

  getByKey(key: string): T | undefined {
    return this.#cache.get(key);
  }

  /** Every cached object, or those of one namespace. */
  list(namespace?: string): T[] {
    return namespace === undefined ? this.#cache.list() : this.#cache.byIndex(NAMESPACE_INDEX, namespace);
  }

  listKeys(): string[] {
    return this.#cache.keys();
  }

  byIndex(indexName: string, value: string): T[] {
    return this.#cache.byIndex(indexName, value);
  }

  get indexer(): Indexer<T> {
    return this.#cache;
  }

  // ---- the reflector

  /** wait.BackoffUntil(ListAndWatch, backoff, sliding): list and watch until stopped. */
  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#listAndWatch();
      } catch (err) {
        this.#trace("error", errorText(err));
      }
      if (this.#stopped) return;
      await this.#backOff();
    }
  }

  async #listAndWatch(): Promise<void> {
    await this.#list();
    if (this.#stopped) return;
    await this.#watchLoop();
  }

  async #list(): Promise<void> {
    let rv = this.#relistResourceVersion();
    let result: { list: KubeList<T>; paginated: boolean };
    try {
      try {
        result = await this.#pagedList(rv);
      } catch (err) {
        if (!isExpiredError(err) && !isTooLargeResourceVersionError(err)) throw err;
        // The resourceVersion is unavailable: list the latest state (a consistent read) right away.
        this.#trace("list", `resourceVersion ${rv} unavailable (${errorText(err)}); listing the latest`);
        this.#lastSyncResourceVersionUnavailable = true;
        rv = this.#relistResourceVersion();
        result = await this.#pagedList(rv);
      }
    } catch (err) {
      // The resource is not there at all: sync with nothing, so waiters are not stuck (as upstream).
      if (isNotFound(err) && !this.#stopped) this.#replace([], "");
      throw err;
    }
    if (this.#stopped) return;
    if (rv === "0" && result.paginated) this.#paginatedResult = true;
    this.#lastSyncResourceVersionUnavailable = false;
    const listRv = result.list.metadata?.resourceVersion ?? "";
    this.#trace("list", `${result.list.items.length} items at resourceVersion ${listRv}`);
    this.#replace(result.list.items, listRv);
  }

  /** tools/pager ListWithAlloc: pages joined; an expired continue token falls back to a full list. */
  async #pagedList(rv: string): Promise<{ list: KubeList<T>; paginated: boolean }> {
    const { client, type, namespace } = this.#o;
    const base: ListOptions = {};
    if (this.#o.labelSelector !== undefined) base.labelSelector = this.#o.labelSelector;
    if (this.#o.fieldSelector !== undefined) base.fieldSelector = this.#o.fieldSelector;
    const pageSize = this.#pageSize(rv);
    let opts: ListOptions = { ...base };
    if (rv !== "") opts.resourceVersion = rv;
    if (pageSize > 0) opts.limit = pageSize;
    let joined: KubeList<T> | undefined;
    let paginated = false;
    for (;;) {
      let page: KubeList<T>;
      try {
        page = await client.list<T>(type, namespace, opts);
      } catch (err) {
        if (!isResourceExpired(err) || opts.continue === undefined) throw err;
        this.#trace("list", "continue token expired; listing in full");
        const full: ListOptions = { ...base };
        if (rv !== "") full.resourceVersion = rv;
        return { list: await client.list<T>(type, namespace, full), paginated };
      }
      if (this.#stopped) return { list: page, paginated };
      const cont = page.metadata?.continue ?? "";
      if (cont === "" && joined === undefined) return { list: page, paginated };
      joined ??= { ...page, metadata: { resourceVersion: page.metadata?.resourceVersion }, items: [] };
      joined.items.push(...page.items);
      if (cont === "") return { list: joined, paginated };
      opts = { ...base, continue: cont };
      if (pageSize > 0) opts.limit = pageSize;
      paginated = true;
    }
  }

  #pageSize(rv: string): number {
    if (this.#o.pageSize !== undefined) return this.#o.pageSize;
    if (this.#paginatedResult) return DEFAULT_PAGE_SIZE;
    // A list at a given resourceVersion unpaged can come from the watch cache (upstream's reason).
    if (rv !== "" && rv !== "0") return 0;
    return DEFAULT_PAGE_SIZE;
  }

  #relistResourceVersion(): string {
    if (this.#lastSyncResourceVersionUnavailable) return "";
    if (this.#lastSyncResourceVersion === "") return "0";
    return this.#lastSyncResourceVersion;
  }

  /** Watches until an error calls for a relist (returns or throws) or the informer stops. */
  async #watchLoop(): Promise<void> {
    while (!this.#stopped) {
      const startMs = this.#o.clock.now();
      const { error, eventCount } = await this.#watchOnce();
      if (this.#stopped) return;
      if (error === undefined) {
        if (this.#o.clock.now() - startMs < VERY_SHORT_WATCH_MS && eventCount === 0) {
          throw new Error(`very short watch: ${this.name}: Unexpected watch close - watch lasted less than a second and no items received`);
        }
        continue;
      }
      if (isExpiredError(error)) {
        this.#trace("watch", `closed with: ${error.message}; relisting`);
        return;
      }
      if (isTooManyRequests(error) || isConnectionError(error)) {
        this.#trace("watch", `${error.message}; backing off, then resuming at ${this.#lastSyncResourceVersion}`);
        await this.#backOff();
        continue;
      }
      throw error;
    }
  }

  /** One watch from the last resourceVersion; resolves when it ends. */
  #watchOnce(): Promise<WatchOutcome> {
    const { client, type, namespace, rng } = this.#o;
    const minMs = this.#o.minWatchTimeoutMs ?? MIN_WATCH_TIMEOUT_MS;
    const timeoutSeconds = Math.floor((minMs / 1000) * ((rng?.float() ?? 0) + 1));
    const rv = this.#lastSyncResourceVersion;
    this.#trace("watch", `from resourceVersion ${rv}`);
    return new Promise<WatchOutcome>((resolve) => {
      let eventCount = 0;
      let done = false;
      // Events may in principle arrive before client.watch returns: reach the Watch through a holder.
      const holder: { watch?: Watch } = {};
      const finish = (error: ApiError | undefined): void => {
        if (done) return;
        done = true;
        this.#watch = undefined;
        resolve({ error, eventCount });
      };
      const opts = { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds, labelSelector: this.#o.labelSelector, fieldSelector: this.#o.fieldSelector };
      const watch = client.watch<T>(type, namespace, opts, {
        onEvent: (ev) => {
          if (done || this.#stopped) return;
          if (ev.type === "ERROR") {
            finish(new ApiError(statusFromEvent(ev)));
            holder.watch?.stop();
            return;
          }
          this.#handleEvent(ev);
          eventCount++;
        },
        onClose: (err) => finish(err),
      });
      holder.watch = watch;
      if (done) watch.stop();
      else this.#watch = watch;
    });
  }

  #handleEvent(ev: WatchEvent<T>): void {
    const obj = ev.object;
    switch (ev.type) {
      case "ADDED":
      case "MODIFIED": {
        const key = metaNamespaceKey(obj);
        const old = this.#cache.get(key);
        this.#cache.set(key, obj);
        if (old === undefined) this.#notify((h) => h.onAdd?.(obj, false));
        else if (resourceVersionOf(old) !== resourceVersionOf(obj)) this.#notify((h) => h.onUpdate?.(old, obj));
        break;
      }
      case "DELETED": {
        // A deletion of something never seen (e.g. already gone in a relist) is not reported twice.
        const old = this.#cache.delete(metaNamespaceKey(obj));
        if (old !== undefined) this.#notify((h) => h.onDelete?.(obj));
        break;
      }
      case "BOOKMARK":
        break;
      default:
        this.#trace("error", `unable to understand watch event type ${String(ev.type)}`);
        return;
    }
    const rv = resourceVersionOf(obj);
    if (rv !== "") this.#lastSyncResourceVersion = rv;
  }

  /** DeltaFIFO.Replace + HandleDeltas: the cache becomes the list; handlers hear the differences. */
  #replace(items: T[], resourceVersion: string): void {
    const initial = !this.#synced;
    const listed = new Set<string>();
    for (const obj of items) {
      const key = metaNamespaceKey(obj);
      listed.add(key);
      const old = this.#cache.get(key);
      this.#cache.set(key, obj);
      if (old === undefined) this.#notify((h) => h.onAdd?.(obj, initial));
      else if (resourceVersionOf(old) !== resourceVersionOf(obj)) this.#notify((h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.#cache.keys()) {
      if (listed.has(key)) continue;
      const last = this.#cache.delete(key)!;
      this.#notify((h) => h.onDelete?.(new DeletedFinalStateUnknown(key, last)));
    }
    this.#lastSyncResourceVersion = resourceVersion;
    if (!this.#synced) {
      this.#synced = true;
      const waiters = this.#syncWaiters;
      this.#syncWaiters = [];
      for (const w of waiters) w.resolve();
    }
  }

  #armResync(l: Listener<T>): void {
    if (l.resyncPeriodMs <= 0 || l.timer !== undefined) return;
    l.timer = this.#o.clock.setRepeatingTimer(
      l.resyncPeriodMs,
      () => {
        if (!this.#synced || this.#stopped) return;
        for (const obj of this.#cache.list()) this.#call(() => l.handler.onUpdate?.(obj, obj));
      },
      `informer ${this.name} resync`,
    );
  }

  #notify(fn: (h: ResourceEventHandler<T>) => void): void {
    for (const l of [...this.#listeners]) this.#call(() => fn(l.handler));
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.#o.onError !== undefined) this.#o.onError(err);
      else
        queueMicrotask(() => {
          throw err;
        });
    }
  }

  /** Sleeps the next back-off delay (cut short by stop()). */
  #backOff(): Promise<void> {
    const delayMs = this.#backoff.nextDelayMs();
    this.#trace("backoff", `${delayMs} ms`);
    return new Promise<void>((resolve) => {
      if (this.#stopped) return resolve();
      const timer = this.#o.clock.setTimer(
        delayMs,
        () => {
          this.#sleep = undefined;
          resolve();
        },
        `informer ${this.name} backoff`,
      );
      this.#sleep = { timer, resolve };
    });
  }

  #trace(kind: string, summary: string): void {
    this.#o.trace?.(kind, `${this.name}: ${summary}`);
  }
}

function resourceVersionOf(obj: KubeObject): string {
  return obj.metadata?.resourceVersion ?? "";
}

/** The Status of an ERROR event; anything else there becomes a 500 (apierrors.FromObject). */
function statusFromEvent(ev: WatchEvent): Status {
  const o = ev.object as unknown as Partial<Status>;
  if (o.kind === "Status" && typeof o.code === "number") return o as Status;
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `unexpected watch ERROR event: ${JSON.stringify(ev.object)}`,
    reason: "InternalError",
    code: 500,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
