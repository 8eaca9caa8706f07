import { describe, expect, it } from "vitest";
import { ResourceRegistry } from "../resources.ts";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  compareKubeVersions,
  rootPaths,
  servedGroupVersions,
  servedGroups,
  storageVersionHash,
} from "./discovery.ts";

const registry = new ResourceRegistry();
const ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const RW = ["get", "patch", "update"];

/**
 * /api/v1 of a kube-apiserver 1.31 (kubectl -v=8 output), keeping the resources this server serves:
 * the order, fields and hashes the reference must reproduce.
 */
const UPSTREAM_CORE_V1 = [
  { name: "configmaps", singularName: "configmap", namespaced: true, kind: "ConfigMap", verbs: ALL, shortNames: ["cm"], storageVersionHash: "qFsyl6wFWjQ=" },
  { name: "endpoints", singularName: "endpoints", namespaced: true, kind: "Endpoints", verbs: ALL, shortNames: ["ep"], storageVersionHash: "fWeeMqaN/OA=" },
  { name: "events", singularName: "event", namespaced: true, kind: "Event", verbs: ALL, shortNames: ["ev"], storageVersionHash: "r2yiGXH7wu8=" },
  { name: "limitranges", singularName: "limitrange", namespaced: true, kind: "LimitRange", verbs: ALL, shortNames: ["limits"], storageVersionHash: "EBKMFVe6cwo=" },
  {
    name: "namespaces",
    singularName: "namespace",
    namespaced: false,
    kind: "Namespace",
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    storageVersionHash: "Q3oi5N2YM8M=",
  },
  { name: "namespaces/finalize", singularName: "", namespaced: false, kind: "Namespace", verbs: ["update"] },
  { name: "namespaces/status", singularName: "", namespaced: false, kind: "Namespace", verbs: RW },
  { name: "nodes", singularName: "node", namespaced: false, kind: "Node", verbs: ALL, shortNames: ["no"], storageVersionHash: "XwShjMxG9Fs=" },
  { name: "nodes/status", singularName: "", namespaced: false, kind: "Node", verbs: RW },
  { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ALL, shortNames: ["po"], categories: ["all"], storageVersionHash: "xPOwRZ+Yhw8=" },
  { name: "pods/binding", singularName: "", namespaced: true, kind: "Binding", verbs: ["create"] },
  { name: "pods/eviction", singularName: "", namespaced: true, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] },
  { name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] },
  { name: "pods/status", singularName: "", namespaced: true, kind: "Pod", verbs: RW },
  { name: "resourcequotas", singularName: "resourcequota", namespaced: true, kind: "ResourceQuota", verbs: ALL, shortNames: ["quota"], storageVersionHash: "8uhSgffRX6w=" },
  { name: "resourcequotas/status", singularName: "", namespaced: true, kind: "ResourceQuota", verbs: RW },
  { name: "secrets", singularName: "secret", namespaced: true, kind: "Secret", verbs: ALL, storageVersionHash: "S6u1pOWzb84=" },
  { name: "serviceaccounts", singularName: "serviceaccount", namespaced: true, kind: "ServiceAccount", verbs: ALL, shortNames: ["sa"], storageVersionHash: "pbx9ZvyFpBE=" },
  { name: "services", singularName: "service", namespaced: true, kind: "Service", verbs: ALL, shortNames: ["svc"], categories: ["all"], storageVersionHash: "0/CO1lhkEBI=" },
  { name: "services/status", singularName: "", namespaced: true, kind: "Service", verbs: RW },
];

describe("legacy discovery", () => {
  it("lists /api/v1 as kube-apiserver does: same entries, order, fields and storage hashes, no apiVersion", () => {
    const list = apiResourceList(registry, "", "v1")!;
    expect(list).toEqual({ kind: "APIResourceList", groupVersion: "v1", resources: UPSTREAM_CORE_V1 });
    // Go's field order matters to byte-comparing clients and to humans diffing.
    expect(JSON.stringify((list.resources as object[])[11])).toBe(
      '{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]}',
    );
  });

  it("lists a named group-version with apiVersion v1, subresources and their kinds", () => {
    const list = apiResourceList(registry, "apps", "v1")!;
    expect(list.apiVersion).toBe("v1");
    expect(list.groupVersion).toBe("apps/v1");
    const names = (list.resources as { name: string }[]).map((r) => r.name);
    expect(names).toEqual([
      "controllerrevisions",
      "daemonsets",
      "daemonsets/status",
      "deployments",
      "deployments/scale",
      "deployments/status",
      "replicasets",
      "replicasets/scale",
      "replicasets/status",
      "statefulsets",
      "statefulsets/scale",
      "statefulsets/status",
    ]);
    expect((list.resources as object[])[3]).toEqual({
      name: "deployments",
      singularName: "deployment",
      namespaced: true,
      kind: "Deployment",
      verbs: ALL,
      shortNames: ["deploy"],
      categories: ["all"],
      storageVersionHash: "8aSe+NMegvE=",
    });
    expect((list.resources as object[])[4]).toEqual({ name: "deployments/scale", singularName: "", namespaced: true, group: "autoscaling", version: "v1", kind: "Scale", verbs: RW });
    expect(apiResourceList(registry, "apps", "v2")).toBeUndefined();
  });

  it("hashes events.k8s.io Events as the core Events they are stored as", () => {
    const events = (apiResourceList(registry, "events.k8s.io", "v1")!.resources as { storageVersionHash?: string }[])[0];
    expect(events?.storageVersionHash).toBe("r2yiGXH7wu8=");
    expect(storageVersionHash("", "v1", "Pod")).toBe("xPOwRZ+Yhw8=");
  });

  it("answers /api, /apis and /apis/{group}", () => {
    expect(apiVersions(registry, "127.0.0.1:6443")).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
    });
    const groups = apiGroupList(registry);
    expect(groups.kind).toBe("APIGroupList");
    expect(groups.apiVersion).toBe("v1");
    // The aggregator orders groups by their priority.
    expect((groups.groups as { name: string }[]).map((g) => g.name)).toEqual([
      "apps",
      "events.k8s.io",
      "batch",
      "networking.k8s.io",
      "policy",
      "scheduling.k8s.io",
      "coordination.k8s.io",
      "discovery.k8s.io",
    ]);
    expect(apiGroup(registry, "apps")).toEqual({
      kind: "APIGroup",
      apiVersion: "v1",
      name: "apps",
      versions: [{ groupVersion: "apps/v1", version: "v1" }],
      preferredVersion: { groupVersion: "apps/v1", version: "v1" },
    });
    expect(apiGroup(registry, "")).toBeUndefined();
    expect(apiGroup(registry, "example.com")).toBeUndefined();
  });

  it("orders versions GA, beta, alpha, newest first", () => {
    expect(["v1alpha1", "v1beta1", "v2", "v1", "v2beta3", "foo", "v10"].sort(compareKubeVersions)).toEqual(["v10", "v2", "v1", "v2beta3", "v1beta1", "v1alpha1", "foo"]);
    expect(servedGroups(registry)[0]).toEqual({ group: "", versions: ["v1"] });
  });

  it("names the served group-versions and kinds for the OpenAPI documents", () => {
    const served = servedGroupVersions(registry);
    expect(served.find((gv) => gv.group === "apps")).toEqual({ group: "apps", version: "v1", kinds: ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"] });
    expect(served).toHaveLength(9);
  });

  it("lists the root paths", () => {
    const paths = rootPaths(registry).paths as string[];
    expect(paths).toContain("/api/v1");
    expect(paths).toContain("/apis/apps/v1");
    expect(paths).toContain("/openapi/v3");
    expect([...paths].sort()).toEqual(paths);
  });
});

describe("aggregated discovery", () => {
  it("puts the core group alone under /api, with subresources nested in their resource", () => {
    const doc = aggregatedDiscovery(registry, "api", "v2");
    expect(doc.kind).toBe("APIGroupDiscoveryList");
    expect(doc.apiVersion).toBe("apidiscovery.k8s.io/v2");
    expect(doc.metadata).toEqual({});
    const items = doc.items as { metadata: object; versions: { version: string; freshness: string; resources: Record<string, unknown>[] }[] }[];
    expect(items).toHaveLength(1);
    expect(items[0]!.metadata).toEqual({ creationTimestamp: null });
    const v1 = items[0]!.versions[0]!;
    expect(v1.version).toBe("v1");
    expect(v1.freshness).toBe("Current");
    const pods = v1.resources.find((r) => r.resource === "pods");
    expect(pods).toEqual({
      resource: "pods",
      responseKind: { group: "", version: "", kind: "Pod" },
      scope: "Namespaced",
      singularResource: "pod",
      verbs: ALL,
      shortNames: ["po"],
      categories: ["all"],
      subresources: [
        { subresource: "binding", responseKind: { group: "", version: "", kind: "Binding" }, verbs: ["create"] },
        { subresource: "eviction", responseKind: { group: "policy", version: "v1", kind: "Eviction" }, verbs: ["create"] },
        { subresource: "log", responseKind: { group: "", version: "", kind: "Pod" }, verbs: ["get"] },
        { subresource: "status", responseKind: { group: "", version: "", kind: "Pod" }, verbs: RW },
      ],
    });
    expect(v1.resources.find((r) => r.resource === "namespaces")?.scope).toBe("Cluster");
    expect(v1.resources.find((r) => r.resource === "secrets")).not.toHaveProperty("shortNames");
  });

  it("lists every named group under /apis in priority order", () => {
    const doc = aggregatedDiscovery(registry, "apis", "v2beta1");
    expect(doc.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    const items = doc.items as { metadata: { name: string } }[];
    expect(items.map((i) => i.metadata)).toEqual(
      ["apps", "events.k8s.io", "batch", "networking.k8s.io", "policy", "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io"].map((name) => ({
        name,
        creationTimestamp: null,
      })),
    );
  });
});
