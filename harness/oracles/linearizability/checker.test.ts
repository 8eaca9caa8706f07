import { describe, expect, it } from "vitest";
import { checkLinearizable, type Model, type Operation } from "./checker.ts";
import { kvModel, type KvAt, type KvOperation } from "./kv-model.ts";

// Builders: each operation is [call, return] on client `c`; `ret` undefined = unknown outcome.
const at = (value: string, modRevision: number): KvAt => ({ value, modRevision });
const get = (c: number, call: number, ret: number, key: string, kv: KvAt | null, revision?: number): KvOperation => ({
  clientId: c,
  call,
  return: ret,
  input: { op: "get", key },
  output: revision === undefined ? { op: "get", kv } : { op: "get", kv, revision },
});
const put = (c: number, call: number, ret: number | undefined, key: string, value: string, revision = 0): KvOperation =>
  ret === undefined
    ? { clientId: c, call, input: { op: "put", key, value } }
    : { clientId: c, call, return: ret, input: { op: "put", key, value }, output: { op: "put", revision } };
const del = (c: number, call: number, ret: number, key: string, deleted: number, revision: number): KvOperation => ({
  clientId: c,
  call,
  return: ret,
  input: { op: "delete", key },
  output: { op: "delete", revision, deleted },
});
const cas = (
  c: number,
  call: number,
  ret: number | undefined,
  key: string,
  expect: string,
  value: string,
  succeeded = true,
  revision = 0,
): KvOperation =>
  ret === undefined
    ? { clientId: c, call, input: { op: "cas", key, compare: { value: expect }, value } }
    : { clientId: c, call, return: ret, input: { op: "cas", key, compare: { value: expect }, value }, output: { op: "cas", revision, succeeded } };

const check = (history: KvOperation[]) => checkLinearizable(history, kvModel);

describe("checkLinearizable with the KV model: known-good histories", () => {
  it("accepts a sequential history", () => {
    const h = [
      put(1, 0, 1, "x", "1", 2),
      get(1, 2, 3, "x", at("1", 2), 2),
      cas(1, 4, 5, "x", "1", "2", true, 3),
      get(1, 6, 7, "x", at("2", 3)),
      del(1, 8, 9, "x", 1, 4),
      get(1, 10, 11, "x", null, 4),
      del(1, 12, 13, "x", 0, 4),
    ];
    expect(check(h)).toEqual({ ok: true, status: "linearizable" });
  });

  it("accepts overlapping operations that can be ordered", () => {
    const h = [
      put(1, 0, 10, "x", "1", 2),
      get(2, 1, 2, "x", null), // before the put took effect
      get(3, 3, 4, "x", at("1", 2)), // after
      get(2, 5, 6, "x", at("1", 2)),
      // Two concurrent puts: revisions say b (3) then a (4), which the reads confirm.
      put(1, 20, 30, "y", "a", 4),
      put(2, 20, 30, "y", "b", 3),
      get(3, 31, 32, "y", at("a", 4)),
    ];
    expect(check(h).ok).toBe(true);
  });

  it("accepts operations of unknown outcome whether or not they took effect", () => {
    const tookEffect = [put(1, 0, undefined, "x", "1"), get(2, 5, 6, "x", null), get(2, 7, 8, "x", at("1", 2))];
    const neverDid = [put(1, 0, undefined, "x", "1"), get(2, 5, 6, "x", null), get(2, 70, 80, "x", null)];
    const ambiguousCas = [
      put(1, 0, 1, "x", "0", 2),
      cas(2, 2, undefined, "x", "0", "1"),
      cas(3, 3, 4, "x", "0", "2", false, 3), // the ambiguous cas had already won
      get(3, 5, 6, "x", at("1", 3)),
    ];
    expect(check(tookEffect).ok).toBe(true);
    expect(check(neverDid).ok).toBe(true);
    expect(check(ambiguousCas).ok).toBe(true);
  });

  it("learns the revision of a write of unknown outcome from a later read", () => {
    const h = [put(1, 0, undefined, "x", "1"), get(2, 5, 6, "x", at("1", 7)), cas(2, 8, 9, "x", "1", "2", true, 8), get(2, 10, 11, "x", at("2", 8))];
    expect(check(h).ok).toBe(true);
  });
});

describe("checkLinearizable with the KV model: known-bad histories", () => {
  it("rejects a stale read after a completed write", () => {
    const r = check([put(1, 0, 1, "x", "1", 2), get(2, 2, 3, "x", null)]);
    expect(r.status).toBe("not-linearizable");
  });

  it("rejects a lost acknowledged write", () => {
    const r = check([put(1, 0, 1, "x", "0", 2), put(1, 2, 3, "x", "1", 3), get(2, 4, 5, "x", at("0", 2))]);
    expect(r.status).toBe("not-linearizable");
  });

  it("rejects two compare-and-swaps that both succeed from the same value", () => {
    const r = check([put(1, 0, 1, "x", "0", 2), cas(2, 2, 5, "x", "0", "1", true, 3), cas(3, 2, 5, "x", "0", "2", true, 4)]);
    expect(r.status).toBe("not-linearizable");
  });

  it("rejects a read of a value never written", () => {
    const r = check([put(1, 0, 1, "x", "0", 2), put(1, 2, undefined, "x", "1"), get(2, 3, 4, "x", at("ghost", 5))]);
    expect(r.status).toBe("not-linearizable");
  });

  it("rejects revisions that contradict real-time order", () => {
    const r = check([put(1, 0, 1, "x", "1", 5), put(2, 2, 3, "x", "2", 4)]);
    expect(r.status).toBe("not-linearizable");
  });

  it("rejects a read that goes back in time after another client saw the new value", () => {
    const r = check([put(1, 0, 100, "x", "1", 2), get(2, 10, 20, "x", at("1", 2)), get(3, 30, 40, "x", null)]);
    expect(r.status).toBe("not-linearizable");
  });

  it("names the failing partition, the longest prefix and the stuck operation", () => {
    const good = [put(1, 0, 1, "a", "1", 2), get(1, 2, 3, "a", at("1", 2))];
    const bad = [put(1, 10, 11, "b", "1", 3), get(2, 12, 13, "b", null)];
    const r = check([...good, ...bad]);
    if (r.status !== "not-linearizable") throw new Error(`expected a violation, got ${r.status}`);
    expect(r.partial.partition).toBe(1);
    expect(r.partial.linearized.map((l) => l.op)).toEqual([bad[0]]);
    expect(r.partial.stuck).toBe(bad[1]);
    expect(r.message).toContain('get("b") → absent');
    expect(r.message).toContain('put("b", "1") → revision 3');
  });
});

describe("checkLinearizable budget", () => {
  const busy = Array.from({ length: 12 }, (_, i) => put(i, 0, 100, "x", `v${i}`, i + 2));

  it("answers unknown when the step cap is reached", () => {
    const r = checkLinearizable(busy, kvModel, { maxSteps: 3 });
    expect(r).toMatchObject({ ok: false, status: "unknown" });
  });

  it("answers unknown when the time budget on the caller's clock runs out", () => {
    let t = 0;
    // Without pruning, the search tries many orders of the puts before giving up on the read.
    const r = checkLinearizable([...busy, get(99, 200, 201, "x", at("nobody", 1))], { ...kvModel, neverLinearizable: undefined }, {
      deadline: { now: () => (t += 1), budgetMs: 5 },
    });
    expect(r.status).toBe("unknown");
  });

  it("rejects a return before a call", () => {
    expect(() => check([put(1, 5, 4, "x", "1", 2)])).toThrow(/returns \(4\) before its call \(5\)/);
  });
});

describe("checkLinearizable with a custom model", () => {
  // A counter whose increment answers the new value; no partitioning.
  type Inc = { op: "inc" } | { op: "read" };
  const counter: Model<number, Inc, number> = {
    init: () => 0,
    step: (s, i, o) => (i.op === "inc" ? (o === undefined || o === s + 1 ? [s + 1] : []) : o === undefined || o === s ? [s] : []),
    key: (s) => String(s),
  };
  const op = (c: number, call: number, ret: number | undefined, input: Inc, output?: number): Operation<Inc, number> =>
    ret === undefined ? { clientId: c, call, input } : { clientId: c, call, return: ret, input, output: output! };

  it("orders concurrent increments by their answers", () => {
    const h = [op(1, 0, 10, { op: "inc" }, 2), op(2, 0, 10, { op: "inc" }, 1), op(3, 11, 12, { op: "read" }, 2)];
    expect(checkLinearizable(h, counter).ok).toBe(true);
  });

  it("rejects a read that misses a completed increment", () => {
    const h = [op(1, 0, 1, { op: "inc" }, 1), op(2, 2, 3, { op: "read" }, 0)];
    const r = checkLinearizable(h, counter);
    expect(r.status).toBe("not-linearizable");
    expect(r.ok).toBe(false);
  });
});
