// delete, after upstream's Store.Delete: preconditions (uid, resourceVersion) → 409; an object with
// finalizers, or deleted gracefully (pods), is only marked (deletionTimestamp, grace period, GC
// finalizers for Orphan/Foreground) and answered with 200 and the object; otherwise it is removed.
// A graceful deletion with grace 0 is written first (so watchers see it) and then removed.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { fail, notFound, success } from "../errors.ts";
import { metaOf } from "../meta.ts";
import { type ParsedDeleteOptions, parseDeleteOptions } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { StorageError } from "../storage/errors.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import { type Preconditions, checkPreconditions } from "../storage/store.ts";
import { type Scope, type ServerContext, grOf, keyOf, respond } from "./context.ts";
import { getObject } from "./get.ts";
import { beforeDelete, deletionFinalizers, markAsDeleting } from "./graceful.ts";
import { deleteNamespace } from "./namespace-delete.ts";
import { admissionAttributes, afterDelete } from "./rest.ts";

export interface DeleteResult {
  object: KubeObject;
  /** Removed from storage (false: only marked for deletion). */
  deleted: boolean;
}

export async function del(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const opts = parseDeleteOptions(scope.req.query, scope.req.body);
  await ctx.hooks.admission.admit(admissionAttributes(scope, "DELETE", scope.name, undefined, undefined, opts.dryRun === true));
  const isNamespace = scope.info.group === "" && scope.info.resource === "namespaces";
  const result = isNamespace ? await deleteNamespace(ctx, scope, opts) : await deleteResource(ctx, scope, opts);
  // 202 only in the legacy case upstream keeps: not deleted yet and orphanDependents=false.
  const code = !result.deleted && opts.orphanDependents === false ? 202 : 200;
  return respond(code, finalizeDelete(scope, result, code));
}

/** finalizeDelete: the object, or for kinds that do not return it a Success Status once removed. */
function finalizeDelete(scope: Scope, result: DeleteResult, code: number): KubeObject {
  if (!result.deleted || scope.info.returnDeletedObject) return result.object;
  const meta = result.object.metadata ?? {};
  const details: { name?: string; group?: string; kind?: string; uid?: string } = {};
  if (meta.name !== undefined) details.name = meta.name;
  if (scope.info.group !== "") details.group = scope.info.group;
  details.kind = scope.info.resource;
  if (meta.uid !== undefined) details.uid = meta.uid;
  return success(code, details) as unknown as KubeObject;
}

function preconditionsOf(opts: ParsedDeleteOptions): Preconditions | undefined {
  return opts.preconditions === undefined ? undefined : { ...opts.preconditions };
}

/** Store.Delete for every kind but namespaces (and the namespace's final removal). */
export async function deleteResource(ctx: ServerContext, scope: Scope, opts: ParsedDeleteOptions): Promise<DeleteResult> {
  const result = await removeOrMark(ctx, scope, opts);
  // finalizeDelete's AfterDelete: what the removed object held (service IPs, node ports) is free now.
  if (result.deleted) await afterDelete(ctx, scope.info, result.object, opts.dryRun === true);
  return result;
}

async function removeOrMark(ctx: ServerContext, scope: Scope, opts: ParsedDeleteOptions): Promise<DeleteResult> {
  const gr = grOf(scope);
  const dryRun = opts.dryRun === true;
  const pre = preconditionsOf(opts);
  const existing = await getObject(ctx, scope);
  try {
    checkPreconditions(pre, existing);
  } catch (err) {
    rethrowStorageError(err, gr, scope.name);
  }
  const probe = structuredClone(existing);
  const first = beforeDelete(scope.info, probe, opts, ctx.clock.now());
  if (first.pendingGraceful) return { object: existing, deleted: false };
  const pendingFinalizers = (existing.metadata?.finalizers ?? []).length > 0;
  let lastExisting: KubeObject | undefined;
  let ignoreNotFound = false;
  if (first.graceful || pendingFinalizers || deletionFinalizers(existing, opts).changed) {
    const marked = await markForDeletion(ctx, scope, opts, pre);
    if (!marked.deleteNow) return { object: marked.object, deleted: false };
    if (dryRun) return { object: marked.object, deleted: true };
    lastExisting = marked.object;
    ignoreNotFound = marked.ignoreNotFound;
    if (pre?.resourceVersion !== undefined) pre.resourceVersion = marked.object.metadata?.resourceVersion ?? "";
  }
  try {
    const object = await ctx.store.delete(
      scope.info,
      keyOf(scope),
      pre,
      (obj) => ctx.hooks.admission.validate(admissionAttributes(scope, "DELETE", scope.name, undefined, obj, dryRun)),
      dryRun,
    );
    return { object, deleted: true };
  } catch (err) {
    // Another component (the kubelet) removed it first: that is the deletion we wanted.
    if (err instanceof StorageError && err.code === "KeyNotFound" && ignoreNotFound && lastExisting !== undefined) {
      return { object: lastExisting, deleted: true };
    }
    if (err instanceof StorageError && err.code === "KeyNotFound") fail(notFound(gr, scope.name));
    rethrowStorageError(err, gr, scope.name);
  }
}

interface Marked {
  object: KubeObject;
  /** Fall through to removing the object from storage. */
  deleteNow: boolean;
  ignoreNotFound: boolean;
}

/** updateForGracefulDeletionAndFinalizers. */
async function markForDeletion(ctx: ServerContext, scope: Scope, opts: ParsedDeleteOptions, pre: Preconditions | undefined): Promise<Marked> {
  const dryRun = opts.dryRun === true;
  let graceful = false;
  let pendingFinalizers = false;
  const state: { outcome: "updated" | "deleteNow" | "alreadyDeleting" } = { outcome: "updated" };
  let existingObject: KubeObject | undefined;
  let object: KubeObject;
  try {
    object = await ctx.store.guaranteedUpdate(scope.info, keyOf(scope), { preconditions: pre, dryRun }, async (existing) => {
      const obj = existing!;
      existingObject = structuredClone(obj);
      state.outcome = "updated";
      await ctx.hooks.admission.validate(admissionAttributes(scope, "DELETE", scope.name, undefined, obj, dryRun));
      const decision = beforeDelete(scope.info, obj, opts, ctx.clock.now());
      if (decision.pendingGraceful) {
        state.outcome = "alreadyDeleting";
        return existingObject;
      }
      const gc = deletionFinalizers(obj, opts);
      if (gc.changed) metaOf(obj).finalizers = gc.finalizers;
      pendingFinalizers = (obj.metadata?.finalizers ?? []).length > 0;
      graceful = decision.graceful;
      if (!graceful) {
        if (!pendingFinalizers) {
          state.outcome = "deleteNow";
          return existingObject;
        }
        markAsDeleting(obj, ctx.clock.now());
      }
      return obj;
    });
  } catch (err) {
    rethrowStorageError(err, grOf(scope), scope.name);
  }
  if (state.outcome === "alreadyDeleting") return { object: existingObject ?? object, deleteNow: false, ignoreNotFound: false };
  if (state.outcome === "deleteNow") return { object, deleteNow: true, ignoreNotFound: false };
  if (pendingFinalizers) return { object, deleteNow: false, ignoreNotFound: false };
  // Graceful with a grace period left: the kubelet (or a later delete) finishes it.
  if (graceful && (object.metadata?.deletionGracePeriodSeconds ?? 0) > 0) return { object, deleteNow: false, ignoreNotFound: false };
  // Graceful with zero grace: written so watchers see it, now removed; someone may beat us to it.
  return { object, deleteNow: true, ignoreNotFound: true };
}
