// Database size estimate and etcd's quota costs. etcd's quota compares bbolt's file size; we count
// what bbolt would hold: per kept revision its 17-byte revision key, the KeyValue record (key,
// value, ~20 bytes of varints) and ~27 bytes of page/element overhead; per lease a small record;
// plus the size of an empty etcd 3.4 database (20 KiB, as `etcdctl endpoint status` shows for a
// fresh member). An estimate: real bbolt sizes move in 4 KiB pages and depend on history.
import type { PutRequest, TxnRequest } from "../../../spec/interfaces/kv.ts";
import type { Change } from "./watch-hub.ts";

export const EMPTY_DB_BYTES = 20 * 1024;
const PUT_OVERHEAD_BYTES = 64;
const TOMBSTONE_OVERHEAD_BYTES = 48;
export const LEASE_RECORD_BYTES = 32;

// Quota costs etcd charges a request before admitting it (etcdserver/quota.go).
const QUOTA_KV_OVERHEAD_BYTES = 256;
export const QUOTA_LEASE_OVERHEAD_BYTES = 64;

/** Estimated bytes one kept change occupies in the database. */
export function changeBytes(ch: Change): number {
  return ch.type === "PUT"
    ? 2 * ch.kv.key.length + ch.kv.value.length + PUT_OVERHEAD_BYTES
    : ch.kv.key.length + TOMBSTONE_OVERHEAD_BYTES;
}

/** etcd's quota cost of a put. */
export function putQuotaCost(r: PutRequest): number {
  return QUOTA_KV_OVERHEAD_BYTES + r.key.length + (r.value?.length ?? 0);
}

/** etcd's quota cost of a txn: the larger of its two branches' top-level puts (nested ones are free). */
export function txnQuotaCost(r: TxnRequest): number {
  let success = 0;
  for (const op of r.success) if ("requestPut" in op) success += putQuotaCost(op.requestPut);
  let failure = 0;
  for (const op of r.failure) if ("requestPut" in op) failure += putQuotaCost(op.requestPut);
  return Math.max(success, failure);
}
