// Records every response of one watch stream so tests can wait for what they expect and then
// assert on the whole sequence (order included). Waiting polls the recording through vitest's
// waitFor, so this helper needs no timers of its own.
import { vi } from "vitest";
import type { KV, WatchCreateRequest, WatchEvent, WatchResponse, WatchStream } from "../../spec/interfaces/kv.ts";

/** Enough for any test in the suite; a runaway stream fails instead of eating memory. */
const MAX_RESPONSES = 10_000;
const DEFAULT_WAIT_MS = 10_000;

export class WatchRecorder {
  readonly responses: WatchResponse[] = [];
  streamError: Error | undefined;
  private readonly stream: WatchStream;
  private createsSent = 0;
  private overflow = false;

  constructor(kv: KV) {
    this.stream = kv.openWatchStream(
      (res) => {
        if (this.responses.length >= MAX_RESPONSES) this.overflow = true;
        else this.responses.push(res);
      },
      (err) => (this.streamError = err),
    );
  }

  /**
   * Creates a watcher and resolves with its `created` response. Creates on one stream are
   * answered in order, so the n-th create gets the n-th created response.
   */
  async create(req: WatchCreateRequest): Promise<WatchResponse> {
    const index = this.createsSent++;
    this.stream.create(req);
    return this.until(() => this.responses.filter((r) => r.created)[index], `the created response of watch create #${index + 1}`);
  }

  cancel(watchId: number): void {
    this.stream.cancel(watchId);
  }

  requestProgress(): void {
    this.stream.requestProgress();
  }

  close(): void {
    this.stream.close();
  }

  /** Responses for one watcher (excluding its created response), in delivery order. */
  responsesOf(watchId: number): WatchResponse[] {
    return this.responses.filter((r) => r.watchId === watchId && !r.created);
  }

  /** Events delivered to one watcher, in order. */
  eventsOf(watchId: number): WatchEvent[] {
    return this.responsesOf(watchId).flatMap((r) => r.events);
  }

  /** Waits until the watcher has received at least `count` events; resolves with all of them. */
  async waitForEvents(watchId: number, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<WatchEvent[]> {
    return this.until(
      () => {
        const events = this.eventsOf(watchId);
        return events.length >= count ? events : undefined;
      },
      `${count} events on watch ${watchId}`,
      timeoutMs,
    );
  }

  /** Waits until `probe` returns something other than undefined. */
  async until<T>(probe: () => T | undefined, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return vi.waitFor(
      () => {
        if (this.overflow) throw new Error(`watch stream delivered more than ${MAX_RESPONSES} responses`);
        const value = probe();
        if (value !== undefined) return value;
        const broken = this.streamError ? ` (stream error: ${this.streamError.message})` : "";
        throw new Error(`timed out waiting for ${what}${broken}; received ${this.responses.length} responses: ${summarize(this.responses)}`);
      },
      { timeout: timeoutMs, interval: 5 },
    );
  }
}

function summarize(responses: WatchResponse[]): string {
  return responses
    .slice(-10)
    .map((r) => `{id ${r.watchId}${r.created ? " created" : ""}${r.canceled ? " canceled" : ""} rev ${r.header.revision} events ${r.events.length}}`)
    .join(" ");
}
