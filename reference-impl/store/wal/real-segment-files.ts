// WAL segments on the real file system, tuned for the cost of a durable append:
// - the fd is opened with O_DSYNC, so each write returns only once its data (and any metadata
//   needed to read it back) is on stable storage — POSIX "synchronized I/O data integrity
//   completion", the guarantee of write + fdatasync — in one system call instead of two;
// - the file is preallocated with zeros ahead of the write position (etcd preallocates its 64 MB
//   segments), so such a write overwrites allocated blocks and need not also commit a new file size.
//   Recovery reads a zero record length as the end of the log (record.ts).
// Writes are positional at the tracked end, so the zeros are overwritten in place.
//
// A batch is written from the event loop thread, blocking it for the write, as etcd's raft loop
// blocks on its fdatasync: one sleep and wake-up per batch instead of three thread handoffs through
// the thread pool, which on a busy machine each cost a scheduling delay (bench/RESULTS.md). Group
// commit still works: while several clients write, a batch is taken once the event loop has read
// everything that arrived (setImmediate), so the requests that came in during a write form the next
// batch; a lone client's append, after an idle spell, goes out at once. A disk slower
// than a few milliseconds per write would stall reads and watches that long, so while writes are
// that slow they go through the thread pool instead, and come back once the disk is fast again.
import { constants, write, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { SegmentFile, SegmentFiles } from "./segment-file.ts";

export interface RealSegmentFilesOptions {
  /**
   * Zeros are written this far ahead, in one background write per chunk, once the write position
   * is within half a chunk of the preallocated end. Default 256 KiB: an append that meets a chunk
   * being written waits for it at the disk, so large chunks make slow outliers (4 MiB: ~12 ms on
   * the benchmark machine; 256 KiB: under 1 ms). 0 turns preallocation off.
   */
  preallocateChunkBytes?: number;
  /**
   * Appends block the event loop while the average recent write took at most this long; above it
   * they go through the thread pool until the average is below half of it. Default 5 ms; 0 never
   * blocks.
   */
  blockingWriteMaxMs?: number;
}

const DEFAULT_PREALLOCATE_CHUNK_BYTES = 256 * 1024;
const DEFAULT_BLOCKING_WRITE_MAX_MS = 5;
/** Weight of the newest write in the average write time. */
const WRITE_TIME_WEIGHT = 0.1;
/** No write for this long: the log is idle, and the next append need not wait for others. */
const IDLE_AFTER_MS = 0.25;

export class RealSegmentFiles implements SegmentFiles {
  readonly #chunkBytes: number;
  readonly #pacer: WritePacer;
  #tempSeq = 0;

  constructor(opts: RealSegmentFilesOptions = {}) {
    this.#chunkBytes = opts.preallocateChunkBytes ?? DEFAULT_PREALLOCATE_CHUNK_BYTES;
    this.#pacer = new WritePacer(opts.blockingWriteMaxMs ?? DEFAULT_BLOCKING_WRITE_MAX_MS);
  }

  /** Appends written so far from the event loop thread and from the thread pool. */
  get appendCounts(): { blocking: number; threadPool: number } {
    return { blocking: this.#pacer.blocking, threadPool: this.#pacer.threadPool };
  }

  /**
   * After the event loop's I/O phase, so that every request read by then joins the batch — unless
   * the last batch held a single record and the log has been idle since (a lone client, which
   * should not wait a turn of the event loop). A write that just ended means more requests are
   * likely waiting to be read, whatever the last batch held.
   */
  batchWindow(previousBatchRecords: number): Promise<void> {
    const idle = performance.now() - this.#pacer.lastWriteEndMs > IDLE_AFTER_MS;
    if (idle && previousBatchRecords <= 1) return Promise.resolve();
    return new Promise((resolve) => setImmediate(resolve));
  }

  async create(path: string, header: Uint8Array, capacityBytes: number): Promise<SegmentFile> {
    // Written whole under a temporary name, synced, then renamed and the directory synced: a crash
    // leaves either no segment or a complete one.
    const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${this.#tempSeq++}`);
    const size = Math.max(header.length, Math.min(capacityBytes, this.#chunkBytes));
    try {
      const h = await open(temp, "w");
      try {
        await h.write(header, 0, header.length, 0);
        await writeZeros(h.fd, header.length, size);
        await h.sync();
      } finally {
        await h.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDir(dirname(path));
    return this.open(path, header.length, size, capacityBytes);
  }

  async open(path: string, end: number, fileBytes: number, capacityBytes: number): Promise<SegmentFile> {
    const h = await open(path, constants.O_WRONLY | constants.O_DSYNC);
    return new RealSegmentFile(h, end, Math.max(end, fileBytes), capacityBytes, this.#chunkBytes, this.#pacer);
  }
}

type Handle = Awaited<ReturnType<typeof open>>;

class RealSegmentFile implements SegmentFile {
  #end: number;
  /** Bytes from #end up to here are zeros that are durably part of the file. */
  #allocated: number;
  #extending: Promise<void> | undefined;
  #extendFailed = false;

  constructor(
    private readonly handle: Handle,
    end: number,
    allocated: number,
    private readonly capacityBytes: number,
    private readonly chunkBytes: number,
    private readonly pacer: WritePacer,
  ) {
    this.#end = end;
    this.#allocated = allocated;
    this.#maybeExtend();
  }

  async appendDurable(data: Uint8Array): Promise<void> {
    const at = this.#end;
    // Never write into the range a preallocation is zeroing right now.
    if (at + data.length > this.#allocated && this.#extending) await this.#extending;
    this.#end = at + data.length;
    this.#maybeExtend();
    await this.pacer.write(this.handle.fd, data, at);
  }

  async close(): Promise<void> {
    await this.#extending;
    await this.handle.close();
  }

  #maybeExtend(): void {
    if (this.#extending || this.#extendFailed || this.chunkBytes <= 0) return;
    if (this.#end < this.#allocated - this.chunkBytes / 2) return;
    const from = Math.max(this.#allocated, this.#end);
    const to = Math.min(this.capacityBytes, from + this.chunkBytes);
    if (to <= from) return;
    this.#extending = writeZeros(this.handle.fd, from, to).then(
      () => {
        this.#allocated = to;
        this.#extending = undefined;
      },
      () => {
        // Only a speed-up: without it appends grow the file, which is just as durable. A disk
        // that is full or failing shows in the appends themselves.
        this.#extendFailed = true;
        this.#extending = undefined;
      },
    );
  }
}

/** Chooses, append by append, a blocking write or one from the thread pool (see the top). */
class WritePacer {
  blocking = 0;
  threadPool = 0;
  /** When the last append finished (performance.now()). */
  lastWriteEndMs = -Infinity;
  #averageMs = 0;
  #blockingNow = true;

  constructor(private readonly blockingMaxMs: number) {
    this.#blockingNow = blockingMaxMs > 0;
  }

  async write(fd: number, data: Uint8Array, position: number): Promise<void> {
    const t0 = performance.now();
    if (this.#blockingNow) {
      this.blocking++;
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, position + done);
    } else {
      this.threadPool++;
      await writeAll(fd, data, position);
    }
    this.lastWriteEndMs = performance.now();
    this.#averageMs += WRITE_TIME_WEIGHT * (this.lastWriteEndMs - t0 - this.#averageMs);
    if (this.blockingMaxMs > 0) {
      if (this.#averageMs > this.blockingMaxMs) this.#blockingNow = false;
      else if (this.#averageMs < this.blockingMaxMs / 2) this.#blockingNow = true;
    }
  }
}

const ZERO_CHUNK_BYTES = 1024 * 1024;
let zeros: Uint8Array | undefined;

/** Writes zeros over [from, to) with positional writes (durable on an O_DSYNC fd). */
async function writeZeros(fd: number, from: number, to: number): Promise<void> {
  zeros ??= new Uint8Array(ZERO_CHUNK_BYTES);
  for (let at = from; at < to; at += ZERO_CHUNK_BYTES) {
    await writeAll(fd, zeros.subarray(0, Math.min(ZERO_CHUNK_BYTES, to - at)), at);
  }
}

/** pwrite until every byte is written (a short write is legal, if rare, for regular files). */
async function writeAll(fd: number, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    done += await new Promise<number>((resolve, reject) =>
      write(fd, data, done, data.length - done, position + done, (err, written) => (err ? reject(err) : resolve(written))),
    );
  }
}

async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
