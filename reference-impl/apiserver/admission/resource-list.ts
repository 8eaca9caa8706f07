// Resource lists (v1.ResourceList) as maps of Quantities, and the pod totals upstream computes:
// containers add up, init containers count by their maximum (a restartable "sidecar" init container
// keeps running, so it adds to everything after it), and pod overhead is added when asked
// (component-helpers/resource PodRequests/PodLimits; LimitRanger's podRequests/podLimits omit
// overhead).
import { Quantity, quantityFromJSON } from "../../../spec/semantics/quantity.ts";
import { type Json, rec, records, str } from "./json.ts";

export type ResourceList = Map<string, Quantity>;

/** The quantities of a JSON resource list; entries that do not parse are left out. */
export function resourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, raw] of Object.entries(rec(v))) {
    try {
      out.set(name, quantityFromJSON(raw));
    } catch {
      // Invalid quantities are the validation's to report.
    }
  }
  return out;
}

/** The JSON form of a resource list: canonical quantity strings, in the map's order. */
export function resourceListJson(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, q] of list) out[name] = q.toString();
  return out;
}

export function addInto(into: ResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const cur = into.get(name);
    into.set(name, cur === undefined ? q : cur.add(q));
  }
}

export function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const cur = into.get(name);
    if (cur === undefined || q.cmp(cur) > 0) into.set(name, q);
  }
}

export interface PodTotalsOptions {
  /** Add spec.overhead (quota does; LimitRanger does not). */
  overhead?: boolean;
}

export function podRequests(pod: Json, opts: PodTotalsOptions = {}): ResourceList {
  return podTotals(pod, "requests", opts);
}

export function podLimits(pod: Json, opts: PodTotalsOptions = {}): ResourceList {
  return podTotals(pod, "limits", opts);
}

function podTotals(pod: Json, kind: "requests" | "limits", opts: PodTotalsOptions): ResourceList {
  const spec = rec(pod.spec);
  const total: ResourceList = new Map();
  for (const c of records(spec.containers)) addInto(total, resourceList(rec(c.resources)[kind]));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of records(spec.initContainers)) {
    const own = resourceList(rec(c.resources)[kind]);
    let effective: ResourceList;
    if (str(c.restartPolicy) === "Always") {
      addInto(total, own);
      addInto(sidecars, own);
      effective = new Map(sidecars);
    } else {
      effective = new Map(own);
      addInto(effective, sidecars);
    }
    maxInto(initMax, effective);
  }
  maxInto(total, initMax);
  if (opts.overhead === true) addInto(total, resourceList(spec.overhead));
  return total;
}

export const ZERO = Quantity.fromInt(0);
