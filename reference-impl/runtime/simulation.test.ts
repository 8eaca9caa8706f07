import { describe, expect, it } from "vitest";
import { Simulation, SimulationError } from "./simulation.ts";

/** A promise resolved from outside: how one component waits on another. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A small cluster-like workload: a producer sleeps random times and hands work items to two
 * workers through a bounded mailbox; workers take random time per item and reply through promises;
 * a leader waits for the first ten replies; a heartbeat ticks on a repeating timer.
 */
async function runWorkload(seed: number): Promise<string> {
  const sim = new Simulation({ seed });
  const { clock } = sim;
  const mailbox: { id: number; reply: (by: string) => void }[] = [];
  const waiting: (() => void)[] = [];
  const firstTen = deferred<void>();
  let replies = 0;

  sim.spawn("producer", async () => {
    const rng = sim.rng("producer");
    for (let id = 0; id < 30; id++) {
      await clock.sleep(rng.int(0, 400));
      const done = deferred<string>();
      mailbox.push({ id, reply: done.resolve });
      waiting.shift()?.();
      sim.log("producer", "send", `item ${id}`);
      void done.promise.then((by) => {
        sim.log("producer", "ack", `item ${id} by ${by}`);
        if (++replies === 10) firstTen.resolve();
      });
    }
  });
  for (const name of ["worker-a", "worker-b"]) {
    sim.spawn(name, async () => {
      const rng = sim.rng(name);
      for (;;) {
        const item = mailbox.shift();
        if (item === undefined) {
          await new Promise<void>((r) => waiting.push(r));
          continue;
        }
        await clock.sleep(rng.int(50, 300));
        sim.log(name, "done", `item ${item.id} (${rng.uint64().toString(16)})`);
        item.reply(name);
      }
    });
  }
  sim.spawn("leader", async () => {
    await firstTen.promise;
    sim.log("leader", "elected", `after ${replies} replies`);
  });
  const heartbeat = clock.setRepeatingTimer(1000, () => sim.log("heartbeat", "tick", `pending=${mailbox.length}`));
  await sim.runFor(20_000);
  heartbeat.cancel();
  return sim.trace.format();
}

describe("Simulation", () => {
  it("gives a byte-identical trace for the same seed, and a different one for another seed", async () => {
    const first = await runWorkload(42);
    const second = await runWorkload(42);
    expect(first.length).toBeGreaterThan(0);
    expect(first).toContain("leader elected after 10 replies");
    expect(first).toContain("producer ack item 29");
    expect(second).toBe(first);
    expect(await runWorkload(43)).not.toBe(first);
  });

  it("runs sleeps inside async code in virtual time", async () => {
    const sim = new Simulation();
    const woke: number[] = [];
    sim.spawn("sleeper", async () => {
      for (const ms of [1000, 0, 250]) {
        await sim.clock.sleep(ms);
        woke.push(sim.now() - sim.clock.epochMs);
      }
    });
    const fired = await sim.runUntilIdle();
    expect(woke).toEqual([1000, 1000, 1250]);
    expect(fired).toBe(3);
  });

  it("runs a simulated hour with 10,000 timers, each at its due time and in order", async () => {
    const sim = new Simulation({ seed: 11 });
    const rng = sim.rng("timers");
    const hourMs = 3_600_000;
    const armed: { dueMs: number; id: number }[] = [];
    const fired: { atMs: number; id: number }[] = [];
    for (let id = 0; id < 10_000; id++) {
      // Whole seconds, so many timers share a due time and creation order must break the tie.
      const dueMs = sim.now() + rng.int(0, 3600) * 1000;
      armed.push({ dueMs, id });
      sim.clock.setTimer(dueMs - sim.now(), () => fired.push({ atMs: sim.now(), id }));
    }
    const count = await sim.runFor(hourMs);
    expect(count).toBe(10_000);
    expect(sim.now()).toBe(sim.clock.epochMs + hourMs);
    const expected = [...armed].sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
    expect(fired.map((f) => f.id)).toEqual(expected.map((e) => e.id));
    expect(fired.map((f) => f.atMs)).toEqual(expected.map((e) => e.dueMs));
  });

  it("runUntil fires only what is due by then and moves time even without timers", async () => {
    const sim = new Simulation({ epochMs: 0 });
    const fired: number[] = [];
    for (const ms of [100, 200, 300]) sim.clock.setTimer(ms, () => fired.push(ms));
    expect(await sim.runUntil(200)).toBe(2);
    expect(fired).toEqual([100, 200]);
    expect(sim.now()).toBe(200);
    await sim.runFor(50);
    expect(sim.now()).toBe(250);
    await expect(sim.runUntil(10)).rejects.toThrow(RangeError);
    await sim.runUntil(5000);
    expect(fired).toEqual([100, 200, 300]);
    expect(sim.now()).toBe(5000);
  });

  it("runUntilIdle stops when only repeating timers remain, which keep firing until then", async () => {
    const sim = new Simulation({ epochMs: 0 });
    let ticks = 0;
    sim.clock.setRepeatingTimer(100, () => ticks++);
    sim.clock.setTimer(450, () => sim.log("t", "once", ""));
    await sim.runUntilIdle();
    expect(sim.now()).toBe(450);
    expect(ticks).toBe(4);
    expect(sim.clock.pendingRepeating).toBe(1);
    await sim.runUntilIdle(); // nothing one-shot pending: returns at once
    expect(sim.now()).toBe(450);
  });

  it("runUntilIdle fails on a loop that never becomes idle, naming the guard", async () => {
    const sim = new Simulation({ seed: 3 });
    sim.spawn("resync", async () => {
      for (;;) await sim.clock.sleep(60_000);
    });
    await expect(sim.runUntilIdle({ maxVirtualMs: 600_000 })).rejects.toThrow(
      /not idle after 600000 ms of virtual time \(maxVirtualMs\): 1 one-shot timers pending; next: "sleep" at \+660\.000s/,
    );
  });

  it("fails a runaway loop at the event cap with a clear message", async () => {
    const sim = new Simulation({ seed: 7, maxEventsPerRun: 100 });
    sim.spawn("spinner", async () => {
      for (let i = 0; ; i++) {
        sim.log("spinner", "spin", `round ${i}`);
        await sim.clock.sleep(0);
      }
    });
    const err = await sim.runFor(1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationError);
    const message = (err as SimulationError).message;
    expect(message).toContain("event cap reached: 100 timer firings in one run (maxEventsPerRun)");
    expect(message).toContain(`virtual time ${sim.clock.epochMs} ms (+0.000s)`);
    expect(message).toContain("seed=7");
    expect(message).toContain("last timers fired: sleep, sleep");
    expect(message).toContain("last 20 trace events:\n");
    expect(message).toContain("+0.000s spinner spin round 100\n");
    expect((err as SimulationError).seed).toBe(7n);
  });

  it("fails a busy loop that never waits on the clock at the settle limit", async () => {
    const sim = new Simulation({ maxSettleRounds: 50 });
    let stop = false;
    const spin = (): void => {
      if (stop) return;
      sim.log("spinner", "immediate", "");
      setImmediate(spin);
    };
    spin();
    await expect(sim.runFor(10)).rejects.toThrow(/settle: work still going on after 50 rounds \(maxSettleRounds\)/);
    stop = true;
  });

  it("settles setImmediate chains before time moves", async () => {
    const sim = new Simulation({ epochMs: 0 });
    const seen: string[] = [];
    sim.clock.setTimer(10, () => {
      setImmediate(() => {
        sim.log("c", "immediate", "");
        setImmediate(() => seen.push(`nested@${sim.now()}`));
      });
    });
    sim.clock.setTimer(20, () => seen.push(`timer@${sim.now()}`));
    await sim.runFor(30);
    expect(seen).toEqual(["nested@10", "timer@20"]);
  });

  it("a failing component fails the run with its error, the seed and the trace", async () => {
    const sim = new Simulation({ seed: 5 });
    sim.spawn("kubelet/node-1", async () => {
      await sim.clock.sleep(2000);
      sim.log("kubelet/node-1", "sync", "pod default/web");
      throw new Error("container runtime gone");
    });
    const err = (await sim.runFor(10_000).catch((e: unknown) => e)) as SimulationError;
    expect(err).toBeInstanceOf(SimulationError);
    expect(err.message).toMatch(/seed=5: component "kubelet\/node-1" failed at \+2\.000s: container runtime gone/);
    expect(err.message).toContain("+2.000s kubelet/node-1 sync pod default/web\n");
    expect((err.cause as Error).message).toBe("container runtime gone");
    expect(err.timeMs).toBe(sim.clock.epochMs + 2000);
  });

  it("a throwing timer callback fails the run and is named", async () => {
    const sim = new Simulation();
    sim.clock.setTimer(
      5,
      () => {
        throw new Error("boom");
      },
      "lease-expiry",
    );
    await expect(sim.runFor(10)).rejects.toThrow(/timer "lease-expiry" threw: boom/);
  });

  it("records timer firings in the trace when asked", async () => {
    const sim = new Simulation({ traceTimers: true });
    sim.clock.setTimer(1500, () => {}, "node-monitor");
    await sim.runFor(2000);
    expect(sim.trace.format()).toBe("+1.500s clock timer node-monitor\n");
  });

  it("gives each component one continuing stream per name", () => {
    const sim = new Simulation({ seed: 8 });
    const a = sim.rng("a");
    const firstDraw = a.int(0, 1e9);
    expect(sim.rng("a")).toBe(a);
    expect(sim.rng("a").int(0, 1e9)).not.toBe(firstDraw);
    expect(new Simulation({ seed: 8 }).rng("a").int(0, 1e9)).toBe(firstDraw);
  });

  it("refuses overlapping runs", async () => {
    const sim = new Simulation();
    const first = sim.runFor(10);
    await expect(sim.runFor(10)).rejects.toThrow(/already in progress/);
    await first;
  });
});
