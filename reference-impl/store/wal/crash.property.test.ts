// Crash property: random writes (puts, deletes, txns, compactions, leases) through LocalKv on the
// durable store over SimDisk, with power cuts (torn tails included) at random points, mid-batch
// too. After each recovery the store must equal a store that applied a prefix of the logged
// commands at least as long as every acknowledged one: nothing acknowledged is lost, nothing is
// invented, and revisions continue from where they were.
import { fc, test } from "@fast-check/vitest";
import { deserialize, serialize } from "node:v8";
import { expect } from "vitest";
import type { Disk } from "../../../spec/interfaces/disk.ts";
import { KvError, type KV } from "../../../spec/interfaces/kv.ts";
import { SimDisk } from "../../runtime/sim-disk.ts";
import { SeededRng } from "../../runtime/rng.ts";
import { VirtualClock } from "../../runtime/virtual-clock.ts";
import type { CommandLog, WriteCommand } from "../commands.ts";
import { LocalKv } from "../local-kv.ts";
import { MvccStore } from "../mvcc/store.ts";
import { openDurableStore } from "./durable-store.ts";

const enc = new TextEncoder();
const b = (s: string) => enc.encode(s);
const DIR = "/data";

type Op =
  | { kind: "put"; key: string; value: string; lease: bigint }
  | { kind: "delete"; key: string; ranged: boolean }
  | { kind: "txn"; key: string; version: number; value: string }
  | { kind: "compact"; revision: number }
  | { kind: "grant"; id: bigint; ttl: number }
  | { kind: "revoke"; id: bigint };

const key = fc.constantFrom("a", "b", "c", "d");
const leaseId = fc.constantFrom(1n, 2n, 3n);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("put" as const), key, value: fc.string({ maxLength: 6 }), lease: fc.oneof(fc.constant(0n), leaseId) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), key, ranged: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("txn" as const), key, version: fc.integer({ min: 0, max: 3 }), value: fc.string({ maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), revision: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("grant" as const), id: leaseId, ttl: fc.integer({ min: 5, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("revoke" as const), id: leaseId }) },
);

const step = fc.record({
  /** Issued concurrently, so they share WAL batches. */
  ops: fc.array(op, { minLength: 1, maxLength: 8 }),
  /** Microtasks to let pass before the next step or the crash: crashes land mid-batch too. */
  ticks: fc.integer({ min: 0, max: 40 }),
  crash: fc.boolean(),
  tearSeed: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
});

const config = fc.record({
  snapshotEveryCommands: fc.integer({ min: 2, max: 25 }),
  segmentBytes: fc.integer({ min: 200, max: 3000 }),
  retainSnapshots: fc.integer({ min: 1, max: 2 }),
  maxBatchCount: fc.integer({ min: 1, max: 16 }),
});

function issue(kv: KV, o: Op): Promise<unknown> {
  switch (o.kind) {
    case "put":
      return kv.put({ key: b(o.key), value: b(o.value), lease: o.lease });
    case "delete":
      return kv.deleteRange(o.ranged ? { key: b(o.key), rangeEnd: b("d") } : { key: b(o.key) });
    case "txn":
      return kv.txn({
        compare: [{ key: b(o.key), target: "VERSION", result: "EQUAL", version: o.version }],
        success: [{ requestPut: { key: b(o.key), value: b(o.value) } }],
        failure: [{ requestDeleteRange: { key: b(o.key) } }, { requestRange: { key: b("a"), rangeEnd: b("z") } }],
      });
    case "compact":
      return kv.compact({ revision: o.revision });
    case "grant":
      return kv.leaseGrant({ ID: o.id, TTL: o.ttl });
    case "revoke":
      return kv.leaseRevoke(o.id);
  }
}

/** A process's view of the disk: after the crash, it can no longer touch it. */
function fence(disk: Disk): { disk: Disk; kill: () => void } {
  let dead = false;
  const guard =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      dead ? Promise.reject(new Error("process killed")) : fn(...a);
  return {
    disk: {
      append: guard((p, d) => disk.append(p, d)),
      sync: guard((p) => disk.sync(p)),
      read: guard((p) => disk.read(p)),
      writeAtomic: guard((p, d) => disk.writeAtomic(p, d)),
      truncate: guard((p, n) => disk.truncate(p, n)),
      remove: guard((p) => disk.remove(p)),
      list: guard((d) => disk.list(d)),
      mkdirp: guard((d) => disk.mkdirp(d)),
    },
    kill: () => {
      dead = true;
    },
  };
}

interface Incarnation {
  kv: LocalKv;
  kill: () => void;
  /** Highest log index whose append resolved (durable, acknowledged to LocalKv). */
  acked: number;
}

test.prop([config, fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer()], { numRuns: 150 })(
  "no acknowledged write is lost across crashes, and recovery equals a replay of a logged prefix",
  async (cfg, steps, seed) => {
    const sim = new SimDisk();
    /** Every command the WAL accepted, by index - 1; cut back to what survives each crash. */
    const logged: WriteCommand[] = [];

    const start = async (): Promise<Incarnation> => {
      const f = fence(sim);
      const durable = await openDurableStore({ ...cfg, disk: f.disk, dir: DIR });
      const inc: Incarnation = { kv: undefined as unknown as LocalKv, kill: f.kill, acked: durable.log.lastIndex };
      const inner = durable.commandLog;
      const log: CommandLog = {
        append(cmd) {
          const before = durable.log.lastIndex;
          const p = inner.append(cmd);
          const index = durable.log.lastIndex;
          if (index === before) return p; // refused before it got an index
          logged[index - 1] = deserialize(serialize(cmd)) as WriteCommand;
          return p.then(() => {
            inc.acked = Math.max(inc.acked, index);
          });
        },
        close: () => inner.close(),
      };
      inc.kv = new LocalKv({ clock: new VirtualClock(), rng: SeededRng.fromSeed(seed), store: durable.store, log });
      return inc;
    };

    const crashAndRecover = async (inc: Incarnation, tearSeed: number | undefined): Promise<Incarnation> => {
      inc.kill();
      sim.crash(tearSeed === undefined ? {} : { tearRng: SeededRng.fromSeed(tearSeed) });
      const next = await start();
      const recovered = next.kv.store;
      const L = recovered.consistentIndex;
      expect(L, "every acknowledged command survives").toBeGreaterThanOrEqual(inc.acked);
      expect(L, "nothing beyond what was logged").toBeLessThanOrEqual(logged.length);
      logged.length = L;
      const model = new MvccStore();
      for (const cmd of logged) {
        try {
          model.apply(cmd);
        } catch (err) {
          if (!(err instanceof KvError)) throw err;
        }
      }
      expect(recovered.exportState()).toEqual(model.exportState());
      // Revisions continue from the recovered revision.
      const res = await next.kv.put({ key: b("z"), value: b("after-restart") });
      expect(res.header.revision).toBe(model.revision + 1);
      return next;
    };

    let inc = await start();
    for (const s of steps) {
      for (const o of s.ops) issue(inc.kv, o).catch(() => {});
      for (let i = 0; i < s.ticks; i++) await Promise.resolve();
      if (s.crash) inc = await crashAndRecover(inc, s.tearSeed);
    }
    await crashAndRecover(inc, steps[0]!.tearSeed);
  },
);
