// MvccStore txns: compares, branches, nested txns, reads that see earlier writes, one revision.
import { describe, expect, it } from "vitest";
import { KvError, type Compare, type RequestOp, type TxnRequest } from "../../../spec/interfaces/kv.ts";
import { MvccStore } from "./store.ts";
import { b, kvText, str } from "./testing.ts";

const putOp = (key: string, value: string, extra: object = {}): RequestOp => ({
  requestPut: { key: b(key), value: b(value), ...extra },
});
const delOp = (key: string, rangeEnd?: string): RequestOp => ({
  requestDeleteRange: { key: b(key), rangeEnd: rangeEnd === undefined ? undefined : b(rangeEnd) },
});
const rangeOp = (key: string, extra: object = {}): RequestOp => ({ requestRange: { key: b(key), ...extra } });
const txnOp = (t: TxnRequest): RequestOp => ({ requestTxn: t });

function txn(s: MvccStore, t: Partial<TxnRequest>) {
  return s.apply({ op: "txn", req: { compare: [], success: [], failure: [], ...t } });
}
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return err.message;
    throw err;
  }
  return "no error";
}

/** k: value "m", create 2, mod 3, version 2, lease 5; revision 3. */
function fixture(): MvccStore {
  const s = new MvccStore();
  s.apply({ op: "leaseGrant", id: 5n, ttlSeconds: 60 });
  s.apply({ op: "put", req: { key: b("k"), value: b("a") } });
  s.apply({ op: "put", req: { key: b("k"), value: b("m"), lease: 5n } });
  return s;
}

describe("compares", () => {
  const cases: [string, Compare, boolean][] = [
    ["VALUE EQUAL", { key: b("k"), target: "VALUE", result: "EQUAL", value: b("m") }, true],
    ["VALUE NOT_EQUAL", { key: b("k"), target: "VALUE", result: "NOT_EQUAL", value: b("m") }, false],
    ["VALUE GREATER (bytes)", { key: b("k"), target: "VALUE", result: "GREATER", value: b("l") }, true],
    ["VALUE LESS (bytes)", { key: b("k"), target: "VALUE", result: "LESS", value: b("mm") }, true],
    ["VERSION EQUAL", { key: b("k"), target: "VERSION", result: "EQUAL", version: 2 }, true],
    ["VERSION GREATER", { key: b("k"), target: "VERSION", result: "GREATER", version: 2 }, false],
    ["CREATE EQUAL", { key: b("k"), target: "CREATE", result: "EQUAL", createRevision: 2 }, true],
    ["CREATE LESS", { key: b("k"), target: "CREATE", result: "LESS", createRevision: 3 }, true],
    ["MOD EQUAL", { key: b("k"), target: "MOD", result: "EQUAL", modRevision: 3 }, true],
    ["MOD NOT_EQUAL", { key: b("k"), target: "MOD", result: "NOT_EQUAL", modRevision: 3 }, false],
    ["LEASE EQUAL", { key: b("k"), target: "LEASE", result: "EQUAL", lease: 5n }, true],
    ["LEASE GREATER", { key: b("k"), target: "LEASE", result: "GREATER", lease: 4n }, true],
    // A missing key: version, create, mod and lease are 0; a VALUE compare always fails.
    ["missing: VERSION EQUAL 0", { key: b("x"), target: "VERSION", result: "EQUAL", version: 0 }, true],
    ["missing: CREATE EQUAL 0", { key: b("x"), target: "CREATE", result: "EQUAL", createRevision: 0 }, true],
    ["missing: MOD LESS 1", { key: b("x"), target: "MOD", result: "LESS", modRevision: 1 }, true],
    ["missing: LEASE EQUAL 0", { key: b("x"), target: "LEASE", result: "EQUAL", lease: 0n }, true],
    ["missing: VALUE EQUAL empty", { key: b("x"), target: "VALUE", result: "EQUAL", value: new Uint8Array() }, false],
    ["missing: VALUE NOT_EQUAL", { key: b("x"), target: "VALUE", result: "NOT_EQUAL", value: b("y") }, false],
  ];
  it.each(cases)("%s", (_name, cmp, want) => {
    expect(txn(fixture(), { compare: [cmp] }).succeeded).toBe(want);
  });

  it("over a range: every key must satisfy it", () => {
    const s = new MvccStore();
    for (const k of ["p/a", "p/b", "p/c"]) s.apply({ op: "put", req: { key: b(k), value: b("1") } });
    const all = (v: string): Compare => ({ key: b("p/"), rangeEnd: b("p0"), target: "VALUE", result: "EQUAL", value: b(v) });
    expect(txn(s, { compare: [all("1")] }).succeeded).toBe(true);
    s.apply({ op: "put", req: { key: b("p/b"), value: b("2") } });
    expect(txn(s, { compare: [all("1")] }).succeeded).toBe(false);
    const noneCreated: Compare = { key: b("q/"), rangeEnd: b("q0"), target: "CREATE", result: "EQUAL", createRevision: 0 };
    expect(txn(s, { compare: [noneCreated] }).succeeded).toBe(true);
    const fromKey: Compare = { key: b("p/b"), rangeEnd: Uint8Array.of(0), target: "VERSION", result: "EQUAL", version: 1 };
    expect(txn(s, { compare: [fromKey] }).succeeded).toBe(false); // p/b has version 2
  });

  it("all compares must hold for success", () => {
    const s = fixture();
    const ok: Compare = { key: b("k"), target: "VERSION", result: "EQUAL", version: 2 };
    const bad: Compare = { key: b("k"), target: "VERSION", result: "EQUAL", version: 3 };
    expect(txn(s, { compare: [ok, ok] }).succeeded).toBe(true);
    expect(txn(s, { compare: [ok, bad] }).succeeded).toBe(false);
  });
});

describe("txn ops", () => {
  it("runs the success branch or the failure branch", () => {
    const s = fixture();
    const cmp: Compare = { key: b("k"), target: "VALUE", result: "EQUAL", value: b("m") };
    const res = txn(s, { compare: [cmp], success: [putOp("s", "1")], failure: [putOp("f", "1")] });
    expect(res.succeeded).toBe(true);
    expect(s.get(b("s"))).toBeDefined();
    const res2 = txn(s, { compare: [cmp], success: [putOp("s", "2")], failure: [putOp("f", "1")] });
    expect(res2.succeeded).toBe(true);
    const cmp2: Compare = { key: b("s"), target: "VERSION", result: "EQUAL", version: 1 };
    const res3 = txn(s, { compare: [cmp2], success: [putOp("s", "3")], failure: [putOp("f", "1")] });
    expect(res3.succeeded).toBe(false);
    expect(str(s.get(b("f"))!.value)).toBe("1");
  });

  it("applies all writes at one revision; ops see earlier ops' writes", () => {
    const s = fixture(); // revision 3
    const res = txn(s, {
      success: [rangeOp("n"), putOp("n", "1"), rangeOp("n"), delOp("k"), rangeOp("k"), putOp("o", "2", { prevKv: true })],
    });
    expect(res.header.revision).toBe(4);
    expect(s.revision).toBe(4);
    const [r0, p1, r2, d3, r4, p5] = res.responses;
    expect(r0).toEqual({ responseRange: expect.objectContaining({ kvs: [], count: 0, header: expect.objectContaining({ revision: 3 }) }) });
    expect(p1).toEqual({ responsePut: { header: expect.objectContaining({ revision: 4 }) } });
    if (!r2 || !("responseRange" in r2)) throw new Error("want a range response");
    expect(r2.responseRange.kvs.map(kvText)).toEqual([{ key: "n", value: "1", createRevision: 4, modRevision: 4, version: 1, lease: 0n }]);
    expect(r2.responseRange.header.revision).toBe(4);
    expect(d3).toEqual({ responseDeleteRange: expect.objectContaining({ deleted: 1, header: expect.objectContaining({ revision: 4 }) }) });
    expect(r4).toEqual({ responseRange: expect.objectContaining({ kvs: [], count: 0 }) });
    expect(p5).toEqual({ responsePut: { header: expect.objectContaining({ revision: 4 }) } });
    expect(kvText(s.get(b("n"))!).modRevision).toBe(4);
    expect(kvText(s.get(b("o"))!).modRevision).toBe(4);
  });

  it("takes no revision when nothing changes (reads only, or deletes of nothing)", () => {
    const s = fixture();
    expect(txn(s, { success: [rangeOp("k")] }).header.revision).toBe(3);
    const res = txn(s, { success: [delOp("nothing"), rangeOp("k")] });
    expect(res.header.revision).toBe(3);
    expect(res.responses[0]).toEqual({ responseDeleteRange: expect.objectContaining({ deleted: 0, header: expect.objectContaining({ revision: 3 }) }) });
    expect(s.revision).toBe(3);
    expect(txn(s, {}).header.revision).toBe(3);
  });

  it("a delete that follows a write in the txn answers the txn's revision even when it deletes nothing", () => {
    const s = fixture();
    const res = txn(s, { success: [putOp("a", "1"), delOp("nothing")] });
    expect(res.responses[1]).toEqual({ responseDeleteRange: expect.objectContaining({ deleted: 0, header: expect.objectContaining({ revision: 4 }) }) });
  });

  it("nested txns: compares evaluated against the state before the outer txn", () => {
    const s = fixture();
    const inner: TxnRequest = {
      // Before the txn, "n" does not exist: this holds even though the outer txn creates it first.
      compare: [{ key: b("n"), target: "VERSION", result: "EQUAL", version: 0 }],
      success: [putOp("inner-success", "1"), rangeOp("n")],
      failure: [putOp("inner-failure", "1")],
    };
    const res = txn(s, { success: [putOp("n", "1"), txnOp(inner)] });
    expect(res.succeeded).toBe(true);
    expect(s.get(b("inner-success"))).toBeDefined();
    expect(s.get(b("inner-failure"))).toBeUndefined();
    const nested = res.responses[1];
    if (!nested || !("responseTxn" in nested)) throw new Error("want a txn response");
    expect(nested.responseTxn.succeeded).toBe(true);
    // etcd fills only the outer header; a nested txn's header is all zero.
    expect(nested.responseTxn.header).toEqual({ clusterId: 0n, memberId: 0n, revision: 0, raftTerm: 0 });
    const innerRange = nested.responseTxn.responses[1];
    if (!innerRange || !("responseRange" in innerRange)) throw new Error("want a range response");
    expect(innerRange.responseRange.kvs.map((kv) => str(kv.key))).toEqual(["n"]);
    expect(s.revision).toBe(4);
  });

  it("checks puts against the state before the txn: ignoreValue on a key the txn creates fails", () => {
    const s = fixture();
    const req = { success: [putOp("new", "1"), { requestPut: { key: b("other"), value: new Uint8Array(), ignoreValue: true } }] };
    expect(errorOf(() => txn(s, req))).toBe("etcdserver: key not found");
    expect(s.get(b("new"))).toBeUndefined();
    expect(s.revision).toBe(3);
  });

  it("fails as a whole for an unknown lease, or a compacted or future revision in a read", () => {
    const s = fixture();
    expect(errorOf(() => txn(s, { success: [putOp("a", "1"), putOp("b", "1", { lease: 99n })] }))).toBe(
      "etcdserver: requested lease not found",
    );
    // checked against the revision before the txn: the txn's own revision is still "future"
    expect(errorOf(() => txn(s, { success: [putOp("a", "1"), rangeOp("a", { revision: 4 })] }))).toBe(
      "etcdserver: mvcc: required revision is a future revision",
    );
    s.apply({ op: "compact", revision: 3 });
    expect(errorOf(() => txn(s, { success: [rangeOp("k", { revision: 2 })] }))).toBe(
      "etcdserver: mvcc: required revision has been compacted",
    );
    expect(s.get(b("a"))).toBeUndefined();
    expect(s.revision).toBe(3);
  });

  it("checks only the branch that runs", () => {
    const s = fixture();
    const res = txn(s, {
      compare: [{ key: b("k"), target: "VERSION", result: "EQUAL", version: 2 }],
      success: [putOp("a", "1")],
      failure: [putOp("b", "1", { lease: 99n })],
    });
    expect(res.succeeded).toBe(true);
  });

  it("rolls back a txn that fails half-way (a put needing a key an earlier delete removed)", () => {
    // checkIntervals lets a from-key delete ("\0" range end) pass with a put in the same txn, and
    // the pre-txn check sees the key; etcd itself panics here. The store undoes and reports.
    const s = fixture();
    const req = {
      success: [
        putOp("a", "1"),
        { requestDeleteRange: { key: b("k"), rangeEnd: Uint8Array.of(0) } },
        { requestPut: { key: b("k"), value: new Uint8Array(), ignoreValue: true } },
      ],
    };
    expect(errorOf(() => txn(s, req))).toBe("etcdserver: key not found");
    expect(s.revision).toBe(3);
    expect(s.get(b("a"))).toBeUndefined();
    expect(kvText(s.get(b("k"))!)).toMatchObject({ value: "m", version: 2, lease: 5n });
    expect(s.lease(5n)!.keys.map(str)).toEqual(["k"]);
    expect(s.indexedKeys).toBe(1);
  });

  it("a from-key delete then a put of a deleted key: the put starts a new generation", () => {
    const s = fixture();
    const res = txn(s, { success: [{ requestDeleteRange: { key: b("a"), rangeEnd: Uint8Array.of(0) } }, putOp("k", "new")] });
    expect(res.header.revision).toBe(4);
    expect(kvText(s.get(b("k"))!)).toEqual({ key: "k", value: "new", createRevision: 4, modRevision: 4, version: 1, lease: 0n });
    expect(s.lease(5n)!.keys).toEqual([]);
  });

  it("readTxn serves read-only txns without taking a revision, and refuses writes", () => {
    const s = fixture();
    const res = s.readTxn({ compare: [], success: [rangeOp("k")], failure: [] });
    expect(res.responses).toHaveLength(1);
    expect(s.consistentIndex).toBe(3);
    expect(() => s.readTxn({ compare: [], success: [putOp("a", "1")], failure: [] })).toThrow(/writes/);
  });
});
