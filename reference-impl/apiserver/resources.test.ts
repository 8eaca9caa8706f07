import { describe, expect, it } from "vitest";
import { schemaFor } from "../../spec/patch/index.ts";
import { RESOURCES, ResourceRegistry, apiVersionOf, fieldsOf, hasSubresource } from "./resources.ts";

const byName = (group: string, resource: string) => RESOURCES.find((r) => r.group === group && r.resource === resource)!;

describe("the resource registry", () => {
  it("serves the kinds of the issue, once each, with upstream's short names and categories", () => {
    const table = RESOURCES.map((r) => `${apiVersionOf(r)} ${r.resource} ${r.shortNames.join(",")} ${r.categories.join(",")}`);
    expect(table).toEqual([
      "v1 namespaces ns ",
      "v1 nodes no ",
      "v1 pods po all",
      "v1 services svc all",
      "v1 endpoints ep ",
      "v1 events ev ",
      "v1 configmaps cm ",
      "v1 secrets  ",
      "v1 serviceaccounts sa ",
      "v1 limitranges limits ",
      "v1 resourcequotas quota ",
      "apps/v1 deployments deploy all",
      "apps/v1 replicasets rs all",
      "apps/v1 daemonsets ds all",
      "apps/v1 statefulsets sts all",
      "apps/v1 controllerrevisions  ",
      "batch/v1 jobs  all",
      "batch/v1 cronjobs cj all",
      "policy/v1 poddisruptionbudgets pdb ",
      "coordination.k8s.io/v1 leases  ",
      "discovery.k8s.io/v1 endpointslices  ",
      "scheduling.k8s.io/v1 priorityclasses pc ",
      "networking.k8s.io/v1 ingresses ing ",
      "events.k8s.io/v1 events ev ",
    ]);
    expect(() => new ResourceRegistry()).not.toThrow();
  });

  it("knows scope, verbs and subresources as discovery shows them", () => {
    expect(byName("", "namespaces").namespaced).toBe(false);
    expect(byName("", "namespaces").verbs).not.toContain("deletecollection");
    expect(byName("", "nodes").namespaced).toBe(false);
    expect(byName("scheduling.k8s.io", "priorityclasses").namespaced).toBe(false);
    expect(byName("", "endpoints").singular).toBe("endpoints");
    expect(byName("", "pods").subresources.map((s) => s.name)).toEqual(["status", "binding", "eviction", "log"]);
    expect(byName("", "pods").subresources.find((s) => s.name === "eviction")).toMatchObject({ group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] });
    for (const r of ["deployments", "replicasets", "statefulsets"]) expect(hasSubresource(byName("apps", r), "scale")).toBe(true);
    expect(hasSubresource(byName("apps", "daemonsets"), "scale")).toBe(false);
    expect(byName("apps", "deployments").subresources.find((s) => s.name === "status")?.kind).toBe("Deployment");
  });

  it("stores objects where kube-apiserver does", () => {
    expect(byName("", "nodes").storagePrefix).toBe("minions");
    expect(byName("", "services").storagePrefix).toBe("services/specs");
    expect(byName("", "endpoints").storagePrefix).toBe("services/endpoints");
    expect(byName("networking.k8s.io", "ingresses").storagePrefix).toBe("ingress");
    expect(byName("events.k8s.io", "events").storagePrefix).toBe(byName("", "events").storagePrefix);
  });

  it("has patch metadata for every served kind", () => {
    for (const r of RESOURCES) expect(schemaFor(apiVersionOf(r), r.kind), r.kind).toBeDefined();
  });

  it("offers metadata fields to every kind and kind fields to some", () => {
    expect(fieldsOf(byName("", "configmaps"), { metadata: { name: "a", namespace: "n" } })).toEqual({ "metadata.name": "a", "metadata.namespace": "n" });
    expect(fieldsOf(byName("", "nodes"), { metadata: { name: "a" }, spec: { unschedulable: true } })).toEqual({ "metadata.name": "a", "spec.unschedulable": "true" });
    const pod = { metadata: { name: "p", namespace: "d" }, spec: { nodeName: "n1" }, status: { phase: "Running", podIPs: [{ ip: "10.0.0.1" }] } };
    expect(fieldsOf(byName("", "pods"), pod)).toMatchObject({ "spec.nodeName": "n1", "status.phase": "Running", "status.podIP": "10.0.0.1", "spec.hostNetwork": "false" });
  });
});
