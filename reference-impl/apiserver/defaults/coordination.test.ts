import type { Lease } from "kubernetes-types/coordination/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

describe("Lease", () => {
  it("keeps a node lease as sent (spec is always present)", () => {
    const lease: Lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "node-1", namespace: "kube-node-lease" },
      spec: { holderIdentity: "node-1", leaseDurationSeconds: 40, renewTime: "2024-05-01T10:00:00.000000Z" },
    };
    expect(created(lease).object).toEqual(lease);
    const bare: Lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "l" } };
    expect(created(bare).object).toEqual({ ...bare, spec: {} });
  });

  it("drops the CoordinatedLeaderElection fields on create (gate off at v1.32)", () => {
    const lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "l" },
      spec: { holderIdentity: "a", strategy: "OldestEmulationVersion", preferredHolder: "b" },
    } as Lease;
    expect(created(lease).object.spec).toEqual({ holderIdentity: "a" });
  });
});
