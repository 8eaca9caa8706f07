// Quota evaluators (pkg/quota/v1/evaluator/core and the generic object-count evaluator): which
// quota resource names a kind is charged under, how much one object uses, which quota scopes it
// falls in, and what a pod must declare when its quota limits cpu or memory.
import type { Pod } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { Quantity } from "../../../spec/semantics/quantity.ts";
import { sortedGoStrings } from "../../../spec/semantics/go-compat.ts";
import { getPodQOS } from "../defaults/qos.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import { parseTimestamp } from "../meta.ts";
import type { ResourceInfo } from "../resources.ts";
import { type Json, arr, isRecord, num, rec, records, str } from "./json.ts";
import { type ResourceList, addInto, podLimits, podRequests, resourceList } from "./resource-list.ts";

/** A quota scope requirement: spec.scopes entries become {scopeName, operator: Exists}. */
export interface ScopeSelectorRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

export interface QuotaEvaluator {
  /** Whether this operation can change usage (evaluator.Handles). */
  handles(attrs: AdmissionAttributes): boolean;
  /** The names among `names` this evaluator charges. */
  matchingResources(names: readonly string[]): string[];
  matchesScope(scope: ScopeSelectorRequirement, obj: KubeObject): boolean;
  /** A violation of the quota's requirements on the object (pods: declare cpu/memory), else undefined. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
  usage(obj: KubeObject, nowMs: number): ResourceList;
}

const one = (): Quantity => Quantity.fromInt(1);
const zero = (): Quantity => Quantity.fromInt(0);

/** generic.ObjectCountQuotaResourceNameFor: count/pods, count/deployments.apps. */
export function objectCountName(group: string, resource: string): string {
  return group === "" ? `count/${resource}` : `count/${resource}.${group}`;
}

/** The legacy names some core kinds are also counted under. */
const LEGACY_COUNT_NAMES: Readonly<Record<string, string>> = {
  configmaps: "configmaps",
  resourcequotas: "resourcequotas",
  replicationcontrollers: "replicationcontrollers",
  secrets: "secrets",
};

/** Kinds quota never charges (quota install's ignored resources that we serve). */
const IGNORED: ReadonlySet<string> = new Set(["/events", "events.k8s.io/events"]);

/** The evaluator of a kind, or undefined for kinds quota ignores. */
export function evaluatorFor(info: Pick<ResourceInfo, "group" | "resource">): QuotaEvaluator | undefined {
  if (IGNORED.has(`${info.group}/${info.resource}`)) return undefined;
  if (info.group === "" && info.resource === "pods") return podEvaluator;
  if (info.group === "" && info.resource === "services") return serviceEvaluator;
  return objectCountEvaluator(info.group, info.resource);
}

// ---- generic object count ------------------------------------------------------------------------

function objectCountEvaluator(group: string, resource: string): QuotaEvaluator {
  const names = [objectCountName(group, resource)];
  const legacy = group === "" ? LEGACY_COUNT_NAMES[resource] : undefined;
  if (legacy !== undefined) names.push(legacy);
  return {
    handles: (attrs) => attrs.operation === "CREATE" && attrs.subresource === undefined,
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    matchesScope: () => false,
    constraints: () => undefined,
    usage: () => new Map(names.map((n) => [n, one()])),
  };
}

// ---- services ------------------------------------------------------------------------------------

const SERVICE_RESOURCES = [objectCountName("", "services"), "services", "services.loadbalancers", "services.nodeports"];

const serviceEvaluator: QuotaEvaluator = {
  handles: (attrs) => (attrs.operation === "CREATE" || attrs.operation === "UPDATE") && attrs.subresource === undefined,
  matchingResources: (input) => input.filter((n) => SERVICE_RESOURCES.includes(n)),
  matchesScope: () => false,
  constraints: () => undefined,
  usage(svc) {
    const spec = rec(svc.spec);
    const ports = records(spec.ports);
    const out: ResourceList = new Map([
      [objectCountName("", "services"), one()],
      ["services", one()],
      ["services.loadbalancers", zero()],
      ["services.nodeports", zero()],
    ]);
    const type = str(spec.type);
    if (type === "NodePort") out.set("services.nodeports", Quantity.fromInt(ports.length));
    if (type === "LoadBalancer") {
      // With node ports suppressed, only the ports that ask for one explicitly are counted.
      const counted = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => (num(p.nodePort) ?? 0) !== 0).length : ports.length;
      out.set("services.nodeports", Quantity.fromInt(counted));
      out.set("services.loadbalancers", one());
    }
    return out;
  },
};

// ---- pods ----------------------------------------------------------------------------------------

const POD_RESOURCES = [
  objectCountName("", "pods"),
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
];
const POD_RESOURCE_PREFIXES = ["hugepages-", "requests.hugepages-"];
/** Quota on these makes every container declare them (an old mistake upstream keeps). */
const VALIDATION_SET = new Set(["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]);

/** helper.IsNativeResource: no domain, or a kubernetes.io one. */
function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

/** helper.IsExtendedResourceName. */
function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith("requests.");
}

/** Quota names "requests.<extended resource>". */
function isExtendedResourceNameForQuota(name: string): boolean {
  return !isNativeResource(name) && name.startsWith("requests.");
}

export const podEvaluator: QuotaEvaluator = {
  handles(attrs) {
    if (attrs.subresource !== undefined) return false;
    if (attrs.operation === "UPDATE") return isTerminating(rec(attrs.object)) !== isTerminating(rec(attrs.oldObject));
    return attrs.operation === "CREATE";
  },
  matchingResources(input) {
    const out = input.filter((n) => POD_RESOURCES.includes(n));
    for (const n of input) {
      if (POD_RESOURCE_PREFIXES.some((p) => n.startsWith(p)) || isExtendedResourceNameForQuota(n)) out.push(n);
    }
    return out;
  },
  matchesScope: (scope, obj) => podMatchesScope(scope, rec(obj)),
  constraints(required, obj) {
    const requiredSet = required.filter((n) => VALIDATION_SET.has(n));
    const missing = new Map<string, Set<string>>();
    const spec = rec(obj.spec);
    for (const c of [...records(spec.containers), ...records(spec.initContainers)]) {
      const res = rec(c.resources);
      const have = computeUsage(resourceList(res.requests), resourceList(res.limits));
      for (const name of requiredSet) {
        if (have.has(name)) continue;
        const set = missing.get(name) ?? new Set<string>();
        set.add(str(c.name));
        missing.set(name, set);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = sortedGoStrings(missing.keys()).map((r) => `${r} for: ${sortedGoStrings(missing.get(r) ?? []).join(",")}`);
    return `must specify ${parts.join("; ")}`;
  },
  usage(obj, nowMs) {
    const pod = rec(obj);
    const out: ResourceList = new Map([[objectCountName("", "pods"), one()]]);
    if (!quotaV1Pod(pod, nowMs)) return out;
    addInto(out, computeUsage(podRequests(pod, { overhead: true }), podLimits(pod, { overhead: true })));
    return out;
  },
};

/** podComputeUsageHelper. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([["pods", one()]]);
  for (const name of ["cpu", "memory", "ephemeral-storage"]) {
    const req = requests.get(name);
    if (req !== undefined) {
      out.set(name, req);
      out.set(`requests.${name}`, req);
    }
    const lim = limits.get(name);
    if (lim !== undefined) out.set(`limits.${name}`, lim);
  }
  for (const [name, q] of requests) {
    if (name.startsWith("hugepages-")) {
      out.set(name, q);
      out.set(`requests.${name}`, q);
    }
    if (isExtendedResourceName(name)) out.set(`requests.${name}`, q);
  }
  return out;
}

/** QuotaV1Pod: terminal pods, and pods whose deletion grace period has passed, use nothing. */
function quotaV1Pod(pod: Json, nowMs: number): boolean {
  const phase = str(rec(pod.status).phase);
  if (phase === "Failed" || phase === "Succeeded") return false;
  const meta = rec(pod.metadata);
  const deletedAt = parseTimestamp(meta.deletionTimestamp);
  const grace = num(meta.deletionGracePeriodSeconds);
  if (deletedAt !== undefined && grace !== undefined && nowMs > deletedAt + grace * 1000) return false;
  return true;
}

export function isTerminating(pod: Json): boolean {
  const ads = num(rec(pod.spec).activeDeadlineSeconds);
  return ads !== undefined && ads >= 0;
}

function podMatchesScope(scope: ScopeSelectorRequirement, pod: Json): boolean {
  const spec = rec(pod.spec);
  switch (scope.scopeName) {
    case "Terminating":
      return isTerminating(pod);
    case "NotTerminating":
      return !isTerminating(pod);
    case "BestEffort":
      return getPodQOS(pod as Pod) === "BestEffort";
    case "NotBestEffort":
      return getPodQOS(pod as Pod) !== "BestEffort";
    case "PriorityClass":
      return priorityClassMatches(scope, str(spec.priorityClassName));
    case "CrossNamespacePodAffinity":
      return usesCrossNamespacePodAffinity(spec);
    default:
      return false;
  }
}

/** The selector over {PriorityClass: <name>} (no entry when the pod names no class). */
function priorityClassMatches(scope: ScopeSelectorRequirement, className: string): boolean {
  const values = scope.values ?? [];
  const has = className !== "";
  switch (scope.operator) {
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "In":
      return has && values.includes(className);
    case "NotIn":
      return !has || !values.includes(className);
    default:
      return false;
  }
}

function usesCrossNamespacePodAffinity(spec: Json): boolean {
  const affinity = rec(spec.affinity);
  const crossNs = (term: Json): boolean => arr(term.namespaces).length > 0 || isRecord(term.namespaceSelector);
  for (const key of ["podAffinity", "podAntiAffinity"]) {
    const a = rec(affinity[key]);
    if (records(a.requiredDuringSchedulingIgnoredDuringExecution).some(crossNs)) return true;
    if (records(a.preferredDuringSchedulingIgnoredDuringExecution).some((w) => crossNs(rec(w.podAffinityTerm)))) return true;
  }
  return false;
}
