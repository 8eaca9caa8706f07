// Exponential back-off as the reflector uses it (k8s.io/apimachinery/pkg/util/wait
// NewExponentialBackoffManager(800ms, 30s, 2m, 2.0, 1.0)): each delay doubles up to the cap; jitter
// adds up to jitter × delay (so [0.8, 1.6) s first, then [30, 60) s at the cap); after resetMs
// without a back-off the delays start over. Time comes from the Clock, randomness from the Rng.
import type { Clock } from "../../spec/interfaces/clock.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  resetMs: number;
  factor: number;
  /** 0 for none; needs an Rng. */
  jitter: number;
}

export const REFLECTOR_BACKOFF: BackoffOptions = { initialMs: 800, maxMs: 30_000, resetMs: 120_000, factor: 2, jitter: 1 };

export class ExponentialBackoff {
  readonly #opts: BackoffOptions;
  readonly #clock: Clock;
  readonly #rng: Rng | undefined;
  #durationMs: number;
  #capped = false;
  #lastStartMs: number | undefined;

  /** Without an Rng there is no jitter. */
  constructor(clock: Clock, rng: Rng | undefined, opts: BackoffOptions = REFLECTOR_BACKOFF) {
    this.#opts = opts;
    this.#clock = clock;
    this.#rng = rng;
    this.#durationMs = opts.initialMs;
  }

  /** The next delay (exponentialBackoffManagerImpl.getNextBackoff, then Backoff.Step). */
  nextDelayMs(): number {
    const nowMs = this.#clock.now();
    if (this.#lastStartMs === undefined || nowMs - this.#lastStartMs > this.#opts.resetMs) {
      this.#durationMs = this.#opts.initialMs;
      this.#capped = false;
    }
    this.#lastStartMs = nowMs;
    const delayMs = this.#durationMs;
    if (!this.#capped) {
      this.#durationMs = this.#durationMs * this.#opts.factor;
      if (this.#durationMs > this.#opts.maxMs) {
        this.#durationMs = this.#opts.maxMs;
        this.#capped = true;
      }
    }
    return this.#jitter(delayMs);
  }

  #jitter(ms: number): number {
    if (this.#opts.jitter <= 0 || this.#rng === undefined) return ms;
    return Math.floor(ms + this.#rng.float() * this.#opts.jitter * ms);
  }
}
