import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import { makePod, statusOf } from "../testing.ts";
import { limitRanger } from "./limit-ranger.ts";
import { FakeClient, attrs, startAdmissionServer } from "./testing.ts";

type Json = Record<string, unknown>;

function limitRange(name: string, ...limits: Json[]): KubeObject {
  return { apiVersion: "v1", kind: "LimitRange", metadata: { name, namespace: "default" }, spec: { limits } };
}

function pod(name: string, containers: Json[], initContainers?: Json[]): KubeObject {
  const p = makePod(name);
  (p.spec as Json).containers = containers;
  if (initContainers !== undefined) (p.spec as Json).initContainers = initContainers;
  return p;
}

function container(name: string, requests?: Json, limits?: Json): Json {
  const resources: Json = {};
  if (requests !== undefined) resources.requests = requests;
  if (limits !== undefined) resources.limits = limits;
  return { name, image: "nginx", resources };
}

async function run(lrs: KubeObject[], p: KubeObject, op: "CREATE" | "UPDATE" = "CREATE"): Promise<Status | "admitted"> {
  const client = new FakeClient();
  for (const lr of lrs) client.add("limitranges", lr);
  const plugin = limitRanger(client);
  const a = op === "CREATE" ? attrs(op, "pods", { object: p }) : attrs(op, "pods", { object: p, oldObject: p });
  try {
    await plugin.admit!(a);
    await plugin.validate!(a);
    return "admitted";
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

const defaults = limitRange("defaults", {
  type: "Container",
  default: { cpu: "500m", memory: "128Mi" },
  defaultRequest: { cpu: "250m", memory: "64Mi" },
});

describe("LimitRanger: defaults", () => {
  it("fills missing requests and limits and says so in the annotation", async () => {
    const p = pod("web", [container("app", { cpu: "100m" })], [container("setup")]);
    expect(await run([defaults], p)).toBe("admitted");
    const spec = p.spec as { containers: Json[]; initContainers: Json[] };
    expect(spec.containers[0]!.resources).toEqual({ requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } });
    expect(spec.initContainers[0]!.resources).toEqual({ limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m", memory: "64Mi" } });
    expect(p.metadata?.annotations?.["kubernetes.io/limit-ranger"]).toBe(
      "LimitRanger plugin set: memory request for container app; cpu, memory limit for container app; " +
        "cpu, memory request for init container setup; cpu, memory limit for init container setup",
    );
  });

  it("lets the first LimitRange's value win; a later one that sets something rewrites the annotation", async () => {
    const second = limitRange("second", { type: "Container", default: { cpu: "2", "ephemeral-storage": "1Gi" } });
    const p = pod("web", [container("app")]);
    await run([defaults, second], p);
    expect((p.spec as { containers: Json[] }).containers[0]!.resources).toEqual({
      limits: { cpu: "500m", memory: "128Mi", "ephemeral-storage": "1Gi" },
      requests: { cpu: "250m", memory: "64Mi" },
    });
    expect(p.metadata?.annotations?.["kubernetes.io/limit-ranger"]).toBe("LimitRanger plugin set: ephemeral-storage limit for container app");
  });

  it("leaves pods alone on update and when no LimitRange has defaults", async () => {
    const p = pod("web", [container("app")]);
    expect(await run([defaults], p, "UPDATE")).toBe("admitted");
    expect((p.spec as { containers: Json[] }).containers[0]!.resources).toEqual({});
    const q = pod("web", [container("app")]);
    await run([limitRange("none", { type: "Pod", max: { cpu: "4" } })], q);
    expect(q.metadata?.annotations).toBeUndefined();
  });
});

describe("LimitRanger: constraints", () => {
  const cases: { name: string; limit: Json; containers: Json[]; message: string }[] = [
    {
      name: "request below min",
      limit: { type: "Container", min: { cpu: "100m" } },
      containers: [container("app", { cpu: "50m" }, { cpu: "1" })],
      message: "minimum cpu usage per Container is 100m, but request is 50m",
    },
    {
      name: "no request with a min",
      limit: { type: "Container", min: { memory: "10Mi" } },
      containers: [container("app")],
      message: "minimum memory usage per Container is 10Mi.  No request is specified",
    },
    {
      name: "limit below min",
      limit: { type: "Container", min: { cpu: "100m" } },
      containers: [container("app", { cpu: "200m" }, { cpu: "50m" })],
      message: "minimum cpu usage per Container is 100m, but limit is 50m",
    },
    {
      name: "limit above max",
      limit: { type: "Container", max: { cpu: "1" } },
      containers: [container("app", { cpu: "500m" }, { cpu: "2" })],
      message: "maximum cpu usage per Container is 1, but limit is 2",
    },
    {
      name: "no limit with a max",
      limit: { type: "Container", max: { memory: "1Gi" } },
      containers: [container("app", { memory: "100Mi" })],
      message: "maximum memory usage per Container is 1Gi.  No limit is specified",
    },
    {
      name: "limit to request ratio above the max",
      limit: { type: "Container", maxLimitRequestRatio: { cpu: "2" } },
      containers: [container("app", { cpu: "100m" }, { cpu: "300m" })],
      message: "cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000",
    },
    {
      name: "ratio without a request",
      limit: { type: "Container", maxLimitRequestRatio: { cpu: "2" } },
      containers: [container("app", undefined, { cpu: "300m" })],
      message: "cpu max limit to request ratio per Container is 2, but no request is specified or request is 0",
    },
    {
      name: "pod total above the Pod max",
      limit: { type: "Pod", max: { cpu: "1" } },
      containers: [container("a", { cpu: "100m" }, { cpu: "600m" }), container("b", { cpu: "100m" }, { cpu: "600m" })],
      message: "maximum cpu usage per Pod is 1, but limit is 1200m",
    },
    {
      name: "several violations of one LimitRange, aggregated",
      limit: { type: "Container", min: { cpu: "100m" }, max: { cpu: "1" } },
      containers: [container("a", { cpu: "50m" }, { cpu: "50m" }), container("b", { cpu: "500m" }, { cpu: "2" })],
      message: "[minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 1, but limit is 2]",
    },
  ];

  it.each(cases)("$name", async ({ limit, containers, message }) => {
    expect(await run([limitRange("lr", limit)], pod("web", containers))).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: `pods "web" is forbidden: ${message}`,
    });
  });

  it("accepts pods within every bound", async () => {
    const lr = limitRange("lr", { type: "Container", min: { cpu: "100m" }, max: { cpu: "1" }, maxLimitRequestRatio: { cpu: "4" } }, { type: "Pod", max: { cpu: "2" } });
    expect(await run([lr], pod("web", [container("a", { cpu: "250m" }, { cpu: "1" }), container("b", { cpu: "1" }, { cpu: "1" })]))).toBe("admitted");
  });

  it("applies the namespace's LimitRange on a real server (defaults from min, then the max check)", async () => {
    const { api } = await startAdmissionServer({ serviceAccount: { requireServiceAccount: false } });
    await api.mustCreate("limitranges", "default", limitRange("lr", { type: "Container", min: { cpu: "100m" }, max: { cpu: "1" } }));
    const created = await api.mustCreate("pods", "default", makePod("ok"));
    expect((created.spec as { containers: Json[] }).containers[0]!.resources).toEqual({ limits: { cpu: "1" }, requests: { cpu: "1" } });
    const res = await api.create("pods", "default", pod("big", [container("app", { cpu: "2" }, { cpu: "2" })]));
    expect(res.code).toBe(403);
    expect(statusOf(res).message).toBe('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });
});
