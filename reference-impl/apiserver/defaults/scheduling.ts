// scheduling.k8s.io/v1 defaulting (pkg/apis/scheduling/v1/defaults.go) and priorityClassStrategy's
// PrepareForCreate.

import type { PriorityClass } from "kubernetes-types/scheduling/v1.js";
import { setGenerationOne } from "./strategy.ts";
import { isNil } from "./json.ts";

export function setObjectDefaultsPriorityClass(priorityClass: PriorityClass): void {
  if (isNil(priorityClass.preemptionPolicy)) priorityClass.preemptionPolicy = "PreemptLowerPriority";
}

export function preparePriorityClassForCreate(priorityClass: PriorityClass): void {
  setGenerationOne(priorityClass);
}
