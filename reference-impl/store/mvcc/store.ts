// MvccStore: etcd v3's multi-version store as a synchronous, deterministic state machine. Every
// change arrives as a WriteCommand through `apply` (after the CommandLog made it durable), so the
// store is a pure function of the command sequence: replaying the same commands gives the same
// revisions, responses and events. Reads are separate synchronous methods.
//
// Semantics follow etcd 3.4 (mvcc/kvstore_txn.go, etcdserver/apply.go, lease/lessor.go):
// - a fresh store is at revision 1; a write that changes something takes the next revision (a put
//   always; a delete or a lease revoke only when it removes a key; a txn once, whatever it does);
// - each key keeps create/mod revision and version; a delete leaves a tombstone and resets them;
// - a txn evaluates every compare (its nested txns' too) and checks its ops against the state before
//   it, then applies the chosen ops in order, each seeing the earlier ones' writes;
// - compaction at r keeps, per key, the newest value at or below r (if the key was live there) and
//   everything after r; reading or watching below r fails.
import {
  KvErrors,
  KvLimits,
  type Bytes,
  type Compare,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type KeyValue,
  type LeaseGrantResponse,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type RequestOp,
  type ResponseHeader,
  type ResponseOp,
  type TxnRequest,
  type TxnResponse,
} from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";
import { EMPTY_BYTES, type KeySpan, copyBytes, keySpan } from "./bytes.ts";
import { KeyIndex } from "./key-index.ts";
import { Lessor, type LessorLimits } from "./lessor.ts";
import { type Change, type HubWatcher, type WatchHistory, WatchHub, type WatchSink, type WatcherOptions } from "./watch-hub.ts";
import { isTxnReadonly } from "./validate.ts";
import { SORTERS, ZERO_KV, compareKv } from "./compare.ts";
import {
  EMPTY_DB_BYTES,
  LEASE_RECORD_BYTES,
  QUOTA_LEASE_OVERHEAD_BYTES,
  changeBytes,
  putQuotaCost,
  txnQuotaCost,
} from "./size.ts";

export interface StoreLimits extends LessorLimits {
  /** etcd's --quota-backend-bytes: writes that would grow the estimated db past it fail. */
  quotaBackendBytes: number;
}

export interface MvccStoreOptions {
  limits?: Partial<StoreLimits>;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  quotaBackendBytes: KvLimits.quotaBackendBytes,
  minLeaseTtlSeconds: KvLimits.minLeaseTtlSeconds,
  maxLeaseTtlSeconds: KvLimits.maxLeaseTtlSeconds,
};

export type ApplyResult<C extends WriteCommand> = C extends { op: "put" }
  ? PutResponse
  : C extends { op: "deleteRange" }
    ? DeleteRangeResponse
    : C extends { op: "txn" }
      ? TxnResponse
      : C extends { op: "compact" }
        ? CompactionResponse
        : C extends { op: "leaseGrant" }
          ? LeaseGrantResponse
          : { header: ResponseHeader };

export interface LeaseInfo {
  id: bigint;
  /** Granted TTL (seconds), after raising it to the minimum. */
  ttlSeconds: number;
}

interface KeyRecord {
  readonly key: Bytes;
  /** Every kept change, oldest first (by revision, then sub-revision). */
  changes: Change[];
}

/** One write transaction in progress (etcd's storeTxnWrite). */
interface WriteTxn {
  readonly beginRev: number;
  readonly changes: Change[];
}

/** Which branch each txn takes: decided up front, for nested txns too (etcd's compareToPath). */
interface TxnPath {
  succeeded: boolean;
  nested: TxnPath[];
}

/** The snapshot format of exportState / importState. */
export interface MvccStoreState {
  format: typeof STATE_FORMAT;
  revision: number;
  compactRevision: number;
  consistentIndex: number;
  noSpaceAlarm: boolean;
  dbSizeBytes: number;
  keys: { key: Bytes; changes: Change[] }[];
  leases: LeaseInfo[];
}

const STATE_FORMAT = "plumbline.mvcc.v1";

function header(revision: number): ResponseHeader {
  return { clusterId: 0n, memberId: 0n, revision, raftTerm: 0 };
}

export class MvccStore {
  readonly limits: StoreLimits;
  readonly #index = new KeyIndex<KeyRecord>();
  #rev = 1;
  #compactRev = -1;
  /** Changes of each revision from #revLogBase on (watch replay); contiguous up to #rev. */
  #revLog: (readonly Change[])[] = [];
  #revLogBase = 2;
  #consistentIndex = 0;
  #noSpaceAlarm = false;
  #sizeInUseBytes = EMPTY_DB_BYTES;
  #sizeBytes = EMPTY_DB_BYTES;
  readonly #lessor: Lessor;
  readonly #hub: WatchHub;

  constructor(opts: MvccStoreOptions = {}) {
    this.limits = { ...DEFAULT_STORE_LIMITS, ...opts.limits };
    this.#lessor = new Lessor(this.limits);
    const history: WatchHistory = {
      currentRevision: () => this.#rev,
      compactRevision: () => this.#compactRev,
      forEachRevision: (from, fn) => this.#forEachRevision(from, fn),
      getAt: (key, rev) => this.#getAt(key, rev),
    };
    this.#hub = new WatchHub(history);
  }

  // ---- state ---------------------------------------------------------------------------------

  /** The current revision (1 for an empty store). */
  get revision(): number {
    return this.#rev;
  }

  /** The last compaction revision; -1 before the first (etcd's compactMainRev). */
  get compactRevision(): number {
    return this.#compactRev;
  }

  /** Commands applied so far, including those that failed (etcd's consistent index). */
  get consistentIndex(): number {
    return this.#consistentIndex;
  }

  /** Estimated database file size: it grows with writes and does not shrink (no defrag). */
  get dbSizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Estimated bytes in use: shrinks on compaction and lease revocation. */
  get dbSizeInUseBytes(): number {
    return this.#sizeInUseBytes;
  }

  /** Raised once a write hits the quota; like etcd's NOSPACE alarm it stays until restored away. */
  get noSpaceAlarm(): boolean {
    return this.#noSpaceAlarm;
  }

  /** Number of keys in the index (live or with kept history). */
  get indexedKeys(): number {
    return this.#index.size;
  }

  // ---- writes --------------------------------------------------------------------------------

  /**
   * Applies one command and returns etcd's response for it, or throws the KvError etcd's applier
   * gives. A command that throws changes nothing (except raising the NOSPACE alarm).
   */
  apply<C extends WriteCommand>(cmd: C): ApplyResult<C> {
    this.#consistentIndex++;
    return this.#apply(cmd) as ApplyResult<C>;
  }

  #apply(cmd: WriteCommand): unknown {
    switch (cmd.op) {
      case "put":
        this.#admit(putQuotaCost(cmd.req));
        return this.#putTop(cmd.req);
      case "deleteRange":
        return this.#deleteTop(cmd.req);
      case "txn":
        this.#admit(txnQuotaCost(cmd.req));
        return this.#txn(cmd.req);
      case "compact":
        return this.#compact(cmd.revision);
      case "leaseGrant":
        this.#admit(QUOTA_LEASE_OVERHEAD_BYTES);
        return this.#leaseGrant(cmd.id, cmd.ttlSeconds);
      case "leaseRevoke":
        return this.#leaseRevoke(cmd.id);
    }
  }

  /**
   * etcd's quota, as its gRPC layer (size + cost must stay under the quota, else the NOSPACE alarm
   * is raised) and capped applier (with the alarm raised, anything that costs space fails) combine.
   * Deletes, compaction, revokes and txns without top-level puts cost nothing and always pass.
   */
  #admit(cost: number): void {
    if (cost === 0) return; // nothing that takes space (a txn without top-level puts) always passes
    if (this.#sizeBytes + cost >= this.limits.quotaBackendBytes) {
      this.#noSpaceAlarm = true;
      throw KvErrors.noSpace();
    }
    if (this.#noSpaceAlarm) throw KvErrors.noSpace();
  }

  #putTop(req: PutRequest): PutResponse {
    const lease = req.lease ?? 0n;
    if (lease !== 0n && !this.#lessor.get(lease)) throw KvErrors.leaseNotFound();
    const txn = this.#begin();
    const res = this.#put(txn, req);
    this.#commit(txn);
    return res;
  }

  #deleteTop(req: DeleteRangeRequest): DeleteRangeResponse {
    const txn = this.#begin();
    const res = this.#deleteRange(txn, req);
    this.#commit(txn);
    return res;
  }

  #begin(): WriteTxn {
    return { beginRev: this.#rev, changes: [] };
  }

  /** Revision a read inside `txn` sees: the txn's own revision once it has written. */
  #readRev(txn: WriteTxn): number {
    return txn.changes.length > 0 ? txn.beginRev + 1 : txn.beginRev;
  }

  #put(txn: WriteTxn, req: PutRequest): PutResponse {
    let rec = this.#index.get(req.key);
    // The key's latest change is what a read inside this txn sees (the txn's own writes included).
    const last = rec?.changes[rec.changes.length - 1];
    const existing = last?.type === "PUT" ? last.kv : undefined;
    if ((req.ignoreValue || req.ignoreLease) && !existing) throw KvErrors.keyNotFound();
    const value = req.ignoreValue ? existing!.value : copyBytes(req.value ?? EMPTY_BYTES);
    const lease = req.ignoreLease ? existing!.lease : (req.lease ?? 0n);
    const rev = txn.beginRev + 1;
    if (!rec) {
      rec = { key: copyBytes(req.key), changes: [] };
      this.#index.insert(rec);
    }
    const live = existing;
    const kv: KeyValue = Object.freeze({
      key: rec.key,
      createRevision: live ? live.createRevision : rev,
      modRevision: rev,
      version: live ? live.version + 1 : 1,
      value,
      lease,
    });
    const ch: Change = Object.freeze({ type: "PUT", kv, sub: txn.changes.length });
    rec.changes.push(ch);
    txn.changes.push(ch);
    if (live && live.lease !== 0n) this.#lessor.detach(live.lease, rec.key);
    if (lease !== 0n) this.#lessor.attach(lease, rec.key);
    return existing && req.prevKv ? { header: header(rev), prevKv: existing } : { header: header(rev) };
  }

  #deleteRange(txn: WriteTxn, req: DeleteRangeRequest): DeleteRangeResponse {
    const readRev = this.#readRev(txn);
    const doomed: { rec: KeyRecord; kv: KeyValue }[] = [];
    this.#scan(keySpan(req.key, req.rangeEnd), readRev, (rec, kv) => {
      doomed.push({ rec, kv });
    });
    const rev = txn.beginRev + 1;
    for (const { rec, kv } of doomed) {
      const tomb: KeyValue = Object.freeze({
        key: rec.key,
        createRevision: 0,
        modRevision: rev,
        version: 0,
        value: EMPTY_BYTES,
        lease: 0n,
      });
      const ch: Change = Object.freeze({ type: "DELETE", kv: tomb, sub: txn.changes.length });
      rec.changes.push(ch);
      txn.changes.push(ch);
      if (kv.lease !== 0n) this.#lessor.detach(kv.lease, rec.key);
    }
    const revision = doomed.length > 0 || txn.changes.length > 0 ? rev : txn.beginRev;
    return {
      header: header(revision),
      deleted: doomed.length,
      prevKvs: req.prevKv ? doomed.map((d) => d.kv) : [],
    };
  }

  /** Ends a write txn: takes the next revision if anything changed and tells the watchers. */
  #commit(txn: WriteTxn): void {
    if (txn.changes.length === 0) return;
    const rev = txn.beginRev + 1;
    this.#rev = rev;
    this.#revLog.push(txn.changes);
    let added = 0;
    for (const ch of txn.changes) added += changeBytes(ch);
    this.#grow(added);
    this.#hub.notify(rev, txn.changes);
  }

  /** Undoes a txn that failed half-way (etcd would panic there; we answer its error instead). */
  #rollback(txn: WriteTxn): void {
    for (let i = txn.changes.length - 1; i >= 0; i--) {
      const ch = txn.changes[i]!;
      const rec = this.#index.get(ch.kv.key)!;
      rec.changes.pop();
      if (ch.type === "PUT" && ch.kv.lease !== 0n) this.#lessor.detach(ch.kv.lease, rec.key);
      const prev = rec.changes[rec.changes.length - 1];
      if (prev?.type === "PUT" && prev.kv.lease !== 0n) this.#lessor.attach(prev.kv.lease, rec.key);
      if (rec.changes.length === 0) this.#index.remove(rec.key);
    }
  }

  #grow(bytes: number): void {
    this.#sizeInUseBytes += bytes;
    if (this.#sizeInUseBytes > this.#sizeBytes) this.#sizeBytes = this.#sizeInUseBytes;
  }

  // ---- txn -----------------------------------------------------------------------------------

  #txn(req: TxnRequest): TxnResponse {
    const beginRev = this.#rev;
    const path = this.#compareToPath(req, beginRev);
    if (!isTxnReadonly(req)) this.#checkOps(req, path, (op) => this.#checkPut(op, beginRev));
    this.#checkOps(req, path, (op) => this.#checkRange(op, beginRev));
    const txn = this.#begin();
    let res: TxnResponse;
    try {
      res = this.#applyTxn(txn, req, path);
    } catch (err) {
      this.#rollback(txn);
      throw err;
    }
    res.header = header(this.#readRev(txn));
    this.#commit(txn);
    return res;
  }

  #compareToPath(req: TxnRequest, rev: number): TxnPath {
    const succeeded = req.compare.every((c) => this.#compare(c, rev));
    const nested: TxnPath[] = [];
    for (const op of succeeded ? req.success : req.failure) {
      if ("requestTxn" in op) nested.push(this.#compareToPath(op.requestTxn, rev));
    }
    return { succeeded, nested };
  }

  #checkOps(req: TxnRequest, path: TxnPath, check: (op: RequestOp) => void): void {
    let n = 0;
    for (const op of path.succeeded ? req.success : req.failure) {
      if ("requestTxn" in op) this.#checkOps(op.requestTxn, path.nested[n++]!, check);
      else check(op);
    }
  }

  /** etcd's checkRequestPut, against the state before the txn. */
  #checkPut(op: RequestOp, rev: number): void {
    if (!("requestPut" in op)) return;
    const req = op.requestPut;
    if ((req.ignoreValue || req.ignoreLease) && !this.#getAt(req.key, rev)) throw KvErrors.keyNotFound();
    const lease = req.lease ?? 0n;
    if (lease !== 0n && !this.#lessor.get(lease)) throw KvErrors.leaseNotFound();
  }

  /** etcd's checkRequestRange: a ranged read's revision must exist before the txn. */
  #checkRange(op: RequestOp, rev: number): void {
    if (!("requestRange" in op)) return;
    const r = op.requestRange.revision ?? 0;
    if (r === 0) return;
    if (r > rev) throw KvErrors.futureRev();
    if (r < this.#compactRev) throw KvErrors.compacted();
  }

  #applyTxn(txn: WriteTxn, req: TxnRequest, path: TxnPath): TxnResponse {
    const responses: ResponseOp[] = [];
    let n = 0;
    for (const op of path.succeeded ? req.success : req.failure) {
      if ("requestRange" in op) {
        responses.push({ responseRange: this.#rangeAt(op.requestRange, this.#readRev(txn)) });
      } else if ("requestPut" in op) {
        responses.push({ responsePut: this.#put(txn, op.requestPut) });
      } else if ("requestDeleteRange" in op) {
        responses.push({ responseDeleteRange: this.#deleteRange(txn, op.requestDeleteRange) });
      } else if ("requestTxn" in op) {
        // etcd fills only the outermost header: a nested txn's stays all zero.
        responses.push({ responseTxn: this.#applyTxn(txn, op.requestTxn, path.nested[n++]!) });
      }
    }
    return { header: header(0), succeeded: path.succeeded, responses };
  }

  /** etcd's applyCompare: every live key in the range must satisfy it; none = a zero KeyValue. */
  #compare(c: Compare, rev: number): boolean {
    let any = false;
    let ok = true;
    this.#scan(keySpan(c.key, c.rangeEnd), rev, (_rec, kv) => {
      any = true;
      ok = compareKv(c, kv);
      return ok;
    });
    if (any) return ok;
    // A missing key has no value to compare (gRPC cannot tell nil from empty), so VALUE fails.
    if (c.target === "VALUE") return false;
    return compareKv(c, ZERO_KV);
  }

  // ---- compaction ----------------------------------------------------------------------------

  #compact(rev: number): CompactionResponse {
    if (rev <= this.#compactRev) throw KvErrors.compacted();
    if (rev > this.#rev) throw KvErrors.futureRev();
    this.#compactRev = rev;
    let freed = 0;
    this.#index.removeWhere((rec) => {
      const cs = rec.changes;
      let i = cs.length - 1;
      while (i >= 0 && cs[i]!.kv.modRevision > rev) i--;
      if (i < 0) return false;
      // Keep the value visible at `rev` if the key was live there; drop what it replaced.
      const drop = cs[i]!.type === "PUT" ? i : i + 1;
      for (let j = 0; j < drop; j++) freed += changeBytes(cs[j]!);
      if (drop > 0) rec.changes = cs.slice(drop);
      return rec.changes.length === 0;
    });
    this.#sizeInUseBytes -= freed;
    if (rev > this.#revLogBase) {
      this.#revLog = this.#revLog.slice(rev - this.#revLogBase);
      this.#revLogBase = rev;
    }
    if (rev === this.#revLogBase && this.#revLog.length > 0) {
      // Of revision `rev` itself only the puts still kept remain (etcd drops its tombstones).
      this.#revLog[0] = this.#revLog[0]!.filter((ch) => this.#index.get(ch.kv.key)?.changes[0] === ch);
    }
    return { header: header(this.#rev) };
  }

  // ---- leases --------------------------------------------------------------------------------

  #leaseGrant(id: bigint, ttlSeconds: number): LeaseGrantResponse {
    const lease = this.#lessor.grant(id, ttlSeconds);
    this.#grow(LEASE_RECORD_BYTES);
    return { header: header(this.#rev), ID: lease.id, TTL: lease.ttlSeconds };
  }

  /** Deletes the lease's keys (in key order, all in one revision) and forgets the lease. */
  #leaseRevoke(id: bigint): { header: ResponseHeader } {
    if (!this.#lessor.get(id)) throw KvErrors.leaseNotFound();
    const txn = this.#begin();
    for (const key of this.#lessor.sortedKeys(id)) this.#deleteRange(txn, { key });
    this.#lessor.remove(id);
    this.#sizeInUseBytes -= LEASE_RECORD_BYTES;
    this.#commit(txn);
    return { header: header(this.#rev) };
  }

  lease(id: bigint): (LeaseInfo & { keys: Bytes[] }) | undefined {
    const l = this.#lessor.get(id);
    return l ? { id: l.id, ttlSeconds: l.ttlSeconds, keys: this.#lessor.sortedKeys(id) } : undefined;
  }

  /** Every lease, by ID. */
  leases(): LeaseInfo[] {
    return this.#lessor.list().map((l) => ({ id: l.id, ttlSeconds: l.ttlSeconds }));
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** etcd's Range at the current revision. */
  range(req: RangeRequest): RangeResponse {
    return this.#rangeAt(req, this.#rev);
  }

  /** A txn with only range ops (etcd serves those without raft); throws for anything else. */
  readTxn(req: TxnRequest): TxnResponse {
    if (!isTxnReadonly(req)) throw new Error("readTxn: the txn writes; apply it as a command");
    return this.#txn(req);
  }

  /** The key's current value, if live. */
  get(key: Bytes): KeyValue | undefined {
    return this.#getAt(key, this.#rev);
  }

  #rangeAt(r: RangeRequest, curRev: number): RangeResponse {
    let rev = r.revision ?? 0;
    if (rev > curRev) throw KvErrors.futureRev();
    if (rev <= 0) rev = curRev;
    if (rev < this.#compactRev) throw KvErrors.compacted();

    const sortOrder = r.sortOrder ?? "NONE";
    const sortTarget = r.sortTarget ?? "KEY";
    const minMod = r.minModRevision ?? 0;
    const maxMod = r.maxModRevision ?? 0;
    const minCreate = r.minCreateRevision ?? 0;
    const maxCreate = r.maxCreateRevision ?? 0;
    const userLimit = Math.max(0, r.limit ?? 0); // etcd treats a negative limit as none
    // etcd fetches everything when it must sort or filter, else limit+1 to learn `more`.
    let fetch = sortOrder !== "NONE" || minMod || maxMod || minCreate || maxCreate ? 0 : userLimit;
    if (fetch > 0) fetch++;

    let kvs: KeyValue[] = [];
    let count = 0;
    const countOnly = r.countOnly === true;
    this.#scan(keySpan(r.key, r.rangeEnd), rev, (_rec, kv) => {
      count++;
      if (!countOnly && (fetch === 0 || kvs.length < fetch)) kvs.push(kv);
    });

    if (maxMod) kvs = kvs.filter((kv) => kv.modRevision <= maxMod);
    if (minMod) kvs = kvs.filter((kv) => kv.modRevision >= minMod);
    if (maxCreate) kvs = kvs.filter((kv) => kv.createRevision <= maxCreate);
    if (minCreate) kvs = kvs.filter((kv) => kv.createRevision >= minCreate);

    // A target other than KEY with order NONE sorts ascending (index order is already by key).
    const order = sortTarget !== "KEY" && sortOrder === "NONE" ? "ASCEND" : sortOrder;
    if (order !== "NONE") {
      const cmp = SORTERS[sortTarget] ?? SORTERS.KEY;
      // Stable, and DESCEND negates the comparison: ties keep key order, as Go's sort.Reverse does.
      kvs.sort(order === "ASCEND" ? cmp : (a, b) => cmp(b, a));
    }

    let more = false;
    if (userLimit > 0 && kvs.length > userLimit) {
      kvs.length = userLimit;
      more = true;
    }
    if (r.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY_BYTES }));
    return { header: header(curRev), kvs, more, count };
  }

  /** Calls fn for each key in `span` live at `rev`, in key order, until fn returns false. */
  #scan(span: KeySpan, rev: number, fn: (rec: KeyRecord, kv: KeyValue) => boolean | void): void {
    if (span.kind === "single") {
      const rec = this.#index.get(span.key);
      const kv = rec && valueAt(rec, rev);
      if (rec && kv) fn(rec, kv);
      return;
    }
    this.#index.scan(span.key, span.kind === "range" ? span.end : undefined, (rec) => {
      const kv = valueAt(rec, rev);
      return kv ? fn(rec, kv) : true;
    });
  }

  #getAt(key: Bytes, rev: number): KeyValue | undefined {
    if (rev < this.#compactRev) return undefined;
    const rec = this.#index.get(key);
    return rec && valueAt(rec, rev);
  }

  #forEachRevision(from: number, fn: (rev: number, changes: readonly Change[]) => boolean | void): void {
    for (let rev = Math.max(from, this.#revLogBase); rev <= this.#rev; rev++) {
      if (fn(rev, this.#revLog[rev - this.#revLogBase]!) === false) return;
    }
  }

  // ---- watches -------------------------------------------------------------------------------

  /**
   * Registers a watcher; `sink` is called synchronously — with replayed history now, then with each
   * later revision as it is applied. See WatchHub.add.
   */
  watch(opts: WatcherOptions, sink: WatchSink): HubWatcher {
    return this.#hub.add(opts, sink);
  }

  unwatch(w: HubWatcher): void {
    this.#hub.remove(w);
  }

  get watcherCount(): number {
    return this.#hub.size;
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /**
   * The whole replicated state as a structured-clonable value (Uint8Array, bigint, plain objects),
   * detached from the live store: later applies do not change it. Watchers are not state.
   */
  exportState(): MvccStoreState {
    const keys: { key: Bytes; changes: Change[] }[] = [];
    this.#index.forEach((rec) => keys.push({ key: rec.key, changes: rec.changes.slice() }));
    return {
      format: STATE_FORMAT,
      revision: this.#rev,
      compactRevision: this.#compactRev,
      consistentIndex: this.#consistentIndex,
      noSpaceAlarm: this.#noSpaceAlarm,
      dbSizeBytes: this.#sizeBytes,
      keys,
      leases: this.leases(),
    };
  }

  static importState(state: unknown, opts: MvccStoreOptions = {}): MvccStore {
    const s = parseState(state);
    const store = new MvccStore(opts);
    store.#rev = s.revision;
    store.#compactRev = s.compactRevision;
    store.#consistentIndex = s.consistentIndex;
    store.#noSpaceAlarm = s.noSpaceAlarm;
    for (const l of s.leases) {
      store.#lessor.grant(l.id, l.ttlSeconds);
      store.#sizeInUseBytes += LEASE_RECORD_BYTES;
    }
    store.#revLogBase = Math.max(2, s.compactRevision);
    const log: Change[][] = [];
    for (let r = store.#revLogBase; r <= s.revision; r++) log.push([]);
    for (const k of s.keys) {
      const key = copyBytes(k.key);
      const rec: KeyRecord = { key, changes: k.changes.map((ch) => freezeChange(ch, key)) };
      store.#index.insert(rec);
      for (const ch of rec.changes) {
        store.#sizeInUseBytes += changeBytes(ch);
        log[ch.kv.modRevision - store.#revLogBase]?.push(ch);
      }
      const last = rec.changes[rec.changes.length - 1];
      if (last?.type === "PUT" && last.kv.lease !== 0n) store.#lessor.attach(last.kv.lease, key);
    }
    for (const changes of log) changes.sort((a, b) => a.sub - b.sub);
    store.#revLog = log;
    store.#sizeBytes = Math.max(s.dbSizeBytes, store.#sizeInUseBytes);
    return store;
  }
}


/** The key's value at `rev` (undefined when absent or deleted there). */
function valueAt(rec: KeyRecord, rev: number): KeyValue | undefined {
  const cs = rec.changes;
  let i = cs.length - 1;
  // Most reads are at the latest revision: look from the end, then binary search.
  if (i >= 0 && cs[i]!.kv.modRevision > rev) {
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cs[mid]!.kv.modRevision > rev) hi = mid;
      else lo = mid + 1;
    }
    i = lo - 1;
  }
  const ch = cs[i];
  return ch?.type === "PUT" ? ch.kv : undefined;
}

function freezeChange(ch: Change, key: Bytes): Change {
  // Copies, so the store never pins (or shares) the buffer the snapshot was decoded from.
  const kv = Object.freeze({ ...ch.kv, key, value: copyBytes(ch.kv.value) });
  return Object.freeze({ type: ch.type, kv, sub: ch.sub });
}

function parseState(state: unknown): MvccStoreState {
  const s = state as Partial<MvccStoreState> | null;
  if (
    typeof s !== "object" ||
    s === null ||
    s.format !== STATE_FORMAT ||
    typeof s.revision !== "number" ||
    typeof s.compactRevision !== "number" ||
    typeof s.consistentIndex !== "number" ||
    typeof s.noSpaceAlarm !== "boolean" ||
    typeof s.dbSizeBytes !== "number" ||
    !Array.isArray(s.keys) ||
    !Array.isArray(s.leases)
  ) {
    throw new Error(`MvccStore.importState: not a ${STATE_FORMAT} state`);
  }
  return s as MvccStoreState;
}
