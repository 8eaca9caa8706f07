// RealClock: the Clock of live mode, on wall time scaled by `timeScale`. With timeScale 0.1 a
// component's 10 s timer fires after 1 s of wall time, and now() advances 10 ms per wall ms, so the
// times components read stay consistent with the timers they set. timeScale 1 is plain wall time.
import type { Clock, Timer } from "../../spec/interfaces/clock.ts";

/** Node's setTimeout takes at most 2^31 - 1 ms; longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface RealClockOptions {
  /** Wall time per unit of this clock's time; 0.1 runs ten times faster than real time. Default 1. */
  timeScale?: number;
  /** What now() returns at construction. Default: the wall time then. */
  startMs?: number;
}

export class RealClock implements Clock {
  readonly timeScale: number;
  readonly #startMs: number;
  /** A monotonic wall reference, so wall-clock steps do not make now() jump. */
  readonly #wallStartMs: number;

  constructor(opts: RealClockOptions = {}) {
    const timeScale = opts.timeScale ?? 1;
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.timeScale = timeScale;
    this.#startMs = opts.startMs ?? Date.now();
    this.#wallStartMs = performance.now();
  }

  now(): number {
    return this.#startMs + (performance.now() - this.#wallStartMs) / this.timeScale;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve, "sleep"));
  }

  setTimer(ms: number, fn: () => void, _label?: string): Timer {
    const dueMs = this.now() + checkDelay(ms);
    const timer = new WallTimer();
    timer.waitUntil(this, dueMs, fn);
    return timer;
  }

  setRepeatingTimer(ms: number, fn: () => void, label = "repeating timer"): Timer {
    const intervalMs = checkDelay(ms);
    if (intervalMs <= 0) throw new RangeError(`repeating timer "${label}": interval must be > 0 ms, got ${ms}`);
    const timer = new WallTimer();
    // Each firing is due a whole number of intervals after the start, so delays do not drift;
    // intervals missed while the process was busy or stopped (SIGSTOP) are skipped, not replayed.
    let dueMs = this.now() + intervalMs;
    const tick = (): void => {
      const nowMs = this.now();
      while (dueMs <= nowMs) dueMs += intervalMs;
      timer.waitUntil(this, dueMs, tick);
      fn();
    };
    timer.waitUntil(this, dueMs, tick);
    return timer;
  }

  /** Wall milliseconds until this clock reads `dueMs`. */
  wallDelayMs(dueMs: number): number {
    return Math.max(0, (dueMs - this.now()) * this.timeScale);
  }
}

class WallTimer implements Timer {
  #handle: ReturnType<typeof setTimeout> | undefined;
  #cancelled = false;

  /** Calls `fn` once `clock` reads `dueMs`, chaining setTimeouts beyond Node's maximum. */
  waitUntil(clock: RealClock, dueMs: number, fn: () => void): void {
    if (this.#cancelled) return;
    const delayMs = clock.wallDelayMs(dueMs);
    if (delayMs > MAX_TIMEOUT_MS) {
      this.#handle = setTimeout(() => this.waitUntil(clock, dueMs, fn), MAX_TIMEOUT_MS);
    } else {
      this.#handle = setTimeout(() => {
        this.#handle = undefined;
        if (this.#cancelled) return;
        // Node's millisecond timers can fire a fraction early: never let fn see now() < dueMs.
        if (clock.now() < dueMs) this.waitUntil(clock, dueMs, fn);
        else fn();
      }, delayMs);
    }
  }

  cancel(): void {
    this.#cancelled = true;
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}

function checkDelay(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`timer delay must be a finite number of ms, got ${ms}`);
  return Math.max(0, ms);
}
