// kube-apiserver's field manager (k8s.io/apimachinery/pkg/util/managedfields: FieldManager and the
// managers NewDefaultFieldManager stacks): what every write does to metadata.managedFields, and
// server-side apply. Pure functions for the API server core:
//
//   updateManagedFields — after a create, update or non-apply patch has produced the new object;
//   applyPatch          — a PATCH with application/apply-patch+yaml (also for a missing object,
//                         which apply creates).
//
// The layers, outermost first, as upstream stacks them: version check; last-applied updater and
// manager (client-side apply upgrade, only for manager "kubectl"); skip-non-applied (objects
// without managedFields stay untracked on update, and an apply first attributes their fields to
// "before-first-apply"); cap of 10 Update entries ("ancient-changes"); manager identifiers;
// timestamps; stripping of identity metadata; the structured-merge-diff updater.
import type { KubeObject, Status } from "../../../spec/interfaces/api-client.ts";
import type { JsonObject, JsonValue } from "../../../spec/patch/json.ts";
import { cloneJson, isJsonObject, jsonKind, maxNestingDepth, nestingDepth, setOwn } from "../../../spec/patch/json.ts";
import { schemaFor, type SchemaNode } from "../../../spec/patch/schema.ts";
import { compareGoStrings } from "../../../spec/semantics/go-compat.ts";
import { conflictStatus, type Conflict } from "./conflict.ts";
import { SsaError } from "./errors.ts";
import { FieldSet } from "./field-set.ts";
import {
  KUBECTL_MANAGER,
  allowedConflictsFromLastApplied,
  buildLastApplied,
  lastApplied,
  setLastApplied,
} from "./last-applied.ts";
import {
  cloneManaged,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  managerIdentifier,
  unixSeconds,
  type Managed,
  type ManagedFieldsEntry,
  type VersionedSet,
} from "./managed-fields.ts";
import { fieldElement, pathToString } from "./path.ts";
import { rootAtom, type Atom } from "./schema.ts";
import { formatValidationErrors, validateTyped } from "./typed.ts";
import { updaterApply, updaterUpdate, type ManagerSets, type UpdaterContext } from "./updater.ts";
import { zeroObject } from "./zero-object.ts";

/** DefaultMaxUpdateManagers: older Update entries are merged into "ancient-changes". */
export const MAX_UPDATE_MANAGERS = 10;
export const BEFORE_FIRST_APPLY_MANAGER = "before-first-apply";
export const ANCIENT_CHANGES_MANAGER = "ancient-changes";
const CURRENT_OPERATION = "current-operation";

/** Never owned by anyone (stripMetaManager). */
const strippedFields = FieldSet.fromPaths(
  [
    ["apiVersion"],
    ["kind"],
    ["metadata"],
    ["metadata", "name"],
    ["metadata", "namespace"],
    ["metadata", "creationTimestamp"],
    ["metadata", "selfLink"],
    ["metadata", "uid"],
    ["metadata", "clusterName"],
    ["metadata", "generation"],
    ["metadata", "managedFields"],
    ["metadata", "resourceVersion"],
  ].map((names) => names.map(fieldElement)),
);

/**
 * The fields a strategy resets, which nobody owns through that endpoint (GetResetFields): status
 * on the main resource, spec on the status subresource. Some upstream status strategies reset a
 * little more (deployments/status also metadata.labels); callers with such a table pass their own.
 */
export function defaultResetFields(subresource?: string): FieldSet {
  if (subresource === undefined || subresource === "") return FieldSet.fromPaths([[fieldElement("status")]]);
  if (subresource === "status") return FieldSet.fromPaths([[fieldElement("spec")]]);
  return FieldSet.empty;
}

interface Context extends UpdaterContext {
  readonly subresource: string;
  readonly nowSeconds: number;
}

function context(
  apiVersion: string,
  kind: string,
  schema: SchemaNode | undefined,
  subresource: string | undefined,
  ignoredFields: FieldSet | undefined,
  nowMs: number,
): Context {
  const atom: Atom = rootAtom(schema ?? schemaFor(apiVersion, kind));
  return {
    atom,
    version: apiVersion,
    ignored: ignoredFields ?? defaultResetFields(subresource),
    subresource: subresource ?? "",
    nowSeconds: unixSeconds(nowMs),
  };
}

function withoutManagedFields(obj: KubeObject): JsonObject {
  const copy = cloneJson(obj as JsonObject);
  const meta = copy["metadata"];
  if (isJsonObject(meta)) delete meta["managedFields"];
  return copy;
}

function managedFieldsOf(obj: KubeObject | undefined): unknown {
  const meta = obj?.metadata;
  return isJsonObject(meta as JsonValue) ? (meta as JsonObject)["managedFields"] : undefined;
}

/** Entries recorded at another API version cannot be converted by the reference server: dropped. */
function atVersion(managed: Managed, version: string): ManagerSets {
  const out: ManagerSets = new Map();
  for (const [id, vs] of managed.fields) if (vs.apiVersion === version) out.set(id, vs);
  return out;
}

function strip(managers: ManagerSets, manager: string): void {
  const vs = managers.get(manager);
  if (vs === undefined) return;
  const set = vs.set.difference(strippedFields);
  if (set.isEmpty()) managers.delete(manager);
  else managers.set(manager, { ...vs, set });
}

// ---- updates ----

export interface UpdateManagedFieldsOptions {
  /** The stored object; undefined for a create. */
  readonly oldObj?: KubeObject;
  /** The object about to be stored, defaulted, managedFields as the request sent them. */
  readonly newObj: KubeObject;
  /** The manager: managerOrUserAgent(fieldManager, userAgent). */
  readonly manager: string;
  readonly operation?: "Update";
  readonly subresource?: string;
  /** The request's group/version, e.g. "apps/v1" or "v1". */
  readonly apiVersion: string;
  /** Clock.now() in milliseconds. */
  readonly now: number;
  /** Defaults to schemaFor(apiVersion, newObj.kind). */
  readonly schema?: SchemaNode;
  /** Defaults to defaultResetFields(subresource). */
  readonly ignoredFields?: FieldSet;
}

/**
 * FieldManager.Update (UpdateNoErrors): the managedFields to store with `newObj`. The request's own
 * managedFields are used when it sends decodable, non-empty ones (`[]` clears them); otherwise, and
 * always on a subresource, the stored object's are. Undefined means "no managedFields".
 */
export function updateManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] | undefined {
  const kind = o.newObj.kind ?? o.oldObj?.kind ?? "";
  const ctx = context(o.apiVersion, kind, o.schema, o.subresource, o.ignoredFields, o.now);
  const live = o.oldObj === undefined ? zeroObject(o.apiVersion, kind) : withoutManagedFields(o.oldObj);
  const managed = decodeLiveOrNew(o.oldObj, o.newObj, ctx.subresource !== "");
  // skipNonAppliedManager: an existing object without managedFields is not tracked by updates.
  const uid = o.oldObj?.metadata?.uid;
  if (managed.fields.size === 0 && typeof uid === "string" && uid !== "") return undefined;
  const updated = updateChain(ctx, live, withoutManagedFields(o.newObj), managed, o.manager);
  return encodeManagedFields(updated);
}

function decodeLiveOrNew(oldObj: KubeObject | undefined, newObj: KubeObject, isSubresource: boolean): Managed {
  const fromLive = (): Managed => {
    try {
      return decodeManagedFields(managedFieldsOf(oldObj));
    } catch {
      return emptyManaged();
    }
  };
  if (isSubresource) return fromLive();
  const requested = managedFieldsOf(newObj);
  if (isResetManagedFields(requested)) return emptyManaged();
  try {
    const managed = decodeManagedFields(requested);
    if (managed.fields.size > 0) return managed;
  } catch {
    // Clients that do not understand managedFields must not lose them: keep the stored ones.
  }
  return fromLive();
}

/** capManagers(buildManagerInfo(managedFieldsUpdater(stripMeta(structured)))).Update */
function updateChain(ctx: Context, live: JsonObject, newObj: JsonObject, input: Managed, manager: string): Managed {
  const id = managerIdentifier({
    manager: manager === "" ? "unknown" : manager,
    operation: "Update",
    apiVersion: ctx.version,
    subresource: ctx.subresource,
  });
  const managed = cloneManaged(input);
  const fields = updaterUpdate(ctx, live, newObj, atVersion(managed, ctx.version), CURRENT_OPERATION);
  strip(fields, CURRENT_OPERATION);
  const current = fields.get(CURRENT_OPERATION);
  if (current !== undefined) {
    // The write changed something: it joins the manager's previous Update entry, with a new time.
    fields.delete(CURRENT_OPERATION);
    const previous = fields.get(id);
    fields.set(id, previous === undefined ? current : { ...current, set: current.set.union(previous.set) });
    managed.times.set(id, ctx.nowSeconds);
  }
  const result: Managed = { fields, times: managed.times };
  capUpdateManagers(result, MAX_UPDATE_MANAGERS);
  return result;
}

/** capManagersManager: merges the oldest Update entries into one "ancient-changes" entry per version. */
function capUpdateManagers(managed: Managed, max: number): void {
  const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return;
  const seconds = (id: string): number => managed.times.get(id) ?? 0;
  updaters.sort((a, b) => (seconds(a) !== seconds(b) ? seconds(a) - seconds(b) : compareGoStrings(a, b)));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i] as string;
    const vs = managed.fields.get(id) as VersionedSet;
    const bucket = managerIdentifier({
      manager: ANCIENT_CHANGES_MANAGER,
      operation: "Update",
      apiVersion: vs.apiVersion,
      subresource: "",
    });
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!managed.fields.has(bucket)) {
      managed.fields.set(bucket, managed.fields.get(first) as VersionedSet);
      managed.fields.delete(first);
    }
    const into = managed.fields.get(bucket) as VersionedSet;
    managed.fields.set(bucket, { ...vs, set: vs.set.union(into.set) });
    managed.fields.delete(id);
    length--;
    managed.times.set(bucket, managed.times.get(id));
  }
}

// ---- apply ----

export interface ApplyPatchOptions {
  /** The stored object; undefined when it does not exist (the apply creates it). */
  readonly live?: KubeObject;
  /** The decoded apply-patch body (YAML or JSON); untrusted. */
  readonly applied: unknown;
  /** The fieldManager query parameter (required for apply; see validatePatchOptions). */
  readonly manager: string;
  readonly force?: boolean;
  /** The endpoint's group/version and kind; the applied object must match them. Default: the live object's. */
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly subresource?: string;
  /** Clock.now() in milliseconds. */
  readonly now: number;
  /** Defaults to schemaFor(apiVersion, kind). */
  readonly schema?: SchemaNode;
  /** Defaults to defaultResetFields(subresource). */
  readonly ignoredFields?: FieldSet;
}

export interface ApplySuccess {
  /**
   * The object to store (or, for a missing object, to create): the merge result with
   * metadata.managedFields set. Like upstream, the caller still defaults it, then validates and
   * admits it as for any write.
   */
  readonly object: KubeObject;
  readonly managedFields: ManagedFieldsEntry[] | undefined;
}

export interface ApplyConflicts {
  readonly conflicts: Conflict[];
  /** The 409 Conflict Status to answer with. */
  readonly status: Status;
}

export type ApplyResult = ApplySuccess | ApplyConflicts;

/**
 * FieldManager.Apply: server-side apply of `applied` by `manager`. Throws SsaError for a malformed
 * request (400) or unreadable stored managedFields (500).
 */
export function applyPatch(o: ApplyPatchOptions): ApplyResult {
  if (!isJsonObject(o.applied as JsonValue)) {
    const kind = o.applied === undefined ? "null" : jsonKind(o.applied);
    throw new SsaError(400, `error decoding patch: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  const applied = o.applied as JsonObject;
  // The walks below recurse; bound them as the patch functions do.
  if (nestingDepth(applied) > maxNestingDepth) {
    throw new SsaError(400, `error decoding patch: exceeded max depth of ${maxNestingDepth}`);
  }
  const apiVersion = o.apiVersion ?? o.live?.apiVersion ?? stringField(applied, "apiVersion");
  const kind = o.kind ?? o.live?.kind ?? stringField(applied, "kind");
  // versionCheckManager
  if (stringField(applied, "apiVersion") !== apiVersion || stringField(applied, "kind") !== kind) {
    throw new SsaError(400, `invalid object type: ${gvkString(applied)}`);
  }
  const ctx = context(apiVersion, kind, o.schema, o.subresource, o.ignoredFields, o.now);
  let managed: Managed;
  try {
    managed = decodeManagedFields(managedFieldsOf(o.live));
  } catch (err) {
    throw new SsaError(500, `failed to decode managed fields: ${(err as Error).message}`);
  }
  const live = o.live === undefined ? zeroObject(apiVersion, kind) : withoutManagedFields(o.live);

  let result = applyChain(ctx, live, applied, managed, o.manager, o.force === true);
  // lastAppliedManager: kubectl's first server-side apply over a client-side apply may take the
  // fields the last-applied configuration still describes.
  if ("conflicts" in result && o.manager === KUBECTL_MANAGER) {
    const allowed = allowedConflictsFromLastApplied(live, apiVersion, ctx.atom);
    if (allowed !== undefined) {
      const remaining = result.conflicts.filter((c) => !allowed.has(c.path));
      result = remaining.length > 0 ? { conflicts: remaining } : applyChain(ctx, live, applied, managed, o.manager, true);
    }
  }
  if ("conflicts" in result) return { conflicts: result.conflicts, status: conflictStatus(result.conflicts) };

  const object = result.object;
  // lastAppliedUpdater: keep the client-side annotation in step while it exists.
  if (o.manager === KUBECTL_MANAGER && lastApplied(object) !== undefined) {
    setLastApplied(object, buildLastApplied(applied));
  }
  const managedFields = encodeManagedFields(result.managed);
  return { object: setManagedFields(object, managedFields) as KubeObject, managedFields };
}

type ChainResult = { object: JsonObject; managed: Managed } | { conflicts: Conflict[] };

/** skipNonApplied → capManagers → buildManagerInfo → managedFieldsUpdater → stripMeta → structured, for Apply. */
function applyChain(
  ctx: Context,
  live: JsonObject,
  applied: JsonObject,
  input: Managed,
  manager: string,
  force: boolean,
): ChainResult {
  let managed = input;
  if (managed.fields.size === 0) {
    // Whoever set the fields of an untracked object: "before-first-apply".
    const empty = zeroObject(ctx.version, stringField(live, "kind"));
    managed = updateChain(ctx, empty, live, managed, BEFORE_FIRST_APPLY_MANAGER);
  }
  managed = cloneManaged(managed);
  const id = managerIdentifier({ manager: manager === "" ? "unknown" : manager, operation: "Apply", apiVersion: "", subresource: ctx.subresource });

  // structuredMergeManager.Apply
  const meta = applied["metadata"];
  if (isJsonObject(meta) && Array.isArray(meta["managedFields"])) {
    throw new SsaError(400, "metadata.managedFields must be nil");
  }
  const errors = validateTyped(applied, ctx.atom);
  if (errors.length > 0) {
    // Upstream answers 500 here; the reference server answers 400, since the request is at fault.
    throw new SsaError(400, `failed to create typed patch object (${objectGVKNN(applied)}): ${formatValidationErrors(errors)}`);
  }
  const outcome = updaterApply(ctx, live, applied, atVersion(managed, ctx.version), id, force);
  if ("conflicts" in outcome) return outcome;
  strip(outcome.managers, id);
  const fields = outcome.managers;
  if (outcome.object !== undefined) managed.times.set(id, ctx.nowSeconds);
  const object = outcome.object === undefined ? cloneJson(live) : (outcome.object as JsonObject);
  return { object, managed: { fields, times: managed.times } };
}

function setManagedFields(obj: JsonObject, entries: ManagedFieldsEntry[] | undefined): JsonObject {
  let meta = obj["metadata"];
  if (!isJsonObject(meta)) {
    if (entries === undefined) return obj;
    meta = {};
    setOwn(obj, "metadata", meta);
  }
  if (entries === undefined) delete meta["managedFields"];
  else setOwn(meta, "managedFields", entries as unknown as JsonValue);
  return obj;
}

function stringField(obj: JsonObject, key: string): string {
  const v = obj[key];
  return typeof v === "string" ? v : "";
}

/** schema.GroupVersionKind.String() of an object: "apps/v1, Kind=Deployment", "/v1, Kind=Pod". */
function gvkString(obj: JsonObject): string {
  const apiVersion = stringField(obj, "apiVersion");
  const parts = apiVersion.split("/");
  if (parts.length > 2) return "/, Kind="; // unparseable group/version: the empty GroupVersionKind
  const [group, version] = parts.length === 2 ? [parts[0], parts[1]] : ["", parts[0]];
  return `${group}/${version}, Kind=${stringField(obj, "kind")}`;
}

/** objectGVKNN: "<namespace>/<name>; <gvk>". */
function objectGVKNN(obj: JsonObject): string {
  const meta = isJsonObject(obj["metadata"]) ? obj["metadata"] : {};
  return `${stringField(meta, "namespace")}/${stringField(meta, "name")}; ${gvkString(obj)}`;
}

/** For messages and tests: a manager's owned paths, printed. */
export function ownedPaths(entries: readonly ManagedFieldsEntry[] | undefined, manager: string): string[] {
  const entry = entries?.find((e) => e.manager === manager);
  return entry === undefined ? [] : FieldSet.fromFieldsV1(entry.fieldsV1).paths().map(pathToString);
}
