// Test helpers for the store's suites: byte/string conversion, a manual Clock and a fixed Rng.
// (Small on purpose: the store's tests should not depend on the simulation runtime.)
import type { Clock, Timer } from "../../../spec/interfaces/clock.ts";
import type { Bytes, KeyValue } from "../../../spec/interfaces/kv.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export const b = (s: string): Bytes => enc.encode(s);
export const str = (x: Bytes): string => dec.decode(x);

/** A KeyValue with strings, for readable assertions. */
export interface KvText {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: bigint;
}

export function kvText(kv: KeyValue): KvText {
  return {
    key: str(kv.key),
    value: str(kv.value),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    lease: kv.lease,
  };
}

interface ManualTimer {
  dueMs: number;
  seq: number;
  intervalMs: number | undefined;
  fn: () => void;
  done: boolean;
}

/** A Clock that moves only when told to; timers due at the same time fire in arming order. */
export class ManualClock implements Clock {
  #nowMs: number;
  #seq = 0;
  #timers: ManualTimer[] = [];

  constructor(startMs = 1_000_000) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  setTimer(ms: number, fn: () => void): Timer {
    return this.#arm(ms, fn, undefined);
  }

  setRepeatingTimer(ms: number, fn: () => void): Timer {
    return this.#arm(ms, fn, ms);
  }

  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.done).length;
  }

  /** Moves time forward by `ms`, firing due timers in order (each at its due time). */
  advance(ms: number): void {
    const target = this.#nowMs + ms;
    for (;;) {
      const next = this.#timers
        .filter((t) => !t.done && t.dueMs <= target)
        .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)[0];
      if (!next) break;
      this.#nowMs = next.dueMs;
      if (next.intervalMs === undefined) next.done = true;
      else {
        next.dueMs += next.intervalMs;
        next.seq = this.#seq++;
      }
      next.fn();
    }
    this.#nowMs = target;
    this.#timers = this.#timers.filter((t) => !t.done);
  }

  #arm(ms: number, fn: () => void, intervalMs: number | undefined): Timer {
    const t: ManualTimer = { dueMs: this.#nowMs + ms, seq: this.#seq++, intervalMs, fn, done: false };
    this.#timers.push(t);
    return { cancel: () => void (t.done = true) };
  }
}

/** An Rng that returns the given uint64 values in turn (then counts up from the last). */
export class FixedRng implements Rng {
  #i = 0;
  constructor(private readonly values: bigint[] = [0x1234n]) {}
  int(min: number): number {
    return min;
  }
  float(): number {
    return 0;
  }
  uint64(): bigint {
    const v = this.values[Math.min(this.#i, this.values.length - 1)]! + BigInt(Math.max(0, this.#i - this.values.length + 1));
    this.#i++;
    return v;
  }
  fork(): Rng {
    return new FixedRng(this.values);
  }
}

/** Lets queued microtasks (watch deliveries, log appends) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
