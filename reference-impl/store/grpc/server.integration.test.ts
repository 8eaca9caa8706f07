// The reference gRPC server over LocalKv, with GrpcKv (and a raw gRPC client for malformed input)
// over loopback in this process. A second LocalKv with the same seed, driven directly, gives the
// answers the wire must reproduce exactly.
import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KvError, type KV, type WatchResponse } from "../../../spec/interfaces/kv.ts";
import { RealClock } from "../../runtime/real-clock.ts";
import { SeededRng } from "../../runtime/rng.ts";
import { LocalKv } from "../local-kv.ts";
import { GrpcKv } from "./client.ts";
import { methodDefinition } from "./proto.ts";
import { startEtcdServer, type EtcdServer } from "./server.ts";
import { readEtcdSnapshotFile } from "./snapshot-file.ts";

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (u: Uint8Array): string => new TextDecoder().decode(u);
const SEED = 7;

const localKv = (): LocalKv => new LocalKv({ clock: new RealClock(), rng: SeededRng.fromSeed(SEED).fork("store") });

async function rejection(p: Promise<unknown>): Promise<KvError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KvError)) throw new Error(`expected a KvError, got ${String(err)}`);
  return err;
}

/** A unary call with hand-made request bytes; resolves with [code, details or decoded response]. */
function rawUnary(client: grpc.Client, service: "KV" | "Lease" | "Maintenance" | "Cluster", method: string, bytes: Uint8Array) {
  const def = methodDefinition(service, method);
  return new Promise<[number, unknown]>((resolve) => {
    client.makeUnaryRequest(def.path, (x: Buffer) => x, def.responseDeserialize, Buffer.from(bytes), (err, res) =>
      resolve(err ? [err.code, err.details] : [grpc.status.OK, res]),
    );
  });
}

function encode(service: "KV", method: string, msg: object): Buffer {
  return methodDefinition(service, method).requestSerialize(msg);
}

function watchRecorder(kv: KV) {
  const responses: WatchResponse[] = [];
  const errors: Error[] = [];
  let wake: (() => void) | undefined;
  const stream = kv.openWatchStream(
    (r) => {
      responses.push(r);
      wake?.();
    },
    (e) => {
      errors.push(e);
      wake?.();
    },
  );
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
  };
  return { stream, responses, errors, count: (n: number) => until(() => responses.length >= n || errors.length > 0), failed: () => until(() => errors.length > 0) };
}

describe("reference etcd server over LocalKv", () => {
  let served: LocalKv;
  let direct: LocalKv;
  let server: EtcdServer;
  let kv: GrpcKv;
  let raw: grpc.Client;

  beforeEach(async () => {
    served = localKv();
    direct = localKv();
    server = await startEtcdServer({ kv: served, port: 0, snapshot: async () => b("SNAPSHOT-BYTES") });
    kv = new GrpcKv({ endpoint: server.endpoint });
    raw = new grpc.Client(server.endpoint, grpc.credentials.createInsecure());
  });
  afterEach(async () => {
    raw.close();
    await kv.close();
    await server.stop();
    await served.close();
    await direct.close();
  });

  it("listens on 127.0.0.1 only", () => {
    expect(server.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("answers every KV and lease call exactly as the store does in process", async () => {
    const run = async (x: KV): Promise<unknown[]> => {
      const out: unknown[] = [];
      out.push(await x.put({ key: b("a"), value: b("1") }));
      out.push(await x.put({ key: b("a"), value: b("2"), prevKv: true }));
      out.push(await x.put({ key: b("b"), value: b("3") }));
      out.push(await x.range({ key: b("a"), rangeEnd: b("c"), sortOrder: "DESCEND", sortTarget: "MOD", limit: 1 }));
      out.push(await x.range({ key: b("a"), revision: 2 }));
      out.push(await x.range({ key: b("a"), rangeEnd: Uint8Array.of(0), countOnly: true }));
      out.push(
        await x.txn({
          compare: [{ result: "EQUAL", target: "VERSION", key: b("a"), version: 2 }],
          success: [
            { requestPut: { key: b("c"), value: b("4"), prevKv: true } },
            { requestTxn: { compare: [], success: [{ requestRange: { key: b("c") } }], failure: [] } },
          ],
          failure: [],
        }),
      );
      out.push(await x.deleteRange({ key: b("b"), rangeEnd: b("d"), prevKv: true }));
      const grant = await x.leaseGrant({ TTL: 60 });
      out.push(grant);
      out.push(await x.put({ key: b("l"), value: b("v"), lease: grant.ID }));
      out.push(await x.leaseKeepAlive(grant.ID));
      out.push(await x.leaseTimeToLive(grant.ID, true));
      out.push(await x.leaseLeases());
      out.push(await x.leaseRevoke(grant.ID));
      out.push(await x.leaseKeepAlive(grant.ID));
      out.push(await x.compact({ revision: 3 }));
      for (const bad of [
        x.range({ key: b("a"), revision: 2 }),
        x.range({ key: b("a"), revision: 99 }),
        x.leaseRevoke(grant.ID),
        x.put({ key: b("z"), value: b(""), lease: 12345n }),
        x.put({ key: new Uint8Array(0), value: b("") }),
      ]) {
        const e = await rejection(bad);
        out.push([e.code, e.message]);
      }
      const st = await x.status();
      out.push({ ...st, dbSize: 0, dbSizeInUse: 0 });
      return out;
    };
    const overGrpc = await run(kv);
    const inProcess = await run(direct);
    // grantedTTL/TTL of time-to-live may differ by a second between the two runs.
    const ttl = (xs: unknown[]): unknown[] => xs.map((x) => (x && typeof x === "object" && "grantedTTL" in x ? { ...x, TTL: 0 } : x));
    expect(ttl(overGrpc)).toEqual(ttl(inProcess));
  });

  it("multiplexes watches on one stream: created, events with prev_kv, progress, cancel, compacted start", async () => {
    await kv.put({ key: b("w/a"), value: b("0") });
    const w = watchRecorder(kv);
    w.stream.create({ key: b("w/"), rangeEnd: b("w0"), prevKv: true });
    w.stream.create({ key: b("w/a"), filters: ["NOPUT"] });
    await w.count(2);
    expect(w.responses.map((r) => [r.created, r.watchId])).toEqual([
      [true, 0],
      [true, 1],
    ]);
    await kv.put({ key: b("w/a"), value: b("1") });
    await kv.deleteRange({ key: b("w/a") });
    await w.count(5);
    const byWatch = (id: number) => w.responses.filter((r) => r.watchId === id && r.events.length > 0).flatMap((r) => r.events);
    expect(byWatch(0).map((e) => [e.type, str(e.kv.key), e.prevKv ? str(e.prevKv.value) : null])).toEqual([
      ["PUT", "w/a", "0"],
      ["DELETE", "w/a", "1"],
    ]);
    expect(byWatch(1).map((e) => e.type)).toEqual(["DELETE"]);
    w.stream.requestProgress();
    await w.count(6);
    expect(w.responses[5]).toMatchObject({ watchId: -1, events: [] });
    w.stream.cancel(1);
    await w.count(7);
    expect(w.responses[6]).toMatchObject({ watchId: 1, canceled: true });

    const rev = (await kv.put({ key: b("w/b"), value: b("x") })).header.revision;
    await kv.compact({ revision: rev });
    const late = watchRecorder(kv);
    late.stream.create({ key: b("w/b"), startRevision: 1 });
    await late.count(2);
    expect(late.responses[1]).toMatchObject({ canceled: true, compactRevision: rev });
    late.stream.close();
    w.stream.close();
    expect([...w.errors, ...late.errors]).toEqual([]);
  });

  it("answers a keep-alive stream in order, and an unknown lease with TTL 0", async () => {
    const a = await kv.leaseGrant({ TTL: 30 });
    const c = await kv.leaseGrant({ TTL: 40 });
    const answers = await Promise.all([kv.leaseKeepAlive(a.ID), kv.leaseKeepAlive(c.ID), kv.leaseKeepAlive(777n), kv.leaseKeepAlive(a.ID)]);
    expect(answers.map((r) => [r.ID, r.TTL])).toEqual([
      [a.ID, 30],
      [c.ID, 40],
      [777n, 0],
      [a.ID, 30],
    ]);
  });

  it("serves MemberList, Alarm, Defragment, Snapshot; Hash is UNIMPLEMENTED", async () => {
    const [code, members] = await rawUnary(raw, "Cluster", "MemberList", new Uint8Array(0));
    expect(code).toBe(grpc.status.OK);
    const st = await kv.status();
    expect(members).toMatchObject({
      members: [{ ID: st.header.memberId.toString(), name: "default", clientURLs: [`http://${server.endpoint}`] }],
    });
    expect((await rawUnary(raw, "Maintenance", "Alarm", new Uint8Array(0)))[0]).toBe(grpc.status.OK);
    expect((await rawUnary(raw, "Maintenance", "Defragment", new Uint8Array(0)))[0]).toBe(grpc.status.OK);
    const [hashCode, hashDetails] = await rawUnary(raw, "Maintenance", "Hash", new Uint8Array(0));
    expect([hashCode, hashDetails]).toEqual([grpc.status.UNIMPLEMENTED, "plumbline: Maintenance/Hash is not implemented by the reference store"]);

    const snap = methodDefinition("Maintenance", "Snapshot");
    const chunks: { remaining_bytes: string; blob: Buffer }[] = [];
    await new Promise<void>((resolve, reject) => {
      const call = raw.makeServerStreamRequest(snap.path, snap.requestSerialize, snap.responseDeserialize, {});
      call.on("data", (c: { remaining_bytes: string; blob: Buffer }) => chunks.push(c));
      call.on("error", reject);
      call.on("end", () => resolve());
    });
    const file = Buffer.concat(chunks.map((c) => c.blob));
    expect(chunks.at(-1)!.remaining_bytes).toBe("0");
    expect(str(readEtcdSnapshotFile(file).subarray(0, 14))).toBe("SNAPSHOT-BYTES");
  });

  it("stops gracefully: open watch streams fail with etcd's 'server stopped'", async () => {
    const w = watchRecorder(kv);
    w.stream.create({ key: b("x") });
    await w.count(1);
    await server.stop();
    await w.failed();
    expect(w.errors[0]).toMatchObject({ code: "UNAVAILABLE", message: "etcdserver: server stopped" });
    expect((await rejection(kv.range({ key: b("x") }))).code).toBe("UNAVAILABLE");
  });

  describe("malformed requests get etcd's answers and the server stays up", () => {
    afterEach(async () => {
      expect((await kv.status()).version).toBe("3.4.23");
    });

    it("bytes that are not a request: INTERNAL, as grpc-go", async () => {
      const [code, details] = await rawUnary(raw, "KV", "Range", Uint8Array.of(0x0a, 0xff));
      expect(code).toBe(grpc.status.INTERNAL);
      expect(details).toMatch(/^grpc: error unmarshalling request: /);
    });

    it("an unknown sort target: INVALID_ARGUMENT, invalid sort option", async () => {
      expect(await rawUnary(raw, "KV", "Range", encode("KV", "Range", { key: b("a"), sort_target: 42 }))).toEqual([
        grpc.status.INVALID_ARGUMENT,
        "etcdserver: invalid sort option",
      ]);
    });

    it("an inverted range: no keys, no error", async () => {
      await kv.put({ key: b("m"), value: b("1") });
      const res = await kv.range({ key: b("z"), rangeEnd: b("a") });
      expect([res.count, res.kvs.length]).toEqual([0, 0]);
      expect((await kv.deleteRange({ key: b("z"), rangeEnd: b("a") })).deleted).toBe(0);
    });

    it("oversize values: request too large, then gRPC's message size limit", async () => {
      const tooLarge = await rejection(kv.put({ key: b("big"), value: new Uint8Array(1.6 * 1024 * 1024) }));
      expect([tooLarge.code, tooLarge.message]).toEqual(["INVALID_ARGUMENT", "etcdserver: request is too large"]);
      const huge = await rejection(kv.put({ key: b("big"), value: new Uint8Array(3 * 1024 * 1024) }));
      expect(huge.code).toBe("RESOURCE_EXHAUSTED");
      expect(huge.message).toMatch(/^grpc: received message larger than max \(\d+ vs\. 2097152\)$/);
      const txn = await rejection(
        kv.txn({ compare: [], success: [{ requestPut: { key: b("t"), value: new Uint8Array(1.6 * 1024 * 1024) } }], failure: [] }),
      );
      expect(txn.message).toBe("etcdserver: request is too large");
    });

    it("an unknown lease, an empty txn op, too many ops, a duplicate key", async () => {
      const lease = await rejection(kv.put({ key: b("k"), value: b("v"), lease: 99n }));
      expect([lease.code, lease.message]).toEqual(["NOT_FOUND", "etcdserver: requested lease not found"]);
      expect(await rawUnary(raw, "KV", "Txn", encode("KV", "Txn", { success: [{}] }))).toEqual([
        grpc.status.INVALID_ARGUMENT,
        "etcdserver: key not found",
      ]);
      const many = Array.from({ length: 129 }, (_, i) => ({ requestPut: { key: b(`k${i}`), value: b("") } }));
      expect((await rejection(kv.txn({ compare: [], success: many, failure: [] }))).message).toBe(
        "etcdserver: too many operations in txn request",
      );
      const dup = [{ requestPut: { key: b("d"), value: b("") } }, { requestPut: { key: b("d"), value: b("") } }];
      expect((await rejection(kv.txn({ compare: [], success: dup, failure: [] }))).message).toBe(
        "etcdserver: duplicate key given in txn request",
      );
    });

    it("garbage on a watch stream ends that stream only", async () => {
      const def = methodDefinition("Watch", "Watch");
      const status = await new Promise<grpc.StatusObject>((resolve) => {
        const call = raw.makeBidiStreamRequest(def.path, (x: Buffer) => x, def.responseDeserialize);
        call.on("error", () => {});
        call.on("status", resolve);
        call.write(Buffer.from([0x0a, 0xff, 0xff]));
      });
      expect(status.code).toBe(grpc.status.INTERNAL);
    });
  });
});

describe("reference etcd server under load", () => {
  let served: LocalKv;
  let server: EtcdServer;

  beforeAll(async () => {
    served = localKv();
    server = await startEtcdServer({ kv: served });
  });
  afterAll(async () => {
    await server.stop();
    await served.close();
  });

  it("acknowledges 64 concurrent clients' puts, each with its own revision", async () => {
    const clients = Array.from({ length: 64 }, () => new GrpcKv({ endpoint: server.endpoint }));
    try {
      const revisions = await Promise.all(
        clients.flatMap((c, i) =>
          Array.from({ length: 20 }, async (_, j) => (await c.put({ key: b(`c/${i}/${j}`), value: b("v") })).header.revision),
        ),
      );
      expect(new Set(revisions).size).toBe(64 * 20);
      expect((await clients[0]!.range({ key: b("c/"), rangeEnd: b("c0"), countOnly: true })).count).toBe(64 * 20);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
