import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { PatchError } from "./errors.ts";
import { maxNestingDepth, type JsonObject, type JsonValue } from "./json.ts";
import { SchemaNode, schemaFor, type PatchMetadataTables } from "./schema.ts";
import { strategicMergePatch } from "./strategic-merge-patch.ts";

// Upstream's test type MergeItem and its struct tags (strategicpatch/patch_test.go).
const mergeItemTables: PatchMetadataTables = {
  kinds: {},
  types: {
    MergeItem: {
      fields: {
        name: "string",
        value: "string",
        other: "string",
        mergingList: { list: "MergeItem", patchStrategy: "merge", patchMergeKey: "name" },
        nonMergingList: { list: "MergeItem" },
        mergingIntList: { list: "integer", patchStrategy: "merge" },
        nonMergingIntList: { list: "integer" },
        // A *MergeItem in Go that the cases use as a merging list.
        mergeItemPtr: { list: "MergeItem", patchStrategy: "merge", patchMergeKey: "name" },
        simpleMap: { map: "string" },
        replacingItem: { type: "RawExtension", patchStrategy: "replace" },
        retainKeysMap: { type: "RetainKeysMergeItem", patchStrategy: "retainKeys" },
        retainKeysMergingList: { list: "MergeItem", patchStrategy: "merge,retainKeys", patchMergeKey: "name" },
      },
    },
    RetainKeysMergeItem: {
      fields: {
        name: "string",
        value: "string",
        other: "string",
        simpleMap: { map: "string" },
        mergingIntList: { list: "integer", patchStrategy: "merge" },
        mergingList: { list: "MergeItem", patchStrategy: "merge", patchMergeKey: "name" },
        nonMergingList: { list: "MergeItem" },
      },
    },
    RawExtension: { opaque: true, fields: {} },
  },
};
const mergeItem = SchemaNode.of(mergeItemTables, "MergeItem");

interface UpstreamCase {
  description: string;
  original: JsonObject;
  patch: JsonObject;
  result?: JsonObject;
  error?: string;
}

const upstreamCases = parse(
  readFileSync(new URL("./testdata/upstream-strategic-merge-patch-cases.yaml", import.meta.url), "utf8"),
) as UpstreamCase[];

describe("upstream strategicpatch cases (MergeItem)", () => {
  test("the table holds a good selection", () => {
    expect(upstreamCases.length).toBeGreaterThanOrEqual(40);
  });

  test.each(upstreamCases)("$description", ({ original, patch, result, error }) => {
    const before = JSON.stringify([original, patch]);
    if (error !== undefined) {
      expect(() => strategicMergePatch(original, patch, mergeItem)).toThrow(error);
    } else {
      expect(strategicMergePatch(original, patch, mergeItem)).toStrictEqual(result);
    }
    expect(JSON.stringify([original, patch]), "inputs must not be modified").toBe(before);
  });
});

function schema(apiVersion: string, kind: string): SchemaNode {
  const node = schemaFor(apiVersion, kind);
  if (node === undefined) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return node;
}

const pod = schema("v1", "Pod");

function podWith(spec: JsonObject, extra: JsonObject = {}): JsonObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec, ...extra };
}

describe("Kubernetes objects with the generated metadata", () => {
  // Without $setElementOrder, a new element goes before the server-only ones (upstream prepends; see
  // kubernetes.io's "Update API Objects in Place Using kubectl patch", where the new container comes first).
  test("containers merge by name, ports by containerPort, env by name", () => {
    const original = podWith({
      containers: [
        {
          name: "app",
          image: "app:1",
          ports: [{ containerPort: 80, protocol: "TCP" }],
          env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
        },
        { name: "sidecar", image: "proxy:1" },
      ],
    });
    const patch = {
      spec: {
        containers: [
          {
            name: "app",
            image: "app:2",
            ports: [{ containerPort: 443, protocol: "TCP" }],
            env: [{ name: "B", value: "3" }, { name: "C", value: "4" }],
          },
        ],
      },
    };
    expect(strategicMergePatch(original, patch, pod)).toStrictEqual(
      podWith({
        containers: [
          {
            name: "app",
            image: "app:2",
            ports: [{ containerPort: 443, protocol: "TCP" }, { containerPort: 80, protocol: "TCP" }],
            env: [{ name: "A", value: "1" }, { name: "B", value: "3" }, { name: "C", value: "4" }],
          },
          { name: "sidecar", image: "proxy:1" },
        ],
      }),
    );
  });

  test("kubectl patch adds a container: it goes first", () => {
    const original = podWith({ containers: [{ name: "patch-demo-ctr", image: "nginx" }] });
    const patch = { spec: { containers: [{ name: "patch-demo-ctr-2", image: "redis" }] } };
    expect((strategicMergePatch(original, patch, pod).spec as JsonObject).containers).toStrictEqual([
      { name: "patch-demo-ctr-2", image: "redis" },
      { name: "patch-demo-ctr", image: "nginx" },
    ]);
  });

  test("kubectl apply's patch: delete a container, add one, keep the server-injected one in place", () => {
    const original = podWith({
      containers: [
        { name: "old", image: "old:1" },
        { name: "app", image: "app:1" },
        { name: "injected", image: "mesh:1" },
      ],
    });
    const patch = {
      spec: {
        "$setElementOrder/containers": [{ name: "app" }, { name: "new" }],
        containers: [{ name: "new", image: "new:1" }, { name: "old", $patch: "delete" }],
      },
    };
    expect(strategicMergePatch(original, patch, pod)).toStrictEqual(
      podWith({
        containers: [
          { name: "app", image: "app:1" },
          { name: "injected", image: "mesh:1" },
          { name: "new", image: "new:1" },
        ],
      }),
    );
  });

  test("pod conditions merge by type", () => {
    const original = podWith(
      { containers: [{ name: "app" }] },
      {
        status: {
          phase: "Pending",
          conditions: [
            { type: "PodScheduled", status: "True" },
            { type: "Ready", status: "False", reason: "ContainersNotReady" },
          ],
        },
      },
    );
    const patch = {
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True", reason: null }, { type: "Initialized", status: "True" }] },
    };
    expect(strategicMergePatch(original, patch, pod).status).toStrictEqual({
      phase: "Running",
      conditions: [
        { type: "PodScheduled", status: "True" },
        { type: "Ready", status: "True" },
        { type: "Initialized", status: "True" },
      ],
    });
  });

  test("volumes merge by name and $retainKeys switches a volume's source", () => {
    const original = podWith({
      containers: [{ name: "app" }],
      volumes: [
        { name: "data", emptyDir: { medium: "Memory" } },
        { name: "config", configMap: { name: "cfg" } },
      ],
    });
    const patch = { spec: { volumes: [{ name: "data", $retainKeys: ["hostPath", "name"], hostPath: { path: "/srv" } }] } };
    expect(strategicMergePatch(original, patch, pod).spec).toStrictEqual({
      containers: [{ name: "app" }],
      volumes: [
        { name: "data", hostPath: { path: "/srv" } },
        { name: "config", configMap: { name: "cfg" } },
      ],
    });
  });

  test("a Deployment's strategy: $retainKeys drops rollingUpdate when switching to Recreate", () => {
    const deployment = schema("apps/v1", "Deployment");
    const original = {
      spec: { replicas: 2, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } },
    };
    const patch = { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } };
    expect(strategicMergePatch(original, patch, deployment)).toStrictEqual({
      spec: { replicas: 2, strategy: { type: "Recreate" } },
    });
  });

  test("finalizers are a merged set; $deleteFromPrimitiveList removes; labels delete with null", () => {
    const original = {
      metadata: { name: "x", labels: { app: "web", tier: "front" }, finalizers: ["a", "b"] },
    };
    const patch = {
      metadata: {
        labels: { tier: null, env: "prod" },
        finalizers: ["c", "a"],
        "$deleteFromPrimitiveList/finalizers": ["b"],
      },
    };
    expect(strategicMergePatch(original, patch, schema("v1", "ConfigMap"))).toStrictEqual({
      metadata: { name: "x", labels: { app: "web", env: "prod" }, finalizers: ["c", "a"] },
    });
  });

  test("lists without a strategy replace: tolerations, node taints", () => {
    const original = podWith({
      containers: [{ name: "app" }],
      tolerations: [{ key: "a", operator: "Exists" }],
    });
    const patch = { spec: { tolerations: [{ key: "b", operator: "Exists" }] } };
    expect(strategicMergePatch(original, patch, pod).spec).toStrictEqual({
      containers: [{ name: "app" }],
      tolerations: [{ key: "b", operator: "Exists" }],
    });
    const node = { spec: { taints: [{ key: "a", effect: "NoSchedule" }] } };
    const taintPatch = { spec: { taints: [{ key: "b", effect: "NoExecute" }] } };
    expect(strategicMergePatch(node, taintPatch, schema("v1", "Node"))).toStrictEqual(taintPatch);
  });

  test("service ports merge by port; owner references by uid", () => {
    const service = {
      metadata: { ownerReferences: [{ uid: "u1", kind: "Deployment", name: "d" }] },
      spec: { ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
    };
    const patch = {
      metadata: { ownerReferences: [{ uid: "u2", kind: "ReplicaSet", name: "r" }] },
      spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443, protocol: "TCP" }] },
    };
    expect(strategicMergePatch(service, patch, schema("v1", "Service"))).toStrictEqual({
      metadata: {
        ownerReferences: [
          { uid: "u2", kind: "ReplicaSet", name: "r" },
          { uid: "u1", kind: "Deployment", name: "d" },
        ],
      },
      spec: { ports: [{ port: 80, targetPort: 9090, protocol: "TCP" }, { port: 443, protocol: "TCP" }] },
    });
  });

  test("a PodDisruptionBudget's selector is replaced whole (patch strategy replace)", () => {
    const pdb = { spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } } };
    const patch = { spec: { selector: { matchLabels: { app: "api" }, $patch: "replace" } } };
    expect(strategicMergePatch(pdb, { spec: { selector: { matchLabels: { app: "api" } } } }, schema("policy/v1", "PodDisruptionBudget"))).toStrictEqual({
      spec: { minAvailable: 1, selector: { matchLabels: { app: "api" } } },
    });
    // The strategy replaces the value as sent, directives included (as upstream).
    expect(strategicMergePatch(pdb, patch, schema("policy/v1", "PodDisruptionBudget")).spec).toStrictEqual({
      minAvailable: 1,
      selector: { matchLabels: { app: "api" }, $patch: "replace" },
    });
  });

  test("$patch: replace on a map and on a list; $patch: delete on a map", () => {
    const original = podWith({
      containers: [{ name: "a" }, { name: "b" }],
      nodeSelector: { zone: "x", disk: "ssd" },
      affinity: { nodeAffinity: {} },
    });
    const patch = {
      spec: {
        containers: [{ name: "c" }, { $patch: "replace" }],
        nodeSelector: { zone: "y", $patch: "replace" },
        affinity: { $patch: "delete" },
      },
    };
    expect(strategicMergePatch(original, patch, pod).spec).toStrictEqual({
      containers: [{ name: "c" }],
      nodeSelector: { zone: "y" },
      affinity: {},
    });
  });

  test("new values are copied without nulls and without directive elements", () => {
    const original = podWith({ containers: [{ name: "app" }] });
    const patch = {
      metadata: { annotations: { a: "1", b: null } },
      spec: { initContainers: [{ name: "init", image: null }, { name: "gone", $patch: "delete" }] },
    };
    const result = strategicMergePatch(original, patch, pod);
    expect(result.metadata).toStrictEqual({ name: "web", namespace: "default", annotations: { a: "1" } });
    expect((result.spec as JsonObject).initContainers).toStrictEqual([{ name: "init" }]);
  });
});

describe("errors", () => {
  const original = podWith({ containers: [{ name: "app", image: "app:1" }] });

  function errorOf(patch: unknown, on: JsonObject = original): PatchError {
    try {
      strategicMergePatch(on, patch, pod);
    } catch (error) {
      if (error instanceof PatchError) return error;
      throw error;
    }
    throw new Error("expected a PatchError");
  }

  test.each<[string, unknown, string, number]>([
    [
      "missing merge key",
      { spec: { containers: [{ image: "nginx" }] } },
      "map: map[image:nginx] does not contain declared merge key: name",
      400,
    ],
    ["unknown map directive", { spec: { $patch: "foo" } }, "unknown patch type: foo in map: map[$patch:foo]", 400],
    [
      "merge directive in a list",
      { spec: { containers: [{ name: "app", $patch: "merge" }] } },
      "merging lists cannot yet be specified in the patch",
      400,
    ],
    [
      "retainKeys that omit a patched field",
      { spec: { $retainKeys: ["containers"], hostname: "h" } },
      "invalid patch format of retainKeys",
      400,
    ],
    ["retainKeys not a list", { spec: { $retainKeys: "containers" } }, "invalid patch format of retainKeys", 400],
    [
      "$setElementOrder of an unknown field",
      { spec: { "$setElementOrder/bogus": [] } },
      'unable to find api field in struct PodSpec for the json field "bogus"',
      400,
    ],
    [
      "$setElementOrder without a field",
      { spec: { $setElementOrder: [] } },
      "invalid patch format of setElementOrder list",
      400,
    ],
    [
      "$setElementOrder not a list",
      { spec: { "$setElementOrder/containers": { name: "app" } } },
      "expected a []interface {}, but received a map[string]interface {}",
      400,
    ],
    [
      "$deleteFromPrimitiveList without a field",
      { metadata: { $deleteFromPrimitiveList: ["a"] } },
      "invalid patch format of primitive list",
      400,
    ],
    [
      "mixed element types",
      { spec: { containers: [{ name: "app" }, "oops"] } },
      "list element types are not identical",
      400,
    ],
    ["not an object", ["a"], "json: cannot unmarshal array into Go value of type map[string]interface {}", 400],
  ])("%s", (_name, patch, message, status) => {
    const error = errorOf(patch);
    expect(error.message).toContain(message);
    expect(error.status).toBe(status);
    expect(error.patchType).toBe("strategic");
  });

  test("lists of lists are refused with 422", () => {
    const error = errorOf({ metadata: { finalizers: [["b"]] } }, { metadata: { finalizers: [["a"]] } });
    expect(error.message).toBe("lists of lists are not supported");
    expect(error.status).toBe(422);
  });

  test("a merge into an opaque value names its type", () => {
    const revision = { data: { spec: { a: 1 } } };
    expect(() => strategicMergePatch(revision, { data: { spec: { b: 2 } } }, schema("apps/v1", "ControllerRevision"))).toThrow(
      'unable to find api field in struct RawExtension for the json field "spec"',
    );
  });

  test("documents nested deeper than the limit are refused", () => {
    let deep: JsonValue = "x";
    for (let i = 0; i <= maxNestingDepth; i++) deep = { a: deep };
    expect(errorOf({ metadata: { annotations: deep } }).message).toContain("nesting depth");
  });

  test("a __proto__ key stays data", () => {
    const result = strategicMergePatch(original, JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}'), pod);
    const labels = (result.metadata as JsonObject).labels as JsonObject;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.hasOwn(labels, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
