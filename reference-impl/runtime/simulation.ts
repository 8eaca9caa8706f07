// Simulation: runs async component code deterministically in virtual time (DESIGN.md, "The two
// worlds"). The loop is: settle all ready work, then jump to the next timer and fire it, then
// settle again. Only the simulation's own timers move time, so the order of everything that
// happens is a function of the code and the seed.
//
// Settling: component code in simulation runs on promises (microtasks) and the simulation's
// interfaces; it does no real I/O. Node drains the whole microtask queue before it runs any
// setImmediate callback, so one setImmediate "hop" runs every ready continuation. A hop during
// which code touched the clock or the trace may have queued more work (e.g. its own
// setImmediate), so settling hops again until a hop changes nothing.
import type { Rng } from "../../spec/interfaces/rng.ts";
import { SeededRng } from "./rng.ts";
import { Trace, type TraceEvent } from "./trace.ts";
import { VirtualClock } from "./virtual-clock.ts";

export const DEFAULT_MAX_EVENTS_PER_RUN = 1_000_000;
export const DEFAULT_MAX_SETTLE_ROUNDS = 10_000;
/** runUntilIdle's default guard: one virtual day. */
export const DEFAULT_IDLE_MAX_VIRTUAL_MS = 24 * 60 * 60 * 1000;
const RECENT_TIMERS_KEPT = 10;
const TRACE_EVENTS_IN_ERRORS = 20;

// Captured at load: fake timers installed later by a test must not break settling.
const realSetImmediate = globalThis.setImmediate;
const hop = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

export interface SimulationOptions {
  /** The run seed: every stream from `rng(name)` derives from it. Default 1. */
  seed?: number | bigint;
  /** Virtual time at the start (ms since the Unix epoch). */
  epochMs?: number;
  /** Most timer firings in one runUntil/runFor/runUntilIdle call; past it the run fails. */
  maxEventsPerRun?: number;
  /** Most setImmediate hops one settle may take before it fails (a busy loop without timers). */
  maxSettleRounds?: number;
  traceCapacity?: number;
  maxPendingTimers?: number;
  /** Record every timer firing in the trace (component "clock", kind "timer"). Default false. */
  traceTimers?: boolean;
}

export interface RunUntilIdleOptions {
  /** Fail when a one-shot timer is still pending after this much virtual time. Default 1 day. */
  maxVirtualMs?: number;
}

/** A failed run; its message names the seed and the virtual time. */
export class SimulationError extends Error {
  constructor(
    message: string,
    readonly seed: bigint,
    readonly timeMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SimulationError";
  }
}

export class Simulation {
  readonly seed: bigint;
  readonly clock: VirtualClock;
  readonly trace: Trace;
  readonly maxEventsPerRun: number;
  readonly maxSettleRounds: number;
  readonly #traceTimers: boolean;
  readonly #root: SeededRng;
  readonly #streams = new Map<string, SeededRng>();
  readonly #recentTimers: string[] = [];
  #running = false;
  #failure: { component: string; error: unknown; timeMs: number } | undefined;

  constructor(opts: SimulationOptions = {}) {
    const seed = opts.seed ?? 1;
    this.#root = SeededRng.fromSeed(seed);
    this.seed = BigInt(seed);
    this.clock = new VirtualClock({ epochMs: opts.epochMs, maxPendingTimers: opts.maxPendingTimers });
    this.trace = new Trace({ now: () => this.clock.now(), originMs: this.clock.epochMs, capacity: opts.traceCapacity });
    this.maxEventsPerRun = opts.maxEventsPerRun ?? DEFAULT_MAX_EVENTS_PER_RUN;
    this.maxSettleRounds = opts.maxSettleRounds ?? DEFAULT_MAX_SETTLE_ROUNDS;
    this.#traceTimers = opts.traceTimers ?? false;
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * The named component's random stream, derived from (seed, name) only. The same name returns the
   * same stream object, which continues where it was (a restarted component does not replay the
   * numbers it drew before; fork it if it needs a fresh stream per incarnation).
   */
  rng(name: string): Rng {
    let stream = this.#streams.get(name);
    if (stream === undefined) {
      stream = this.#root.fork(name);
      this.#streams.set(name, stream);
    }
    return stream;
  }

  log(component: string, kind: string, summary: string): void {
    this.trace.record(component, kind, summary);
  }

  /**
   * Starts an async task of `component`. Its rejection is recorded in the trace and fails the
   * current (or next) run with a SimulationError, instead of becoming an unhandled rejection.
   */
  spawn(component: string, task: () => Promise<unknown>): void {
    let promise: Promise<unknown>;
    try {
      promise = task();
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(undefined, (err: unknown) => {
      this.trace.record(component, "error", errorText(err));
      this.#failure ??= { component, error: err, timeMs: this.clock.now() };
    });
  }

  /** Runs every piece of work that is ready at the current virtual time; time does not move. */
  async settle(): Promise<void> {
    for (let round = 1; ; round++) {
      const before = this.#activity();
      await hop();
      if (this.#activity() === before) return;
      if (round >= this.maxSettleRounds) {
        throw this.#error(
          `settle: work still going on after ${round} rounds (maxSettleRounds) at one virtual time; ` +
            `a loop that never waits on the clock?`,
        );
      }
    }
  }

  /** Runs until virtual time `tMs`: fires every timer due at or before it, then sets now to `tMs`. */
  async runUntil(tMs: number): Promise<number> {
    if (!(tMs >= this.clock.now())) {
      throw new RangeError(`runUntil(${tMs}): virtual time is already ${this.clock.now()}`);
    }
    return this.#run(async () => {
      let fired = 0;
      for (let due = this.clock.nextDueMs(); due !== undefined && due <= tMs; due = this.clock.nextDueMs()) {
        await this.#fireAndSettle(fired++);
      }
      this.clock.advanceTo(tMs);
      return fired;
    });
  }

  runFor(dMs: number): Promise<number> {
    if (!(dMs >= 0)) throw new RangeError(`runFor(${dMs}): duration must be >= 0 ms`);
    return this.runUntil(this.clock.now() + dMs);
  }

  /**
   * Runs until no one-shot timer (sleeps included) is pending. Repeating timers keep firing while
   * one-shot work is pending but do not by themselves keep the run going, since they would run
   * forever. Fails when one-shot timers are still pending after `maxVirtualMs` (e.g. a
   * `while (true) await clock.sleep(...)` loop never becomes idle: use runFor for those).
   */
  async runUntilIdle(opts: RunUntilIdleOptions = {}): Promise<number> {
    const maxVirtualMs = opts.maxVirtualMs ?? DEFAULT_IDLE_MAX_VIRTUAL_MS;
    const deadlineMs = this.clock.now() + maxVirtualMs;
    return this.#run(async () => {
      let fired = 0;
      while (this.clock.pendingOneShots > 0) {
        const due = this.clock.nextDueMs()!;
        if (due > deadlineMs) {
          const next = this.clock
            .pending(3)
            .map((t) => `"${t.label}" at ${this.#elapsed(t.dueMs)}`)
            .join(", ");
          throw this.#error(
            `runUntilIdle: not idle after ${maxVirtualMs} ms of virtual time (maxVirtualMs): ` +
              `${this.clock.pendingOneShots} one-shot timers pending; next: ${next}`,
          );
        }
        await this.#fireAndSettle(fired++);
      }
      return fired;
    });
  }

  async #run(body: () => Promise<number>): Promise<number> {
    if (this.#running) throw new Error("Simulation: a run is already in progress (runs are not re-entrant)");
    this.#running = true;
    try {
      await this.settle();
      this.#throwIfFailed();
      return await body();
    } finally {
      this.#running = false;
    }
  }

  /** Fires the next timer (the `firedBefore + 1`-th of this run) and settles what it started. */
  async #fireAndSettle(firedBefore: number): Promise<void> {
    if (firedBefore >= this.maxEventsPerRun) {
      throw this.#error(
        `event cap reached: ${this.maxEventsPerRun} timer firings in one run (maxEventsPerRun); ` +
          `a runaway loop?\nlast timers fired: ${this.#recentTimers.join(", ")}`,
      );
    }
    try {
      this.clock.fireNext();
    } catch (err) {
      throw this.#error(`timer "${this.clock.lastFired?.label}" threw: ${errorText(err)}`, err);
    } finally {
      this.#noteFired();
    }
    await this.settle();
    this.#throwIfFailed();
  }

  #noteFired(): void {
    const label = this.clock.lastFired?.label ?? "?";
    if (this.#recentTimers.length >= RECENT_TIMERS_KEPT) this.#recentTimers.shift();
    this.#recentTimers.push(label);
    if (this.#traceTimers) this.trace.record("clock", "timer", label);
  }

  #throwIfFailed(): void {
    const failure = this.#failure;
    if (failure === undefined) return;
    throw this.#error(
      `component "${failure.component}" failed at ${this.#elapsed(failure.timeMs)}: ${errorText(failure.error)}`,
      failure.error,
    );
  }

  #activity(): number {
    return this.clock.changeCount + this.trace.recorded;
  }

  #elapsed(tMs: number): string {
    return `+${((tMs - this.clock.epochMs) / 1000).toFixed(3)}s`;
  }

  /** An error naming the seed, the virtual time and the last trace events. */
  #error(what: string, cause?: unknown): SimulationError {
    const now = this.clock.now();
    const events: TraceEvent[] = this.trace.last(TRACE_EVENTS_IN_ERRORS);
    const tail = events.length > 0 ? this.trace.formatEvents(events) : "(trace is empty)\n";
    const message =
      `simulation failed at virtual time ${now} ms (${this.#elapsed(now)}), seed=${this.seed}: ${what}\n` +
      `last ${events.length} trace events:\n${tail}`;
    return new SimulationError(message, this.seed, now, cause === undefined ? undefined : { cause });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
