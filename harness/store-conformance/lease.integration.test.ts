// Store conformance: leases — grant (minimum TTL, chosen IDs, limits), attach keys, keep-alive,
// time-to-live with keys, revoke (all attached keys deleted in one revision), expiry after the TTL,
// the leases list, unknown leases. Expectations are real etcd 3.4's. Expiry runs in wall-clock
// time, with etcd's minimum TTL (2 s), so these tests take a few seconds.
import { describe, expect, it, vi } from "vitest";
import { KvErrors, KvLimits } from "../../spec/interfaces/kv.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend } from "./fixture.ts";
import { WatchRecorder } from "./watch-recorder.ts";

const LEASE_NOT_FOUND = { code: "NOT_FOUND", message: KvErrors.leaseNotFound().message };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An unknown lease ID (etcd's generated IDs are far larger). */
const UNKNOWN_LEASE = 424_242n;
/** Generous: etcd checks for expired leases every 500 ms, then revokes them through raft. */
const EXPIRY_WAIT_MS = 15_000;

describe.each(storeBackends)("store conformance, leases: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("grant returns a new ID and the TTL; TTLs below etcd's minimum are raised to it", async (ctx) => {
    const { kv } = fixture.use(ctx);
    const long = await kv.leaseGrant({ TTL: 600 });
    expect(long.ID).toBeGreaterThan(0n);
    expect(long.TTL).toBe(600);
    const short = await kv.leaseGrant({ TTL: 1 });
    expect(short.ID).not.toBe(long.ID);
    expect(short.TTL).toBe(KvLimits.minLeaseTtlSeconds);
    const zero = await kv.leaseGrant({ TTL: 0 });
    expect(zero.TTL).toBe(KvLimits.minLeaseTtlSeconds);
    const ttl = await kv.leaseTimeToLive(short.ID);
    expect(ttl.grantedTTL).toBe(KvLimits.minLeaseTtlSeconds);
    for (const id of [long.ID, short.ID, zero.ID]) await kv.leaseRevoke(id);
  });

  it("grant with a chosen ID uses it; a taken ID and a too large TTL are refused", async (ctx) => {
    const { kv } = fixture.use(ctx);
    const id = 7_000_001n;
    const got = await kv.leaseGrant({ TTL: 60, ID: id });
    expect(got).toMatchObject({ ID: id, TTL: 60 });
    await expect(kv.leaseGrant({ TTL: 60, ID: id })).rejects.toMatchObject({ code: "FAILED_PRECONDITION", message: KvErrors.leaseExist().message });
    await expect(kv.leaseGrant({ TTL: KvLimits.maxLeaseTtlSeconds + 1 })).rejects.toMatchObject({
      code: "OUT_OF_RANGE",
      message: KvErrors.leaseTTLTooLarge().message,
    });
    await kv.leaseRevoke(id);
  });

  it("timeToLive reports the remaining and granted TTL and, when asked, the attached keys", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const { ID } = await kv.leaseGrant({ TTL: 600 });
    try {
      for (const name of ["b", "a"]) await kv.put({ key: keys.key(name), value: b(name), lease: ID });
      const withKeys = await kv.leaseTimeToLive(ID, true);
      expect(withKeys.ID).toBe(ID);
      expect(withKeys.grantedTTL).toBe(600);
      expect(withKeys.TTL).toBeGreaterThanOrEqual(598);
      expect(withKeys.TTL).toBeLessThanOrEqual(600);
      expect(withKeys.keys.map((k) => keys.name(k)).sort()).toEqual(["a", "b"]);
      const withoutKeys = await kv.leaseTimeToLive(ID);
      expect(withoutKeys.keys).toEqual([]);
      const attached = await kv.range(keys.all());
      expect(attached.kvs.map((k) => k.lease)).toEqual([ID, ID]);
    } finally {
      await kv.leaseRevoke(ID);
    }
  });

  it("the leases list holds every live lease and not revoked ones", async (ctx) => {
    const { kv } = fixture.use(ctx);
    const a = (await kv.leaseGrant({ TTL: 600 })).ID;
    const c = (await kv.leaseGrant({ TTL: 600 })).ID;
    await kv.leaseRevoke(c);
    const listed = (await kv.leaseLeases()).leases.map((l) => l.ID);
    expect(listed).toContain(a);
    expect(listed).not.toContain(c);
    await kv.leaseRevoke(a);
    expect((await kv.leaseLeases()).leases.map((l) => l.ID)).not.toContain(a);
  });

  it("revoke deletes every attached key in one revision, seen by a watcher as one response", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const { ID } = await kv.leaseGrant({ TTL: 600 });
    for (const name of ["a", "b", "c"]) await kv.put({ key: keys.key(name), value: b(name), lease: ID });
    await kv.put({ key: keys.key("free"), value: b("no lease") });
    const before = (await kv.range(keys.all())).header.revision;
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ ...keys.all() });
      const revoked = await kv.leaseRevoke(ID);
      expect(revoked.header.revision).toBe(before + 1);
      const events = await w.waitForEvents(watchId, 3);
      expect(events.map((e) => [e.type, keys.name(e.kv.key), e.kv.modRevision])).toEqual([
        ["DELETE", "a", before + 1],
        ["DELETE", "b", before + 1],
        ["DELETE", "c", before + 1],
      ]);
      expect(w.responsesOf(watchId)).toHaveLength(1);
      expect((await kv.range(keys.all())).kvs.map((k) => keys.name(k.key))).toEqual(["free"]);
      expect((await kv.leaseTimeToLive(ID)).TTL).toBe(-1);
      await expect(kv.leaseRevoke(ID)).rejects.toMatchObject(LEASE_NOT_FOUND);
    } finally {
      w.close();
    }
  });

  it("revoking a lease without keys does not create a revision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const { ID } = await kv.leaseGrant({ TTL: 600 });
    expect((await kv.leaseRevoke(ID)).header.revision).toBe(r0);
  });

  it("a key moved to another lease is no longer the first lease's", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const first = (await kv.leaseGrant({ TTL: 600 })).ID;
    const second = (await kv.leaseGrant({ TTL: 600 })).ID;
    try {
      await kv.put({ key: keys.key("a"), value: b("1"), lease: first });
      await kv.put({ key: keys.key("a"), value: b("2"), lease: second });
      expect((await kv.leaseTimeToLive(first, true)).keys).toEqual([]);
      expect((await kv.leaseTimeToLive(second, true)).keys.map((k) => keys.name(k))).toEqual(["a"]);
      await kv.leaseRevoke(first);
      expect((await kv.range({ key: keys.key("a") })).kvs.map((k) => str(k.value))).toEqual(["2"]);
    } finally {
      await kv.leaseRevoke(second);
    }
    expect((await kv.range({ key: keys.key("a") })).kvs).toEqual([]);
  });

  it("unknown leases: put and revoke fail with NOT_FOUND, timeToLive says -1, keep-alive says 0", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await expect(kv.put({ key: keys.key("a"), value: b("1"), lease: UNKNOWN_LEASE })).rejects.toMatchObject(LEASE_NOT_FOUND);
    await expect(kv.leaseRevoke(UNKNOWN_LEASE)).rejects.toMatchObject(LEASE_NOT_FOUND);
    await expect(
      kv.txn({ compare: [], success: [{ requestPut: { key: keys.key("a"), value: b("1"), lease: UNKNOWN_LEASE } }], failure: [] }),
    ).rejects.toMatchObject(LEASE_NOT_FOUND);
    const ttl = await kv.leaseTimeToLive(UNKNOWN_LEASE, true);
    expect(ttl).toMatchObject({ ID: UNKNOWN_LEASE, TTL: -1, grantedTTL: 0, keys: [] });
    const kept = await kv.leaseKeepAlive(UNKNOWN_LEASE);
    expect(kept).toMatchObject({ ID: UNKNOWN_LEASE, TTL: 0 });
    expect((await kv.range({ key: keys.key("a") })).kvs).toEqual([]);
  });

  it("a lease expires after its TTL: its keys are deleted in one revision and it is gone", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const { ID, TTL } = await kv.leaseGrant({ TTL: KvLimits.minLeaseTtlSeconds });
    for (const name of ["a", "b"]) await kv.put({ key: keys.key(name), value: b(name), lease: ID });
    const before = (await kv.range(keys.all())).header.revision;
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ ...keys.all() });
      const events = await w.waitForEvents(watchId, 2, TTL * 1000 + EXPIRY_WAIT_MS);
      expect(events.map((e) => [e.type, keys.name(e.kv.key)])).toEqual([
        ["DELETE", "a"],
        ["DELETE", "b"],
      ]);
      expect(events[0]!.kv.modRevision).toBe(events[1]!.kv.modRevision);
      expect(events[0]!.kv.modRevision).toBeGreaterThan(before);
      expect((await kv.range(keys.all())).kvs).toEqual([]);
      expect((await kv.leaseTimeToLive(ID)).TTL).toBe(-1);
      expect((await kv.leaseLeases()).leases.map((l) => l.ID)).not.toContain(ID);
      await expect(kv.leaseRevoke(ID)).rejects.toMatchObject(LEASE_NOT_FOUND);
    } finally {
      w.close();
    }
  });

  it("keep-alive refreshes the lease to its granted TTL, so it outlives that TTL", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const { ID, TTL } = await kv.leaseGrant({ TTL: KvLimits.minLeaseTtlSeconds });
    await kv.put({ key: keys.key("a"), value: b("1"), lease: ID });
    // Keep it alive for twice its TTL, refreshing four times per TTL.
    for (let i = 0; i < 8; i++) {
      const kept = await kv.leaseKeepAlive(ID);
      expect(kept).toMatchObject({ ID, TTL });
      await sleep((TTL * 1000) / 4);
    }
    const ttl = await kv.leaseTimeToLive(ID);
    expect(ttl.TTL).toBeGreaterThan(0);
    expect((await kv.range({ key: keys.key("a") })).kvs.map((k) => str(k.value))).toEqual(["1"]);
    // Left alone, it then expires.
    await vi.waitFor(
      async () => {
        expect((await kv.leaseTimeToLive(ID)).TTL).toBe(-1);
      },
      { timeout: TTL * 1000 + EXPIRY_WAIT_MS, interval: 100 },
    );
    expect((await kv.range({ key: keys.key("a") })).kvs).toEqual([]);
  });
});
