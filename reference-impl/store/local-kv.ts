// LocalKv: the in-process KV (spec/interfaces/kv.ts) over an MvccStore. A write is validated as
// etcd's gRPC layer would, becomes a WriteCommand, is made durable by the CommandLog, and is then
// applied in log order — so it is acknowledged only once applied, and a read (served straight from
// the store) sees every acknowledged write: linearizable, as etcd's default reads are.
//
// Lease expiry is driven here, from the Clock: a timer per lease, reset by keep-alives; when it
// fires, a leaseRevoke command goes through the log like a client's revoke. Expiry times are not
// replicated state; as etcd's leader does on election, a LocalKv built on a recovered store gives
// every lease its full TTL again.
import type { Clock, Timer } from "../../spec/interfaces/clock.ts";
import {
  KvError,
  KvErrors,
  KvLimits,
  type CompactionRequest,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type KV,
  type LeaseGrantRequest,
  type LeaseGrantResponse,
  type LeaseKeepAliveResponse,
  type LeaseStatus,
  type LeaseTimeToLiveResponse,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type ResponseHeader,
  type StatusResponse,
  type TxnRequest,
  type TxnResponse,
  type WatchCreateRequest,
  type WatchResponse,
  type WatchResponseHandler,
  type WatchStream,
  type WatchStreamErrorHandler,
} from "../../spec/interfaces/kv.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";
import { type CommandLog, type WriteCommand, volatileLog } from "./commands.ts";
import { type ApplyResult, MvccStore, type StoreLimits } from "./mvcc/store.ts";
import { checkRangeRequest, checkTxn, checkWriteCommand, isTxnReadonly } from "./mvcc/validate.ts";
import { MvccWatchStream } from "./mvcc/watch-stream.ts";

export interface LocalKvLimits extends StoreLimits {
  maxRequestBytes: number;
  maxTxnOps: number;
  /** Writes accepted but not yet applied; past it, etcd's "too many requests". */
  maxPendingWrites: number;
  /** Responses queued on one watch stream before delivery; past it the stream breaks. */
  maxPendingWatchResponses: number;
}

export const DEFAULT_LOCAL_KV_LIMITS: LocalKvLimits = {
  maxRequestBytes: KvLimits.maxRequestBytes,
  maxTxnOps: KvLimits.maxTxnOps,
  quotaBackendBytes: KvLimits.quotaBackendBytes,
  minLeaseTtlSeconds: KvLimits.minLeaseTtlSeconds,
  maxLeaseTtlSeconds: KvLimits.maxLeaseTtlSeconds,
  maxPendingWrites: 10_000,
  maxPendingWatchResponses: 100_000,
};

/** etcd's default --progress-report interval for progress-notify watchers (v3rpc/watch.go). */
export const PROGRESS_REPORT_INTERVAL_MS = 10 * 60 * 1000;

/** The ids of a fresh single-member etcd named "default" on the default peer URL. */
export const DEFAULT_CLUSTER_ID = 0xcdf818194e3a8c32n;
export const DEFAULT_MEMBER_ID = 0x8e9e05c52164694dn;

/** Reported by Status: a release etcdctl 3.4 accepts as its own. */
export const LOCAL_KV_VERSION = "3.4.23";

export interface LocalKvOptions {
  clock: Clock;
  /** Draws lease IDs when a grant asks the server to choose. */
  rng: Rng;
  /** Where writes become durable before they are applied; default: keep nothing. */
  log?: CommandLog;
  /** A store to serve (e.g. recovered from a snapshot and the log); default: a new empty one. */
  store?: MvccStore;
  /** Store limits apply only when LocalKv creates the store. */
  limits?: Partial<LocalKvLimits>;
  clusterId?: bigint;
  memberId?: bigint;
  raftTerm?: number;
  progressReportIntervalMs?: number;
}

interface PendingWrite {
  cmd: WriteCommand;
  state: "appending" | "durable" | "failed";
  error?: unknown;
  resolve: (res: unknown) => void;
  reject: (err: unknown) => void;
}

interface LeaseTimer {
  expiryMs: number;
  timer: Timer | undefined;
  /** The timer fired and a revoke is on its way: keep-alives no longer help. */
  expiring: boolean;
}

const INT63_MASK = (1n << 63n) - 1n;

export class LocalKv implements KV {
  readonly store: MvccStore;
  readonly limits: LocalKvLimits;
  readonly #clock: Clock;
  readonly #rng: Rng;
  readonly #log: CommandLog;
  readonly #clusterId: bigint;
  readonly #memberId: bigint;
  readonly #raftTerm: number;
  readonly #progressIntervalMs: number;
  readonly #pending: PendingWrite[] = [];
  readonly #leaseTimers = new Map<bigint, LeaseTimer>();
  readonly #streams = new Set<LocalWatchStream>();
  #closed = false;

  constructor(opts: LocalKvOptions) {
    this.limits = { ...DEFAULT_LOCAL_KV_LIMITS, ...opts.limits };
    this.store = opts.store ?? new MvccStore({ limits: this.limits });
    this.#clock = opts.clock;
    this.#rng = opts.rng;
    this.#log = opts.log ?? volatileLog;
    this.#clusterId = opts.clusterId ?? DEFAULT_CLUSTER_ID;
    this.#memberId = opts.memberId ?? DEFAULT_MEMBER_ID;
    this.#raftTerm = opts.raftTerm ?? 2;
    this.#progressIntervalMs = opts.progressReportIntervalMs ?? PROGRESS_REPORT_INTERVAL_MS;
    for (const l of this.store.leases()) this.#armLease(l.id, l.ttlSeconds);
  }

  /** Serves a store recovered from a snapshot and log replay (see wal/durable.ts). */
  static fromStore(store: MvccStore, opts: Omit<LocalKvOptions, "store">): LocalKv {
    return new LocalKv({ ...opts, store });
  }

  // ---- KV ------------------------------------------------------------------------------------

  async range(req: RangeRequest): Promise<RangeResponse> {
    this.#checkOpen();
    checkRangeRequest(req);
    return this.#filled(this.store.range(req));
  }

  async put(req: PutRequest): Promise<PutResponse> {
    return this.#filled(await this.#write({ op: "put", req }));
  }

  async deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    return this.#filled(await this.#write({ op: "deleteRange", req }));
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    if (isTxnReadonly(req)) {
      // etcd serves read-only txns without raft: no log entry, no request size limit.
      this.#checkOpen();
      checkTxn(req, this.limits.maxTxnOps);
      return this.#filled(this.store.readTxn(req));
    }
    return this.#filled(await this.#write({ op: "txn", req }));
  }

  async compact(req: CompactionRequest): Promise<CompactionResponse> {
    return this.#filled(await this.#write({ op: "compact", revision: req.revision }));
  }

  async leaseGrant(req: LeaseGrantRequest): Promise<LeaseGrantResponse> {
    this.#checkOpen();
    if (req.TTL > this.limits.maxLeaseTtlSeconds) throw KvErrors.leaseTTLTooLarge();
    const id = req.ID !== undefined && req.ID !== 0n ? req.ID : this.#newLeaseId();
    const res = await this.#write({ op: "leaseGrant", id, ttlSeconds: req.TTL });
    this.#armLease(res.ID, res.TTL);
    return this.#filled(res);
  }

  async leaseRevoke(id: bigint): Promise<{ header: ResponseHeader }> {
    const res = await this.#write({ op: "leaseRevoke", id });
    this.#disarmLease(id);
    return this.#filled(res);
  }

  async leaseKeepAlive(id: bigint): Promise<LeaseKeepAliveResponse> {
    this.#checkOpen();
    const lease = this.store.lease(id);
    const t = this.#leaseTimers.get(id);
    // etcd answers TTL 0 (not an error) for a lease that is gone or already expiring.
    if (!lease || t?.expiring) return { header: this.#header(this.store.revision), ID: id, TTL: 0 };
    this.#armLease(id, lease.ttlSeconds);
    return { header: this.#header(this.store.revision), ID: id, TTL: lease.ttlSeconds };
  }

  async leaseTimeToLive(id: bigint, keys = false): Promise<LeaseTimeToLiveResponse> {
    this.#checkOpen();
    const header = this.#header(this.store.revision);
    const lease = this.store.lease(id);
    if (!lease) return { header, ID: id, TTL: -1, grantedTTL: 0, keys: [] };
    const t = this.#leaseTimers.get(id);
    const remainingMs = t ? t.expiryMs - this.#clock.now() : lease.ttlSeconds * 1000;
    // int64(Remaining().Seconds()) in etcd: truncated toward zero.
    const ttl = Math.trunc(remainingMs / 1000) || 0;
    return { header, ID: id, TTL: ttl, grantedTTL: lease.ttlSeconds, keys: keys ? lease.keys : [] };
  }

  async leaseLeases(): Promise<{ header: ResponseHeader; leases: LeaseStatus[] }> {
    this.#checkOpen();
    // etcd lists leases by expiry time.
    const expiry = (id: bigint): number => this.#leaseTimers.get(id)?.expiryMs ?? Number.MAX_SAFE_INTEGER;
    const leases = this.store
      .leases()
      .map((l) => ({ ID: l.id, expiryMs: expiry(l.id) }))
      .sort((a, b) => a.expiryMs - b.expiryMs || (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0))
      .map((l) => ({ ID: l.ID }));
    return { header: this.#header(this.store.revision), leases };
  }

  async status(): Promise<StatusResponse> {
    this.#checkOpen();
    const s = this.store;
    return {
      header: this.#header(s.revision),
      version: LOCAL_KV_VERSION,
      dbSize: s.dbSizeBytes,
      dbSizeInUse: s.dbSizeInUseBytes,
      leader: this.#memberId,
      raftIndex: s.consistentIndex,
      raftTerm: this.#raftTerm,
      raftAppliedIndex: s.consistentIndex,
      // etcd lists active alarms as AlarmMember text.
      errors: s.noSpaceAlarm ? [`memberID:${this.#memberId} alarm:NOSPACE `] : [],
      isLearner: false,
    };
  }

  openWatchStream(onResponse: WatchResponseHandler, onError?: WatchStreamErrorHandler): WatchStream {
    const stream = new LocalWatchStream(this, onResponse, onError);
    if (this.#closed) stream.close();
    else this.#streams.add(stream);
    return stream;
  }

  /** Stops timers and watch streams, fails writes not yet applied, and closes the log. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#leaseTimers.values()) t.timer?.cancel();
    this.#leaseTimers.clear();
    for (const s of [...this.#streams]) s.close();
    for (const w of this.#pending.splice(0)) w.reject(KvErrors.stopped());
    await this.#log.close();
  }

  // ---- internals used by LocalWatchStream ----------------------------------------------------

  /** @internal */
  get clock(): Clock {
    return this.#clock;
  }

  /** @internal */
  get progressIntervalMs(): number {
    return this.#progressIntervalMs;
  }

  /** @internal */
  streamClosed(s: LocalWatchStream): void {
    this.#streams.delete(s);
  }

  /** @internal etcd's serverWatchStream header: cluster, member, raft term and `revision`. */
  header(revision: number): ResponseHeader {
    return this.#header(revision);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Validates, logs, then applies `cmd` — after every command logged before it. */
  #write<C extends WriteCommand>(cmd: C): Promise<ApplyResult<C>> {
    try {
      this.#checkOpen();
      checkWriteCommand(cmd, this.limits);
      if (this.#pending.length >= this.limits.maxPendingWrites) {
        throw new KvError("RESOURCE_EXHAUSTED", "etcdserver: too many requests");
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<ApplyResult<C>>((resolve, reject) => {
      const w: PendingWrite = { cmd, state: "appending", resolve: resolve as (res: unknown) => void, reject };
      this.#pending.push(w);
      let appended: Promise<void>;
      try {
        appended = this.#log.append(cmd);
      } catch (err) {
        appended = Promise.reject(err);
      }
      appended.then(
        () => {
          w.state = "durable";
          this.#applyReady();
        },
        (err: unknown) => {
          w.state = "failed";
          w.error = err;
          this.#applyReady();
        },
      );
    });
  }

  /** Applies, in append order, every command at the head of the queue whose append settled. */
  #applyReady(): void {
    while (!this.#closed && this.#pending.length > 0 && this.#pending[0]!.state !== "appending") {
      const w = this.#pending.shift()!;
      if (w.state === "failed") {
        w.reject(logFailure(w.error));
        continue;
      }
      try {
        w.resolve(this.store.apply(w.cmd));
      } catch (err) {
        w.reject(err);
      }
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw KvErrors.stopped();
  }

  #header(revision: number): ResponseHeader {
    return { clusterId: this.#clusterId, memberId: this.#memberId, revision, raftTerm: this.#raftTerm };
  }

  /** Fills the outermost header as etcd's gRPC layer does (nested txn headers stay as they are). */
  #filled<R extends { header: ResponseHeader }>(res: R): R {
    res.header = this.#header(res.header.revision || this.store.revision);
    return res;
  }

  // ---- leases --------------------------------------------------------------------------------

  /** A positive int63 no current lease has, as etcd draws from its request-id generator. */
  #newLeaseId(): bigint {
    for (;;) {
      const id = this.#rng.uint64() & INT63_MASK;
      if (id !== 0n && !this.store.lease(id)) return id;
    }
  }

  #armLease(id: bigint, ttlSeconds: number): void {
    const prev = this.#leaseTimers.get(id);
    prev?.timer?.cancel();
    const ttlMs = ttlSeconds * 1000;
    const t: LeaseTimer = { expiryMs: this.#clock.now() + ttlMs, timer: undefined, expiring: false };
    t.timer = this.#clock.setTimer(ttlMs, () => this.#expire(id, t), `lease ${id} expiry`);
    this.#leaseTimers.set(id, t);
  }

  #disarmLease(id: bigint): void {
    this.#leaseTimers.get(id)?.timer?.cancel();
    this.#leaseTimers.delete(id);
  }

  #expire(id: bigint, t: LeaseTimer): void {
    if (this.#leaseTimers.get(id) !== t) return;
    t.timer = undefined;
    t.expiring = true;
    const done = (): void => {
      if (this.#leaseTimers.get(id) === t) this.#leaseTimers.delete(id);
    };
    // Not found means a client revoked it first; stopped means we are closing. Both end the lease.
    this.#write({ op: "leaseRevoke", id }).then(done, done);
  }
}

function logFailure(err: unknown): KvError {
  if (err instanceof KvError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new KvError("UNAVAILABLE", `etcdserver: write-ahead log failed: ${msg}`);
}

/**
 * A watch stream whose responses reach the handler asynchronously (one microtask after they are
 * produced) and in order — never inside the apply that produced them.
 */
class LocalWatchStream implements WatchStream {
  readonly #inner: MvccWatchStream;
  readonly #queue: WatchResponse[] = [];
  #flushScheduled = false;
  #progressTimer: Timer | undefined;
  #closed = false;

  constructor(
    private readonly kv: LocalKv,
    private readonly onResponse: WatchResponseHandler,
    private readonly onError: WatchStreamErrorHandler | undefined,
  ) {
    this.#inner = new MvccWatchStream(kv.store, {
      header: (rev) => kv.header(rev),
      send: (res) => this.#enqueue(res),
    });
  }

  create(req: WatchCreateRequest): void {
    if (this.#closed) return;
    this.#inner.create(req);
    if (this.#inner.wantsProgress && !this.#progressTimer && !this.#closed) {
      this.#progressTimer = this.kv.clock.setRepeatingTimer(
        this.kv.progressIntervalMs,
        () => this.#inner.progressTick(),
        "watch progress report",
      );
    }
  }

  cancel(watchId: number): void {
    if (!this.#closed) this.#inner.cancel(watchId);
  }

  requestProgress(): void {
    if (!this.#closed) this.#inner.requestProgress();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inner.close();
    this.#progressTimer?.cancel();
    this.#queue.length = 0;
    this.kv.streamClosed(this);
  }

  #enqueue(res: WatchResponse): void {
    if (this.#closed) return;
    if (this.#queue.length >= this.kv.limits.maxPendingWatchResponses) {
      this.close();
      const err = new KvError("RESOURCE_EXHAUSTED", "watch stream: too many undelivered responses");
      if (this.onError) queueMicrotask(() => this.onError!(err));
      return;
    }
    this.#queue.push(res);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#queue.splice(0);
    for (let i = 0; i < batch.length; i++) {
      if (this.#closed) return;
      try {
        this.onResponse(batch[i]!);
      } catch (err) {
        // Keep the rest, ahead of anything queued since, for the next task; surface the error.
        this.#queue.unshift(...batch.slice(i + 1));
        if (this.#queue.length > 0 && !this.#flushScheduled) {
          this.#flushScheduled = true;
          queueMicrotask(() => this.#flush());
        }
        throw err;
      }
    }
  }
}
