// Deletion decisions, after upstream's rest.BeforeDelete (graceful deletion: deletionTimestamp =
// now + grace, a shorter grace may shorten a pending one), the pod strategy's CheckGracefulDelete,
// markAsDeleting, and the garbage collector's deletion finalizers (propagationPolicy Orphan adds
// `orphan`, Foreground `foregroundDeletion`; Background, the default, neither).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS } from "../../../spec/semantics/validation.ts";
import { formatTimestamp, metaOf, parseTimestamp } from "../meta.ts";
import type { ParsedDeleteOptions } from "../query.ts";
import type { ResourceInfo } from "../resources.ts";

export interface DeleteDecision {
  /** The object now carries (or moved) a graceful deletionTimestamp. */
  graceful: boolean;
  /** A graceful deletion is already under way and this request does not shorten it. */
  pendingGraceful: boolean;
}

/** The pod default when neither the request nor the pod names a grace period. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * BeforeDelete on `obj` (modified in place). `opts.gracePeriodSeconds` is settled as upstream's
 * CheckGracefulDelete settles it, so a second call (inside the update) sees the same grace.
 */
export function beforeDelete(info: ResourceInfo, obj: KubeObject, opts: ParsedDeleteOptions, nowMs: number): DeleteDecision {
  const meta = metaOf(obj);
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds < 0) meta.deletionGracePeriodSeconds = 1;
  if (!info.gracefulDelete) return { graceful: false, pendingGraceful: false };

  if (meta.deletionTimestamp !== undefined) {
    const current = meta.deletionGracePeriodSeconds;
    // Graceful deletion was recorded without a grace period (or with 0): delete now.
    if (current === undefined || current === 0) return { graceful: false, pendingGraceful: false };
    if (opts.gracePeriodSeconds === undefined) {
      opts.gracePeriodSeconds = current;
      return { graceful: false, pendingGraceful: true };
    }
    // Only a shorter grace period may be asked for.
    if (opts.gracePeriodSeconds >= current) return { graceful: false, pendingGraceful: true };
    const startMs = (parseTimestamp(meta.deletionTimestamp) ?? nowMs) - current * 1000;
    meta.deletionTimestamp = formatTimestamp(startMs + opts.gracePeriodSeconds * 1000);
    meta.deletionGracePeriodSeconds = opts.gracePeriodSeconds;
    return { graceful: true, pendingGraceful: false };
  }

  const period = checkGracefulDelete(obj, opts);
  opts.gracePeriodSeconds = period;
  meta.deletionTimestamp = formatTimestamp(nowMs + period * 1000);
  meta.deletionGracePeriodSeconds = period;
  // The first graceful deletion changes what controllers should do: bump the generation.
  if ((meta.generation ?? 0) > 0) meta.generation = (meta.generation ?? 0) + 1;
  return { graceful: true, pendingGraceful: false };
}

/** The pod strategy's CheckGracefulDelete: the grace period this deletion gets. */
function checkGracefulDelete(pod: KubeObject, opts: ParsedDeleteOptions): number {
  const spec = (pod.spec ?? {}) as { nodeName?: unknown; terminationGracePeriodSeconds?: unknown };
  const phase = (pod.status as { phase?: unknown } | undefined)?.phase;
  let period =
    opts.gracePeriodSeconds ??
    (typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  // Never scheduled, or already finished: nothing to wait for.
  if (typeof spec.nodeName !== "string" || spec.nodeName === "") period = 0;
  if (phase === "Failed" || phase === "Succeeded") period = 0;
  return period < 0 ? 1 : period;
}

/**
 * markAsDeleting: an object that cannot be deleted gracefully but has finalizers gets a
 * deletionTimestamp of now (or keeps an earlier one) and a zero grace period.
 */
export function markAsDeleting(obj: KubeObject, nowMs: number): void {
  const meta = metaOf(obj);
  if (meta.deletionTimestamp === undefined && (meta.generation ?? 0) > 0) meta.generation = (meta.generation ?? 0) + 1;
  const existing = parseTimestamp(meta.deletionTimestamp);
  if (existing === undefined || existing > nowMs) meta.deletionTimestamp = formatTimestamp(nowMs);
  meta.deletionGracePeriodSeconds = 0;
}

/**
 * deletionFinalizersForGarbageCollection: the finalizers the deletion options ask for, and whether
 * they differ from the object's.
 */
export function deletionFinalizers(obj: KubeObject, opts: ParsedDeleteOptions): { changed: boolean; finalizers: string[] } {
  const current = obj.metadata?.finalizers ?? [];
  const orphan = shouldOrphanDependents(current, opts);
  const foreground = shouldDeleteDependents(current, opts);
  const next = current.filter((f) => f !== FINALIZER_ORPHAN_DEPENDENTS && f !== FINALIZER_DELETE_DEPENDENTS);
  if (orphan) next.push(FINALIZER_ORPHAN_DEPENDENTS);
  if (foreground) next.push(FINALIZER_DELETE_DEPENDENTS);
  const same = new Set(current).size === new Set(next).size && next.every((f) => current.includes(f));
  return same ? { changed: false, finalizers: current } : { changed: true, finalizers: next };
}

function shouldOrphanDependents(finalizers: readonly string[], opts: ParsedDeleteOptions): boolean {
  if (opts.orphanDependents !== undefined) return opts.orphanDependents;
  if (opts.propagationPolicy !== undefined) return opts.propagationPolicy === "Orphan";
  for (const f of finalizers) {
    if (f === FINALIZER_ORPHAN_DEPENDENTS) return true;
    if (f === FINALIZER_DELETE_DEPENDENTS) return false;
  }
  // Every served kind defaults to background deletion.
  return false;
}

function shouldDeleteDependents(finalizers: readonly string[], opts: ParsedDeleteOptions): boolean {
  if (opts.orphanDependents !== undefined) return false;
  if (opts.propagationPolicy !== undefined) return opts.propagationPolicy === "Foreground";
  for (const f of finalizers) {
    if (f === FINALIZER_DELETE_DEPENDENTS) return true;
    if (f === FINALIZER_ORPHAN_DEPENDENTS) return false;
  }
  return false;
}
