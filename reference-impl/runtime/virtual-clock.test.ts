import { describe, expect, it } from "vitest";
import { DEFAULT_EPOCH_MS, VirtualClock } from "./virtual-clock.ts";

function fireAll(clock: VirtualClock, untilMs = Infinity): void {
  for (let due = clock.nextDueMs(); due !== undefined && due <= untilMs; due = clock.nextDueMs()) clock.fireNext();
}

describe("VirtualClock", () => {
  it("starts at the epoch and moves only when driven", () => {
    const clock = new VirtualClock();
    expect(clock.now()).toBe(DEFAULT_EPOCH_MS);
    clock.setTimer(500, () => {});
    expect(clock.now()).toBe(DEFAULT_EPOCH_MS);
    expect(clock.nextDueMs()).toBe(DEFAULT_EPOCH_MS + 500);
    expect(new VirtualClock({ epochMs: 0 }).now()).toBe(0);
  });

  it("fires timers by due time, and equal due times in creation order", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    const fired: string[] = [];
    const at = (ms: number, name: string) => clock.setTimer(ms, () => fired.push(`${name}@${clock.now()}`), name);
    at(30, "c");
    at(10, "a1");
    at(20, "b");
    at(10, "a2");
    at(0, "zero");
    at(10, "a3");
    fireAll(clock);
    expect(fired).toEqual(["zero@0", "a1@10", "a2@10", "a3@10", "b@20", "c@30"]);
  });

  it("a timer armed by a callback for the same time fires after those already due then", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    const fired: string[] = [];
    clock.setTimer(5, () => {
      fired.push("first");
      clock.setTimer(0, () => fired.push("armed-by-first"));
    });
    clock.setTimer(5, () => fired.push("second"));
    fireAll(clock);
    expect(fired).toEqual(["first", "second", "armed-by-first"]);
  });

  it("cancels one-shot timers; cancelling twice or after firing is a no-op", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    const fired: string[] = [];
    const a = clock.setTimer(10, () => fired.push("a"));
    const b = clock.setTimer(20, () => fired.push("b"));
    clock.setTimer(30, () => fired.push("c"));
    expect(clock.pendingOneShots).toBe(3);
    b.cancel();
    b.cancel();
    expect(clock.pendingOneShots).toBe(2);
    fireAll(clock, 10);
    a.cancel();
    expect(clock.pendingOneShots).toBe(1);
    fireAll(clock);
    expect(fired).toEqual(["a", "c"]);
    expect(clock.nextDueMs()).toBeUndefined();
    expect(clock.fireNext()).toBeUndefined();
  });

  it("repeating timers fire every interval until cancelled, even from their own callback", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    const times: number[] = [];
    const t = clock.setRepeatingTimer(100, () => {
      times.push(clock.now());
      if (times.length === 5) t.cancel();
    });
    expect(clock.pendingRepeating).toBe(1);
    fireAll(clock);
    expect(times).toEqual([100, 200, 300, 400, 500]);
    expect(clock.pendingRepeating).toBe(0);
    expect(clock.nextDueMs()).toBeUndefined();
  });

  it("interleaves repeating and one-shot timers by due time", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    const fired: string[] = [];
    const tick = clock.setRepeatingTimer(10, () => fired.push(`tick@${clock.now()}`));
    clock.setTimer(25, () => fired.push("once@25"));
    clock.setTimer(30, () => fired.push("once@30"));
    fireAll(clock, 30);
    tick.cancel();
    // At 30 the one-shot was armed before the tick re-armed for 30 (at 20), so it fires first.
    expect(fired).toEqual(["tick@10", "tick@20", "once@25", "once@30", "tick@30"]);
  });

  it("sleep resolves at its due time", async () => {
    const clock = new VirtualClock({ epochMs: 0 });
    let wokeAt: number | undefined;
    const done = clock.sleep(1500).then(() => (wokeAt = clock.now()));
    expect(clock.pendingOneShots).toBe(1);
    clock.fireNext();
    await done;
    expect(wokeAt).toBe(1500);
  });

  it("advanceTo moves time forward but never past a due timer or backwards", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    clock.advanceTo(50);
    expect(clock.now()).toBe(50);
    clock.setTimer(10, () => {});
    expect(() => clock.advanceTo(100)).toThrow(/a timer is due at 60/);
    expect(() => clock.advanceTo(40)).toThrow(/back/);
    clock.advanceTo(60);
    expect(clock.now()).toBe(60);
  });

  it("rejects bad delays and treats negative ones as zero", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    expect(() => clock.setTimer(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => clock.setRepeatingTimer(0, () => {}, "busy")).toThrow(/"busy".*> 0 ms/);
    clock.setTimer(-5, () => {});
    expect(clock.nextDueMs()).toBe(0);
  });

  it("limits pending timers and names the limit", () => {
    const clock = new VirtualClock({ maxPendingTimers: 3 });
    for (let i = 0; i < 3; i++) clock.setTimer(i, () => {});
    expect(() => clock.setTimer(1, () => {}, "one-too-many")).toThrow(/3 timers pending \(maxPendingTimers\).*"one-too-many"/);
  });

  it("keeps order through mass cancellation (heap purge)", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    const fired: number[] = [];
    const timers = Array.from({ length: 5000 }, (_, i) => clock.setTimer(5000 - i, () => fired.push(5000 - i)));
    timers.forEach((t, i) => i % 5 !== 0 && t.cancel());
    expect(clock.pendingOneShots).toBe(1000);
    fireAll(clock);
    const expected = timers.map((_, i) => 5000 - i).filter((_, i) => i % 5 === 0).reverse();
    expect(fired).toEqual(expected);
  });

  it("lists pending timers in firing order without disturbing them", () => {
    const clock = new VirtualClock({ epochMs: 0 });
    clock.setTimer(20, () => {}, "b");
    clock.setRepeatingTimer(10, () => {}, "tick");
    clock.setTimer(20, () => {}, "c").cancel();
    clock.setTimer(5, () => {}, "a");
    expect(clock.pending(2)).toEqual([
      { dueMs: 5, label: "a", repeating: false },
      { dueMs: 10, label: "tick", repeating: true },
    ]);
    expect(clock.fireNext()?.label).toBe("a");
    expect(clock.fireNext()?.label).toBe("tick");
    expect(clock.fireNext()?.label).toBe("b");
  });
});
