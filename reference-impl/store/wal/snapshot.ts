// Store snapshots. One self-describing format serves both the data dir's periodic snapshots
// (`snapshot-<index>.snap`, which let old WAL segments be deleted) and `snapshot save` / `restore`
// (etcdctl's commands; the Maintenance.Snapshot RPC streams these bytes):
//
//   "PLSNAP01" ‖ record(v8.serialize({ index, state }))   [‖ zero padding]
//
// where record is the WAL framing (length, CRC-32C, payload), `index` is the last WAL index the
// state includes and `state` is MvccStore.exportState(). Zero padding may follow because
// Maintenance.Snapshot pads what it streams to etcd's 512-byte alignment (grpc/snapshot-file.ts).
import { deserialize, serialize } from "node:v8";
import type { Disk } from "../../../spec/interfaces/disk.ts";
import { RECORD_HEADER_BYTES, recordAt, writeRecord } from "./record.ts";
import { parseSegmentName } from "./segment.ts";
import { join } from "./wal.ts";

export const SNAPSHOT_MAGIC = new TextEncoder().encode("PLSNAP01");
const SNAPSHOT_NAME = /^snapshot-([0-9a-f]{16})\.snap$/;

export interface SnapshotContent {
  /** The last WAL index whose command the state includes (0: none). */
  index: number;
  state: unknown;
}

export class SnapshotError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`snapshot ${source}: ${detail}`);
    this.name = "SnapshotError";
  }
}

export function encodeSnapshot(content: SnapshotContent): Uint8Array {
  const payload = serialize({ index: content.index, state: content.state });
  const out = new Uint8Array(SNAPSHOT_MAGIC.length + RECORD_HEADER_BYTES + payload.length);
  out.set(SNAPSHOT_MAGIC, 0);
  writeRecord(out, SNAPSHOT_MAGIC.length, payload);
  return out;
}

/** Verifies the magic and checksum; `source` names the file in error messages. */
export function decodeSnapshot(bytes: Uint8Array, source: string): SnapshotContent {
  if (bytes.length < SNAPSHOT_MAGIC.length || !SNAPSHOT_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new SnapshotError(source, "bad magic at offset 0 (not a plumbline snapshot)");
  }
  if (bytes.length === SNAPSHOT_MAGIC.length) throw new SnapshotError(source, "truncated after the magic");
  const rec = recordAt(bytes, SNAPSHOT_MAGIC.length);
  if (!rec.ok) throw new SnapshotError(source, `at offset ${SNAPSHOT_MAGIC.length}: ${rec.detail}`);
  // Zero padding may follow; nothing else.
  for (let i = rec.next; i < bytes.length; i++) {
    if (bytes[i] !== 0) throw new SnapshotError(source, `unexpected non-zero byte after the snapshot at offset ${i}`);
  }
  let value: unknown;
  try {
    value = deserialize(rec.payload);
  } catch (err) {
    throw new SnapshotError(source, `checksum is valid but the content does not deserialize: ${String(err)}`);
  }
  const { index, state } = (typeof value === "object" && value !== null ? value : {}) as { index?: unknown; state?: unknown };
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) {
    throw new SnapshotError(source, `content is not { index, state } (index ${String(index)})`);
  }
  return { index, state };
}

export function snapshotName(index: number): string {
  return `snapshot-${index.toString(16).padStart(16, "0")}.snap`;
}

export function parseSnapshotName(name: string): number | undefined {
  const m = SNAPSHOT_NAME.exec(name);
  return m ? Number.parseInt(m[1]!, 16) : undefined;
}

/** Snapshot files in `dir`, newest (highest index) first. */
export async function listSnapshots(disk: Disk, dir: string): Promise<{ index: number; path: string }[]> {
  const found: { index: number; path: string }[] = [];
  for (const name of await disk.list(dir)) {
    const index = parseSnapshotName(name);
    if (index !== undefined) found.push({ index, path: join(dir, name) });
  }
  return found.sort((a, b) => b.index - a.index);
}

export interface LoadedSnapshot extends SnapshotContent {
  path: string;
}

/**
 * The newest snapshot in `dir` that reads back intact; a damaged newer one is skipped (and
 * reported in `skipped`), as etcd falls back to an older .snap file.
 */
export async function loadNewestSnapshot(
  disk: Disk,
  dir: string,
): Promise<{ snapshot?: LoadedSnapshot; skipped: SnapshotError[] }> {
  const skipped: SnapshotError[] = [];
  for (const { index, path } of await listSnapshots(disk, dir)) {
    const bytes = await disk.read(path);
    try {
      if (bytes === undefined) throw new SnapshotError(path, "disappeared while loading");
      const content = decodeSnapshot(bytes, path);
      if (content.index !== index) throw new SnapshotError(path, `holds index ${content.index}, its name says ${index}`);
      return { snapshot: { ...content, path }, skipped };
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      skipped.push(err);
    }
  }
  return { skipped };
}

/** Writes `snapshot-<index>.snap` atomically and durably. */
export async function writeSnapshotFile(disk: Disk, dir: string, content: SnapshotContent): Promise<string> {
  const path = join(dir, snapshotName(content.index));
  await disk.writeAtomic(path, encodeSnapshot(content));
  return path;
}

/** A store's snapshot interface (MvccStore has it). */
export interface SnapshotStore {
  exportState(): unknown;
  /** Commands applied so far: the snapshot's index. */
  readonly consistentIndex: number;
}

/** What `saveSnapshot` reads: a store, or anything holding one as `store` (LocalKv). */
export type SnapshotSource = SnapshotStore | { readonly store: SnapshotStore };

/**
 * `etcdctl snapshot save`: the whole store as one self-checking file. exportState is synchronous,
 * so the snapshot is consistent: it sits between two applied commands.
 */
export function saveSnapshot(source: SnapshotSource): Uint8Array {
  const store = "exportState" in source ? source : source.store;
  return encodeSnapshot({ index: store.consistentIndex, state: store.exportState() });
}

/**
 * `etcdctl snapshot restore`: makes `dir` a fresh data dir holding the snapshot's state; the log
 * continues after the snapshot's index. Refuses a dir that already holds a store, as etcdctl
 * refuses an existing data dir. Zero padding after the snapshot is accepted.
 */
export async function restoreSnapshot(bytes: Uint8Array, dir: string, disk: Disk): Promise<void> {
  const content = decodeSnapshot(bytes, "being restored");
  await disk.mkdirp(dir);
  const existing = (await disk.list(dir)).filter(
    (name) => parseSnapshotName(name) !== undefined || parseSegmentName(name) !== undefined,
  );
  if (existing.length > 0) {
    throw new Error(`snapshot restore: data dir ${dir} already holds a store (${existing[0]}); restore into a new dir`);
  }
  await writeSnapshotFile(disk, dir, content);
}
