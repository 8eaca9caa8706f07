// The steps every write shares, after k8s.io/apiserver/pkg/registry/rest (BeforeCreate,
// BeforeUpdate) and the handlers' checks (checkName, EnsureObjectNamespaceMatchesRequestNamespace,
// WipeObjectMetaSystemFields / FillObjectMetaSystemFields), plus NamespaceLifecycle's create rule.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { type FieldError, FieldPath } from "../../../spec/semantics/field-errors.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "../../../spec/semantics/validation.ts";
import { badRequest, fail, forbidden, invalid, notFound } from "../errors.ts";
import type { AdmissionAttributes, AdmissionOperation } from "../hooks.ts";
import { metaOf, newUid, nowTimestamp } from "../meta.ts";
import type { FieldValidationMode } from "../query.ts";
import { RESOURCES, type ResourceInfo } from "../resources.ts";
import { objectKey } from "../storage/keys.ts";
import { managerOrUserAgent, validateFieldManager } from "../ssa/index.ts";
import { type UpdateMode, prepareForCreate, prepareForUpdate, validateImmutableFields } from "../strategy.ts";
import { type Scope, type ServerContext, grOf } from "./context.ts";

const namespaceInfo = RESOURCES.find((r) => r.group === "" && r.resource === "namespaces")!;

/** EnsureObjectNamespaceMatchesRequestNamespace: fill in, clear (cluster-scoped) or refuse. */
export function ensureNamespaceMatches(scope: Scope, obj: KubeObject): void {
  const meta = metaOf(obj);
  const requested = scope.info.namespaced ? scope.namespace : "";
  const own = meta.namespace ?? "";
  if (own === requested) return;
  if (own === "") meta.namespace = requested;
  else if (requested === "") delete meta.namespace;
  else fail(badRequest("the namespace of the provided object does not match the namespace sent on the request"));
}

/** checkName (update, patch): the object's name and namespace must be the URL's. */
export function checkName(scope: Scope, obj: KubeObject): void {
  const name = obj.metadata?.name ?? "";
  if (name !== scope.name) fail(badRequest(`the name of the object (${name}) does not match the name on the URL (${scope.name})`));
  const ns = obj.metadata?.namespace ?? "";
  if (scope.namespace !== "" && ns !== "" && ns !== scope.namespace) {
    fail(badRequest(`the namespace of the object (${ns}) does not match the namespace on the request (${scope.namespace})`));
  }
}

/**
 * NamespaceLifecycle on CREATE: the namespace must exist and must not be terminating. `name` is what
 * admission sees: the object's name, else its generateName (names are generated after admission).
 */
export async function checkNamespaceLifecycle(ctx: ServerContext, scope: Scope, name: string): Promise<void> {
  if (!scope.info.namespaced) return;
  const ns = await ctx.store.get(namespaceInfo, objectKey(namespaceInfo, undefined, scope.namespace));
  if (ns === undefined) fail(notFound({ group: "", resource: "namespaces" }, scope.namespace));
  const phase = (ns.status as { phase?: unknown } | undefined)?.phase;
  if (phase === "Terminating") {
    const status = forbidden(grOf(scope), name === "" ? "Unknown" : name, `unable to create new content in namespace ${scope.namespace} because it is being terminated`);
    status.details = { ...status.details, causes: [{ reason: "NamespaceTerminating", message: `namespace ${scope.namespace} is being terminated`, field: "metadata.namespace" }] };
    fail(status);
  }
}

/** WipeObjectMetaSystemFields then FillObjectMetaSystemFields: the server sets uid and creationTimestamp. */
export function fillSystemFields(ctx: ServerContext, obj: KubeObject): void {
  const meta = metaOf(obj);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  meta.creationTimestamp = nowTimestamp(ctx.clock);
  meta.uid = newUid(ctx.rng);
}

/** The 422 for a kind's field errors (duplicates, which upstream's double checks produce, dropped). */
export function invalidFor(scope: Scope, name: string, errs: readonly FieldError[]): never {
  fail(invalid(scope.info.group, scope.info.kind, name, dedupe(errs)));
}

function dedupe(errs: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const key = `${e.type}\x00${e.field}\x00${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** BeforeCreate: the registry's PrepareForCreate, the kind's, then the kind's and generic validation. */
export function beforeCreate(ctx: ServerContext, scope: Scope, obj: KubeObject): string[] {
  const meta = metaOf(obj);
  ensureNamespaceMatches(scope, obj);
  prepareForCreate(scope.info, obj);
  const warnings = ctx.hooks.prepareForCreate(obj, scope.info, ctx.clock.now());
  const name = meta.name ?? "";
  const kindErrs = ctx.hooks.validateCreate(obj, scope.info);
  if (kindErrs.length > 0) invalidFor(scope, name, kindErrs);
  const metaErrs = validateObjectMeta(meta, { namespaced: scope.info.namespaced, nameFn: scope.info.nameFn });
  if (metaErrs.length > 0) invalidFor(scope, name, metaErrs);
  return warnings;
}

/**
 * BeforeUpdate: the request cannot change generation, uid, creationTimestamp or remove a
 * deletionTimestamp/grace period; then the strategy's PrepareForUpdate and the validation.
 */
export function beforeUpdate(ctx: ServerContext, scope: Scope, obj: KubeObject, old: KubeObject, mode: UpdateMode): void {
  const meta = metaOf(obj);
  const oldMeta = old.metadata ?? {};
  ensureNamespaceMatches(scope, obj);
  setOrDelete(meta, "generation", oldMeta.generation);
  prepareForUpdate(scope.info, obj, old, mode);
  if ((meta.uid ?? "") === "") setOrDelete(meta, "uid", oldMeta.uid);
  if (oldMeta.creationTimestamp !== undefined) meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  }
  // The kind's validation first: its messages print values as upstream does; the registry's own
  // immutable-field checks only add what it does not report (duplicates are dropped).
  const errs = [...validateObjectMetaUpdate(meta, oldMeta), ...ctx.hooks.validateUpdate(obj, old, scope.info, mode === "main" ? undefined : mode)];
  if (mode === "main") {
    const reported = new Set(errs.map((e) => e.field));
    errs.push(...validateImmutableFields(scope.info, obj, old).filter((e) => !reported.has(e.field)));
  }
  if (errs.length > 0) invalidFor(scope, meta.name ?? "", errs);
}

function setOrDelete(meta: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete meta[key];
  else meta[key] = value;
}

/**
 * The body decoded as its kind (type errors → 400; fieldValidation Strict: unknown fields → 400,
 * Warn: warnings), then defaulted: what the handlers work on from here.
 */
export function decodeAndDefault(ctx: ServerContext, scope: Scope, obj: KubeObject, mode: FieldValidationMode): { object: KubeObject; warnings: string[] } {
  const decoded = ctx.hooks.decode(obj, scope.info, mode);
  ctx.hooks.applyDefaults(decoded.object, scope.info);
  return decoded;
}

/** The field manager of a write: fieldManager, else the user agent's first part (managerOrUserAgent). */
export function fieldManagerOf(scope: Scope, optionsKind: string): string {
  const fieldManager = scope.req.query.fieldManager ?? "";
  const errs = validateFieldManager(fieldManager, FieldPath.of("fieldManager"));
  if (errs.length > 0) fail(invalid("meta.k8s.io", optionsKind, "", errs));
  return managerOrUserAgent(fieldManager, scope.req.userAgent);
}

/** Sets metadata.managedFields for a non-apply write, as upstream's field manager does before admission. */
export function trackManagedFields(ctx: ServerContext, scope: Scope, oldObj: KubeObject | undefined, newObj: KubeObject, manager: string): void {
  const managed = ctx.hooks.managedFields({ info: scope.info, subresource: scope.subresource, oldObj, newObj, manager, nowMs: ctx.clock.now() });
  const meta = metaOf(newObj);
  if (managed === undefined || managed.length === 0) delete meta.managedFields;
  else meta.managedFields = managed;
}

export function admissionAttributes(
  scope: Scope,
  operation: AdmissionOperation,
  name: string,
  object: KubeObject | undefined,
  oldObject: KubeObject | undefined,
  dryRun: boolean,
): AdmissionAttributes {
  const attrs: AdmissionAttributes = { operation, info: scope.info, namespace: scope.info.namespaced ? scope.namespace : "", name, dryRun, user: scope.req.user };
  if (scope.subresource !== undefined) attrs.subresource = scope.subresource;
  if (object !== undefined) attrs.object = object;
  if (oldObject !== undefined) attrs.oldObject = oldObject;
  return attrs;
}

/**
 * Tells admission how a write it admitted with `attrs` ended (AdmissionChain.finish): stored (ok) or
 * abandoned. Settling never changes the write's answer; what it fails to give back is reclaimed
 * later as stale (admission/allocator.ts), as upstream only logs a failed release.
 */
export async function finishAdmission(ctx: ServerContext, attrs: AdmissionAttributes, ok: boolean): Promise<void> {
  try {
    await ctx.hooks.admission.finish?.(attrs, ok);
  } catch {
    // Reclaimed as stale; see above.
  }
}

/** AfterDelete: `obj`, its last stored state, was removed from storage. Failures as finishAdmission. */
export async function afterDelete(ctx: ServerContext, info: ResourceInfo, obj: KubeObject, dryRun: boolean): Promise<void> {
  try {
    await ctx.hooks.admission.afterDelete?.(info, obj, dryRun);
  } catch {
    // Reclaimed as stale, as in finishAdmission.
  }
}
