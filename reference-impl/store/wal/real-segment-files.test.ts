// The WAL on RealSegmentFiles: preallocated segments written in place with O_DSYNC, read back
// through RealDisk, torn writes into the preallocated zeros, and the switch back to plain files.
import { mkdtemp, open as openFile, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RealDisk } from "../../runtime/real-disk.ts";
import type { WriteCommand } from "../commands.ts";
import { encodeCommand } from "./command-codec.ts";
import { RealSegmentFiles } from "./real-segment-files.ts";
import { encodeRecord, scanRecords } from "./record.ts";
import { SEGMENT_HEADER_BYTES } from "./segment.ts";
import { type SegmentFiles } from "./segment-file.ts";
import { WalCorruptionError, openWal } from "./wal.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const put = (key: string): WriteCommand => ({ op: "put", req: { key: enc.encode(key), value: enc.encode(`value of ${key}`) } });
const range = (n: number, prefix = "k"): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

let dir: string;
let disk: RealDisk;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "plumbline-segments-"));
  disk = new RealDisk();
});
afterEach(async () => {
  await disk.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(files: SegmentFiles | undefined, segmentBytes = 64 * 1024) {
  const keys: string[] = [];
  const wal = await openWal(
    { disk, dir, segmentBytes, ...(files ? { segmentFiles: files } : {}) },
    { afterIndex: 0, onCommand: (cmd) => keys.push(cmd.op === "put" ? dec.decode(cmd.req.key) : cmd.op) },
  );
  return { wal, keys };
}

async function segments(): Promise<string[]> {
  return (await readdir(dir))
    .filter((n) => n.endsWith(".wal"))
    .sort()
    .map((n) => join(dir, n));
}

/** Records in a segment file, and whether everything after them is zero. */
async function contents(path: string): Promise<{ records: number; end: number; size: number; zeroTail: boolean }> {
  const bytes = new Uint8Array(await readFile(path));
  const scan = scanRecords(bytes, SEGMENT_HEADER_BYTES);
  expect(scan.damage).toBeUndefined();
  return { records: scan.payloads.length, end: scan.end, size: bytes.length, zeroTail: bytes.subarray(scan.end).every((b) => b === 0) };
}

describe("WAL segments on RealSegmentFiles", () => {
  it("preallocates a new segment with zeros, writes records over them in place, and replays them", async () => {
    const files = new RealSegmentFiles({ preallocateChunkBytes: 8192 });
    const { wal } = await open(files);
    const [path] = await segments();
    expect((await stat(path!)).size).toBe(8192);
    for (const k of range(20)) await wal.append(put(k));
    expect(await contents(path!)).toMatchObject({ records: 20, size: 8192, zeroTail: true });
    await wal.close();
    expect((await open(files)).keys).toEqual(range(20));
  });

  it("keeps the preallocation ahead of the appends, up to the segment size, across segments", async () => {
    const files = new RealSegmentFiles({ preallocateChunkBytes: 1024 });
    const { wal } = await open(files, 6000);
    for (const k of range(300)) await wal.append(put(k));
    await wal.close();
    const paths = await segments();
    expect(paths.length).toBeGreaterThan(1);
    let records = 0;
    for (const p of paths) {
      const c = await contents(p);
      expect(c.zeroTail).toBe(true);
      expect(c.size).toBeLessThanOrEqual(6000);
      records += c.records;
    }
    expect(records).toBe(300);
    expect((await open(files, 6000)).keys).toEqual(range(300));
  });

  it("cuts away a torn batch in the preallocated space, so that no stale record follows later appends", async () => {
    const files = new RealSegmentFiles({ preallocateChunkBytes: 8192 });
    const first = await open(files);
    for (const k of range(3)) await first.wal.append(put(k));
    await first.wal.close();
    // A torn batch: its first record never reached the disk (zeros), its second one did.
    const [path] = await segments();
    const { end } = await contents(path!);
    const lost = encodeRecord(encodeCommand(put("lost")));
    const h = await openFile(path!, "r+");
    await h.write(lost, 0, lost.length, end + 40);
    await h.close();

    const second = await open(files);
    expect(second.keys).toEqual(range(3));
    await second.wal.append(put("after"));
    await second.wal.close();
    expect((await open(files)).keys).toEqual([...range(3), "after"]);
    expect(await contents(path!)).toMatchObject({ records: 4, zeroTail: true });
  });

  it("refuses stray bytes after the zeros of a completed segment", async () => {
    const files = new RealSegmentFiles({ preallocateChunkBytes: 1024 });
    const { wal } = await open(files, 2000);
    for (const k of range(200)) await wal.append(put(k));
    await wal.close();
    const [oldest, ...newer] = await segments();
    expect(newer.length).toBeGreaterThan(0);
    const { size } = await contents(oldest!);
    const h = await openFile(oldest!, "r+");
    await h.write(Uint8Array.of(7), 0, 1, size - 1);
    await h.close();
    await expect(open(files, 2000)).rejects.toBeInstanceOf(WalCorruptionError);
  });

  it("batches the appends of one event-loop turn into one write, blocking or from the thread pool", async () => {
    for (const blockingWriteMaxMs of [5, 0]) {
      const files = new RealSegmentFiles({ blockingWriteMaxMs });
      const { wal } = await open(files);
      await Promise.all(range(50).map((k) => wal.append(put(k))));
      await wal.append(put("alone"));
      expect(wal.syncCount).toBe(2);
      expect(files.appendCounts).toEqual(blockingWriteMaxMs > 0 ? { blocking: 2, threadPool: 0 } : { blocking: 0, threadPool: 2 });
      await wal.close();
      expect((await open(files)).keys).toEqual([...range(50), "alone"]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reopened with plain segment files, drops the zeros and appends after the records", async () => {
    const { wal } = await open(new RealSegmentFiles({ preallocateChunkBytes: 8192 }));
    for (const k of range(5)) await wal.append(put(k));
    await wal.close();
    const plain = await open(undefined);
    expect(plain.keys).toEqual(range(5));
    await plain.wal.append(put("plain"));
    await plain.wal.close();
    const [path] = await segments();
    const c = await contents(path!);
    expect(c).toMatchObject({ records: 6, zeroTail: true });
    expect(c.size).toBe(c.end);
    expect((await open(new RealSegmentFiles())).keys).toEqual([...range(5), "plain"]);
  });
});
