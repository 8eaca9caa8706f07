import { describe, expect, it } from "vitest";
import {
  SnapshotError,
  decodeSnapshot,
  encodeSnapshot,
  loadNewestSnapshot,
  parseSnapshotName,
  restoreSnapshot,
  saveSnapshot,
  snapshotName,
  writeSnapshotFile,
} from "./snapshot.ts";
import { TestDisk } from "./test-disk.ts";

const state = { revision: 42, keys: [[new Uint8Array([1, 2, 3]), { lease: 2n ** 63n - 1n }]] };

describe("snapshot format", () => {
  it("round-trips index and state, bytes and bigints included", () => {
    const bytes = encodeSnapshot({ index: 7, state });
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe("PLSNAP01");
    expect(decodeSnapshot(bytes, "x")).toEqual({ index: 7, state });
  });

  it("detects any flipped byte, truncation and trailing garbage", () => {
    const bytes = encodeSnapshot({ index: 7, state });
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i]! ^= 0x10;
      expect(() => decodeSnapshot(bad, "snap")).toThrow(SnapshotError);
    }
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeSnapshot(bytes.subarray(0, cut), "snap")).toThrow(SnapshotError);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    longer[bytes.length + 1] = 7;
    expect(() => decodeSnapshot(longer, "snap")).toThrow(`unexpected non-zero byte after the snapshot at offset ${bytes.length + 1}`);
  });

  it("accepts zero padding after the snapshot (Maintenance.Snapshot pads to 512 bytes)", () => {
    const bytes = encodeSnapshot({ index: 7, state });
    const padded = new Uint8Array(Math.ceil(bytes.length / 512) * 512 + 512);
    padded.set(bytes);
    expect(decodeSnapshot(padded, "x")).toEqual({ index: 7, state });
  });

  it("names the source in its errors", () => {
    expect(() => decodeSnapshot(new TextEncoder().encode("not a snapshot"), "/d/backup.db")).toThrow(
      "snapshot /d/backup.db: bad magic at offset 0 (not a plumbline snapshot)",
    );
  });

  it("names files by index so they sort oldest first", () => {
    expect(snapshotName(0x2a)).toBe("snapshot-000000000000002a.snap");
    expect(parseSnapshotName(snapshotName(123456))).toBe(123456);
    expect(parseSnapshotName("snapshot-2a.snap")).toBeUndefined();
  });
});

describe("snapshot files", () => {
  it("loads the newest intact snapshot and skips a damaged newer one", async () => {
    const disk = new TestDisk();
    await writeSnapshotFile(disk, "/d", { index: 10, state: "ten" });
    const newest = await writeSnapshotFile(disk, "/d", { index: 20, state: "twenty" });
    expect((await loadNewestSnapshot(disk, "/d")).snapshot).toMatchObject({ index: 20, state: "twenty" });

    disk.files.get(newest)!.bytes[20]! ^= 1;
    const { snapshot, skipped } = await loadNewestSnapshot(disk, "/d");
    expect(snapshot).toMatchObject({ index: 10, state: "ten", path: "/d/snapshot-000000000000000a.snap" });
    expect(skipped.map((e) => e.message)).toEqual([expect.stringMatching(/^snapshot \/d\/snapshot-0+14\.snap: at offset 8: checksum mismatch/)]);
  });

  it("finds nothing in an empty dir", async () => {
    expect(await loadNewestSnapshot(new TestDisk(), "/d")).toEqual({ skipped: [] });
  });
});

describe("snapshot save / restore", () => {
  it("saves a store's exported state and restores it into a fresh data dir", async () => {
    const store = { exportState: () => state, consistentIndex: 12 };
    const bytes = saveSnapshot(store);
    expect(saveSnapshot({ store })).toEqual(bytes);
    const disk = new TestDisk();
    await restoreSnapshot(bytes, "/restored", disk);
    const { snapshot } = await loadNewestSnapshot(disk, "/restored");
    expect(snapshot).toMatchObject({ index: 12, state, path: "/restored/snapshot-000000000000000c.snap" });
  });

  it("refuses to restore over an existing store, or from a damaged file", async () => {
    const disk = new TestDisk();
    const bytes = saveSnapshot({ exportState: () => state, consistentIndex: 0 });
    await restoreSnapshot(bytes, "/d", disk);
    await expect(restoreSnapshot(bytes, "/d", disk)).rejects.toThrow(/data dir \/d already holds a store/);
    const bad = bytes.slice();
    bad[bad.length - 1]! ^= 1;
    await expect(restoreSnapshot(bad, "/e", disk)).rejects.toThrow(/snapshot being restored: .*checksum mismatch/);
    expect(await disk.list("/e")).toEqual([]);
  });
});
