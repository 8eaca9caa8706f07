// The clients against the real API server core (reference-impl/apiserver/server.ts) on the in-process
// store, in virtual time: what the fake server stands in for elsewhere, checked for real here.
import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type ResourceType, type WatchEvent } from "../../spec/interfaces/api-client.ts";
import { ApiServer } from "../apiserver/server.ts";
import { Simulation } from "../runtime/index.ts";
import { LocalKv } from "../store/local-kv.ts";
import { ConnectionError } from "./errors.ts";
import { InProcessApiClient } from "./in-process.ts";
import { DeletedFinalStateUnknown, SharedInformer } from "./informer.ts";
import { SimNetwork } from "./network.ts";

const configmaps: ResourceType = { group: "", version: "v1", resource: "configmaps" };
const pods: ResourceType = { group: "", version: "v1", resource: "pods" };

async function cluster() {
  const sim = new Simulation({ seed: 21 });
  const kv = new LocalKv({ clock: sim.clock, rng: sim.rng("store") });
  // Compaction is driven by the tests.
  const server = new ApiServer({ kv, clock: sim.clock, rng: sim.rng("apiserver"), compactionIntervalMs: 0 });
  await server.start();
  const net = new SimNetwork({ clock: sim.clock, rng: sim.rng("network"), defaultLink: { latencyMs: 2, jitterMs: 3 }, requestTimeoutMs: 5_000 });
  const writer = new InProcessApiClient({ name: "writer", network: net, server });
  const client = new InProcessApiClient({ name: "controller", network: net, server });
  const run = async <T>(p: Promise<T>): Promise<T> => {
    const settled = p.then(
      (v) => ({ v }),
      (e: unknown) => ({ e }),
    );
    await sim.runFor(100);
    const r = await settled;
    if ("e" in r) throw r.e;
    return r.v;
  };
  // Two rounds of the API server's compactor compact everything written before them.
  const compactAll = async (): Promise<void> => {
    await server.compactNow();
    await server.compactNow();
  };
  return { sim, kv, server, net, writer, client, run, compactAll };
}

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: labels === undefined ? { name } : { name, labels },
  data,
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected a failure");
}

describe("InProcessApiClient against the ApiServer", () => {
  it("creates, reads, updates, patches and deletes, with the server's errors", async () => {
    const { writer: c, run } = await cluster();
    const created = await run(c.create(configmaps, "default", cm("settings", { a: "1" }, { app: "web" })));
    expect(created.metadata).toMatchObject({ name: "settings", namespace: "default" });
    expect(await run(c.get(configmaps, "default", "settings"))).toEqual(created);
    const list = await run(c.list(configmaps, "default", { labelSelector: "app=web" }));
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["settings"]);

    const updated = await run(c.update(configmaps, "default", { ...created, data: { a: "2" } }));
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    const stale = await failure(run(c.update(configmaps, "default", { ...created, data: { a: "3" } })));
    expect(stale.status).toMatchObject({ code: 409, reason: "Conflict" });
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    );

    const patched = await run(c.patch(configmaps, "default", "settings", "strategic", { data: { b: "x" } }));
    expect(patched.data).toEqual({ a: "2", b: "x" });
    const merged = await run(c.patch(configmaps, "default", "settings", "json", [{ op: "remove", path: "/data/a" }]));
    expect(merged.data).toEqual({ b: "x" });

    await run(c.delete(configmaps, "default", "settings"));
    const gone = await failure(run(c.get(configmaps, "default", "settings")));
    expect(gone.status).toMatchObject({ code: 404, reason: "NotFound", message: 'configmaps "settings" not found' });
    const unknown = await failure(run(c.list({ group: "example.com", version: "v1", resource: "widgets" }, "default")));
    expect(unknown.status).toMatchObject({ code: 404, message: "the server could not find the requested resource" });
  });

  it("writes a pod's status through the status subresource", async () => {
    const { writer: c, run } = await cluster();
    const p = await run(c.create(pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { containers: [{ name: "app", image: "nginx" }] } }));
    const withStatus = await run(c.update(pods, "default", { ...p, status: { phase: "Running" } }, { subresource: "status" }));
    expect((withStatus.status as { phase?: string }).phase).toBe("Running");
  });

  it("watches in order and breaks across a partition", async () => {
    const { writer, client, run, sim, net, server } = await cluster();
    const start = await run(writer.create(configmaps, "default", cm("a")));
    const events: WatchEvent[] = [];
    const closes: (ApiError | undefined)[] = [];
    client.watch(configmaps, "default", { resourceVersion: start.metadata!.resourceVersion! }, { onEvent: (e) => events.push(e), onClose: (e) => closes.push(e) });
    await sim.runFor(50);
    await run(writer.create(configmaps, "default", cm("b")));
    await run(writer.delete(configmaps, "default", "a"));
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED b", "DELETED a"]);
    const watches = server.activeWatches;
    net.partition("controller", "apiserver");
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(ConnectionError);
    expect(server.activeWatches).toBe(watches - 1);
  });
});

describe("SharedInformer against the ApiServer", () => {
  it("syncs, follows, and after a partition and a compaction relists with tombstones", async () => {
    const { sim, net, writer, client, run, compactAll } = await cluster();
    for (const n of ["a", "b", "c"]) await run(writer.create(configmaps, "default", cm(n)));
    const informer = new SharedInformer({ client, clock: sim.clock, type: configmaps, namespace: "default", trace: (k, s) => sim.log("informer", k, s) });
    const log: string[] = [];
    informer.addEventHandler({
      onAdd: (o, initial) => log.push(`add ${o.metadata?.name}${initial ? " initial" : ""}`),
      onUpdate: (_o, n) => log.push(`update ${n.metadata?.name}`),
      onDelete: (o) => log.push(o instanceof DeletedFinalStateUnknown ? `tombstone ${o.key}` : `delete ${o.metadata?.name}`),
    });
    informer.start();
    await sim.runFor(100);
    expect(informer.hasSynced()).toBe(true);
    await run(writer.patch(configmaps, "default", "a", "merge", { data: { x: "1" } }));
    expect(log).toEqual(["add a initial", "add b initial", "add c initial", "update a"]);

    const cut = net.partition("controller", "apiserver");
    await run(writer.delete(configmaps, "default", "b"));
    await run(writer.create(configmaps, "default", cm("d")));
    await compactAll();
    cut.heal();
    await sim.runFor(120_000);
    expect(log.slice(4)).toEqual(["add d", "tombstone default/b"]);
    expect(informer.list().map((o) => o.metadata?.name).sort()).toEqual(["a", "c", "d"]);
    expect(sim.trace.events().some((e) => e.summary.includes("too old resource version"))).toBe(true);
    informer.stop();
  });
});
