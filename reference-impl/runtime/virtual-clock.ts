// VirtualClock: simulated time. It never runs anything by itself: the Simulation asks for the next
// due time and fires timers one at a time, so time moves only when all ready work has settled.
import type { Clock, Timer } from "../../spec/interfaces/clock.ts";
import { TimerHeap, type HeapTimer } from "./timer-heap.ts";

/** 2023-11-14T22:13:20Z: a fixed start so runs do not depend on the wall clock. */
export const DEFAULT_EPOCH_MS = 1_700_000_000_000;
export const DEFAULT_MAX_PENDING_TIMERS = 1_000_000;
/** Cancelled timers stay in the heap until popped; past this many, the heap is purged. */
const PURGE_MIN_CANCELLED = 1024;

export interface VirtualClockOptions {
  epochMs?: number;
  /** Most timers pending at once; arming one more throws (a leak or a runaway loop). */
  maxPendingTimers?: number;
}

interface VirtualTimer extends HeapTimer {
  readonly fn: () => void;
  readonly label: string;
  /** Set for repeating timers. */
  readonly intervalMs: number | undefined;
  /** Cancelled, or a one-shot that fired. */
  done: boolean;
}

export interface FiredTimer {
  dueMs: number;
  label: string;
  repeating: boolean;
}

export interface PendingTimer {
  dueMs: number;
  label: string;
  repeating: boolean;
}

export class VirtualClock implements Clock {
  readonly epochMs: number;
  readonly maxPendingTimers: number;
  #nowMs: number;
  #seq = 0;
  readonly #heap = new TimerHeap<VirtualTimer>();
  #cancelledInHeap = 0;
  #oneShots = 0;
  #repeating = 0;
  #changes = 0;
  #lastFired: FiredTimer | undefined;

  constructor(opts: VirtualClockOptions = {}) {
    this.epochMs = opts.epochMs ?? DEFAULT_EPOCH_MS;
    this.maxPendingTimers = opts.maxPendingTimers ?? DEFAULT_MAX_PENDING_TIMERS;
    this.#nowMs = this.epochMs;
  }

  now(): number {
    return this.#nowMs;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve, "sleep"));
  }

  setTimer(ms: number, fn: () => void, label = "timer"): Timer {
    return this.#arm(checkDelay(ms, label), fn, label, undefined);
  }

  setRepeatingTimer(ms: number, fn: () => void, label = "repeating timer"): Timer {
    const intervalMs = checkDelay(ms, label);
    if (intervalMs <= 0) throw new RangeError(`repeating timer "${label}": interval must be > 0 ms, got ${ms}`);
    return this.#arm(intervalMs, fn, label, intervalMs);
  }

  /** Due time of the next timer to fire, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    return this.#peekLive()?.dueMs;
  }

  /** Pending one-shot timers (sleeps included). */
  get pendingOneShots(): number {
    return this.#oneShots;
  }

  /** Active repeating timers. */
  get pendingRepeating(): number {
    return this.#repeating;
  }

  /** Grows on every arm, cancel and fire: lets the Simulation see whether code touched time. */
  get changeCount(): number {
    return this.#changes;
  }

  /** The timer fired last (also while its callback runs, so an error can name it). */
  get lastFired(): FiredTimer | undefined {
    return this.#lastFired;
  }

  /**
   * Moves time to the next timer's due time and runs it (a repeating timer is re-armed first, so
   * its callback may cancel it). Returns undefined when no timer is pending.
   */
  fireNext(): FiredTimer | undefined {
    const timer = this.#peekLive();
    if (timer === undefined) return undefined;
    this.#heap.pop();
    this.#nowMs = timer.dueMs;
    const fired: FiredTimer = { dueMs: timer.dueMs, label: timer.label, repeating: timer.intervalMs !== undefined };
    if (timer.intervalMs !== undefined) {
      timer.dueMs += timer.intervalMs;
      timer.seq = this.#seq++;
      this.#heap.push(timer);
    } else {
      timer.done = true;
      this.#oneShots--;
    }
    this.#changes++;
    this.#lastFired = fired;
    timer.fn();
    return fired;
  }

  /** Moves time forward to `tMs`; no timer may be due before it. */
  advanceTo(tMs: number): void {
    if (!(tMs >= this.#nowMs)) throw new RangeError(`cannot move virtual time back from ${this.#nowMs} to ${tMs}`);
    const due = this.nextDueMs();
    if (due !== undefined && due < tMs) {
      throw new RangeError(`cannot advance to ${tMs}: a timer is due at ${due}; fire it first`);
    }
    this.#nowMs = tMs;
  }

  /** The next `n` pending timers in firing order (for messages; O(pending)). */
  pending(n: number): PendingTimer[] {
    const live: VirtualTimer[] = [];
    while (live.length < n && this.#peekLive() !== undefined) live.push(this.#heap.pop()!);
    // Same (dueMs, seq) keys: pushing them back restores the order exactly.
    for (const t of live) this.#heap.push(t);
    return live.map((t) => ({ dueMs: t.dueMs, label: t.label, repeating: t.intervalMs !== undefined }));
  }

  #arm(delayMs: number, fn: () => void, label: string, intervalMs: number | undefined): Timer {
    if (this.#oneShots + this.#repeating >= this.maxPendingTimers) {
      throw new RangeError(
        `virtual clock: ${this.maxPendingTimers} timers pending (maxPendingTimers) when arming "${label}"; a timer leak?`,
      );
    }
    const timer: VirtualTimer = { dueMs: this.#nowMs + delayMs, seq: this.#seq++, fn, label, intervalMs, done: false };
    this.#heap.push(timer);
    if (intervalMs === undefined) this.#oneShots++;
    else this.#repeating++;
    this.#changes++;
    return { cancel: () => this.#cancel(timer) };
  }

  #cancel(timer: VirtualTimer): void {
    if (timer.done) return;
    timer.done = true;
    if (timer.intervalMs === undefined) this.#oneShots--;
    else this.#repeating--;
    this.#cancelledInHeap++;
    this.#changes++;
    if (this.#cancelledInHeap >= PURGE_MIN_CANCELLED && this.#cancelledInHeap * 2 > this.#heap.size) {
      this.#heap.filter((t) => !t.done);
      this.#cancelledInHeap = 0;
    }
  }

  #peekLive(): VirtualTimer | undefined {
    let top = this.#heap.peek();
    while (top !== undefined && top.done) {
      this.#heap.pop();
      this.#cancelledInHeap--;
      top = this.#heap.peek();
    }
    return top;
  }
}

function checkDelay(ms: number, label: string): number {
  if (!Number.isFinite(ms)) throw new RangeError(`timer "${label}": delay must be a finite number of ms, got ${ms}`);
  return Math.max(0, ms);
}
