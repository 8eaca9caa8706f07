// A Kubernetes watch over a KV watch on a key prefix (after upstream's etcd3 watcher): KV PUT/DELETE
// events become ADDED/MODIFIED/DELETED, filtered by the predicate with upstream's transitions (an
// object that stops matching is DELETED, one that starts matching is ADDED); a DELETED object is the
// last state with the delete's revision as its resourceVersion. Optionally the current state first
// (synthetic ADDED events, for resourceVersion unset/"0" and sendInitialEvents), BOOKMARKs from KV
// progress notifications (requested every bookmark interval of the Clock), a timeout, and a 410
// ERROR when the start revision was compacted. Order, no gaps and no duplicates come from the KV.
import type { KubeObject, Status, WatchEvent } from "../../../spec/interfaces/api-client.ts";
import type { Clock, Timer } from "../../../spec/interfaces/clock.ts";
import { type KV, type WatchEvent as KvWatchEvent, type WatchResponse as KvWatchResponse, type WatchStream, prefixEnd } from "../../../spec/interfaces/kv.ts";
import { resourceExpired } from "../errors.ts";
import type { WatchSink } from "../request.ts";
import { type ResourceInfo, apiVersionOf } from "../resources.ts";
import { decodeObject, keyBytes, keyString } from "./codec.ts";
import { type Predicate, getList } from "./list.ts";

export const INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";

export type WatchStart =
  /** Send the current state as ADDED events (at least as new as `minResourceVersion`), then changes. */
  | { kind: "initialState"; minResourceVersion?: string }
  /** Only changes after `revision` (0: after the current revision). */
  | { kind: "after"; revision: number };

export interface WatcherOptions {
  kv: KV;
  clock: Clock;
  info: ResourceInfo;
  keyPrefix: string;
  predicate: Predicate;
  start: WatchStart;
  allowBookmarks: boolean;
  /** Mark the end of the initial state with an annotated BOOKMARK (sendInitialEvents=true). */
  initialEventsEndBookmark: boolean;
  bookmarkIntervalMs: number;
  /** Close the watch after this long (timeoutSeconds); undefined: never. */
  timeoutMs?: number;
  sink: WatchSink;
  /** Called once when the watch has ended, whatever ended it. */
  onEnd?: () => void;
  /** A Status for a failure while starting (e.g. a too large resourceVersion). */
  statusForError: (err: unknown) => Status;
}

export class Watcher {
  readonly #o: WatcherOptions;
  #stream: WatchStream | undefined;
  #timers: Timer[] = [];
  #lastRevision = 0;
  #ended = false;

  constructor(opts: WatcherOptions) {
    this.#o = opts;
  }

  /** Starts delivering events; errors while starting end the watch with an ERROR event. */
  start(): void {
    const { clock, timeoutMs } = this.#o;
    if (timeoutMs !== undefined) this.#timers.push(clock.setTimer(timeoutMs, () => this.stop(), "watch timeout"));
    this.#run().catch((err: unknown) => this.#fail(this.#o.statusForError(err)));
  }

  /** Ends the watch: no more events, the sink is closed once. */
  stop(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const t of this.#timers) t.cancel();
    this.#timers = [];
    this.#stream?.close();
    this.#stream = undefined;
    try {
      this.#o.sink.close();
    } catch {
      // A consumer that fails while closing is closed all the same.
    }
    this.#o.onEnd?.();
  }

  get ended(): boolean {
    return this.#ended;
  }

  async #run(): Promise<void> {
    const o = this.#o;
    let after = 0;
    if (o.start.kind === "initialState") {
      const list = await getList(o.kv, o.info, o.keyPrefix, {
        resourceVersion: o.start.minResourceVersion,
        resourceVersionMatch: o.start.minResourceVersion === undefined ? "" : "NotOlderThan",
        predicate: o.predicate,
      });
      if (this.#ended) return;
      for (const item of list.items) this.#emit({ type: "ADDED", object: item });
      after = Number(list.resourceVersion);
      this.#lastRevision = after;
      if (o.initialEventsEndBookmark) this.#bookmark(after, true);
    } else {
      after = o.start.revision;
      this.#lastRevision = after;
    }
    if (this.#ended) return;
    const prefix = keyBytes(o.keyPrefix);
    this.#stream = o.kv.openWatchStream(
      (res) => {
        try {
          this.#onResponse(res, after);
        } catch (err) {
          this.#fail(o.statusForError(err));
        }
      },
      () => this.stop(),
    );
    this.#stream.create({ key: prefix, rangeEnd: prefixEnd(prefix), startRevision: after === 0 ? 0 : after + 1, prevKv: true });
    if (o.allowBookmarks) {
      this.#timers.push(o.clock.setRepeatingTimer(o.bookmarkIntervalMs, () => this.#stream?.requestProgress(), "watch bookmark"));
    }
  }

  #onResponse(res: KvWatchResponse, after: number): void {
    if (this.#ended) return;
    if (res.compactRevision > 0) {
      this.#fail(resourceExpired(`too old resource version: ${after} (${res.compactRevision - 1})`));
      return;
    }
    if (res.canceled) {
      this.stop();
      return;
    }
    if (res.events.length === 0) {
      // A progress notification: every change up to header.revision has been delivered. As the
      // watch cache does, bookmark the latest revision even when nothing changed since.
      if (!res.created && this.#o.allowBookmarks && res.header.revision >= this.#lastRevision) this.#bookmark(res.header.revision, false);
      return;
    }
    for (const ev of res.events) {
      this.#deliver(ev);
      if (this.#ended) return;
    }
  }

  #deliver(ev: KvWatchEvent): void {
    const { info, predicate } = this.#o;
    const rev = ev.kv.modRevision;
    this.#lastRevision = rev;
    const old = ev.prevKv === undefined ? undefined : decodeObject(info, ev.prevKv, rev);
    if (ev.type === "DELETE") {
      const last = old ?? this.#tombstone(ev, rev);
      if (predicate.matches(last)) this.#emit({ type: "DELETED", object: last });
      return;
    }
    const cur = decodeObject(info, ev.kv);
    const curPasses = predicate.matches(cur);
    if (old === undefined) {
      if (curPasses) this.#emit({ type: "ADDED", object: cur });
      return;
    }
    const oldPasses = predicate.matches(old);
    if (curPasses && oldPasses) this.#emit({ type: "MODIFIED", object: cur });
    else if (curPasses) this.#emit({ type: "ADDED", object: cur });
    else if (oldPasses) this.#emit({ type: "DELETED", object: old });
  }

  /** A DELETE whose previous value the KV no longer has: name and namespace from the key. */
  #tombstone(ev: KvWatchEvent, rev: number): KubeObject {
    const { info, keyPrefix } = this.#o;
    const rest = keyString(ev.kv.key).slice(keyPrefix.length).split("/");
    const name = rest[rest.length - 1] ?? "";
    const metadata = info.namespaced && rest.length > 1 ? { name, namespace: rest[0], resourceVersion: String(rev) } : { name, resourceVersion: String(rev) };
    return { apiVersion: apiVersionOf(info), kind: info.kind, metadata };
  }

  #bookmark(revision: number, initialEventsEnd: boolean): void {
    const { info } = this.#o;
    this.#lastRevision = revision;
    const metadata = initialEventsEnd
      ? { resourceVersion: String(revision), annotations: { [INITIAL_EVENTS_END_ANNOTATION]: "true" } }
      : { resourceVersion: String(revision) };
    this.#emit({ type: "BOOKMARK", object: { kind: info.kind, apiVersion: apiVersionOf(info), metadata } });
  }

  #emit(ev: WatchEvent): void {
    if (this.#ended) return;
    try {
      this.#o.sink.event(ev);
    } catch {
      // The consumer is gone (a closed connection): end the watch rather than the KV stream.
      this.stop();
    }
  }

  #fail(status: Status): void {
    if (this.#ended) return;
    this.#emit({ type: "ERROR", object: status as unknown as KubeObject });
    this.stop();
  }
}
