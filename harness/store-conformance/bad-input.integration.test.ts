// Store conformance: bad input gets etcd's error codes and messages, never a crash — empty keys,
// inverted ranges, oversize requests, too many txn ops, duplicate keys in a txn, contradictory put
// options. After every error the store keeps working. Expectations are real etcd 3.4's.
import { describe, expect, it } from "vitest";
import { KvErrors, KvLimits, type RequestOp } from "../../spec/interfaces/kv.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend } from "./fixture.ts";

const expectErr = (err: { code: string; message: string }) => ({ code: err.code, message: err.message });
const EMPTY_KEY = expectErr(KvErrors.emptyKey());
const TOO_MANY_OPS = expectErr(KvErrors.tooManyOps());
const DUPLICATE_KEY = expectErr(KvErrors.duplicateKey());
const TOO_LARGE = expectErr(KvErrors.requestTooLarge());
const MiB = 1024 * 1024;

describe.each(storeBackends)("store conformance, bad input: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("an empty key is refused by put, range, deleteRange and inside a txn", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const empty = new Uint8Array();
    await expect(kv.put({ key: empty, value: b("x") })).rejects.toMatchObject(EMPTY_KEY);
    await expect(kv.range({ key: empty })).rejects.toMatchObject(EMPTY_KEY);
    await expect(kv.range({ key: empty, rangeEnd: b("z") })).rejects.toMatchObject(EMPTY_KEY);
    await expect(kv.deleteRange({ key: empty })).rejects.toMatchObject(EMPTY_KEY);
    await expect(kv.txn({ compare: [], success: [{ requestPut: { key: empty, value: b("x") } }], failure: [] })).rejects.toMatchObject(EMPTY_KEY);
    await expect(kv.txn({ compare: [], success: [], failure: [{ requestRange: { key: empty } }] })).rejects.toMatchObject(EMPTY_KEY);
    // Still serving.
    await kv.put({ key: keys.key("after"), value: b("ok") });
    expect((await kv.range({ key: keys.key("after") })).count).toBe(1);
  });

  it("an inverted range (rangeEnd < key) matches nothing and deletes nothing", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    for (const name of ["a", "b", "c"]) await kv.put({ key: keys.key(name), value: b(name) });
    const r0 = (await kv.range({ key: keys.key("a") })).header.revision;
    const got = await kv.range({ key: keys.key("c"), rangeEnd: keys.key("a") });
    expect(got).toMatchObject({ kvs: [], count: 0, more: false });
    const same = await kv.range({ key: keys.key("b"), rangeEnd: keys.key("b") });
    expect(same).toMatchObject({ kvs: [], count: 0 });
    const del = await kv.deleteRange({ key: keys.key("c"), rangeEnd: keys.key("a"), prevKv: true });
    expect(del).toMatchObject({ deleted: 0, prevKvs: [] });
    expect(del.header.revision).toBe(r0);
    expect((await kv.range(keys.all())).count).toBe(3);
  });

  it("a request over the 1.5 MiB limit is refused with 'request is too large'; 1 MiB is fine", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const fine = await kv.put({ key: keys.key("one-mib"), value: new Uint8Array(MiB).fill(0x61) });
    expect((await kv.range({ key: keys.key("one-mib"), keysOnly: true })).kvs[0]?.modRevision).toBe(fine.header.revision);
    const over = new Uint8Array(KvLimits.maxRequestBytes + 1024).fill(0x62);
    await expect(kv.put({ key: keys.key("too-big"), value: over })).rejects.toMatchObject(TOO_LARGE);
    await expect(
      kv.txn({ compare: [], success: [{ requestPut: { key: keys.key("too-big"), value: over } }], failure: [] }),
    ).rejects.toMatchObject(TOO_LARGE);
    expect((await kv.range({ key: keys.key("too-big") })).kvs).toEqual([]);
    expect((await kv.range({ key: keys.key("after") })).header.revision).toBe(fine.header.revision);
  });

  it("a message over gRPC's 2 MiB receive limit is refused before etcd sees it", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const huge = new Uint8Array(3 * MiB).fill(0x63);
    if (backend.capabilities.grpc) {
      // etcd sets the server's max receive size to --max-request-bytes plus 512 KiB of overhead.
      await expect(kv.put({ key: keys.key("huge"), value: huge })).rejects.toMatchObject({
        code: "RESOURCE_EXHAUSTED",
        message: expect.stringMatching(/^grpc: received message larger than max \(\d+ vs\. 2097152\)$/),
      });
    } else {
      // In-process there is no gRPC layer: the store's own limit answers.
      await expect(kv.put({ key: keys.key("huge"), value: huge })).rejects.toMatchObject(TOO_LARGE);
    }
    await kv.put({ key: keys.key("after"), value: b("ok") });
    expect((await kv.range(keys.all())).kvs.map((k) => keys.name(k.key))).toEqual(["after"]);
  });

  it("more than 128 ops in a branch, or 128 compares, are refused; 128 ops are fine", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const puts = (n: number): RequestOp[] => Array.from({ length: n }, (_, i) => ({ requestPut: { key: keys.key(`k${i}`), value: b("v") } }));
    const max = KvLimits.maxTxnOps;
    await expect(kv.txn({ compare: [], success: puts(max + 1), failure: [] })).rejects.toMatchObject(TOO_MANY_OPS);
    await expect(kv.txn({ compare: [], success: [], failure: puts(max + 1) })).rejects.toMatchObject(TOO_MANY_OPS);
    const compares = Array.from({ length: max + 1 }, (_, i) => ({ key: keys.key(`k${i}`), target: "VERSION" as const, result: "EQUAL" as const, version: 0 }));
    await expect(kv.txn({ compare: compares, success: [], failure: [] })).rejects.toMatchObject(TOO_MANY_OPS);
    await expect(
      kv.txn({ compare: [], success: [{ requestTxn: { compare: [], success: puts(max + 1), failure: [] } }], failure: [] }),
    ).rejects.toMatchObject(TOO_MANY_OPS);
    expect((await kv.range({ ...keys.all(), countOnly: true })).count).toBe(0);
    const ok = await kv.txn({ compare: [], success: puts(max), failure: [] });
    expect(ok.responses).toHaveLength(max);
    expect((await kv.range({ ...keys.all(), countOnly: true })).count).toBe(max);
  });

  it("a txn writing one key twice is refused, whatever branch or nesting the writes are in", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const put = (name: string): RequestOp => ({ requestPut: { key: keys.key(name), value: b("v") } });
    const del = (name: string, end?: string): RequestOp => ({
      requestDeleteRange: { key: keys.key(name), ...(end ? { rangeEnd: keys.key(end) } : {}) },
    });
    const nested = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => ({ requestTxn: { compare: [], success, failure } });
    const refused: Array<[string, RequestOp[], RequestOp[]]> = [
      ["put, put", [put("a"), put("a")], []],
      ["put, delete of the key", [put("a"), del("a")], []],
      ["put, delete of a range holding the key", [put("b"), del("a", "c")], []],
      ["duplicate in the failure branch", [put("a")], [put("a"), put("a")]],
      ["put, nested put", [put("a"), nested([put("a")])], []],
      ["two nested txns putting the key", [nested([put("a")]), nested([put("a")])], []],
      ["a nested failure branch counts too", [nested([put("a")], [put("b")]), put("b")], []],
    ];
    const failures: string[] = [];
    for (const [name, success, failure] of refused) {
      try {
        await kv.txn({ compare: [], success, failure });
        failures.push(`${name}: accepted`);
      } catch (err) {
        const e = err as { code?: string; message?: string };
        if (e.code !== DUPLICATE_KEY.code || e.message !== DUPLICATE_KEY.message) failures.push(`${name}: ${e.code} ${e.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect((await kv.range({ ...keys.all(), countOnly: true })).count).toBe(0);
    // Allowed: the same key in both branches, reading a key written by the txn, deleting twice.
    const allowed = await kv.txn({ compare: [], success: [put("a"), { requestRange: { key: keys.key("a") } }, del("b"), del("b")], failure: [put("a")] });
    expect(allowed.succeeded).toBe(true);
    expect((await kv.range(keys.all())).kvs.map((k) => keys.name(k.key))).toEqual(["a"]);
  });

  it("contradictory put options get etcd's errors", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await expect(kv.put({ key: keys.key("missing"), value: new Uint8Array(), ignoreValue: true })).rejects.toMatchObject(
      expectErr(KvErrors.keyNotFound()),
    );
    await expect(kv.put({ key: keys.key("missing"), value: new Uint8Array(), ignoreLease: true })).rejects.toMatchObject(
      expectErr(KvErrors.keyNotFound()),
    );
    await kv.put({ key: keys.key("a"), value: b("1") });
    await expect(kv.put({ key: keys.key("a"), value: b("2"), ignoreValue: true })).rejects.toMatchObject(expectErr(KvErrors.valueProvided()));
    await expect(kv.put({ key: keys.key("a"), value: b("2"), lease: 5n, ignoreLease: true })).rejects.toMatchObject(
      expectErr(KvErrors.leaseProvided()),
    );
    // The value check comes first, even for a missing key.
    await expect(kv.put({ key: keys.key("missing"), value: b("2"), ignoreValue: true })).rejects.toMatchObject(expectErr(KvErrors.valueProvided()));
    expect((await kv.range(keys.all())).kvs.map((k) => [keys.name(k.key), str(k.value)])).toEqual([["a", "1"]]);
  });
});
