// printNamespace, printSecret, printServiceAccount, printConfigMap, printResourceQuota,
// printPodDisruptionBudget, printLease, printPriorityClass (pkg/printers/internalversion/printers.go).
import type { ConfigMap, Namespace, ResourceQuota, Secret, ServiceAccount } from "kubernetes-types/core/v1.js";
import type { Lease } from "kubernetes-types/coordination/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { PriorityClass } from "kubernetes-types/scheduling/v1.js";
import { translateTimestampSince } from "./duration.ts";
import { int, intOrStringToString } from "./format.ts";
import { sortedGoStrings } from "../../../spec/semantics/go-compat.ts";
import { Quantity, quantityFromJSON, QuantityError } from "../../../spec/semantics/quantity.ts";
import type { GenerateOptions, PrintedRow, TableCell } from "./types.ts";

function age(obj: { metadata?: { creationTimestamp?: string } }, options: GenerateOptions): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, options.nowMs);
}

export function printNamespace(ns: Namespace, options: GenerateOptions): PrintedRow {
  return { cells: [ns.metadata?.name ?? "", ns.status?.phase ?? "", age(ns, options)] };
}

export function printSecret(secret: Secret, options: GenerateOptions): PrintedRow {
  // The v1→internal conversion merges the write-only stringData into data.
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  return { cells: [secret.metadata?.name ?? "", secret.type ?? "", keys.size, age(secret, options)] };
}

export function printServiceAccount(sa: ServiceAccount, options: GenerateOptions): PrintedRow {
  return { cells: [sa.metadata?.name ?? "", (sa.secrets ?? []).length, age(sa, options)] };
}

export function printConfigMap(cm: ConfigMap, options: GenerateOptions): PrintedRow {
  const count = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
  return { cells: [cm.metadata?.name ?? "", count, age(cm, options)] };
}

/** Quantity.String() of a stored quantity; a missing one is the zero Quantity, "0". */
function quantityString(raw: string | undefined): string {
  if (raw === undefined) return Quantity.fromInt(0).toString();
  try {
    return quantityFromJSON(raw).toString();
  } catch (e) {
    // Upstream could not have decoded the object at all; show the stored text.
    if (e instanceof QuantityError) return raw;
    throw e;
  }
}

/**
 * printResourceQuota: "name: used/hard" for every hard limit, sorted by resource name; names
 * starting with "limits." go to the LIMIT column, all others to REQUEST.
 */
export function printResourceQuota(rq: ResourceQuota, options: GenerateOptions): PrintedRow {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const resource of sortedGoStrings(Object.keys(hard))) {
    const pieces = resource.split(".");
    const column = pieces.length > 1 && pieces[0] === "limits" ? limit : request;
    column.push(`${resource}: ${quantityString(used[resource])}/${quantityString(hard[resource])}`);
  }
  return { cells: [rq.metadata?.name ?? "", request.join(", "), limit.join(", "), age(rq, options)] };
}

export function printPodDisruptionBudget(pdb: PodDisruptionBudget, options: GenerateOptions): PrintedRow {
  const min = pdb.spec?.minAvailable;
  const max = pdb.spec?.maxUnavailable;
  return {
    cells: [
      pdb.metadata?.name ?? "",
      min === undefined || min === null ? "N/A" : intOrStringToString(min),
      max === undefined || max === null ? "N/A" : intOrStringToString(max),
      int(pdb.status?.disruptionsAllowed),
      age(pdb, options),
    ],
  };
}

export function printLease(lease: Lease, options: GenerateOptions): PrintedRow {
  return { cells: [lease.metadata?.name ?? "", lease.spec?.holderIdentity ?? "", age(lease, options)] };
}

export function printPriorityClass(pc: PriorityClass, options: GenerateOptions): PrintedRow {
  const cells: TableCell[] = [pc.metadata?.name ?? "", int(pc.value), pc.globalDefault === true, age(pc, options)];
  if (options.wide) cells.push(pc.preemptionPolicy ?? "");
  return { cells };
}
