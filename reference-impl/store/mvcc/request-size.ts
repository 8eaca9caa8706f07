// The size etcd checks against --max-request-bytes: the protobuf encoding of the raft entry
// (InternalRaftRequest) a write becomes (etcdserver/v3_server.go processInternalRaftRequestOnce:
// `len(data) > MaxRequestBytes` → ErrRequestTooLarge). Computed from rpc.proto field numbers; the
// only guess is the request header, whose ID is a varint of a counter etcd seeds from the member id
// and time (assumed 9 bytes), so results are within a couple of bytes of etcd's.
import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";

/** RequestHeader{ID} inside InternalRaftRequest field 100: tag (2) + length (1) + tag (1) + ID (9). */
const RAFT_HEADER_BYTES = 13;

export function varintBytes(n: number | bigint): number {
  let v = typeof n === "bigint" ? n : BigInt(Math.trunc(n));
  if (v < 0n) return 10; // negative int64s are sign-extended to 10 bytes
  let len = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    len++;
  }
  return len;
}

/** Tag + length + payload of a length-delimited field; absent when empty (proto3). */
function bytesField(len: number, tagBytes = 1): number {
  return len === 0 ? 0 : tagBytes + varintBytes(len) + len;
}

function intField(v: number | bigint | undefined, tagBytes = 1): number {
  return v === undefined || v === 0 || v === 0n ? 0 : tagBytes + varintBytes(v);
}

function boolField(v: boolean | undefined): number {
  return v ? 2 : 0;
}

/** Embedded message field: always present when set, even if empty. */
function messageField(len: number, tagBytes = 1): number {
  return tagBytes + varintBytes(len) + len;
}

const SORT_ORDER = { NONE: 0, ASCEND: 1, DESCEND: 2 } as const;
const SORT_TARGET = { KEY: 0, VERSION: 1, CREATE: 2, MOD: 3, VALUE: 4 } as const;

export function rangeRequestBytes(r: RangeRequest): number {
  return (
    bytesField(r.key.length) +
    bytesField(r.rangeEnd?.length ?? 0) +
    intField(r.limit) +
    intField(r.revision) +
    intField(SORT_ORDER[r.sortOrder ?? "NONE"]) +
    intField(SORT_TARGET[r.sortTarget ?? "KEY"]) +
    boolField(r.serializable) +
    boolField(r.keysOnly) +
    boolField(r.countOnly) +
    intField(r.minModRevision) +
    intField(r.maxModRevision) +
    intField(r.minCreateRevision) +
    intField(r.maxCreateRevision)
  );
}

export function putRequestBytes(r: PutRequest): number {
  return (
    bytesField(r.key.length) +
    bytesField(r.value.length) +
    intField(r.lease) +
    boolField(r.prevKv) +
    boolField(r.ignoreValue) +
    boolField(r.ignoreLease)
  );
}

export function deleteRangeRequestBytes(r: DeleteRangeRequest): number {
  return bytesField(r.key.length) + bytesField(r.rangeEnd?.length ?? 0) + boolField(r.prevKv);
}

const COMPARE_RESULT = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
const COMPARE_TARGET = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;

function compareBytesLen(c: Compare): number {
  let target: number;
  switch (c.target) {
    case "VERSION":
      target = 1 + varintBytes(c.version);
      break;
    case "CREATE":
      target = 1 + varintBytes(c.createRevision);
      break;
    case "MOD":
      target = 1 + varintBytes(c.modRevision);
      break;
    case "VALUE":
      target = 1 + varintBytes(c.value.length) + c.value.length;
      break;
    case "LEASE":
      target = 1 + varintBytes(c.lease);
      break;
  }
  return (
    intField(COMPARE_RESULT[c.result]) +
    intField(COMPARE_TARGET[c.target]) +
    bytesField(c.key.length) +
    target +
    bytesField(c.rangeEnd?.length ?? 0, 2) // range_end is field 64: a two-byte tag
  );
}

export function requestOpBytes(op: RequestOp): number {
  if ("requestRange" in op) return messageField(rangeRequestBytes(op.requestRange));
  if ("requestPut" in op) return messageField(putRequestBytes(op.requestPut));
  if ("requestDeleteRange" in op) return messageField(deleteRangeRequestBytes(op.requestDeleteRange));
  if ("requestTxn" in op) return messageField(txnRequestBytes(op.requestTxn));
  return 0;
}

export function txnRequestBytes(r: TxnRequest): number {
  let n = 0;
  for (const c of r.compare) n += messageField(compareBytesLen(c));
  for (const op of r.success) n += messageField(requestOpBytes(op));
  for (const op of r.failure) n += messageField(requestOpBytes(op));
  return n;
}

/** Encoded size of the raft entry etcd would propose for this write. */
export function raftRequestBytes(cmd: WriteCommand): number {
  let body: number;
  switch (cmd.op) {
    case "put":
      body = putRequestBytes(cmd.req);
      break;
    case "deleteRange":
      body = deleteRangeRequestBytes(cmd.req);
      break;
    case "txn":
      body = txnRequestBytes(cmd.req);
      break;
    case "compact":
      body = intField(cmd.revision);
      break;
    case "leaseGrant":
      body = intField(cmd.ttlSeconds) + intField(cmd.id);
      break;
    case "leaseRevoke":
      body = intField(cmd.id);
      break;
  }
  return RAFT_HEADER_BYTES + messageField(body);
}
