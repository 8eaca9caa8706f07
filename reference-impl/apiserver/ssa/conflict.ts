// Apply conflicts and the 409 Status kube-apiserver answers with (structured-merge-diff merge.Conflict
// and apimachinery managedfields/internal/conflict.go, errors.NewApplyConflict).
import type { Status } from "../../../spec/interfaces/api-client.ts";
import { compareGoStrings, goQuote } from "../../../spec/semantics/go-compat.ts";
import type { FieldSet } from "./field-set.ts";
import { parseManagerIdentifier } from "./managed-fields.ts";
import { pathToString, type Path } from "./path.ts";

export interface Conflict {
  /** The manager identifier, e.g. `{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1"}`. */
  readonly manager: string;
  readonly path: Path;
}

/** ConflictsFromManagers: one conflict per path, managers in identifier order (upstream's map order is random). */
export function conflictsFromManagers(sets: ReadonlyMap<string, FieldSet>): Conflict[] {
  const out: Conflict[] = [];
  for (const manager of [...sets.keys()].sort(compareGoStrings)) {
    for (const path of (sets.get(manager) as FieldSet).paths()) out.push({ manager, path });
  }
  return out;
}

/**
 * printManager: `"kubectl"` for an applier, `"kube-controller-manager" with subresource "scale"
 * using apps/v1` for an updater. A manager that is not an identifier is quoted as is.
 */
export function printManager(manager: string): string {
  const info = parseManagerIdentifier(manager);
  if (info === undefined) return goQuote(manager);
  let s = goQuote(info.manager);
  if (info.subresource !== "") s += ` with subresource ${goQuote(info.subresource)}`;
  // Identifiers never carry a time, so upstream's " at <time>" suffix cannot appear.
  if (info.operation === "Update") s += ` using ${info.apiVersion}`;
  return s;
}

/** getConflictMessage: the Status message of an apply conflict. */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  const first = conflicts[0];
  if (conflicts.length === 1 && first !== undefined) {
    return `Apply failed with 1 conflict: conflict with ${printManager(first.manager)}: ${pathToString(first.path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort(compareGoStrings)) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const p of byManager.get(manager) ?? []) lines.push(`- ${pathToString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** NewConflictError: 409 Conflict with one FieldManagerConflict cause per conflicting field. */
export function conflictStatus(conflicts: readonly Conflict[]): Status {
  return {
    apiVersion: "v1",
    kind: "Status",
    metadata: {},
    status: "Failure",
    message: conflictMessage(conflicts),
    reason: "Conflict",
    details: {
      causes: conflicts.map((c) => ({
        reason: "FieldManagerConflict",
        message: `conflict with ${printManager(c.manager)}`,
        field: pathToString(c.path),
      })),
    },
    code: 409,
  };
}
