// Byte helpers shared by the MVCC store. Keys compare as bytes (Go's bytes.Compare), which is what
// etcd's btree index and the v3 API's range ends are defined over.
import { Buffer } from "node:buffer";
import type { Bytes } from "../../../spec/interfaces/kv.ts";

export const EMPTY_BYTES: Bytes = new Uint8Array(0);

/** Keys shorter than this compare faster in JS than through the call into Buffer.compare. */
const NATIVE_COMPARE_MIN_BYTES = 256;

/** -1, 0 or 1 as `a` sorts before, with or after `b` (bytewise, a prefix first). */
export function compareBytes(a: Bytes, b: Bytes): number {
  const n = a.length < b.length ? a.length : b.length;
  if (n >= NATIVE_COMPARE_MIN_BYTES) return Buffer.compare(a, b);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function bytesEqual(a: Bytes, b: Bytes): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** A private copy with its own ArrayBuffer (not a slice of Node's shared Buffer pool), so a
 *  caller reusing its buffer cannot change stored data and snapshots serialize only these bytes. */
export function copyBytes(b: Bytes): Bytes {
  return b.length === 0 ? EMPTY_BYTES : new Uint8Array(b);
}

/** A Map/Set key for bytes: one char per byte, so string order equals byte order. */
export function bytesToKey(b: Bytes): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

export function keyToBytes(s: string): Bytes {
  return new Uint8Array(Buffer.from(s, "latin1"));
}

/**
 * How a request's range end selects keys (rpc.proto): absent or empty = the single key;
 * `[0]` = every key >= key (etcd's mkGteRange turns it into an open end); otherwise [key, end).
 */
export type KeySpan =
  | { kind: "single"; key: Bytes }
  | { kind: "from"; key: Bytes }
  | { kind: "range"; key: Bytes; end: Bytes };

export function keySpan(key: Bytes, rangeEnd: Bytes | undefined): KeySpan {
  if (rangeEnd === undefined || rangeEnd.length === 0) return { kind: "single", key };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { kind: "from", key };
  return { kind: "range", key, end: rangeEnd };
}

export function spanContains(span: KeySpan, k: Bytes): boolean {
  switch (span.kind) {
    case "single":
      return bytesEqual(span.key, k);
    case "from":
      return compareBytes(k, span.key) >= 0;
    case "range":
      return compareBytes(k, span.key) >= 0 && compareBytes(k, span.end) < 0;
  }
}

/** Bytes for human-readable messages (tests, errors): printable ASCII as is, else \xNN. */
export function showBytes(b: Bytes): string {
  let s = "";
  for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  return s;
}
