import { describe, expect, it } from "vitest";
import { applyDefaults, FEATURE_GATES, KIND_TABLE, kindKey, prepareForCreate } from "./index.ts";
import { defaulted, NOW_MS } from "./testing.ts";

const SERVED = [
  "v1/Namespace", "v1/Node", "v1/Pod", "v1/Service", "v1/Endpoints", "v1/Event", "v1/ConfigMap", "v1/Secret",
  "v1/ServiceAccount", "v1/LimitRange", "v1/ResourceQuota", "apps/v1/Deployment", "apps/v1/ReplicaSet",
  "apps/v1/DaemonSet", "apps/v1/StatefulSet", "apps/v1/ControllerRevision", "batch/v1/Job", "batch/v1/CronJob",
  "policy/v1/PodDisruptionBudget", "coordination.k8s.io/v1/Lease", "discovery.k8s.io/v1/EndpointSlice",
  "scheduling.k8s.io/v1/PriorityClass", "networking.k8s.io/v1/Ingress", "events.k8s.io/v1/Event",
];

describe("KIND_TABLE", () => {
  it("has exactly the served kinds, each naming what the registry still does on create", () => {
    expect([...KIND_TABLE.keys()].sort()).toEqual([...SERVED].sort());
    for (const entry of KIND_TABLE.values()) {
      expect(kindKey(entry.apiVersion, entry.kind)).toBe(`${entry.apiVersion}/${entry.kind}`);
      expect(entry.elsewhere.length).toBeGreaterThan(0);
    }
    expect(KIND_TABLE.get("v1/Service")?.elsewhere.join("\n")).toContain("ipFamilyPolicy");
  });

  it("states the feature gates it assumes", () => {
    expect(FEATURE_GATES.JobPodReplacementPolicy).toBe(true);
    expect(FEATURE_GATES.PodLevelResources).toBe(false);
  });
});

describe("applyDefaults", () => {
  it("defaults every item of a list kind", () => {
    const list = {
      apiVersion: "v1",
      kind: "SecretList",
      items: [{ metadata: { name: "a" } }, { metadata: { name: "b" }, type: "kubernetes.io/tls" }, "not an object"],
    };
    expect(defaulted(list).items).toEqual([
      { metadata: { name: "a" }, type: "Opaque" },
      { metadata: { name: "b" }, type: "kubernetes.io/tls" },
      "not an object",
    ]);
  });

  it("leaves kinds it does not serve alone", () => {
    const unknown = { apiVersion: "example.com/v1", kind: "Widget", spec: {} };
    expect(defaulted(unknown)).toEqual(unknown);
    const v1beta1 = { apiVersion: "batch/v1beta1", kind: "CronJob", spec: {} };
    expect(defaulted(v1beta1)).toEqual(v1beta1);
  });

  it("rejects a value without apiVersion and kind", () => {
    expect(() => applyDefaults({ kind: "Pod" })).toThrow(TypeError);
    expect(() => applyDefaults(null)).toThrow("applyDefaults: expected an object with string apiVersion and kind");
    expect(() => prepareForCreate([], { nowMs: NOW_MS })).toThrow(TypeError);
  });

  it("does not overwrite a member of the wrong type (the decoder or validation rejects it)", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: "nginx", securityContext: 3 } };
    expect(defaulted(pod).spec).toEqual({
      containers: "nginx",
      securityContext: 3,
      dnsPolicy: "ClusterFirst",
      enableServiceLinks: true,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
    });
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", spec: { strategy: "fast", template: [] } };
    expect(defaulted(deployment).spec).toEqual({
      strategy: "fast",
      template: [],
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
  });

  it("is idempotent, as re-defaulting on every read requires", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "nginx" }] } };
    const once = defaulted(pod);
    expect(defaulted(once)).toEqual(once);
  });
});
