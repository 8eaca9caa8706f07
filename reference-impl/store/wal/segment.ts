// WAL segment files. The log is a sequence of segments, each named by the index of its first
// record (`0000000000000001.wal`, like etcd's `<seq>-<index>.wal`), so segments wholly covered by a
// snapshot can be deleted. A segment starts with a 16-byte header: magic + first index. Records in
// a segment have consecutive indexes, and each segment continues where the previous one ended.

export const SEGMENT_MAGIC = new TextEncoder().encode("PLWAL001");
export const SEGMENT_HEADER_BYTES = 16;
const SEGMENT_NAME = /^([0-9a-f]{16})\.wal$/;

export function segmentName(firstIndex: number): string {
  return `${firstIndex.toString(16).padStart(16, "0")}.wal`;
}

/** The first index a segment file name declares, or undefined for other files. */
export function parseSegmentName(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  return m ? Number.parseInt(m[1]!, 16) : undefined;
}

export function encodeSegmentHeader(firstIndex: number): Uint8Array {
  const header = new Uint8Array(SEGMENT_HEADER_BYTES);
  header.set(SEGMENT_MAGIC, 0);
  new DataView(header.buffer).setBigUint64(8, BigInt(firstIndex), true);
  return header;
}

/** The first index stored in a segment header; throws when the header is not ours. */
export function decodeSegmentHeader(bytes: Uint8Array, file: string): number {
  if (bytes.length < SEGMENT_HEADER_BYTES) {
    throw new Error(`WAL segment ${file}: ${bytes.length} bytes, shorter than its ${SEGMENT_HEADER_BYTES}-byte header`);
  }
  for (let i = 0; i < SEGMENT_MAGIC.length; i++) {
    if (bytes[i] !== SEGMENT_MAGIC[i]) throw new Error(`WAL segment ${file}: bad magic at offset 0 (not a plumbline WAL segment)`);
  }
  const first = new DataView(bytes.buffer, bytes.byteOffset, SEGMENT_HEADER_BYTES).getBigUint64(8, true);
  if (first > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`WAL segment ${file}: first index ${first} out of range`);
  return Number(first);
}
