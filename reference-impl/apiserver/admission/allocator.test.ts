import { describe, expect, it } from "vitest";
import { LocalKv } from "../../store/local-kv.ts";
import { type AllocationOwner, AllocationError, RangeAllocator } from "./allocator.ts";
import { NodePortRange, ServiceIPRange } from "./ranges.ts";
import { testClockAndRng } from "./testing.ts";

const owner = (name: string): AllocationOwner => ({ namespace: "default", name, uid: `uid-${name}` });

function setup(cidr = "10.0.0.0/24", opts: { holds?: (item: string, o: AllocationOwner) => Promise<boolean>; staleAfterMs?: number } = {}) {
  const { clock, rng } = testClockAndRng(7);
  const kv = new LocalKv({ clock, rng: rng.fork("kv") });
  const range = new ServiceIPRange(cidr);
  const alloc = new RangeAllocator({
    kv,
    clock,
    rng,
    prefix: "/registry/ranges/serviceips/",
    range,
    holds: opts.holds ?? (async () => true),
    staleAfterMs: opts.staleAfterMs ?? 60_000,
    allocatedMessage: "provided IP is already allocated",
    notInRangeMessage: (ip) => `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${range.description}`,
  });
  return { kv, clock, alloc };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return err instanceof AllocationError ? `${err.code}: ${err.message}` : String(err);
  }
}

describe("RangeAllocator", () => {
  it("reserves an explicit item once, keyed in the KV, and is idempotent for the same owner", async () => {
    const { kv, alloc } = setup();
    await alloc.allocate("10.0.0.10", owner("a"));
    await alloc.allocate("10.0.0.10", owner("a"));
    expect(await codeOf(alloc.allocate("10.0.0.10", owner("b")))).toBe("Allocated: provided IP is already allocated");
    const res = await kv.range({ key: new TextEncoder().encode("/registry/ranges/serviceips/10.0.0.10") });
    expect(JSON.parse(new TextDecoder().decode(res.kvs[0]!.value))).toMatchObject({ namespace: "default", name: "a", uid: "uid-a" });
  });

  it("refuses items outside the range with upstream's message", async () => {
    const { alloc } = setup();
    expect(await codeOf(alloc.allocate("10.0.1.1", owner("a")))).toBe(
      "NotInRange: the provided IP (10.0.1.1) is not in the valid range. The range of valid IPs is 10.0.0.0/24",
    );
    expect(await codeOf(alloc.allocate("10.0.0.255", owner("a")))).toMatch(/^NotInRange/);
  });

  it("draws random items from above the static band first, then from it, then reports the range full", async () => {
    const { alloc } = setup("10.0.0.0/27"); // 30 usable, static band 16
    const got: string[] = [];
    for (let i = 0; i < 30; i++) got.push(await alloc.allocateNext(owner(`s${i}`)));
    const indexes = got.map((ip) => alloc.range.indexOf(ip)!);
    expect(new Set(got).size).toBe(30);
    expect(indexes.slice(0, 14).every((i) => i >= 16)).toBe(true);
    expect(indexes.slice(14).every((i) => i < 16)).toBe(true);
    expect(await codeOf(alloc.allocateNext(owner("late")))).toBe("Full: range is full");
  });

  it("hands out unique items to many concurrent allocations", async () => {
    const { alloc } = setup("10.0.0.0/26"); // 62 usable
    const results = await Promise.allSettled(Array.from({ length: 80 }, (_, i) => alloc.allocateNext(owner(`c${i}`))));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<string>).value);
    expect(ok.length).toBe(62);
    expect(new Set(ok).size).toBe(62);
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(failed.every((r) => r.reason instanceof AllocationError && r.reason.code === "Full")).toBe(true);
    expect((await alloc.allocated()).size).toBe(62);
  });

  it("releases only the owner's allocation, and a released item is reused", async () => {
    const { alloc } = setup();
    await alloc.allocate("10.0.0.20", owner("a"));
    expect(await alloc.release("10.0.0.20", owner("b"))).toBe(false);
    expect(await alloc.has("10.0.0.20")).toBe(true);
    expect(await alloc.release("10.0.0.20", owner("a"))).toBe(true);
    expect(await alloc.has("10.0.0.20")).toBe(false);
    await alloc.allocate("10.0.0.20", owner("b"));
  });

  it("reclaims an allocation whose owner no longer holds it, but only after the grace period", async () => {
    const gone = new Set<string>();
    const { alloc, clock } = setup("10.0.0.0/24", { holds: async (_item, o) => !gone.has(o.name) });
    await alloc.allocate("10.0.0.30", owner("a"));
    gone.add("a");
    expect(await codeOf(alloc.allocate("10.0.0.30", owner("b")))).toBe("Allocated: provided IP is already allocated");
    clock.advanceTo(clock.now() + 60_000);
    await alloc.allocate("10.0.0.30", owner("b"));
    expect((await alloc.allocated()).get("10.0.0.30")?.uid).toBe("uid-b");
  });

  it("repair frees every stale allocation and nothing else", async () => {
    const gone = new Set<string>(["x"]);
    const { alloc, clock } = setup("10.0.0.0/24", { holds: async (_item, o) => !gone.has(o.name) });
    await alloc.allocate("10.0.0.40", owner("x"));
    await alloc.allocate("10.0.0.41", owner("y"));
    expect(await alloc.repair()).toEqual([]);
    clock.advanceTo(clock.now() + 60_000);
    expect(await alloc.repair()).toEqual(["10.0.0.40"]);
    expect([...(await alloc.allocated()).keys()]).toEqual(["10.0.0.41"]);
  });

  it("reclaims a stale item when the range is full", async () => {
    const gone = new Set<string>();
    const { alloc, clock } = setup("10.0.0.0/29", { holds: async (_item, o) => !gone.has(o.name) }); // 6 usable
    for (let i = 0; i < 6; i++) await alloc.allocateNext(owner(`s${i}`));
    gone.add("s3");
    clock.advanceTo(clock.now() + 60_000);
    const ip = await alloc.allocateNext(owner("new"));
    expect((await alloc.allocated()).get(ip)?.name).toBe("new");
    expect(await codeOf(alloc.allocateNext(owner("another")))).toBe("Full: range is full");
  });

  it("works for node ports with their own messages", async () => {
    const { clock, rng } = testClockAndRng(3);
    const kv = new LocalKv({ clock, rng: rng.fork("kv") });
    const range = new NodePortRange("30000-32767");
    const ports = new RangeAllocator({
      kv,
      clock,
      rng,
      prefix: "/registry/ranges/servicenodeports/",
      range,
      holds: async () => true,
      staleAfterMs: 60_000,
      allocatedMessage: "provided port is already allocated",
      notInRangeMessage: () => `provided port is not in the valid range. The range of valid ports is ${range.description}`,
    });
    const p = Number(await ports.allocateNext(owner("a")));
    expect(p).toBeGreaterThanOrEqual(30086);
    expect(p).toBeLessThanOrEqual(32767);
    expect(await codeOf(ports.allocate("80", owner("a")))).toBe(
      "NotInRange: provided port is not in the valid range. The range of valid ports is 30000-32767",
    );
  });
});
