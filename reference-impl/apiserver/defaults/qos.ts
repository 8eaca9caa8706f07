// The pod QoS class (pkg/apis/core/helper/qos/qos.go, ComputePodQOS) at v1.32, where pod-level
// resources are off: only cpu and memory count, only positive quantities count, and ephemeral
// containers are ignored (they cannot have resources).
//   BestEffort: no container requests or limits cpu or memory.
//   Guaranteed: every container limits both cpu and memory, and the summed requests equal the
//               summed limits for every resource requested.
//   Burstable:  anything else.

import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { Quantity } from "../../../spec/semantics/quantity.ts";
import { isObject, objectOr, objectsOf } from "./json.ts";
import { tryQuantity } from "./resources.ts";

export type PodQOSClass = "Guaranteed" | "Burstable" | "BestEffort";

const QOS_COMPUTE_RESOURCES: ReadonlySet<string> = new Set(["cpu", "memory"]);
const ZERO = Quantity.fromInt(0);

/** GetPodQOS: the class already in status.qosClass, else the computed one. */
export function getPodQOS(pod: Pod): string {
  const recorded = objectOr(pod.status)?.qosClass;
  return typeof recorded === "string" && recorded !== "" ? recorded : computePodQOS(pod);
}

export function computePodQOS(pod: Pod): PodQOSClass {
  const spec = objectOr(pod.spec);
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let isGuaranteed = true;
  const containers: Container[] = [...objectsOf(spec?.containers), ...objectsOf(spec?.initContainers)];
  for (const container of containers) {
    const resources = objectOr(container.resources);
    addPositive(requests, resources?.requests);
    const limitsFound = addPositive(limits, resources?.limits);
    if (!limitsFound.has("cpu") || !limitsFound.has("memory")) isGuaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (isGuaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || limit.cmp(request) !== 0) {
        isGuaranteed = false;
        break;
      }
    }
  }
  return isGuaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}

/** Adds the list's positive cpu/memory quantities into `sums`; returns the names it added. */
function addPositive(sums: Map<string, Quantity>, list: unknown): Set<string> {
  const found = new Set<string>();
  if (!isObject(list)) return found;
  for (const [name, raw] of Object.entries(list)) {
    if (!QOS_COMPUTE_RESOURCES.has(name)) continue;
    const quantity = tryQuantity(raw);
    if (quantity === undefined || quantity.cmp(ZERO) !== 1) continue;
    found.add(name);
    const sum = sums.get(name);
    sums.set(name, sum === undefined ? quantity : sum.add(quantity));
  }
  return found;
}
