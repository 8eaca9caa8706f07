// WAL record framing: [u32 LE payload length][u32 LE CRC-32C of (length bytes ‖ payload)][payload].
// The payload is `v8.serialize(command)`. The checksum covers the length too, so a flipped length
// bit is caught even when the bytes it now points at happen to look plausible.
import { crc32c } from "./crc32c.ts";

export const RECORD_HEADER_BYTES = 8;
/** Far above etcd's 1.5 MiB request limit; a larger length field is damage, not a record. */
export const MAX_RECORD_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** Every v8.serialize output starts with the version tag 0xFF: a cheap filter when resyncing. */
const V8_VERSION_TAG = 0xff;

/** The 8-byte header for `payload`; written next to the payload so the payload is not copied. */
export function encodeRecordHeader(payload: Uint8Array): Uint8Array {
  if (payload.length === 0 || payload.length > MAX_RECORD_PAYLOAD_BYTES) {
    throw new RangeError(`WAL record payload of ${payload.length} bytes (allowed 1..${MAX_RECORD_PAYLOAD_BYTES})`);
  }
  const header = new Uint8Array(RECORD_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32c(payload, crc32c(header.subarray(0, 4))), true);
  return header;
}

/** Header and payload in one buffer (tests and one-off writes). */
export function encodeRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  out.set(encodeRecordHeader(payload), 0);
  out.set(payload, RECORD_HEADER_BYTES);
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

/** Reads records from `start` until the end of `bytes` or the first invalid record. */
export function scanRecords(bytes: Uint8Array, start: number): ScanResult {
  const payloads: Uint8Array[] = [];
  let offset = start;
  while (offset < bytes.length) {
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
    if (bytes[offset + RECORD_HEADER_BYTES] !== V8_VERSION_TAG) continue;
    if (recordAt(bytes, offset).ok) return offset;
  }
  return undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
