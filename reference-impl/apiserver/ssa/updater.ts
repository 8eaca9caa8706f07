// structured-merge-diff's merge.Updater: how an apply merges a configuration into the live object
// and prunes what its manager stopped applying, and how any write moves field ownership between
// managers. Managers are keyed by identifier (see managed-fields.ts); all sets are at one API
// version, since the reference server serves one version per kind.
import type { JsonValue } from "../../../spec/patch/json.ts";
import { conflictsFromManagers, type Conflict } from "./conflict.ts";
import { FieldSet } from "./field-set.ts";
import type { VersionedSet } from "./managed-fields.ts";
import type { Atom } from "./schema.ts";
import {
  compareTyped,
  ensureNamedFieldsAreMembers,
  excludeFields,
  fieldsOf,
  mergeTyped,
  removeItems,
  type Comparison,
} from "./typed.ts";
import { valuesEqual } from "./value.ts";

export type ManagerSets = Map<string, VersionedSet>;

export interface UpdaterContext {
  readonly atom: Atom;
  /** The API version of the request. */
  readonly version: string;
  /** Fields the strategy resets (e.g. status on the main resource): never owned, never conflicting. */
  readonly ignored?: FieldSet;
}

type Updated = { managers: ManagerSets; compare: Comparison } | { conflicts: Conflict[] };

/**
 * Updater.update: fields the write changes or adds leave every other manager (a conflict unless
 * forced); fields it removes leave every manager. Managers left with nothing are dropped.
 */
function update(
  ctx: UpdaterContext,
  oldObject: JsonValue,
  newObject: JsonValue,
  input: ManagerSets,
  workflow: string,
  force: boolean,
): Updated {
  const compare = excludeFields(compareTyped(oldObject, newObject, ctx.atom), ctx.ignored);
  const changed = compare.modified.union(compare.added);
  const conflicts = new Map<string, FieldSet>();
  const managers: ManagerSets = new Map(input);
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    const conflictSet = vs.set.intersection(changed);
    if (!conflictSet.isEmpty()) conflicts.set(manager, conflictSet);
  }
  if (!force && conflicts.size > 0) return { conflicts: conflictsFromManagers(conflicts) };
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    let set = vs.set;
    const lost = conflicts.get(manager);
    if (lost !== undefined) set = set.difference(lost);
    if (!compare.removed.isEmpty()) set = set.difference(compare.removed);
    managers.set(manager, { ...vs, set });
  }
  for (const [manager, vs] of managers) if (vs.set.isEmpty()) managers.delete(manager);
  return { managers, compare };
}

/**
 * Updater.Update, after a create, update or non-apply patch: `manager` additionally owns whatever
 * the write changed or added, and loses whatever it removed.
 */
export function updaterUpdate(
  ctx: UpdaterContext,
  liveObject: JsonValue,
  newObject: JsonValue,
  managers: ManagerSets,
  manager: string,
): ManagerSets {
  const result = update(ctx, liveObject, newObject, managers, manager, true);
  if ("conflicts" in result) throw new Error("forced update reported conflicts"); // unreachable
  const out = result.managers;
  const { added, modified, removed } = result.compare;
  let set = (out.get(manager)?.set ?? FieldSet.empty).union(modified).union(added).difference(removed);
  if (ctx.ignored !== undefined) set = set.recursiveDifference(ctx.ignored);
  if (set.isEmpty()) out.delete(manager);
  else out.set(manager, { set, apiVersion: ctx.version, applied: false });
  return out;
}

export type ApplyOutcome =
  /** `object` is undefined when the apply changed nothing. */
  | { object: JsonValue | undefined; managers: ManagerSets }
  | { conflicts: Conflict[] };

/**
 * Updater.Apply: merges `config` into the live object, makes `manager` own exactly the fields of
 * `config`, prunes what it owned before and no longer applies (unless someone else owns it), and
 * fails with conflicts when that changes fields other managers own (unless forced).
 */
export function updaterApply(
  ctx: UpdaterContext,
  liveObject: JsonValue,
  config: JsonValue,
  input: ManagerSets,
  manager: string,
  force: boolean,
): ApplyOutcome {
  const managers: ManagerSets = new Map(input);
  let newObject: JsonValue = mergeTyped(liveObject, config, ctx.atom) ?? {};
  const lastSet = managers.get(manager);
  let set = fieldsOf(config, ctx.atom);
  if (ctx.ignored !== undefined) set = set.recursiveDifference(ctx.ignored);
  managers.set(manager, { set, apiVersion: ctx.version, applied: true });
  newObject = prune(ctx, newObject, managers, lastSet);
  const result = update(ctx, liveObject, newObject, managers, manager, force);
  if ("conflicts" in result) return result;
  return { object: valuesEqual(liveObject, newObject) ? undefined : newObject, managers: result.managers };
}

/**
 * Updater.prune: removes a field (or list/map item) iff the applier applied it last time, did not
 * apply it now, and no manager owns it. Struct fields count as owned when anything under them is.
 */
function prune(ctx: UpdaterContext, merged: JsonValue, managers: ManagerSets, lastSet: VersionedSet | undefined): JsonValue {
  if (lastSet === undefined || lastSet.set.isEmpty()) return merged;
  const ensure = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, ctx.atom);
  const fields = (v: JsonValue): FieldSet => fieldsOf(v, ctx.atom);
  const remove = (s: FieldSet): JsonValue => removeItems(merged, s, ctx.atom) ?? {};
  const last = ensure(lastSet.set);
  const mergedSet = ensure(fields(merged));

  // Take away everything last applied, then add back what any manager (this one included) owns.
  let pruned = remove(last);
  let owned = FieldSet.empty;
  for (const vs of managers.values()) owned = owned.union(vs.set);
  pruned = remove(mergedSet.difference(ensure(fields(pruned)).union(ensure(owned))));

  // Only fields the applier owned before may go: add back what nobody ever applied.
  return remove(mergedSet.difference(ensure(fields(pruned))).intersection(last));
}
