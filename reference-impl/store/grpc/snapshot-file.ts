// The layout of what Maintenance.Snapshot streams, and so of what `etcdctl snapshot save` writes:
// etcd sends its bbolt file (a whole number of pages) followed by the file's SHA-256, and etcdctl
// 3.4 refuses a download unless size % 512 == 32. So the store's snapshot bytes are zero-padded to
// a multiple of 512 and followed by the SHA-256 of the padded bytes. A snapshot format read back
// from such a file must therefore tolerate trailing zero bytes.
import { createHash } from "node:crypto";

const ALIGN_BYTES = 512;
const SHA256_BYTES = 32;

/** The bytes Maintenance.Snapshot streams for a store snapshot. */
export function etcdSnapshotFile(snapshot: Uint8Array): Uint8Array {
  const padded = Math.ceil(snapshot.byteLength / ALIGN_BYTES) * ALIGN_BYTES;
  const out = new Uint8Array(padded + SHA256_BYTES);
  out.set(snapshot, 0);
  out.set(createHash("sha256").update(out.subarray(0, padded)).digest(), padded);
  return out;
}

/**
 * The padded snapshot inside a file `etcdctl snapshot save` wrote, after checking its SHA-256 as
 * `etcdctl snapshot restore` does. Throws on a file that is not in this layout or is damaged.
 */
export function readEtcdSnapshotFile(file: Uint8Array): Uint8Array {
  if (file.byteLength % ALIGN_BYTES !== SHA256_BYTES) {
    throw new Error(`snapshot file has no SHA-256 trailer (size ${file.byteLength} is not 512·n + 32)`);
  }
  const body = file.subarray(0, file.byteLength - SHA256_BYTES);
  const want = file.subarray(body.byteLength);
  const got = createHash("sha256").update(body).digest();
  if (!got.equals(want)) throw new Error("snapshot file is damaged: SHA-256 mismatch");
  return body;
}
