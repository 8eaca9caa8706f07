import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import { makeConfigMap, makePod, statusOf } from "../testing.ts";
import { resourceQuota } from "./resource-quota.ts";
import { FakeClient, attrs, startAdmissionServer, testClockAndRng } from "./testing.ts";

type Json = Record<string, unknown>;

function quota(name: string, hard: Record<string, string>, used?: Record<string, string>, spec: Json = {}): KubeObject {
  const q: KubeObject = { apiVersion: "v1", kind: "ResourceQuota", metadata: { name, namespace: "default" }, spec: { hard, ...spec } };
  if (used !== undefined) q.status = { hard, used };
  return q;
}

function podWith(name: string, requests?: Record<string, string>, limits?: Record<string, string>, spec: Json = {}): KubeObject {
  const p = makePod(name);
  const resources: Json = {};
  if (requests !== undefined) resources.requests = requests;
  if (limits !== undefined) resources.limits = limits;
  p.spec = { ...(p.spec as Json), containers: [{ name: "app", image: "nginx", resources }], ...spec };
  p.metadata = { ...p.metadata, namespace: "default" };
  return p;
}

async function outcome(p: Promise<void>): Promise<Status | "admitted"> {
  try {
    await p;
    return "admitted";
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

function setup(quotas: KubeObject[], statusSync: "admission" | "controller" = "controller") {
  const client = new FakeClient();
  for (const q of quotas) client.add("resourcequotas", q);
  const plugin = resourceQuota(client, testClockAndRng().clock, { statusSync });
  return { client, plugin };
}

describe("ResourceQuota", () => {
  it("refuses a create over the limit with upstream's message", async () => {
    const { plugin, client } = setup([quota("compute", { pods: "2" }, { pods: "2" })]);
    const status = await outcome(plugin.validate!(attrs("CREATE", "pods", { object: podWith("web") })));
    expect(status).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: 'pods "web" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2',
    });
    expect(client.statusUpdates).toEqual([]);
  });

  it("names every exceeded resource, sorted", async () => {
    const { plugin } = setup([quota("compute", { pods: "10", "requests.cpu": "1", "limits.cpu": "2" }, { pods: "1", "requests.cpu": "800m", "limits.cpu": "1500m" })]);
    const status = await outcome(plugin.validate!(attrs("CREATE", "pods", { object: podWith("web", { cpu: "500m" }, { cpu: "1" }) })));
    expect(status).toMatchObject({
      message:
        'pods "web" is forbidden: exceeded quota: compute, requested: limits.cpu=1,requests.cpu=500m, used: limits.cpu=1500m,requests.cpu=800m, limited: limits.cpu=2,requests.cpu=1',
    });
  });

  it("charges status.used of every matching quota, except on dry runs", async () => {
    const { plugin, client } = setup([
      quota("count", { pods: "5", "count/pods": "5" }, { pods: "1", "count/pods": "1" }),
      quota("cpu", { "requests.cpu": "2", "requests.memory": "1Gi" }, { "requests.cpu": "0", "requests.memory": "0" }),
      quota("cm", { configmaps: "3" }, { configmaps: "0" }),
    ]);
    const p = podWith("web", { cpu: "250m", memory: "64Mi" });
    await plugin.validate!(attrs("CREATE", "pods", { object: p, dryRun: true }));
    expect(client.statusUpdates).toEqual([]);
    await plugin.validate!(attrs("CREATE", "pods", { object: p }));
    expect(client.statusUpdates.map((q) => [q.metadata?.name, (q.status as Json).used])).toEqual([
      ["count", { "count/pods": "2", pods: "2" }],
      ["cpu", { "requests.cpu": "250m", "requests.memory": "64Mi" }],
    ]);
    expect(((await client.get({ group: "", version: "v1", resource: "resourcequotas" }, "default", "cpu"))?.status as Json).used).toEqual({
      "requests.cpu": "250m",
      "requests.memory": "64Mi",
    });
  });

  it("requires every container to declare quota'd cpu and memory", async () => {
    const { plugin } = setup([quota("compute", { "requests.cpu": "4", "limits.memory": "4Gi" }, { "requests.cpu": "0", "limits.memory": "0" })]);
    const p = podWith("web");
    (p.spec as Json).containers = [
      { name: "b", image: "x", resources: { requests: { cpu: "1" } } },
      { name: "a", image: "x", resources: {} },
    ];
    expect(await outcome(plugin.validate!(attrs("CREATE", "pods", { object: p })))).toMatchObject({
      message: 'pods "web" is forbidden: failed quota: compute: must specify limits.memory for: a,b; requests.cpu for: a',
    });
  });

  it("refuses while a matching quota's usage is unknown (the quota controller has not synced it)", async () => {
    const q = quota("compute", { pods: "2" });
    q.status = { hard: { pods: "2" } };
    const { plugin } = setup([q]);
    expect(await outcome(plugin.validate!(attrs("CREATE", "pods", { object: podWith("web") })))).toMatchObject({
      message: 'pods "web" is forbidden: status unknown for quota: compute, resources: pods',
    });
  });

  it("ignores quotas with no status in controller mode, and computes their status in admission mode", async () => {
    const unsynced = setup([quota("compute", { pods: "1" })]);
    expect(await outcome(unsynced.plugin.validate!(attrs("CREATE", "pods", { object: podWith("a") })))).toBe("admitted");
    const synced = setup([quota("compute", { pods: "1" })], "admission");
    synced.client.add("pods", podWith("existing"));
    expect(await outcome(synced.plugin.validate!(attrs("CREATE", "pods", { object: podWith("b") })))).toMatchObject({
      message: 'pods "b" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1',
    });
    expect(synced.client.statusUpdates[0]?.status).toEqual({ hard: { pods: "1" }, used: { pods: "1" } });
  });

  it("retries a conflicting status update against the quota's latest state", async () => {
    const { plugin, client } = setup([quota("count", { pods: "5" }, { pods: "1" })]);
    client.conflictsToInject = 2;
    await plugin.validate!(attrs("CREATE", "pods", { object: podWith("web") }));
    expect(client.statusUpdates.map((q) => (q.status as Json).used)).toEqual([{ pods: "2" }]);
    client.conflictsToInject = 4;
    expect(await outcome(plugin.validate!(attrs("CREATE", "pods", { object: podWith("again") })))).toMatchObject({ code: 409 });
  });

  it("only counts pods in the quota's scopes", async () => {
    const { plugin, client } = setup([
      quota("best-effort", { pods: "5" }, { pods: "0" }, { scopes: ["BestEffort"] }),
      quota("critical", { pods: "5" }, { pods: "0" }, { scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["high"] }] } }),
      quota("terminating", { pods: "5" }, { pods: "0" }, { scopes: ["Terminating"] }),
    ]);
    await plugin.validate!(attrs("CREATE", "pods", { object: podWith("be") }));
    await plugin.validate!(attrs("CREATE", "pods", { object: podWith("hi", { cpu: "1" }, undefined, { priorityClassName: "high" }) }));
    await plugin.validate!(attrs("CREATE", "pods", { object: podWith("job", { cpu: "1" }, undefined, { activeDeadlineSeconds: 60 }) }));
    expect(client.statusUpdates.map((q) => q.metadata?.name)).toEqual(["best-effort", "critical", "terminating"]);
  });

  it("counts services, node ports, load balancers and other objects", async () => {
    const { plugin, client } = setup([
      quota("svc", { services: "5", "services.nodeports": "1", "services.loadbalancers": "1" }, { services: "0", "services.nodeports": "0", "services.loadbalancers": "0" }),
      quota("objects", { configmaps: "1", "count/configmaps": "1" }, { configmaps: "1", "count/configmaps": "1" }),
    ]);
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "np", namespace: "default" }, spec: { type: "NodePort", ports: [{ port: 80 }, { port: 81 }] } };
    expect(await outcome(plugin.validate!(attrs("CREATE", "services", { object: svc })))).toMatchObject({
      message: 'services "np" is forbidden: exceeded quota: svc, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1',
    });
    const lb = { apiVersion: "v1", kind: "Service", metadata: { name: "lb", namespace: "default" }, spec: { type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] } };
    await plugin.validate!(attrs("CREATE", "services", { object: lb }));
    expect((client.statusUpdates[0]?.status as Json).used).toEqual({ services: "1", "services.loadbalancers": "1", "services.nodeports": "0" });
    expect(await outcome(plugin.validate!(attrs("CREATE", "configmaps", { object: makeConfigMap("c") })))).toMatchObject({
      message: 'configmaps "c" is forbidden: exceeded quota: objects, requested: configmaps=1,count/configmaps=1, used: configmaps=1,count/configmaps=1, limited: configmaps=1,count/configmaps=1',
    });
  });

  it("enforces pods=2 on a real server, computing the new quota's status itself", async () => {
    const { api } = await startAdmissionServer({ serviceAccount: { requireServiceAccount: false } });
    const created = await api.mustCreate("resourcequotas", "default", quota("pods", { pods: "2" }));
    expect(created.status).toEqual({ hard: { pods: "2" }, used: { pods: "0" } });
    await api.mustCreate("pods", "default", makePod("a"));
    await api.mustCreate("pods", "default", makePod("b"));
    const res = await api.create("pods", "default", makePod("c"));
    expect(res.code).toBe(403);
    expect(statusOf(res).message).toBe('pods "c" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2');
    expect((await api.mustGet("resourcequotas", "default", "pods")).status).toEqual({ hard: { pods: "2" }, used: { pods: "2" } });
  });
});
