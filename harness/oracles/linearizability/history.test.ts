import { describe, expect, it } from "vitest";
import { KvErrors, type KV, type RangeRequest, type RangeResponse } from "../../../spec/interfaces/kv.ts";
import { KvModel } from "../../../spec/models/kv-model.ts";
import { bytes as b } from "../../../spec/models/kv-ops.ts";
import { checkLinearizable } from "./checker.ts";
import { History, HistoryRecorder, UnsupportedOperationError, toKvOperations } from "./history.ts";
import { kvModel } from "./kv-model.ts";

/** A KV over the spec model; requests settle on the next macrotask-free tick so calls interleave. */
function modelKv(model = new KvModel()): KV {
  const later = <T>(fn: () => T) => Promise.resolve().then(fn);
  const unsupported = () => Promise.reject(new Error("not used in these tests"));
  return {
    range: (req) => later(() => model.range(req)),
    put: (req) => later(() => model.put(req)),
    deleteRange: (req) => later(() => model.deleteRange(req)),
    txn: (req) => later(() => model.txn(req)),
    compact: (req) => later(() => model.compact(req)),
    openWatchStream: () => {
      throw new Error("not used in these tests");
    },
    leaseGrant: unsupported,
    leaseRevoke: unsupported,
    leaseKeepAlive: unsupported,
    leaseTimeToLive: unsupported,
    leaseLeases: unsupported,
    status: unsupported,
    close: () => Promise.resolve(),
  };
}

/** A clock that ticks on every reading: distinct, increasing times. */
function tickingClock(): () => number {
  let t = 0;
  return () => ++t;
}

const casTxn = (key: string, expect: string, value: string) => ({
  compare: [{ key: b(key), result: "EQUAL" as const, target: "VALUE" as const, value: b(expect) }],
  success: [{ requestPut: { key: b(key), value: b(value) } }],
  failure: [{ requestRange: { key: b(key) } }],
});

describe("HistoryRecorder", () => {
  it("records calls with their times and maps them onto the KV model", async () => {
    const history = new History();
    const kv = new HistoryRecorder(modelKv(), { clientId: "c1", now: tickingClock(), history });
    await kv.put({ key: b("x"), value: b("1"), prevKv: true });
    await kv.range({ key: b("x") });
    await kv.txn(casTxn("x", "1", "2"));
    await kv.txn(casTxn("x", "1", "3"));
    await kv.deleteRange({ key: b("x") });

    expect(history.records().map((r) => [r.call, r.return])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    expect(history.operations().map((op) => op.output)).toEqual([
      { op: "put", revision: 2, prev: null },
      { op: "get", kv: { value: "1", modRevision: 2 }, revision: 2 },
      { op: "cas", revision: 3, succeeded: true },
      { op: "cas", revision: 3, succeeded: false, current: { value: "2", modRevision: 3 } },
      { op: "delete", revision: 4, deleted: 1 },
    ]);
    expect(checkLinearizable(history.operations(), kvModel).ok).toBe(true);
  });

  it("marks a failed write ambiguous, leaves out a failed read, and passes other calls through", async () => {
    const history = new History();
    const inner = modelKv();
    const flaky: KV = { ...inner, put: () => Promise.reject(KvErrors.timeout()), range: () => Promise.reject(KvErrors.stopped()) };
    const kv = new HistoryRecorder(flaky, { clientId: 1, now: tickingClock(), history });
    await expect(kv.put({ key: b("x"), value: b("1") })).rejects.toThrow("request timed out");
    await expect(kv.range({ key: b("x") })).rejects.toThrow("server stopped");
    await kv.compact({ revision: 1 });
    expect(history.records()).toHaveLength(2);
    expect(history.records()[0]).toMatchObject({ call: 1, error: KvErrors.timeout() });
    expect(history.records()[0]!.return).toBeUndefined();
    expect(history.operations()).toEqual([{ clientId: 1, call: 1, input: { op: "put", key: "x", value: "1" } }]);
  });

  it("keeps a call that never returns as ambiguous", async () => {
    const history = new History();
    const hanging: KV = { ...modelKv(), put: () => new Promise(() => {}) };
    const kv = new HistoryRecorder(hanging, { clientId: 1, now: tickingClock(), history });
    void kv.put({ key: b("x"), value: b("1") });
    await Promise.resolve();
    expect(history.operations()).toEqual([{ clientId: 1, call: 1, input: { op: "put", key: "x", value: "1" } }]);
  });

  it("leaves out reads it cannot express and refuses writes it cannot express", async () => {
    const history = new History();
    const kv = new HistoryRecorder(modelKv(), { clientId: 1, now: tickingClock(), history });
    await kv.put({ key: b("x"), value: b("1") });
    await kv.range({ key: b("a"), rangeEnd: Uint8Array.of(0) });
    await kv.range({ key: b("x"), revision: 1 });
    await kv.range({ key: b("x"), serializable: true });
    await kv.txn({ compare: [], success: [{ requestRange: { key: b("x") } }], failure: [] });
    expect(history.operations().map((op) => op.input.op)).toEqual(["put"]);

    await kv.deleteRange({ key: b("a"), rangeEnd: Uint8Array.of(0) });
    expect(() => history.operations()).toThrow(UnsupportedOperationError);
    expect(() => history.operations()).toThrow(/deleteRange over several keys/);
    const blind = [{ clientId: 1, call: 1, return: 2, request: { txn: { compare: [], success: [{ requestPut: { key: b("x"), value: b("1") } }], failure: [] } } }];
    expect(() => toKvOperations(blind)).toThrow(/only compare-and-swap txns/);
  });

  it("refuses calls beyond its limit before they reach the store", async () => {
    const history = new History(1);
    const model = new KvModel();
    const kv = new HistoryRecorder(modelKv(model), { clientId: 1, now: tickingClock(), history });
    await kv.put({ key: b("x"), value: b("1") });
    await expect(kv.put({ key: b("x"), value: b("2") })).rejects.toThrow("history is full (1 calls)");
    expect(model.revision).toBe(2);
  });
});

describe("HistoryRecorder with concurrent clients", () => {
  async function workload(kvFor: (client: number) => KV): Promise<void> {
    // Three clients interleave puts, reads and compare-and-swaps on two keys.
    await Promise.all(
      [0, 1, 2].map(async (c) => {
        const kv = kvFor(c);
        for (let i = 0; i < 6; i++) {
          const key = i % 2 === 0 ? "x" : "y";
          await kv.put({ key: b(key), value: b(`${c}-${i}`) });
          await kv.range({ key: b(key) });
          await kv.txn(casTxn(key, `${c}-${i}`, `${c}-${i}!`));
        }
      }),
    );
  }

  it("gives a linearizable history on a correct store", async () => {
    const history = new History();
    const now = tickingClock();
    const store = modelKv();
    await workload((c) => new HistoryRecorder(store, { clientId: c, now, history }));
    expect(history.operations()).toHaveLength(54);
    const r = checkLinearizable(history.operations(), kvModel);
    expect(r.status, r.ok ? "" : r.message).toBe("linearizable");
  });

  it("catches a store whose reads come from a stale cache", async () => {
    const history = new History();
    const now = tickingClock();
    const store = modelKv();
    const cache = new Map<string, RangeResponse>();
    // Serves each key's first read result forever after.
    const stale: KV = {
      ...store,
      range: async (req: RangeRequest) => {
        const k = String.fromCharCode(...req.key);
        const hit = cache.get(k) ?? (await store.range(req));
        cache.set(k, hit);
        return hit;
      },
    };
    await workload((c) => new HistoryRecorder(stale, { clientId: c, now, history }));
    const r = checkLinearizable(history.operations(), kvModel);
    expect(r.status).toBe("not-linearizable");
  });
});
