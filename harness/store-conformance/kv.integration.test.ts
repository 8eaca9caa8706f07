// Store conformance: revisions and versions, Range (keys, prefixes, from-key, all, past revisions,
// limit, count, keys-only, sorting, revision filters), Put options and DeleteRange. Every backend
// must give exactly these answers; the expectations are real etcd 3.4's.
import { describe, expect, it } from "vitest";
import { prefixEnd, type SortOrder, type SortTarget } from "../../spec/interfaces/kv.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend, view } from "./fixture.ts";

const ALL_KEYS = { key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0) };

describe.each(storeBackends)("store conformance, key-value: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("a put creates a key with createRevision = modRevision = the new revision and version 1", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const before = (await kv.range({ key: keys.key("a") })).header.revision;
    const put = await kv.put({ key: keys.key("a"), value: b("v1") });
    expect(put.header.revision).toBe(before + 1);
    expect(put.prevKv).toBeUndefined();
    const got = await kv.range({ key: keys.key("a") });
    expect(got.header.revision).toBe(put.header.revision);
    expect(got.count).toBe(1);
    expect(got.more).toBe(false);
    expect(got.kvs.map(view)).toEqual([
      { key: keys.prefix + "a", value: "v1", createRevision: put.header.revision, modRevision: put.header.revision, version: 1, lease: 0n },
    ]);
  });

  it("an overwrite keeps createRevision and bumps modRevision and version", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("v1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("a"), value: b("v2") })).header.revision;
    const r3 = (await kv.put({ key: keys.key("a"), value: b("v2") })).header.revision;
    expect([r2, r3]).toEqual([r1 + 1, r1 + 2]);
    const [kvA] = (await kv.range({ key: keys.key("a") })).kvs;
    expect(view(kvA!)).toEqual({ key: keys.prefix + "a", value: "v2", createRevision: r1, modRevision: r3, version: 3, lease: 0n });
  });

  it("a delete resets the version; the next put recreates the key with a new createRevision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("v1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("a"), value: b("v2") })).header.revision;
    const del = await kv.deleteRange({ key: keys.key("a") });
    expect(del.deleted).toBe(1);
    const r3 = del.header.revision;
    expect(r3).toBe(r2 + 1);
    expect((await kv.range({ key: keys.key("a") })).kvs).toEqual([]);
    const r4 = (await kv.put({ key: keys.key("a"), value: b("v3") })).header.revision;
    const [now] = (await kv.range({ key: keys.key("a") })).kvs;
    expect(view(now!)).toEqual({ key: keys.prefix + "a", value: "v3", createRevision: r4, modRevision: r4, version: 1, lease: 0n });

    // The history stays readable at every revision.
    const at = async (revision: number) => (await kv.range({ key: keys.key("a"), revision })).kvs.map(view);
    expect(await at(r1)).toEqual([{ key: keys.prefix + "a", value: "v1", createRevision: r1, modRevision: r1, version: 1, lease: 0n }]);
    expect(await at(r2)).toEqual([{ key: keys.prefix + "a", value: "v2", createRevision: r1, modRevision: r2, version: 2, lease: 0n }]);
    expect(await at(r3)).toEqual([]);
    expect(await at(r4)).toEqual([{ key: keys.prefix + "a", value: "v3", createRevision: r4, modRevision: r4, version: 1, lease: 0n }]);
    expect(await at(r1 - 1)).toEqual([]);
  });

  it("a read at a past revision answers with the current revision in its header", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("v1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("b"), value: b("v1") })).header.revision;
    const past = await kv.range({ ...keys.all(), revision: r1 });
    expect(past.header.revision).toBe(r2);
    expect(past.kvs.map((k) => keys.name(k.key))).toEqual(["a"]);
    expect(past.count).toBe(1);
  });

  it("deleting a missing key deletes nothing and does not create a revision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("present"), value: b("x") })).header.revision;
    const del = await kv.deleteRange({ key: keys.key("missing"), prevKv: true });
    expect(del).toMatchObject({ deleted: 0, prevKvs: [] });
    expect(del.header.revision).toBe(r1);
    expect((await kv.range({ key: keys.key("present") })).header.revision).toBe(r1);
  });

  it("a prefix range returns exactly the keys with that prefix, in key order", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    for (const name of ["c", "a", "b/1", "b", "b0"]) await kv.put({ key: keys.key(name), value: b(name) });
    const prefixB = await kv.range({ key: keys.key("b"), rangeEnd: prefixEnd(keys.key("b")) });
    expect(prefixB.kvs.map((k) => keys.name(k.key))).toEqual(["b", "b/1", "b0"]);
    expect(prefixB.count).toBe(3);
    const all = await kv.range(keys.all());
    expect(all.kvs.map((k) => keys.name(k.key))).toEqual(["a", "b", "b/1", "b0", "c"]);
    expect(all.kvs.map((k) => str(k.value))).toEqual(["a", "b", "b/1", "b0", "c"]);
  });

  it("a range [key, rangeEnd) includes key and excludes rangeEnd", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    for (const name of ["a", "b", "c", "d"]) await kv.put({ key: keys.key(name), value: b(name) });
    const got = await kv.range({ key: keys.key("b"), rangeEnd: keys.key("d") });
    expect(got.kvs.map((k) => keys.name(k.key))).toEqual(["b", "c"]);
    expect(got.count).toBe(2);
  });

  it("a single-key range does not match longer keys with that prefix", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("a"), value: b("1") });
    await kv.put({ key: keys.key("ab"), value: b("2") });
    const got = await kv.range({ key: keys.key("a") });
    expect(got.kvs.map((k) => keys.name(k.key))).toEqual(["a"]);
    expect(got.count).toBe(1);
    expect((await kv.range({ key: keys.key("aa") })).kvs).toEqual([]);
  });

  it("an empty rangeEnd means the single key, as an absent one does (KV interface contract)", async (ctx) => {
    // On the wire, real etcd reads a *present* empty range_end as "every key >= key"; a gRPC client
    // must therefore leave an empty rangeEnd out of the message.
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("a"), value: b("1") });
    await kv.put({ key: keys.key("b"), value: b("2") });
    const empty = new Uint8Array();
    expect((await kv.range({ key: keys.key("a"), rangeEnd: empty })).kvs.map((k) => keys.name(k.key))).toEqual(["a"]);
    const txn = await kv.txn({
      compare: [{ key: keys.key("a"), rangeEnd: empty, target: "VALUE", result: "EQUAL", value: b("1") }],
      success: [{ requestRange: { key: keys.key("a"), rangeEnd: empty } }],
      failure: [],
    });
    expect(txn.succeeded).toBe(true);
    expect(txn.responses).toMatchObject([{ responseRange: { count: 1 } }]);
    expect((await kv.deleteRange({ key: keys.key("a"), rangeEnd: empty })).deleted).toBe(1);
    expect((await kv.range(keys.all())).kvs.map((k) => keys.name(k.key))).toEqual(["b"]);
  });

  it("rangeEnd = \\0 reads every key >= key, and key = rangeEnd = \\0 reads every key", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    for (const name of ["a", "b", "c"]) await kv.put({ key: keys.key(name), value: b(name) });
    const all = await kv.range(ALL_KEYS);
    expect(all.count).toBe(all.kvs.length);
    const allNames = all.kvs.map((k) => str(k.key));
    expect(allNames).toEqual([...allNames].sort());
    expect(allNames).toEqual(expect.arrayContaining([keys.prefix + "a", keys.prefix + "b", keys.prefix + "c"]));
    const from = await kv.range({ key: keys.key("b"), rangeEnd: Uint8Array.of(0) });
    expect(from.kvs.map((k) => str(k.key))).toEqual(allNames.filter((k) => k >= keys.prefix + "b"));
    expect(from.count).toBe(from.kvs.length);
  });

  it("binary keys and values round-trip, including 0x00 and 0xff bytes", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const key = Uint8Array.from([...b(keys.prefix), 0xff, 0x00, 0xfe]);
    const value = Uint8Array.from([0x00, 0xff, 0x80, 0x01]);
    await kv.put({ key, value });
    const [got] = (await kv.range({ key })).kvs;
    expect(Array.from(got!.key)).toEqual(Array.from(key));
    expect(Array.from(got!.value)).toEqual(Array.from(value));
    const byPrefix = await kv.range({ key: Uint8Array.from([...b(keys.prefix), 0xff]), rangeEnd: prefixEnd(Uint8Array.from([...b(keys.prefix), 0xff])) });
    expect(byPrefix.count).toBe(1);
  });

  it("an empty value is a real value", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("empty"), value: new Uint8Array() });
    const got = await kv.range({ key: keys.key("empty") });
    expect(got.count).toBe(1);
    expect(got.kvs.map(view)).toMatchObject([{ key: keys.prefix + "empty", value: "", version: 1 }]);
  });

  it("limit cuts the result, sets more, and count still counts the whole range", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    for (const name of ["a", "b", "c", "d"]) await kv.put({ key: keys.key(name), value: b(name) });
    const cut = await kv.range({ ...keys.all(), limit: 2 });
    expect(cut.kvs.map((k) => keys.name(k.key))).toEqual(["a", "b"]);
    expect(cut).toMatchObject({ more: true, count: 4 });
    const exact = await kv.range({ ...keys.all(), limit: 4 });
    expect(exact).toMatchObject({ more: false, count: 4 });
    expect(exact.kvs).toHaveLength(4);
    const over = await kv.range({ ...keys.all(), limit: 10 });
    expect(over).toMatchObject({ more: false, count: 4 });
    // Paging: continue after the last key returned.
    const next = await kv.range({ key: Uint8Array.from([...cut.kvs[1]!.key, 0]), rangeEnd: keys.all().rangeEnd, limit: 2 });
    expect(next.kvs.map((k) => keys.name(k.key))).toEqual(["c", "d"]);
    expect(next).toMatchObject({ more: false, count: 2 });
  });

  it("countOnly returns the count and no key-values", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    for (const name of ["a", "b", "c"]) await kv.put({ key: keys.key(name), value: b(name) });
    const counted = await kv.range({ ...keys.all(), countOnly: true });
    expect(counted).toMatchObject({ kvs: [], count: 3, more: false });
    const limited = await kv.range({ ...keys.all(), countOnly: true, limit: 1 });
    expect(limited).toMatchObject({ kvs: [], count: 3, more: false });
  });

  it("keysOnly returns keys and metadata with empty values", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("value-a") })).header.revision;
    await kv.put({ key: keys.key("b"), value: b("value-b") });
    const got = await kv.range({ ...keys.all(), keysOnly: true, limit: 1 });
    expect(got.kvs.map(view)).toEqual([{ key: keys.prefix + "a", value: "", createRevision: r1, modRevision: r1, version: 1, lease: 0n }]);
    expect(got).toMatchObject({ more: true, count: 2 });
  });

  describe("sorting", () => {
    // a, b, c with distinct values for every target (creation order c, a, b; mod order b, a, c):
    //   key:     a b c        version: b=1 c=2 a=3      create: c a b
    //   mod:     b a c        value:   c="1" b="2" a="3"
    const ascending: Record<SortTarget, string[]> = {
      KEY: ["a", "b", "c"],
      VERSION: ["b", "c", "a"],
      CREATE: ["c", "a", "b"],
      MOD: ["b", "a", "c"],
      VALUE: ["c", "b", "a"],
    };
    const orders: SortOrder[] = ["NONE", "ASCEND", "DESCEND"];
    const targets: SortTarget[] = ["KEY", "VERSION", "CREATE", "MOD", "VALUE"];

    it("every sort order and target orders the whole range before limit cuts it", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      for (const [name, value] of [["c", "1"], ["a", "3"], ["b", "2"], ["a", "3"], ["a", "3"], ["c", "1"]] as const) {
        await kv.put({ key: keys.key(name), value: b(value) });
      }
      const failures: string[] = [];
      for (const sortOrder of orders) {
        for (const sortTarget of targets) {
          // etcd: NONE sorts by key when the target is KEY, and ascending by any other target.
          const expected = sortOrder === "DESCEND" ? [...ascending[sortTarget]].reverse() : ascending[sortTarget];
          for (const limit of [0, 2]) {
            const got = await kv.range({ ...keys.all(), sortOrder, sortTarget, limit });
            const names = got.kvs.map((k) => keys.name(k.key));
            const want = limit ? expected.slice(0, limit) : expected;
            if (names.join() !== want.join() || got.count !== 3 || got.more !== (limit === 2)) {
              failures.push(`${sortOrder}/${sortTarget}/limit ${limit}: got [${names}] more=${got.more} count=${got.count}, want [${want}] more=${limit === 2} count=3`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });

  it("min/max mod and create revision filters drop key-values but not the count", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const ra = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const rb = (await kv.put({ key: keys.key("b"), value: b("1") })).header.revision;
    const rc = (await kv.put({ key: keys.key("c"), value: b("1") })).header.revision;
    const ra2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
    const names = async (filters: Record<string, number>) => {
      const got = await kv.range({ ...keys.all(), ...filters });
      expect(got.count).toBe(3); // etcd counts before filtering
      return got.kvs.map((k) => keys.name(k.key));
    };
    expect(await names({ minModRevision: rc })).toEqual(["a", "c"]);
    expect(await names({ maxModRevision: rc })).toEqual(["b", "c"]);
    expect(await names({ minCreateRevision: rb })).toEqual(["b", "c"]);
    expect(await names({ maxCreateRevision: rb })).toEqual(["a", "b"]);
    expect(await names({ minCreateRevision: ra, maxModRevision: rb })).toEqual(["b"]);
    expect(await names({ minModRevision: ra2 + 1 })).toEqual([]);
  });

  describe("put options", () => {
    it("prevKv returns the key-value the put replaced, and nothing for a new key", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      const first = await kv.put({ key: keys.key("a"), value: b("v1"), prevKv: true });
      expect(first.prevKv).toBeUndefined();
      const second = await kv.put({ key: keys.key("a"), value: b("v2"), prevKv: true });
      const r1 = first.header.revision;
      expect(view(second.prevKv!)).toEqual({ key: keys.prefix + "a", value: "v1", createRevision: r1, modRevision: r1, version: 1, lease: 0n });
      const third = await kv.put({ key: keys.key("a"), value: b("v3") });
      expect(third.prevKv).toBeUndefined();
    });

    it("ignoreValue keeps the value and still bumps modRevision and version", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      const r1 = (await kv.put({ key: keys.key("a"), value: b("kept") })).header.revision;
      const put = await kv.put({ key: keys.key("a"), value: new Uint8Array(), ignoreValue: true, prevKv: true });
      expect(put.header.revision).toBe(r1 + 1);
      expect(str(put.prevKv?.value)).toBe("kept");
      const [got] = (await kv.range({ key: keys.key("a") })).kvs;
      expect(view(got!)).toEqual({ key: keys.prefix + "a", value: "kept", createRevision: r1, modRevision: r1 + 1, version: 2, lease: 0n });
    });

    it("a put attaches its lease, a later put without a lease detaches it, ignoreLease keeps it", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      const { ID: lease } = await kv.leaseGrant({ TTL: 600 });
      try {
        await kv.put({ key: keys.key("a"), value: b("1"), lease });
        expect((await kv.range({ key: keys.key("a") })).kvs[0]?.lease).toBe(lease);
        await kv.put({ key: keys.key("a"), value: b("2"), ignoreLease: true });
        const kept = (await kv.range({ key: keys.key("a") })).kvs[0];
        expect([str(kept?.value), kept?.lease]).toEqual(["2", lease]);
        await kv.put({ key: keys.key("a"), value: b("3") });
        expect((await kv.range({ key: keys.key("a") })).kvs[0]?.lease).toBe(0n);
        expect((await kv.leaseTimeToLive(lease, true)).keys).toEqual([]);
        await kv.put({ key: keys.key("b"), value: b("1"), lease });
        await kv.put({ key: keys.key("b"), value: new Uint8Array(), ignoreValue: true, ignoreLease: true });
        const both = (await kv.range({ key: keys.key("b") })).kvs[0];
        expect([str(both?.value), both?.lease, both?.version]).toEqual(["1", lease, 2]);
      } finally {
        await kv.leaseRevoke(lease);
      }
    });
  });

  describe("deleteRange", () => {
    it("deletes a range in one revision and returns the count and, with prevKv, the deleted key-values", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      const revs: number[] = [];
      for (const name of ["a", "b", "c", "d"]) revs.push((await kv.put({ key: keys.key(name), value: b(name) })).header.revision);
      const del = await kv.deleteRange({ key: keys.key("b"), rangeEnd: keys.key("d"), prevKv: true });
      expect(del.deleted).toBe(2);
      expect(del.header.revision).toBe(revs[3]! + 1);
      expect(del.prevKvs.map(view)).toEqual([
        { key: keys.prefix + "b", value: "b", createRevision: revs[1], modRevision: revs[1], version: 1, lease: 0n },
        { key: keys.prefix + "c", value: "c", createRevision: revs[2], modRevision: revs[2], version: 1, lease: 0n },
      ]);
      expect((await kv.range(keys.all())).kvs.map((k) => keys.name(k.key))).toEqual(["a", "d"]);
    });

    it("without prevKv returns only the count; a prefix delete removes every key under it", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      for (const name of ["x/1", "x/2", "x/3", "y"]) await kv.put({ key: keys.key(name), value: b(name) });
      const del = await kv.deleteRange({ key: keys.key("x/"), rangeEnd: prefixEnd(keys.key("x/")) });
      expect(del).toMatchObject({ deleted: 3, prevKvs: [] });
      expect((await kv.range(keys.all())).kvs.map((k) => keys.name(k.key))).toEqual(["y"]);
    });

    it("rangeEnd = \\0 deletes every key >= key", async (ctx) => {
      const { kv, keys } = fixture.use(ctx);
      // Keys of this test sort after every other test's keys in this file ("t/..." < "u/...").
      const base = "u/" + keys.prefix;
      for (const name of ["a", "b", "c"]) await kv.put({ key: b(base + name), value: b(name) });
      const del = await kv.deleteRange({ key: b(base + "b"), rangeEnd: Uint8Array.of(0), prevKv: true });
      expect(del.prevKvs.map((k) => str(k.key))).toEqual([base + "b", base + "c"]);
      expect(del.deleted).toBe(2);
      expect((await kv.range({ key: b(base), rangeEnd: prefixEnd(b(base)) })).kvs.map((k) => str(k.key))).toEqual([base + "a"]);
    });
  });
});
