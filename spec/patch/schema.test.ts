import { describe, expect, test } from "vitest";
import { SchemaNode, patchMetadata, schemaFor, servedKinds, typeSchema } from "./schema.ts";

function at(apiVersion: string, kind: string, ...path: string[]): SchemaNode {
  let node = schemaFor(apiVersion, kind);
  for (const step of path) {
    if (node === undefined) break;
    node = step === "[]" ? node.items() : step === "{}" ? node.values() : node.field(step);
  }
  if (node === undefined) throw new Error(`no schema at ${apiVersion} ${kind} ${path.join(".")}`);
  return node;
}

describe("generated patch metadata (Kubernetes 1.28 OpenAPI)", () => {
  test("every served kind is there, with ObjectMeta as metadata", () => {
    const expected = [
      "v1/Namespace", "v1/Node", "v1/Pod", "v1/Service", "v1/Endpoints", "v1/Event", "v1/ConfigMap", "v1/Secret",
      "v1/ServiceAccount", "v1/LimitRange", "v1/ResourceQuota", "apps/v1/Deployment", "apps/v1/ReplicaSet",
      "apps/v1/DaemonSet", "apps/v1/StatefulSet", "apps/v1/ControllerRevision", "batch/v1/Job", "batch/v1/CronJob",
      "policy/v1/PodDisruptionBudget", "coordination.k8s.io/v1/Lease", "discovery.k8s.io/v1/EndpointSlice",
      "scheduling.k8s.io/v1/PriorityClass", "networking.k8s.io/v1/Ingress", "events.k8s.io/v1/Event",
      "autoscaling/v1/Scale",
    ];
    expect(servedKinds()).toEqual(expect.arrayContaining(expected));
    for (const key of expected) {
      const slash = key.lastIndexOf("/");
      const metadata = at(key.slice(0, slash), key.slice(slash + 1), "metadata");
      expect(metadata.typeName, key).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    }
    expect(at("v1", "Event").typeName).toBe("io.k8s.api.core.v1.Event");
    expect(at("events.k8s.io/v1", "Event").typeName).toBe("io.k8s.api.events.v1.Event");
    expect(schemaFor("v1", "Nope")).toBeUndefined();
    expect(schemaFor("apps/v1", "Pod")).toBeUndefined();
  });

  test("every referenced type is defined", () => {
    const seen = new Set<string>();
    const visit = (node: SchemaNode | undefined): void => {
      if (node === undefined) return;
      if (node.kind === "list") return visit(node.items());
      if (node.kind === "map") return visit(node.values());
      if (node.kind !== "struct" || seen.has(node.typeName as string)) return;
      seen.add(node.typeName as string);
      for (const name of node.fieldNames()) visit(node.field(name));
    };
    for (const key of servedKinds()) visit(typeSchema(patchMetadata.kinds[key] as string));
    expect(seen.size).toBe(Object.keys(patchMetadata.types).length);
  });

  test("PodSpec.containers: merge by name", () => {
    const containers = at("v1", "Pod", "spec", "containers");
    expect(containers.kind).toBe("list");
    expect(containers.patchStrategy).toBe("merge");
    expect(containers.patchMergeKey).toBe("name");
    expect(containers.items()?.typeName).toBe("io.k8s.api.core.v1.Container");
  });

  test("Container.ports: merge by containerPort, a map list keyed by containerPort and protocol", () => {
    const ports = at("v1", "Pod", "spec", "containers", "[]", "ports");
    expect(ports.patchStrategy).toBe("merge");
    expect(ports.patchMergeKey).toBe("containerPort");
    expect(ports.listType).toBe("map");
    expect(ports.listMapKeys).toEqual(["containerPort", "protocol"]);
    expect(at("v1", "Pod", "spec", "containers", "[]", "env").patchMergeKey).toBe("name");
    expect(at("v1", "Pod", "spec", "containers", "[]", "volumeMounts").patchMergeKey).toBe("mountPath");
  });

  test("PodSpec.volumes: merge,retainKeys by name", () => {
    const volumes = at("v1", "Pod", "spec", "volumes");
    expect(volumes.patchStrategy).toBe("merge,retainKeys");
    expect(volumes.patchStrategies).toEqual(["merge", "retainKeys"]);
    expect(volumes.patchMergeKey).toBe("name");
  });

  test("ObjectMeta: finalizers merge (no list type in 1.28), ownerReferences by uid, managedFields replace", () => {
    const finalizers = at("v1", "Pod", "metadata", "finalizers");
    expect(finalizers.patchStrategy).toBe("merge");
    expect(finalizers.patchMergeKey).toBeUndefined();
    expect(finalizers.listType).toBeUndefined();
    expect(finalizers.items()?.scalarType).toBe("string");

    const owners = at("v1", "Pod", "metadata", "ownerReferences");
    expect(owners.patchMergeKey).toBe("uid");
    expect(owners.items()?.mapType).toBe("atomic");

    const managedFields = at("v1", "Pod", "metadata", "managedFields");
    expect(managedFields.patchStrategy).toBeUndefined();
    const fieldsV1 = managedFields.items()?.field("fieldsV1");
    expect(fieldsV1?.opaque).toBe(true);
    expect(fieldsV1?.displayName).toBe("FieldsV1");

    const labels = at("v1", "Pod", "metadata", "labels");
    expect(labels.kind).toBe("map");
    expect(labels.values()?.scalarType).toBe("string");
  });

  test("NodeSpec.taints has no patch strategy: it replaces", () => {
    const taints = at("v1", "Node", "spec", "taints");
    expect(taints.kind).toBe("list");
    expect(taints.patchStrategy).toBeUndefined();
    expect(taints.listType).toBeUndefined();
    expect(at("v1", "Node", "spec", "podCIDRs").patchStrategy).toBe("merge");
    expect(at("v1", "Node", "status", "conditions").patchMergeKey).toBe("type");
    expect(at("v1", "Node", "status", "addresses").patchMergeKey).toBe("type");
  });

  test("Service ports merge by port; pod conditions by type", () => {
    const ports = at("v1", "Service", "spec", "ports");
    expect(ports.patchMergeKey).toBe("port");
    expect(ports.listMapKeys).toEqual(["port", "protocol"]);
    expect(at("v1", "Pod", "status", "conditions").patchMergeKey).toBe("type");
    expect(at("v1", "Pod", "spec", "tolerations").patchStrategy).toBeUndefined();
  });

  test("struct-level strategies and atomic maps", () => {
    expect(at("apps/v1", "Deployment", "spec", "strategy").patchStrategy).toBe("retainKeys");
    expect(at("policy/v1", "PodDisruptionBudget", "spec", "selector").patchStrategy).toBe("replace");
    expect(at("apps/v1", "Deployment", "spec", "selector").mapType).toBe("atomic");
    expect(at("v1", "Pod", "spec", "nodeSelector").mapType).toBe("atomic");
    expect(at("discovery.k8s.io/v1", "EndpointSlice", "endpoints").listType).toBe("atomic");
  });

  test("scalars: quantities are strings, intstr is int-or-string, Scale replicas an integer", () => {
    expect(at("v1", "Pod", "spec", "containers", "[]", "resources", "limits", "{}").scalarType).toBe("string");
    expect(at("apps/v1", "Deployment", "spec", "strategy", "rollingUpdate", "maxSurge").scalarType).toBe("int-or-string");
    expect(at("autoscaling/v1", "Scale", "spec", "replicas").scalarType).toBe("integer");
    expect(at("v1", "Pod", "spec").field("nope")).toBeUndefined();
    expect(at("v1", "Pod", "spec").displayName).toBe("PodSpec");
  });
});
