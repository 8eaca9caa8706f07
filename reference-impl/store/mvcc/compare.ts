// Txn compares and range sorting over KeyValues, as etcd's applier defines them
// (etcdserver/apply.go compareKV and the kvSortBy* sorters).
import type { Compare, KeyValue, SortTarget } from "../../../spec/interfaces/kv.ts";
import { EMPTY_BYTES, compareBytes } from "./bytes.ts";

/** One compare against one KeyValue (a missing key is checked against ZERO_KV by the caller). */
export function compareKv(c: Compare, kv: KeyValue): boolean {
  let result: number;
  switch (c.target) {
    // An unset target value compares as zero / empty, as etcd's compareKV defaults it.
    case "VALUE":
      result = compareBytes(kv.value, c.value ?? EMPTY_BYTES);
      break;
    case "VERSION":
      result = Math.sign(kv.version - (c.version ?? 0));
      break;
    case "CREATE":
      result = Math.sign(kv.createRevision - (c.createRevision ?? 0));
      break;
    case "MOD":
      result = Math.sign(kv.modRevision - (c.modRevision ?? 0));
      break;
    case "LEASE": {
      const lease = c.lease ?? 0n;
      result = kv.lease < lease ? -1 : kv.lease > lease ? 1 : 0;
      break;
    }
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

/** What a missing key compares as: every field zero. */
export const ZERO_KV: KeyValue = Object.freeze({
  key: EMPTY_BYTES,
  createRevision: 0,
  modRevision: 0,
  version: 0,
  value: EMPTY_BYTES,
  lease: 0n,
});

export const SORTERS: Record<SortTarget, (a: KeyValue, b: KeyValue) => number> = {
  KEY: (a, b) => compareBytes(a.key, b.key),
  VERSION: (a, b) => a.version - b.version,
  CREATE: (a, b) => a.createRevision - b.createRevision,
  MOD: (a, b) => a.modRevision - b.modRevision,
  VALUE: (a, b) => compareBytes(a.value, b.value),
};
