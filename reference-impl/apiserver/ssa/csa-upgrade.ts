// client-go's csaupgrade: moving field ownership from client-side apply (Update entries of
// "kubectl-client-side-apply", ...) to a server-side applier's Apply entry, so that the next
// server-side apply can remove fields the client-side apply had set. kubectl does this itself
// before `kubectl apply --server-side` on an object that carries the last-applied annotation, by
// sending the JSON patch upgradeManagedFieldsPatch builds; the API server only processes that
// patch like any other. The harness and the reference client use these functions to do the same.
import { FieldSet } from "./field-set.ts";
import type { ManagedFieldsEntry } from "./managed-fields.ts";

export interface UpgradeOptions {
  /** Only entries of this subresource are upgraded (csaupgrade.Subresource); default the main resource. */
  readonly subresource?: string;
}

/**
 * FindFieldsOwners: the entries of `operation` that own every field of `fields`; entries whose
 * fieldsV1 cannot be decoded never match.
 */
export function findFieldsOwners(
  entries: readonly ManagedFieldsEntry[] | undefined,
  operation: "Apply" | "Update",
  fields: FieldSet,
): ManagedFieldsEntry[] {
  return (entries ?? []).filter((e) => {
    if (e.operation !== operation) return false;
    try {
      return fields.difference(FieldSet.fromFieldsV1(e.fieldsV1)).isEmpty();
    } catch {
      return false;
    }
  });
}

/** kubectl's client-side apply manager. */
export const CLIENT_SIDE_APPLY_MANAGER = "kubectl-client-side-apply";

/**
 * UpgradeManagedFields: for each client-side manager name, its Update entries are folded into the
 * `ssaManager` Apply entry (the newest such Update entry becomes that Apply entry when there is none
 * yet). Returns new entries; throws when a fieldsV1 cannot be decoded.
 */
export function upgradeManagedFields(
  entries: readonly ManagedFieldsEntry[] | undefined,
  csaManagers: Iterable<string>,
  ssaManager: string,
  opts: UpgradeOptions = {},
): ManagedFieldsEntry[] | undefined {
  let out = entries === undefined ? undefined : entries.map((e) => ({ ...e }));
  for (const csa of csaManagers) out = upgradeOne(out, csa, ssaManager, opts.subresource ?? "");
  return out;
}

function upgradeOne(
  entries: ManagedFieldsEntry[] | undefined,
  csaManager: string,
  ssaManager: string,
  subresource: string,
): ManagedFieldsEntry[] | undefined {
  if (entries === undefined) return undefined;
  const managed = entries.map((e) => ({ ...e }));
  const isCsa = (e: ManagedFieldsEntry): boolean =>
    e.manager === csaManager && e.operation === "Update" && (e.subresource ?? "") === subresource;
  let target = managed.findIndex(
    (e) => e.manager === ssaManager && e.operation === "Apply" && (e.subresource ?? "") === subresource,
  );
  if (target < 0) {
    // Entries are sorted oldest first within an operation; upstream takes the first match.
    target = managed.findIndex(isCsa);
    if (target < 0) return managed;
    const converted = managed[target] as ManagedFieldsEntry;
    managed[target] = { ...converted, manager: ssaManager, operation: "Apply" };
  }
  const ssa = managed[target] as ManagedFieldsEntry;
  const csaEntry = managed.find((e) => isCsa(e) && e.apiVersion === ssa.apiVersion);
  let fields = FieldSet.fromFieldsV1(ssa.fieldsV1);
  if (csaEntry !== undefined) fields = fields.union(FieldSet.fromFieldsV1(csaEntry.fieldsV1));
  managed[target] = { ...ssa, fieldsV1: fields.toFieldsV1() };
  const kept = managed.filter((e) => !isCsa(e));
  return kept.length === 0 ? undefined : kept;
}

/** A JSON patch operation as kubectl sends it. */
export interface JsonPatchOperation {
  readonly op: "replace";
  readonly path: string;
  readonly value: unknown;
}

/**
 * UpgradeManagedFieldsPatch: the JSON patch that performs the upgrade, guarded by the object's
 * resourceVersion (a "replace" so a stale object fails with 409 rather than 422), or undefined when
 * there is nothing to upgrade.
 */
export function upgradeManagedFieldsPatch(
  obj: { metadata?: { managedFields?: unknown; resourceVersion?: string } },
  csaManagers: Iterable<string>,
  ssaManager: string,
  opts: UpgradeOptions = {},
): JsonPatchOperation[] | undefined {
  const entries = obj.metadata?.managedFields as ManagedFieldsEntry[] | undefined;
  const upgraded = upgradeManagedFields(entries, csaManagers, ssaManager, opts);
  if (JSON.stringify(upgraded ?? null) === JSON.stringify(entries ?? null)) return undefined;
  return [
    { op: "replace", path: "/metadata/managedFields", value: upgraded ?? null },
    { op: "replace", path: "/metadata/resourceVersion", value: obj.metadata?.resourceVersion ?? "" },
  ];
}
