// The in-process store against the spec's simple KV model: random operation sequences over a small
// key space (so operations collide) must get identical responses — header revision included, other
// header fields ignored — and identical etcd errors from both.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WatchCreateRequest, WatchResponse } from "../../spec/interfaces/kv.ts";
import { checkWatchGuarantees, type WatchRecord } from "../../spec/invariants/watch-guarantees.ts";
import { KvModel } from "../../spec/models/kv-model.ts";
import { describeKvOp, kvOpArbitrary, normalize, runKvOp } from "../../spec/models/kv-ops.ts";
import { SeededRng } from "../runtime/rng.ts";
import { VirtualClock } from "../runtime/virtual-clock.ts";
import { LocalKv } from "./local-kv.ts";

describe("LocalKv is equivalent to the KV model", () => {
  it("answers random operation sequences as the model does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(kvOpArbitrary(), { minLength: 1, maxLength: 60 }), async (ops) => {
        const store = new LocalKv({ clock: new VirtualClock(), rng: SeededRng.fromSeed(1) });
        const model = new KvModel();
        try {
          for (const [i, op] of ops.entries()) {
            const expected = await runKvOp(model, op);
            const actual = await runKvOp(store, op);
            expect(actual, `operation ${i}: ${describeKvOp(op)}`).toEqual(expected);
          }
          expect((await store.status()).header.revision).toBe(model.revision);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("delivers the model's events to a live and a replaying watcher, keeping the six watch guarantees", async () => {
    const everyKey = { key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0), prevKv: true };
    await fc.assert(
      fc.asyncProperty(fc.array(kvOpArbitrary(), { minLength: 1, maxLength: 60 }), fc.nat(), async (ops, pick) => {
        const store = new LocalKv({ clock: new VirtualClock(), rng: SeededRng.fromSeed(1) });
        const model = new KvModel();
        const byWatch = new Map<number, WatchResponse[]>();
        const stream = store.openWatchStream((res) => byWatch.set(res.watchId, [...(byWatch.get(res.watchId) ?? []), res]));
        try {
          const live: WatchCreateRequest = { ...everyKey, watchId: 1 };
          stream.create(live);
          for (const op of ops) {
            await runKvOp(model, op);
            await runKvOp(store, op);
          }
          // A second watcher replays history from a revision still in the window. (From exactly the
          // compaction revision, whether etcd still has that revision's deletions depends on when
          // its background compaction ran, so start above it.)
          const first = Math.max(1, model.compactRevision + 1);
          const replay: WatchCreateRequest = { ...everyKey, watchId: 2, startRevision: first + (pick % (model.revision + 2 - first)) };
          stream.create(replay);
          stream.requestProgress();
          await new Promise((resolve) => setImmediate(resolve));

          const truth = model.changes();
          const progress = byWatch.get(-1) ?? [];
          for (const [request, responses] of [[live, byWatch.get(1) ?? []], [replay, byWatch.get(2) ?? []]] as const) {
            const record: WatchRecord = { request, responses: [...responses, ...progress] };
            const from = request.startRevision ?? 2;
            // etcd reads a watch event's prevKv at revision-1 when sending it: gone once compacted.
            const compactedAtSend = request === replay ? model.compactRevision : -1;
            const expected = truth
              .filter((c) => c.revision >= from)
              .flatMap((c) => c.events)
              .map((e) => (e.kv.modRevision - 1 < compactedAtSend ? { type: e.type, kv: e.kv } : e));
            expect(normalize(responses.flatMap((r) => r.events)), `watch ${request.watchId} from ${from}`).toEqual(normalize(expected));
            expect(checkWatchGuarantees(record, truth).map((v) => v.message)).toEqual([]);
          }
        } finally {
          stream.close();
          await store.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
