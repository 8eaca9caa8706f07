import { describe, expect, it } from "vitest";
import { SeededRng, VirtualClock } from "../runtime/index.ts";
import { ExponentialBackoff } from "./backoff.ts";

describe("ExponentialBackoff (the reflector's back-off manager)", () => {
  it("doubles from 800 ms to the 30 s cap, then starts over after 2 min without back-off", () => {
    const clock = new VirtualClock();
    const b = new ExponentialBackoff(clock, undefined);
    const delays = Array.from({ length: 8 }, () => b.nextDelayMs());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    clock.advanceTo(clock.now() + 120_001);
    expect(b.nextDelayMs()).toBe(800);
  });

  it("jitters each delay into [d, 2d) with an Rng", () => {
    const clock = new VirtualClock();
    const b = new ExponentialBackoff(clock, SeededRng.fromSeed(4));
    const delays = Array.from({ length: 9 }, () => b.nextDelayMs());
    const base = [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(base[i]!);
      expect(d).toBeLessThan(2 * base[i]!);
    });
  });
});
