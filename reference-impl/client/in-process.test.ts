import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type ResourceType, type WatchEvent } from "../../spec/interfaces/api-client.ts";
import type { ApiRequest, ApiResponse } from "../apiserver/request.ts";
import { Simulation } from "../runtime/index.ts";
import { ConnectionError } from "./errors.ts";
import { type ApiHandler, InProcessApiClient } from "./in-process.ts";
import { SimNetwork } from "./network.ts";
import { FakeApiServer } from "./testing/fake-api-server.ts";

const pods: ResourceType = { group: "", version: "v1", resource: "pods" };
const nodes: ResourceType = { group: "", version: "v1", resource: "nodes" };

function setup(handler?: (server: FakeApiServer) => ApiHandler) {
  const sim = new Simulation({ seed: 3 });
  const net = new SimNetwork({ clock: sim.clock, rng: sim.rng("network"), defaultLink: { latencyMs: 5 }, requestTimeoutMs: 1000 });
  const server = new FakeApiServer({ clock: sim.clock, bookmarkIntervalMs: 1000 });
  const client = new InProcessApiClient({ name: "scheduler", network: net, server: handler?.(server) ?? server });
  /** Runs the simulation until `p` settles (and everything it started is idle). */
  const run = async <T>(p: Promise<T>): Promise<T> => {
    const settled = p.then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    await sim.runUntilIdle();
    const r = await settled;
    if (r.ok) return r.v;
    throw r.e;
  };
  return { sim, net, server, client, run };
}

function pod(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: { containers: [{ name: "c", image: "busybox" }] } };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected the request to fail");
}

describe("InProcessApiClient against a fake API server", () => {
  it("creates, gets, lists, updates, patches and deletes", async () => {
    const { client, run, server } = setup();
    const created = await run(client.create(pods, "default", pod("web", { app: "web" })));
    expect(created.metadata?.namespace).toBe("default");
    expect(created.metadata?.resourceVersion).toBe("2");
    await run(client.create(pods, "default", pod("db", { app: "db" })));

    const got = await run(client.get(pods, "default", "web"));
    expect(got).toEqual(created);

    const list = await run(client.list(pods, "default", { labelSelector: "app=web" }));
    expect(list.items.map((p) => p.metadata?.name)).toEqual(["web"]);
    expect(list.metadata.resourceVersion).toBe("3");

    const updated = await run(client.update(pods, "default", { ...got, metadata: { ...got.metadata, labels: { app: "web", tier: "front" } } }));
    expect(updated.metadata?.resourceVersion).toBe("4");

    const patched = await run(client.patch(pods, "default", "web", "merge", { metadata: { labels: { tier: null } } }));
    expect(patched.metadata?.labels).toEqual({ app: "web" });

    const deleted = await run(client.delete(pods, "default", "web", { gracePeriodSeconds: 0, propagationPolicy: "Background" }));
    expect(deleted.metadata?.name).toBe("web");
    expect(server.objects("pods").map((p) => p.metadata?.name)).toEqual(["db"]);

    const log = await run(client.getSubresource(pods, "default", "db", "log", { container: "c" }));
    expect(log).toBe("log of db\n");
  });

  it("builds ApiRequests with the query the HTTP layer would parse", async () => {
    const { client, run, server } = setup();
    await run(client.list(pods, undefined, { labelSelector: "app in (a, b)", limit: 2, resourceVersion: "0" }));
    await run(client.create(nodes, undefined, { metadata: { name: "n1" } }, { dryRun: true, fieldManager: "kubectl", fieldValidation: "Strict" }));
    await run(client.create(pods, "default", pod("p")));
    await run(client.patch(pods, "default", "p", "strategic", { metadata: { labels: { a: "b" } } }, { fieldManager: "m", force: true }));
    await run(client.delete(pods, "default", "p", { preconditions: { uid: "u" }, dryRun: true }).catch(() => undefined));
    const [list, createNode, , patch, del] = server.requests;
    expect(list).toEqual({ verb: "list", group: "", version: "v1", resource: "pods", query: { labelSelector: "app in (a, b)", limit: "2", resourceVersion: "0" }, user: "admin", userAgent: "scheduler" });
    expect(createNode).toMatchObject({ verb: "create", resource: "nodes", query: { dryRun: "All", fieldManager: "kubectl", fieldValidation: "Strict" }, body: { metadata: { name: "n1" } } });
    expect(createNode).not.toHaveProperty("namespace");
    expect(patch).toMatchObject({
      verb: "patch",
      namespace: "default",
      name: "p",
      query: { fieldManager: "m", force: "true" },
      contentType: "application/strategic-merge-patch+json",
      body: { metadata: { labels: { a: "b" } } },
    });
    expect(del).toMatchObject({ verb: "delete", name: "p", query: {}, body: { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid: "u" }, dryRun: ["All"] } });
  });

  it("turns error answers into ApiErrors with the server's Status", async () => {
    const { client, run } = setup();
    const missing = await failure(run(client.get(pods, "default", "nope")));
    expect(missing.code).toBe(404);
    expect(missing.reason).toBe("NotFound");
    expect(missing.message).toBe('pods "nope" not found');

    const created = await run(client.create(pods, "default", pod("web")));
    await run(client.update(pods, "default", created));
    const stale = await failure(run(client.update(pods, "default", created)));
    expect(stale.status).toMatchObject({ code: 409, reason: "Conflict" });
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("synthesizes a Status, as client-go does, for an error answer that carries none", async () => {
    const { client, run, server } = setup();
    server.intercept = (): ApiResponse => ({ code: 503, body: "upstream connect error" });
    const err = await failure(run(client.get(pods, "default", "web")));
    expect(err.status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server is currently unable to handle the request (get pods web)",
      reason: "ServiceUnavailable",
      details: { name: "web", kind: "pods", causes: [{ reason: "UnexpectedServerResponse", message: "upstream connect error" }] },
      code: 503,
    });
  });

  it("answers 500 InternalError when the handler throws", async () => {
    const { client, run } = setup((server) => ({
      handle: async () => {
        throw new Error("boom");
      },
      watch: (req, sink) => server.watch(req, sink),
    }));
    const err = await failure(run(client.get(pods, "default", "x")));
    expect(err.status).toMatchObject({ code: 500, reason: "InternalError", message: "Internal error occurred: boom" });
  });

  it("shares no objects with the server, in either direction", async () => {
    const { client, run, server } = setup();
    const mine = pod("web", { app: "web" });
    const created = await run(client.create(pods, "default", mine));
    mine.metadata!.labels!.app = "changed-after-send";
    created.metadata!.labels!.app = "changed-after-answer";
    expect(server.objects("pods")[0]!.metadata?.labels).toEqual({ app: "web" });
    const a = await run(client.get(pods, "default", "web"));
    const b = await run(client.get(pods, "default", "web"));
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });

  it("fails with a connection error after the timeout when the server is unreachable", async () => {
    const { client, run, net, sim, server } = setup();
    net.isolate("apiserver");
    const start = sim.now();
    const err = await failure(run(client.get(pods, "default", "web")));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(sim.now() - start).toBe(1000);
    expect(server.requests).toHaveLength(0);
  });
});

describe("InProcessApiClient watches", () => {
  type Seen = { events: WatchEvent[]; closes: (ApiError | undefined)[]; times: number[] };
  function recorder(sim: Simulation): Seen & { onEvent: (e: WatchEvent) => void; onClose: (e?: ApiError) => void } {
    const seen: Seen = { events: [], closes: [], times: [] };
    return {
      ...seen,
      onEvent: (e) => {
        seen.events.push(e);
        seen.times.push(sim.now() - sim.clock.epochMs);
      },
      onClose: (e) => seen.closes.push(e),
    };
  }

  it("delivers the initial state and changes in order, after the network latency", async () => {
    const { client, run, sim } = setup();
    await run(client.create(pods, "default", pod("a")));
    const rec = recorder(sim);
    const startMs = sim.now() - sim.clock.epochMs;
    const w = client.watch(pods, "default", {}, rec);
    await sim.runUntilIdle();
    for (const name of ["b", "c"]) await run(client.create(pods, "default", pod(name)));
    await run(client.delete(pods, "default", "a"));
    w.stop();
    w.stop();
    await sim.runUntilIdle();
    expect(rec.events.map((e) => `${e.type} ${e.object.metadata?.name} ${e.object.metadata?.resourceVersion}`)).toEqual([
      "ADDED a 2",
      "ADDED b 3",
      "ADDED c 4",
      "DELETED a 5",
    ]);
    // The request takes 5 ms to the server, the first event 5 ms back.
    expect(rec.times[0]).toBe(startMs + 10);
    expect(rec.closes).toEqual([undefined]);
  });

  it("stops the server's watch one latency after the client stops", async () => {
    const { client, sim, server } = setup();
    const rec = recorder(sim);
    const w = client.watch(pods, undefined, {}, rec);
    await sim.runFor(20);
    expect(server.activeWatches).toBe(1);
    w.stop();
    expect(rec.closes).toEqual([undefined]);
    expect(server.activeWatches).toBe(1);
    await sim.runFor(5);
    expect(server.activeWatches).toBe(0);
  });

  it("closes without error when the server ends the watch", async () => {
    const { client, sim, server } = setup();
    const rec = recorder(sim);
    client.watch(pods, undefined, { timeoutSeconds: 30 }, rec);
    await sim.runFor(20);
    expect(server.breakWatches()).toBe(1);
    await sim.runUntilIdle();
    expect(rec.closes).toEqual([undefined]);
  });

  it("breaks the watch with a connection error across a partition, and stops it at the server", async () => {
    const { client, sim, server, net, run } = setup();
    const rec = recorder(sim);
    client.watch(pods, undefined, {}, rec);
    await sim.runFor(20);
    const p = net.partition("scheduler", "apiserver");
    expect(rec.closes).toHaveLength(1);
    expect(rec.closes[0]).toBeInstanceOf(ConnectionError);
    expect((rec.closes[0] as ConnectionError).kind).toBe("unreachable");
    expect(server.activeWatches).toBe(0);
    p.heal();
    await run(client.create(pods, "default", pod("after")));
    expect(rec.events).toEqual([]);
    expect(rec.closes).toHaveLength(1);
  });

  it("passes the 410 ERROR event of a too old resourceVersion, then closes", async () => {
    const { client, sim, server, run } = setup();
    for (const n of ["a", "b", "c"]) await run(client.create(pods, "default", pod(n)));
    server.compact();
    const rec = recorder(sim);
    client.watch(pods, undefined, { resourceVersion: "2" }, rec);
    await sim.runUntilIdle();
    expect(rec.events).toHaveLength(1);
    expect(rec.events[0]!.type).toBe("ERROR");
    expect(rec.events[0]!.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired", message: "too old resource version: 2 (4)" });
    expect(rec.closes).toEqual([undefined]);
  });

  it("closes with the ApiError when the watch request is refused", async () => {
    const { client, sim, server } = setup();
    server.intercept = (req: ApiRequest) =>
      req.verb === "watch"
        ? { code: 403, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "pods is forbidden", reason: "Forbidden", code: 403 } }
        : undefined;
    const rec = recorder(sim);
    client.watch(pods, undefined, {}, rec);
    await sim.runUntilIdle();
    expect(rec.events).toEqual([]);
    expect(rec.closes).toHaveLength(1);
    expect(rec.closes[0]).toBeInstanceOf(ApiError);
    expect(rec.closes[0]!.status).toMatchObject({ code: 403, reason: "Forbidden" });
  });

  it("closes with a timeout when the watch request is lost", async () => {
    const { client, sim, net } = setup();
    net.setLink("scheduler", "apiserver", { dropProbability: 1 });
    const rec = recorder(sim);
    client.watch(pods, undefined, {}, rec);
    await sim.runUntilIdle();
    expect(rec.closes).toHaveLength(1);
    expect((rec.closes[0] as ConnectionError).kind).toBe("timeout");
    expect(sim.now() - sim.clock.epochMs).toBe(1000);
  });

  it("gives every watcher its own copy of each event", async () => {
    const { client, sim, run } = setup();
    const a = recorder(sim);
    const b = recorder(sim);
    client.watch(pods, undefined, {}, a);
    client.watch(pods, undefined, {}, b);
    await sim.runFor(20);
    await run(client.create(pods, "default", pod("x", { v: "1" })));
    a.events[0]!.object.metadata!.labels!.v = "mutated";
    expect(b.events[0]!.object.metadata?.labels).toEqual({ v: "1" });
  });

  it("sends bookmarks when asked", async () => {
    const { client, sim } = setup();
    const rec = recorder(sim);
    const w = client.watch(pods, undefined, { allowWatchBookmarks: true, resourceVersion: "1" }, rec);
    await sim.runFor(2500);
    w.stop();
    expect(rec.events.map((e) => e.type)).toEqual(["BOOKMARK", "BOOKMARK"]);
    expect(rec.events[0]!.object).toEqual({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: "1" } });
  });
});
