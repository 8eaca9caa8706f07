import type { PriorityClass } from "kubernetes-types/scheduling/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

describe("PriorityClass", () => {
  it("defaults preemptionPolicy to PreemptLowerPriority and starts generation 1", () => {
    const highPriority: PriorityClass = {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "high-priority" },
      value: 1000000,
      globalDefault: false,
      description: "This priority class should be used for XYZ service pods only.",
    };
    expect(created(highPriority).object).toEqual({
      ...highPriority,
      metadata: { name: "high-priority", generation: 1 },
      preemptionPolicy: "PreemptLowerPriority",
    });
    const nonPreempting: PriorityClass = { ...highPriority, preemptionPolicy: "Never" };
    expect(created(nonPreempting).object.preemptionPolicy).toBe("Never");
  });
});
