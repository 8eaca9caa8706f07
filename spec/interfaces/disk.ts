// Durable storage for components that persist state (the store's write-ahead log and snapshots).
// Simulation uses a simulated disk where writes stay volatile until synced and a crash loses
// unsynced data; live mode uses the real file system with fsync.

export interface Disk {
  /** Appends bytes to a file (created if missing). Not durable until `sync`. */
  append(path: string, data: Uint8Array): Promise<void>;
  /** Makes every earlier write to `path` durable (fsync). */
  sync(path: string): Promise<void>;
  /** Whole file contents, or undefined when it does not exist. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Replaces a file atomically and durably (write temp, fsync, rename, fsync dir). */
  writeAtomic(path: string, data: Uint8Array): Promise<void>;
  /** Cuts a file to `length` bytes (durable after sync). */
  truncate(path: string, length: number): Promise<void>;
  remove(path: string): Promise<void>;
  /** File names (not paths) directly inside `dir`, sorted. */
  list(dir: string): Promise<string[]>;
  mkdirp(dir: string): Promise<void>;
}
