import { describe, expect, it } from "vitest";
import { ApiError } from "../../../spec/interfaces/api-client.ts";
import { forbidden } from "../errors.ts";
import { makePod } from "../testing.ts";
import { buildAdmissionChain, type LifecyclePlugin } from "./chain.ts";
import { attrs, startAdmissionServer } from "./testing.ts";

type Json = Record<string, unknown>;

describe("buildAdmissionChain", () => {
  it("runs every admit in order, then every validate in order", async () => {
    const seen: string[] = [];
    const plugin = (name: string): LifecyclePlugin => ({
      name,
      admit: async () => void seen.push(`admit ${name}`),
      validate: async () => void seen.push(`validate ${name}`),
    });
    const chain = buildAdmissionChain([plugin("a"), { name: "b", validate: async () => void seen.push("validate b") }, plugin("c")]);
    const a = attrs("CREATE", "configmaps", { object: { metadata: { name: "x" } } });
    await chain.admit(a);
    await chain.validate(a);
    expect(seen).toEqual(["admit a", "admit c", "validate a", "validate b", "validate c"]);
    expect(chain.plugins).toEqual(["a", "b", "c"]);
  });

  it("settles open work (finish with ok=false) when a plugin refuses, and passes the outcome on otherwise", async () => {
    const settled: string[] = [];
    const holder: LifecyclePlugin = { name: "holder", finish: async (_a, ok) => void settled.push(ok ? "commit" : "revert") };
    const refuser: LifecyclePlugin = {
      name: "refuser",
      validate: async () => {
        throw new ApiError(forbidden({ group: "", resource: "configmaps" }, "x", "no"));
      },
    };
    const chain = buildAdmissionChain([holder, refuser]);
    const a = attrs("CREATE", "configmaps", { object: { metadata: { name: "x" } } });
    await chain.admit(a);
    await expect(chain.validate(a)).rejects.toBeInstanceOf(ApiError);
    await chain.finish(a, true);
    expect(settled).toEqual(["revert", "commit"]);
  });
});

describe("the default admission chain on a real server", () => {
  it("enables upstream's default plugins we serve, in upstream's order, with allocation last", async () => {
    const { admission } = await startAdmissionServer();
    expect(admission.chain.plugins).toEqual([
      "NamespaceLifecycle",
      "LimitRanger",
      "ServiceAccount",
      "Priority",
      "DefaultTolerationSeconds",
      "ResourceQuota",
      "ServiceAllocation",
    ]);
    const few = await startAdmissionServer({ plugins: ["Priority", "NamespaceLifecycle"] });
    expect(few.admission.chain.plugins).toEqual(["NamespaceLifecycle", "Priority", "ServiceAllocation"]);
  });

  it("gives a new pod its service account, token volume, priority and default tolerations", async () => {
    const { api } = await startAdmissionServer();
    await api.mustCreate("serviceaccounts", "default", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
    const pod = await api.mustCreate("pods", "default", makePod("web"));
    const spec = pod.spec as Json;
    expect(spec).toMatchObject({
      serviceAccountName: "default",
      priority: 0,
      preemptionPolicy: "PreemptLowerPriority",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
    });
    expect((spec.volumes as Json[])[0]!.name).toMatch(/^kube-api-access-/);
    const again = await api.mustGet("pods", "default", "web");
    expect(again.spec).toEqual(pod.spec);
  });
});
