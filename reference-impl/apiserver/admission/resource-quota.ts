// ResourceQuota (plugin/pkg/admission/resourcequota), the admission half of quota: a create (or a
// usage-changing update) is checked against every ResourceQuota of its namespace that tracks one of
// its resources and whose scopes it falls in; over a hard limit it is refused (403 "exceeded quota:
// ..."), otherwise the quotas' status.used is charged with optimistic concurrency (three retries on
// conflict, as upstream). Dry runs are checked but not charged.
//
// Upstream, the quota controller fills status.hard/status.used of a new or changed quota and gives
// usage back when objects go away; until it has, a quota matches nothing. With
// `statusSync: "admission"` (the default here, for clusters run without a quota controller) this
// plugin computes a quota's status itself when it is missing or stale (status.hard != spec.hard),
// and on the quota's own creation. Usage is never given back here: that is the controller's job.
import { ApiError, type KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { Clock } from "../../../spec/interfaces/clock.ts";
import { sortedGoStrings } from "../../../spec/semantics/go-compat.ts";
import type { Quantity } from "../../../spec/semantics/quantity.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import { RESOURCES } from "../resources.ts";
import { type AdmissionClient, type ResourceRef, PODS, RESOURCE_QUOTAS, SERVICES } from "./client.ts";
import { rec, records, str } from "./json.ts";
import { type AdmissionPlugin, admissionForbidden, isMainResource } from "./plugin.ts";
import { type QuotaEvaluator, type ScopeSelectorRequirement, evaluatorFor, podEvaluator } from "./quota-evaluators.ts";
import { type ResourceList, ZERO, addInto, resourceList } from "./resource-list.ts";

export const RESOURCE_QUOTA = "ResourceQuota";
/** Upstream's checkQuotas retries conflicting status updates this many times. */
export const QUOTA_UPDATE_RETRIES = 3;

export interface ResourceQuotaOptions {
  /** Who fills in status.hard/used: the quota controller (upstream) or this plugin. Default "admission". */
  statusSync?: "admission" | "controller";
}

export function resourceQuota(client: AdmissionClient, clock: Clock, opts: ResourceQuotaOptions = {}): AdmissionPlugin {
  const sync = (opts.statusSync ?? "admission") === "admission";
  return {
    name: RESOURCE_QUOTA,
    async validate(attrs) {
      if (attrs.namespace === "" || attrs.object === undefined) return;
      if (sync && attrs.operation === "CREATE" && isMainResource(attrs, "", "resourcequotas")) {
        attrs.object.status = await computeStatus(client, attrs.object, clock.now(), true);
      }
      const evaluator = evaluatorFor(attrs.info);
      if (evaluator === undefined || !evaluator.handles(attrs)) return;
      await evaluate(client, attrs, evaluator, clock.now(), sync);
    },
  };
}

async function evaluate(client: AdmissionClient, attrs: AdmissionAttributes, evaluator: QuotaEvaluator, nowMs: number, sync: boolean): Promise<void> {
  let quotas = await namespaceQuotas(client, attrs.namespace, nowMs, sync);
  for (let retry = 0; ; retry++) {
    const changed = checkRequest(quotas, attrs, evaluator, nowMs);
    if (attrs.dryRun || changed.length === 0) return;
    const failed: string[] = [];
    let lastErr: unknown;
    for (const q of changed) {
      try {
        await client.updateStatus(RESOURCE_QUOTAS, q);
      } catch (err) {
        if (!(err instanceof ApiError && err.status.code === 409)) throw err;
        failed.push(q.metadata?.name ?? "");
        lastErr = err;
      }
    }
    if (failed.length === 0) return;
    if (retry >= QUOTA_UPDATE_RETRIES) throw lastErr;
    // Only the quotas whose update conflicted are checked again, at their latest state.
    quotas = (await namespaceQuotas(client, attrs.namespace, nowMs, sync)).filter((q) => failed.includes(q.metadata?.name ?? ""));
  }
}

async function namespaceQuotas(client: AdmissionClient, namespace: string, nowMs: number, sync: boolean): Promise<KubeObject[]> {
  const quotas = await client.list(RESOURCE_QUOTAS, namespace);
  if (!sync) return quotas;
  const out: KubeObject[] = [];
  for (const q of quotas) out.push(needsSync(q) ? await syncQuota(client, q, nowMs) : q);
  return out;
}

/**
 * CheckRequest: the quotas the request changes, with status.used charged; throws the 403 upstream
 * gives when the object misses a required declaration, a quota's usage is unknown, or it would go
 * over a hard limit.
 */
export function checkRequest(quotas: readonly KubeObject[], attrs: AdmissionAttributes, evaluator: QuotaEvaluator, nowMs: number): KubeObject[] {
  const obj = attrs.object;
  if (obj === undefined || !evaluator.handles(attrs)) return [];
  const interesting: KubeObject[] = [];
  for (const quota of quotas) {
    const hardNames = [...resourceList(rec(quota.status).hard).keys()];
    const restricted = evaluator.matchingResources(hardNames);
    if (restricted.length === 0 || !scopesOf(quota).every((s) => evaluator.matchesScope(s, obj))) continue;
    const name = quota.metadata?.name ?? "";
    const violation = evaluator.constraints(restricted, obj);
    if (violation !== undefined) throw admissionForbidden(attrs, `failed quota: ${name}: ${violation}`);
    const used = resourceList(rec(quota.status).used);
    if (!restricted.every((r) => used.has(r))) {
      throw admissionForbidden(attrs, `status unknown for quota: ${name}, resources: ${sortedGoStrings(restricted).join(",")}`);
    }
    interesting.push(quota);
  }
  let delta = evaluator.usage(obj, nowMs);
  const negative = [...delta].filter(([, q]) => q.sign() < 0).map(([n]) => n);
  if (negative.length > 0) throw admissionForbidden(attrs, `quota usage is negative for resource(s): ${sortedGoStrings(negative).join(",")}`);
  if (attrs.operation === "UPDATE" && attrs.oldObject !== undefined && (attrs.oldObject.metadata?.resourceVersion ?? "") !== "") {
    delta = subtractNonNegative(delta, evaluator.usage(attrs.oldObject, nowMs));
  }
  if ([...delta.values()].every((q) => q.sign() === 0)) return [];
  const changed: KubeObject[] = [];
  for (const quota of interesting) {
    const status = rec(quota.status);
    const hard = resourceList(status.hard);
    const used = resourceList(status.used);
    const requested = mask(delta, [...hard.keys()]);
    const newUsed = new Map(used);
    addInto(newUsed, requested);
    const exceeded = [...requested.keys()].filter((n) => {
      const limit = hard.get(n);
      const now = newUsed.get(n);
      return limit !== undefined && now !== undefined && now.cmp(limit) > 0;
    });
    if (exceeded.length > 0) {
      throw admissionForbidden(
        attrs,
        `exceeded quota: ${quota.metadata?.name ?? ""}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      );
    }
    if (sameUsage(used, newUsed)) continue;
    changed.push({ ...quota, status: { ...status, used: sortedJson(newUsed) } });
  }
  return changed;
}

/** spec.scopes (as Exists) and spec.scopeSelector.matchExpressions. */
function scopesOf(quota: KubeObject): ScopeSelectorRequirement[] {
  const spec = rec(quota.spec);
  const out: ScopeSelectorRequirement[] = [];
  for (const s of Array.isArray(spec.scopes) ? spec.scopes : []) out.push({ scopeName: str(s), operator: "Exists" });
  for (const e of records(rec(spec.scopeSelector).matchExpressions)) {
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    out.push({ scopeName: str(e.scopeName), operator: str(e.operator), values });
  }
  return out;
}

function mask(list: ResourceList, names: readonly string[]): ResourceList {
  return new Map([...list].filter(([n]) => names.includes(n)));
}

function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [n, q] of a) {
    const other = b.get(n);
    const diff = other === undefined ? q : q.sub(other);
    out.set(n, diff.sign() < 0 ? ZERO : diff);
  }
  return out;
}

function sameUsage(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [n, q] of a) {
    const other = b.get(n);
    if (other === undefined || other.cmp(q) !== 0) return false;
  }
  return true;
}

/** prettyPrint: `name=value` sorted by name, joined by ",". */
function prettyPrint(list: ResourceList): string {
  return sortedGoStrings(list.keys())
    .map((n) => `${n}=${(list.get(n) as Quantity).toString()}`)
    .join(",");
}

/** A resource list as Go marshals a map: keys sorted. */
function sortedJson(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of sortedGoStrings(list.keys())) out[n] = (list.get(n) as Quantity).toString();
  return out;
}

// ---- the quota controller's part, when admission does it --------------------------------------

function needsSync(quota: KubeObject): boolean {
  const spec = resourceList(rec(quota.spec).hard);
  const status = rec(quota.status);
  const hard = resourceList(status.hard);
  const used = resourceList(status.used);
  if (!sameUsage(spec, hard)) return true;
  return [...spec.keys()].some((n) => !used.has(n));
}

/** Writes the computed status (retrying conflicts) and returns the stored quota. */
async function syncQuota(client: AdmissionClient, quota: KubeObject, nowMs: number): Promise<KubeObject> {
  let current = quota;
  for (let retry = 0; ; retry++) {
    try {
      return await client.updateStatus(RESOURCE_QUOTAS, { ...current, status: await computeStatus(client, current, nowMs, false) });
    } catch (err) {
      if (!(err instanceof ApiError && err.status.code === 409) || retry >= QUOTA_UPDATE_RETRIES) throw err;
      const fresh = await client.get(RESOURCE_QUOTAS, current.metadata?.namespace ?? "", current.metadata?.name ?? "");
      if (fresh === undefined) return current;
      if (!needsSync(fresh)) return fresh;
      current = fresh;
    }
  }
}

/**
 * The status the quota controller computes: hard = spec.hard, used = the namespace's usage of each
 * hard resource by the objects in the quota's scopes. `includeSelf` counts the quota being created.
 */
export async function computeStatus(client: AdmissionClient, quota: KubeObject, nowMs: number, includeSelf: boolean): Promise<Record<string, unknown>> {
  const namespace = quota.metadata?.namespace ?? "";
  const hard = resourceList(rec(quota.spec).hard);
  const names = [...hard.keys()];
  const scopes = scopesOf(quota);
  const used: ResourceList = new Map(names.map((n) => [n, ZERO]));
  for (const [ref, evaluator] of evaluatorsFor(names)) {
    const tracked = evaluator.matchingResources(names);
    if (tracked.length === 0) continue;
    const objects = await client.list(ref, namespace);
    if (includeSelf && ref.group === "" && ref.resource === "resourcequotas") objects.push(quota);
    for (const obj of objects) {
      if (!scopes.every((s) => evaluator.matchesScope(s, obj))) continue;
      addInto(used, mask(evaluator.usage(obj, nowMs), tracked));
    }
  }
  return { hard: sortedJson(hard), used: sortedJson(used) };
}

/** The kinds whose objects use the named quota resources, with their evaluators. */
function evaluatorsFor(names: readonly string[]): [ResourceRef, QuotaEvaluator][] {
  const out: [ResourceRef, QuotaEvaluator][] = [[PODS, podEvaluator]];
  const services = evaluatorFor(SERVICES);
  if (services !== undefined) out.push([SERVICES, services]);
  const seen = new Set(["/pods", "/services"]);
  for (const info of RESOURCES) {
    const key = `${info.group}/${info.resource}`;
    if (seen.has(key)) continue;
    const evaluator = evaluatorFor(info);
    if (evaluator === undefined || evaluator.matchingResources(names).length === 0) continue;
    seen.add(key);
    out.push([{ group: info.group, version: info.version, resource: info.resource }, evaluator]);
  }
  return out;
}
