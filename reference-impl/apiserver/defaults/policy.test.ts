import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

describe("PodDisruptionBudget", () => {
  it("has no defaults; create clears status (four counters at 0) and starts generation 1", () => {
    const pdb: PodDisruptionBudget = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "zk-pdb" },
      spec: { minAvailable: 2, selector: { matchLabels: { app: "zookeeper" } } },
    };
    expect(created(pdb).object).toEqual({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "zk-pdb", generation: 1 },
      spec: { minAvailable: 2, selector: { matchLabels: { app: "zookeeper" } } },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
  });
});
