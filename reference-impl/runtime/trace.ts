// Trace: what happened in a run, in order — the record tests assert on, reports attach, and a
// failure prints. Bounded: a ring buffer keeps the newest `capacity` events and counts the rest.

export interface TraceEvent {
  /** The world's time when the event was recorded (ms since the Unix epoch). */
  readonly timeMs: number;
  /** Who recorded it, e.g. "scheduler" or "kubelet/node-1". */
  readonly component: string;
  /** What kind of event, e.g. "bind", "timer", "crash". */
  readonly kind: string;
  readonly summary: string;
}

export interface TraceOptions {
  /** Time source for `record`. */
  now: () => number;
  /** Times in `format()` are shown relative to this (default: the first `now()`). */
  originMs?: number;
  /** Most events kept; older ones are dropped and counted. Default 100_000. */
  capacity?: number;
}

export const DEFAULT_TRACE_CAPACITY = 100_000;

export class Trace {
  readonly capacity: number;
  readonly originMs: number;
  readonly #now: () => number;
  readonly #ring: TraceEvent[] = [];
  /** Index in #ring of the oldest event once the ring is full. */
  #head = 0;
  #recorded = 0;

  constructor(opts: TraceOptions) {
    const capacity = opts.capacity ?? DEFAULT_TRACE_CAPACITY;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`trace capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#now = opts.now;
    this.originMs = opts.originMs ?? opts.now();
  }

  record(component: string, kind: string, summary: string): void {
    const event: TraceEvent = { timeMs: this.#now(), component, kind, summary };
    this.#recorded++;
    if (this.#ring.length < this.capacity) {
      this.#ring.push(event);
      return;
    }
    this.#ring[this.#head] = event;
    this.#head = (this.#head + 1) % this.capacity;
  }

  /** Events recorded since the start, kept or not. */
  get recorded(): number {
    return this.#recorded;
  }

  /** Events dropped because the ring was full. */
  get dropped(): number {
    return this.#recorded - this.#ring.length;
  }

  /** Kept events, oldest first. */
  events(): TraceEvent[] {
    return [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)];
  }

  /** The newest `n` kept events, oldest first. */
  last(n: number): TraceEvent[] {
    if (n <= 0) return [];
    return this.events().slice(-n);
  }

  /** The whole trace, one line per event (after a line counting dropped ones): stable across runs. */
  format(): string {
    const head = this.dropped > 0 ? `(${this.dropped} earlier events dropped)\n` : "";
    return head + this.formatEvents(this.events());
  }

  /** The given events, one line each. */
  formatEvents(events: readonly TraceEvent[]): string {
    return events.map((e) => `${this.formatEvent(e)}\n`).join("");
  }

  /** `+12.345s component kind summary`, with newlines in the summary escaped. */
  formatEvent(e: TraceEvent): string {
    const elapsedS = ((e.timeMs - this.originMs) / 1000).toFixed(3);
    const sign = e.timeMs >= this.originMs ? "+" : "";
    return `${sign}${elapsedS}s ${e.component} ${e.kind} ${escapeLine(e.summary)}`;
  }
}

function escapeLine(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\r/g, "\\r").replace(/\n/g, "\\n");
}
