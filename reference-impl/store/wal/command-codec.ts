// WAL payloads: a WriteCommand as bytes. Puts, the hot command, have a compact binary form (about
// five times cheaper to encode than v8.serialize); every other command, and any put the compact
// form cannot hold exactly, is v8.serialize'd. The first byte tells which: v8's output always
// starts with its version tag 0xFF.
//
// Put: [0x01][flags][varint key length][key][varint value length][value][i64 LE lease if present]
// flags: bit 0 lease present, bits 1/2 prevKv present/true, bits 3/4 ignoreValue present/true,
// bits 5/6 ignoreLease present/true — so a decoded put has exactly the fields that were encoded.
import { deserialize, serialize } from "node:v8";
import type { PutRequest } from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";

const TAG_PUT = 0x01;
const TAG_V8 = 0xff;
/** The bytes a payload can start with. */
export const PAYLOAD_TAGS: ReadonlySet<number> = new Set([TAG_PUT, TAG_V8]);

const LEASE = 1 << 0;
const BOOLEANS = [
  ["prevKv", 1 << 1, 1 << 2],
  ["ignoreValue", 1 << 3, 1 << 4],
  ["ignoreLease", 1 << 5, 1 << 6],
] as const;
const PUT_FIELDS = new Set(["key", "value", "lease", "prevKv", "ignoreValue", "ignoreLease"]);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Throws what v8.serialize throws for a command that cannot be stored (e.g. one holding a function). */
export function encodeCommand(cmd: WriteCommand): Uint8Array {
  if (cmd.op === "put" && onlyOpAndReq(cmd)) {
    const put = encodePut(cmd.req);
    if (put) return put;
  }
  return serialize(cmd);
}

function onlyOpAndReq(cmd: object): boolean {
  for (const field in cmd) if (field !== "op" && field !== "req") return false;
  return true;
}

/** The command in `payload`; throws when the bytes do not decode. */
export function decodeCommand(payload: Uint8Array): unknown {
  if (payload[0] === TAG_PUT) return { op: "put", req: decodePut(payload) };
  return deserialize(payload);
}

function encodePut(req: PutRequest): Uint8Array | undefined {
  for (const field in req) if (!PUT_FIELDS.has(field)) return undefined;
  const { key, value, lease } = req;
  if (!(key instanceof Uint8Array) || !(value instanceof Uint8Array)) return undefined;
  let flags = 0;
  if (lease !== undefined) {
    if (typeof lease !== "bigint" || lease < INT64_MIN || lease > INT64_MAX) return undefined;
    flags |= LEASE;
  }
  for (const [field, present, set] of BOOLEANS) {
    const v = req[field];
    if (v === undefined) continue;
    if (typeof v !== "boolean") return undefined;
    flags |= present | (v ? set : 0);
  }
  const size = 2 + varintBytes(key.length) + key.length + varintBytes(value.length) + value.length + (lease !== undefined ? 8 : 0);
  const out = new Uint8Array(size);
  out[0] = TAG_PUT;
  out[1] = flags;
  let at = writeVarint(out, 2, key.length);
  out.set(key, at);
  at = writeVarint(out, at + key.length, value.length);
  out.set(value, at);
  at += value.length;
  // The buffer starts zeroed: lease 0, the usual one, needs no write.
  if (lease !== undefined && lease !== 0n) new DataView(out.buffer, out.byteOffset + at, 8).setBigInt64(0, lease, true);
  return out;
}

function decodePut(b: Uint8Array): PutRequest {
  const flags = b[1] ?? fail("truncated put");
  const [keyLength, keyAt] = readVarint(b, 2);
  const key = bytesAt(b, keyAt, keyLength);
  const [valueLength, valueAt] = readVarint(b, keyAt + keyLength);
  const value = bytesAt(b, valueAt, valueLength);
  let end = valueAt + valueLength;
  const req: PutRequest = { key, value };
  if (flags & LEASE) {
    if (end + 8 > b.length) fail("truncated put lease");
    req.lease = new DataView(b.buffer, b.byteOffset + end, 8).getBigInt64(0, true);
    end += 8;
  }
  for (const [field, present, set] of BOOLEANS) if (flags & present) req[field] = (flags & set) !== 0;
  if (end !== b.length) fail(`put of ${end} bytes in a payload of ${b.length}`);
  return req;
}

function bytesAt(b: Uint8Array, at: number, length: number): Uint8Array {
  if (at + length > b.length) fail("truncated put");
  return b.slice(at, at + length);
}

function varintBytes(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    bytes++;
  }
  return bytes;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[at++] = n;
  return at;
}

function readVarint(b: Uint8Array, at: number): [value: number, next: number] {
  let n = 0;
  for (let shift = 1, i = 0; i < 5; i++, shift *= 0x80) {
    const byte = b[at++];
    if (byte === undefined) fail("truncated varint");
    n += (byte & 0x7f) * shift;
    if (byte < 0x80) return [n, at];
  }
  return fail("varint too long");
}

function fail(why: string): never {
  throw new Error(`bad put payload: ${why}`);
}
