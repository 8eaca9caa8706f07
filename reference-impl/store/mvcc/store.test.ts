// MvccStore: revisions, versions, tombstones and ranges, as etcd 3.4 defines them.
import { describe, expect, it } from "vitest";
import { KvError, prefixEnd, type RangeRequest } from "../../../spec/interfaces/kv.ts";
import { MvccStore } from "./store.ts";
import { b, kvText, str } from "./testing.ts";

function put(s: MvccStore, key: string, value: string, extra: { lease?: bigint; prevKv?: boolean } = {}) {
  return s.apply({ op: "put", req: { key: b(key), value: b(value), ...extra } });
}
function del(s: MvccStore, key: string, rangeEnd?: Uint8Array, prevKv = false) {
  return s.apply({ op: "deleteRange", req: { key: b(key), rangeEnd, prevKv } });
}
function keys(s: MvccStore, req: Partial<RangeRequest> & { key: Uint8Array }): string[] {
  return s.range(req).kvs.map((kv) => str(kv.key));
}
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return `${err.code} ${err.message}`;
    throw err;
  }
  return "no error";
}

describe("revisions, versions and tombstones", () => {
  it("starts at revision 1 and gives each put the next revision", () => {
    const s = new MvccStore();
    expect(s.revision).toBe(1);
    expect(s.range({ key: b("a") }).header.revision).toBe(1);
    expect(put(s, "a", "1").header.revision).toBe(2);
    expect(put(s, "b", "1").header.revision).toBe(3);
    expect(put(s, "a", "2").header.revision).toBe(4);
    expect(s.revision).toBe(4);
  });

  it("keeps create revision, bumps mod revision and version, and resets both on delete", () => {
    const s = new MvccStore();
    put(s, "k", "v1"); // 2
    put(s, "k", "v2"); // 3
    expect(kvText(s.get(b("k"))!)).toEqual({ key: "k", value: "v2", createRevision: 2, modRevision: 3, version: 2, lease: 0n });
    expect(del(s, "k").header.revision).toBe(4);
    expect(s.get(b("k"))).toBeUndefined();
    put(s, "k", "v3"); // 5: a new generation
    expect(kvText(s.get(b("k"))!)).toEqual({ key: "k", value: "v3", createRevision: 5, modRevision: 5, version: 1, lease: 0n });
  });

  it("does not take a revision for a delete that removes nothing", () => {
    const s = new MvccStore();
    put(s, "a", "1");
    const res = del(s, "zzz");
    expect(res).toMatchObject({ deleted: 0, prevKvs: [], header: { revision: 2 } });
    expect(s.revision).toBe(2);
  });

  it("deletes a range in one revision and returns the previous values on request", () => {
    const s = new MvccStore();
    for (const k of ["a", "b", "c", "d"]) put(s, k, k.toUpperCase());
    const res = del(s, "b", b("d"), true);
    expect(res.deleted).toBe(2);
    expect(res.header.revision).toBe(6);
    expect(res.prevKvs.map(kvText).map((kv) => [kv.key, kv.value, kv.modRevision])).toEqual([
      ["b", "B", 3],
      ["c", "C", 4],
    ]);
    expect(keys(s, { key: b("a"), rangeEnd: b("z") })).toEqual(["a", "d"]);
  });

  it("returns the previous value of a put only when asked", () => {
    const s = new MvccStore();
    expect(put(s, "k", "1", { prevKv: true }).prevKv).toBeUndefined();
    expect(put(s, "k", "2").prevKv).toBeUndefined();
    expect(kvText(put(s, "k", "3", { prevKv: true }).prevKv!)).toMatchObject({ value: "2", version: 2 });
  });

  it("keeps its own copy of keys and values", () => {
    const s = new MvccStore();
    const key = b("k");
    const value = b("v");
    s.apply({ op: "put", req: { key, value } });
    key[0] = 0x78;
    value[0] = 0x78;
    expect(str(s.get(b("k"))!.value)).toBe("v");
  });

  it("ignoreValue keeps the value, ignoreLease keeps the lease; both need the key", () => {
    const s = new MvccStore();
    s.apply({ op: "leaseGrant", id: 7n, ttlSeconds: 60 });
    put(s, "k", "v", { lease: 7n });
    s.apply({ op: "put", req: { key: b("k"), value: new Uint8Array(), ignoreValue: true } });
    expect(kvText(s.get(b("k"))!)).toMatchObject({ value: "v", lease: 0n, version: 2 });
    put(s, "k", "w", { lease: 7n });
    s.apply({ op: "put", req: { key: b("k"), value: b("x"), ignoreLease: true } });
    expect(kvText(s.get(b("k"))!)).toMatchObject({ value: "x", lease: 7n, version: 4 });
    expect(errorOf(() => s.apply({ op: "put", req: { key: b("nope"), value: new Uint8Array(), ignoreValue: true } }))).toBe(
      "INVALID_ARGUMENT etcdserver: key not found",
    );
    expect(errorOf(() => s.apply({ op: "put", req: { key: b("nope"), value: b("v"), ignoreLease: true } }))).toBe(
      "INVALID_ARGUMENT etcdserver: key not found",
    );
    expect(s.revision).toBe(5); // the grant took none, the failed puts none
  });
});

describe("range", () => {
  function fixture(): MvccStore {
    const s = new MvccStore();
    // revisions 2..7
    for (const [k, v] of [
      ["a", "3"],
      ["b", "1"],
      ["ba", "2"],
      ["bb", "1"],
      ["c", "0"],
    ]) {
      put(s, k!, v!);
    }
    put(s, "b", "9"); // 7: b version 2
    return s;
  }

  it.each([
    ["a single key", { key: b("b") }, ["b"]],
    ["a missing single key", { key: b("bc") }, []],
    ["[key, rangeEnd)", { key: b("b"), rangeEnd: b("c") }, ["b", "ba", "bb"]],
    ["a prefix", { key: b("b"), rangeEnd: prefixEnd(b("b")) }, ["b", "ba", "bb"]],
    ["rangeEnd \\0: every key >= key", { key: b("bb"), rangeEnd: Uint8Array.of(0) }, ["bb", "c"]],
    ["key \\0 and rangeEnd \\0: every key", { key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0) }, ["a", "b", "ba", "bb", "c"]],
    ["an inverted range: nothing", { key: b("c"), rangeEnd: b("a") }, []],
    ["an empty range end: the single key", { key: b("a"), rangeEnd: new Uint8Array() }, ["a"]],
  ])("selects %s", (_name, req, want) => {
    expect(keys(fixture(), req)).toEqual(want);
  });

  it("compares keys as bytes", () => {
    const s = new MvccStore();
    for (const k of [Uint8Array.of(0xff), Uint8Array.of(0x01), Uint8Array.of(0x7f, 0x00), Uint8Array.of(0x7f)]) {
      s.apply({ op: "put", req: { key: k, value: b("") } });
    }
    const got = s.range({ key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0) }).kvs.map((kv) => [...kv.key]);
    expect(got).toEqual([[0x01], [0x7f], [0x7f, 0x00], [0xff]]);
  });

  it("limits, reporting more and the full count", () => {
    const s = fixture();
    const res = s.range({ key: b("a"), rangeEnd: b("z"), limit: 2 });
    expect(res.kvs.map((kv) => str(kv.key))).toEqual(["a", "b"]);
    expect(res.more).toBe(true);
    expect(res.count).toBe(5);
    const all = s.range({ key: b("a"), rangeEnd: b("z"), limit: 5 });
    expect(all.more).toBe(false);
    expect(all.kvs).toHaveLength(5);
  });

  it("treats a negative limit as no limit", () => {
    const res = fixture().range({ key: b("a"), rangeEnd: b("z"), limit: -1 });
    expect(res.kvs).toHaveLength(5);
    expect(res.more).toBe(false);
  });

  it("counts only: no kvs, more false, count of the whole range", () => {
    const res = fixture().range({ key: b("a"), rangeEnd: b("z"), countOnly: true, limit: 1 });
    expect(res).toMatchObject({ kvs: [], more: false, count: 5 });
  });

  it("returns keys only with empty values but the other fields", () => {
    const res = fixture().range({ key: b("b"), keysOnly: true });
    expect(kvText(res.kvs[0]!)).toEqual({ key: "b", value: "", createRevision: 3, modRevision: 7, version: 2, lease: 0n });
  });

  it.each([
    ["KEY DESCEND", { sortTarget: "KEY", sortOrder: "DESCEND" }, ["c", "bb", "ba", "b", "a"]],
    ["KEY ASCEND", { sortTarget: "KEY", sortOrder: "ASCEND" }, ["a", "b", "ba", "bb", "c"]],
    ["VALUE with order NONE sorts ascending", { sortTarget: "VALUE" }, ["c", "bb", "ba", "a", "b"]],
    ["VALUE DESCEND", { sortTarget: "VALUE", sortOrder: "DESCEND" }, ["b", "a", "ba", "bb", "c"]],
    ["VERSION DESCEND, ties in key order", { sortTarget: "VERSION", sortOrder: "DESCEND" }, ["b", "a", "ba", "bb", "c"]],
    ["CREATE DESCEND", { sortTarget: "CREATE", sortOrder: "DESCEND" }, ["c", "bb", "ba", "b", "a"]],
    ["MOD ASCEND", { sortTarget: "MOD", sortOrder: "ASCEND" }, ["a", "ba", "bb", "c", "b"]],
  ] as const)("sorts by %s", (_name, sort, want) => {
    expect(keys(fixture(), { key: b("a"), rangeEnd: b("z"), ...sort })).toEqual(want);
  });

  it("with order NONE and another target, limits in key order first, then sorts (as etcd)", () => {
    // etcd fetches limit+1 keys by key, sorts them, then cuts to the limit.
    const res = fixture().range({ key: b("a"), rangeEnd: b("z"), sortTarget: "VALUE", limit: 2 });
    expect(res.kvs.map((kv) => str(kv.key))).toEqual(["ba", "a"]);
    expect(res.more).toBe(true);
  });

  it("with an explicit order, sorts everything then limits", () => {
    const res = fixture().range({ key: b("a"), rangeEnd: b("z"), sortTarget: "VALUE", sortOrder: "ASCEND", limit: 2 });
    expect(res.kvs.map((kv) => str(kv.key))).toEqual(["c", "bb"]);
    expect(res.more).toBe(true);
    expect(res.count).toBe(5);
  });

  it.each([
    ["minModRevision", { minModRevision: 5 }, ["bb", "c", "b"].sort()],
    ["maxModRevision", { maxModRevision: 4 }, ["a", "ba"]],
    ["minCreateRevision", { minCreateRevision: 4 }, ["ba", "bb", "c"]],
    ["maxCreateRevision", { maxCreateRevision: 3 }, ["a", "b"]],
    ["min and max mod together", { minModRevision: 4, maxModRevision: 5 }, ["ba", "bb"]],
  ])("filters by %s (count still covers the whole range)", (_name, filter, want) => {
    const res = fixture().range({ key: b("a"), rangeEnd: b("z"), ...filter });
    expect(res.kvs.map((kv) => str(kv.key))).toEqual(want);
    expect(res.count).toBe(5);
  });

  it("reads past revisions, and the header carries the current revision", () => {
    const s = fixture();
    const at3 = s.range({ key: b("a"), rangeEnd: b("z"), revision: 3 });
    expect(at3.kvs.map(kvText).map((kv) => [kv.key, kv.value])).toEqual([
      ["a", "3"],
      ["b", "1"],
    ]);
    expect(at3.header.revision).toBe(7);
    expect(str(s.range({ key: b("b"), revision: 6 }).kvs[0]!.value)).toBe("1");
    expect(s.range({ key: b("b"), revision: 1 }).kvs).toEqual([]);
    del(s, "b"); // 8
    expect(s.range({ key: b("b") }).kvs).toEqual([]);
    expect(str(s.range({ key: b("b"), revision: 7 }).kvs[0]!.value)).toBe("9");
  });

  it("fails for a future revision", () => {
    const s = fixture();
    expect(errorOf(() => s.range({ key: b("a"), revision: 8 }))).toBe(
      "OUT_OF_RANGE etcdserver: mvcc: required revision is a future revision",
    );
    expect(s.range({ key: b("a"), revision: 7 }).kvs).toHaveLength(1);
  });
});
