// WAL record framing: [u32 LE payload length][u32 LE CRC-32C of (length bytes ‖ payload)][payload].
// The payload is an encoded command (command-codec.ts). The checksum covers the length too, so a
// flipped length bit is caught even when the bytes it now points at happen to look plausible.
// A zero length field is not a record but the end of the log in this segment: segments are
// preallocated with zeros (as etcd's are), and etcd's decoder stops at a zero frame length too.
import { PAYLOAD_TAGS } from "./command-codec.ts";
import { crc32c } from "./crc32c.ts";

export const RECORD_HEADER_BYTES = 8;
/** Far above etcd's 1.5 MiB request limit; a larger length field is damage, not a record. */
export const MAX_RECORD_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** Throws a RangeError for a payload no record can hold. */
export function checkPayloadLength(payload: Uint8Array): void {
  if (payload.length === 0 || payload.length > MAX_RECORD_PAYLOAD_BYTES) {
    throw new RangeError(`WAL record payload of ${payload.length} bytes (allowed 1..${MAX_RECORD_PAYLOAD_BYTES})`);
  }
}

/** Writes the record of `payload` (header, then payload) into `out` at `at`; returns where it ends. */
export function writeRecord(out: Uint8Array, at: number, payload: Uint8Array): number {
  checkPayloadLength(payload);
  const length = payload.length;
  out[at] = length & 0xff;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = (length >>> 16) & 0xff;
  out[at + 3] = length >>> 24;
  const crc = crc32c(payload, crc32c(out.subarray(at, at + 4)));
  out[at + 4] = crc & 0xff;
  out[at + 5] = (crc >>> 8) & 0xff;
  out[at + 6] = (crc >>> 16) & 0xff;
  out[at + 7] = crc >>> 24;
  out.set(payload, at + RECORD_HEADER_BYTES);
  return at + RECORD_HEADER_BYTES + length;
}

/** Header and payload in one buffer (tests and one-off writes). */
export function encodeRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  writeRecord(out, 0, payload);
  return out;
}

type RecordAt =
  | { ok: true; payload: Uint8Array; next: number }
  | { ok: false; reason: "incomplete" | "bad-length" | "bad-checksum"; detail: string };

/** Decodes the record starting at `offset` (which must be < bytes.length). */
export function recordAt(bytes: Uint8Array, offset: number): RecordAt {
  const left = bytes.length - offset;
  if (left < RECORD_HEADER_BYTES) {
    return { ok: false, reason: "incomplete", detail: `${left} bytes left, a record header needs ${RECORD_HEADER_BYTES}` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, RECORD_HEADER_BYTES);
  const length = view.getUint32(0, true);
  if (length === 0 || length > MAX_RECORD_PAYLOAD_BYTES) {
    return { ok: false, reason: "bad-length", detail: `record length ${length} is out of range` };
  }
  if (length > left - RECORD_HEADER_BYTES) {
    return {
      ok: false,
      reason: "incomplete",
      detail: `record of ${length} bytes but only ${left - RECORD_HEADER_BYTES} bytes follow its header`,
    };
  }
  const start = offset + RECORD_HEADER_BYTES;
  const payload = bytes.subarray(start, start + length);
  const expected = view.getUint32(4, true);
  const actual = crc32c(payload, crc32c(bytes.subarray(offset, offset + 4)));
  if (actual !== expected) {
    return {
      ok: false,
      reason: "bad-checksum",
      detail: `checksum mismatch (stored ${hex(expected)}, computed ${hex(actual)})`,
    };
  }
  return { ok: true, payload, next: start + length };
}

export interface RecordDamage {
  /** Offset of the first byte that is not part of a valid record. */
  offset: number;
  reason: "incomplete" | "bad-length" | "bad-checksum";
  detail: string;
  /**
   * Offset of a valid record found after the damage, if any. A valid record after damaged bytes
   * means the damage is not a torn append at the tail but corruption inside written data.
   */
  validRecordAfter?: number;
}

export interface ScanResult {
  /** Payloads of the valid records, in order (views into the scanned bytes, not copies). */
  payloads: Uint8Array[];
  /** Offset just past the last valid record: where the next append belongs. */
  end: number;
  damage?: RecordDamage;
}

/**
 * Reads records from `start` until the end of `bytes`, the end marker (a zero length field, the
 * start of preallocated zeros), or the first invalid record. Bytes after the end marker must all
 * be zero; any that are not are reported as damage at the first of them (a torn write into
 * preallocated space), with no search for records after it: as in etcd, the log ends at the marker.
 */
export function scanRecords(bytes: Uint8Array, start: number): ScanResult {
  const payloads: Uint8Array[] = [];
  let offset = start;
  while (offset < bytes.length) {
    if (lengthFieldIsZero(bytes, offset)) {
      const junk = firstNonZero(bytes, offset);
      if (junk === undefined) return { payloads, end: offset };
      return {
        payloads,
        end: offset,
        damage: {
          offset,
          reason: "incomplete",
          detail: `the log ends at offset ${offset} (a zero record length) but the byte at offset ${junk} after it is not zero`,
        },
      };
    }
    const rec = recordAt(bytes, offset);
    if (!rec.ok) {
      const damage: RecordDamage = { offset, reason: rec.reason, detail: rec.detail };
      // A record cut short by the end of the data is the signature of a torn append; its payload
      // is user data that may contain anything, so do not look inside it for records.
      if (rec.reason !== "incomplete") {
        const after = findValidRecord(bytes, offset + 1);
        if (after !== undefined) damage.validRecordAfter = after;
      }
      return { payloads, end: offset, damage };
    }
    payloads.push(rec.payload);
    offset = rec.next;
  }
  return { payloads, end: offset };
}

/** The offset of the first valid record starting at or after `from`, if any. */
export function findValidRecord(bytes: Uint8Array, from: number): number | undefined {
  for (let offset = from; offset + RECORD_HEADER_BYTES < bytes.length; offset++) {
    // Every payload starts with one of a few tags: a cheap filter before the checksum.
    if (!PAYLOAD_TAGS.has(bytes[offset + RECORD_HEADER_BYTES]!)) continue;
    if (recordAt(bytes, offset).ok) return offset;
  }
  return undefined;
}

/** True at the end marker: a zero length field, or (too short for one) nothing but zeros left. */
function lengthFieldIsZero(bytes: Uint8Array, offset: number): boolean {
  if (bytes.length - offset < 4) return firstNonZero(bytes, offset) === undefined;
  return bytes[offset] === 0 && bytes[offset + 1] === 0 && bytes[offset + 2] === 0 && bytes[offset + 3] === 0;
}

const ZEROS = new Uint8Array(64 * 1024);

/** The first nonzero byte at or after `from`; compares whole chunks natively (tails are megabytes). */
function firstNonZero(bytes: Uint8Array, from: number): number | undefined {
  for (let at = from; at < bytes.length; at += ZEROS.length) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + ZEROS.length));
    if (Buffer.compare(chunk, ZEROS.subarray(0, chunk.length)) === 0) continue;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) return at + i;
  }
  return undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
