// policy/v1 has no defaulters (pkg/apis/policy/v1 has no defaults.go); PodDisruptionBudget's
// registry strategy clears status and starts the generation on create.

import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { setGenerationOne } from "./strategy.ts";
import { ensureObject, resetStatus } from "./json.ts";

/** No defaulter; the spec is a Go struct, so it is always serialized. */
export function setObjectDefaultsPodDisruptionBudget(pdb: PodDisruptionBudget): void {
  ensureObject(pdb, "spec");
}

/** podDisruptionBudgetStrategy.PrepareForCreate; Go writes the four int32 counters even when 0. */
export function preparePodDisruptionBudgetForCreate(pdb: PodDisruptionBudget): void {
  resetStatus(pdb, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  setGenerationOne(pdb);
}
