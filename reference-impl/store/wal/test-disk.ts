// A small in-memory Disk for the WAL's unit tests: counts syncs, can hold syncs until released (to
// observe when promises resolve), can fail a sync, and can crash (keep only synced bytes, plus
// optionally a torn prefix of the unsynced ones). The simulation's full disk is runtime/SimDisk.
import type { Disk } from "../../../spec/interfaces/disk.ts";

interface File {
  bytes: Uint8Array;
  /** Length that survives a crash (appends after the last sync do not). */
  durableLength: number;
  /** Contents as of the last sync (truncates and appends are volatile until then). */
  durable: Uint8Array;
}

export class TestDisk implements Disk {
  readonly files = new Map<string, File>();
  readonly dirs = new Set<string>();
  syncs = 0;
  appends = 0;
  /** When set, the next sync (or append) throws it, once. */
  failNextSync: Error | undefined;
  failNextAppend: Error | undefined;
  /** When true, syncs wait until `releaseSyncs()`. */
  holdSyncs = false;
  private held: (() => void)[] = [];

  async append(path: string, data: Uint8Array): Promise<void> {
    await Promise.resolve();
    this.appends++;
    if (this.failNextAppend) {
      const err = this.failNextAppend;
      this.failNextAppend = undefined;
      throw err;
    }
    const f = this.files.get(path) ?? { bytes: new Uint8Array(0), durableLength: 0, durable: new Uint8Array(0) };
    const grown = new Uint8Array(f.bytes.length + data.length);
    grown.set(f.bytes);
    grown.set(data, f.bytes.length);
    f.bytes = grown;
    this.files.set(path, f);
  }

  async sync(path: string): Promise<void> {
    if (this.holdSyncs) await new Promise<void>((resolve) => this.held.push(resolve));
    else await Promise.resolve();
    if (this.failNextSync) {
      const err = this.failNextSync;
      this.failNextSync = undefined;
      throw err;
    }
    this.syncs++;
    const f = this.files.get(path);
    if (f) {
      f.durable = f.bytes.slice();
      f.durableLength = f.bytes.length;
    }
  }

  /** Lets every held sync proceed; returns how many were held. */
  releaseSyncs(): number {
    const n = this.held.length;
    for (const r of this.held.splice(0)) r();
    return n;
  }

  get heldSyncs(): number {
    return this.held.length;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    await Promise.resolve();
    return this.files.get(path)?.bytes.slice();
  }

  async writeAtomic(path: string, data: Uint8Array): Promise<void> {
    await Promise.resolve();
    const bytes = Uint8Array.from(data);
    this.files.set(path, { bytes, durableLength: bytes.length, durable: bytes.slice() });
  }

  async truncate(path: string, length: number): Promise<void> {
    await Promise.resolve();
    const f = this.files.get(path);
    if (!f) throw new Error(`ENOENT: ${path}`);
    f.bytes = f.bytes.slice(0, length);
  }

  async remove(path: string): Promise<void> {
    await Promise.resolve();
    this.files.delete(path);
  }

  async list(dir: string): Promise<string[]> {
    await Promise.resolve();
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    return [...this.files.keys()]
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
      .map((p) => p.slice(prefix.length))
      .sort();
  }

  async mkdirp(dir: string): Promise<void> {
    await Promise.resolve();
    this.dirs.add(dir);
  }

  /**
   * The disk after a power cut: each file holds its synced contents plus, when `tornBytes` is
   * given, up to that many of the bytes appended after the last sync.
   */
  crash(tornBytes = 0): TestDisk {
    const after = new TestDisk();
    for (const [path, f] of this.files) {
      let bytes = f.durable;
      const extra = f.bytes.length > f.durableLength && sameStart(f.bytes, f.durable) ? f.bytes.subarray(f.durableLength) : undefined;
      if (extra && tornBytes > 0) {
        const keep = extra.subarray(0, Math.min(tornBytes, extra.length));
        bytes = new Uint8Array(f.durable.length + keep.length);
        bytes.set(f.durable);
        bytes.set(keep, f.durable.length);
      }
      after.files.set(path, { bytes: bytes.slice(), durableLength: bytes.length, durable: bytes.slice() });
    }
    for (const d of this.dirs) after.dirs.add(d);
    return after;
  }
}

function sameStart(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
