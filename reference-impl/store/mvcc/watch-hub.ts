// The store's watchers (etcd mvcc/watchable_store.go), delivered synchronously: a watcher created at
// or below the current revision replays history at once and is then "synced" — it gets each later
// revision's events in one response as the revision is applied. Since nothing is ever unsynced,
// ordering (by revision), uniqueness and atomicity (one revision never split) hold by construction.
import type { Bytes, KeyValue, WatchEvent } from "../../../spec/interfaces/kv.ts";
import { type KeySpan, bytesToKey, spanContains } from "./bytes.ts";

/** One change of one key at one revision: a put (kv is the new value) or a delete (tombstone kv). */
export interface Change {
  readonly type: "PUT" | "DELETE";
  /** For DELETE: key and modRevision set, everything else zero (as etcd's events). */
  readonly kv: KeyValue;
  /** Position within its revision (etcd's sub-revision). */
  readonly sub: number;
}

/** What the hub reads from the store. */
export interface WatchHistory {
  currentRevision(): number;
  /** etcd's compactMainRev (-1 before the first compaction). */
  compactRevision(): number;
  /** Calls fn for each revision >= from with its changes (in order), until fn returns false. */
  forEachRevision(from: number, fn: (rev: number, changes: readonly Change[]) => boolean | void): void;
  /** The key's value at `rev`, or undefined when absent or `rev` was compacted. */
  getAt(key: Bytes, rev: number): KeyValue | undefined;
}

/** A watch response before the stream adds its header and id. */
export interface WatchBatch {
  events: WatchEvent[];
  /** Header revision: the events' revision when live, the current revision for a replay. */
  revision: number;
  /** Non-zero: the watcher was cancelled because its start revision was compacted. */
  compactRevision: number;
}

export type WatchSink = (batch: WatchBatch) => void;

export interface WatcherOptions {
  span: KeySpan;
  /** First revision to deliver (> 0). */
  startRevision: number;
  noPut?: boolean;
  noDelete?: boolean;
  prevKv?: boolean;
}

/** etcd's watchBatchMaxRevs: a replay response carries events of at most this many revisions. */
export const WATCH_BATCH_MAX_REVS = 1000;

export class HubWatcher {
  /** Next revision this watcher needs. */
  minRev: number;
  active = true;

  constructor(
    readonly opts: WatcherOptions,
    readonly sink: WatchSink,
  ) {
    this.minRev = opts.startRevision;
  }

  wants(ch: Change): boolean {
    return ch.type === "PUT" ? !this.opts.noPut : !this.opts.noDelete;
  }
}

export class WatchHub {
  readonly #byKey = new Map<string, Set<HubWatcher>>();
  readonly #ranges = new Set<HubWatcher>();
  #count = 0;

  constructor(private readonly history: WatchHistory) {}

  get size(): number {
    return this.#count;
  }

  /**
   * Registers a watcher. A start revision below the compaction revision gets one response with
   * compactRevision set and the watcher is not registered (etcd cancels it); a start revision at or
   * below the current revision replays history first.
   */
  add(opts: WatcherOptions, sink: WatchSink): HubWatcher {
    const w = new HubWatcher(opts, sink);
    const h = this.history;
    const compactRev = h.compactRevision();
    if (w.minRev < compactRev) {
      w.active = false;
      sink({ events: [], revision: 0, compactRevision: compactRev });
      return w;
    }
    if (w.minRev <= h.currentRevision()) this.#replay(w);
    this.#count++;
    if (opts.span.kind === "single") {
      const k = bytesToKey(opts.span.key);
      let set = this.#byKey.get(k);
      if (!set) this.#byKey.set(k, (set = new Set()));
      set.add(w);
    } else {
      this.#ranges.add(w);
    }
    return w;
  }

  remove(w: HubWatcher): void {
    if (!w.active) return;
    w.active = false;
    this.#count--;
    if (w.opts.span.kind === "single") {
      const k = bytesToKey(w.opts.span.key);
      const set = this.#byKey.get(k);
      set?.delete(w);
      if (set?.size === 0) this.#byKey.delete(k);
    } else {
      this.#ranges.delete(w);
    }
  }

  /** Delivers one applied revision to the watchers it concerns: one response per watcher. */
  notify(rev: number, changes: readonly Change[]): void {
    if (this.#count === 0) return;
    const batches = new Map<HubWatcher, WatchEvent[]>();
    const prevCache = new Map<Change, KeyValue | undefined>();
    const add = (w: HubWatcher, ch: Change): void => {
      if (w.minRev > rev || !w.wants(ch)) return;
      let evs = batches.get(w);
      if (!evs) batches.set(w, (evs = []));
      evs.push(this.#event(w, ch, prevCache));
    };
    for (const ch of changes) {
      if (this.#byKey.size > 0) {
        const set = this.#byKey.get(bytesToKey(ch.kv.key));
        if (set) for (const w of set) add(w, ch);
      }
      for (const w of this.#ranges) if (spanContains(w.opts.span, ch.kv.key)) add(w, ch);
    }
    for (const [w, events] of batches) {
      w.minRev = rev + 1;
      if (w.active) w.sink({ events, revision: rev, compactRevision: 0 });
    }
  }

  /** Sends history from w.minRev to the current revision, WATCH_BATCH_MAX_REVS revisions a response. */
  #replay(w: HubWatcher): void {
    const h = this.history;
    const cur = h.currentRevision();
    const prevCache = new Map<Change, KeyValue | undefined>();
    let events: WatchEvent[] = [];
    let revs = 0;
    const flush = (): void => {
      if (events.length > 0) w.sink({ events, revision: cur, compactRevision: 0 });
      events = [];
      revs = 0;
    };
    h.forEachRevision(w.minRev, (rev, changes) => {
      let counted = false;
      for (const ch of changes) {
        if (!spanContains(w.opts.span, ch.kv.key)) continue;
        if (!counted) {
          // etcd counts revisions before filtering, then drops filtered events when sending.
          if (revs === WATCH_BATCH_MAX_REVS) flush();
          revs++;
          counted = true;
        }
        if (w.wants(ch)) events.push(this.#event(w, ch, prevCache));
      }
    });
    flush();
    w.minRev = cur + 1;
  }

  #event(w: HubWatcher, ch: Change, prevCache: Map<Change, KeyValue | undefined>): WatchEvent {
    // etcd 3.4 skips the lookup for a create event: a key the txn deleted and recreated gets none.
    const isCreate = ch.type === "PUT" && ch.kv.createRevision === ch.kv.modRevision;
    if (!w.opts.prevKv || isCreate) return { type: ch.type, kv: ch.kv };
    let prev = prevCache.get(ch);
    if (prev === undefined && !prevCache.has(ch)) {
      // etcd reads the previous value at modRevision - 1 when sending (v3rpc/watch.go sendLoop).
      prev = this.history.getAt(ch.kv.key, ch.kv.modRevision - 1);
      prevCache.set(ch, prev);
    }
    return prev ? { type: ch.type, kv: ch.kv, prevKv: prev } : { type: ch.type, kv: ch.kv };
  }
}
