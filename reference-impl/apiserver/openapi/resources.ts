// What the OpenAPI documents need to know about each served kind beyond its schema: the REST resource
// name, its scope, its subresources and what DELETE returns. Facts from kube-apiserver 1.28's
// /openapi/v2 paths. The caller (the resource registry) says which kinds are served per group-version.

/** The subresources the reference API server serves (issue 3); upstream has more (exec, proxy, ...). */
export type Subresource = "status" | "scale" | "binding" | "eviction" | "log";

export interface ResourceFacts {
  /** Plural resource name, as in the URL. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly subresources: readonly Subresource[];
  /** DELETE answers with the object (graceful deletion) instead of a Status. */
  readonly deleteReturnsObject?: boolean;
}

/** One group-version as the resource registry serves it. */
export interface ServedGroupVersion {
  readonly group: string;
  readonly version: string;
  readonly kinds: readonly string[];
}

const core: Readonly<Record<string, ResourceFacts>> = {
  Namespace: { resource: "namespaces", namespaced: false, subresources: ["status"] },
  Node: { resource: "nodes", namespaced: false, subresources: ["status"] },
  Pod: {
    resource: "pods",
    namespaced: true,
    subresources: ["status", "binding", "eviction", "log"],
    deleteReturnsObject: true,
  },
  Service: { resource: "services", namespaced: true, subresources: ["status"], deleteReturnsObject: true },
  Endpoints: { resource: "endpoints", namespaced: true, subresources: [] },
  Event: { resource: "events", namespaced: true, subresources: [] },
  ConfigMap: { resource: "configmaps", namespaced: true, subresources: [] },
  Secret: { resource: "secrets", namespaced: true, subresources: [] },
  ServiceAccount: { resource: "serviceaccounts", namespaced: true, subresources: [], deleteReturnsObject: true },
  LimitRange: { resource: "limitranges", namespaced: true, subresources: [] },
  ResourceQuota: { resource: "resourcequotas", namespaced: true, subresources: ["status"], deleteReturnsObject: true },
};

/** "<group>/<kind>" (core group: "/<kind>") → facts. */
const facts: ReadonlyMap<string, ResourceFacts> = new Map<string, ResourceFacts>([
  ...Object.entries(core).map(([kind, f]) => [`/${kind}`, f] as const),
  ["apps/Deployment", { resource: "deployments", namespaced: true, subresources: ["status", "scale"] }],
  ["apps/ReplicaSet", { resource: "replicasets", namespaced: true, subresources: ["status", "scale"] }],
  ["apps/DaemonSet", { resource: "daemonsets", namespaced: true, subresources: ["status"] }],
  ["apps/StatefulSet", { resource: "statefulsets", namespaced: true, subresources: ["status", "scale"] }],
  ["apps/ControllerRevision", { resource: "controllerrevisions", namespaced: true, subresources: [] }],
  ["batch/Job", { resource: "jobs", namespaced: true, subresources: ["status"] }],
  ["batch/CronJob", { resource: "cronjobs", namespaced: true, subresources: ["status"] }],
  ["policy/PodDisruptionBudget", { resource: "poddisruptionbudgets", namespaced: true, subresources: ["status"] }],
  ["coordination.k8s.io/Lease", { resource: "leases", namespaced: true, subresources: [] }],
  ["discovery.k8s.io/EndpointSlice", { resource: "endpointslices", namespaced: true, subresources: [] }],
  ["scheduling.k8s.io/PriorityClass", { resource: "priorityclasses", namespaced: false, subresources: [] }],
  ["networking.k8s.io/Ingress", { resource: "ingresses", namespaced: true, subresources: ["status"] }],
  ["events.k8s.io/Event", { resource: "events", namespaced: true, subresources: [] }],
]);

export function resourceFacts(group: string, kind: string): ResourceFacts {
  const found = facts.get(`${group}/${kind}`);
  if (found === undefined) throw new Error(`openapi: no resource facts for ${group === "" ? "core" : group} kind ${kind}`);
  return found;
}

/** The group-versions of issue 3, for callers that serve everything. */
export const allServedGroupVersions: readonly ServedGroupVersion[] = [
  { group: "", version: "v1", kinds: Object.keys(core) },
  { group: "apps", version: "v1", kinds: ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"] },
  { group: "batch", version: "v1", kinds: ["Job", "CronJob"] },
  { group: "policy", version: "v1", kinds: ["PodDisruptionBudget"] },
  { group: "coordination.k8s.io", version: "v1", kinds: ["Lease"] },
  { group: "discovery.k8s.io", version: "v1", kinds: ["EndpointSlice"] },
  { group: "scheduling.k8s.io", version: "v1", kinds: ["PriorityClass"] },
  { group: "networking.k8s.io", version: "v1", kinds: ["Ingress"] },
  { group: "events.k8s.io", version: "v1", kinds: ["Event"] },
];

/** "api/v1" or "apis/apps/v1": the key of /openapi/v3 and the URL prefix without its leading slash. */
export function groupVersionPath({ group, version }: { group: string; version: string }): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

export function apiVersionOf({ group, version }: { group: string; version: string }): string {
  return group === "" ? version : `${group}/${version}`;
}
