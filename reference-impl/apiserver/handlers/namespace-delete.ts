// Deleting a namespace (pkg/registry/core/namespace/storage): the first DELETE only starts
// termination — deletionTimestamp, status.phase Terminating, the GC finalizers the options ask for —
// and answers 200 with the namespace. The namespace controller empties the namespace, clears
// spec.finalizers through namespaces/finalize and deletes again; only a namespace whose
// spec.finalizers are empty is then removed (metadata.finalizers still holding it, as for any kind).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS } from "../../../spec/semantics/validation.ts";
import { compareGoStrings } from "../../../spec/semantics/go-compat.ts";
import { metaOf, nowTimestamp } from "../meta.ts";
import type { ParsedDeleteOptions } from "../query.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import { type Scope, type ServerContext, grOf, keyOf } from "./context.ts";
import { type DeleteResult, deleteResource } from "./delete.ts";
import { getObject } from "./get.ts";
import { admissionAttributes } from "./rest.ts";
import { checkPreconditions } from "../storage/store.ts";

export async function deleteNamespace(ctx: ServerContext, scope: Scope, opts: ParsedDeleteOptions): Promise<DeleteResult> {
  const namespace = await getObject(ctx, scope);
  const uid = opts.preconditions?.uid ?? namespace.metadata?.uid ?? "";
  try {
    checkPreconditions({ uid }, namespace);
  } catch (err) {
    rethrowStorageError(err, grOf(scope), scope.name);
  }
  if (namespace.metadata?.deletionTimestamp === undefined) {
    const dryRun = opts.dryRun === true;
    try {
      const object = await ctx.store.guaranteedUpdate(scope.info, keyOf(scope), { preconditions: { uid }, dryRun }, async (existing) => {
        const ns = existing!;
        await ctx.hooks.admission.validate(admissionAttributes(scope, "DELETE", scope.name, undefined, structuredClone(ns), dryRun));
        startTermination(ctx, ns, opts);
        return ns;
      });
      return { object, deleted: false };
    } catch (err) {
      rethrowStorageError(err, grOf(scope), scope.name);
    }
  }
  const specFinalizers = (namespace.spec as { finalizers?: unknown[] } | undefined)?.finalizers ?? [];
  if (specFinalizers.length > 0) return { object: namespace, deleted: false };
  return deleteResource(ctx, scope, opts);
}

function startTermination(ctx: ServerContext, ns: KubeObject, opts: ParsedDeleteOptions): void {
  const meta = metaOf(ns);
  if (meta.deletionTimestamp === undefined) meta.deletionTimestamp = nowTimestamp(ctx.clock);
  ns.status = { ...((ns.status as Record<string, unknown> | undefined) ?? {}), phase: "Terminating" };
  const current = new Set(meta.finalizers ?? []);
  const want = new Map([
    [FINALIZER_ORPHAN_DEPENDENTS, shouldHaveOrphanFinalizer(opts, current.has(FINALIZER_ORPHAN_DEPENDENTS))],
    [FINALIZER_DELETE_DEPENDENTS, shouldHaveDeleteDependentsFinalizer(opts, current.has(FINALIZER_DELETE_DEPENDENTS))],
  ]);
  let changed = false;
  for (const [finalizer, shouldHave] of want) {
    changed ||= current.has(finalizer) !== shouldHave;
    if (shouldHave) current.add(finalizer);
    else current.delete(finalizer);
  }
  // Upstream rebuilds the list from a map (random order); sorted here, for determinism.
  if (changed) meta.finalizers = [...current].sort(compareGoStrings);
}

function shouldHaveOrphanFinalizer(opts: ParsedDeleteOptions, has: boolean): boolean {
  if (opts.orphanDependents !== undefined) return opts.orphanDependents;
  if (opts.propagationPolicy !== undefined) return opts.propagationPolicy === "Orphan";
  return has;
}

function shouldHaveDeleteDependentsFinalizer(opts: ParsedDeleteOptions, has: boolean): boolean {
  if (opts.orphanDependents !== undefined) return !opts.orphanDependents;
  if (opts.propagationPolicy !== undefined) return opts.propagationPolicy === "Foreground";
  return has;
}
