// Store conformance: Txn — compares (every target × result, missing keys, ranges), success and
// failure branches, reads inside a txn, nested txns, atomicity (one revision). Expectations are
// real etcd 3.4's.
import { describe, expect, it } from "vitest";
import type { Compare, CompareResult, RequestOp, ResponseOp, TxnResponse } from "../../spec/interfaces/kv.ts";
import { prefixEnd } from "../../spec/interfaces/kv.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend, view } from "./fixture.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A compare without its key: the target, the result and the operand. */
type CompareSpec = DistributiveOmit<Compare, "key" | "rangeEnd">;

const RESULTS: CompareResult[] = ["EQUAL", "NOT_EQUAL", "LESS", "GREATER"];
/** Whether `result` holds for actual vs (below, equal, above) the actual value. */
const EXPECTED: Record<CompareResult, [boolean, boolean, boolean]> = {
  EQUAL: [false, true, false],
  NOT_EQUAL: [true, false, true],
  // LESS / GREATER read "actual < target" / "actual > target".
  LESS: [false, false, true],
  GREATER: [true, false, false],
};

function range(resp: ResponseOp | undefined) {
  if (!resp || !("responseRange" in resp)) throw new Error(`expected a range response, got ${JSON.stringify(Object.keys(resp ?? {}))}`);
  return resp.responseRange;
}
function putResp(resp: ResponseOp | undefined) {
  if (!resp || !("responsePut" in resp)) throw new Error(`expected a put response, got ${JSON.stringify(Object.keys(resp ?? {}))}`);
  return resp.responsePut;
}
function delResp(resp: ResponseOp | undefined) {
  if (!resp || !("responseDeleteRange" in resp)) throw new Error(`expected a delete response, got ${JSON.stringify(Object.keys(resp ?? {}))}`);
  return resp.responseDeleteRange;
}
function txnResp(resp: ResponseOp | undefined): TxnResponse {
  if (!resp || !("responseTxn" in resp)) throw new Error(`expected a txn response, got ${JSON.stringify(Object.keys(resp ?? {}))}`);
  return resp.responseTxn;
}

describe.each(storeBackends)("store conformance, txn: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("compares every target with every result against an existing key", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const { ID: lease } = await kv.leaseGrant({ TTL: 600 });
    try {
      const x = keys.key("x");
      const r1 = (await kv.put({ key: x, value: b("m") })).header.revision;
      const r2 = (await kv.put({ key: x, value: b("m"), lease })).header.revision;
      // The key now has version 2, createRevision r1, modRevision r2, value "m", lease `lease`.
      const cases: Array<{ name: string; make: (i: 0 | 1 | 2) => DistributiveOmit<CompareSpec, "result"> }> = [
        { name: "VERSION", make: (i) => ({ target: "VERSION", version: 1 + i }) },
        { name: "CREATE", make: (i) => ({ target: "CREATE", createRevision: r1 - 1 + i }) },
        { name: "MOD", make: (i) => ({ target: "MOD", modRevision: r2 - 1 + i }) },
        { name: "VALUE", make: (i) => ({ target: "VALUE", value: b(["l", "m", "n"][i]!) }) },
        { name: "LEASE", make: (i) => ({ target: "LEASE", lease: lease - 1n + BigInt(i) }) },
      ];
      const failures: string[] = [];
      for (const { name, make } of cases) {
        for (const result of RESULTS) {
          for (const i of [0, 1, 2] as const) {
            const compare: Compare = { ...make(i), key: x, result };
            const got = await kv.txn({ compare: [compare], success: [], failure: [] });
            if (got.succeeded !== EXPECTED[result][i]) failures.push(`${name} ${result} ${["below", "equal", "above"][i]}: got ${got.succeeded}`);
            if (got.header.revision !== r2) failures.push(`${name} ${result}: a txn without ops moved the revision to ${got.header.revision}`);
          }
        }
      }
      expect(failures).toEqual([]);
    } finally {
      await kv.leaseRevoke(lease);
    }
  });

  it("a missing key compares as zero for version/create/mod/lease, and every value compare fails", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const missing = keys.key("missing");
    const check = async (compare: CompareSpec) => (await kv.txn({ compare: [{ ...compare, key: missing }], success: [], failure: [] })).succeeded;
    expect(await check({ target: "VERSION", result: "EQUAL", version: 0 })).toBe(true);
    expect(await check({ target: "CREATE", result: "EQUAL", createRevision: 0 })).toBe(true);
    expect(await check({ target: "MOD", result: "EQUAL", modRevision: 0 })).toBe(true);
    expect(await check({ target: "LEASE", result: "EQUAL", lease: 0n })).toBe(true);
    expect(await check({ target: "VERSION", result: "LESS", version: 1 })).toBe(true);
    expect(await check({ target: "MOD", result: "GREATER", modRevision: 0 })).toBe(false);
    expect(await check({ target: "CREATE", result: "NOT_EQUAL", createRevision: 5 })).toBe(true);
    // etcd: "always fail if comparing a value on a key that doesn't exist".
    expect(await check({ target: "VALUE", result: "EQUAL", value: new Uint8Array() })).toBe(false);
    expect(await check({ target: "VALUE", result: "NOT_EQUAL", value: b("x") })).toBe(false);
    expect(await check({ target: "VALUE", result: "LESS", value: b("z") })).toBe(false);
    expect(await check({ target: "VALUE", result: "GREATER", value: new Uint8Array() })).toBe(false);
  });

  it("a compare over a range holds only when it holds for every key in the range", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("r/a"), value: b("1") });
    await kv.put({ key: keys.key("r/b"), value: b("2") });
    await kv.put({ key: keys.key("r/b"), value: b("2") });
    const over = (prefix: string) => ({ key: keys.key(prefix), rangeEnd: prefixEnd(keys.key(prefix)) });
    const check = async (prefix: string, compare: CompareSpec) =>
      (await kv.txn({ compare: [{ ...compare, ...over(prefix) }], success: [], failure: [] })).succeeded;
    expect(await check("r/", { target: "VERSION", result: "GREATER", version: 0 })).toBe(true);
    expect(await check("r/", { target: "VERSION", result: "EQUAL", version: 1 })).toBe(false);
    expect(await check("r/", { target: "VALUE", result: "LESS", value: b("3") })).toBe(true);
    expect(await check("r/", { target: "VALUE", result: "LESS", value: b("2") })).toBe(false);
    expect(await check("r/", { target: "VALUE", result: "NOT_EQUAL", value: b("1") })).toBe(false);
    // An empty range compares like a missing key.
    expect(await check("none/", { target: "VERSION", result: "EQUAL", version: 0 })).toBe(true);
    expect(await check("none/", { target: "VALUE", result: "EQUAL", value: new Uint8Array() })).toBe(false);
  });

  it("all compares must hold (logical AND)", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("a"), value: b("1") });
    const holds: Compare = { key: keys.key("a"), target: "VALUE", result: "EQUAL", value: b("1") };
    const fails: Compare = { key: keys.key("a"), target: "VERSION", result: "GREATER", version: 1 };
    expect((await kv.txn({ compare: [holds, holds], success: [], failure: [] })).succeeded).toBe(true);
    expect((await kv.txn({ compare: [holds, fails], success: [], failure: [] })).succeeded).toBe(false);
    expect((await kv.txn({ compare: [fails, holds], success: [], failure: [] })).succeeded).toBe(false);
    expect((await kv.txn({ compare: [], success: [], failure: [] })).succeeded).toBe(true);
  });

  it("runs the success branch when the compares hold and the failure branch otherwise", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const createIfMissing = (value: string): Parameters<typeof kv.txn>[0] => ({
      compare: [{ key: keys.key("lock"), target: "CREATE", result: "EQUAL", createRevision: 0 }],
      success: [{ requestPut: { key: keys.key("lock"), value: b(value) } }],
      failure: [{ requestRange: { key: keys.key("lock") } }],
    });
    const first = await kv.txn(createIfMissing("owner-1"));
    expect(first.succeeded).toBe(true);
    expect(putResp(first.responses[0]).header.revision).toBe(first.header.revision);
    const second = await kv.txn(createIfMissing("owner-2"));
    expect(second.succeeded).toBe(false);
    expect(second.header.revision).toBe(first.header.revision);
    const held = range(second.responses[0]);
    expect(held.kvs.map(view)).toEqual([
      { key: keys.prefix + "lock", value: "owner-1", createRevision: first.header.revision, modRevision: first.header.revision, version: 1, lease: 0n },
    ]);
  });

  it("all writes of a txn share one new revision; reads see the writes made earlier in the same txn", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("old"), value: b("0") })).header.revision;
    const ops: RequestOp[] = [
      { requestRange: { key: keys.key("a") } },
      { requestPut: { key: keys.key("a"), value: b("1") } },
      { requestPut: { key: keys.key("b"), value: b("2"), prevKv: true } },
      { requestRange: { ...keys.all() } },
      { requestDeleteRange: { key: keys.key("old"), prevKv: true } },
      { requestRange: { ...keys.all() } },
    ];
    const got = await kv.txn({ compare: [], success: ops, failure: [] });
    const r1 = r0 + 1;
    expect(got).toMatchObject({ succeeded: true, header: { revision: r1 } });
    expect(got.responses).toHaveLength(6);
    // Before the first write the txn reads at the old revision; after it, at the new one.
    expect(range(got.responses[0])).toMatchObject({ kvs: [], count: 0, header: { revision: r0 } });
    expect(putResp(got.responses[1]).header.revision).toBe(r1);
    expect(putResp(got.responses[2]).prevKv).toBeUndefined();
    const mid = range(got.responses[3]);
    expect(mid.header.revision).toBe(r1);
    expect(mid.kvs.map(view)).toEqual([
      { key: keys.prefix + "a", value: "1", createRevision: r1, modRevision: r1, version: 1, lease: 0n },
      { key: keys.prefix + "b", value: "2", createRevision: r1, modRevision: r1, version: 1, lease: 0n },
      { key: keys.prefix + "old", value: "0", createRevision: r0, modRevision: r0, version: 1, lease: 0n },
    ]);
    const del = delResp(got.responses[4]);
    expect(del.deleted).toBe(1);
    expect(del.header.revision).toBe(r1);
    expect(del.prevKvs.map((k) => keys.name(k.key))).toEqual(["old"]);
    expect(range(got.responses[5]).kvs.map((k) => keys.name(k.key))).toEqual(["a", "b"]);
    // Afterwards every key written by the txn carries the txn's revision.
    const after = await kv.range(keys.all());
    expect(after.header.revision).toBe(r1);
    expect(after.kvs.map((k) => [keys.name(k.key), k.modRevision])).toEqual([["a", r1], ["b", r1]]);
  });

  it("a txn of reads only, or of deletes of missing keys, does not create a revision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const reads = await kv.txn({ compare: [], success: [{ requestRange: { key: keys.key("a") } }], failure: [] });
    expect(reads.header.revision).toBe(r0);
    // etcd counts any write op as a change, but a delete that deletes nothing writes nothing.
    const noop = await kv.txn({ compare: [], success: [{ requestDeleteRange: { key: keys.key("missing") } }], failure: [] });
    expect(noop.header.revision).toBe(r0);
    expect(delResp(noop.responses[0]).deleted).toBe(0);
    expect((await kv.range({ key: keys.key("a") })).header.revision).toBe(r0);
  });

  it("a txn may put a key and read it, and delete a range twice", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("d/1"), value: b("1") });
    const got = await kv.txn({
      compare: [],
      success: [
        { requestPut: { key: keys.key("a"), value: b("1") } },
        { requestRange: { key: keys.key("a") } },
        { requestDeleteRange: { key: keys.key("d/"), rangeEnd: prefixEnd(keys.key("d/")) } },
        { requestDeleteRange: { key: keys.key("d/1") } },
      ],
      failure: [],
    });
    expect(got.succeeded).toBe(true);
    expect(range(got.responses[1]).kvs.map((k) => str(k.value))).toEqual(["1"]);
    expect(delResp(got.responses[2]).deleted).toBe(1);
    expect(delResp(got.responses[3]).deleted).toBe(0);
  });

  it("nested txns run in order; their compares see the store as it was before the outer txn", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("seed"), value: b("0") })).header.revision;
    const got = await kv.txn({
      compare: [],
      success: [
        { requestPut: { key: keys.key("x"), value: b("1") } },
        {
          requestTxn: {
            // "x" was just written by the outer txn, yet etcd 3.4 evaluates every compare of the
            // txn tree before the first op runs: here "x" still does not exist.
            compare: [{ key: keys.key("x"), target: "VERSION", result: "EQUAL", version: 0 }],
            success: [
              { requestRange: { key: keys.key("x") } },
              { requestPut: { key: keys.key("y"), value: b("from-inner-success") } },
            ],
            failure: [{ requestPut: { key: keys.key("y"), value: b("from-inner-failure") } }],
          },
        },
        {
          requestTxn: {
            compare: [{ key: keys.key("seed"), target: "VALUE", result: "EQUAL", value: b("no") }],
            success: [],
            failure: [{ requestRange: { key: keys.key("seed") } }],
          },
        },
      ],
      failure: [],
    });
    const r1 = r0 + 1;
    expect(got).toMatchObject({ succeeded: true, header: { revision: r1 } });
    const inner = txnResp(got.responses[1]);
    expect(inner.succeeded).toBe(true);
    expect(range(inner.responses[0]).kvs.map(view)).toEqual([
      { key: keys.prefix + "x", value: "1", createRevision: r1, modRevision: r1, version: 1, lease: 0n },
    ]);
    expect(putResp(inner.responses[1]).header.revision).toBe(r1);
    const second = txnResp(got.responses[2]);
    expect(second.succeeded).toBe(false);
    expect(range(second.responses[0]).kvs.map((k) => str(k.value))).toEqual(["0"]);
    const after = await kv.range(keys.all());
    expect(after.kvs.map((k) => [keys.name(k.key), str(k.value), k.modRevision])).toEqual([
      ["seed", "0", r0],
      ["x", "1", r1],
      ["y", "from-inner-success", r1],
    ]);
  });

  it("put with prevKv inside a txn returns the previous key-value", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("a"), value: b("old") })).header.revision;
    const got = await kv.txn({ compare: [], success: [{ requestPut: { key: keys.key("a"), value: b("new"), prevKv: true } }], failure: [] });
    expect(view(putResp(got.responses[0]).prevKv!)).toEqual({
      key: keys.prefix + "a",
      value: "old",
      createRevision: r0,
      modRevision: r0,
      version: 1,
      lease: 0n,
    });
  });

  it("a failed txn changes nothing: an error in the chosen branch rejects the whole txn", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    await expect(
      kv.txn({
        compare: [],
        success: [
          { requestPut: { key: keys.key("a"), value: b("2") } },
          // ignoreValue on a missing key: etcd rejects the txn before applying any op.
          { requestPut: { key: keys.key("missing"), value: new Uint8Array(), ignoreValue: true } },
        ],
        failure: [],
      }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: "etcdserver: key not found" });
    const after = await kv.range(keys.all());
    expect(after.header.revision).toBe(r0);
    expect(after.kvs.map((k) => str(k.value))).toEqual(["1"]);
    // The same op in the branch not taken is not checked.
    const ok = await kv.txn({
      compare: [{ key: keys.key("a"), target: "VALUE", result: "EQUAL", value: b("1") }],
      success: [],
      failure: [{ requestPut: { key: keys.key("missing"), value: new Uint8Array(), ignoreValue: true } }],
    });
    expect(ok.succeeded).toBe(true);
  });
});
