// SharedInformerFactory (client-go's informers.SharedInformerFactory): components that share a
// client share one informer per resource type, so a process lists and watches each type once
// however many controllers read it.
import type { ApiClient, KubeObject, ResourceType } from "../../spec/interfaces/api-client.ts";
import type { Clock } from "../../spec/interfaces/clock.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";
import { type Indexers, NODE_NAME_INDEX, byNodeName } from "./indexer.ts";
import { SharedInformer, type SharedInformerOptions } from "./informer.ts";

export interface SharedInformerFactoryOptions {
  client: ApiClient;
  clock: Clock;
  /** Forked per resource type for back-off and watch-timeout jitter. */
  rng?: Rng;
  /** Default resync period of every informer's handlers; 0: none. */
  defaultResyncMs?: number;
  /** Only this namespace (WithNamespace). */
  namespace?: string;
  /** Selectors for every list and watch (WithTweakListOptions). */
  labelSelector?: string;
  fieldSelector?: string;
  /** Prefix of informer names in the trace, e.g. the component name. */
  name?: string;
  trace?: (kind: string, summary: string) => void;
  onError?: (err: unknown) => void;
  /** Passed to every informer. */
  pageSize?: number;
  minWatchTimeoutMs?: number;
}

export interface InformerFor<T extends KubeObject> {
  /** Resync period for this type only (WithCustomResyncConfig); used when the informer is created. */
  resyncPeriodMs?: number;
  /** Indexes to add; one that exists already under the same name is kept as it is. */
  indexers?: Indexers<T>;
}

/** Pods are looked up by node everywhere (kubelet, scheduler), so their informers index it. */
function defaultIndexers(type: ResourceType): Indexers {
  return type.group === "" && type.resource === "pods" ? { [NODE_NAME_INDEX]: byNodeName } : {};
}

export function resourceTypeKey(type: ResourceType): string {
  return `${type.group}/${type.version}/${type.resource}`;
}

export class SharedInformerFactory {
  readonly #o: SharedInformerFactoryOptions;
  readonly #informers = new Map<string, SharedInformer>();
  #shutDown = false;

  constructor(opts: SharedInformerFactoryOptions) {
    this.#o = opts;
  }

  /** The shared informer of `type`, created on first use; call start() to run new ones. */
  forResource<T extends KubeObject = KubeObject>(type: ResourceType, opts: InformerFor<T> = {}): SharedInformer<T> {
    if (this.#shutDown) throw new Error("informer factory is shut down");
    const key = resourceTypeKey(type);
    let informer = this.#informers.get(key) as SharedInformer<T> | undefined;
    if (informer === undefined) {
      const o = this.#o;
      const name = `${o.name === undefined ? "" : `${o.name}/`}${type.group === "" ? "" : `${type.group}/`}${type.resource}`;
      const io: SharedInformerOptions<T> = {
        client: o.client,
        clock: o.clock,
        type,
        name,
        indexers: defaultIndexers(type) as Indexers<T>,
        resyncPeriodMs: opts.resyncPeriodMs ?? o.defaultResyncMs ?? 0,
      };
      if (o.rng !== undefined) io.rng = o.rng.fork(key);
      if (o.namespace !== undefined) io.namespace = o.namespace;
      if (o.labelSelector !== undefined) io.labelSelector = o.labelSelector;
      if (o.fieldSelector !== undefined) io.fieldSelector = o.fieldSelector;
      if (o.trace !== undefined) io.trace = o.trace;
      if (o.onError !== undefined) io.onError = o.onError;
      if (o.pageSize !== undefined) io.pageSize = o.pageSize;
      if (o.minWatchTimeoutMs !== undefined) io.minWatchTimeoutMs = o.minWatchTimeoutMs;
      informer = new SharedInformer<T>(io);
      this.#informers.set(key, informer as unknown as SharedInformer);
    }
    const extra = Object.entries(opts.indexers ?? {}).filter(([n]) => !informer.hasIndex(n));
    if (extra.length > 0) informer.addIndexers(Object.fromEntries(extra));
    return informer;
  }

  /** Starts every informer not started yet. */
  start(): void {
    if (this.#shutDown) throw new Error("informer factory is shut down");
    for (const informer of this.#informers.values()) if (!informer.started) informer.start();
  }

  /** Resolves when every started informer has synced. */
  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.#informers.values()].filter((i) => i.started).map((i) => i.waitForSync()));
  }

  /** Stops every informer; the factory cannot be used afterwards. */
  shutdown(): void {
    this.#shutDown = true;
    for (const informer of this.#informers.values()) informer.stop();
  }

  get informers(): SharedInformer[] {
    return [...this.#informers.values()];
  }
}
