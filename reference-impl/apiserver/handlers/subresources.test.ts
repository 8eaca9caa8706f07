import { describe, expect, it } from "vitest";
import { formatTimestamp } from "../meta.ts";
import { expectCode, makeDeployment, makePod, minimalObject, startTestServer, statusOf } from "../testing.ts";

const binding = (pod: string, node: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: "v1",
  kind: "Binding",
  metadata: { name: pod, ...extra },
  target: { apiVersion: "v1", kind: "Node", name: node },
});

describe("pods/binding", () => {
  it("sets spec.nodeName and PodScheduled=True, once", async () => {
    const { api, sim } = await startTestServer();
    const pod = await api.mustCreate("pods", "default", makePod("p"));
    const res = await api.request("create", "pods", { namespace: "default", name: "p", subresource: "binding", body: binding("p", "n1", { annotations: { why: "fits" } }) });
    expect(res.code).toBe(201);
    expect(res.body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    const bound = await api.mustGet("pods", "default", "p");
    expect((bound.spec as { nodeName: string }).nodeName).toBe("n1");
    expect(bound.metadata?.annotations).toEqual({ why: "fits" });
    expect((bound.status as { conditions: unknown[] }).conditions).toEqual([
      { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: formatTimestamp(sim.now()) },
    ]);
    // Binding writes straight to storage: no generation bump.
    expect(bound.metadata?.generation).toBe(pod.metadata?.generation);
    const again = await api.request("create", "pods", { namespace: "default", name: "p", subresource: "binding", body: binding("p", "n2") });
    expect(statusOf(again)).toMatchObject({
      code: 409,
      reason: "Conflict",
      message: 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"',
    });
  });

  it("refuses a missing pod, a mismatched name, a missing target and stale preconditions", async () => {
    const { api } = await startTestServer();
    const bindTo = (name: string, body: unknown): Promise<{ code: number; body: unknown }> =>
      api.request("create", "pods", { namespace: "default", name, subresource: "binding", body });
    expect(statusOf((await bindTo("nope", binding("nope", "n1"))) as never).message).toBe('pods "nope" not found');
    const pod = await api.mustCreate("pods", "default", makePod("p"));
    expect(statusOf((await bindTo("p", binding("q", "n1"))) as never)).toMatchObject({ code: 400, message: "name in URL does not match name in Binding object" });
    expect(statusOf((await bindTo("p", binding("p", ""))) as never)).toMatchObject({ code: 422, message: 'Binding "p" is invalid: target.name: Required value' });
    const stale = await bindTo("p", binding("p", "n1", { uid: "other" }));
    expect(statusOf(stale as never).message).toBe(`Operation cannot be fulfilled on pods "p": Precondition failed: UID in precondition: other, UID in object meta: ${pod.metadata?.uid}`);
  });
});

describe("scale", () => {
  it("reads and writes spec.replicas through an autoscaling/v1 Scale", async () => {
    const { api } = await startTestServer();
    const d = await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d", 2, { app: "d", tier: "web" }));
    const scale = expectCode(await api.get("apps/v1/deployments", "default", "d", {}, "scale"), 200);
    expect(scale).toEqual({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: { name: "d", namespace: "default", uid: d.metadata?.uid, resourceVersion: d.metadata?.resourceVersion, creationTimestamp: d.metadata?.creationTimestamp },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: "app=d,tier=web" },
    });
    const put = expectCode(await api.update("apps/v1/deployments", "default", { ...scale, spec: { replicas: 5 } }, {}, "scale"), 200);
    expect(put.spec).toEqual({ replicas: 5 });
    const after = await api.mustGet("apps/v1/deployments", "default", "d");
    expect((after.spec as { replicas: number }).replicas).toBe(5);
    expect(after.metadata?.generation).toBe(2);
    const stale = await api.update("apps/v1/deployments", "default", { ...scale, spec: { replicas: 1 } }, {}, "scale");
    expect(statusOf(stale)).toMatchObject({ code: 409, reason: "Conflict" });
    const patched = expectCode(await api.patch("apps/v1/deployments", "default", "d", "merge", { spec: { replicas: 0 } }, {}, "scale"), 200);
    expect(patched.spec).toEqual({});
    const negative = await api.patch("apps/v1/deployments", "default", "d", "merge", { spec: { replicas: -1 } }, {}, "scale");
    expect(statusOf(negative)).toMatchObject({ code: 422, message: 'Scale.autoscaling "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' });
  });

  it("exists for deployments, replicasets and statefulsets only", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("apps/v1/daemonsets", "default", minimalObject("apps", "DaemonSet", "ds"));
    expect((await api.get("apps/v1/daemonsets", "default", "ds", {}, "scale")).code).toBe(404);
    await api.mustCreate("apps/v1/statefulsets", "default", { ...minimalObject("apps", "StatefulSet", "s"), spec: { ...(minimalObject("apps", "StatefulSet", "s").spec as object), replicas: 3 } });
    expect(expectCode(await api.get("apps/v1/statefulsets", "default", "s", {}, "scale"), 200).spec).toEqual({ replicas: 3 });
  });
});

describe("other subresources", () => {
  it("serves GET of /status as the object and refuses verbs a subresource lacks", async () => {
    const { api } = await startTestServer();
    const pod = await api.mustCreate("pods", "default", makePod("p"));
    expect(expectCode(await api.get("pods", "default", "p", {}, "status"), 200)).toEqual(pod);
    expect((await api.request("delete", "pods", { namespace: "default", name: "p", subresource: "status" })).code).toBe(405);
    expect((await api.get("configmaps", "default", "x", {}, "status")).code).toBe(404);
  });

  it("routes eviction and log to their hooks (404 until installed)", async () => {
    const { api: bare } = await startTestServer();
    await bare.mustCreate("pods", "default", makePod("p"));
    const missing = await bare.request("create", "pods", { namespace: "default", name: "p", subresource: "eviction", body: {} });
    expect(missing.code).toBe(404);
    const { api } = await startTestServer({
      hooks: {
        subresources: {
          "pods/eviction": async (req) => ({ code: 429, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "TooManyRequests", message: `no ${req.name}`, code: 429 } }),
          "pods/log": async () => ({ code: 200, body: "hello\n" }),
        },
      },
    });
    expect((await api.request("create", "pods", { namespace: "default", name: "p", subresource: "eviction", body: {} })).code).toBe(429);
    expect((await api.get("pods", "default", "p", {}, "log")).body).toBe("hello\n");
  });
});
