import { describe, expect, it } from "vitest";
import type { KubeList } from "../../spec/interfaces/api-client.ts";
import { Simulation } from "../runtime/index.ts";
import { LocalKv } from "../store/local-kv.ts";
import { ApiServer } from "./server.ts";
import { TestClient, expectCode, makeConfigMap, startTestServer, statusOf } from "./testing.ts";

describe("ApiServer", () => {
  it("bootstraps the system namespaces and PriorityClasses, and keeps them across restarts", async () => {
    const { api, kv, sim } = await startTestServer();
    const pcs = expectCode(await api.list("scheduling.k8s.io/v1/priorityclasses", undefined), 200) as unknown as KubeList;
    expect(pcs.items.map((p) => [p.metadata?.name, p.value])).toEqual([
      ["system-cluster-critical", 2000000000],
      ["system-node-critical", 2000001000],
    ]);
    const before = await api.mustGet("namespaces", undefined, "kube-system");
    const second = new ApiServer({ kv, clock: sim.clock, rng: sim.rng("apiserver-2") });
    await second.start();
    expect(await new TestClient(second).mustGet("namespaces", undefined, "kube-system")).toEqual(before);
  });

  it("compacts the store every 5 minutes of virtual time, keeping one interval of history", async () => {
    const { api, sim, kv } = await startTestServer();
    const old = await api.mustCreate("configmaps", "default", makeConfigMap("a"));
    await sim.runFor(5 * 60_000);
    expect(kv.store.compactRevision).toBe(-1);
    await api.mustCreate("configmaps", "default", makeConfigMap("b"));
    await sim.runFor(5 * 60_000);
    expect(kv.store.compactRevision).toBeGreaterThan(Number(old.metadata?.resourceVersion));
    const res = await api.list("configmaps", "default", { resourceVersion: old.metadata!.resourceVersion!, resourceVersionMatch: "Exact" });
    expect(res.code).toBe(410);
  });

  it("answers unknown resources 404 and unsupported verbs 405, as Statuses", async () => {
    const { api } = await startTestServer();
    expect(statusOf(await api.list("widgets", "default"))).toMatchObject({ code: 404, reason: "NotFound", message: "the server could not find the requested resource" });
    expect((await api.list("apps/v2/deployments", "default")).code).toBe(404);
    expect((await api.get("pods", "default", "p", {}, "nonsense")).code).toBe(404);
    expect(statusOf(await api.deleteCollection("namespaces", undefined))).toMatchObject({
      code: 405,
      reason: "MethodNotAllowed",
      message: 'deletecollection is not supported on resources of kind "namespaces"',
    });
    expect((await api.get("pods", "default", "")).code).toBe(400);
    expect((await api.get("namespaces", "default", "default")).code).toBe(404);
    expect((await api.get("pods", "default", "../x")).code).toBe(400);
  });

  it("converts an unexpected failure into a 500 InternalError Status with a trace line, never a throw", async () => {
    const sim = new Simulation();
    const kv = new LocalKv({ clock: sim.clock, rng: sim.rng("store") });
    const server = new ApiServer({ kv, clock: sim.clock, rng: sim.rng("apiserver"), compactionIntervalMs: 0 });
    await server.start();
    await kv.close();
    const res = await new TestClient(server).list("configmaps", "default");
    expect(res.code).toBe(500);
    expect(statusOf(res)).toMatchObject({ reason: "InternalError" });
    expect(statusOf(res).message).toMatch(/^Internal error occurred: etcdserver: server stopped \(at .+\)$/);
  });

  it("refuses too many concurrent watches with 429", async () => {
    const { api } = await startTestServer({ maxWatches: 2 });
    api.watch("pods", undefined);
    api.watch("pods", undefined);
    const { res } = api.watch("pods", undefined);
    expect((res as { code: number }).code).toBe(429);
  });

  it("prints Tables through the printer hook when asked with as=Table", async () => {
    const { api } = await startTestServer({ hooks: { printTable: (info, obj) => ({ kind: "Table", apiVersion: "meta.k8s.io/v1", rows: [info.kind, obj.kind] }) } });
    const res = await api.request("list", "namespaces", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    expect(res.body).toEqual({ kind: "Table", apiVersion: "meta.k8s.io/v1", rows: ["Namespace", "NamespaceList"] });
    expect((await api.request("list", "namespaces")).body).toMatchObject({ kind: "NamespaceList" });
  });
});
