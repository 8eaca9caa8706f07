// Periodic compaction of the KV, as kube-apiserver does it (k8s.io/apiserver/pkg/storage/etcd3/
// compact.go): every interval (5 minutes by default), CAS the key `compact_rev_key` — whose version
// is the logical "compact time" shared by every API server on the store — and, when the CAS wins,
// compact to the revision seen at the previous interval. So at least one interval of history is
// kept, and several API servers on one store compact once per interval between them.
import type { Clock, Timer } from "../../../spec/interfaces/clock.ts";
import type { KV } from "../../../spec/interfaces/kv.ts";
import { keyBytes } from "./codec.ts";

export const COMPACT_REV_KEY = "compact_rev_key";
/** kube-apiserver's --etcd-compaction-interval default. */
export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

export class Compactor {
  #timer: Timer | undefined;
  /** The version of compact_rev_key we last saw (the compact time). */
  #compactTime = 0;
  /** The store revision at the previous interval: the next compaction target. */
  #previousRevision = 0;
  #running: Promise<void> = Promise.resolve();

  constructor(
    private readonly kv: KV,
    private readonly clock: Clock,
    private readonly intervalMs: number = DEFAULT_COMPACTION_INTERVAL_MS,
    /** Failures are reported here (the next interval tries again). */
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): void {
    if (this.#timer !== undefined || this.intervalMs <= 0) return;
    this.#timer = this.clock.setRepeatingTimer(this.intervalMs, () => void this.runOnce(), "apiserver compaction");
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** One round of the algorithm; concurrent calls run one after the other. */
  runOnce(): Promise<void> {
    this.#running = this.#running.then(() => this.#compact()).catch((err: unknown) => this.onError(err));
    return this.#running;
  }

  async #compact(): Promise<void> {
    const key = keyBytes(COMPACT_REV_KEY);
    const res = await this.kv.txn({
      compare: [{ key, target: "VERSION", result: "EQUAL", version: this.#compactTime }],
      success: [{ requestPut: { key, value: keyBytes(String(this.#previousRevision)) } }],
      failure: [{ requestRange: { key } }],
    });
    const currentRevision = res.header.revision;
    const target = this.#previousRevision;
    this.#previousRevision = currentRevision;
    if (!res.succeeded) {
      // Another API server compacted this interval: follow its compact time.
      const other = res.responses[0];
      this.#compactTime = other !== undefined && "responseRange" in other ? (other.responseRange.kvs[0]?.version ?? 0) : 0;
      return;
    }
    this.#compactTime++;
    // Never on bootstrap: there is no previous interval yet.
    if (target === 0) return;
    await this.kv.compact({ revision: target });
  }
}
