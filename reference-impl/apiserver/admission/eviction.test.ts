import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { type TestClient, expectCode, makePod, statusOf } from "../testing.ts";
import { startAdmissionServer } from "./testing.ts";

type Json = Record<string, unknown>;
const PDBS = "policy/v1/poddisruptionbudgets";

async function setup() {
  const t = await startAdmissionServer({ serviceAccount: { requireServiceAccount: false } });
  return { ...t, api: t.api };
}

/** A pod in `phase`, Ready or not (status written through pods/status, as the kubelet would). */
async function pod(api: TestClient, name: string, opts: { phase?: string; ready?: boolean; labels?: Record<string, string>; nodeName?: string } = {}): Promise<KubeObject> {
  const created = await api.mustCreate("pods", "default", makePod(name, { labels: opts.labels ?? { app: "web" }, ...(opts.nodeName === undefined ? {} : { nodeName: opts.nodeName }) }));
  const phase = opts.phase ?? "Running";
  const conditions = phase === "Running" ? [{ type: "Ready", status: opts.ready === false ? "False" : "True" }] : [];
  return expectCode(await api.update("pods", "default", { ...created, status: { ...(created.status as Json), phase, conditions } }, {}, "status"), 200);
}

/** A PDB and the status the disruption controller would have written. */
async function pdb(api: TestClient, name: string, status: Json, spec: Json = {}): Promise<KubeObject> {
  const created = await api.mustCreate(PDBS, "default", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name },
    spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } }, ...spec },
  });
  const full = { observedGeneration: created.metadata?.generation, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, ...status };
  return expectCode(await api.update(PDBS, "default", { ...created, status: full }, {}, "status"), 200);
}

function evict(api: TestClient, name: string, extra: Json = {}, query: Record<string, string> = {}) {
  return api.request("create", "pods", {
    namespace: "default",
    name,
    subresource: "eviction",
    query,
    body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: "default" }, ...extra },
  });
}

const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };

describe("pods/eviction", () => {
  it("deletes a pod no budget covers (201 Success)", async () => {
    const { api } = await setup();
    await pod(api, "web-1", { labels: { app: "other" } });
    await pdb(api, "web", { disruptionsAllowed: 0 });
    const res = await evict(api, "web-1");
    expect(res.code).toBe(201);
    expect(res.body).toEqual(SUCCESS);
    expect((await api.get("pods", "default", "web-1")).code).toBe(404);
  });

  it("answers 404 for a pod that does not exist, and 400 for an Eviction naming another pod", async () => {
    const { api } = await setup();
    const missing = await evict(api, "ghost");
    expect(missing.code).toBe(404);
    expect(statusOf(missing).message).toBe('pods "ghost" not found');
    await pod(api, "web-1");
    const res = await api.request("create", "pods", { namespace: "default", name: "web-1", subresource: "eviction", body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "web-2" } } });
    expect(res.code).toBe(400);
    expect(statusOf(res).message).toBe("name in URL does not match name in Eviction object");
  });

  it("spends the budget: decrements disruptionsAllowed, records the pod, marks it and deletes it", async () => {
    const { api, sim } = await setup();
    await pod(api, "web-1", { nodeName: "node-a" });
    await pdb(api, "web", { disruptionsAllowed: 1 });
    expect((await evict(api, "web-1")).code).toBe(201);
    const now = new Date(sim.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const budget = await api.mustGet(PDBS, "default", "web");
    expect(budget.status).toMatchObject({
      disruptionsAllowed: 0,
      disruptedPods: { "web-1": now },
      conditions: [{ type: "DisruptionAllowed", status: "False", reason: "InsufficientPods", message: "", observedGeneration: 1, lastTransitionTime: now }],
    });
    // Scheduled pods are deleted gracefully: the kubelet finishes it, the condition says why.
    const evicted = await api.mustGet("pods", "default", "web-1");
    expect(evicted.metadata?.deletionTimestamp).toBeDefined();
    expect((evicted.status as Json).conditions).toContainEqual({
      type: "DisruptionTarget",
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: now,
      reason: "EvictionByEvictionAPI",
      message: "Eviction API: evicting",
    });
  });

  it("refuses with 429 and the DisruptionBudget cause when no disruption is allowed", async () => {
    const { api } = await setup();
    await pod(api, "web-1");
    await pdb(api, "web", { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    const res = await evict(api, "web-1");
    expect(res.code).toBe(429);
    expect(res.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: "TooManyRequests",
      details: { causes: [{ reason: "DisruptionBudget", message: "The disruption budget web needs 2 healthy pods and has 2 currently" }] },
      code: 429,
    });
    expect((await api.get("pods", "default", "web-1")).code).toBe(200);
  });

  it("refuses with 429 (retry in 10 s) while the budget's status is older than its spec", async () => {
    const { api } = await setup();
    await pod(api, "web-1");
    await pdb(api, "web", { observedGeneration: 0 });
    const res = await evict(api, "web-1");
    expect(res.code).toBe(429);
    expect(statusOf(res).details).toEqual({
      causes: [{ reason: "DisruptionBudget", message: "The disruption budget web is still being processed by the server." }],
      retryAfterSeconds: 10,
    });
  });

  it("answers 500 when several budgets cover the pod (an empty selector covers every pod)", async () => {
    const { api } = await setup();
    await pod(api, "web-1");
    await pdb(api, "web", {});
    await pdb(api, "all", {}, { selector: {} });
    const res = await evict(api, "web-1");
    expect(res.code).toBe(500);
    expect(res.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
      code: 500,
    });
  });

  it("refuses with 403 when the budget's disruptionsAllowed is negative", async () => {
    const { api } = await setup();
    await pod(api, "web-1");
    await pdb(api, "web", { disruptionsAllowed: -1 });
    const res = await evict(api, "web-1");
    expect(res.code).toBe(403);
    expect(statusOf(res).message).toBe('poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative');
  });

  it.each([
    ["Pending", { phase: "Pending" }],
    ["Succeeded", { phase: "Succeeded" }],
    ["Failed", { phase: "Failed" }],
  ])("deletes a %s pod without looking at budgets", async (_name, opts) => {
    const { api } = await setup();
    await pod(api, "web-1", opts);
    await pdb(api, "web", { disruptionsAllowed: 0 });
    expect((await evict(api, "web-1")).code).toBe(201);
    expect((await api.get("pods", "default", "web-1")).code).toBe(404);
    expect(((await api.mustGet(PDBS, "default", "web")).status as Json).disruptionsAllowed).toBe(0);
  });

  it("evicts a pod that is already being deleted", async () => {
    const { api } = await setup();
    await pod(api, "web-1", { nodeName: "node-a" });
    await pdb(api, "web", { disruptionsAllowed: 0 });
    expectCode(await api.delete("pods", "default", "web-1"), 200);
    expect((await evict(api, "web-1")).code).toBe(201);
  });

  it("deletes an unready pod without spending the budget under AlwaysAllow or while the application is healthy", async () => {
    const { api } = await setup();
    await pod(api, "web-1", { ready: false });
    await pdb(api, "web", { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1 }, { unhealthyPodEvictionPolicy: "AlwaysAllow" });
    expect((await evict(api, "web-1")).code).toBe(201);
    expect(((await api.mustGet(PDBS, "default", "web")).status as Json).disruptionsAllowed).toBe(0);

    const second = await setup();
    await pod(second.api, "web-2", { ready: false });
    await pdb(second.api, "web", { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    expect((await evict(second.api, "web-2")).code).toBe(201);

    const third = await setup();
    await pod(third.api, "web-3", { ready: false });
    await pdb(third.api, "web", { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 });
    expect((await evict(third.api, "web-3")).code).toBe(429);
  });

  it("changes nothing on a dry run", async () => {
    const { api } = await setup();
    await pod(api, "web-1");
    const before = await pdb(api, "web", { disruptionsAllowed: 1 });
    expect((await evict(api, "web-1", {}, { dryRun: "All" })).code).toBe(201);
    expect((await evict(api, "web-1", { deleteOptions: { dryRun: ["All"] } })).code).toBe(201);
    expect((await api.get("pods", "default", "web-1")).code).toBe(200);
    expect((await api.mustGet(PDBS, "default", "web")).status).toEqual(before.status);
  });

  it("passes the Eviction's delete options on (a stale uid precondition gives 409)", async () => {
    const { api } = await setup();
    await pod(api, "web-1");
    const res = await evict(api, "web-1", { deleteOptions: { preconditions: { uid: "not-the-uid" } } });
    expect(res.code).toBe(409);
    expect(statusOf(res).message).toMatch(/^Operation cannot be fulfilled on Pod "web-1": the UID in the precondition \(not-the-uid\) does not match the UID in record/);
  });
});
