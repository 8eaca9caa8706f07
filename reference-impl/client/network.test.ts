import { describe, expect, it } from "vitest";
import { Simulation } from "../runtime/index.ts";
import { ConnectionError } from "./errors.ts";
import { type NetworkTraceEvent, SimNetwork, type SimNetworkOptions } from "./network.ts";

function setup(opts: Partial<SimNetworkOptions> = {}, seed = 7): { sim: Simulation; net: SimNetwork; trace: NetworkTraceEvent[] } {
  const sim = new Simulation({ seed });
  const trace: NetworkTraceEvent[] = [];
  const net = new SimNetwork({ clock: sim.clock, rng: sim.rng("network"), trace: (ev) => trace.push(ev), ...opts });
  return { sim, net, trace };
}

/** Elapsed virtual ms since the simulation's start. */
const elapsed = (sim: Simulation): number => sim.now() - sim.clock.epochMs;

describe("SimNetwork", () => {
  it("delivers a message after the link's latency, faster links first", async () => {
    const { sim, net } = setup();
    net.setLink("a", "server", { latencyMs: 30 });
    net.setLink("b", "server", { latencyMs: 5 });
    const arrivals: string[] = [];
    net.send("a", "server", "from a", () => arrivals.push(`a@${elapsed(sim)}`));
    net.send("b", "server", "from b", () => arrivals.push(`b@${elapsed(sim)}`));
    await sim.runUntilIdle();
    expect(arrivals).toEqual(["b@5", "a@30"]);
  });

  it("answers a call after two one-way latencies", async () => {
    const { sim, net } = setup({ defaultLink: { latencyMs: 4 } });
    let handledAt = -1;
    const answer = net.call("client", "server", "get", () => {
      handledAt = elapsed(sim);
      return 42;
    });
    await sim.runUntilIdle();
    await expect(answer).resolves.toBe(42);
    expect(handledAt).toBe(4);
    expect(elapsed(sim)).toBe(8);
  });

  it("keeps a stream in order even when jitter would reorder single messages", async () => {
    const { sim, net } = setup({ defaultLink: { latencyMs: 1, jitterMs: 50 } });
    const got: number[] = [];
    const stream = net.openStream("server", "client", "watch", () => {
      throw new Error("no break expected");
    });
    for (let i = 0; i < 100; i++) stream.send(`event ${i}`, () => got.push(i));
    const singles: number[] = [];
    for (let i = 0; i < 100; i++) net.send("server", "client", `single ${i}`, () => singles.push(i));
    await sim.runUntilIdle();
    expect(got).toEqual([...Array(100).keys()]);
    expect(singles).toHaveLength(100);
    expect(singles).not.toEqual([...Array(100).keys()]);
  });

  it("fails a call whose request is lost with a connection timeout, at the timeout", async () => {
    const { sim, net, trace } = setup({ defaultLink: { dropProbability: 1 }, requestTimeoutMs: 2500 });
    let handled = false;
    const answer = net.call("client", "server", "get", () => (handled = true));
    const settled = answer.then(
      () => "resolved",
      (err: unknown) => err,
    );
    await sim.runUntilIdle();
    const err = await settled;
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).kind).toBe("timeout");
    expect((err as ConnectionError).code).toBe(0);
    expect(handled).toBe(false);
    expect(elapsed(sim)).toBe(2500);
    expect(trace.map((e) => e.kind)).toEqual(["drop", "timeout"]);
  });

  it("loses about the configured share of messages, the same ones for the same seed", async () => {
    const run = async (seed: number): Promise<number[]> => {
      const { sim, net } = setup({ defaultLink: { dropProbability: 0.3 } }, seed);
      const got: number[] = [];
      for (let i = 0; i < 1000; i++) net.send("a", "b", `m${i}`, () => got.push(i));
      await sim.runUntilIdle();
      return got;
    };
    const first = await run(1);
    expect(first.length).toBeGreaterThan(620);
    expect(first.length).toBeLessThan(780);
    expect(await run(1)).toEqual(first);
    expect(await run(2)).not.toEqual(first);
  });

  it("cuts a partitioned link until it heals, and only that link", async () => {
    const { sim, net } = setup({ requestTimeoutMs: 1000 });
    const p = net.partition("kubelet", "apiserver");
    expect(net.connected("kubelet", "apiserver")).toBe(false);
    expect(net.connected("apiserver", "kubelet")).toBe(false);
    expect(net.connected("scheduler", "apiserver")).toBe(true);
    const cut = net.call("kubelet", "apiserver", "renew", () => "ok").catch((e: unknown) => e);
    const fine = net.call("scheduler", "apiserver", "bind", () => "ok");
    await sim.runUntilIdle();
    expect(await cut).toBeInstanceOf(ConnectionError);
    await expect(fine).resolves.toBe("ok");
    p.heal();
    const healed = net.call("kubelet", "apiserver", "renew", () => "ok");
    await sim.runUntilIdle();
    await expect(healed).resolves.toBe("ok");
  });

  it("isolates a component from everyone, and heal() lifts every fault", async () => {
    const { sim, net } = setup();
    net.isolate("apiserver");
    net.partition("a", "b");
    expect(net.connected("x", "apiserver")).toBe(false);
    expect(net.connected("apiserver", "new-component")).toBe(false);
    expect(net.connected("a", "b")).toBe(false);
    net.heal();
    expect(net.connected("x", "apiserver")).toBe(true);
    expect(net.connected("a", "b")).toBe(true);
    await sim.runUntilIdle();
  });

  it("drops a message in flight when a partition starts before it arrives", async () => {
    const { sim, net, trace } = setup({ defaultLink: { latencyMs: 100 } });
    const got: string[] = [];
    net.send("a", "b", "late", () => got.push("late"));
    sim.clock.setTimer(50, () => net.partition("a", "b"));
    await sim.runUntilIdle();
    expect(got).toEqual([]);
    expect(trace.map((e) => `${e.kind} ${e.summary}`)).toEqual(["partition a <-/-> b", "drop late (partitioned in flight)"]);
  });

  it("breaks a stream across a new partition: undelivered messages are gone, onBreak runs once", async () => {
    const { sim, net } = setup({ defaultLink: { latencyMs: 10 } });
    const got: number[] = [];
    const breaks: ConnectionError[] = [];
    const stream = net.openStream("apiserver", "kubelet", "watch pods", (err) => breaks.push(err));
    stream.send("e0", () => got.push(0));
    await sim.runFor(20);
    stream.send("e1", () => got.push(1));
    net.isolate("kubelet");
    net.heal();
    expect(stream.send("e2", () => got.push(2))).toBe(false);
    await sim.runUntilIdle();
    expect(got).toEqual([0]);
    expect(breaks).toHaveLength(1);
    expect(breaks[0]!.kind).toBe("unreachable");
    expect(stream.open).toBe(false);
    expect(net.openStreams).toBe(0);
  });

  it("breaks a stream whose backlog passes its bound", async () => {
    const { sim, net } = setup({ maxStreamBacklog: 3 });
    const breaks: string[] = [];
    const stream = net.openStream("apiserver", "slow", "watch", (err) => breaks.push(err.kind));
    const accepted = [1, 2, 3, 4].map((i) => stream.send(`e${i}`, () => undefined));
    expect(accepted).toEqual([true, true, true, false]);
    expect(breaks).toEqual(["reset"]);
    await sim.runUntilIdle();
  });

  it("gives the same trace for the same seed", async () => {
    const run = async (): Promise<string> => {
      const { sim, net, trace } = setup({ defaultLink: { latencyMs: 2, jitterMs: 20, dropProbability: 0.2 }, requestTimeoutMs: 500 });
      for (let i = 0; i < 20; i++) void net.call(`c${i % 3}`, "server", `req ${i}`, () => i).catch(() => undefined);
      await sim.runUntilIdle();
      return trace.map((e) => `${e.kind} ${e.from}->${e.to} ${e.summary}`).join("\n");
    };
    const first = await run();
    expect(first).toContain("timeout");
    expect(await run()).toBe(first);
  });

  it("rejects nonsensical link settings", () => {
    const { net } = setup();
    expect(() => net.setLink("a", "b", { dropProbability: 2 })).toThrow(/dropProbability/);
    expect(() => net.setLink("a", "b", { latencyMs: -1 })).toThrow(/latencyMs/);
  });
});
