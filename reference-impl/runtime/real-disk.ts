// RealDisk: the Disk of live mode (spec/interfaces/disk.ts) over node:fs/promises with real fsync.
// Appends go through open O_APPEND handles kept in a small cache, so a write-ahead log pays one
// write per append and one fdatasync per sync. Operations on one path run strictly in order (Node
// runs file writes on a thread pool, where two pending writes could otherwise be reordered).
import { constants } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, truncate, type FileHandle } from "node:fs/promises";
import { dirname, join, basename, resolve } from "node:path";
import type { Disk } from "../../spec/interfaces/disk.ts";

export const DEFAULT_MAX_OPEN_FILES = 16;

export interface RealDiskOptions {
  /** Most append handles kept open; the least recently used is closed beyond it. */
  maxOpenFiles?: number;
}

export class RealDisk implements Disk {
  readonly maxOpenFiles: number;
  /** Open append handles, least recently used first (Map keeps insertion order). */
  readonly #handles = new Map<string, FileHandle>();
  /** Files created by append whose directory entry is not yet fsynced. */
  readonly #newFiles = new Set<string>();
  /** The tail of each path's queue of operations. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #tempSeq = 0;

  constructor(opts: RealDiskOptions = {}) {
    this.maxOpenFiles = opts.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES;
  }

  append(path: string, data: Uint8Array): Promise<void> {
    const p = resolve(path);
    return this.#serial(p, async () => {
      const handle = await this.#appendHandle(p);
      await handle.appendFile(data);
    });
  }

  sync(path: string): Promise<void> {
    const p = resolve(path);
    return this.#serial(p, async () => {
      const cached = this.#handles.get(p);
      if (cached !== undefined) await cached.datasync();
      else await withHandle(p, "r", (h) => h.datasync());
      if (this.#newFiles.delete(p)) await fsyncDir(dirname(p));
    });
  }

  read(path: string): Promise<Uint8Array | undefined> {
    const p = resolve(path);
    return this.#serial(p, async () => {
      try {
        return new Uint8Array(await readFile(p));
      } catch (err) {
        if (errorCode(err) === "ENOENT") return undefined;
        throw err;
      }
    });
  }

  writeAtomic(path: string, data: Uint8Array): Promise<void> {
    const p = resolve(path);
    return this.#serial(p, async () => {
      await this.#closeHandle(p); // the rename replaces the file a cached handle points at
      const temp = join(dirname(p), `.${basename(p)}.tmp-${process.pid}-${this.#tempSeq++}`);
      try {
        await withHandle(temp, "w", async (h) => {
          await h.writeFile(data);
          await h.sync();
        });
        await rename(temp, p);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      this.#newFiles.delete(p);
      await fsyncDir(dirname(p));
    });
  }

  truncate(path: string, length: number): Promise<void> {
    const p = resolve(path);
    return this.#serial(p, () => truncate(p, length));
  }

  /** Removes a file, or a directory and everything in it; a missing path is not an error. */
  remove(path: string): Promise<void> {
    const p = resolve(path);
    return this.#serial(p, async () => {
      await this.#closeHandle(p);
      this.#newFiles.delete(p);
      await rm(p, { force: true, recursive: true });
      await fsyncDir(dirname(p));
    });
  }

  /** Names inside `dir`, sorted; an empty list when `dir` does not exist. */
  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).sort();
    } catch (err) {
      if (errorCode(err) === "ENOENT") return [];
      throw err;
    }
  }

  async mkdirp(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true });
    // Make the new directory's entry durable in the directory that already existed.
    if (first !== undefined) await fsyncDir(dirname(first));
  }

  /** Closes every cached handle (pending operations finish first). */
  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.catch(() => undefined)));
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(handles.map((h) => h.close()));
  }

  /** Runs `op` after every earlier operation on `path` has finished (whether or not it failed). */
  #serial<T>(path: string, op: () => Promise<T>): Promise<T> {
    const prev = this.#queues.get(path) ?? Promise.resolve();
    const next = prev.then(op, op);
    const tail = next.catch(() => undefined);
    this.#queues.set(path, tail);
    void tail.then(() => {
      if (this.#queues.get(path) === tail) this.#queues.delete(path);
    });
    return next;
  }

  async #appendHandle(path: string): Promise<FileHandle> {
    const cached = this.#handles.get(path);
    if (cached !== undefined) {
      this.#handles.delete(path); // re-insert: most recently used
      this.#handles.set(path, cached);
      return cached;
    }
    // O_EXCL first, to learn whether this append creates the file (its directory entry then
    // needs an fsync of the directory at the next sync).
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL);
      this.#newFiles.add(path);
    } catch (err) {
      if (errorCode(err) !== "EEXIST") throw err;
      handle = await open(path, constants.O_WRONLY | constants.O_APPEND);
    }
    this.#handles.set(path, handle);
    if (this.#handles.size > this.maxOpenFiles) {
      const [oldest] = this.#handles.keys();
      // Closed in the oldest path's own queue, so none of its operations is using it.
      if (oldest !== undefined) void this.#serial(oldest, () => this.#closeHandle(oldest)).catch(() => undefined);
    }
    return handle;
  }

  async #closeHandle(path: string): Promise<void> {
    const handle = this.#handles.get(path);
    if (handle === undefined) return;
    this.#handles.delete(path);
    await handle.close();
  }
}

async function withHandle<T>(path: string, flags: string, fn: (h: FileHandle) => Promise<T>): Promise<T> {
  const handle = await open(path, flags);
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  await withHandle(dir, "r", (h) => h.sync());
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
}
