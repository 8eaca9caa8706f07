// A hand-written protobuf codec for the hottest call, KV.Put: its request decoded straight into a
// PutRequest and its usual response (no prev_kv) encoded straight to bytes. The general path
// (protobufjs through proto-loader, int64 as decimal strings, then wire.ts) costs several times
// more per call. Anything unusual — an unknown field, an unexpected wire type, truncated bytes, a
// response with prev_kv — returns undefined and the caller takes the general path, so answers,
// errors included, are the same either way (put-codec.test.ts compares the two).
import { KvErrors, type PutRequest, type PutResponse, type ResponseHeader } from "../../../spec/interfaces/kv.ts";

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const EMPTY: Uint8Array = new Uint8Array(0);

/** A PutRequest from rpc.proto PutRequest bytes, checked as requests.ts putRequestFromWire does. */
export function decodePutRequest(raw: Uint8Array): PutRequest | undefined {
  let key: Uint8Array = EMPTY;
  let value: Uint8Array = EMPTY;
  let lease = 0n;
  let prevKv = false;
  let ignoreValue = false;
  let ignoreLease = false;
  let at = 0;
  while (at < raw.length) {
    const tag = raw[at++]!;
    if (tag >= 0x80) return undefined; // field numbers here are all < 16: one-byte tags
    const field = tag >> 3;
    const wireType = tag & 7;
    if (field === 1 || field === 2) {
      if (wireType !== LENGTH_DELIMITED) return undefined;
      const length = readLength(raw, at);
      if (length === undefined) return undefined;
      at = nextAt;
      if (at + length > raw.length) return undefined;
      const bytes = length === 0 ? EMPTY : new Uint8Array(raw.buffer, raw.byteOffset + at, length);
      at += length;
      if (field === 1) key = bytes;
      else value = bytes;
    } else if (field === 3) {
      if (wireType !== VARINT) return undefined;
      const v = readVarint64(raw, at);
      if (v === undefined) return undefined;
      at = nextAt;
      lease = v;
    } else if (field >= 4 && field <= 6) {
      if (wireType !== VARINT) return undefined;
      const v = readBool(raw, at);
      if (v === undefined) return undefined;
      at = nextAt;
      if (field === 4) prevKv = v;
      else if (field === 5) ignoreValue = v;
      else ignoreLease = v;
    } else {
      return undefined;
    }
  }
  if (key.length === 0) throw KvErrors.emptyKey();
  if (ignoreValue && value.length !== 0) throw KvErrors.valueProvided();
  if (ignoreLease && lease !== 0n) throw KvErrors.leaseProvided();
  return { key, value, lease, prevKv, ignoreValue, ignoreLease };
}

/** PutResponse bytes, as protobufjs encodes wire.ts putResponseToWire's object; undefined with prev_kv. */
export function encodePutResponse(res: PutResponse): Uint8Array | undefined {
  if (res.prevKv) return undefined;
  const header = encodeHeader(res.header);
  const out = new Uint8Array(2 + header.length);
  out[0] = (1 << 3) | LENGTH_DELIMITED;
  out[1] = header.length; // at most 4 fields of 11 bytes: always one length byte
  out.set(header, 2);
  return out;
}

/** The encoded cluster and member ids of the last header: the same for every answer of a server. */
let ids: { clusterId: bigint; memberId: bigint; bytes: Uint8Array } | undefined;

/** ResponseHeader with all four fields present, as headerToWire sets them. */
function encodeHeader(h: ResponseHeader): Uint8Array {
  if (ids?.clusterId !== h.clusterId || ids.memberId !== h.memberId) {
    const b = new Uint8Array(22);
    let n = 0;
    b[n++] = (1 << 3) | VARINT;
    n = writeVarint64(b, n, BigInt.asUintN(64, h.clusterId));
    b[n++] = (2 << 3) | VARINT;
    n = writeVarint64(b, n, BigInt.asUintN(64, h.memberId));
    ids = { clusterId: h.clusterId, memberId: h.memberId, bytes: b.slice(0, n) };
  }
  const out = new Uint8Array(44);
  out.set(ids.bytes, 0);
  let at = ids.bytes.length;
  out[at++] = (3 << 3) | VARINT;
  at = writeNumber(out, at, h.revision);
  out[at++] = (4 << 3) | VARINT;
  at = writeNumber(out, at, h.raftTerm);
  return out.subarray(0, at);
}

/** Where the last read ended (set by readLength and readVarint64, saving a tuple per field). */
let nextAt = 0;

function readLength(b: Uint8Array, at: number): number | undefined {
  let n = 0;
  for (let shift = 1, i = 0; i < 5; i++, shift *= 0x80) {
    const byte = b[at++];
    if (byte === undefined) return undefined;
    n += (byte & 0x7f) * shift;
    if (byte < 0x80) {
      nextAt = at;
      return n;
    }
  }
  return undefined;
}

/** A bool as protobufjs reads it: the low 32 bits of the varint are not all zero. Up to 5 bytes. */
function readBool(b: Uint8Array, at: number): boolean | undefined {
  let low = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at++];
    if (byte === undefined) return undefined;
    low |= (byte & 0x7f) << (7 * i); // bits past 31 fall off, as in protobufjs's uint32()
    if (byte < 0x80) {
      nextAt = at;
      return low !== 0;
    }
  }
  return undefined;
}

/** A varint as a signed int64 (protobuf int64 and bool); undefined when cut short or over 10 bytes. */
function readVarint64(b: Uint8Array, at: number): bigint | undefined {
  const first = b[at];
  if (first === undefined) return undefined;
  if (first < 0x80) {
    nextAt = at + 1;
    return BigInt(first);
  }
  let v = 0n;
  for (let i = 0, shift = 0n; i < 10; i++, shift += 7n) {
    const byte = b[at++];
    if (byte === undefined) return undefined;
    v |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) {
      nextAt = at;
      return BigInt.asIntN(64, v);
    }
  }
  return undefined;
}

function writeVarint64(out: Uint8Array, at: number, v: bigint): number {
  if (v < 0x80n) {
    out[at++] = Number(v);
    return at;
  }
  while (v >= 0x80n) {
    out[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[at++] = Number(v);
  return at;
}

/** A non-negative safe integer as a varint (int64 revisions and terms); a negative one as int64. */
function writeNumber(out: Uint8Array, at: number, n: number): number {
  if (n < 0 || !Number.isSafeInteger(n)) return writeVarint64(out, at, BigInt.asUintN(64, BigInt(Math.trunc(n))));
  while (n >= 0x80) {
    out[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[at++] = n;
  return at;
}
