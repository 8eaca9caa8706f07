// The Clock: the only source of time for components. Simulation uses a virtual clock that jumps to
// the next timer; live mode uses wall time, optionally scaled (see DESIGN.md, "The two worlds").

export interface Timer {
  /** Stop the timer; a no-op when it already fired (one-shot) or was cancelled. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch, in this world's time. */
  now(): number;
  /** Resolves after `ms` of this world's time. */
  sleep(ms: number): Promise<void>;
  /** Calls `fn` once after `ms`. */
  setTimer(ms: number, fn: () => void, label?: string): Timer;
  /** Calls `fn` every `ms` (first call after `ms`). */
  setRepeatingTimer(ms: number, fn: () => void, label?: string): Timer;
}
