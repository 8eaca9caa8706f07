// A deliberately simple model of etcd v3 KV semantics (https://etcd.io/docs/v3.5/learning/api/),
// written to be obviously correct rather than fast: the store is a list of full snapshots, one per
// revision, and every read is a linear scan. Property tests compare real stores with it.
//
// Facts taken from etcd 3.4 (etcdserver/apply.go, etcdserver/api/v3rpc/key.go, mvcc/kvstore*.go):
// - a fresh store is at revision 1; each write request that changes something takes the next revision;
// - a range at revision r fails with "future revision" when r > current and "compacted" when r is
//   below the compaction revision (a range exactly at it succeeds); the response header always
//   carries the current revision, whatever revision was read;
// - with a limit and no sort/filter, etcd fetches limit+1 keys in key order, then sorts (a sort
//   target other than KEY with order NONE means ASCEND), then cuts to the limit;
// - a txn evaluates every compare — nested txns' too — against the store as it was before the txn;
//   its ops see the effects of earlier ops in the same txn; nested txn responses carry a header
//   whose revision is 0 (etcd fills only the outer header);
// - a put inside a txn answers revision begin+1, a delete begin+1 once anything changed, else begin.
//
// Where etcd crashes — a txn whose "\0"-ranged delete removes a key that a later ignoreValue or
// ignoreLease put in it needs (etcd 3.4 panics in apply) — the model answers "key not found".
//
// Not modelled: leases (lease IDs are recorded as given; etcd would answer NOT_FOUND for an unknown
// lease), request-size and quota limits, watches (but `changes()` gives the events of each revision).
import {
  KvErrors,
  KvLimits,
  type Bytes,
  type Compare,
  type CompactionRequest,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type KeyValue,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type RequestOp,
  type ResponseHeader,
  type ResponseOp,
  type TxnRequest,
  type TxnResponse,
  type WatchEvent,
} from "../interfaces/kv.ts";

/** The events one revision produced, in the order etcd applied them. */
export interface RevisionChanges {
  revision: number;
  events: WatchEvent[];
}

export interface KvModelOptions {
  /** etcd's --max-txn-ops (default 128). */
  maxTxnOps?: number;
}

/** Keys and values as strings of char codes 0–255, so `<` orders them like bytes.Compare. */
type Str = string;
type Snapshot = ReadonlyMap<Str, KeyValue>;

/** Marks "every key >= key" in a range end (rpc.proto: range_end "\0"). */
const GTE = Symbol("gte");
type RangeEnd = Str | typeof GTE | undefined;

interface TxnContext {
  /** The store before the txn: compares and pre-checks look only at it. */
  readonly before: Snapshot;
  readonly beginRev: number;
  /** The store as the txn's ops so far left it. */
  readonly working: Map<Str, KeyValue>;
  readonly events: WatchEvent[];
}

export class KvModel {
  /** snapshots[r] is the store as of revision r; etcd starts at revision 1. */
  private readonly snapshots: Snapshot[] = [new Map(), new Map()];
  private readonly history: RevisionChanges[] = [];
  /** etcd's compactMainRev starts at -1: compacting at 0 or 1 succeeds once on a fresh store. */
  private compactRev = -1;
  private readonly maxTxnOps: number;

  constructor(options: KvModelOptions = {}) {
    this.maxTxnOps = options.maxTxnOps ?? KvLimits.maxTxnOps;
  }

  /** The current revision. */
  get revision(): number {
    return this.snapshots.length - 1;
  }

  /** The last successful compaction revision, or -1. */
  get compactRevision(): number {
    return this.compactRev;
  }

  /**
   * Every revision's events, oldest first (revisions that changed nothing have no entry), as a
   * watcher with prevKv receives them: etcd's watch reads prevKv at revision-1, so it is the key
   * before the whole txn — absent when the same txn created the key. A watcher also gets no prevKv
   * once revision-1 is compacted at the time the event is sent; that is left to the caller.
   */
  changes(): RevisionChanges[] {
    return this.history.map((c) => ({ revision: c.revision, events: c.events.map(copyEvent) }));
  }

  range(req: RangeRequest): RangeResponse {
    checkRangeRequest(req);
    return this.rangeIn(req, this.latest(), this.revision);
  }

  put(req: PutRequest): PutResponse {
    checkPutRequest(req);
    if ((req.ignoreValue || req.ignoreLease) && !this.latest().has(str(req.key))) throw KvErrors.keyNotFound();
    const ctx = this.beginTxn();
    const resp = this.applyPut(ctx, req);
    this.commit(ctx);
    return resp;
  }

  deleteRange(req: DeleteRangeRequest): DeleteRangeResponse {
    checkDeleteRequest(req);
    const ctx = this.beginTxn();
    const resp = this.applyDelete(ctx, req);
    this.commit(ctx);
    return resp;
  }

  txn(req: TxnRequest): TxnResponse {
    checkTxnRequest(req, this.maxTxnOps);
    checkIntervals(req.success);
    checkIntervals(req.failure);
    const ctx = this.beginTxn();
    // etcd checks the taken path before applying anything: first puts that need an existing key,
    // then ranges whose revision is out of the history window.
    this.forEachTakenOp(ctx, req, (op) => {
      if ("requestPut" in op && (op.requestPut.ignoreValue || op.requestPut.ignoreLease)) {
        if (!ctx.before.has(str(op.requestPut.key))) throw KvErrors.keyNotFound();
      }
    });
    this.forEachTakenOp(ctx, req, (op) => {
      if (!("requestRange" in op)) return;
      const rev = op.requestRange.revision ?? 0;
      if (rev === 0) return;
      if (rev > ctx.beginRev) throw KvErrors.futureRev();
      if (rev < this.compactRev) throw KvErrors.compacted();
    });
    const resp = this.applyTxn(ctx, req);
    this.commit(ctx);
    resp.header = header(this.revision);
    return resp;
  }

  compact(req: CompactionRequest): CompactionResponse {
    if (req.revision <= this.compactRev) throw KvErrors.compacted();
    if (req.revision > this.revision) throw KvErrors.futureRev();
    this.compactRev = req.revision;
    return { header: header(this.revision) };
  }

  // ---- reads -------------------------------------------------------------------------------

  private latest(): Snapshot {
    return this.snapshots[this.revision]!;
  }

  /** A range as etcd's applier runs it, where `view` is the store at revision `curRev`. */
  private rangeIn(req: RangeRequest, view: Snapshot, curRev: number): RangeResponse {
    const rev = req.revision ?? 0;
    if (rev > curRev) throw KvErrors.futureRev();
    const at = rev <= 0 ? curRev : rev;
    if (at < this.compactRev) throw KvErrors.compacted();
    const all = kvsInRange(at === curRev ? view : this.snapshots[at]!, str(req.key), rangeEnd(req.rangeEnd));
    if (req.countOnly) return { header: header(curRev), kvs: [], more: false, count: all.length };

    const limit = req.limit ?? 0;
    const order = req.sortOrder ?? "NONE";
    const target = req.sortTarget ?? "KEY";
    const filtered =
      (req.minModRevision ?? 0) !== 0 ||
      (req.maxModRevision ?? 0) !== 0 ||
      (req.minCreateRevision ?? 0) !== 0 ||
      (req.maxCreateRevision ?? 0) !== 0;
    // etcd fetches limit+1 in key order unless it must sort or filter everything first.
    let kvs = order === "NONE" && !filtered && limit > 0 ? all.slice(0, limit + 1) : all;
    if (req.maxModRevision) kvs = kvs.filter((kv) => kv.modRevision <= req.maxModRevision!);
    if (req.minModRevision) kvs = kvs.filter((kv) => kv.modRevision >= req.minModRevision!);
    if (req.maxCreateRevision) kvs = kvs.filter((kv) => kv.createRevision <= req.maxCreateRevision!);
    if (req.minCreateRevision) kvs = kvs.filter((kv) => kv.createRevision >= req.minCreateRevision!);
    const effectiveOrder = target !== "KEY" && order === "NONE" ? "ASCEND" : order;
    if (effectiveOrder !== "NONE") {
      const sign = effectiveOrder === "ASCEND" ? 1 : -1;
      kvs = [...kvs].sort((a, b) => sign * compareBy(target, a, b));
    }
    let more = false;
    if (limit > 0 && kvs.length > limit) {
      kvs = kvs.slice(0, limit);
      more = true;
    }
    return {
      header: header(curRev),
      kvs: kvs.map((kv) => (req.keysOnly ? { ...copyKv(kv), value: new Uint8Array(0) } : copyKv(kv))),
      more,
      count: all.length,
    };
  }

  // ---- writes ------------------------------------------------------------------------------

  private beginTxn(): TxnContext {
    const before = this.latest();
    return { before, beginRev: this.revision, working: new Map(before), events: [] };
  }

  private commit(ctx: TxnContext): void {
    if (ctx.events.length === 0) return;
    this.snapshots.push(ctx.working);
    this.history.push({ revision: this.revision, events: ctx.events });
  }

  /** The revision a read inside the txn sees: begin+1 once the txn changed something. */
  private txnRev(ctx: TxnContext): number {
    return ctx.beginRev + (ctx.events.length > 0 ? 1 : 0);
  }

  private applyPut(ctx: TxnContext, req: PutRequest): PutResponse {
    const key = str(req.key);
    const rev = ctx.beginRev + 1;
    const prev = ctx.working.get(key);
    // Only reachable in a txn whose earlier "\0"-ranged delete removed the key: etcd 3.4 panics
    // there; the model refuses the whole txn, as the reference store does.
    if ((req.ignoreValue || req.ignoreLease) && !prev) throw KvErrors.keyNotFound();
    const kv: KeyValue = {
      key: Uint8Array.from(req.key),
      createRevision: prev ? prev.createRevision : rev,
      modRevision: rev,
      version: prev ? prev.version + 1 : 1,
      value: Uint8Array.from(req.ignoreValue && prev ? prev.value : req.value),
      lease: req.ignoreLease && prev ? prev.lease : (req.lease ?? 0n),
    };
    ctx.working.set(key, kv);
    ctx.events.push(withPrev({ type: "PUT", kv: copyKv(kv) }, prev && ctx.before.get(key)));
    const resp: PutResponse = { header: header(rev) };
    if (req.prevKv && prev) resp.prevKv = copyKv(prev);
    return resp;
  }

  private applyDelete(ctx: TxnContext, req: DeleteRangeRequest): DeleteRangeResponse {
    const victims = kvsInRange(ctx.working, str(req.key), rangeEnd(req.rangeEnd));
    const rev = ctx.beginRev + 1;
    for (const kv of victims) {
      ctx.working.delete(str(kv.key));
      const tombstone: KeyValue = {
        key: Uint8Array.from(kv.key),
        createRevision: 0,
        modRevision: rev,
        version: 0,
        value: new Uint8Array(0),
        lease: 0n,
      };
      ctx.events.push(withPrev({ type: "DELETE", kv: tombstone }, ctx.before.get(str(kv.key))));
    }
    return {
      header: header(this.txnRev(ctx)),
      deleted: victims.length,
      prevKvs: req.prevKv ? victims.map(copyKv) : [],
    };
  }

  private applyTxn(ctx: TxnContext, req: TxnRequest): TxnResponse {
    const succeeded = req.compare.every((c) => applyCompare(ctx.before, c));
    const responses: ResponseOp[] = (succeeded ? req.success : req.failure).map((op) => this.applyOp(ctx, op));
    return { header: header(0), succeeded, responses };
  }

  private applyOp(ctx: TxnContext, op: RequestOp): ResponseOp {
    if ("requestRange" in op) return { responseRange: this.rangeIn(op.requestRange, ctx.working, this.txnRev(ctx)) };
    if ("requestPut" in op) return { responsePut: this.applyPut(ctx, op.requestPut) };
    if ("requestDeleteRange" in op) return { responseDeleteRange: this.applyDelete(ctx, op.requestDeleteRange) };
    return { responseTxn: this.applyTxn(ctx, op.requestTxn) };
  }

  /** Visits the ops of the branches the txn will take (compares read the pre-txn store). */
  private forEachTakenOp(ctx: TxnContext, req: TxnRequest, visit: (op: RequestOp) => void): void {
    const ops = req.compare.every((c) => applyCompare(ctx.before, c)) ? req.success : req.failure;
    for (const op of ops) {
      if ("requestTxn" in op) this.forEachTakenOp(ctx, op.requestTxn, visit);
      else visit(op);
    }
  }
}

// ---- compares ----------------------------------------------------------------------------------

function applyCompare(view: Snapshot, c: Compare): boolean {
  const kvs = kvsInRange(view, str(c.key), rangeEnd(c.rangeEnd));
  // A value compare on a missing key always fails (gRPC cannot tell a missing value from "").
  if (kvs.length === 0) return c.target === "VALUE" ? false : compareKv(c, undefined);
  return kvs.every((kv) => compareKv(c, kv));
}

/** Compares one key (absent = etcd's zero KeyValue) with the compare's target. */
function compareKv(c: Compare, kv: KeyValue | undefined): boolean {
  let result: number;
  switch (c.target) {
    case "VALUE":
      result = cmp(str(kv?.value ?? new Uint8Array(0)), str(c.value));
      break;
    case "VERSION":
      result = cmp(kv?.version ?? 0, c.version);
      break;
    case "CREATE":
      result = cmp(kv?.createRevision ?? 0, c.createRevision);
      break;
    case "MOD":
      result = cmp(kv?.modRevision ?? 0, c.modRevision);
      break;
    case "LEASE":
      result = cmp(kv?.lease ?? 0n, c.lease);
      break;
  }
  switch (c.result) {
    case "EQUAL":
      return result === 0;
    case "NOT_EQUAL":
      return result !== 0;
    case "GREATER":
      return result > 0;
    case "LESS":
      return result < 0;
  }
}

function compareBy(target: NonNullable<RangeRequest["sortTarget"]>, a: KeyValue, b: KeyValue): number {
  switch (target) {
    case "KEY":
      return cmp(str(a.key), str(b.key));
    case "VERSION":
      return cmp(a.version, b.version);
    case "CREATE":
      return cmp(a.createRevision, b.createRevision);
    case "MOD":
      return cmp(a.modRevision, b.modRevision);
    case "VALUE":
      return cmp(str(a.value), str(b.value));
  }
}

function cmp<T extends string | number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- request validation (etcd's v3rpc/key.go, before anything reaches the store) -------------

function checkRangeRequest(req: RangeRequest): void {
  if (req.key.length === 0) throw KvErrors.emptyKey();
}

function checkPutRequest(req: PutRequest): void {
  if (req.key.length === 0) throw KvErrors.emptyKey();
  if (req.ignoreValue && req.value.length !== 0) throw KvErrors.valueProvided();
  if (req.ignoreLease && (req.lease ?? 0n) !== 0n) throw KvErrors.leaseProvided();
}

function checkDeleteRequest(req: DeleteRangeRequest): void {
  if (req.key.length === 0) throw KvErrors.emptyKey();
}

function checkTxnRequest(req: TxnRequest, maxTxnOps: number): void {
  const opc = Math.max(req.compare.length, req.success.length, req.failure.length);
  if (opc > maxTxnOps) throw KvErrors.tooManyOps();
  for (const c of req.compare) if (c.key.length === 0) throw KvErrors.emptyKey();
  // Nested txns share the budget that the outer level left.
  for (const op of [...req.success, ...req.failure]) {
    if ("requestRange" in op) checkRangeRequest(op.requestRange);
    else if ("requestPut" in op) checkPutRequest(op.requestPut);
    else if ("requestDeleteRange" in op) checkDeleteRequest(op.requestDeleteRange);
    else checkTxnRequest(op.requestTxn, maxTxnOps - opc);
  }
}

/** A delete's key interval as etcd's checkIntervals sees it: end undefined = the single key. */
interface Interval {
  begin: Str;
  end: Str | undefined;
}

/**
 * etcd's checkIntervals: a txn may not put one key twice, nor put a key that one of its deletes
 * covers, at any nesting level (the two branches of one nested txn may put the same key). Like
 * etcd it takes a delete's range end as raw bytes, so "\0" (all keys >= key) makes an empty interval.
 */
function checkIntervals(ops: RequestOp[]): { puts: Set<Str>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const op of ops) {
    if (!("requestDeleteRange" in op)) continue;
    const d = op.requestDeleteRange;
    dels.push({ begin: str(d.key), end: d.rangeEnd && d.rangeEnd.length > 0 ? str(d.rangeEnd) : undefined });
  }
  const puts = new Set<Str>();
  for (const op of ops) {
    if (!("requestTxn" in op)) continue;
    const then = checkIntervals(op.requestTxn.success);
    const otherwise = checkIntervals(op.requestTxn.failure);
    for (const k of then.puts) {
      if (puts.has(k) || dels.some((iv) => covers(iv, k))) throw KvErrors.duplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw KvErrors.duplicateKey();
      if (dels.some((iv) => covers(iv, k))) throw KvErrors.duplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!("requestPut" in op)) continue;
    const k = str(op.requestPut.key);
    if (puts.has(k) || dels.some((iv) => covers(iv, k))) throw KvErrors.duplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}

function covers(iv: Interval, k: Str): boolean {
  if (iv.end === undefined) return iv.begin === k;
  return iv.begin <= k && k < iv.end;
}

// ---- helpers -----------------------------------------------------------------------------------

/** Bytes as a string of char codes 0–255 (string order = byte order). */
function str(b: Bytes): Str {
  let s = "";
  for (const byte of b) s += String.fromCharCode(byte);
  return s;
}

function rangeEnd(end: Bytes | undefined): RangeEnd {
  if (!end || end.length === 0) return undefined;
  if (end.length === 1 && end[0] === 0) return GTE;
  return str(end);
}

/** The live keys of `view` in [key, end), sorted by key. */
function kvsInRange(view: Snapshot, key: Str, end: RangeEnd): KeyValue[] {
  if (end === undefined) {
    const kv = view.get(key);
    return kv ? [kv] : [];
  }
  const inRange = [...view.entries()].filter(([k]) => k >= key && (end === GTE || k < end));
  return inRange.sort(([a], [b]) => cmp(a, b)).map(([, kv]) => kv);
}

function header(revision: number): ResponseHeader {
  return { clusterId: 0n, memberId: 0n, revision, raftTerm: 0 };
}

function copyKv(kv: KeyValue): KeyValue {
  return { ...kv, key: Uint8Array.from(kv.key), value: Uint8Array.from(kv.value) };
}

function withPrev(e: WatchEvent, prev: KeyValue | undefined): WatchEvent {
  return prev ? { ...e, prevKv: copyKv(prev) } : e;
}

function copyEvent(e: WatchEvent): WatchEvent {
  return e.prevKv ? { type: e.type, kv: copyKv(e.kv), prevKv: copyKv(e.prevKv) } : { type: e.type, kv: copyKv(e.kv) };
}
