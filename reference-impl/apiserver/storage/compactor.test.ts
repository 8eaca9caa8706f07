import { describe, expect, it } from "vitest";
import { Simulation } from "../../runtime/index.ts";
import { LocalKv } from "../../store/local-kv.ts";
import { Compactor } from "./compactor.ts";

const enc = new TextEncoder();

describe("Compactor", () => {
  it("compacts every interval to the revision of the previous one, never on the first", async () => {
    const sim = new Simulation();
    const kv = new LocalKv({ clock: sim.clock, rng: sim.rng("kv") });
    const c = new Compactor(kv, sim.clock, 60_000);
    c.start();
    await kv.put({ key: enc.encode("a"), value: enc.encode("1") });
    await sim.runFor(60_000);
    expect(kv.store.compactRevision).toBe(-1);
    const seen = kv.store.revision;
    await kv.put({ key: enc.encode("a"), value: enc.encode("2") });
    await sim.runFor(60_000);
    expect(kv.store.compactRevision).toBe(seen);
    c.stop();
  });

  it("lets only one of several API servers on a store compact per interval", async () => {
    const sim = new Simulation();
    const kv = new LocalKv({ clock: sim.clock, rng: sim.rng("kv") });
    const compacted: number[] = [];
    const original = kv.compact.bind(kv);
    kv.compact = async (req) => {
      compacted.push(req.revision);
      return original(req);
    };
    const a = new Compactor(kv, sim.clock);
    const b = new Compactor(kv, sim.clock);
    for (let round = 0; round < 4; round++) {
      await kv.put({ key: enc.encode("k"), value: enc.encode(String(round)) });
      await a.runOnce();
      await b.runOnce();
    }
    expect(new Set(compacted).size).toBe(compacted.length);
    expect(compacted.length).toBeGreaterThanOrEqual(2);
  });
});
