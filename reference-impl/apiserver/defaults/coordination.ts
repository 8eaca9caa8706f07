// coordination.k8s.io/v1: Lease has no defaulter at v1.32 (later releases default spec.strategy, a
// CoordinatedLeaderElection field). leaseStrategy.PrepareForCreate drops that gated field.

import type { Lease } from "kubernetes-types/coordination/v1.js";
import { enabled } from "./features.ts";
import { ensureObject, objectOr, type JsonObject } from "./json.ts";

/** LeaseSpec is a Go struct: always serialized, `spec: {}` when empty. */
export function setObjectDefaultsLease(lease: Lease): void {
  ensureObject(lease, "spec");
}

export function prepareLeaseForCreate(lease: Lease): void {
  const spec = objectOr(lease.spec) as JsonObject | undefined;
  if (spec === undefined || enabled("CoordinatedLeaderElection")) return;
  delete spec["strategy"];
  delete spec["preferredHolder"];
}
