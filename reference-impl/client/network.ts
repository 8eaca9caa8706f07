// SimNetwork: the simulated network between components and the API server (DESIGN.md, "The two
// worlds"). Messages take a per-link latency (fixed + jitter), single messages may be lost, and
// partitions cut links. Everything is driven by the Clock and one Rng stream, so a run's network
// behaviour is a function of its seed.
//
// Three ways to talk:
//  - send: one message, delivered after latency unless lost (drop probability) or cut (partition at
//    send or at delivery time);
//  - call: a request and its response as two sends; a lost or cut message surfaces as a
//    ConnectionError after the caller's timeout, as a hung TCP connection would;
//  - streams (watches): messages in FIFO order, never lost one by one (TCP retransmits), but a
//    partition between the two ends breaks the stream at once: pending messages are discarded and
//    its onBreak runs. (A real connection notices only after keep-alive timeouts; breaking at once
//    keeps runs short and is equivalent for clients, which see the break either way.)
import type { Clock, Timer } from "../../spec/interfaces/clock.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";
import { ConnectionError } from "./errors.ts";

export interface LinkConfig {
  /** Fixed one-way delay. */
  latencyMs: number;
  /** Extra one-way delay drawn uniformly from the integers [0, jitterMs]. */
  jitterMs: number;
  /** Chance that one `send` (a request or a response) is lost. Streams are not subject to it. */
  dropProbability: number;
}

export const DEFAULT_LINK: LinkConfig = { latencyMs: 1, jitterMs: 0, dropProbability: 0 };
/** How long a caller waits for an answer by default (client-go sets none; a simulation needs one). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Most undelivered messages on one stream; past it the stream breaks (a consumer that cannot keep up). */
export const DEFAULT_MAX_STREAM_BACKLOG = 10_000;

export type NetworkTraceKind = "deliver" | "drop" | "timeout" | "break" | "partition" | "heal";

export interface NetworkTraceEvent {
  kind: NetworkTraceKind;
  from: string;
  to: string;
  summary: string;
}

export interface SimNetworkOptions {
  clock: Clock;
  /** The network's own stream (e.g. `sim.rng("network")`). */
  rng: Rng;
  defaultLink?: Partial<LinkConfig>;
  requestTimeoutMs?: number;
  maxStreamBacklog?: number;
  /** Called for every delivery, loss, timeout, break, partition and heal. */
  trace?: (ev: NetworkTraceEvent) => void;
}

/** A partition or isolation in force; `heal` lifts this one only. */
export interface NetworkFault {
  heal(): void;
}

type Fault = { kind: "pair"; a: string; b: string } | { kind: "isolate"; component: string };

export class SimNetwork {
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly maxStreamBacklog: number;
  readonly #rng: Rng;
  readonly #defaultLink: LinkConfig;
  readonly #links = new Map<string, LinkConfig>();
  readonly #faults = new Set<Fault>();
  readonly #streams = new Set<SimStream>();
  readonly #trace: ((ev: NetworkTraceEvent) => void) | undefined;

  constructor(opts: SimNetworkOptions) {
    this.clock = opts.clock;
    this.#rng = opts.rng;
    this.#defaultLink = checkLink({ ...DEFAULT_LINK, ...opts.defaultLink });
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxStreamBacklog = opts.maxStreamBacklog ?? DEFAULT_MAX_STREAM_BACKLOG;
    this.#trace = opts.trace;
  }

  /** Configures the link between `a` and `b` (both directions); unset fields keep the default. */
  setLink(a: string, b: string, config: Partial<LinkConfig>): void {
    this.#links.set(pairKey(a, b), checkLink({ ...this.linkConfig(a, b), ...config }));
  }

  linkConfig(a: string, b: string): LinkConfig {
    return this.#links.get(pairKey(a, b)) ?? this.#defaultLink;
  }

  /** Cuts the link between `a` and `b`; open streams between them break now. */
  partition(a: string, b: string): NetworkFault {
    return this.#addFault({ kind: "pair", a, b }, a, b, `${a} <-/-> ${b}`);
  }

  /** Cuts `component` off from every other component, present and future. */
  isolate(component: string): NetworkFault {
    return this.#addFault({ kind: "isolate", component }, component, "*", `${component} isolated`);
  }

  /** Lifts every partition and isolation. */
  heal(): void {
    if (this.#faults.size === 0) return;
    this.#faults.clear();
    this.#emit("heal", "*", "*", "all partitions healed");
  }

  connected(a: string, b: string): boolean {
    for (const f of this.#faults) {
      if (f.kind === "isolate" && (f.component === a || f.component === b)) return false;
      if (f.kind === "pair" && ((f.a === a && f.b === b) || (f.a === b && f.b === a))) return false;
    }
    return true;
  }

  /** One-way latency of the next message from `from` to `to`. */
  latencyMs(from: string, to: string): number {
    const link = this.linkConfig(from, to);
    const jitterMs = Math.floor(link.jitterMs);
    return link.latencyMs + (jitterMs > 0 ? this.#rng.int(0, jitterMs) : 0);
  }

  /** One message: runs `deliver` at `to` after latency, unless lost or cut off. */
  send(from: string, to: string, label: string, deliver: () => void): void {
    const link = this.linkConfig(from, to);
    if (!this.connected(from, to)) {
      this.#emit("drop", from, to, `${label} (partitioned)`);
      return;
    }
    if (link.dropProbability > 0 && this.#rng.float() < link.dropProbability) {
      this.#emit("drop", from, to, `${label} (lost)`);
      return;
    }
    this.clock.setTimer(
      this.latencyMs(from, to),
      () => {
        if (!this.connected(from, to)) {
          this.#emit("drop", from, to, `${label} (partitioned in flight)`);
          return;
        }
        this.#emit("deliver", from, to, label);
        deliver();
      },
      `net ${from}->${to} ${label}`,
    );
  }

  /**
   * A request from `from` handled at `to`, and its answer. `handle` runs at `to` when the request
   * arrives; its result (or rejection) travels back. A lost request or answer rejects with a
   * ConnectionError after `timeoutMs` (the request may then have been handled: ambiguous, as on a
   * real network).
   */
  call<T>(from: string, to: string, label: string, handle: () => T | Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = this.clock.setTimer(
        timeoutMs,
        () => {
          if (settled) return;
          settled = true;
          this.#emit("timeout", from, to, `${label} (${timeoutMs} ms)`);
          reject(new ConnectionError("timeout", `${label}: no answer from ${to} within ${timeoutMs} ms`));
        },
        `net timeout ${from}->${to} ${label}`,
      );
      const answer = (settle: () => void): void => {
        this.send(to, from, `${label} answer`, () => {
          if (settled) return;
          settled = true;
          timer.cancel();
          settle();
        });
      };
      this.send(from, to, label, () => {
        let result: Promise<T>;
        try {
          result = Promise.resolve(handle());
        } catch (err) {
          result = Promise.reject(err);
        }
        result.then(
          (value) => answer(() => resolve(value)),
          (err: unknown) => answer(() => reject(err)),
        );
      });
    });
  }

  /**
   * Runs `fn` at `to` after latency, never lost and never cut: how the peer learns that a
   * connection was closed (a FIN or RST gets there eventually, and a partition breaks the stream
   * anyway).
   */
  notify(from: string, to: string, label: string, fn: () => void): void {
    this.clock.setTimer(
      this.latencyMs(from, to),
      () => {
        this.#emit("deliver", from, to, label);
        fn();
      },
      `net ${from}->${to} ${label}`,
    );
  }

  /** A FIFO stream from `from` to `to`; `onBreak` runs once if a partition (or its backlog) breaks it. */
  openStream(from: string, to: string, label: string, onBreak: (err: ConnectionError) => void): SimStream {
    const stream = new SimStream(this, from, to, label, onBreak, {
      register: (s) => this.#streams.add(s),
      unregister: (s) => this.#streams.delete(s),
      emit: (kind, summary) => this.#emit(kind, from, to, summary),
    });
    if (!this.connected(from, to)) {
      stream.break(new ConnectionError("unreachable", `${label}: ${to} unreachable from ${from} (network partition)`));
    }
    return stream;
  }

  /** Open streams (for tests and leak checks). */
  get openStreams(): number {
    return this.#streams.size;
  }

  #addFault(fault: Fault, a: string, b: string, summary: string): NetworkFault {
    this.#faults.add(fault);
    this.#emit("partition", a, b, summary);
    for (const s of [...this.#streams]) {
      if (!this.connected(s.from, s.to)) {
        s.break(new ConnectionError("unreachable", `${s.label}: connection between ${s.from} and ${s.to} lost (network partition)`));
      }
    }
    return {
      heal: () => {
        if (this.#faults.delete(fault)) this.#emit("heal", a, b, `${summary}: healed`);
      },
    };
  }

  #emit(kind: NetworkTraceKind, from: string, to: string, summary: string): void {
    this.#trace?.({ kind, from, to, summary });
  }
}

interface StreamHooks {
  register(s: SimStream): void;
  unregister(s: SimStream): void;
  emit(kind: NetworkTraceKind, summary: string): void;
}

/** One direction of a connection: messages arrive in the order sent. */
export class SimStream {
  #open = true;
  #lastDueMs = -Infinity;
  readonly #pending = new Set<Timer>();

  constructor(
    readonly network: SimNetwork,
    readonly from: string,
    readonly to: string,
    readonly label: string,
    readonly onBreak: (err: ConnectionError) => void,
    private readonly hooks: StreamHooks,
  ) {
    hooks.register(this);
  }

  get open(): boolean {
    return this.#open;
  }

  /** Queues `deliver` to run at `to` after latency and after everything sent before; false once closed. */
  send(label: string, deliver: () => void): boolean {
    if (!this.#open) return false;
    if (this.#pending.size >= this.network.maxStreamBacklog) {
      this.break(new ConnectionError("reset", `${this.label}: more than ${this.network.maxStreamBacklog} messages undelivered; stream closed`));
      return false;
    }
    const clock = this.network.clock;
    const nowMs = clock.now();
    const dueMs = Math.max(nowMs + this.network.latencyMs(this.from, this.to), this.#lastDueMs);
    this.#lastDueMs = dueMs;
    const holder: { timer?: Timer } = {};
    holder.timer = clock.setTimer(
      dueMs - nowMs,
      () => {
        this.#pending.delete(holder.timer!);
        if (!this.#open) return;
        this.hooks.emit("deliver", `${this.label}: ${label}`);
        deliver();
      },
      `net ${this.from}->${this.to} ${this.label}`,
    );
    this.#pending.add(holder.timer);
    return true;
  }

  /** Ends the stream now: undelivered messages are discarded; no callback runs. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    for (const t of this.#pending) t.cancel();
    this.#pending.clear();
    this.hooks.unregister(this);
  }

  /** Closes the stream and runs its onBreak (once). */
  break(err: ConnectionError): void {
    if (!this.#open) return;
    this.close();
    this.hooks.emit("break", `${this.label}: ${err.message}`);
    this.onBreak(err);
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function checkLink(link: LinkConfig): LinkConfig {
  if (!(link.latencyMs >= 0) || !Number.isFinite(link.latencyMs)) throw new RangeError(`latencyMs must be >= 0, got ${link.latencyMs}`);
  if (!(link.jitterMs >= 0) || !Number.isFinite(link.jitterMs)) throw new RangeError(`jitterMs must be >= 0, got ${link.jitterMs}`);
  if (!(link.dropProbability >= 0 && link.dropProbability <= 1)) {
    throw new RangeError(`dropProbability must be in [0, 1], got ${link.dropProbability}`);
  }
  return link;
}
