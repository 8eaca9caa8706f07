// LocalKv: log-then-apply writes, validation before the log, lease expiry from the Clock, async
// in-order watch delivery, status and close.
import { describe, expect, it } from "vitest";
import { KvError, type KV, type WatchResponse } from "../../spec/interfaces/kv.ts";
import type { CommandLog, WriteCommand } from "./commands.ts";
import { DEFAULT_CLUSTER_ID, DEFAULT_MEMBER_ID, LocalKv, PROGRESS_REPORT_INTERVAL_MS } from "./local-kv.ts";
import { MvccStore } from "./mvcc/store.ts";
import { FixedRng, ManualClock, b, settle, str } from "./mvcc/testing.ts";

/** A log that records commands and resolves appends only when told to (possibly out of order). */
class HeldLog implements CommandLog {
  readonly appended: WriteCommand[] = [];
  readonly #pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  closed = false;
  append(cmd: WriteCommand): Promise<void> {
    this.appended.push(cmd);
    return new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  }
  release(i: number): void {
    this.#pending[i]!.resolve();
  }
  fail(i: number, err: unknown): void {
    this.#pending[i]!.reject(err);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A log that records and resolves at once. */
class RecordingLog implements CommandLog {
  readonly appended: WriteCommand[] = [];
  async append(cmd: WriteCommand): Promise<void> {
    this.appended.push(cmd);
  }
  async close(): Promise<void> {}
}

function newKv(opts: { log?: CommandLog; clock?: ManualClock; store?: MvccStore } = {}) {
  const clock = opts.clock ?? new ManualClock();
  const kv = new LocalKv({ clock, rng: new FixedRng([0xabcn, 0xdefn]), log: opts.log, store: opts.store });
  return { kv, clock };
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KvError) return `${err.code} ${err.message}`;
    throw err;
  }
  return "ok";
}

describe("writes", () => {
  it("logs each write, applies it and fills the header", async () => {
    const log = new RecordingLog();
    const { kv } = newKv({ log });
    const res = await kv.put({ key: b("a"), value: b("1") });
    expect(res.header).toEqual({ clusterId: DEFAULT_CLUSTER_ID, memberId: DEFAULT_MEMBER_ID, revision: 2, raftTerm: 2 });
    expect(log.appended).toEqual([{ op: "put", req: { key: b("a"), value: b("1") } }]);
    const got = await kv.range({ key: b("a") });
    expect(got.kvs.map((kv) => str(kv.value))).toEqual(["1"]);
    expect(got.header.clusterId).toBe(DEFAULT_CLUSTER_ID);
  });

  it("applies in append order even when appends resolve out of order, and only after they resolve", async () => {
    const log = new HeldLog();
    const { kv } = newKv({ log });
    const first = kv.put({ key: b("k"), value: b("first") });
    const second = kv.put({ key: b("k"), value: b("second") });
    let done = 0;
    void first.then(() => done++);
    void second.then(() => done++);
    log.release(1);
    await settle();
    expect(done).toBe(0);
    expect((await kv.range({ key: b("k") })).kvs).toEqual([]); // not acknowledged, not visible
    log.release(0);
    expect((await first).header.revision).toBe(2);
    expect((await second).header.revision).toBe(3);
    expect(str((await kv.range({ key: b("k") })).kvs[0]!.value)).toBe("second");
  });

  it("rejects invalid requests before logging them", async () => {
    const log = new RecordingLog();
    const { kv } = newKv({ log });
    expect(await errorOf(kv.put({ key: new Uint8Array(), value: b("v") }))).toBe("INVALID_ARGUMENT etcdserver: key is not provided");
    expect(await errorOf(kv.range({ key: new Uint8Array() }))).toBe("INVALID_ARGUMENT etcdserver: key is not provided");
    expect(await errorOf(kv.deleteRange({ key: new Uint8Array() }))).toBe("INVALID_ARGUMENT etcdserver: key is not provided");
    const dup = { compare: [], success: [{ requestPut: { key: b("a"), value: b("") } }, { requestPut: { key: b("a"), value: b("") } }], failure: [] };
    expect(await errorOf(kv.txn(dup))).toBe("INVALID_ARGUMENT etcdserver: duplicate key given in txn request");
    expect(await errorOf(kv.put({ key: b("k"), value: new Uint8Array(2 * 1024 * 1024) }))).toBe(
      "INVALID_ARGUMENT etcdserver: request is too large",
    );
    expect(await errorOf(kv.leaseGrant({ TTL: 9_000_000_001 }))).toBe("OUT_OF_RANGE etcdserver: too large lease TTL");
    expect(log.appended).toEqual([]);
  });

  it("reports errors decided at apply time (the command was logged, as etcd's raft entry is)", async () => {
    const log = new RecordingLog();
    const { kv } = newKv({ log });
    expect(await errorOf(kv.put({ key: b("k"), value: b("v"), lease: 42n }))).toBe("NOT_FOUND etcdserver: requested lease not found");
    expect(await errorOf(kv.compact({ revision: 5 }))).toBe("OUT_OF_RANGE etcdserver: mvcc: required revision is a future revision");
    expect(log.appended.map((c) => c.op)).toEqual(["put", "compact"]);
  });

  it("serves read-only txns without the log", async () => {
    const log = new RecordingLog();
    const { kv } = newKv({ log });
    await kv.put({ key: b("a"), value: b("1") });
    const res = await kv.txn({
      compare: [{ key: b("a"), target: "VALUE", result: "EQUAL", value: b("1") }],
      success: [{ requestRange: { key: b("a") } }],
      failure: [],
    });
    expect(res.succeeded).toBe(true);
    expect(res.header).toMatchObject({ revision: 2, clusterId: DEFAULT_CLUSTER_ID });
    expect(log.appended).toHaveLength(1);
  });

  it("a failed append fails that write with UNAVAILABLE and applies nothing", async () => {
    const log = new HeldLog();
    const { kv } = newKv({ log });
    const p = kv.put({ key: b("k"), value: b("v") });
    log.fail(0, new Error("disk full"));
    expect(await errorOf(p)).toBe("UNAVAILABLE etcdserver: write-ahead log failed: disk full");
    expect(kv.store.revision).toBe(1);
  });

  it("refuses writes past the pending limit", async () => {
    const log = new HeldLog();
    const kv = new LocalKv({ clock: new ManualClock(), rng: new FixedRng(), log, limits: { maxPendingWrites: 2 } });
    void kv.put({ key: b("a"), value: b("") }).catch(() => {});
    void kv.put({ key: b("b"), value: b("") }).catch(() => {});
    expect(await errorOf(kv.put({ key: b("c"), value: b("") }))).toBe("RESOURCE_EXHAUSTED etcdserver: too many requests");
    await kv.close();
  });
});

describe("leases", () => {
  it("chooses a positive int63 ID from the Rng when none is given", async () => {
    const kv = new LocalKv({ clock: new ManualClock(), rng: new FixedRng([0xffff_ffff_ffff_ffffn, 5n]), log: undefined });
    const res = await kv.leaseGrant({ TTL: 10 });
    expect(res.ID).toBe(0x7fff_ffff_ffff_ffffn);
    expect(res.TTL).toBe(10);
    const again = await kv.leaseGrant({ TTL: 1 });
    expect(again.ID).toBe(5n);
    expect(again.TTL).toBe(2);
  });

  it("expiry revokes the lease and deletes its keys at one revision", async () => {
    const { kv, clock } = newKv();
    const { ID } = await kv.leaseGrant({ TTL: 10, ID: 7n });
    await kv.put({ key: b("a"), value: b("1"), lease: ID });
    await kv.put({ key: b("b"), value: b("1"), lease: ID });
    await kv.put({ key: b("c"), value: b("1") });
    const got: WatchResponse[] = [];
    kv.openWatchStream((r) => got.push(r)).create({ key: b("a"), rangeEnd: b("z") });
    clock.advance(9_999);
    await settle();
    expect((await kv.leaseTimeToLive(ID)).TTL).toBe(0);
    expect((await kv.range({ key: b("a"), rangeEnd: b("z") })).count).toBe(3);
    clock.advance(1);
    await settle();
    expect((await kv.range({ key: b("a"), rangeEnd: b("z") })).kvs.map((kv) => str(kv.key))).toEqual(["c"]);
    const deletes = got.filter((r) => r.events.length > 0);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.events.map((e) => [e.type, str(e.kv.key), e.kv.modRevision])).toEqual([
      ["DELETE", "a", 5],
      ["DELETE", "b", 5],
    ]);
    expect(await kv.leaseTimeToLive(ID)).toMatchObject({ TTL: -1, grantedTTL: 0 });
    expect((await kv.leaseKeepAlive(ID)).TTL).toBe(0);
  });

  it("keep-alive resets the timer to the granted TTL", async () => {
    const { kv, clock } = newKv();
    await kv.leaseGrant({ TTL: 10, ID: 1n });
    await kv.put({ key: b("a"), value: b("1"), lease: 1n });
    clock.advance(8_000);
    expect(await kv.leaseKeepAlive(1n)).toMatchObject({ ID: 1n, TTL: 10, header: { revision: 2 } });
    clock.advance(8_000);
    await settle();
    expect((await kv.range({ key: b("a") })).count).toBe(1);
    expect((await kv.leaseTimeToLive(1n)).TTL).toBe(2);
    clock.advance(2_000);
    await settle();
    expect((await kv.range({ key: b("a") })).count).toBe(0);
  });

  it("time-to-live truncates remaining seconds and lists keys on request", async () => {
    const { kv, clock } = newKv();
    await kv.leaseGrant({ TTL: 60, ID: 3n });
    await kv.put({ key: b("z"), value: b(""), lease: 3n });
    await kv.put({ key: b("a"), value: b(""), lease: 3n });
    clock.advance(1_500);
    const ttl = await kv.leaseTimeToLive(3n, true);
    expect(ttl).toMatchObject({ ID: 3n, TTL: 58, grantedTTL: 60 });
    expect(ttl.keys.map(str)).toEqual(["a", "z"]);
    expect((await kv.leaseTimeToLive(3n)).keys).toEqual([]);
  });

  it("a client revoke stops the timer; revoking again is NOT_FOUND", async () => {
    const { kv, clock } = newKv();
    await kv.leaseGrant({ TTL: 5, ID: 9n });
    expect((await kv.leaseRevoke(9n)).header.revision).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expect(await errorOf(kv.leaseRevoke(9n))).toBe("NOT_FOUND etcdserver: requested lease not found");
  });

  it("lists leases by expiry", async () => {
    const { kv } = newKv();
    await kv.leaseGrant({ TTL: 30, ID: 1n });
    await kv.leaseGrant({ TTL: 10, ID: 2n });
    await kv.leaseGrant({ TTL: 20, ID: 3n });
    expect((await kv.leaseLeases()).leases).toEqual([{ ID: 2n }, { ID: 3n }, { ID: 1n }]);
  });

  it("a LocalKv built on a recovered store gives every lease its full TTL again", async () => {
    const { kv, clock } = newKv();
    await kv.leaseGrant({ TTL: 10, ID: 1n });
    await kv.put({ key: b("a"), value: b("1"), lease: 1n });
    clock.advance(9_000);
    const recovered = MvccStore.importState(kv.store.exportState());
    await kv.close();
    const clock2 = new ManualClock(clock.now());
    const kv2 = LocalKv.fromStore(recovered, { clock: clock2, rng: new FixedRng() });
    expect((await kv2.leaseTimeToLive(1n)).TTL).toBe(10);
    clock2.advance(9_999);
    await settle();
    expect((await kv2.range({ key: b("a") })).count).toBe(1);
    clock2.advance(1);
    await settle();
    expect((await kv2.range({ key: b("a") })).count).toBe(0);
  });
});

describe("watch streams", () => {
  it("deliver asynchronously, in order, never inside the write", async () => {
    const { kv } = newKv();
    const got: WatchResponse[] = [];
    const stream = kv.openWatchStream((r) => got.push(r));
    stream.create({ key: b("a") });
    expect(got).toEqual([]); // not even `created` synchronously
    await settle();
    expect(got.map((r) => r.created)).toEqual([true]);
    const p1 = kv.put({ key: b("a"), value: b("1") });
    const p2 = kv.put({ key: b("a"), value: b("2") });
    await Promise.all([p1, p2]);
    await settle();
    expect(got.slice(1).map((r) => str(r.events[0]!.kv.value))).toEqual(["1", "2"]);
  });

  it("a handler that writes does not re-enter the store's apply", async () => {
    const { kv } = newKv();
    const order: string[] = [];
    const stream = kv.openWatchStream((r) => {
      for (const e of r.events) {
        order.push(str(e.kv.value));
        if (str(e.kv.value) === "1") void kv.put({ key: b("a"), value: b("2") });
      }
    });
    stream.create({ key: b("a") });
    await kv.put({ key: b("a"), value: b("1") });
    await settle();
    expect(order).toEqual(["1", "2"]);
  });

  it("sends progress notifications every 10 minutes to progress-notify watchers", async () => {
    const { kv, clock } = newKv();
    const got: WatchResponse[] = [];
    const stream = kv.openWatchStream((r) => got.push(r));
    stream.create({ key: b("a"), progressNotify: true });
    await settle();
    clock.advance(PROGRESS_REPORT_INTERVAL_MS - 1);
    await settle();
    expect(got).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(got[1]).toMatchObject({ watchId: 0, events: [], header: { revision: 1 } });
    stream.requestProgress();
    await settle();
    expect(got[2]).toMatchObject({ watchId: -1, events: [] });
    stream.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it("close of the stream stops deliveries queued but not yet delivered", async () => {
    const { kv } = newKv();
    const got: WatchResponse[] = [];
    const stream = kv.openWatchStream((r) => got.push(r));
    stream.create({ key: b("a") });
    stream.close();
    await settle();
    expect(got).toEqual([]);
    await kv.put({ key: b("a"), value: b("1") });
    expect(kv.store.watcherCount).toBe(0);
  });
});

describe("status and close", () => {
  it("reports etcd's version, sizes, indexes and the NOSPACE alarm", async () => {
    const kv = new LocalKv({ clock: new ManualClock(), rng: new FixedRng(), limits: { quotaBackendBytes: 30_000 } });
    await kv.put({ key: b("a"), value: b("1") });
    const s = await kv.status();
    expect(s).toMatchObject({ version: "3.4.23", leader: DEFAULT_MEMBER_ID, raftIndex: 1, raftAppliedIndex: 1, raftTerm: 2, errors: [], isLearner: false });
    expect(s.dbSize).toBeGreaterThanOrEqual(s.dbSizeInUse);
    expect(s.header.revision).toBe(2);
    expect(await errorOf(kv.put({ key: b("big"), value: new Uint8Array(20_000) }))).toBe(
      "RESOURCE_EXHAUSTED etcdserver: mvcc: database space exceeded",
    );
    expect((await kv.status()).errors).toEqual([`memberID:${DEFAULT_MEMBER_ID} alarm:NOSPACE `]);
  });

  it("close fails pending and later calls with UNAVAILABLE, stops timers and closes the log", async () => {
    const log = new HeldLog();
    const clock = new ManualClock();
    const kv: KV = new LocalKv({ clock, rng: new FixedRng(), log });
    const pending = kv.put({ key: b("a"), value: b("1") });
    await kv.close();
    expect(await errorOf(pending)).toBe("UNAVAILABLE etcdserver: server stopped");
    expect(await errorOf(kv.range({ key: b("a") }))).toBe("UNAVAILABLE etcdserver: server stopped");
    expect(await errorOf(kv.leaseGrant({ TTL: 5 }))).toBe("UNAVAILABLE etcdserver: server stopped");
    expect(log.closed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
    log.release(0);
    await settle();
  });
});
