// Store conformance: compaction — reads below the compacted revision fail, reads at or above it
// succeed, future revisions fail, compacting twice fails; the latest state survives. Expectations
// are real etcd 3.4's (OUT_OF_RANGE with etcd's messages).
import { describe, expect, it } from "vitest";
import { KvErrors } from "../../spec/interfaces/kv.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend, view } from "./fixture.ts";

const COMPACTED = { code: "OUT_OF_RANGE", message: KvErrors.compacted().message };
const FUTURE = { code: "OUT_OF_RANGE", message: KvErrors.futureRev().message };

describe.each(storeBackends)("store conformance, compaction: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("reads below the compacted revision fail; at and above it they see the history", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
    const r3 = (await kv.deleteRange({ key: keys.key("a") })).header.revision;
    const r4 = (await kv.put({ key: keys.key("b"), value: b("1") })).header.revision;

    const compacted = await kv.compact({ revision: r2 });
    expect(compacted.header.revision).toBe(r4);

    await expect(kv.range({ key: keys.key("a"), revision: r1 })).rejects.toMatchObject(COMPACTED);
    await expect(kv.range({ key: keys.key("a"), revision: r2 - 1 })).rejects.toMatchObject(COMPACTED);
    expect((await kv.range({ key: keys.key("a"), revision: r2 })).kvs.map(view)).toEqual([
      { key: keys.prefix + "a", value: "2", createRevision: r1, modRevision: r2, version: 2, lease: 0n },
    ]);
    expect((await kv.range({ key: keys.key("a"), revision: r3 })).kvs).toEqual([]);
    expect((await kv.range({ ...keys.all(), revision: r4 })).kvs.map((k) => keys.name(k.key))).toEqual(["b"]);
    // The latest state is untouched.
    expect((await kv.range(keys.all())).kvs.map((k) => [keys.name(k.key), str(k.value)])).toEqual([["b", "1"]]);
  });

  it("a read at a future revision fails; revision 0 means the latest", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    await expect(kv.range({ key: keys.key("a"), revision: r1 + 1 })).rejects.toMatchObject(FUTURE);
    await expect(kv.range({ key: keys.key("a"), revision: r1 + 1000 })).rejects.toMatchObject(FUTURE);
    expect((await kv.range({ key: keys.key("a"), revision: 0 })).kvs.map((k) => str(k.value))).toEqual(["1"]);
    expect((await kv.range({ key: keys.key("a"), revision: r1 })).kvs.map((k) => str(k.value))).toEqual(["1"]);
  });

  it("compacting at or below the compacted revision fails, and so does compacting the future", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("a"), value: b("1") });
    const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
    await kv.compact({ revision: r2 - 1 });
    await expect(kv.compact({ revision: r2 - 1 })).rejects.toMatchObject(COMPACTED);
    await expect(kv.compact({ revision: r2 - 2 })).rejects.toMatchObject(COMPACTED);
    await expect(kv.compact({ revision: r2 + 1 })).rejects.toMatchObject(FUTURE);
    // Compacting up to the current revision is allowed; reading it still works.
    await kv.compact({ revision: r2, physical: true });
    expect((await kv.range({ key: keys.key("a"), revision: r2 })).kvs.map((k) => str(k.value))).toEqual(["2"]);
    await expect(kv.range({ key: keys.key("a"), revision: r2 - 1 })).rejects.toMatchObject(COMPACTED);
  });

  it("compaction does not change the revision, versions or createRevisions of live keys", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    await kv.put({ key: keys.key("a"), value: b("2") });
    const r3 = (await kv.put({ key: keys.key("a"), value: b("3") })).header.revision;
    await kv.compact({ revision: r3 });
    const got = await kv.range({ key: keys.key("a") });
    expect(got.header.revision).toBe(r3);
    expect(got.kvs.map(view)).toEqual([{ key: keys.prefix + "a", value: "3", createRevision: r1, modRevision: r3, version: 3, lease: 0n }]);
    // The next write continues the same revision sequence.
    expect((await kv.put({ key: keys.key("a"), value: b("4") })).header.revision).toBe(r3 + 1);
  });

  it("a txn reading a compacted or future revision fails as a whole", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
    await kv.compact({ revision: r2 });
    const txnReading = (revision: number) =>
      kv.txn({
        compare: [],
        success: [
          { requestPut: { key: keys.key("b"), value: b("x") } },
          { requestRange: { key: keys.key("a"), revision } },
        ],
        failure: [],
      });
    await expect(txnReading(r1)).rejects.toMatchObject(COMPACTED);
    await expect(txnReading(r2 + 5)).rejects.toMatchObject(FUTURE);
    expect((await kv.range({ key: keys.key("b") })).kvs).toEqual([]);
    expect((await kv.range({ key: keys.key("a") })).header.revision).toBe(r2);
  });
});
