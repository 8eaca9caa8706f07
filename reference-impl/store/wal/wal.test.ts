import { describe, expect, it } from "vitest";
import { KvError } from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";
import { RECORD_HEADER_BYTES, scanRecords } from "./record.ts";
import { SEGMENT_HEADER_BYTES, segmentName } from "./segment.ts";
import { TestDisk } from "./test-disk.ts";
import { type Wal, WalCorruptionError, type WalOptions, openWal } from "./wal.ts";

const DIR = "/data";
const enc = new TextEncoder();
const put = (key: string, value = `v-${key}`): WriteCommand => ({ op: "put", req: { key: enc.encode(key), value: enc.encode(value) } });
const keyOf = (cmd: WriteCommand): string => (cmd.op === "put" ? new TextDecoder().decode(cmd.req.key) : cmd.op);

async function open(disk: TestDisk, opts: Partial<WalOptions> = {}, afterIndex = 0) {
  const replayed: { key: string; index: number }[] = [];
  const wal = await openWal({ disk, dir: DIR, ...opts }, { afterIndex, onCommand: (cmd, index) => replayed.push({ key: keyOf(cmd), index }) });
  return { wal, replayed, keys: replayed.map((r) => r.key) };
}

/** Number of whole records in the synced part of the (single) active segment. */
function durableRecords(disk: TestDisk, wal: Wal): number {
  const f = disk.files.get(wal.segmentPaths().at(-1)!)!;
  return scanRecords(f.durable, SEGMENT_HEADER_BYTES).payloads.length;
}

const range = (n: number, prefix = "k") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("Wal", () => {
  it("replays appended commands in order with their indexes after a reopen", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    for (const k of range(5)) await wal.append(put(k));
    expect(wal.lastIndex).toBe(5);
    await wal.close();
    const again = await open(disk);
    expect(again.replayed).toEqual(range(5).map((key, i) => ({ key, index: i + 1 })));
    expect(again.wal.lastIndex).toBe(5);
    await again.wal.append(put("k5"));
    expect((await open(disk)).keys).toEqual(range(6));
  });

  it("skips records already covered by a snapshot", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    await Promise.all(range(6).map((k) => wal.append(put(k))));
    const { replayed } = await open(disk, {}, 4);
    expect(replayed).toEqual([
      { key: "k4", index: 5 },
      { key: "k5", index: 6 },
    ]);
  });

  it("cuts away a torn append at the tail and keeps every acknowledged record", async () => {
    for (let torn = 1; torn < 40; torn += 3) {
      const disk = new TestDisk();
      const { wal } = await open(disk);
      for (const k of range(3)) await wal.append(put(k));
      disk.holdSyncs = true;
      const unacked = Promise.all([wal.append(put("lost1")), wal.append(put("lost2"))]);
      unacked.catch(() => {});
      while (disk.heldSyncs === 0) await Promise.resolve();
      const crashed = disk.crash(torn);
      const seg = wal.segmentPaths()[0]!;
      const tornLength = crashed.files.get(seg)!.bytes.length;

      const { wal: reopened, keys } = await open(crashed);
      expect(keys.slice(0, 3)).toEqual(range(3));
      // A torn batch may leave whole records: they were never acknowledged, but may survive.
      expect(["k0,k1,k2", "k0,k1,k2,lost1"]).toContain(keys.join(","));
      expect(crashed.files.get(seg)!.bytes.length).toBeLessThanOrEqual(tornLength);
      await reopened.append(put("after"));
      expect((await open(crashed)).keys.at(-1)).toBe("after");
      expect((await open(crashed)).keys).toEqual([...keys, "after"]);
    }
  });

  it("reports corruption inside a completed segment with the file and offset", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk, { segmentBytes: 120 });
    for (const k of range(8)) await wal.append(put(k));
    const first = wal.segmentPaths()[0]!;
    expect(wal.segmentPaths().length).toBeGreaterThan(1);
    disk.files.get(first)!.bytes[SEGMENT_HEADER_BYTES + 12]! ^= 0xff;
    const err = await open(disk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect((err as WalCorruptionError).file).toBe(first);
    expect((err as WalCorruptionError).offset).toBe(SEGMENT_HEADER_BYTES);
    expect(String(err)).toMatch(new RegExp(`${first} at offset ${SEGMENT_HEADER_BYTES}: checksum mismatch`));
  });

  it("reports corruption in the middle of the last segment when whole records follow it", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    for (const k of range(4)) await wal.append(put(k));
    const seg = wal.segmentPaths()[0]!;
    const bytes = disk.files.get(seg)!.bytes;
    const second = SEGMENT_HEADER_BYTES + (bytes.length - SEGMENT_HEADER_BYTES) / 4;
    bytes[second + RECORD_HEADER_BYTES + 3]! ^= 0x01; // inside the second record's payload
    await expect(open(disk)).rejects.toThrow(/WAL corrupt: \/data\/0000000000000001\.wal at offset \d+: checksum mismatch .*a valid record follows/);
  });

  it("refuses to start across a missing segment", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk, { segmentBytes: 60 });
    for (const k of range(6)) await wal.append(put(k));
    const paths = wal.segmentPaths();
    expect(paths.length).toBeGreaterThanOrEqual(3);
    disk.files.delete(paths[1]!);
    await expect(open(disk)).rejects.toThrow(/WAL gap in \/data: segment .* starts at index \d+ but the previous segment ends at index \d+/);
  });

  it("splits the log into segments named by their first index, and purges covered ones", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk, { segmentBytes: 60 });
    for (const k of range(10)) await wal.append(put(k));
    const names = (await disk.list(DIR)).filter((n) => n.endsWith(".wal"));
    expect(names.length).toBeGreaterThan(2);
    expect(names[0]).toBe(segmentName(1));
    for (const n of names) expect(disk.files.get(`${DIR}/${n}`)!.bytes.length).toBeLessThanOrEqual(60);

    const { replayed } = await open(disk, { segmentBytes: 60 });
    expect(replayed.map((r) => r.key)).toEqual(range(10));
    const firsts = names.map((n) => Number.parseInt(n, 16));
    // Purging up to the index just before the third segment removes exactly the first two.
    await wal.purgeCoveredBy(firsts[2]! - 1);
    expect((await disk.list(DIR)).filter((n) => n.endsWith(".wal"))).toEqual(names.slice(2));
    const after = await open(disk, { segmentBytes: 60 }, firsts[2]! - 1);
    expect(after.keys).toEqual(range(10).slice(firsts[2]! - 1));
    // Records before the oldest remaining segment can no longer be replayed.
    await expect(open(disk, {}, 0)).rejects.toThrow(/WAL gap/);
  });

  it("never removes the segment being appended to", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk, { segmentBytes: 60 });
    for (const k of range(10)) await wal.append(put(k));
    await wal.purgeCoveredBy(10);
    expect(wal.segmentPaths()).toHaveLength(1);
    expect((await open(disk, {}, 10)).keys).toEqual([]);
  });
});

describe("Wal group commit", () => {
  it("100 concurrent appends cost a few syncs, and each resolves only once its record is synced", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    const order: number[] = [];
    const appends = range(100).map((k, i) =>
      wal.append(put(k)).then(() => {
        order.push(i);
        expect(durableRecords(disk, wal)).toBeGreaterThanOrEqual(i + 1);
      }),
    );
    await Promise.all(appends);
    expect(order).toEqual(range(100).map((_, i) => i));
    expect(disk.syncs).toBeLessThanOrEqual(2);
    expect(wal.syncCount).toBe(disk.syncs);
    expect((await open(disk)).keys).toEqual(range(100));
  });

  it("batches the appends that arrive while a sync is in flight into the next single write", async () => {
    const disk = new TestDisk();
    disk.holdSyncs = true;
    const { wal } = await open(disk);
    let resolved = 0;
    const first = wal.append(put("first")).then(() => resolved++);
    while (disk.heldSyncs === 0) await Promise.resolve();
    const rest = range(99).map((k) => wal.append(put(k)).then(() => resolved++));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(resolved).toBe(0); // nothing is acknowledged before its sync

    expect(disk.releaseSyncs()).toBe(1);
    await first;
    expect(resolved).toBe(1);
    while (disk.heldSyncs === 0) await Promise.resolve();
    expect(resolved).toBe(1); // the 99 wait for the second sync
    expect(disk.appends).toBe(2); // ... which follows one write holding all of them
    disk.releaseSyncs();
    await Promise.all(rest);
    expect(resolved).toBe(100);
    expect(disk.syncs).toBe(2);
  });

  it("bounds the batch by count and by bytes", async () => {
    const byCount = new TestDisk();
    const a = (await open(byCount, { maxBatchCount: 10 })).wal;
    await Promise.all(range(100).map((k) => a.append(put(k))));
    expect(byCount.syncs).toBeGreaterThanOrEqual(10);

    const byBytes = new TestDisk();
    const b = (await open(byBytes, { maxBatchBytes: 1000 })).wal;
    const big = "x".repeat(400);
    await Promise.all(range(20).map((k) => b.append(put(k, big))));
    expect(byBytes.syncs).toBeGreaterThanOrEqual(10); // at most two 400-byte records per write
    expect((await open(byBytes)).keys).toEqual(range(20));
  });

  it("refuses appends beyond the queue limit with etcd's 'too many requests'", async () => {
    const disk = new TestDisk();
    disk.holdSyncs = true;
    const { wal } = await open(disk, { maxQueuedCount: 5 });
    const accepted = range(5).map((k) => wal.append(put(k)));
    const refused = await wal.append(put("sixth")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KvError);
    expect(refused).toMatchObject({ code: "RESOURCE_EXHAUSTED", message: "etcdserver: too many requests" });
    while (disk.heldSyncs === 0) await Promise.resolve();
    disk.holdSyncs = false;
    disk.releaseSyncs();
    await Promise.all(accepted);
    await wal.append(put("later")); // room again once the disk caught up
    expect((await open(disk)).keys).toEqual([...range(5), "later"]);
  });

  it("a failed sync rejects its batch and every later append, and acknowledges nothing after it", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    await wal.append(put("ok"));
    disk.holdSyncs = true;
    const batch1 = wal.append(put("b1"));
    while (disk.heldSyncs === 0) await Promise.resolve();
    const batch2 = [wal.append(put("b2a")), wal.append(put("b2b"))];
    disk.failNextSync = new Error("EIO: disk on fire");
    disk.releaseSyncs();
    const results = await Promise.allSettled([batch1, ...batch2]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    const reason = (results[0] as PromiseRejectedResult).reason as KvError;
    expect(reason).toBeInstanceOf(KvError);
    expect(reason.code).toBe("UNAVAILABLE");
    expect(reason.message).toMatch(/write-ahead log failed: EIO: disk on fire/);
    expect(wal.failed).toBe(reason);
    disk.holdSyncs = false;
    await expect(wal.append(put("later"))).rejects.toBe(reason);
    await wal.close();
  });

  it("a failed write rejects its batch", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    disk.failNextAppend = new Error("ENOSPC");
    await expect(wal.append(put("a"))).rejects.toThrow(/ENOSPC/);
    await expect(wal.append(put("b"))).rejects.toThrow(/ENOSPC/);
  });

  it("close waits for queued appends, then refuses new ones", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    const pending = range(10).map((k) => wal.append(put(k)));
    await wal.close();
    expect(durableRecords(disk, wal)).toBe(10);
    await Promise.all(pending);
    await expect(wal.append(put("late"))).rejects.toThrow(/server stopped/);
  });

  it("rejects a command that cannot be serialized without failing the log", async () => {
    const disk = new TestDisk();
    const { wal } = await open(disk);
    const bad = { op: "put", req: { key: enc.encode("k"), value: enc.encode("v"), fn: () => 1 } } as unknown as WriteCommand;
    await expect(wal.append(bad)).rejects.toThrow();
    await wal.append(put("fine"));
    expect(wal.failed).toBeUndefined();
  });
});
