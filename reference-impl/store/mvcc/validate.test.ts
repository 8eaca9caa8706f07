// The stateless checks etcd's gRPC layer makes, and the raft request size estimate.
import { describe, expect, it } from "vitest";
import { KvError, KvLimits, type RequestOp, type TxnRequest } from "../../../spec/interfaces/kv.ts";
import { raftRequestBytes } from "./request-size.ts";
import { b } from "./testing.ts";
import { checkIntervals, checkPutRequest, checkTxn, checkWriteCommand, isTxnReadonly } from "./validate.ts";

const put = (key: string): RequestOp => ({ requestPut: { key: b(key), value: b("v") } });
const del = (key: string, rangeEnd?: Uint8Array | string): RequestOp => ({
  requestDeleteRange: { key: b(key), rangeEnd: typeof rangeEnd === "string" ? b(rangeEnd) : rangeEnd },
});
const range = (key: string): RequestOp => ({ requestRange: { key: b(key) } });
const nested = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => ({ requestTxn: { compare: [], success, failure } });
const txn = (success: RequestOp[], failure: RequestOp[] = []): TxnRequest => ({ compare: [], success, failure });

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return `${err.code} ${err.message}`;
    throw err;
  }
  return "ok";
}

describe("request checks", () => {
  it.each([
    ["an empty key", { key: new Uint8Array(), value: b("v") }, "INVALID_ARGUMENT etcdserver: key is not provided"],
    ["ignoreValue with a value", { key: b("k"), value: b("v"), ignoreValue: true }, "INVALID_ARGUMENT etcdserver: value is provided"],
    ["ignoreLease with a lease", { key: b("k"), value: b("v"), ignoreLease: true, lease: 3n }, "INVALID_ARGUMENT etcdserver: lease is provided"],
    ["ignoreValue without a value", { key: b("k"), value: new Uint8Array(), ignoreValue: true }, "ok"],
  ])("put: %s", (_name, req, want) => {
    expect(errorOf(() => checkPutRequest(req))).toBe(want);
  });

  it("rejects empty keys in every txn op and compare, nested too", () => {
    const empty = new Uint8Array();
    expect(errorOf(() => checkTxn(txn([{ requestRange: { key: empty } }])))).toMatch(/key is not provided/);
    expect(errorOf(() => checkTxn(txn([], [{ requestDeleteRange: { key: empty } }])))).toMatch(/key is not provided/);
    expect(errorOf(() => checkTxn(txn([nested([{ requestPut: { key: empty, value: b("") } }])])))).toMatch(/key is not provided/);
    const cmp: TxnRequest = { compare: [{ key: empty, target: "VERSION", result: "EQUAL", version: 0 }], success: [], failure: [] };
    expect(errorOf(() => checkTxn(cmp))).toMatch(/key is not provided/);
  });

  it("an op with no request set is 'key not found', as etcd answers", () => {
    expect(errorOf(() => checkTxn(txn([{} as RequestOp])))).toBe("INVALID_ARGUMENT etcdserver: key not found");
  });

  it("allows 128 ops per list, not 129; a nested txn gets what its parent leaves", () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => range(`k${i}`));
    expect(errorOf(() => checkTxn(txn(ops(128), ops(128))))).toBe("ok");
    expect(errorOf(() => checkTxn(txn(ops(129))))).toBe("INVALID_ARGUMENT etcdserver: too many operations in txn request");
    const cmps = Array.from({ length: 129 }, () => ({ key: b("k"), target: "VERSION" as const, result: "EQUAL" as const, version: 0 }));
    expect(errorOf(() => checkTxn({ compare: cmps, success: [], failure: [] }))).toMatch(/too many operations/);
    // parent has 100 ops: a nested txn may have 28
    expect(errorOf(() => checkTxn(txn([...ops(99), nested(ops(28))])))).toBe("ok");
    expect(errorOf(() => checkTxn(txn([...ops(99), nested(ops(29))])))).toMatch(/too many operations/);
    expect(errorOf(() => checkTxn(txn(ops(10)), 10))).toBe("ok");
  });
});

describe("duplicate keys in a txn (etcd's checkIntervals)", () => {
  const dup = "INVALID_ARGUMENT etcdserver: duplicate key given in txn request";
  it.each<[string, RequestOp[], string]>([
    ["two puts of one key", [put("a"), put("a")], dup],
    ["a put and a delete of it", [put("a"), del("a")], dup],
    ["a delete then a put of it", [del("a"), put("a")], dup],
    ["a put inside a deleted range", [del("a", "c"), put("b")], dup],
    ["a put at the range end (outside)", [del("a", "c"), put("c")], "ok"],
    ["two deletes overlapping", [del("a", "c"), del("b", "d")], "ok"],
    ["a put and a read of it", [put("a"), range("a")], "ok"],
    ["a nested put of a key the parent puts", [nested([put("a")]), put("a")], dup],
    ["a nested put inside the parent's delete", [del("a", "z"), nested([put("b")])], dup],
    ["a parent put inside a nested delete", [nested([del("a", "z")]), put("b")], dup],
    ["the same key in a nested txn's two branches", [nested([put("a")], [put("a")])], "ok"],
    ["the same key in two nested txns", [nested([put("a")]), nested([put("a")])], dup],
    ["a nested delete, then a later nested put", [nested([del("a")]), nested([put("a")])], dup],
    // etcd quirks, kept: a from-key delete (range end "\0") is an inverted interval that conflicts
    // with nothing, and a nested put is not checked against deletes of later nested txns.
    ["a from-key delete and a put", [del("a", Uint8Array.of(0)), put("b")], "ok"],
    ["a nested put, then a later nested delete", [nested([put("a")]), nested([del("a")])], "ok"],
  ])("%s", (_name, ops, want) => {
    expect(errorOf(() => checkIntervals(ops))).toBe(want);
  });

  it("checks the success and failure lists separately", () => {
    expect(errorOf(() => checkTxn(txn([put("a")], [put("a")])))).toBe("ok");
    expect(errorOf(() => checkTxn(txn([put("a")], [put("b"), put("b")])))).toBe(dup);
  });
});

describe("read-only txns", () => {
  it.each<[string, TxnRequest, boolean]>([
    ["ranges only", txn([range("a")], [range("b")]), true],
    ["empty", txn([]), true],
    ["a put in failure", txn([range("a")], [put("b")]), false],
    ["a nested txn of reads", txn([nested([range("a")])]), false],
  ])("%s", (_name, t, want) => {
    expect(isTxnReadonly(t)).toBe(want);
  });
});

describe("request size", () => {
  it("is the protobuf size of the raft entry: key and value plus a few bytes", () => {
    const value = new Uint8Array(1000);
    const n = raftRequestBytes({ op: "put", req: { key: b("key"), value } });
    // put body: key (1+1+3) + value (1+2+1000) = 1008; wrapped (1+2) plus the 13-byte header
    expect(n).toBe(13 + 1 + 2 + 1008);
  });

  it("rejects a write whose entry exceeds 1.5 MiB, accepts one just under", () => {
    const limit = KvLimits.maxRequestBytes;
    const big = { op: "put" as const, req: { key: b("k"), value: new Uint8Array(limit) } };
    expect(errorOf(() => checkWriteCommand(big))).toBe("INVALID_ARGUMENT etcdserver: request is too large");
    const ok = { op: "put" as const, req: { key: b("k"), value: new Uint8Array(limit - 64) } };
    expect(errorOf(() => checkWriteCommand(ok))).toBe("ok");
  });

  it("counts every op of a txn", () => {
    const half = new Uint8Array(KvLimits.maxRequestBytes / 2);
    const t = txn([{ requestPut: { key: b("a"), value: half } }], [{ requestPut: { key: b("b"), value: half } }]);
    expect(errorOf(() => checkWriteCommand({ op: "txn", req: t }))).toMatch(/request is too large/);
  });
});
