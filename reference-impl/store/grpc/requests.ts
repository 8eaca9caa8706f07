// Server side: decoded rpc.proto requests -> KV requests, with the checks etcd's gRPC layer makes
// before a request reaches the store (etcd api/v3rpc/key.go: checkRangeRequest, checkPutRequest,
// checkDeleteRequest, checkTxnRequest, checkIntervals; watch.go for watch keys). Anything a client
// can send is either answered with etcd's error or turned into a well-formed KV request.
import {
  KvErrors,
  KvLimits,
  KvError,
  type Compare,
  type CompactionRequest,
  type DeleteRangeRequest,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  type TxnRequest,
  type WatchCreateRequest,
  type WatchFilter,
} from "../../../spec/interfaces/kv.ts";
import { GrpcErrors } from "./errors.ts";
import type {
  WireCompactionRequest,
  WireCompare,
  WireDeleteRangeRequest,
  WirePutRequest,
  WireRangeRequest,
  WireRequestOp,
  WireTxnRequest,
  WireWatchCreateRequest,
} from "./proto.ts";
import { big, bytes, compareResults, compareTargets, num, sortOrders, sortTargets, watchFilters } from "./wire.ts";

export function rangeRequestFromWire(w: WireRangeRequest): RangeRequest {
  const key = bytes(w.key);
  if (key.length === 0) throw KvErrors.emptyKey();
  // etcd 3.4 sorts by neither order for an unknown sort_order (it returns key order, as NONE does)
  // and crashes on an unknown sort_target, which etcd 3.5 rejects as an invalid sort option.
  const sortOrder = sortOrders[w.sort_order ?? 0] ?? "NONE";
  const sortTarget = sortTargets[w.sort_target ?? 0];
  if (!sortTarget) throw GrpcErrors.invalidSortOption();
  return {
    key,
    rangeEnd: bytes(w.range_end),
    // etcd reads a limit <= 0 as "no limit" and a revision <= 0 as "the current revision".
    limit: Math.max(0, num(w.limit)),
    revision: Math.max(0, num(w.revision)),
    sortOrder,
    sortTarget,
    serializable: w.serializable ?? false,
    keysOnly: w.keys_only ?? false,
    countOnly: w.count_only ?? false,
    minModRevision: num(w.min_mod_revision),
    maxModRevision: num(w.max_mod_revision),
    minCreateRevision: num(w.min_create_revision),
    maxCreateRevision: num(w.max_create_revision),
  };
}

export function putRequestFromWire(w: WirePutRequest): PutRequest {
  const key = bytes(w.key);
  if (key.length === 0) throw KvErrors.emptyKey();
  const value = bytes(w.value);
  const lease = big(w.lease);
  if (w.ignore_value && value.length !== 0) throw KvErrors.valueProvided();
  if (w.ignore_lease && lease !== 0n) throw KvErrors.leaseProvided();
  return {
    key,
    value,
    lease,
    prevKv: w.prev_kv ?? false,
    ignoreValue: w.ignore_value ?? false,
    ignoreLease: w.ignore_lease ?? false,
  };
}

export function deleteRangeRequestFromWire(w: WireDeleteRangeRequest): DeleteRangeRequest {
  const key = bytes(w.key);
  if (key.length === 0) throw KvErrors.emptyKey();
  return { key, rangeEnd: bytes(w.range_end), prevKv: w.prev_kv ?? false };
}

export function compactionRequestFromWire(w: WireCompactionRequest): CompactionRequest {
  return { revision: num(w.revision), physical: w.physical ?? false };
}

// ---- Txn ---------------------------------------------------------------------------------------

export function txnRequestFromWire(w: WireTxnRequest, maxTxnOps: number = KvLimits.maxTxnOps): TxnRequest {
  checkTxn(w, maxTxnOps);
  checkIntervals(w.success ?? []);
  checkIntervals(w.failure ?? []);
  return txnFromWire(w);
}

/** etcd checkTxnRequest: op counts (nested txns get what the parent leaves), keys, empty ops. */
function checkTxn(w: WireTxnRequest, maxTxnOps: number): void {
  const compare = w.compare ?? [];
  const success = w.success ?? [];
  const failure = w.failure ?? [];
  const opc = Math.max(compare.length, success.length, failure.length);
  if (opc > maxTxnOps) throw KvErrors.tooManyOps();
  for (const c of compare) if (bytes(c.key).length === 0) throw KvErrors.emptyKey();
  for (const op of [...success, ...failure]) checkRequestOp(op, maxTxnOps - opc);
}

function checkRequestOp(op: WireRequestOp, maxTxnOps: number): void {
  if (op.request_range) rangeRequestFromWire(op.request_range);
  else if (op.request_put) putRequestFromWire(op.request_put);
  else if (op.request_delete_range) deleteRangeRequestFromWire(op.request_delete_range);
  else if (op.request_txn) checkTxn(op.request_txn, maxTxnOps);
  // An op with nothing set: etcd answers "key not found".
  else throw KvErrors.keyNotFound();
}

interface Interval {
  start: string;
  /** Exclusive; "" is +infinity (etcd adt.StringAffineComparable); null: the single key `start`. */
  end: string | null;
}

/** Byte strings as latin1 JS strings: JS string order is then byte order. */
const bin = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

function intersects(dels: Interval[], key: string): boolean {
  for (const d of dels) {
    if (d.end === null ? key === d.start : key >= d.start && (d.end === "" || key < d.end)) return true;
  }
  return false;
}

/**
 * etcd checkIntervals: within one branch of a txn, a key may be put once and not both put and
 * deleted; a nested txn's then/else branches may put the same key (only one of them runs).
 */
function checkIntervals(ops: WireRequestOp[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const op of ops) {
    const d = op.request_delete_range;
    if (!d) continue;
    const end = bytes(d.range_end);
    dels.push({ start: bin(bytes(d.key)), end: end.length === 0 ? null : bin(end) });
  }
  const puts = new Set<string>();
  for (const op of ops) {
    if (!op.request_txn) continue;
    const then = checkIntervals(op.request_txn.success ?? []);
    const otherwise = checkIntervals(op.request_txn.failure ?? []);
    for (const k of then.puts) {
      if (puts.has(k) || intersects(dels, k)) throw KvErrors.duplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if ((puts.has(k) && !then.puts.has(k)) || intersects(dels, k)) throw KvErrors.duplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!op.request_put) continue;
    const k = bin(bytes(op.request_put.key));
    if (puts.has(k) || intersects(dels, k)) throw KvErrors.duplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}

function txnFromWire(w: WireTxnRequest): TxnRequest {
  return {
    compare: (w.compare ?? []).map(compareFromWire),
    success: (w.success ?? []).map(requestOpFromWire),
    failure: (w.failure ?? []).map(requestOpFromWire),
  };
}

function requestOpFromWire(op: WireRequestOp): RequestOp {
  if (op.request_range) return { requestRange: rangeRequestFromWire(op.request_range) };
  if (op.request_put) return { requestPut: putRequestFromWire(op.request_put) };
  if (op.request_delete_range) return { requestDeleteRange: deleteRangeRequestFromWire(op.request_delete_range) };
  if (op.request_txn) return { requestTxn: txnFromWire(op.request_txn) };
  throw KvErrors.keyNotFound();
}

function compareFromWire(w: WireCompare): Compare {
  const result = compareResults[w.result ?? 0];
  const target = compareTargets[w.target ?? 0];
  // etcd 3.4 would silently compare as "equal"; the KV interface cannot express that, so refuse.
  if (!result || !target) throw new KvError("INVALID_ARGUMENT", "etcdserver: invalid compare result or target");
  const base = { result, key: bytes(w.key), rangeEnd: bytes(w.range_end) };
  // A target whose union member is unset compares against the zero value, as in etcd.
  switch (target) {
    case "VERSION":
      return { ...base, target, version: num(w.version) };
    case "CREATE":
      return { ...base, target, createRevision: num(w.create_revision) };
    case "MOD":
      return { ...base, target, modRevision: num(w.mod_revision) };
    case "VALUE":
      return { ...base, target, value: bytes(w.value) };
    case "LEASE":
      return { ...base, target, lease: big(w.lease) };
  }
}

// ---- Watch -------------------------------------------------------------------------------------

export function watchCreateFromWire(w: WireWatchCreateRequest): WatchCreateRequest {
  let key = bytes(w.key);
  // etcd: an empty key watches from the smallest key, \x00.
  if (key.length === 0) key = Uint8Array.of(0);
  const filters: WatchFilter[] = [];
  for (const f of w.filters ?? []) {
    const name = watchFilters[f];
    // etcd ignores filter values it does not know.
    if (name && !filters.includes(name)) filters.push(name);
  }
  return {
    key,
    rangeEnd: bytes(w.range_end),
    startRevision: num(w.start_revision),
    progressNotify: w.progress_notify ?? false,
    filters,
    prevKv: w.prev_kv ?? false,
    watchId: num(w.watch_id),
    fragment: w.fragment ?? false,
  };
}
