import { describe, expect, it } from "vitest";
import type { KubeObject, ResourceType } from "../../spec/interfaces/api-client.ts";
import type { ApiRequest, ApiResponse, WatchResponse, WatchSink } from "../apiserver/request.ts";
import { Simulation } from "../runtime/index.ts";
import { type ApiHandler, InProcessApiClient } from "./in-process.ts";
import { NODE_NAME_INDEX, byNodeName } from "./indexer.ts";
import { DeletedFinalStateUnknown, type ResourceEventHandler, SharedInformer, type SharedInformerOptions } from "./informer.ts";
import { SharedInformerFactory } from "./informer-factory.ts";
import { SimNetwork } from "./network.ts";
import { FakeApiServer } from "./testing/fake-api-server.ts";

const pods: ResourceType = { group: "", version: "v1", resource: "pods" };
const nodes: ResourceType = { group: "", version: "v1", resource: "nodes" };

function world(opts: { wrap?: (server: FakeApiServer) => ApiHandler } = {}) {
  const sim = new Simulation({ seed: 11 });
  const net = new SimNetwork({ clock: sim.clock, rng: sim.rng("network"), defaultLink: { latencyMs: 2 }, requestTimeoutMs: 5000 });
  const server = new FakeApiServer({ clock: sim.clock, bookmarkIntervalMs: 60_000 });
  const handler = opts.wrap?.(server) ?? server;
  // The test's own writer and the informer's client are different components.
  const writer = new InProcessApiClient({ name: "writer", network: net, server: handler });
  const client = new InProcessApiClient({ name: "controller", network: net, server: handler });
  const informer = (o: Partial<SharedInformerOptions> = {}): SharedInformer =>
    new SharedInformer({ client, clock: sim.clock, type: pods, trace: (kind, summary) => sim.log("informer", kind, summary), ...o });
  const write = async <T>(p: Promise<T>): Promise<T> => {
    const v = p.then((x) => ({ x }));
    await sim.runFor(50);
    return (await v).x;
  };
  const requests = (verb: string): ApiRequest[] => server.requests.filter((r) => r.verb === verb);
  return { sim, net, server, writer, client, informer, write, requests };
}

function pod(name: string, nodeName?: string, namespace?: string): KubeObject {
  const p: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: nodeName === undefined ? {} : { nodeName } };
  if (namespace !== undefined) p.metadata!.namespace = namespace;
  return p;
}

/** Records handler calls as short strings: `add web 2 initial`, `update web 2->3`, `delete web`. */
function recorder(): { log: string[]; handler: ResourceEventHandler } {
  const log: string[] = [];
  const id = (o: KubeObject): string => `${o.metadata?.name} ${o.metadata?.resourceVersion}`;
  return {
    log,
    handler: {
      onAdd: (o, initial) => log.push(`add ${id(o)}${initial ? " initial" : ""}`),
      onUpdate: (a, b) => log.push(`update ${a.metadata?.name} ${a.metadata?.resourceVersion}->${b.metadata?.resourceVersion}`),
      onDelete: (o) =>
        log.push(o instanceof DeletedFinalStateUnknown ? `delete tombstone ${o.key} ${o.obj.metadata?.resourceVersion}` : `delete ${id(o)}`),
    },
  };
}

const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata?.name ?? "").sort();

describe("SharedInformer", () => {
  it("lists, syncs, and then follows adds, updates and deletes", async () => {
    const { sim, writer, informer, write } = world();
    await write(writer.create(pods, "default", pod("a", "node-1")));
    await write(writer.create(pods, "kube-system", pod("b", "node-2")));
    const inf = informer({ indexers: { [NODE_NAME_INDEX]: byNodeName } });
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    expect(inf.hasSynced()).toBe(false);
    inf.start();
    const synced = inf.waitForSync();
    await sim.runFor(100);
    await synced;
    expect(inf.hasSynced()).toBe(true);
    expect(rec.log).toEqual(["add a 2 initial", "add b 3 initial"]);
    expect(inf.lastSyncResourceVersion()).toBe("3");

    const a = await write(writer.get(pods, "default", "a"));
    await write(writer.update(pods, "default", { ...a, metadata: { ...a.metadata, labels: { x: "y" } } }));
    await write(writer.create(pods, "default", pod("c")));
    await write(writer.delete(pods, "kube-system", "b"));
    expect(rec.log.slice(2)).toEqual(["update a 2->4", "add c 5", "delete b 6"]);
    expect(inf.get("default", "a")?.metadata?.labels).toEqual({ x: "y" });
    expect(names(inf.list())).toEqual(["a", "c"]);
    expect(names(inf.list("default"))).toEqual(["a", "c"]);
    expect(names(inf.byIndex(NODE_NAME_INDEX, "node-1"))).toEqual(["a"]);
    expect(inf.byIndex(NODE_NAME_INDEX, "node-2")).toEqual([]);
    expect(inf.listKeys().sort()).toEqual(["default/a", "default/c"]);
    inf.stop();
  });

  it("lists in pages, then watches from the list's resourceVersion with bookmarks and a timeout", async () => {
    const { sim, writer, informer, write, requests } = world();
    for (const n of ["a", "b", "c", "d", "e"]) await write(writer.create(pods, "default", pod(n)));
    const inf = informer({ pageSize: 2 });
    inf.start();
    await sim.runFor(100);
    expect(names(inf.list())).toEqual(["a", "b", "c", "d", "e"]);
    const lists = requests("list");
    expect(lists.map((r) => r.query.limit)).toEqual(["2", "2", "2"]);
    expect(lists[0]!.query.resourceVersion).toBe("0");
    expect(lists[1]!.query.continue).toBeDefined();
    expect(lists[1]!.query.resourceVersion).toBeUndefined();
    const [watch] = requests("watch");
    expect(watch!.query).toMatchObject({ resourceVersion: "6", allowWatchBookmarks: "true", timeoutSeconds: "300" });
    inf.stop();
  });

  it("keeps following through bookmarks and resumes from the bookmark's resourceVersion", async () => {
    const { sim, writer, informer, write, requests, server } = world();
    const inf = informer();
    inf.start();
    await sim.runFor(100);
    // Writes to another resource move the revision; the bookmark tells the informer.
    await write(writer.create(nodes, undefined, { metadata: { name: "n1" } }));
    await sim.runFor(60_000);
    expect(inf.lastSyncResourceVersion()).toBe("2");
    server.breakWatches();
    await sim.runFor(100);
    expect(requests("watch").map((r) => r.query.resourceVersion)).toEqual(["1", "2"]);
    inf.stop();
  });

  it("resumes after the server ends the watch, without relisting, duplicates or gaps", async () => {
    const { sim, writer, informer, write, requests, server } = world();
    const inf = informer();
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await sim.runFor(100);
    for (let i = 0; i < 6; i++) {
      await write(writer.create(pods, "default", pod(`p${i}`)));
      if (i % 2 === 1) server.breakWatches();
      await sim.runFor(2000);
    }
    expect(rec.log).toEqual(["add p0 2", "add p1 3", "add p2 4", "add p3 5", "add p4 6", "add p5 7"]);
    expect(requests("list")).toHaveLength(1);
    expect(requests("watch").map((r) => r.query.resourceVersion)).toEqual(["1", "3", "5", "7"]);
    inf.stop();
  });

  it("backs off during a partition and resumes from the last resourceVersion after it heals", async () => {
    const { sim, net, writer, informer, write, requests } = world();
    const inf = informer();
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await sim.runFor(100);
    await write(writer.create(pods, "default", pod("before")));
    const cut = net.partition("controller", "apiserver");
    await write(writer.create(pods, "default", pod("during")));
    await sim.runFor(30_000);
    expect(rec.log).toEqual(["add before 2"]);
    cut.heal();
    await sim.runFor(60_000);
    expect(rec.log).toEqual(["add before 2", "add during 3"]);
    expect(requests("list")).toHaveLength(1);
    const resumes = requests("watch").map((r) => r.query.resourceVersion);
    expect(resumes[resumes.length - 1]).toBe("2");
    expect(sim.trace.events().some((e) => e.kind === "backoff")).toBe(true);
    inf.stop();
  });

  it("relists after 410 Expired and reports what it missed, deletions as tombstones", async () => {
    const { sim, net, writer, informer, write, requests, server } = world();
    for (const n of ["a", "b", "c"]) await write(writer.create(pods, "default", pod(n)));
    const inf = informer();
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await sim.runFor(100);
    expect(rec.log).toEqual(["add a 2 initial", "add b 3 initial", "add c 4 initial"]);
    const cut = net.partition("controller", "apiserver");
    await write(writer.delete(pods, "default", "a"));
    const b = await write(writer.get(pods, "default", "b"));
    await write(writer.update(pods, "default", { ...b, metadata: { ...b.metadata, labels: { v: "2" } } }));
    await write(writer.create(pods, "default", pod("d")));
    server.compact();
    cut.heal();
    await sim.runFor(120_000);
    expect(rec.log.slice(3)).toEqual(["update b 3->6", "add d 7", "delete tombstone default/a 2"]);
    expect(names(inf.list())).toEqual(["b", "c", "d"]);
    const lists = requests("list");
    expect(lists).toHaveLength(2);
    expect(lists[1]!.query.resourceVersion).toBe("4");
    expect(sim.trace.events().some((e) => e.summary.includes("too old resource version: 4 (7)"))).toBe(true);
    inf.stop();
  });

  it("lists the latest state when the list's own resourceVersion is gone", async () => {
    const { sim, writer, informer, write, requests, server } = world();
    await write(writer.create(pods, "default", pod("a")));
    let refused = 0;
    server.intercept = (req) => {
      if (req.verb !== "list" || req.query.resourceVersion === undefined || refused > 0) return undefined;
      refused++;
      return { code: 410, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "The resourceVersion for the provided list is too old.", reason: "Expired", code: 410 } };
    };
    const inf = informer();
    inf.start();
    await sim.runFor(100);
    expect(inf.hasSynced()).toBe(true);
    expect(requests("list").map((r) => r.query.resourceVersion)).toEqual(["0", undefined]);
    inf.stop();
  });

  it("falls back to a full list when a continue token expires mid-list", async () => {
    const { sim, writer, informer, write, requests, server } = world();
    for (const n of ["a", "b", "c"]) await write(writer.create(pods, "default", pod(n)));
    server.intercept = (req) => {
      if (req.verb === "list" && req.query.continue !== undefined) server.compact();
      return undefined;
    };
    // Writes between pages make the first page's revision compactable.
    const inf = informer({ pageSize: 2 });
    inf.start();
    await sim.runFor(1);
    await write(writer.create(pods, "default", pod("d")));
    await sim.runFor(100);
    expect(names(inf.list())).toEqual(["a", "b", "c", "d"]);
    expect(requests("list").map((r) => `${r.query.limit ?? "-"} ${r.query.continue === undefined ? "-" : "token"} ${r.query.resourceVersion ?? "-"}`)).toEqual([
      "2 - 0",
      "2 token -",
      "- - 0",
    ]);
    inf.stop();
  });

  it("relists after a back-off when watches keep closing at once", async () => {
    const { sim, informer, requests } = world({
      wrap: (server) => ({
        handle: (req) => server.handle(req),
        watch: (req: ApiRequest, sink: WatchSink): WatchResponse | ApiResponse => {
          server.requests.push(req);
          sink.close();
          return { stop: () => undefined };
        },
      }),
    });
    const inf = informer();
    inf.start();
    await sim.runFor(10_000);
    const lists = requests("list");
    // 0 ms list, very short watch, back-off 800 ms, relist, 1600 ms, relist, 3200 ms, relist.
    expect(lists.length).toBe(4);
    const backoffs = sim.trace.events().filter((e) => e.kind === "backoff").map((e) => e.summary);
    expect(backoffs.slice(0, 3)).toEqual(["pods: 800 ms", "pods: 1600 ms", "pods: 3200 ms"]);
    expect(sim.trace.events().some((e) => e.kind === "error" && e.summary.includes("very short watch: pods"))).toBe(true);
    inf.stop();
  });

  it("re-delivers every cached object on resync", async () => {
    const { sim, writer, informer, write } = world();
    for (const n of ["a", "b"]) await write(writer.create(pods, "default", pod(n)));
    const inf = informer({ resyncPeriodMs: 10_000 });
    const rec = recorder();
    const fast = recorder();
    inf.addEventHandler(rec.handler);
    inf.addEventHandler(fast.handler, { resyncPeriodMs: 100 }); // raised to the 1 s minimum
    inf.start();
    await sim.runFor(10_050);
    expect(rec.log).toEqual(["add a 2 initial", "add b 3 initial", "update a 2->2", "update b 3->3"]);
    expect(fast.log.filter((l) => l.startsWith("update"))).toHaveLength(20);
    inf.stop();
  });

  it("replays the cache to a handler added after the start", async () => {
    const { sim, writer, informer, write } = world();
    await write(writer.create(pods, "default", pod("a")));
    const inf = informer();
    inf.start();
    await sim.runFor(100);
    const rec = recorder();
    const reg = inf.addEventHandler(rec.handler);
    expect(rec.log).toEqual(["add a 2 initial"]);
    expect(reg.hasSynced()).toBe(true);
    reg.remove();
    await write(writer.create(pods, "default", pod("b")));
    expect(rec.log).toEqual(["add a 2 initial"]);
    inf.stop();
  });

  it("keeps going when a handler throws, and reports it", async () => {
    const { sim, writer, informer, write } = world();
    const errors: unknown[] = [];
    const inf = informer({ onError: (e) => errors.push(e) });
    const rec = recorder();
    inf.addEventHandler({
      onAdd: () => {
        throw new Error("handler bug");
      },
    });
    inf.addEventHandler(rec.handler);
    inf.start();
    await sim.runFor(100);
    await write(writer.create(pods, "default", pod("a")));
    expect(rec.log).toEqual(["add a 2"]);
    expect(errors.map((e) => (e as Error).message)).toEqual(["handler bug"]);
    inf.stop();
  });

  it("stops: no more events, the server's watch ends, waiting for sync fails", async () => {
    const { sim, writer, informer, write, server, net } = world();
    const inf = informer();
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await sim.runFor(100);
    expect(server.activeWatches).toBe(1);
    inf.stop();
    await sim.runFor(100);
    expect(server.activeWatches).toBe(0);
    await write(writer.create(pods, "default", pod("late")));
    expect(rec.log).toEqual([]);
    expect(() => inf.start()).toThrow(/stopped/);

    net.isolate("controller");
    const never = informer();
    never.start();
    const waiting = never.waitForSync().catch((e: unknown) => (e as Error).message);
    never.stop();
    expect(await waiting).toMatch(/stopped before it synced/);
    await sim.runUntilIdle();
  });

  it("syncs empty when the resource does not exist (404)", async () => {
    const { sim, informer } = world();
    const inf = informer({ type: { group: "example.com", version: "v1", resource: "widgets" } });
    inf.start();
    await sim.runFor(100);
    expect(inf.hasSynced()).toBe(true);
    expect(inf.list()).toEqual([]);
    inf.stop();
  });
});

describe("SharedInformerFactory", () => {
  it("shares one informer per resource type and starts and syncs them together", async () => {
    const { sim, client, writer, write, requests } = world();
    await write(writer.create(pods, "default", pod("a", "node-1")));
    await write(writer.create(nodes, undefined, { metadata: { name: "node-1" } }));
    const factory = new SharedInformerFactory({ client, clock: sim.clock, rng: sim.rng("controller"), name: "controller" });
    const podsA = factory.forResource(pods);
    const podsB = factory.forResource(pods, { indexers: { [NODE_NAME_INDEX]: byNodeName, zone: () => ["z"] } });
    const nodeInformer = factory.forResource(nodes);
    expect(podsA).toBe(podsB);
    expect(nodeInformer).not.toBe(podsA);
    factory.start();
    const synced = factory.waitForCacheSync();
    await sim.runFor(100);
    await synced;
    expect(names(podsA.byIndex(NODE_NAME_INDEX, "node-1"))).toEqual(["a"]);
    expect(names(podsA.byIndex("zone", "z"))).toEqual(["a"]);
    expect(names(nodeInformer.list())).toEqual(["node-1"]);
    expect(requests("list").map((r) => r.resource).sort()).toEqual(["nodes", "pods"]);
    factory.shutdown();
    expect(() => factory.forResource(pods)).toThrow(/shut down/);
    await sim.runFor(100);
  });
});
