// update (PUT) of a resource or its status/finalize subresource, and the update pipeline PATCH and
// /scale share: GuaranteedUpdate with a transform that computes the new object from the current one,
// runs mutating admission, checks the resourceVersion (none given: unconditional, as upstream's
// AllowUnconditionalUpdate), BeforeUpdate, validating admission — retried on contention. An update
// that removes the last finalizer of an object being deleted with grace 0 deletes it.
import { ApiError, type KubeObject } from "../../../spec/interfaces/api-client.ts";
import { conflict, fail, notFound } from "../errors.ts";
import { decodeBody, metaOf } from "../meta.ts";
import { parseDryRun, parseFieldValidation } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { StorageError } from "../storage/errors.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import type { UpdateMode } from "../strategy.ts";
import { type Scope, type ServerContext, checkResourceTypeMeta, grOf, keyOf, respond } from "./context.ts";
import {
  admissionAttributes,
  beforeCreate,
  beforeUpdate,
  checkName,
  checkNamespaceLifecycle,
  decodeAndDefault,
  fieldManagerOf,
  afterDelete,
  fillSystemFields,
  finishAdmission,
  trackManagedFields,
} from "./rest.ts";

export interface UpdateFlow {
  mode: UpdateMode;
  dryRun: boolean;
  /** The field manager of a non-apply write; undefined when the flow sets managedFields itself (apply). */
  manager: string | undefined;
  /** PUT to a missing object creates it (AllowCreateOnUpdate), as does server-side apply. */
  allowCreate: boolean;
  /** The new object from the current one (undefined when creating); throw an ApiError to refuse. */
  updatedObject(existing: KubeObject | undefined): Promise<KubeObject> | KubeObject;
}

export interface UpdateResult {
  object: KubeObject;
  created: boolean;
}

/** Thrown out of the transform to delete instead of writing (emptied finalizers, grace 0). */
class EmptiedFinalizers extends Error {
  /** `object`: the update's body; `stored`: the object as stored, which is removed. */
  constructor(
    readonly object: KubeObject,
    readonly stored: KubeObject,
  ) {
    super("finalizers emptied");
  }
}

export async function update(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const query = scope.req.query;
  const dryRun = parseDryRun(query, "UpdateOptions");
  const fieldValidation = parseFieldValidation(query, "UpdateOptions");
  const manager = fieldManagerOf(scope, "UpdateOptions");
  const raw = decodeBody(scope.req.body);
  checkResourceTypeMeta(raw, scope.info);
  const { object: body, warnings } = decodeAndDefault(ctx, scope, raw, fieldValidation);
  checkName(scope, body);
  const mode: UpdateMode = scope.subresource === "status" ? "status" : scope.subresource === "finalize" ? "finalize" : "main";
  const result = await updateResource(ctx, scope, {
    mode,
    dryRun,
    manager,
    allowCreate: mode === "main" && scope.info.allowCreateOnUpdate,
    updatedObject: () => structuredClone(body),
  });
  return respond(result.created ? 201 : 200, result.object, warnings);
}

/** The update pipeline (upstream's Store.Update): see the file comment. */
export async function updateResource(ctx: ServerContext, scope: Scope, flow: UpdateFlow): Promise<UpdateResult> {
  const gr = grOf(scope);
  let created = false;
  // Every body admission admitted: the transform runs again on contention, and only the body of
  // the last run can have been stored; the others' holdings are given back.
  const admitted: AdmissionAttributes[] = [];
  let stored = false;
  const run = async (): Promise<UpdateResult> => {
    try {
      const object = await ctx.store.guaranteedUpdate(
        scope.info,
        keyOf(scope),
        { ignoreNotFound: flow.allowCreate, dryRun: flow.dryRun },
        async (existing) => {
          if (existing === undefined) {
            created = true;
            return createOnUpdate(ctx, scope, flow, admitted);
          }
          created = false;
          return updateExisting(ctx, scope, flow, existing, admitted);
        },
      );
      stored = true;
      return { object, created };
    } catch (err) {
      if (err instanceof EmptiedFinalizers) return { object: await deleteEmptied(ctx, scope, err.object, err.stored, flow.dryRun), created: false };
      if (err instanceof StorageError && err.code === "KeyNotFound") fail(notFound(gr, scope.name));
      rethrowStorageError(err, gr, scope.name);
    }
  };
  try {
    return await run();
  } finally {
    for (const [i, attrs] of admitted.entries()) await finishAdmission(ctx, attrs, stored && i === admitted.length - 1);
  }
}

async function updateExisting(ctx: ServerContext, scope: Scope, flow: UpdateFlow, existing: KubeObject, admitted: AdmissionAttributes[]): Promise<KubeObject> {
  const obj = await flow.updatedObject(existing);
  const meta = metaOf(obj);
  const existingRv = existing.metadata?.resourceVersion ?? "";
  if (flow.manager !== undefined) trackManagedFields(ctx, scope, existing, obj, flow.manager);
  const attrs = admissionAttributes(scope, "UPDATE", scope.name, obj, existing, flow.dryRun);
  await ctx.hooks.admission.admit(attrs);
  admitted.push(attrs);
  const rv = meta.resourceVersion ?? "";
  if (rv === "") meta.resourceVersion = existingRv;
  else if (rv !== existingRv) fail(conflict(grOf(scope), scope.name));
  beforeUpdate(ctx, scope, obj, existing, flow.mode);
  await ctx.hooks.admission.validate(admissionAttributes(scope, "UPDATE", scope.name, obj, existing, flow.dryRun));
  if (shouldDeleteDuringUpdate(obj, existing)) throw new EmptiedFinalizers(obj, existing);
  return obj;
}

async function createOnUpdate(ctx: ServerContext, scope: Scope, flow: UpdateFlow, admitted: AdmissionAttributes[]): Promise<KubeObject> {
  const obj = await flow.updatedObject(undefined);
  delete metaOf(obj).resourceVersion;
  fillSystemFields(ctx, obj);
  if (flow.manager !== undefined) trackManagedFields(ctx, scope, undefined, obj, flow.manager);
  await checkNamespaceLifecycle(ctx, scope, scope.name);
  const attrs = admissionAttributes(scope, "CREATE", scope.name, obj, undefined, flow.dryRun);
  await ctx.hooks.admission.admit(attrs);
  admitted.push(attrs);
  beforeCreate(ctx, scope, obj);
  await ctx.hooks.admission.validate(admissionAttributes(scope, "CREATE", scope.name, obj, undefined, flow.dryRun));
  return obj;
}

/**
 * ShouldDeleteDuringUpdate: the update empties the finalizers of an object that had some and is
 * already being deleted with a zero grace period.
 */
function shouldDeleteDuringUpdate(obj: KubeObject, existing: KubeObject): boolean {
  const meta = existing.metadata ?? {};
  return (
    (obj.metadata?.finalizers ?? []).length === 0 &&
    (meta.finalizers ?? []).length > 0 &&
    meta.deletionTimestamp !== undefined &&
    meta.deletionGracePeriodSeconds === 0
  );
}

/**
 * deleteWithoutFinalizers: the client expects the updated object back, as a PUT succeeded. The
 * update's body was not stored (its admission is settled as abandoned); what the stored object held
 * is released by AfterDelete.
 */
async function deleteEmptied(ctx: ServerContext, scope: Scope, obj: KubeObject, stored: KubeObject, dryRun: boolean): Promise<KubeObject> {
  let removed = stored;
  try {
    removed = await ctx.store.delete(scope.info, keyOf(scope), { uid: obj.metadata?.uid ?? "" }, () => {}, dryRun);
  } catch (err) {
    // Several updates may race to remove the last finalizer: one of them deleted it.
    if (!(err instanceof StorageError && err.code === "KeyNotFound")) {
      if (err instanceof ApiError) throw err;
      rethrowStorageError(err, grOf(scope), scope.name);
    }
  }
  await afterDelete(ctx, scope.info, removed, dryRun);
  return obj;
}
