// The API server core on real etcd 3.4 (Debian's etcd-server) through GrpcKv: the KV features the
// core relies on — txn compares on create/mod revision, ranges at a revision with limits and counts,
// watches with prevKv, progress requests and compaction — behave there as on the reference store.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeList, Status } from "../../../spec/interfaces/api-client.ts";
import { RealClock, SeededRng } from "../../runtime/index.ts";
import { GrpcKv } from "../../store/grpc/client.ts";
import { ApiServer } from "../server.ts";
import { RecordingSink, TestClient, expectCode, makeConfigMap, makePod, statusOf } from "../testing.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const etcdInstalled = spawnSync("etcd", ["--version"], { stdio: "ignore" }).status === 0;
if (!etcdInstalled && REQUIRE_REAL) throw new Error("etcd is not installed (apt-get install -y etcd-server) and PLUMBLINE_REQUIRE_REAL=1");
if (!etcdInstalled) console.warn("skipping the API server on real etcd: install etcd 3.4 (apt-get install -y etcd-server)");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr !== null ? addr.port : 0));
    });
  });
}

async function startEtcd(dataDir: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const peer = `http://127.0.0.1:${await freePort()}`;
  const client = `http://127.0.0.1:${port}`;
  const child = spawn(
    "etcd",
    ["--data-dir", dataDir, "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", `default=${peer}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer): void => {
      log = (log + chunk.toString()).slice(-4000);
      if (log.includes("ready to serve client requests")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`etcd exited (${code}): ${log}`)));
  });
  return { endpoint: `127.0.0.1:${port}`, child };
}

/** Waits (real time) until `done()` holds; the watch tests need events to arrive over gRPC. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setImmediate(r)).then(() => new Promise((r) => globalThis.setTimeout(r, 25)));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!etcdInstalled)("the API server on real etcd 3.4", () => {
  let dataDir = "";
  let etcd: { endpoint: string; child: ChildProcess };
  let kv: GrpcKv;
  let server: ApiServer;
  let api: TestClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "plumbline-apiserver-etcd-"));
    etcd = await startEtcd(dataDir);
    kv = new GrpcKv({ endpoint: etcd.endpoint });
    server = new ApiServer({ kv, clock: new RealClock(), rng: SeededRng.fromSeed(7), compactionIntervalMs: 0, bookmarkIntervalMs: 100 });
    await server.start();
    api = new TestClient(server);
  });

  afterAll(async () => {
    await server?.stop();
    await kv?.close();
    etcd?.child.kill("SIGTERM");
    if (dataDir !== "") await rm(dataDir, { recursive: true, force: true });
  });

  it("creates, conflicts, updates and pages over one snapshot", async () => {
    for (let i = 0; i < 5; i++) await api.mustCreate("configmaps", "default", makeConfigMap(`c${i}`));
    expect(statusOf(await api.create("configmaps", "default", makeConfigMap("c0"))).reason).toBe("AlreadyExists");
    const c1 = await api.mustGet("configmaps", "default", "c1");
    expectCode(await api.update("configmaps", "default", { ...c1, data: { x: "1" } }), 200);
    expect(statusOf(await api.update("configmaps", "default", { ...c1, data: { x: "2" } })).reason).toBe("Conflict");
    const first = expectCode(await api.list("configmaps", "default", { limit: "2" }), 200) as unknown as KubeList;
    expect(first.metadata.remainingItemCount).toBe(3);
    await api.delete("configmaps", "default", "c3");
    const second = expectCode(await api.list("configmaps", "default", { limit: "10", continue: first.metadata.continue! }), 200) as unknown as KubeList;
    expect(second.items.map((i) => i.metadata?.name)).toEqual(["c2", "c3", "c4"]);
  });

  it("watches with transitions, DELETED last states and bookmarks from progress requests", async () => {
    const p = await api.mustCreate("pods", "default", makePod("w", { labels: { tier: "front" } }));
    const sink = new RecordingSink();
    const res = server.watch(
      { verb: "watch", group: "", version: "v1", resource: "pods", namespace: "default", query: { resourceVersion: p.metadata!.resourceVersion!, labelSelector: "tier=front", allowWatchBookmarks: "true" }, user: "admin" },
      sink,
    );
    expect("stop" in res).toBe(true);
    await api.patch("pods", "default", "w", "merge", { metadata: { labels: { tier: "back" } } });
    await api.patch("pods", "default", "w", "merge", { metadata: { labels: { tier: "front" } } });
    await api.delete("pods", "default", "w");
    // An unscheduled pod is deleted with grace 0: marked (MODIFIED), then removed.
    await until(() => sink.events.filter((e) => e.type !== "BOOKMARK").length >= 4, "four events");
    expect(sink.summary().filter((s) => !s.startsWith("BOOKMARK"))).toEqual(["DELETED w", "ADDED w", "MODIFIED w", "DELETED w"]);
    await until(() => sink.events.some((e) => e.type === "BOOKMARK"), "a bookmark");
    if ("stop" in res) res.stop();
  });

  it("answers 410 for compacted continue tokens and watches", async () => {
    const first = expectCode(await api.list("configmaps", "default", { limit: "1" }), 200) as unknown as KubeList;
    const rv = first.metadata.resourceVersion!;
    await api.mustCreate("configmaps", "default", makeConfigMap("later"));
    await server.compactNow();
    await api.mustCreate("configmaps", "default", makeConfigMap("later2"));
    await server.compactNow();
    const expired = await api.list("configmaps", "default", { limit: "1", continue: first.metadata.continue! });
    expect(statusOf(expired)).toMatchObject({ code: 410, reason: "Expired" });
    expect(typeof statusOf(expired).metadata.continue).toBe("string");
    const sink = new RecordingSink();
    server.watch({ verb: "watch", group: "", version: "v1", resource: "configmaps", namespace: "default", query: { resourceVersion: rv }, user: "admin" }, sink);
    await until(() => sink.closed, "the watch to end");
    expect(sink.events).toHaveLength(1);
    expect((sink.events[0]!.object as unknown as Status).code).toBe(410);
  });
});
