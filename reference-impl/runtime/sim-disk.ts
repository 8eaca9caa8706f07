// SimDisk: the Disk of simulation (spec/interfaces/disk.ts), in memory. Like a real disk with a
// page cache, appends and truncates are visible to reads at once but durable only after
// sync(path); writeAtomic, remove and mkdirp are durable at once (as RealDisk does them with a
// directory fsync). crash() loses every unsynced change, optionally leaving a torn tail: a prefix
// of the unsynced appended bytes, as a disk may persist part of an unsynced write.
//
// Simplification: syncing a file also makes its directory entry durable (RealDisk fsyncs the
// directory of a file it created). All operations complete in microtasks, never on the clock.
import { posix } from "node:path";
import type { Disk } from "../../spec/interfaces/disk.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";

export interface CrashOptions {
  /** Tear unsynced appends: each file keeps a prefix of them whose length this Rng draws. */
  tearRng?: Rng;
}

/** A growable byte buffer: appends are amortized O(bytes appended). */
class ByteBuffer {
  #bytes: Uint8Array;
  length: number;

  constructor(initial: Uint8Array = new Uint8Array(0)) {
    this.#bytes = Uint8Array.from(initial);
    this.length = initial.length;
  }

  append(data: Uint8Array): void {
    const needed = this.length + data.length;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2, 64));
      grown.set(this.#bytes.subarray(0, this.length));
      this.#bytes = grown;
    }
    this.#bytes.set(data, this.length);
    this.length = needed;
  }

  /** Cuts to `length`, or extends with zeros (as ftruncate does). */
  resize(length: number): void {
    if (length > this.length) this.append(new Uint8Array(length - this.length));
    else this.length = length;
  }

  /** A copy of bytes [0, end). */
  copy(end = this.length): Uint8Array {
    return this.#bytes.slice(0, end);
  }
}

interface SimFile {
  /** What reads see. */
  data: ByteBuffer;
  /** The file survives a crash (it was synced or written atomically). */
  durableExists: boolean;
  /**
   * When only appends happened since the last sync, the durable contents are data[0, durableLength)
   * and `durableCopy` is undefined; otherwise `durableCopy` holds them.
   */
  durableLength: number;
  durableCopy: Uint8Array | undefined;
}

export class SimDisk implements Disk {
  readonly #files = new Map<string, SimFile>();
  readonly #dirs = new Set<string>(["/", "."]);
  #crashes = 0;

  async append(path: string, data: Uint8Array): Promise<void> {
    const p = this.#fileParentExists(path, "append");
    let file = this.#files.get(p);
    if (file === undefined) {
      file = { data: new ByteBuffer(), durableExists: false, durableLength: 0, durableCopy: undefined };
      this.#files.set(p, file);
    }
    file.data.append(data);
  }

  async sync(path: string): Promise<void> {
    if (this.#dirs.has(normalize(path))) return; // directory entries are durable at once here
    const file = this.#existing(path, "sync");
    file.durableExists = true;
    file.durableLength = file.data.length;
    file.durableCopy = undefined;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return this.#files.get(normalize(path))?.data.copy();
  }

  async writeAtomic(path: string, data: Uint8Array): Promise<void> {
    const p = this.#fileParentExists(path, "writeAtomic");
    this.#files.set(p, { data: new ByteBuffer(data), durableExists: true, durableLength: data.length, durableCopy: undefined });
  }

  async truncate(path: string, length: number): Promise<void> {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`truncate ${path}: bad length ${length}`);
    const file = this.#existing(path, "truncate");
    // The change is no longer an append past the durable contents: keep those aside.
    file.durableCopy ??= file.data.copy(file.durableLength);
    file.data.resize(length);
  }

  /** Removes a file, or a directory and everything in it; a missing path is not an error. */
  async remove(path: string): Promise<void> {
    const p = normalize(path);
    const inside = (q: string) => q === p || q.startsWith(p === "/" ? "/" : `${p}/`);
    for (const f of [...this.#files.keys()]) if (inside(f)) this.#files.delete(f);
    for (const d of [...this.#dirs]) if (inside(d) && d !== "/" && d !== ".") this.#dirs.delete(d);
  }

  async list(dir: string): Promise<string[]> {
    const d = normalize(dir);
    const names: string[] = [];
    for (const p of [...this.#files.keys(), ...this.#dirs]) {
      if (p !== d && posix.dirname(p) === d) names.push(posix.basename(p));
    }
    return names.sort();
  }

  async mkdirp(dir: string): Promise<void> {
    for (let d = normalize(dir); !this.#dirs.has(d); d = posix.dirname(d)) {
      if (this.#files.has(d)) throw fsError("EEXIST", `mkdirp ${dir}: ${d} is a file`);
      this.#dirs.add(d);
    }
  }

  /**
   * Power loss: every file reverts to its durable contents; files never made durable vanish. With
   * `tearRng`, a file whose unsynced changes are all appends keeps a random prefix of them.
   */
  crash(opts: CrashOptions = {}): void {
    this.#crashes++;
    for (const [p, file] of [...this.#files]) {
      const durable = file.durableCopy ?? file.data.copy(file.durableLength);
      let kept = durable;
      if (opts.tearRng !== undefined && file.durableCopy === undefined && file.data.length > file.durableLength) {
        const tornLength = file.durableLength + opts.tearRng.int(0, file.data.length - file.durableLength);
        if (file.durableExists || tornLength > 0) kept = file.data.copy(tornLength);
      } else if (!file.durableExists) {
        this.#files.delete(p);
        continue;
      }
      if (!file.durableExists && kept.length === 0) {
        this.#files.delete(p);
        continue;
      }
      this.#files.set(p, { data: new ByteBuffer(kept), durableExists: true, durableLength: kept.length, durableCopy: undefined });
    }
  }

  /** How many times crash() was called. */
  get crashes(): number {
    return this.#crashes;
  }

  /** The contents a crash now would leave (without tearing); undefined when the file would vanish. */
  durableContents(path: string): Uint8Array | undefined {
    const file = this.#files.get(normalize(path));
    if (file === undefined || !file.durableExists) return undefined;
    return file.durableCopy?.slice() ?? file.data.copy(file.durableLength);
  }

  #existing(path: string, op: string): SimFile {
    const file = this.#files.get(normalize(path));
    if (file === undefined) throw fsError("ENOENT", `${op} ${path}: no such file`);
    return file;
  }

  #fileParentExists(path: string, op: string): string {
    const p = normalize(path);
    if (this.#dirs.has(p)) throw fsError("EISDIR", `${op} ${path}: is a directory`);
    if (!this.#dirs.has(posix.dirname(p))) throw fsError("ENOENT", `${op} ${path}: no such directory ${posix.dirname(p)}`);
    return p;
  }
}

function normalize(path: string): string {
  const p = posix.normalize(path);
  return p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
}

/** An Error with a Node-style `code`, so callers can treat SimDisk and RealDisk errors alike. */
function fsError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
