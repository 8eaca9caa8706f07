// Stateless request checks etcd makes at its gRPC layer before a request reaches raft
// (etcdserver/api/v3rpc/key.go: checkRangeRequest, checkPutRequest, checkDeleteRequest,
// checkTxnRequest, checkIntervals) and when proposing (max request bytes). State-dependent errors
// (unknown lease, compacted/future revision, key not found for ignore flags, quota) are decided when
// the command is applied, as etcd's applier does.
import {
  KvErrors,
  KvLimits,
  type Bytes,
  type DeleteRangeRequest,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  type TxnRequest,
} from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";
import { bytesToKey, compareBytes } from "./bytes.ts";
import { raftRequestBytes } from "./request-size.ts";

export function checkRangeRequest(r: RangeRequest): void {
  if (r.key.length === 0) throw KvErrors.emptyKey();
}

export function checkPutRequest(r: PutRequest): void {
  if (r.key.length === 0) throw KvErrors.emptyKey();
  if (r.ignoreValue && r.value.length !== 0) throw KvErrors.valueProvided();
  if (r.ignoreLease && (r.lease ?? 0n) !== 0n) throw KvErrors.leaseProvided();
}

export function checkDeleteRequest(r: DeleteRangeRequest): void {
  if (r.key.length === 0) throw KvErrors.emptyKey();
}

/**
 * etcd's checkTxnRequest: at most `maxTxnOps` compares, success ops and failure ops each; a nested
 * txn gets what is left of the budget (maxTxnOps minus its parent's largest list); compares need a
 * key; every op is checked; an op with no request set is "key not found".
 */
export function checkTxnRequest(r: TxnRequest, maxTxnOps: number = KvLimits.maxTxnOps): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxTxnOps) throw KvErrors.tooManyOps();
  for (const c of r.compare) if (c.key.length === 0) throw KvErrors.emptyKey();
  for (const op of r.success) checkRequestOp(op, maxTxnOps - opc);
  for (const op of r.failure) checkRequestOp(op, maxTxnOps - opc);
}

function checkRequestOp(op: RequestOp, maxTxnOps: number): void {
  if ("requestRange" in op && op.requestRange) return checkRangeRequest(op.requestRange);
  if ("requestPut" in op && op.requestPut) return checkPutRequest(op.requestPut);
  if ("requestDeleteRange" in op && op.requestDeleteRange) return checkDeleteRequest(op.requestDeleteRange);
  if ("requestTxn" in op && op.requestTxn) return checkTxnRequest(op.requestTxn, maxTxnOps);
  throw KvErrors.keyNotFound(); // empty op, as etcd answers it
}

/** A delete's key set as checkIntervals sees it: a point, or [key, end) — empty when end <= key. */
interface DeleteInterval {
  key: Bytes;
  end: Bytes | undefined;
}

function intersectsPoint(dels: DeleteInterval[], k: Bytes): boolean {
  for (const d of dels) {
    if (d.end === undefined) {
      if (compareBytes(d.key, k) === 0) return true;
    } else if (compareBytes(d.key, k) <= 0 && compareBytes(k, d.end) < 0) {
      return true;
    }
  }
  return false;
}

/**
 * etcd's checkIntervals, rule for rule: within one op list, no key may be put twice and no put may
 * fall in a delete's range, counting nested txns (a nested txn's success and failure branches may
 * put the same key, as only one runs). Quirks kept on purpose, because etcd has them: a delete with
 * range end "\0" (every key >= key) is an inverted interval in etcd's interval tree and conflicts
 * with nothing; a nested txn's puts are checked only against deletes of this level and of nested
 * txns listed before it.
 */
export function checkIntervals(reqs: RequestOp[]): IntervalSets {
  const dels: DeleteInterval[] = [];
  for (const op of reqs) {
    if (!("requestDeleteRange" in op) || !op.requestDeleteRange) continue;
    const d = op.requestDeleteRange;
    dels.push({ key: d.key, end: d.rangeEnd !== undefined && d.rangeEnd.length !== 0 ? d.rangeEnd : undefined });
  }
  const puts = new Map<string, Bytes>();
  for (const op of reqs) {
    if (!("requestTxn" in op) || !op.requestTxn) continue;
    const then = checkIntervals(op.requestTxn.success);
    const otherwise = checkIntervals(op.requestTxn.failure);
    for (const [k, kb] of then.puts) {
      if (puts.has(k) || intersectsPoint(dels, kb)) throw KvErrors.duplicateKey();
      puts.set(k, kb);
    }
    for (const [k, kb] of otherwise.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw KvErrors.duplicateKey();
      if (intersectsPoint(dels, kb)) throw KvErrors.duplicateKey();
      puts.set(k, kb);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of reqs) {
    if (!("requestPut" in op) || !op.requestPut) continue;
    const kb = op.requestPut.key;
    const k = bytesToKey(kb);
    if (puts.has(k) || intersectsPoint(dels, kb)) throw KvErrors.duplicateKey();
    puts.set(k, kb);
  }
  return { puts, dels };
}

interface IntervalSets {
  /** Put keys (as bytesToKey strings) of this op list and its nested txns. */
  puts: Map<string, Bytes>;
  dels: DeleteInterval[];
}

/** Everything etcd checks about a txn before proposing it. */
export function checkTxn(r: TxnRequest, maxTxnOps: number = KvLimits.maxTxnOps): void {
  checkTxnRequest(r, maxTxnOps);
  checkIntervals(r.success);
  checkIntervals(r.failure);
}

/** etcd's isTxnReadonly: only range ops in both branches (a nested txn counts as a write). */
export function isTxnReadonly(r: TxnRequest): boolean {
  for (const op of r.success) if (!("requestRange" in op)) return false;
  for (const op of r.failure) if (!("requestRange" in op)) return false;
  return true;
}

/** The stateless checks for a write command, in etcd's order; throws etcd's KvError. */
export function checkWriteCommand(
  cmd: WriteCommand,
  limits: { maxTxnOps: number; maxRequestBytes: number } = KvLimits,
): void {
  switch (cmd.op) {
    case "put":
      checkPutRequest(cmd.req);
      break;
    case "deleteRange":
      checkDeleteRequest(cmd.req);
      break;
    case "txn":
      checkTxn(cmd.req, limits.maxTxnOps);
      break;
    default:
      break;
  }
  if (raftRequestBytes(cmd) > limits.maxRequestBytes) throw KvErrors.requestTooLarge();
}
