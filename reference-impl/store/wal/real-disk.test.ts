// The durable store on the real file system (RealDisk, fsync) in a temp dir.
import { appendFile, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prefixEnd } from "../../../spec/interfaces/kv.ts";
import { RealDisk } from "../../runtime/real-disk.ts";
import { SeededRng } from "../../runtime/rng.ts";
import { VirtualClock } from "../../runtime/virtual-clock.ts";
import type { LocalKv } from "../local-kv.ts";
import { type DurableKvOptions, openDurableKv } from "./durable-store.ts";
import { RealSegmentFiles } from "./real-segment-files.ts";
import { scanRecords } from "./record.ts";
import { SEGMENT_HEADER_BYTES, parseSegmentName } from "./segment.ts";
import type { SegmentFiles } from "./segment-file.ts";
import { restoreSnapshot, saveSnapshot } from "./snapshot.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
let dir: string;
const disks: RealDisk[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "plumbline-wal-"));
});
afterEach(async () => {
  for (const d of disks.splice(0)) await d.close();
  await rm(dir, { recursive: true, force: true });
});

let segmentFiles: SegmentFiles | undefined;

async function open(extra: Partial<DurableKvOptions> = {}, dataDir = dir): Promise<LocalKv> {
  const disk = new RealDisk();
  disks.push(disk);
  const files = segmentFiles ? { segmentFiles } : {};
  return openDurableKv({ disk, dir: dataDir, clock: new VirtualClock(), rng: SeededRng.fromSeed(1), ...files, ...extra });
}

async function dump(kv: LocalKv): Promise<{ revision: number; kvs: [string, string, number, number][] }> {
  const res = await kv.range({ key: enc.encode("/"), rangeEnd: prefixEnd(enc.encode("/")) });
  return {
    revision: res.header.revision,
    kvs: res.kvs.map((kv) => [dec.decode(kv.key), dec.decode(kv.value), kv.modRevision, kv.version]),
  };
}

// Segments as plain files (append + fsync), and as live mode writes them: preallocated with zeros
// (a small chunk here, so that appends also extend the preallocation) and written with O_DSYNC.
describe.each([
  { kind: "plain segment files", files: () => undefined },
  { kind: "RealSegmentFiles", files: () => new RealSegmentFiles({ preallocateChunkBytes: 1024 }) },
])("durable store on RealDisk, $kind", ({ files }) => {
  beforeEach(() => {
    segmentFiles = files();
  });

  it("writes, closes, reopens with the same state, and continues the revisions", async () => {
    const kv = await open();
    await Promise.all(Array.from({ length: 50 }, (_, i) => kv.put({ key: enc.encode(`/k/${i % 20}`), value: enc.encode(`v${i}`) })));
    await kv.deleteRange({ key: enc.encode("/k/3") });
    const lease = await kv.leaseGrant({ ID: 7n, TTL: 60 });
    await kv.put({ key: enc.encode("/leased"), value: enc.encode("x"), lease: lease.ID });
    const before = await dump(kv);
    await kv.close();

    const again = await open();
    expect(await dump(again)).toEqual(before);
    expect((await again.leaseLeases()).leases.map((l) => l.ID)).toEqual([7n]);
    const next = await again.put({ key: enc.encode("/k/new"), value: enc.encode("n") });
    expect(next.header.revision).toBe(before.revision + 1);
    await again.close();
  });

  it("snapshots, removes covered segments, and recovers from the snapshot plus the log", async () => {
    const opts = { snapshotEveryCommands: 50, segmentBytes: 4096, retainSnapshots: 2 };
    const kv = await open(opts);
    for (let i = 0; i < 400; i++) await kv.put({ key: enc.encode(`/s/${i % 37}`), value: enc.encode(`value-${i}`) });
    const before = await dump(kv);
    await kv.close();

    const names = await readdir(dir);
    const snaps = names.filter((n) => n.endsWith(".snap"));
    const segments = names.map(parseSegmentName).filter((f): f is number => f !== undefined);
    expect(snaps).toHaveLength(2);
    expect(segments[0]).toBeGreaterThan(1); // the first segments are gone
    for (const n of names.filter((n) => n.endsWith(".wal"))) expect((await stat(join(dir, n))).size).toBeLessThanOrEqual(4096);

    const again = await open(opts);
    expect(await dump(again)).toEqual(before);
    await again.close();
  });

  it("cuts a torn tail off the last segment", async () => {
    const kv = await open();
    for (let i = 0; i < 5; i++) await kv.put({ key: enc.encode(`/t/${i}`), value: enc.encode("v") });
    const before = await dump(kv);
    await kv.close();
    const segment = join(dir, (await readdir(dir)).filter((n) => n.endsWith(".wal")).at(-1)!);
    const size = (await stat(segment)).size;
    // Half a record header and a bit: after the last record, or (preallocated) after the zeros.
    await appendFile(segment, Uint8Array.of(60, 0, 0, 0, 1, 2));

    const again = await open();
    expect(await dump(again)).toEqual(before);
    if (segmentFiles) {
      // Cut at the last record, then preallocated again: nothing but zeros after the records.
      const bytes = await readFile(segment);
      const scan = scanRecords(bytes, SEGMENT_HEADER_BYTES);
      expect(scan.damage).toBeUndefined();
      expect(bytes.subarray(scan.end).every((b) => b === 0)).toBe(true);
    } else {
      expect((await stat(segment)).size).toBe(size);
    }
    await again.put({ key: enc.encode("/t/after"), value: enc.encode("v") });
    await again.close();
    expect((await dump(await open())).kvs).toHaveLength(6);
  });

  it("saves a snapshot and restores it into a new data dir", async () => {
    const kv = await open();
    for (let i = 0; i < 10; i++) await kv.put({ key: enc.encode(`/r/${i}`), value: enc.encode(`${i}`) });
    await kv.compact({ revision: 5 });
    const bytes = saveSnapshot(kv);
    const before = await dump(kv);
    await kv.close();

    const restoredDir = join(dir, "restored");
    const disk = new RealDisk();
    disks.push(disk);
    await restoreSnapshot(bytes, restoredDir, disk);
    const restored = await open({}, restoredDir);
    expect(await dump(restored)).toEqual(before);
    await expect(restored.range({ key: enc.encode("/r/0"), revision: 3 })).rejects.toThrow(/compacted/);
    const next = await restored.put({ key: enc.encode("/r/new"), value: enc.encode("n") });
    expect(next.header.revision).toBe(before.revision + 1);
    await restored.close();
    expect(await dump(await open({}, restoredDir))).toMatchObject({ revision: before.revision + 1 });
  });
});
