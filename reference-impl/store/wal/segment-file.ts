// How the WAL writes its segment files. The log needs two things from storage: create a segment
// durably, and append a batch that is durable when the promise resolves. `diskSegmentFiles` does
// that over any Disk (append, then sync) — the simulation's and the tests'. Live mode uses
// RealSegmentFiles (real-segment-files.ts): preallocated files and synchronous-data writes, which
// cost one disk round trip per batch instead of two and no file-size update per sync.
import type { Disk } from "../../../spec/interfaces/disk.ts";

export interface SegmentFile {
  /** Appends `data` after everything appended before; resolves once it is durable. One at a time. */
  appendDurable(data: Uint8Array): Promise<void>;
  /** Waits for background work (preallocation) and releases the file. */
  close(): Promise<void>;
}

export interface SegmentFiles {
  /**
   * Resolves when the appends issued so far should go out as one batch: the log waits for it
   * before the first batch after each pause in its writing. `previousBatchRecords` (how many
   * records the log's last batch held) hints at how many clients are writing. Default: at once
   * (a microtask).
   */
  batchWindow?(previousBatchRecords: number): Promise<void>;
  /**
   * Creates the segment at `path` holding just `header`, durably (contents and directory entry),
   * and opens it for appending. `capacityBytes`: the segment is not expected to grow past it.
   */
  create(path: string, header: Uint8Array, capacityBytes: number): Promise<SegmentFile>;
  /**
   * Opens an existing segment of `fileBytes` bytes to append at `end`, where its records end.
   * Everything after `end` is zero (preallocated space): recovery cut away anything else.
   */
  open(path: string, end: number, fileBytes: number, capacityBytes: number): Promise<SegmentFile>;
}

/** Segments as plain files of a Disk: each batch is one append and one sync. */
export function diskSegmentFiles(disk: Disk): SegmentFiles {
  const file = (path: string): SegmentFile => ({
    async appendDurable(data) {
      await disk.append(path, data);
      await disk.sync(path);
    },
    close: () => Promise.resolve(),
  });
  return {
    async create(path, header) {
      await disk.writeAtomic(path, header);
      return file(path);
    },
    async open(path, end, fileBytes) {
      // Appends go to the end of the file: drop preallocated zeros a RealSegmentFiles left there.
      if (fileBytes > end) {
        await disk.truncate(path, end);
        await disk.sync(path);
      }
      return file(path);
    },
  };
}
