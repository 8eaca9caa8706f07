import { describe, expect, it } from "vitest";
import { RealClock } from "./real-clock.ts";

describe("RealClock", () => {
  it("with timeScale 1 reads wall time", () => {
    const clock = new RealClock();
    const before = Date.now();
    const now = clock.now();
    expect(now).toBeGreaterThanOrEqual(before - 1);
    expect(now).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("scales timers and now() together: a timer never fires before its scaled due time", async () => {
    // 0.001: a 60 s timer fires after about 60 ms of wall time (the test would time out otherwise).
    const clock = new RealClock({ timeScale: 0.001, startMs: 0 });
    const armedAt = clock.now();
    const firedAt = await new Promise<number>((resolve) => clock.setTimer(60_000, () => resolve(clock.now())));
    expect(firedAt - armedAt).toBeGreaterThanOrEqual(60_000);
    await clock.sleep(5_000);
    expect(clock.now()).toBeGreaterThanOrEqual(firedAt + 5_000);
  });

  it("fires timers in due order and not after cancel", async () => {
    const clock = new RealClock({ timeScale: 0.001 });
    const fired: string[] = [];
    clock.setTimer(20_000, () => fired.push("late"));
    clock.setTimer(5_000, () => fired.push("early"));
    clock.setTimer(10_000, () => fired.push("cancelled")).cancel();
    await clock.sleep(30_000);
    expect(fired).toEqual(["early", "late"]);
  });

  it("repeating timers fire each interval until cancelled", async () => {
    const clock = new RealClock({ timeScale: 0.001, startMs: 0 });
    const start = clock.now();
    const times: number[] = [];
    await new Promise<void>((resolve) => {
      const t = clock.setRepeatingTimer(10_000, () => {
        times.push(clock.now() - start);
        if (times.length === 3) {
          t.cancel();
          resolve();
        }
      });
    });
    times.forEach((t, i) => expect(t).toBeGreaterThanOrEqual((i + 1) * 10_000));
    const count = times.length;
    await clock.sleep(30_000);
    expect(times.length).toBe(count);
  });

  it("rejects a non-positive time scale", () => {
    expect(() => new RealClock({ timeScale: 0 })).toThrow(RangeError);
    expect(() => new RealClock({ timeScale: -1 })).toThrow(RangeError);
  });
});
