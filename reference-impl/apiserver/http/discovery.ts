// Discovery documents built from the resource registry, in kube-apiserver 1.32's shapes and order:
//   /api                     APIVersions (no apiVersion field, as upstream encodes it)
//   /apis                    APIGroupList, groups by the aggregator's group priorities
//   /apis/{g}                APIGroup
//   /api/v1, /apis/{g}/{v}   APIResourceList, resources and subresources sorted by path
//   /api, /apis with Accept ...;g=apidiscovery.k8s.io;v=v2[beta1];as=APIGroupDiscoveryList:
//                            the aggregated document (apiserver endpoints/discovery/aggregated;
//                            installer.ConvertGroupVersionIntoToDiscovery)
// storageVersionHash is discovery.StorageVersionHash: base64 of the first 8 bytes of
// sha256("<group>/<version>/<kind>") of the storage version. Pure.
import { createHash } from "node:crypto";
import type { ServedGroupVersion } from "../openapi/index.ts";
import { type ResourceInfo, type ResourceRegistry, apiVersionOf } from "../resources.ts";

/** GroupPriorityMinimum of kube-apiserver's built-in APIServices (controlplane apiserver priorities). */
const GROUP_PRIORITY: Readonly<Record<string, number>> = {
  "": 18000,
  apps: 17800,
  "events.k8s.io": 17750,
  "authentication.k8s.io": 17700,
  "authorization.k8s.io": 17600,
  autoscaling: 17500,
  batch: 17400,
  "certificates.k8s.io": 17300,
  "networking.k8s.io": 17200,
  policy: 17100,
  "rbac.authorization.k8s.io": 17000,
  "storage.k8s.io": 16800,
  "admissionregistration.k8s.io": 16700,
  "apiextensions.k8s.io": 16700,
  "scheduling.k8s.io": 16600,
  "coordination.k8s.io": 16500,
  "node.k8s.io": 16300,
  "discovery.k8s.io": 16200,
  "flowcontrol.apiserver.k8s.io": 16100,
};

/** Kinds stored as another group's kind (cohabitating resources): events.k8s.io Events are core Events. */
const STORAGE_KIND: Readonly<Record<string, readonly [string, string, string]>> = {
  "events.k8s.io/events": ["", "v1", "Event"],
};

export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash("sha256").update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString("base64");
}

/** version.CompareKubeAwareVersionStrings: GA before beta before alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return undefined;
    const stage = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
    return [stage, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) {
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i]! - pa[i]!;
  return 0;
}

interface GroupVersions {
  group: string;
  versions: string[];
}

/** The served groups, by priority then name, each with its versions by preference. */
export function servedGroups(registry: ResourceRegistry): GroupVersions[] {
  const byGroup = new Map<string, Set<string>>();
  for (const r of registry.all) {
    const set = byGroup.get(r.group) ?? new Set<string>();
    set.add(r.version);
    byGroup.set(r.group, set);
  }
  const priority = (g: string): number => GROUP_PRIORITY[g] ?? 1000;
  return [...byGroup.entries()]
    .map(([group, versions]) => ({ group, versions: [...versions].sort(compareKubeVersions) }))
    .sort((a, b) => priority(b.group) - priority(a.group) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** metav1.APIVersions for /api. */
export function apiVersions(registry: ResourceRegistry, serverAddress: string): Record<string, unknown> {
  const core = servedGroups(registry).find((g) => g.group === "");
  return {
    kind: "APIVersions",
    versions: core?.versions ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDoc(g: GroupVersions): Record<string, unknown> {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.group}/${version}`, version }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

/** metav1.APIGroupList for /apis (the core group is not listed). */
export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = servedGroups(registry).filter((g) => g.group !== "");
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map(groupDoc) };
}

/** metav1.APIGroup for /apis/{group}; undefined when not served. */
export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const g = servedGroups(registry).find((x) => x.group === group && group !== "");
  return g === undefined ? undefined : { kind: "APIGroup", apiVersion: "v1", ...groupDoc(g) };
}

/** One metav1.APIResource, in Go's field order with its omitempty fields left out. */
export interface ApiResourceEntry {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

function mainEntry(info: ResourceInfo): ApiResourceEntry {
  const entry: ApiResourceEntry = {
    name: info.resource,
    singularName: info.singular,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: [...info.verbs].sort(),
  };
  if (info.shortNames.length > 0) entry.shortNames = [...info.shortNames];
  if (info.categories.length > 0) entry.categories = [...info.categories];
  const [sg, sv, sk] = STORAGE_KIND[`${info.group}/${info.resource}`] ?? [info.group, info.version, info.kind];
  entry.storageVersionHash = storageVersionHash(sg, sv, sk);
  return entry;
}

/** The APIResources of one group-version: resources and `resource/subresource` entries, by path. */
export function apiResources(registry: ResourceRegistry, group: string, version: string): ApiResourceEntry[] {
  const entries: ApiResourceEntry[] = [];
  for (const info of registry.all) {
    if (info.group !== group || info.version !== version) continue;
    entries.push(mainEntry(info));
    for (const sub of info.subresources) {
      const name = `${info.resource}/${sub.name}`;
      const verbs = [...sub.verbs].sort();
      const e: ApiResourceEntry =
        sub.group !== undefined && sub.version !== undefined
          ? { name, singularName: "", namespaced: info.namespaced, group: sub.group, version: sub.version, kind: sub.kind, verbs }
          : { name, singularName: "", namespaced: info.namespaced, kind: sub.kind, verbs };
      entries.push(e);
    }
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** metav1.APIResourceList for /api/v1 (no apiVersion, as upstream) or /apis/{g}/{v}. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  if (!registry.all.some((r) => r.group === group && r.version === version)) return undefined;
  const groupVersion = apiVersionOf({ group, version });
  const resources = apiResources(registry, group, version);
  return group === "" ? { kind: "APIResourceList", groupVersion, resources } : { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** ConvertGroupVersionIntoToDiscovery: resources with their subresources nested. */
function discoveryResources(entries: readonly ApiResourceEntry[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const parents = new Map<string, Record<string, unknown>>();
  for (const r of entries) {
    if (r.name.includes("/")) continue;
    const responseKind: Gvk = { group: r.group ?? "", version: r.version ?? "", kind: r.kind };
    const resource: Record<string, unknown> = {
      resource: r.name,
      responseKind,
      scope: r.namespaced ? "Namespaced" : "Cluster",
      singularResource: r.singularName,
      verbs: r.verbs,
    };
    if (r.shortNames !== undefined) resource.shortNames = r.shortNames;
    if (r.categories !== undefined) resource.categories = r.categories;
    out.push(resource);
    parents.set(r.name, resource);
  }
  for (const r of entries) {
    const slash = r.name.indexOf("/");
    if (slash < 0) continue;
    const parentName = r.name.slice(0, slash);
    let parent = parents.get(parentName);
    if (parent === undefined) {
      parent = { resource: parentName, responseKind: { group: "", version: "", kind: "" }, scope: r.namespaced ? "Namespaced" : "Cluster", singularResource: "", verbs: null };
      out.push(parent);
      parents.set(parentName, parent);
    }
    const subresources = (parent.subresources as Record<string, unknown>[] | undefined) ?? [];
    subresources.push({
      subresource: r.name.slice(slash + 1),
      responseKind: { group: r.group ?? "", version: r.version ?? "", kind: r.kind },
      verbs: r.verbs,
    });
    parent.subresources = subresources;
  }
  return out;
}

/**
 * apidiscovery.k8s.io APIGroupDiscoveryList: for /api the core group, for /apis every other group.
 * `version` is the negotiated v2 or v2beta1 (same shape).
 */
export function aggregatedDiscovery(registry: ResourceRegistry, root: "api" | "apis", version: "v2" | "v2beta1"): Record<string, unknown> {
  const groups = servedGroups(registry).filter((g) => (root === "api" ? g.group === "" : g.group !== ""));
  const items = groups.map((g) => ({
    metadata: g.group === "" ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
    versions: g.versions.map((v) => ({ version: v, resources: discoveryResources(apiResources(registry, g.group, v)), freshness: "Current" })),
  }));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** The root listing (`GET /`): every path the server serves, sorted. */
export function rootPaths(registry: ResourceRegistry): Record<string, unknown> {
  const paths = new Set<string>(["/api", "/apis", "/healthz", "/livez", "/readyz", "/version", "/openapi/v2", "/openapi/v3"]);
  for (const g of servedGroups(registry)) {
    if (g.group !== "") paths.add(`/apis/${g.group}`);
    for (const v of g.versions) paths.add(g.group === "" ? `/api/${v}` : `/apis/${g.group}/${v}`);
  }
  return { paths: [...paths].sort() };
}

/** The group-versions and kinds the registry serves, for the OpenAPI documents. */
export function servedGroupVersions(registry: ResourceRegistry): ServedGroupVersion[] {
  const byGv = new Map<string, { group: string; version: string; kinds: string[] }>();
  for (const r of registry.all) {
    const key = `${r.group}/${r.version}`;
    const gv = byGv.get(key) ?? { group: r.group, version: r.version, kinds: [] };
    gv.kinds.push(r.kind);
    byGv.set(key, gv);
  }
  return [...byGv.values()];
}
