import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { SsaError } from "./errors.ts";
import { applyPatch, ownedPaths, updateManagedFields, type ApplyResult } from "./field-manager.ts";
import type { ManagedFieldsEntry } from "./managed-fields.ts";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 250);

/**
 * A one-object store in front of the field manager, doing what the API server core will: it stores
 * the apply result (giving the object a uid on create) and writes updateManagedFields' result.
 */
class Store {
  obj: KubeObject | undefined;
  now = T0;

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {}

  apply(applied: unknown, manager: string, opts: { force?: boolean; subresource?: string } = {}): ApplyResult {
    this.now += 1000;
    const r = applyPatch({ live: this.obj, applied, manager, now: this.now, apiVersion: this.apiVersion, kind: this.kind, ...opts });
    if ("object" in r) this.obj = { ...r.object, metadata: { ...r.object.metadata, uid: "uid-1" } };
    return r;
  }

  /** A create/update/non-apply patch that produced `newObj`. */
  update(newObj: KubeObject, manager: string, subresource?: string): ManagedFieldsEntry[] | undefined {
    this.now += 1000;
    const managedFields = updateManagedFields({
      oldObj: this.obj,
      newObj,
      manager,
      apiVersion: this.apiVersion,
      now: this.now,
      ...(subresource === undefined ? {} : { subresource }),
    });
    const metadata: Record<string, unknown> = { ...newObj.metadata, uid: "uid-1" };
    if (managedFields === undefined) delete metadata["managedFields"];
    else metadata["managedFields"] = managedFields;
    this.obj = { ...newObj, metadata };
    return managedFields;
  }

  get managedFields(): ManagedFieldsEntry[] {
    return (this.obj?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  }

  owned(manager: string): string[] {
    return ownedPaths(this.managedFields, manager);
  }

  get spec(): Record<string, unknown> {
    return this.obj?.["spec"] as Record<string, unknown>;
  }
}

function ok(r: ApplyResult): KubeObject {
  if ("conflicts" in r) throw new Error(`unexpected conflict: ${r.status.message}`);
  return r.object;
}

function conflict(r: ApplyResult): { message: string; causes: unknown } {
  if (!("conflicts" in r)) throw new Error("expected a conflict");
  return { message: r.status.message ?? "", causes: r.status.details?.causes };
}

const deployment = (spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "nginx", namespace: "default", ...metadata },
  spec: {
    selector: { matchLabels: { app: "nginx" } },
    template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.25" }] } },
    ...spec,
  },
});

// The ConfigMap of https://kubernetes.io/docs/reference/using-api/server-side-apply/ (#ssa-example-configmap).
const docsConfigMap = parse(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: test-cm
  namespace: default
  labels:
    test-label: test
data:
  key: some value
`) as KubeObject;

describe("apply creates", () => {
  test("the documented ConfigMap, with kubectl's Apply entry", () => {
    const now = Date.UTC(2010, 9, 10, 0, 0, 0);
    const r = applyPatch({ applied: docsConfigMap, manager: "kubectl", now, apiVersion: "v1", kind: "ConfigMap" });
    const obj = ok(r);
    expect(obj.metadata?.managedFields).toEqual(
      parse(`
- manager: kubectl
  operation: Apply
  apiVersion: v1
  time: "2010-10-10T00:00:00Z"
  fieldsType: FieldsV1
  fieldsV1:
    f:metadata:
      f:labels:
        f:test-label: {}
    f:data:
      f:key: {}
`),
    );
    expect(obj["data"]).toEqual({ key: "some value" });
    expect(obj.metadata?.labels).toEqual({ "test-label": "test" });
  });

  test("a Deployment: map lists keyed by name, ports by containerPort and the defaulted protocol", () => {
    const s = new Store("apps/v1", "Deployment");
    const obj = ok(s.apply(deployment({ replicas: 3, template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.25", ports: [{ containerPort: 80 }] }] } } }), "kubectl"));
    expect(obj.spec).toMatchObject({ replicas: 3 });
    expect(s.managedFields[0]?.fieldsV1).toEqual({
      "f:spec": {
        "f:replicas": {},
        "f:selector": {},
        "f:template": {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"nginx"}': {
                ".": {},
                "f:image": {},
                "f:name": {},
                "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
              },
            },
          },
        },
      },
    });
  });
});

describe("re-apply", () => {
  test("a field removed from the configuration is removed from the object", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment({ replicas: 3, paused: true }, { labels: { a: "1", b: "2" } }), "kubectl"));
    const obj = ok(s.apply(deployment({ replicas: 3 }, { labels: { a: "1" } }), "kubectl"));
    expect(obj.spec).not.toHaveProperty("paused");
    expect(obj.metadata?.labels).toEqual({ a: "1" });
    expect(s.owned("kubectl")).not.toContain(".spec.paused");
  });

  test("a removed field another manager also owns stays", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment({ replicas: 3 }), "kubectl"));
    ok(s.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx" }, spec: { replicas: 3 } }, "other"));
    const obj = ok(s.apply(deployment(), "kubectl"));
    expect(obj.spec).toMatchObject({ replicas: 3 });
    expect(s.owned("kubectl")).not.toContain(".spec.replicas");
    expect(s.owned("other")).toEqual([".spec.replicas"]);
  });

  test("applying the same configuration again changes nothing, not even the time", () => {
    const s = new Store("v1", "ConfigMap");
    ok(s.apply(docsConfigMap, "kubectl"));
    const before = s.obj;
    ok(s.apply(docsConfigMap, "kubectl"));
    expect(s.obj).toEqual(before);
  });
});

describe("conflicts", () => {
  test("two appliers setting replicas differently: the upstream message, then force takes ownership", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment({ replicas: 3 }), "kubectl"));
    const live = s.obj;
    const replicasOnly = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx" }, spec: { replicas: 5 } };
    expect(conflict(s.apply(replicasOnly, "hpa-handover"))).toEqual({
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
      causes: [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl"', field: ".spec.replicas" }],
    });
    expect(s.obj).toBe(live);
    expect(ok(s.apply(replicasOnly, "hpa-handover", { force: true })).spec).toMatchObject({ replicas: 5 });
    expect(s.owned("kubectl")).not.toContain(".spec.replicas");
    expect(s.owned("hpa-handover")).toEqual([".spec.replicas"]);
  });

  test("an Update owner is named with its API version, and the Status is a 409 Conflict", () => {
    const s = new Store("apps/v1", "Deployment");
    s.update(deployment({ replicas: 2 }), "kubectl-client-side-apply");
    const r = s.apply(deployment({ replicas: 3 }), "my-manager");
    expect("conflicts" in r && r.status).toEqual({
      apiVersion: "v1",
      kind: "Status",
      metadata: {},
      status: "Failure",
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: "Conflict",
      details: {
        causes: [
          { reason: "FieldManagerConflict", message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: ".spec.replicas" },
        ],
      },
      code: 409,
    });
  });

  test("several conflicts are grouped by manager, managers sorted, paths in set order", () => {
    const s = new Store("apps/v1", "Deployment");
    s.update(deployment({ replicas: 2, paused: true }), "kubectl-client-side-apply");
    const withImage = deployment({ replicas: 2, paused: true });
    (withImage.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = "nginx:1.26";
    s.update(withImage, "kubectl-set", "");
    const wanted = deployment({ replicas: 4, paused: false });
    (wanted.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = "nginx:1.27";
    expect(conflict(s.apply(wanted, "ci")).message).toBe(
      "Apply failed with 3 conflicts: " +
        'conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.paused\n- .spec.replicas\n' +
        'conflicts with "kubectl-set" using apps/v1:\n- .spec.template.spec.containers[name="nginx"].image',
    );
  });

  test("a status-subresource owner is named with its subresource", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment({ replicas: 1 }), "kubectl"));
    s.update({ ...s.obj, status: { replicas: 1 } } as KubeObject, "kube-controller-manager", "status");
    const r = s.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx" }, status: { replicas: 7 } }, "x", { subresource: "status" });
    expect(conflict(r).message).toBe(
      'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "status" using apps/v1: .status.replicas',
    );
  });

  test("setting a field to the value it already has shares it instead of conflicting", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment({ replicas: 3 }), "kubectl"));
    ok(s.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx" }, spec: { replicas: 3 } }, "other"));
    expect(s.owned("kubectl")).toContain(".spec.replicas");
    expect(s.owned("other")).toEqual([".spec.replicas"]);
  });
});

describe("merge strategies", () => {
  const containers = (...cs: { name: string; image: string; args?: string[] }[]): KubeObject =>
    deployment({ template: { metadata: { labels: { app: "nginx" } }, spec: { containers: cs } } });
  const sidecarOnly = (image: string): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "nginx" },
    spec: { template: { spec: { containers: [{ name: "sidecar", image }] } } },
  });
  const images = (s: Store): string[] =>
    ((s.spec["template"] as { spec: { containers: { name: string; image: string }[] } }).spec.containers).map((c) => `${c.name}=${c.image}`);

  test("containers merge by name: two managers each own their own container", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(containers({ name: "nginx", image: "nginx:1.25" }), "app-team"));
    ok(s.apply(sidecarOnly("envoy:1"), "mesh-injector"));
    expect(images(s)).toEqual(["nginx=nginx:1.25", "sidecar=envoy:1"]);
    expect(s.owned("mesh-injector")).toEqual([
      '.spec.template.spec.containers[name="sidecar"]',
      '.spec.template.spec.containers[name="sidecar"].image',
      '.spec.template.spec.containers[name="sidecar"].name',
    ]);
    // Each re-applies its own container without touching the other's.
    ok(s.apply(containers({ name: "nginx", image: "nginx:1.26" }), "app-team"));
    ok(s.apply(sidecarOnly("envoy:2"), "mesh-injector"));
    expect(images(s)).toEqual(["nginx=nginx:1.26", "sidecar=envoy:2"]);
    // The app team's configuration never mentioned the sidecar: it stays when they drop nothing else.
    ok(s.apply(containers({ name: "nginx", image: "nginx:1.26" }, { name: "debug", image: "busybox" }), "app-team"));
    ok(s.apply(containers({ name: "nginx", image: "nginx:1.26" }), "app-team"));
    expect(images(s)).toEqual(["nginx=nginx:1.26", "sidecar=envoy:2"]);
  });

  test("changing another manager's container conflicts", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(containers({ name: "nginx", image: "nginx:1.25" }), "app-team"));
    ok(s.apply(sidecarOnly("envoy:1"), "mesh-injector"));
    expect(conflict(s.apply(containers({ name: "nginx", image: "nginx:1.25" }, { name: "sidecar", image: "envoy:9" }), "app-team")).message).toBe(
      'Apply failed with 1 conflict: conflict with "mesh-injector": .spec.template.spec.containers[name="sidecar"].image',
    );
  });

  test("an atomic list (args) is replaced whole, and owned as one field", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(containers({ name: "nginx", image: "nginx", args: ["-a", "-b"] }), "kubectl"));
    ok(s.apply(containers({ name: "nginx", image: "nginx", args: ["-c"] }), "kubectl"));
    const c = (s.spec["template"] as { spec: { containers: { args: string[] }[] } }).spec.containers[0];
    expect(c?.args).toEqual(["-c"]);
    expect(s.owned("kubectl")).toContain('.spec.template.spec.containers[name="nginx"].args');
    expect(conflict(s.apply({ ...sidecarOnly("x"), spec: { template: { spec: { containers: [{ name: "nginx", args: ["-d"] }] } } } }, "other")).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.template.spec.containers[name="nginx"].args',
    );
  });

  test("a set (finalizers) is the union of what each manager applies", () => {
    const s = new Store("v1", "ConfigMap");
    const cm = (finalizers: string[]): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", finalizers } });
    ok(s.apply(cm(["a.io/one"]), "m1"));
    ok(s.apply(cm(["b.io/two"]), "m2"));
    expect(s.obj?.metadata?.finalizers).toEqual(["a.io/one", "b.io/two"]);
    ok(s.apply(cm([]), "m1"));
    expect(s.obj?.metadata?.finalizers).toEqual(["b.io/two"]);
  });
});

describe("updates record ownership (operation Update)", () => {
  test("create: the creating manager owns every field it set; time in RFC 3339 seconds", () => {
    const s = new Store("apps/v1", "Deployment");
    const mf = s.update(deployment({ replicas: 2 }, { labels: { app: "nginx" } }), "kubectl-create");
    expect(mf).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "apps/v1",
        time: "2024-05-01T12:00:01Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        },
      },
    ]);
  });

  test("the documented multi-manager ConfigMap: an update takes the field it changed", () => {
    const s = new Store("v1", "ConfigMap");
    ok(s.apply(docsConfigMap, "kubectl"));
    s.update({ ...s.obj, data: { key: "new value" } } as KubeObject, "kube-controller-manager");
    expect(s.managedFields.map((e) => [e.manager, e.operation, e.fieldsV1])).toEqual([
      ["kubectl", "Apply", { "f:metadata": { "f:labels": { "f:test-label": {} } } }],
      ["kube-controller-manager", "Update", { "f:data": { "f:key": {} } }],
    ]);
  });

  test("an update that changes nothing adds no entry and keeps times", () => {
    const s = new Store("v1", "ConfigMap");
    ok(s.apply(docsConfigMap, "kubectl"));
    const before = s.managedFields;
    expect(s.update({ ...s.obj } as KubeObject, "kubectl-edit")).toEqual(before);
  });

  test("a manager's later updates join its entry, with the newer time", () => {
    const s = new Store("v1", "ConfigMap");
    s.update({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } }, "ctl");
    s.update({ ...s.obj, data: { a: "1", b: "2" } } as KubeObject, "ctl");
    expect(s.managedFields).toHaveLength(1);
    expect(s.managedFields[0]?.time).toBe("2024-05-01T12:00:02Z");
    // data was absent from the zero ConfigMap, so creating it made the map itself ctl's too.
    expect(s.owned("ctl")).toEqual([".data", ".data.a", ".data.b"]);
  });

  test("managedFields sent with a request are used; [] and [{}] clear them; junk is ignored", () => {
    const s = new Store("v1", "ConfigMap");
    ok(s.apply(docsConfigMap, "kubectl"));
    const stored = s.managedFields;
    const send = (managedFields: unknown): ManagedFieldsEntry[] | undefined =>
      updateManagedFields({ oldObj: s.obj, newObj: { ...s.obj, metadata: { ...s.obj?.metadata, managedFields: managedFields as unknown[] } } as KubeObject, manager: "x", apiVersion: "v1", now: T0 });
    expect(send([])).toBeUndefined();
    expect(send([{}])).toBeUndefined();
    expect(send([{ operation: "Bogus" }])).toEqual(stored);
    const mine = [{ manager: "me", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:key": {} } } }];
    expect(send(mine)).toEqual(mine);
  });

  test("a subresource write always starts from the stored managedFields and is its own entry", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment(), "kubectl"));
    s.update({ ...s.obj, metadata: { ...s.obj?.metadata, managedFields: [] }, status: { replicas: 1 } } as KubeObject, "kube-controller-manager", "status");
    expect(s.managedFields.map((e) => [e.manager, e.operation, e.subresource])).toEqual([
      ["kubectl", "Apply", undefined],
      ["kube-controller-manager", "Update", "status"],
    ]);
  });

  test("an existing object without managedFields stays untracked by updates", () => {
    const s = new Store("v1", "ConfigMap");
    s.obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", uid: "u" }, data: { a: "1" } };
    expect(s.update({ ...s.obj, data: { a: "2" } } as KubeObject, "x")).toBeUndefined();
  });

  test("an empty manager name is recorded as unknown", () => {
    const mf = updateManagedFields({ newObj: docsConfigMap, manager: "", apiVersion: "v1", now: T0 });
    expect(mf?.[0]?.manager).toBe("unknown");
  });

  test("more than 10 Update entries: the oldest are merged into ancient-changes", () => {
    const s = new Store("v1", "ConfigMap");
    for (let i = 0; i < 12; i++) {
      s.update({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { ...(s.obj?.["data"] as object), [`k${i}`]: "v" } } as KubeObject, `m${i}`);
    }
    const managers = s.managedFields.map((e) => e.manager);
    expect(managers).toHaveLength(10);
    expect(managers[0]).toBe("ancient-changes");
    expect(s.owned("ancient-changes")).toEqual([".data", ".data.k0", ".data.k1", ".data.k2"]);
  });
});

describe("objects that were never applied", () => {
  test('their fields belong to "before-first-apply" when first applied', () => {
    const s = new Store("apps/v1", "Deployment");
    s.obj = { ...deployment({ replicas: 2 }), metadata: { name: "nginx", uid: "u" } };
    expect(conflict(s.apply(deployment({ replicas: 3 }), "manager")).message).toBe(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
    );
    ok(s.apply(deployment({ replicas: 2 }), "manager"));
    expect(s.managedFields.map((e) => [e.manager, e.operation])).toEqual([
      ["manager", "Apply"],
      ["before-first-apply", "Update"],
    ]);
  });
});

describe("upgrading from client-side apply (kubectl.kubernetes.io/last-applied-configuration)", () => {
  const manifest = (replicas: number): KubeObject => deployment({ replicas });
  const clientSideApplied = (s: Store): void => {
    const annotation = JSON.stringify(manifest(2)) + "\n";
    s.update({ ...manifest(2), metadata: { name: "nginx", namespace: "default", annotations: { "kubectl.kubernetes.io/last-applied-configuration": annotation } } }, "kubectl-client-side-apply");
  };

  test("kubectl takes over fields that still hold their last-applied values, without a conflict", () => {
    const s = new Store("apps/v1", "Deployment");
    clientSideApplied(s);
    const obj = ok(s.apply(manifest(3), "kubectl"));
    expect(obj.spec).toMatchObject({ replicas: 3 });
    expect(s.owned("kubectl")).toContain(".spec.replicas");
    expect(s.owned("kubectl-client-side-apply")).not.toContain(".spec.replicas");
    // The annotation follows the server-side apply, so a later client-side apply still diffs right.
    expect(obj.metadata?.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"image":"nginx:1.25","name":"nginx"}]}}}}\n',
    );
  });

  test("fields someone else changed since still conflict; other managers get no such pass", () => {
    const s = new Store("apps/v1", "Deployment");
    clientSideApplied(s);
    s.update({ ...s.obj, spec: { ...s.spec, replicas: 5 } } as KubeObject, "kubectl-scale");
    expect(conflict(s.apply(manifest(3), "kubectl")).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
    );
    const s2 = new Store("apps/v1", "Deployment");
    clientSideApplied(s2);
    expect(conflict(s2.apply(manifest(3), "not-kubectl")).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
  });
});

function deepNest(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe("malformed apply requests", () => {
  const fail = (applied: unknown, live?: KubeObject): SsaError => {
    try {
      applyPatch({ live, applied, manager: "kubectl", now: T0, apiVersion: "apps/v1", kind: "Deployment" });
    } catch (err) {
      if (err instanceof SsaError) return err;
      throw err;
    }
    throw new Error("expected an SsaError");
  };

  test.each<[string, unknown, number, string]>([
    ["another kind", { apiVersion: "apps/v1", kind: "ReplicaSet" }, 400, "invalid object type: apps/v1, Kind=ReplicaSet"],
    ["a core-group kind", { apiVersion: "v1", kind: "Pod" }, 400, "invalid object type: /v1, Kind=Pod"],
    ["managedFields in the body", { ...deployment(), metadata: { name: "n", managedFields: [] } }, 400, "metadata.managedFields must be nil"],
    [
      "an undeclared field",
      { ...deployment(), spec: { replicas: 1, replica: 2 } },
      400,
      "failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema",
    ],
    ["a body that is not an object", [1], 400, "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ["a body nested too deeply", { ...deployment(), spec: deepNest(2000) }, 400, "error decoding patch: exceeded max depth of 1000"],
  ])("%s", (_name, applied, code, message) => {
    const err = fail(applied);
    expect([err.code, err.message]).toEqual([code, message]);
    expect(err.toStatus()).toMatchObject({ kind: "Status", status: "Failure", code, message, reason: "BadRequest" });
  });

  test("unreadable stored managedFields are a 500", () => {
    const live = { ...deployment(), metadata: { name: "nginx", managedFields: [{ operation: "Apply", fieldsType: "FieldsV1" }] } };
    const err = fail(deployment(), live);
    expect([err.code, err.message]).toEqual([500, "failed to decode managed fields: apiVersion must not be empty"]);
    expect(err.toStatus().reason).toBeUndefined();
  });

  test("inputs are not modified", () => {
    const s = new Store("apps/v1", "Deployment");
    ok(s.apply(deployment({ replicas: 1 }), "kubectl"));
    const live = JSON.parse(JSON.stringify(s.obj)) as KubeObject;
    const applied = deployment({ replicas: 2 });
    const appliedCopy = JSON.parse(JSON.stringify(applied)) as KubeObject;
    applyPatch({ live, applied, manager: "x", force: true, now: T0, apiVersion: "apps/v1", kind: "Deployment" });
    expect(live).toEqual(s.obj);
    expect(applied).toEqual(appliedCopy);
  });
});
