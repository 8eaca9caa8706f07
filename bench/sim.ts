// `plumbline bench sim`: how fast the simulation loop moves virtual time. A simulated hour with
// N timers, in two shapes: N callbacks armed up front at random times (the timer heap and the
// settle after each firing), and 100 async components sleeping random intervals that add up to
// about N wake-ups (promise continuations, as components are written).
import { performance } from "node:perf_hooks";
import { Simulation } from "../reference-impl/runtime/index.ts";
import type { BenchOptions, Figures } from "./registry.ts";

const HOUR_MS = 3_600_000;
const SLEEPERS = 100;

/** N timers armed at once at random times within the hour. Returns how many fired. */
async function armedTimers(n: number): Promise<number> {
  const sim = new Simulation({ seed: 1 });
  const rng = sim.rng("bench");
  let fired = 0;
  for (let i = 0; i < n; i++) sim.clock.setTimer(rng.int(0, HOUR_MS), () => fired++);
  await sim.runFor(HOUR_MS);
  return fired;
}

/** Async components sleeping random intervals, about `n` wake-ups in all. Returns the wake-ups. */
async function sleepers(n: number): Promise<number> {
  const sim = new Simulation({ seed: 1 });
  const meanSleepMs = (HOUR_MS * SLEEPERS) / n;
  let wakeUps = 0;
  for (let c = 0; c < SLEEPERS; c++) {
    const rng = sim.rng(`sleeper-${c}`);
    sim.spawn(`sleeper-${c}`, async () => {
      for (;;) {
        await sim.clock.sleep(rng.int(0, Math.round(2 * meanSleepMs)));
        wakeUps++;
      }
    });
  }
  await sim.runFor(HOUR_MS);
  return wakeUps;
}

async function measure(
  name: string,
  workload: () => Promise<number>,
  opts: BenchOptions,
  figures: Figures,
): Promise<void> {
  const startMs = performance.now();
  const events = await workload();
  const wallMs = performance.now() - startMs;
  const perS = Math.round(events / (wallMs / 1000));
  opts.log(`${name.padEnd(22)} ${String(events).padStart(7)} timers in ${wallMs.toFixed(1).padStart(8)} ms wall  (${perS} timers/s)`);
  figures[`${name}_timers`] = events;
  figures[`${name}_wallMs`] = Math.round(wallMs * 10) / 10;
  figures[`${name}_timersPerS`] = perS;
}

export async function run(opts: BenchOptions): Promise<Figures> {
  const sizes = opts.quick ? [10_000] : [10_000, 100_000];
  const figures: Figures = {};
  opts.log(`simulated hour, node ${process.version}${opts.quick ? " (quick)" : ""}`);
  for (const n of sizes) {
    const k = `${n / 1000}k`;
    await measure(`armed_${k}`, () => armedTimers(n), opts, figures);
    await measure(`sleepers_${k}`, () => sleepers(n), opts, figures);
  }
  return figures;
}
