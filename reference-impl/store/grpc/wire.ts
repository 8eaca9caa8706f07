// Conversions between the KV interface's types and rpc.proto messages as plain objects (proto.ts).
// Requests go KV -> wire (client); responses go both ways (server encodes, client decodes). Decoding
// wire requests, with etcd's validation, is requests.ts. Byte fields become plain Uint8Array views
// (no copy), int64 counters become numbers (clamped to the safe range) and IDs become bigints.
import type {
  Compare,
  CompactionRequest,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseStatus,
  LeaseTimeToLiveResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseHeader,
  ResponseOp,
  SortOrder,
  SortTarget,
  StatusResponse,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchEvent,
  WatchFilter,
  WatchResponse,
  CompareResult,
} from "../../../spec/interfaces/kv.ts";
import type {
  Long,
  WireBytes,
  WireCompare,
  WireDeleteRangeRequest,
  WireDeleteRangeResponse,
  WireEvent,
  WireHeader,
  WireKeyValue,
  WireLeaseGrantResponse,
  WireLeaseKeepAliveResponse,
  WireLeaseLeasesResponse,
  WireLeaseTimeToLiveResponse,
  WirePutRequest,
  WirePutResponse,
  WireRangeRequest,
  WireRangeResponse,
  WireRequestOp,
  WireResponseOp,
  WireStatusResponse,
  WireTxnRequest,
  WireTxnResponse,
  WireWatchCreateRequest,
  WireWatchResponse,
} from "./proto.ts";

// ---- Enums (rpc.proto numbering) -------------------------------------------------------------

export const sortOrders: readonly SortOrder[] = ["NONE", "ASCEND", "DESCEND"];
export const sortTargets: readonly SortTarget[] = ["KEY", "VERSION", "CREATE", "MOD", "VALUE"];
export const compareResults: readonly CompareResult[] = ["EQUAL", "GREATER", "LESS", "NOT_EQUAL"];
export const compareTargets: readonly Compare["target"][] = ["VERSION", "CREATE", "MOD", "VALUE", "LEASE"];
export const eventTypes: readonly WatchEvent["type"][] = ["PUT", "DELETE"];
export const watchFilters: readonly WatchFilter[] = ["NOPUT", "NODELETE"];

// ---- Primitives --------------------------------------------------------------------------------

const EMPTY = new Uint8Array(0);

/** An int64 as a number, clamped to the safe integers (beyond them etcd's answers do not change). */
export function num(x: Long | null | undefined): number {
  if (x === undefined || x === null) return 0;
  const n = typeof x === "number" ? x : Number(x);
  if (!Number.isFinite(n)) return 0;
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Math.trunc(n)));
}

/** An int64/uint64 exactly, as a bigint. */
export function big(x: Long | null | undefined): bigint {
  if (x === undefined || x === null || x === "") return 0n;
  return typeof x === "number" ? BigInt(Math.trunc(x)) : BigInt(x);
}

/** Bytes as a plain Uint8Array (a view, not a copy), so results compare equal across KV backends. */
export function bytes(x: WireBytes | null | undefined): Uint8Array {
  if (!x || x.byteLength === 0) return EMPTY;
  return x.constructor === Uint8Array ? x : new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
}

/**
 * A bytes field to send: absent when empty. etcd (gogo-protobuf) tells an empty field that was sent
 * from one that was not, and reads an empty range_end as "every key >= key".
 */
function opt(x: Uint8Array | undefined): Uint8Array | undefined {
  return x && x.byteLength > 0 ? x : undefined;
}

/** A bigint for an int64 field: protobufjs takes exact decimal strings. */
function long(x: bigint): string {
  return x.toString();
}

// ---- Header and KeyValue ---------------------------------------------------------------------

export function headerToWire(h: ResponseHeader): WireHeader {
  return { cluster_id: long(h.clusterId), member_id: long(h.memberId), revision: h.revision, raft_term: h.raftTerm };
}

export function headerFromWire(w: WireHeader | null | undefined): ResponseHeader {
  return {
    clusterId: big(w?.cluster_id),
    memberId: big(w?.member_id),
    revision: num(w?.revision),
    raftTerm: num(w?.raft_term),
  };
}

export function kvToWire(kv: KeyValue): WireKeyValue {
  return {
    key: kv.key,
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: kv.value,
    lease: long(kv.lease),
  };
}

export function kvFromWire(w: WireKeyValue | null | undefined): KeyValue {
  return {
    key: bytes(w?.key),
    createRevision: num(w?.create_revision),
    modRevision: num(w?.mod_revision),
    version: num(w?.version),
    value: bytes(w?.value),
    lease: big(w?.lease),
  };
}

// ---- KV requests, client side (KV -> wire) ---------------------------------------------------

export function rangeRequestToWire(r: RangeRequest): WireRangeRequest {
  return {
    key: opt(r.key),
    range_end: opt(r.rangeEnd),
    limit: r.limit ?? 0,
    revision: r.revision ?? 0,
    sort_order: sortOrders.indexOf(r.sortOrder ?? "NONE"),
    sort_target: sortTargets.indexOf(r.sortTarget ?? "KEY"),
    serializable: r.serializable ?? false,
    keys_only: r.keysOnly ?? false,
    count_only: r.countOnly ?? false,
    min_mod_revision: r.minModRevision ?? 0,
    max_mod_revision: r.maxModRevision ?? 0,
    min_create_revision: r.minCreateRevision ?? 0,
    max_create_revision: r.maxCreateRevision ?? 0,
  };
}

export function putRequestToWire(r: PutRequest): WirePutRequest {
  return {
    key: opt(r.key),
    value: opt(r.value),
    lease: long(r.lease ?? 0n),
    prev_kv: r.prevKv ?? false,
    ignore_value: r.ignoreValue ?? false,
    ignore_lease: r.ignoreLease ?? false,
  };
}

export function deleteRangeRequestToWire(r: DeleteRangeRequest): WireDeleteRangeRequest {
  return { key: opt(r.key), range_end: opt(r.rangeEnd), prev_kv: r.prevKv ?? false };
}

function compareToWire(c: Compare): WireCompare {
  const w: WireCompare = {
    result: compareResults.indexOf(c.result),
    target: compareTargets.indexOf(c.target),
    key: opt(c.key),
    range_end: opt(c.rangeEnd),
  };
  switch (c.target) {
    case "VERSION":
      w.version = c.version;
      break;
    case "CREATE":
      w.create_revision = c.createRevision;
      break;
    case "MOD":
      w.mod_revision = c.modRevision;
      break;
    case "VALUE":
      w.value = opt(c.value);
      break;
    case "LEASE":
      w.lease = long(c.lease);
      break;
  }
  return w;
}

function requestOpToWire(op: RequestOp): WireRequestOp {
  if ("requestRange" in op) return { request_range: rangeRequestToWire(op.requestRange) };
  if ("requestPut" in op) return { request_put: putRequestToWire(op.requestPut) };
  if ("requestDeleteRange" in op) return { request_delete_range: deleteRangeRequestToWire(op.requestDeleteRange) };
  return { request_txn: txnRequestToWire(op.requestTxn) };
}

export function txnRequestToWire(r: TxnRequest): WireTxnRequest {
  return {
    compare: r.compare.map(compareToWire),
    success: r.success.map(requestOpToWire),
    failure: r.failure.map(requestOpToWire),
  };
}

export function compactionRequestToWire(r: CompactionRequest): { revision: number; physical: boolean } {
  return { revision: r.revision, physical: r.physical ?? false };
}

// ---- KV responses (both directions) ----------------------------------------------------------

export function rangeResponseToWire(r: RangeResponse): WireRangeResponse {
  return { header: headerToWire(r.header), kvs: r.kvs.map(kvToWire), more: r.more, count: r.count };
}

export function rangeResponseFromWire(w: WireRangeResponse): RangeResponse {
  return {
    header: headerFromWire(w.header),
    kvs: (w.kvs ?? []).map(kvFromWire),
    more: w.more ?? false,
    count: num(w.count),
  };
}

export function putResponseToWire(r: PutResponse): WirePutResponse {
  return { header: headerToWire(r.header), prev_kv: r.prevKv ? kvToWire(r.prevKv) : null };
}

export function putResponseFromWire(w: WirePutResponse): PutResponse {
  const res: PutResponse = { header: headerFromWire(w.header) };
  if (w.prev_kv) res.prevKv = kvFromWire(w.prev_kv);
  return res;
}

export function deleteRangeResponseToWire(r: DeleteRangeResponse): WireDeleteRangeResponse {
  return { header: headerToWire(r.header), deleted: r.deleted, prev_kvs: r.prevKvs.map(kvToWire) };
}

export function deleteRangeResponseFromWire(w: WireDeleteRangeResponse): DeleteRangeResponse {
  return { header: headerFromWire(w.header), deleted: num(w.deleted), prevKvs: (w.prev_kvs ?? []).map(kvFromWire) };
}

function responseOpToWire(op: ResponseOp): WireResponseOp {
  if ("responseRange" in op) return { response_range: rangeResponseToWire(op.responseRange) };
  if ("responsePut" in op) return { response_put: putResponseToWire(op.responsePut) };
  if ("responseDeleteRange" in op) return { response_delete_range: deleteRangeResponseToWire(op.responseDeleteRange) };
  return { response_txn: txnResponseToWire(op.responseTxn) };
}

function responseOpFromWire(w: WireResponseOp): ResponseOp {
  if (w.response_range) return { responseRange: rangeResponseFromWire(w.response_range) };
  if (w.response_put) return { responsePut: putResponseFromWire(w.response_put) };
  if (w.response_delete_range) return { responseDeleteRange: deleteRangeResponseFromWire(w.response_delete_range) };
  if (w.response_txn) return { responseTxn: txnResponseFromWire(w.response_txn) };
  throw new Error("TxnResponse holds a ResponseOp with no response set");
}

export function txnResponseToWire(r: TxnResponse): WireTxnResponse {
  return { header: headerToWire(r.header), succeeded: r.succeeded, responses: r.responses.map(responseOpToWire) };
}

export function txnResponseFromWire(w: WireTxnResponse): TxnResponse {
  return {
    header: headerFromWire(w.header),
    succeeded: w.succeeded ?? false,
    responses: (w.responses ?? []).map(responseOpFromWire),
  };
}

// ---- Watch -------------------------------------------------------------------------------------

export function watchCreateToWire(r: WatchCreateRequest): WireWatchCreateRequest {
  return {
    key: opt(r.key),
    range_end: opt(r.rangeEnd),
    start_revision: r.startRevision ?? 0,
    progress_notify: r.progressNotify ?? false,
    filters: (r.filters ?? []).map((f) => watchFilters.indexOf(f)),
    prev_kv: r.prevKv ?? false,
    watch_id: r.watchId ?? 0,
    fragment: r.fragment ?? false,
  };
}

function eventToWire(e: WatchEvent): WireEvent {
  return { type: eventTypes.indexOf(e.type), kv: kvToWire(e.kv), prev_kv: e.prevKv ? kvToWire(e.prevKv) : null };
}

function eventFromWire(w: WireEvent): WatchEvent {
  const e: WatchEvent = { type: w.type === 1 ? "DELETE" : "PUT", kv: kvFromWire(w.kv) };
  if (w.prev_kv) e.prevKv = kvFromWire(w.prev_kv);
  return e;
}

export function watchResponseToWire(r: WatchResponse): WireWatchResponse {
  return {
    header: headerToWire(r.header),
    watch_id: r.watchId,
    created: r.created,
    canceled: r.canceled,
    compact_revision: r.compactRevision,
    cancel_reason: r.cancelReason,
    fragment: r.fragment,
    events: r.events.map(eventToWire),
  };
}

export function watchResponseFromWire(w: WireWatchResponse): WatchResponse {
  return {
    header: headerFromWire(w.header),
    watchId: num(w.watch_id),
    created: w.created ?? false,
    canceled: w.canceled ?? false,
    compactRevision: num(w.compact_revision),
    cancelReason: w.cancel_reason ?? "",
    fragment: w.fragment ?? false,
    events: (w.events ?? []).map(eventFromWire),
  };
}

// ---- Leases ------------------------------------------------------------------------------------

export function leaseGrantResponseToWire(r: LeaseGrantResponse): WireLeaseGrantResponse {
  return { header: headerToWire(r.header), ID: long(r.ID), TTL: r.TTL, error: "" };
}

export function leaseGrantResponseFromWire(w: WireLeaseGrantResponse): LeaseGrantResponse {
  return { header: headerFromWire(w.header), ID: big(w.ID), TTL: num(w.TTL) };
}

export function leaseKeepAliveResponseToWire(r: LeaseKeepAliveResponse): WireLeaseKeepAliveResponse {
  return { header: headerToWire(r.header), ID: long(r.ID), TTL: r.TTL };
}

export function leaseKeepAliveResponseFromWire(w: WireLeaseKeepAliveResponse): LeaseKeepAliveResponse {
  return { header: headerFromWire(w.header), ID: big(w.ID), TTL: num(w.TTL) };
}

export function leaseTimeToLiveResponseToWire(r: LeaseTimeToLiveResponse): WireLeaseTimeToLiveResponse {
  return { header: headerToWire(r.header), ID: long(r.ID), TTL: r.TTL, grantedTTL: r.grantedTTL, keys: r.keys };
}

export function leaseTimeToLiveResponseFromWire(w: WireLeaseTimeToLiveResponse): LeaseTimeToLiveResponse {
  return {
    header: headerFromWire(w.header),
    ID: big(w.ID),
    TTL: num(w.TTL),
    grantedTTL: num(w.grantedTTL),
    keys: (w.keys ?? []).map(bytes),
  };
}

export function leaseLeasesResponseToWire(r: { header: ResponseHeader; leases: LeaseStatus[] }): WireLeaseLeasesResponse {
  return { header: headerToWire(r.header), leases: r.leases.map((l) => ({ ID: long(l.ID) })) };
}

export function leaseLeasesResponseFromWire(w: WireLeaseLeasesResponse): { header: ResponseHeader; leases: LeaseStatus[] } {
  return { header: headerFromWire(w.header), leases: (w.leases ?? []).map((l) => ({ ID: big(l.ID) })) };
}

// ---- Maintenance -------------------------------------------------------------------------------

export function statusResponseToWire(r: StatusResponse): WireStatusResponse {
  return {
    header: headerToWire(r.header),
    version: r.version,
    dbSize: r.dbSize,
    leader: long(r.leader),
    raftIndex: r.raftIndex,
    raftTerm: r.raftTerm,
    raftAppliedIndex: r.raftAppliedIndex,
    errors: r.errors,
    dbSizeInUse: r.dbSizeInUse,
    isLearner: r.isLearner,
  };
}

export function statusResponseFromWire(w: WireStatusResponse): StatusResponse {
  return {
    header: headerFromWire(w.header),
    version: w.version ?? "",
    dbSize: num(w.dbSize),
    dbSizeInUse: num(w.dbSizeInUse),
    leader: big(w.leader),
    raftIndex: num(w.raftIndex),
    raftTerm: num(w.raftTerm),
    raftAppliedIndex: num(w.raftAppliedIndex),
    errors: w.errors ?? [],
    isLearner: w.isLearner ?? false,
  };
}
