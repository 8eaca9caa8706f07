// The etcd quirks asserted here (compaction at 0, nested txn headers, nested compares reading the
// pre-txn store, sort with limit, a delete's "\0" range end in checkIntervals) were confirmed against
// real etcd 3.4.23 over gRPC, as were random operation sequences (model and etcd answered alike).
import { describe, expect, it } from "vitest";
import { KvError, KvErrors, prefixEnd, type Compare, type RequestOp } from "../interfaces/kv.ts";
import { KvModel } from "./kv-model.ts";
import { bytes as b, normalize } from "./kv-ops.ts";

const all = Uint8Array.of(0);
const keysOf = (kvs: { key: Uint8Array }[]) => kvs.map((kv) => normalize(kv.key));
const putOp = (key: string, value: string): RequestOp => ({ requestPut: { key: b(key), value: b(value) } });
const valueIs = (key: string, value: string, result: Compare["result"] = "EQUAL"): Compare => ({ key: b(key), result, target: "VALUE", value: b(value) });

function expectKvError(fn: () => unknown, expected: KvError): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KvError);
    expect({ code: (err as KvError).code, message: (err as KvError).message }).toEqual({ code: expected.code, message: expected.message });
    return;
  }
  throw new Error(`expected ${expected.message}`);
}

describe("KvModel revisions and key metadata", () => {
  it("starts at revision 1 and gives each write the next revision", () => {
    const m = new KvModel();
    expect(m.revision).toBe(1);
    expect(m.put({ key: b("a"), value: b("1") }).header.revision).toBe(2);
    expect(m.put({ key: b("a"), value: b("2") }).header.revision).toBe(3);
    const [kv] = m.range({ key: b("a") }).kvs;
    expect(kv).toMatchObject({ createRevision: 2, modRevision: 3, version: 2 });
    expect(normalize(kv!.value)).toBe("2");
  });

  it("resets version and createRevision after a delete", () => {
    const m = new KvModel();
    m.put({ key: b("a"), value: b("1") });
    const del = m.deleteRange({ key: b("a"), prevKv: true });
    expect(del.deleted).toBe(1);
    expect(del.header.revision).toBe(3);
    expect(keysOf(del.prevKvs)).toEqual(["a"]);
    m.put({ key: b("a"), value: b("2") });
    expect(m.range({ key: b("a") }).kvs[0]).toMatchObject({ createRevision: 4, modRevision: 4, version: 1 });
  });

  it("takes no revision for a delete that deletes nothing", () => {
    const m = new KvModel();
    expect(m.deleteRange({ key: b("zz") })).toMatchObject({ deleted: 0, header: { revision: 1 } });
    expect(m.revision).toBe(1);
  });

  it("returns the previous key-value on put when asked", () => {
    const m = new KvModel();
    expect(m.put({ key: b("a"), value: b("1"), prevKv: true }).prevKv).toBeUndefined();
    expect(normalize(m.put({ key: b("a"), value: b("2"), prevKv: true }).prevKv?.value)).toBe("1");
  });

  it("keeps the value with ignoreValue and refuses it for a missing key", () => {
    const m = new KvModel();
    m.put({ key: b("a"), value: b("1") });
    m.put({ key: b("a"), value: new Uint8Array(0), ignoreValue: true });
    expect(m.range({ key: b("a") }).kvs[0]).toMatchObject({ version: 2 });
    expect(normalize(m.range({ key: b("a") }).kvs[0]!.value)).toBe("1");
    expectKvError(() => m.put({ key: b("b"), value: new Uint8Array(0), ignoreValue: true }), KvErrors.keyNotFound());
    expectKvError(() => m.put({ key: b("a"), value: b("x"), ignoreValue: true }), KvErrors.valueProvided());
    expectKvError(() => m.put({ key: b("a"), value: b("x"), ignoreLease: true, lease: 5n }), KvErrors.leaseProvided());
  });
});

describe("KvModel range", () => {
  const m = new KvModel();
  for (const [k, v] of [["a", "3"], ["ab", "1"], ["b", "2"], ["c", "1"]] as const) m.put({ key: b(k), value: b(v) });
  m.put({ key: b("b"), value: b("9") }); // revision 6; b at version 2

  it("selects a key, a prefix, a half-open interval and every key from a key", () => {
    expect(keysOf(m.range({ key: b("a") }).kvs)).toEqual(["a"]);
    expect(keysOf(m.range({ key: b("a"), rangeEnd: prefixEnd(b("a")) }).kvs)).toEqual(["a", "ab"]);
    expect(keysOf(m.range({ key: b("ab"), rangeEnd: b("c") }).kvs)).toEqual(["ab", "b"]);
    expect(keysOf(m.range({ key: b("b"), rangeEnd: all }).kvs)).toEqual(["b", "c"]);
    expect(keysOf(m.range({ key: all, rangeEnd: all }).kvs)).toEqual(["a", "ab", "b", "c"]);
    expect(m.range({ key: b("c"), rangeEnd: b("a") }).count).toBe(0); // inverted: empty
  });

  it("limits with more and count, counts only, and drops values with keysOnly", () => {
    expect(m.range({ key: b("a"), rangeEnd: all, limit: 2 })).toMatchObject({ more: true, count: 4 });
    expect(m.range({ key: b("a"), rangeEnd: all, limit: 4 })).toMatchObject({ more: false, count: 4 });
    expect(m.range({ key: b("a"), rangeEnd: all, countOnly: true })).toMatchObject({ kvs: [], count: 4, more: false });
    expect(m.range({ key: b("a"), keysOnly: true }).kvs[0]!.value).toEqual(new Uint8Array(0));
  });

  it("sorts; a target other than KEY with order NONE sorts ascending after fetching limit+1 by key", () => {
    expect(keysOf(m.range({ key: b("a"), rangeEnd: all, sortOrder: "DESCEND", sortTarget: "KEY" }).kvs)).toEqual(["c", "b", "ab", "a"]);
    expect(keysOf(m.range({ key: b("a"), rangeEnd: all, sortOrder: "DESCEND", sortTarget: "MOD", limit: 1 }).kvs)).toEqual(["b"]);
    expect(keysOf(m.range({ key: b("a"), rangeEnd: all, sortTarget: "VALUE" }).kvs)).toEqual(["ab", "c", "a", "b"]);
    // Fetches a, ab, b (limit 2 + 1), sorts them by version (b is at 2), keeps two.
    expect(keysOf(m.range({ key: b("a"), rangeEnd: all, sortTarget: "VERSION", limit: 2 }).kvs)).toEqual(["a", "ab"]);
  });

  it("reads the past, with the current revision in the header", () => {
    const past = m.range({ key: b("b"), revision: 4 });
    expect(normalize(past.kvs[0]!.value)).toBe("2");
    expect(past.header.revision).toBe(6);
    expect(m.range({ key: b("c"), revision: 4 }).kvs).toEqual([]);
  });

  it("filters by mod and create revision", () => {
    expect(keysOf(m.range({ key: b("a"), rangeEnd: all, minModRevision: 4 }).kvs)).toEqual(["b", "c"]);
    expect(keysOf(m.range({ key: b("a"), rangeEnd: all, maxCreateRevision: 3 }).kvs)).toEqual(["a", "ab"]);
  });

  it("refuses an empty key and a future revision", () => {
    expectKvError(() => m.range({ key: new Uint8Array(0) }), KvErrors.emptyKey());
    expectKvError(() => m.range({ key: b("a"), revision: 7 }), KvErrors.futureRev());
  });
});

describe("KvModel compaction", () => {
  it("fails reads below the compaction revision and repeated or future compactions", () => {
    const m = new KvModel();
    for (const v of ["1", "2", "3"]) m.put({ key: b("a"), value: b(v) });
    expect(m.compact({ revision: 3 }).header.revision).toBe(4);
    expectKvError(() => m.range({ key: b("a"), revision: 2 }), KvErrors.compacted());
    expect(normalize(m.range({ key: b("a"), revision: 3 }).kvs[0]!.value)).toBe("2");
    expectKvError(() => m.compact({ revision: 3 }), KvErrors.compacted());
    expectKvError(() => m.compact({ revision: 9 }), KvErrors.futureRev());
  });

  it("lets a fresh store compact at 0 once, as etcd does", () => {
    const m = new KvModel();
    m.compact({ revision: 0 });
    expectKvError(() => m.compact({ revision: 0 }), KvErrors.compacted());
    expect(m.compact({ revision: 1 }).header.revision).toBe(1);
  });
});

describe("KvModel txn", () => {
  it("picks a branch by comparing value, version, create and mod revisions", () => {
    const m = new KvModel();
    m.put({ key: b("a"), value: b("1") });
    const succeeded = (...compare: Compare[]) => m.txn({ compare, success: [], failure: [] }).succeeded;
    expect(succeeded(valueIs("a", "1"))).toBe(true);
    expect(succeeded(valueIs("a", "0", "GREATER"))).toBe(true);
    expect(succeeded(valueIs("zz", ""))).toBe(false); // a value compare on a missing key always fails
    expect(succeeded(valueIs("zz", "", "NOT_EQUAL"))).toBe(false);
    expect(succeeded({ key: b("zz"), result: "EQUAL", target: "VERSION", version: 0 })).toBe(true);
    expect(succeeded({ key: b("a"), result: "EQUAL", target: "CREATE", createRevision: 2 })).toBe(true);
    expect(succeeded({ key: b("a"), result: "LESS", target: "MOD", modRevision: 2 })).toBe(false);
    expect(succeeded({ key: b("a"), rangeEnd: all, result: "GREATER", target: "VERSION", version: 0 })).toBe(true);
  });

  it("applies ops in order at one revision, each seeing the ones before", () => {
    const m = new KvModel();
    m.put({ key: b("a"), value: b("1") });
    const r = m.txn({
      compare: [valueIs("a", "1")],
      success: [
        { requestRange: { key: b("a"), revision: 2 } },
        putOp("a", "2"),
        { requestRange: { key: b("a") } },
        { requestDeleteRange: { key: b("zz") } },
      ],
      failure: [],
    });
    expect(r.header.revision).toBe(3);
    const [before, put, after, del] = r.responses;
    expect(normalize(before)).toMatchObject({ responseRange: { header: { revision: 2 }, kvs: [{ value: "1" }] } });
    expect(normalize(put)).toEqual({ responsePut: { header: { revision: 3 } } });
    expect(normalize(after)).toMatchObject({ responseRange: { header: { revision: 3 }, kvs: [{ value: "2", version: 2 }] } });
    expect(normalize(del)).toEqual({ responseDeleteRange: { header: { revision: 3 }, deleted: 0, prevKvs: [] } });
  });

  it("evaluates nested compares against the store before the txn; nested headers carry revision 0", () => {
    const m = new KvModel();
    m.put({ key: b("a"), value: b("1") });
    const r = m.txn({
      compare: [],
      success: [putOp("a", "2"), { requestTxn: { compare: [valueIs("a", "1")], success: [putOp("b", "y")], failure: [] } }],
      failure: [],
    });
    expect(normalize(r.responses[1])).toEqual({
      responseTxn: { header: { revision: 0 }, succeeded: true, responses: [{ responsePut: { header: { revision: 3 } } }] },
    });
    expect(normalize(m.range({ key: b("b") }).kvs[0]?.value)).toBe("y");
  });

  it("refuses duplicate puts, puts under a delete, too many ops and out-of-window reads", () => {
    const m = new KvModel({ maxTxnOps: 3 });
    const txn = (success: RequestOp[]) => () => m.txn({ compare: [], success, failure: [] });
    expectKvError(txn([putOp("a", "1"), putOp("a", "2")]), KvErrors.duplicateKey());
    expectKvError(txn([{ requestDeleteRange: { key: b("a"), rangeEnd: b("c") } }, putOp("b", "1")]), KvErrors.duplicateKey());
    expectKvError(txn([putOp("a", "1"), { requestTxn: { compare: [], success: [putOp("a", "2")], failure: [] } }]), KvErrors.duplicateKey());
    expectKvError(txn([putOp("a", "1"), putOp("b", "1"), putOp("c", "1"), putOp("d", "1")]), KvErrors.tooManyOps());
    expectKvError(txn([{ requestRange: { key: b("a"), revision: 2 } }]), KvErrors.futureRev());
    expectKvError(txn([{ requestPut: { key: b("a"), value: new Uint8Array(0), ignoreValue: true } }]), KvErrors.keyNotFound());
    expect(m.revision).toBe(1);
    // etcd reads a delete's range end "\0" as raw bytes, so it does not collide with a put.
    expect(txn([{ requestDeleteRange: { key: b("a"), rangeEnd: all } }, putOp("b", "1")])().succeeded).toBe(true);
    // The two branches of one nested txn may put the same key.
    expect(txn([{ requestTxn: { compare: [], success: [putOp("x", "1")], failure: [putOp("x", "2")] } }])().succeeded).toBe(true);
  });

  it("records each revision's events for watch validation", () => {
    const m = new KvModel();
    m.put({ key: b("a"), value: b("1") });
    m.txn({ compare: [], success: [putOp("a", "2"), putOp("b", "1")], failure: [] });
    m.deleteRange({ key: b("a"), rangeEnd: all });
    expect(normalize(m.changes())).toEqual([
      { revision: 2, events: [{ type: "PUT", kv: { key: "a", createRevision: 2, modRevision: 2, version: 1, value: "1", lease: "0" } }] },
      {
        revision: 3,
        events: [
          { type: "PUT", kv: { key: "a", createRevision: 2, modRevision: 3, version: 2, value: "2", lease: "0" }, prevKv: { key: "a", createRevision: 2, modRevision: 2, version: 1, value: "1", lease: "0" } },
          { type: "PUT", kv: { key: "b", createRevision: 3, modRevision: 3, version: 1, value: "1", lease: "0" } },
        ],
      },
      {
        revision: 4,
        events: [
          { type: "DELETE", kv: { key: "a", createRevision: 0, modRevision: 4, version: 0, value: "", lease: "0" }, prevKv: { key: "a", createRevision: 2, modRevision: 3, version: 2, value: "2", lease: "0" } },
          { type: "DELETE", kv: { key: "b", createRevision: 0, modRevision: 4, version: 0, value: "", lease: "0" }, prevKv: { key: "b", createRevision: 3, modRevision: 3, version: 1, value: "1", lease: "0" } },
        ],
      },
    ]);
  });
});
