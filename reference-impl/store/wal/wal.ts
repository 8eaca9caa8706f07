// The store's write-ahead log: a CommandLog over a Disk. A command is acknowledged (its append
// resolves) only after its record is synced. Group commit: while one batch is being written and
// synced, later appends queue up and go out together in the next single write + sync, so many
// concurrent clients cost about one fsync per batch (etcd gets the same effect from raft batching
// entries between fsyncs of its WAL).
import type { Disk } from "../../../spec/interfaces/disk.ts";
import { KvError } from "../../../spec/interfaces/kv.ts";
import type { CommandLog, WriteCommand } from "../commands.ts";
import { decodeCommand as decodePayload, encodeCommand } from "./command-codec.ts";
import { RECORD_HEADER_BYTES, checkPayloadLength, scanRecords, writeRecord } from "./record.ts";
import { type SegmentFile, type SegmentFiles, diskSegmentFiles } from "./segment-file.ts";
import {
  SEGMENT_HEADER_BYTES,
  decodeSegmentHeader,
  encodeSegmentHeader,
  parseSegmentName,
  segmentName,
} from "./segment.ts";

export interface WalOptions {
  disk: Disk;
  /** Directory holding the segment files. */
  dir: string;
  /**
   * How segments are created and appended to. Default: plain files of `disk` (append + sync);
   * live mode passes RealSegmentFiles (preallocated, O_DSYNC). Recovery reads through `disk`.
   */
  segmentFiles?: SegmentFiles;
  /** A new segment is started once the current one would grow past this. Default 64 MiB (etcd's). */
  segmentBytes?: number;
  /** Most bytes in one write + sync. Default 4 MiB. */
  maxBatchBytes?: number;
  /** Most records in one write + sync. Default 4096. */
  maxBatchCount?: number;
  /**
   * Backpressure: appends beyond this many queued (not yet durable) bytes or records are refused
   * with etcd's "too many requests" until the disk catches up. Defaults 64 MiB and 16384.
   */
  maxQueuedBytes?: number;
  maxQueuedCount?: number;
}

export interface WalReplay {
  /** Records with an index at or below this are already in the snapshot and are skipped. */
  afterIndex: number;
  /** Called for each later record, in log order. */
  onCommand(cmd: WriteCommand, index: number): void;
}

/** Corruption inside data the log had already made durable: recovery must not guess. */
export class WalCorruptionError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`WAL corrupt: ${file} at offset ${offset}: ${detail}`);
    this.name = "WalCorruptionError";
  }
}

const DEFAULTS = {
  segmentBytes: 64 * 1024 * 1024,
  maxBatchBytes: 4 * 1024 * 1024,
  maxBatchCount: 4096,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxQueuedCount: 16384,
};

/** etcd's ErrTooManyRequests, which it returns when applying lags too far behind committing. */
const tooManyRequests = () => new KvError("RESOURCE_EXHAUSTED", "etcdserver: too many requests");

interface Pending {
  index: number;
  payload: Uint8Array;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Segment {
  first: number;
  path: string;
}

/**
 * Opens the log in `opts.dir`: replays the records after `replay.afterIndex`, cuts away a torn
 * record at the tail (a crash in the middle of an append), and returns the log positioned to
 * append. Throws WalCorruptionError for damage anywhere else.
 */
export async function openWal(opts: WalOptions, replay: WalReplay): Promise<Wal> {
  const { disk, dir } = opts;
  await disk.mkdirp(dir);
  const segments = (await disk.list(dir))
    .map((name) => ({ name, first: parseSegmentName(name) }))
    .filter((s): s is { name: string; first: number } => s.first !== undefined)
    .sort((a, b) => a.first - b.first)
    .map((s) => ({ first: s.first, path: join(dir, s.name) }));

  const files = opts.segmentFiles ?? diskSegmentFiles(disk);
  const segmentBytes = opts.segmentBytes ?? DEFAULTS.segmentBytes;
  if (segments.length === 0) {
    const first = replay.afterIndex + 1;
    const path = join(dir, segmentName(first));
    const active = await files.create(path, encodeSegmentHeader(first), segmentBytes);
    return new Wal(opts, [{ first, path }], active, SEGMENT_HEADER_BYTES, replay.afterIndex);
  }

  // Replay starts in the last segment whose first record is at or before afterIndex + 1.
  let start = -1;
  for (let i = 0; i < segments.length; i++) if (segments[i]!.first <= replay.afterIndex + 1) start = i;
  if (start < 0) {
    throw new Error(
      `WAL gap in ${dir}: the snapshot covers up to index ${replay.afterIndex} but the oldest segment ` +
        `(${basename(segments[0]!.path)}) starts at index ${segments[0]!.first}; records in between are missing`,
    );
  }

  let next = segments[start]!.first; // index of the next record expected
  let activeBytes = 0;
  let activeFileBytes = 0;
  for (let i = start; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    const bytes = await disk.read(seg.path);
    if (bytes === undefined) throw new Error(`WAL segment ${seg.path} disappeared during recovery`);
    const headerFirst = decodeSegmentHeader(bytes, seg.path);
    if (headerFirst !== seg.first) {
      throw new WalCorruptionError(seg.path, 8, `header says first index ${headerFirst}, file name says ${seg.first}`);
    }
    if (seg.first !== next) {
      throw new Error(
        `WAL gap in ${dir}: segment ${basename(seg.path)} starts at index ${seg.first} but the previous ` +
          `segment ends at index ${next - 1}`,
      );
    }
    const scan = scanRecords(bytes, SEGMENT_HEADER_BYTES);
    if (scan.damage) {
      const { offset, detail, validRecordAfter } = scan.damage;
      if (!last) throw new WalCorruptionError(seg.path, offset, `${detail} (in a completed segment)`);
      if (validRecordAfter !== undefined) {
        throw new WalCorruptionError(seg.path, offset, `${detail}; a valid record follows at offset ${validRecordAfter}`);
      }
      // A torn append: it was never acknowledged. Cut it away so the next append follows the
      // last whole record (and no stale bytes follow the records appended from there).
      await disk.truncate(seg.path, scan.end);
      await disk.sync(seg.path);
    }
    for (const payload of scan.payloads) {
      if (next > replay.afterIndex) {
        const offset = payload.byteOffset - bytes.byteOffset - RECORD_HEADER_BYTES;
        replay.onCommand(decodeCommand(payload, seg.path, offset, next), next);
      }
      next++;
    }
    if (last) {
      activeBytes = scan.end;
      activeFileBytes = scan.damage ? scan.end : bytes.length;
    }
  }
  if (next - 1 < replay.afterIndex) {
    throw new Error(
      `WAL in ${dir} ends at index ${next - 1}, before the snapshot's index ${replay.afterIndex}: records are missing`,
    );
  }
  const lastPath = segments[segments.length - 1]!.path;
  const active = await files.open(lastPath, activeBytes, activeFileBytes, segmentBytes);
  return new Wal(opts, segments, active, activeBytes, next - 1);
}

export class Wal implements CommandLog {
  private readonly disk: Disk;
  private readonly dir: string;
  private readonly files: SegmentFiles;
  /** The segment being appended to (the last of `segments`). */
  private active: SegmentFile;
  private readonly limits: typeof DEFAULTS;
  /** Oldest first; the last one is the segment being appended to. */
  private readonly segments: Segment[];
  private activeBytes: number;
  private lastAssigned: number;
  private durable: number;

  private queue: Pending[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private syncs = 0;
  private purging: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private lastBatchRecords = 0;
  /** Called after each batch became durable and its appends were resolved; must not throw. */
  onDurable: ((durableIndex: number) => void) | undefined;

  /** Use openWal. */
  constructor(opts: WalOptions, segments: Segment[], active: SegmentFile, activeBytes: number, lastIndex: number) {
    this.disk = opts.disk;
    this.dir = opts.dir;
    this.files = opts.segmentFiles ?? diskSegmentFiles(opts.disk);
    this.active = active;
    this.limits = {
      segmentBytes: opts.segmentBytes ?? DEFAULTS.segmentBytes,
      maxBatchBytes: opts.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
      maxBatchCount: opts.maxBatchCount ?? DEFAULTS.maxBatchCount,
      maxQueuedBytes: opts.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes,
      maxQueuedCount: opts.maxQueuedCount ?? DEFAULTS.maxQueuedCount,
    };
    this.segments = segments;
    this.activeBytes = activeBytes;
    this.lastAssigned = lastIndex;
    this.durable = lastIndex;
  }

  /** Index of the last record appended (durable or not). Indexes start at 1. */
  get lastIndex(): number {
    return this.lastAssigned;
  }

  /** Index of the last record known durable. */
  get durableIndex(): number {
    return this.durable;
  }

  /** Number of write + sync rounds so far (group-commit efficiency). */
  get syncCount(): number {
    return this.syncs;
  }

  /** Set once a write or sync failed; every append since rejects with it. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Paths of the segment files, oldest first. */
  segmentPaths(): string[] {
    return this.segments.map((s) => s.path);
  }

  append(cmd: WriteCommand): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new KvError("UNAVAILABLE", "etcdserver: server stopped"));
    let payload: Uint8Array;
    try {
      payload = encodeCommand(cmd);
      checkPayloadLength(payload);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const size = RECORD_HEADER_BYTES + payload.length;
    const queued = this.queue.length - this.queueHead;
    if (queued > 0 && (queued >= this.limits.maxQueuedCount || this.queuedBytes + size > this.limits.maxQueuedBytes)) {
      return Promise.reject(tooManyRequests());
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ index: ++this.lastAssigned, payload, resolve, reject });
      this.queuedBytes += size;
      // Start after the current synchronous burst (or the files' batch window), so appends issued
      // together share a batch.
      this.flushing ??= (this.files.batchWindow?.(this.lastBatchRecords) ?? Promise.resolve()).then(() => this.flushLoop());
    });
  }

  /** Waits until everything appended so far is durable (or failed), then refuses new appends. */
  async close(): Promise<void> {
    if (this.closed) {
      await this.closing;
      return;
    }
    this.closed = true;
    this.closing = (async () => {
      await this.flushing;
      await this.purging;
      await this.active.close();
    })();
    await this.closing;
  }

  /**
   * Removes the segments whose records all have index <= `index` (they are covered by a durable
   * snapshot), oldest first so a crash part-way leaves a contiguous log. Never removes the segment
   * being appended to.
   */
  purgeCoveredBy(index: number): Promise<void> {
    this.purging = this.purging.then(async () => {
      while (this.segments.length > 1 && this.segments[1]!.first - 1 <= index) {
        await this.disk.remove(this.segments[0]!.path);
        this.segments.shift();
      }
    });
    return this.purging;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queueHead < this.queue.length && !this.failure) {
        const batch = this.takeBatch();
        try {
          await this.writeBatch(batch);
        } catch (err) {
          this.fail(err, batch);
          return;
        }
        this.durable = batch[batch.length - 1]!.index;
        for (const p of batch) p.resolve();
        try {
          this.onDurable?.(this.durable);
        } catch {
          // A hook must not stop the log: the batch is durable and acknowledged either way.
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private takeBatch(): Pending[] {
    const { maxBatchBytes, maxBatchCount } = this.limits;
    let end = this.queueHead;
    let bytes = 0;
    while (end < this.queue.length && end - this.queueHead < maxBatchCount) {
      const p = this.queue[end]!;
      const size = RECORD_HEADER_BYTES + p.payload.length;
      if (end > this.queueHead && bytes + size > maxBatchBytes) break;
      bytes += size;
      end++;
    }
    const batch = this.queue.slice(this.queueHead, end);
    this.lastBatchRecords = batch.length;
    this.queueHead = end;
    this.queuedBytes -= bytes;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return batch;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let bytes = 0;
    for (const p of batch) bytes += RECORD_HEADER_BYTES + p.payload.length;
    if (this.activeBytes > SEGMENT_HEADER_BYTES && this.activeBytes + bytes > this.limits.segmentBytes) {
      await this.cut(batch[0]!.index);
    }
    // One buffer so the batch costs one write; the payloads are small (<= etcd's request limit).
    const buf = new Uint8Array(bytes);
    let at = 0;
    for (const p of batch) at = writeRecord(buf, at, p.payload);
    await this.active.appendDurable(buf);
    this.syncs++;
    this.activeBytes += bytes;
  }

  /**
   * Starts a new segment whose first record will be `first`. The previous segment is complete and
   * synced (every batch is). The new file and its directory entry are durable before any record is
   * acknowledged from it.
   */
  private async cut(first: number): Promise<void> {
    const path = join(this.dir, segmentName(first));
    const next = await this.files.create(path, encodeSegmentHeader(first), this.limits.segmentBytes);
    const previous = this.active;
    this.active = next;
    this.segments.push({ first, path });
    this.activeBytes = SEGMENT_HEADER_BYTES;
    await previous.close();
  }

  private fail(err: unknown, batch: Pending[]): void {
    const cause = err instanceof Error ? err.message : String(err);
    this.failure = new KvError("UNAVAILABLE", `etcdserver: write-ahead log failed: ${cause}`);
    const rest = this.queue.slice(this.queueHead);
    this.queue = [];
    this.queueHead = 0;
    this.queuedBytes = 0;
    for (const p of [...batch, ...rest]) p.reject(this.failure);
  }
}

function decodeCommand(payload: Uint8Array, file: string, offset: number, index: number): WriteCommand {
  let value: unknown;
  try {
    value = decodePayload(payload);
  } catch (err) {
    throw new WalCorruptionError(file, offset, `record ${index} has a valid checksum but does not deserialize: ${String(err)}`);
  }
  if (!isWriteCommand(value)) {
    throw new WalCorruptionError(file, offset, `record ${index} is not a WriteCommand`);
  }
  return value;
}

const OPS = new Set(["put", "deleteRange", "txn", "compact", "leaseGrant", "leaseRevoke"]);

function isWriteCommand(v: unknown): v is WriteCommand {
  return typeof v === "object" && v !== null && OPS.has((v as { op?: unknown }).op as string);
}

export function join(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
