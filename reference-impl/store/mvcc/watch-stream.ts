// One watch stream over an MvccStore, as etcd's serverWatchStream (etcdserver/api/v3rpc/watch.go)
// and mvcc watchStream (mvcc/watcher.go) shape it: watch ids per stream, the `created` response
// before any event, cancel and progress responses. Synchronous and clock-free: `send` is called
// inline, and periodic progress notifications happen when the owner calls `progressTick` (LocalKv
// does so from its Clock every 10 minutes, etcd's default progress report interval).
import type { ResponseHeader, WatchCreateRequest, WatchEvent, WatchResponse, WatchStream } from "../../../spec/interfaces/kv.ts";
import { compareBytes, keySpan } from "./bytes.ts";
import type { MvccStore } from "./store.ts";
import type { HubWatcher, WatchBatch } from "./watch-hub.ts";

/** etcd's mvcc watcher errors, sent as a created-and-canceled response's cancel reason. */
export const WatchErrors = {
  emptyRange: "mvcc: watcher range is empty",
  duplicateId: "mvcc: duplicate watch ID provided on the WatchStream",
} as const;

export interface MvccWatchStreamOptions {
  /** Header for a response at `revision` (cluster/member ids and raft term filled in). */
  header: (revision: number) => ResponseHeader;
  /** Receives every response, in order. */
  send: (res: WatchResponse) => void;
}

interface StreamWatcher {
  /** Unset only while the store registers (and replays to) the watcher. */
  hub?: HubWatcher;
}

export class MvccWatchStream implements WatchStream {
  readonly #watchers = new Map<number, StreamWatcher>();
  /** etcd's sws.progress: true = due a progress notification at the next tick. */
  readonly #progress = new Map<number, boolean>();
  #nextId = 0;
  #closed = false;

  constructor(
    private readonly store: MvccStore,
    private readonly opts: MvccWatchStreamOptions,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  get watcherCount(): number {
    return this.#watchers.size;
  }

  create(req: WatchCreateRequest): void {
    if (this.#closed) return;
    // An empty key means "\0", the smallest key; range end "\0" means every key >= key.
    const key = req.key.length === 0 ? Uint8Array.of(0) : req.key;
    const span = keySpan(key, req.rangeEnd);
    const wsrev = this.store.revision;
    if (span.kind === "range" && compareBytes(key, span.end) >= 0) return this.#refuse(wsrev, WatchErrors.emptyRange);

    let id = req.watchId ?? 0;
    if (id === 0) {
      while (this.#watchers.has(this.#nextId)) this.#nextId++;
      id = this.#nextId++;
    } else if (this.#watchers.has(id)) {
      return this.#refuse(wsrev, WatchErrors.duplicateId);
    }
    const filters = req.filters ?? [];
    const startRevision = req.startRevision || wsrev + 1;
    // Announce the watcher before it can send anything (etcd buffers events until `created`).
    this.opts.send(this.#response(wsrev, id, { created: true }));
    const entry: StreamWatcher = {};
    this.#watchers.set(id, entry);
    if (req.progressNotify) this.#progress.set(id, true);
    const hub = this.store.watch(
      {
        span,
        startRevision,
        noPut: filters.includes("NOPUT"),
        noDelete: filters.includes("NODELETE"),
        prevKv: req.prevKv === true,
      },
      (batch) => this.#deliver(id, batch),
    );
    // `send` may have cancelled the watcher (or closed the stream) during the replay.
    if (this.#watchers.get(id) === entry) entry.hub = hub;
    else this.store.unwatch(hub);
  }

  cancel(watchId: number): void {
    const w = this.#watchers.get(watchId);
    if (this.#closed || !w) return; // etcd answers nothing for an unknown id
    if (w.hub) this.store.unwatch(w.hub);
    this.#watchers.delete(watchId);
    this.#progress.delete(watchId);
    this.opts.send(this.#response(this.store.revision, watchId, { canceled: true }));
  }

  /**
   * A progress notification for the whole stream: watch id -1, the current revision. etcd sends it
   * only when every watcher on the stream is synced; here they always are.
   */
  requestProgress(): void {
    if (this.#closed) return;
    this.opts.send(this.#response(this.store.revision, -1, {}));
  }

  /**
   * The periodic progress report: each progress-notify watcher that got no events since the last
   * tick receives an empty response at the current revision.
   */
  progressTick(): void {
    if (this.#closed) return;
    for (const [id, due] of this.#progress) {
      if (due && this.#watchers.get(id)?.hub?.active) this.opts.send(this.#response(this.store.revision, id, {}));
      this.#progress.set(id, true);
    }
  }

  get wantsProgress(): boolean {
    return this.#progress.size > 0;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#watchers.values()) if (w.hub) this.store.unwatch(w.hub);
    this.#watchers.clear();
    this.#progress.clear();
  }

  #deliver(id: number, batch: WatchBatch): void {
    if (this.#closed) return;
    if (batch.compactRevision !== 0) {
      // etcd keeps the id registered: a later cancel still answers.
      this.opts.send(this.#response(batch.revision, id, { canceled: true, compactRevision: batch.compactRevision }));
      return;
    }
    if (batch.events.length > 0 && this.#progress.get(id)) this.#progress.set(id, false);
    this.opts.send(this.#response(batch.revision, id, { events: batch.events }));
  }

  #refuse(rev: number, reason: string): void {
    this.opts.send(this.#response(rev, -1, { created: true, canceled: true, cancelReason: reason }));
  }

  #response(
    revision: number,
    watchId: number,
    f: { created?: boolean; canceled?: boolean; compactRevision?: number; cancelReason?: string; events?: WatchEvent[] },
  ): WatchResponse {
    return {
      header: this.opts.header(revision),
      watchId,
      created: f.created ?? false,
      canceled: f.canceled ?? false,
      compactRevision: f.compactRevision ?? 0,
      cancelReason: f.cancelReason ?? "",
      fragment: false,
      events: f.events ?? [],
    };
  }
}
