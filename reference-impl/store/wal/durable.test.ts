import { describe, expect, it } from "vitest";
import { KvErrors } from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";
import { type DurableOptions, type StateMachineFactory, openDurableStateMachine } from "./durable.ts";
import { listSnapshots } from "./snapshot.ts";
import { TestDisk } from "./test-disk.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const put = (key: string): WriteCommand => ({ op: "put", req: { key: enc.encode(key), value: enc.encode(`v-${key}`) } });

/** A toy store: a revision and the keys in put order; a put of "" is rejected like etcd does. */
class ToyStore {
  constructor(
    public revision = 0,
    public keys: string[] = [],
    public consistentIndex = 0,
  ) {}
  apply(cmd: WriteCommand): void {
    this.consistentIndex++;
    if (cmd.op !== "put") throw new Error(`toy store: unexpected ${cmd.op}`);
    if (cmd.req.key.length === 0) throw KvErrors.emptyKey();
    this.revision++;
    this.keys.push(dec.decode(cmd.req.key));
  }
  exportState(): unknown {
    return { revision: this.revision, keys: [...this.keys], consistentIndex: this.consistentIndex };
  }
}

const toy: StateMachineFactory<ToyStore> = {
  create: () => new ToyStore(),
  importState: (s) => {
    const { revision, keys, consistentIndex } = s as { revision: number; keys: string[]; consistentIndex: number };
    return new ToyStore(revision, keys, consistentIndex);
  },
};

/** Log, then apply: what LocalKv does with the returned log. */
async function write(d: { store: ToyStore; log: { append(c: WriteCommand): Promise<void> } }, cmd: WriteCommand) {
  await d.log.append(cmd);
  try {
    d.store.apply(cmd);
  } catch {
    // a KvError goes back to the client; the command stays in the log
  }
  // A snapshot is encoded on a later turn of the event loop (after the acknowledgements due).
  await new Promise<void>((resolve) => setImmediate(resolve));
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `k${from + i}`);
const open = (disk: TestDisk, extra: Partial<DurableOptions> = {}) => openDurableStateMachine({ disk, dir: "/data", ...extra }, toy);

describe("openDurableStateMachine", () => {
  it("recovers every acknowledged command after a crash, and continues from there", async () => {
    const disk = new TestDisk();
    const d = await open(disk);
    for (const k of range(20)) await write(d, put(k));
    const crashed = disk.crash(13);
    const r = await open(crashed);
    expect(r.store.keys).toEqual(range(20));
    expect(r.store.revision).toBe(20);
    expect(r.recovery).toMatchObject({ replayedCommands: 20, rejectedCommands: 0 });
    await write(r, put("next"));
    expect((await open(crashed)).store.keys).toEqual([...range(20), "next"]);
  });

  it("replays commands the store rejected, ignoring the same KvError again", async () => {
    const disk = new TestDisk();
    const d = await open(disk);
    await write(d, put("a"));
    await write(d, put(""));
    await write(d, put("b"));
    const r = await open(disk.crash());
    expect(r.store.keys).toEqual(["a", "b"]);
    expect(r.recovery).toMatchObject({ replayedCommands: 3, rejectedCommands: 1 });
  });

  it("aborts recovery on an error that is not a KvError", async () => {
    const disk = new TestDisk();
    const d = await open(disk);
    await d.log.append({ op: "compact", revision: 1 });
    await expect(open(disk.crash())).rejects.toThrow(/toy store: unexpected compact/);
  });

  it("snapshots every N commands between applies, and recovery starts from the snapshot", async () => {
    const disk = new TestDisk();
    const d = await open(disk, { snapshotEveryCommands: 10 });
    for (const k of range(25)) await write(d, put(k));
    await d.close();
    expect((await listSnapshots(disk, "/data")).map((s) => s.index)).toEqual([20, 10]);
    const r = await open(disk.crash());
    expect(r.recovery.snapshot?.index).toBe(20);
    expect(r.recovery.replayedCommands).toBe(5);
    expect(r.store.keys).toEqual(range(25));
    expect(r.store.consistentIndex).toBe(25);
  });

  it("keeps two snapshots and removes the segments the older one covers", async () => {
    const disk = new TestDisk();
    const opts = { snapshotEveryCommands: 10, segmentBytes: 200 };
    const d = await open(disk, opts);
    for (const k of range(45)) await write(d, put(k));
    await d.close();
    const names = await disk.list("/data");
    // Snapshots at 10, 20, 30 and 40; the newest two are kept.
    expect(names.filter((n) => n.endsWith(".snap"))).toEqual(["snapshot-000000000000001e.snap", "snapshot-0000000000000028.snap"]);
    const firsts = names.filter((n) => n.endsWith(".wal")).map((n) => Number.parseInt(n, 16));
    expect(firsts.length).toBeGreaterThan(1);
    // Every segment after the first holds records after index 30 (the older kept snapshot)...
    expect(firsts.slice(1).every((f) => f - 1 > 30)).toBe(true);
    // ... and the first still reaches back to it, so either snapshot can replay.
    expect(firsts[0]).toBeGreaterThan(1);
    expect(firsts[0]).toBeLessThanOrEqual(31);

    const r = await open(disk.crash(), opts);
    expect(r.store.keys).toEqual(range(45));
  });

  it("falls back to the older snapshot when the newest is damaged", async () => {
    const disk = new TestDisk();
    const opts = { snapshotEveryCommands: 10, segmentBytes: 200 };
    const d = await open(disk, opts);
    for (const k of range(35)) await write(d, put(k));
    await d.close();
    const [newest] = await listSnapshots(disk, "/data");
    disk.files.get(newest!.path)!.bytes[30]! ^= 0xff;
    const r = await open(disk, opts);
    expect(r.recovery.snapshot?.index).toBe(20);
    expect(r.recovery.skippedSnapshots.map((e) => e.source)).toEqual([newest!.path]);
    expect(r.store.keys).toEqual(range(35));
  });

  it("with one retained snapshot, a snapshot removes every segment it covers", async () => {
    const disk = new TestDisk();
    const opts = { snapshotEveryCommands: 10, segmentBytes: 200, retainSnapshots: 1 };
    const d = await open(disk, opts);
    // The check runs when a batch is durable, before it is applied: the 31st write sees 30 applied.
    for (const k of range(31)) await write(d, put(k));
    await d.close();
    const names = await disk.list("/data");
    expect(names.filter((n) => n.endsWith(".snap"))).toEqual(["snapshot-000000000000001e.snap"]);
    expect(names.filter((n) => n.endsWith(".wal"))).toHaveLength(1);
    expect((await open(disk, opts)).store.keys).toEqual(range(31));
  });

  it("takes a snapshot on demand", async () => {
    const disk = new TestDisk();
    const d = await open(disk);
    for (const k of range(3)) await write(d, put(k));
    await d.snapshot();
    expect((await listSnapshots(disk, "/data")).map((s) => s.index)).toEqual([3]);
  });

  it("does not snapshot when the store was changed behind the log's back", async () => {
    const disk = new TestDisk();
    const d = await open(disk, { snapshotEveryCommands: 2 });
    d.store.apply(put("not-logged"));
    d.store.apply(put("not-logged-either"));
    await d.snapshot();
    expect(await listSnapshots(disk, "/data")).toEqual([]);
    expect(String(d.lastSnapshotError)).toMatch(/the store applied 2 commands but the log holds only 0/);
  });

  it("keeps running when a snapshot cannot be written: the log still has everything", async () => {
    const disk = new TestDisk();
    const d = await open(disk, { snapshotEveryCommands: 5 });
    const writeAtomic = disk.writeAtomic.bind(disk);
    let attempts = 0;
    disk.writeAtomic = async (path, data) => {
      if (!path.endsWith(".snap")) return writeAtomic(path, data);
      attempts++;
      throw new Error("EIO");
    };
    for (const k of range(12)) await write(d, put(k));
    expect(attempts).toBe(2); // retried after another interval, not at every write
    await d.snapshot();
    expect(String(d.lastSnapshotError)).toMatch(/EIO/);
    expect((await open(disk.crash())).store.keys).toEqual(range(12));
  });
});
