// GrpcKv against real etcd 3.4 (started by startEtcd): every KV method, etcd's error codes and
// messages, watch and keep-alive streams, deadlines and close(). Real etcd is the arbiter of what the
// client must return; the reference server is checked against the same client elsewhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrpcKv } from "../../../reference-impl/store/grpc/client.ts";
import { KvError, type WatchResponse } from "../../../spec/interfaces/kv.ts";
import { etcdAvailable, startEtcd, type EtcdProcess } from "./etcd-process.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const hasEtcd = etcdAvailable();
if (!hasEtcd) {
  const message = "etcd is not installed (apt-get install etcd-server etcd-client)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[grpc-kv-etcd] skipping: ${message}`);
}

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const s = (u: Uint8Array): string => new TextDecoder().decode(u);

async function rejection(p: Promise<unknown>): Promise<KvError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KvError)) throw new Error(`expected a KvError, got ${String(err)}`);
  return err;
}

/** Collects a watch stream's responses; `next(n)` waits until n responses arrived in total. */
function recorder(kv: GrpcKv) {
  const responses: WatchResponse[] = [];
  const errors: Error[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const stream = kv.openWatchStream(
    (res) => {
      responses.push(res);
      for (const w of waiters.filter((w) => responses.length >= w.n)) w.resolve();
    },
    (err) => {
      errors.push(err);
      for (const w of waiters) w.resolve();
    },
  );
  return {
    stream,
    responses,
    errors,
    next: (n: number) =>
      new Promise<void>((resolve) => {
        if (responses.length >= n || errors.length > 0) resolve();
        else waiters.push({ n, resolve });
      }),
    failed: () =>
      new Promise<void>((resolve) => {
        if (errors.length > 0) resolve();
        else waiters.push({ n: Infinity, resolve });
      }),
  };
}

describe.skipIf(!hasEtcd)("GrpcKv against real etcd 3.4", () => {
  let etcd: EtcdProcess;
  let kv: GrpcKv;

  beforeAll(async () => {
    etcd = await startEtcd();
    kv = new GrpcKv({ endpoint: etcd.endpoint });
  });
  afterAll(async () => {
    await kv?.close();
    await etcd?.stop();
  });

  it("puts and ranges with revisions, versions, prev_kv, limit, sort, keys_only and count_only", async () => {
    const first = await kv.put({ key: b("kv/a"), value: b("1") });
    const second = await kv.put({ key: b("kv/a"), value: b("2"), prevKv: true });
    expect(second.header.revision).toBe(first.header.revision + 1);
    expect(s(second.prevKv!.value)).toBe("1");
    await kv.put({ key: b("kv/b"), value: b("3") });

    const all = await kv.range({ key: b("kv/"), rangeEnd: b("kv0") });
    expect(all.count).toBe(2);
    expect(all.kvs.map((x) => [s(x.key), s(x.value), x.version, x.createRevision])).toEqual([
      ["kv/a", "2", 2, first.header.revision],
      ["kv/b", "3", 1, first.header.revision + 2],
    ]);
    expect(all.kvs[0]!.key.constructor).toBe(Uint8Array);

    const limited = await kv.range({ key: b("kv/"), rangeEnd: b("kv0"), limit: 1, sortOrder: "DESCEND", sortTarget: "KEY" });
    expect([limited.more, limited.count, s(limited.kvs[0]!.key)]).toEqual([true, 2, "kv/b"]);
    const keysOnly = await kv.range({ key: b("kv/a"), keysOnly: true });
    expect(keysOnly.kvs[0]!.value.length).toBe(0);
    const countOnly = await kv.range({ key: b("kv/"), rangeEnd: b("kv0"), countOnly: true });
    expect([countOnly.kvs.length, countOnly.count]).toEqual([0, 2]);

    // A single-key range must not become "every key >= key" (etcd reads a range_end sent empty so).
    expect((await kv.range({ key: b("kv/") })).count).toBe(0);
    const past = await kv.range({ key: b("kv/a"), revision: first.header.revision });
    expect(s(past.kvs[0]!.value)).toBe("1");
  });

  it("deletes ranges and runs txns with compares and nested responses", async () => {
    await kv.put({ key: b("tx/a"), value: b("x") });
    const ok = await kv.txn({
      compare: [{ result: "EQUAL", target: "VALUE", key: b("tx/a"), value: b("x") }],
      success: [
        { requestPut: { key: b("tx/b"), value: b("y") } },
        { requestRange: { key: b("tx/a") } },
        { requestTxn: { compare: [], success: [{ requestRange: { key: b("tx/b") } }], failure: [] } },
      ],
      failure: [],
    });
    expect(ok.succeeded).toBe(true);
    expect(ok.responses.map((r) => Object.keys(r)[0])).toEqual(["responsePut", "responseRange", "responseTxn"]);
    const nested = ok.responses[2]!;
    expect("responseTxn" in nested && "responseRange" in nested.responseTxn.responses[0]!).toBe(true);

    const failed = await kv.txn({
      compare: [{ result: "GREATER", target: "VERSION", key: b("tx/a"), version: 5 }],
      success: [],
      failure: [{ requestDeleteRange: { key: b("tx/"), rangeEnd: b("tx0"), prevKv: true } }],
    });
    expect(failed.succeeded).toBe(false);
    const del = failed.responses[0]!;
    expect("responseDeleteRange" in del && del.responseDeleteRange.deleted).toBe(2);
    expect("responseDeleteRange" in del && del.responseDeleteRange.prevKvs.map((x) => s(x.key))).toEqual(["tx/a", "tx/b"]);
  });

  it("maps etcd's errors to KvError with etcd's code and message", async () => {
    const r1 = await kv.put({ key: b("err/a"), value: b("1") });
    await kv.put({ key: b("err/a"), value: b("2") });
    await kv.compact({ revision: r1.header.revision + 1 });

    const compacted = await rejection(kv.range({ key: b("err/a"), revision: r1.header.revision }));
    expect([compacted.code, compacted.message]).toEqual(["OUT_OF_RANGE", "etcdserver: mvcc: required revision has been compacted"]);
    const future = await rejection(kv.range({ key: b("err/a"), revision: r1.header.revision + 1000 }));
    expect([future.code, future.message]).toEqual(["OUT_OF_RANGE", "etcdserver: mvcc: required revision is a future revision"]);
    const empty = await rejection(kv.put({ key: new Uint8Array(0), value: b("") }));
    expect([empty.code, empty.message]).toEqual(["INVALID_ARGUMENT", "etcdserver: key is not provided"]);
    const tooLarge = await rejection(kv.put({ key: b("err/big"), value: new Uint8Array(1.6 * 1024 * 1024) }));
    expect([tooLarge.code, tooLarge.message]).toEqual(["INVALID_ARGUMENT", "etcdserver: request is too large"]);
    const overMax = await rejection(kv.put({ key: b("err/big"), value: new Uint8Array(3 * 1024 * 1024) }));
    expect(overMax.code).toBe("RESOURCE_EXHAUSTED");
    expect(overMax.message).toMatch(/^grpc: received message larger than max \(\d+ vs\. 2097152\)$/);
    const noLease = await rejection(kv.leaseRevoke(424242n));
    expect([noLease.code, noLease.message]).toEqual(["NOT_FOUND", "etcdserver: requested lease not found"]);
  });

  it("streams watch responses in order: created, events with prev_kv, progress, cancel", async () => {
    const w = recorder(kv);
    w.stream.create({ key: b("w/"), rangeEnd: b("w0"), prevKv: true });
    await w.next(1);
    expect(w.responses[0]).toMatchObject({ created: true, canceled: false });
    const id = w.responses[0]!.watchId;
    await kv.put({ key: b("w/a"), value: b("1") });
    await kv.put({ key: b("w/a"), value: b("2") });
    await kv.deleteRange({ key: b("w/a") });
    await w.next(4);
    const events = w.responses.slice(1, 4).flatMap((r) => r.events);
    expect(events.map((e) => [e.type, s(e.kv.key), s(e.kv.value), e.prevKv ? s(e.prevKv.value) : null])).toEqual([
      ["PUT", "w/a", "1", null],
      ["PUT", "w/a", "2", "1"],
      ["DELETE", "w/a", "", "2"],
    ]);
    const revisions = w.responses.slice(1, 4).map((r) => r.header.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));

    w.stream.requestProgress();
    await w.next(5);
    expect(w.responses[4]).toMatchObject({ watchId: -1, events: [] });
    w.stream.cancel(id);
    await w.next(6);
    expect(w.responses[5]).toMatchObject({ watchId: id, canceled: true });
    w.stream.close();
    expect(w.errors).toEqual([]);
  });

  it("reports a watch from a compacted revision with compact_revision, as etcd does", async () => {
    const r1 = await kv.put({ key: b("wc/a"), value: b("1") });
    const r2 = await kv.put({ key: b("wc/a"), value: b("2") });
    await kv.compact({ revision: r2.header.revision });
    const w = recorder(kv);
    w.stream.create({ key: b("wc/a"), startRevision: r1.header.revision });
    await w.next(2);
    expect(w.responses[0]).toMatchObject({ created: true });
    expect(w.responses[1]).toMatchObject({ canceled: true, compactRevision: r2.header.revision });
    w.stream.close();
  });

  it("grants, keeps alive, inspects and revokes leases", async () => {
    const grant = await kv.leaseGrant({ TTL: 30 });
    expect(grant.TTL).toBe(30);
    await kv.put({ key: b("l/a"), value: b("v"), lease: grant.ID });
    const [ka1, ka2] = await Promise.all([kv.leaseKeepAlive(grant.ID), kv.leaseKeepAlive(grant.ID)]);
    expect([ka1.ID, ka1.TTL, ka2.TTL]).toEqual([grant.ID, 30, 30]);
    const ttl = await kv.leaseTimeToLive(grant.ID, true);
    expect([ttl.grantedTTL, ttl.keys.map(s)]).toEqual([30, ["l/a"]]);
    expect((await kv.leaseLeases()).leases.map((l) => l.ID)).toContain(grant.ID);
    await kv.leaseRevoke(grant.ID);
    expect((await kv.range({ key: b("l/a") })).count).toBe(0);
    expect((await kv.leaseKeepAlive(grant.ID)).TTL).toBe(0);
    expect((await kv.leaseTimeToLive(grant.ID)).TTL).toBe(-1);
  });

  it("reads Maintenance.Status: version 3.4, this member leads", async () => {
    const st = await kv.status();
    expect(st.version).toMatch(/^3\.4\./);
    expect(st.leader).toBe(st.header.memberId);
    expect(st.dbSize).toBeGreaterThan(0);
  });

  it("carries 64 concurrent clients' puts, each acknowledged with its own revision", async () => {
    const clients = Array.from({ length: 64 }, () => new GrpcKv({ endpoint: etcd.endpoint }));
    try {
      const revisions = await Promise.all(
        clients.flatMap((c, i) =>
          Array.from({ length: 10 }, async (_, j) => (await c.put({ key: b(`c/${i}/${j}`), value: b("v") })).header.revision),
        ),
      );
      expect(new Set(revisions).size).toBe(640);
      expect((await kv.range({ key: b("c/"), rangeEnd: b("c0"), countOnly: true })).count).toBe(640);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("fails a call at its deadline, and close() fails calls in flight with UNAVAILABLE", async () => {
    const client = new GrpcKv({ endpoint: etcd.endpoint });
    await client.status(); // connected
    process.kill(etcd.pid, "SIGSTOP");
    try {
      const late = await rejection(client.range({ key: b("x") }, { timeoutMs: 300 }));
      expect(late.code).toBe("DEADLINE_EXCEEDED");
      const pending = rejection(client.range({ key: b("x") }));
      await client.close();
      expect((await pending).code).toBe("UNAVAILABLE");
      expect((await rejection(client.range({ key: b("x") }))).code).toBe("UNAVAILABLE");
    } finally {
      process.kill(etcd.pid, "SIGCONT");
    }
  });
});

describe.skipIf(!hasEtcd)("GrpcKv when etcd dies", () => {
  it("calls onError once on the watch stream and fails waiting keep-alives", async () => {
    const etcd = await startEtcd();
    const kv = new GrpcKv({ endpoint: etcd.endpoint });
    try {
      const w = recorder(kv);
      w.stream.create({ key: b("a") });
      await w.next(1);
      await etcd.kill();
      await w.failed();
      expect(w.errors).toHaveLength(1);
      expect(w.errors[0]).toBeInstanceOf(KvError);
      expect((w.errors[0] as KvError).code).toBe("UNAVAILABLE");
      expect((await rejection(kv.leaseKeepAlive(1n))).code).toBe("UNAVAILABLE");
    } finally {
      await kv.close();
      await etcd.stop();
    }
  });
});
