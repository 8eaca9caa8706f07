import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import * as f from "./fixtures.ts";
import { invalidStatusFor, KIND_VALIDATIONS, kindValidation, validateCreate, validateUpdate } from "./index.ts";

type Obj = Record<string, unknown>;

const backend = { service: { name: "web", port: { number: 80 } } };
const eventTime = "2025-01-01T00:00:00.000000Z";

/** One valid, defaulted object per served kind. */
const VALID: readonly Obj[] = [
  f.named("Namespace", "v1", "team-a", undefined),
  f.named("Node", "v1", "node-1", undefined, { spec: {} }),
  f.pod(),
  f.service(),
  f.named("Endpoints", "v1", "web", "default", { subsets: [{ addresses: [{ ip: "10.0.0.5" }], ports: [{ port: 80, protocol: "TCP" }] }] }),
  f.named("Event", "v1", "web.1", "default", { involvedObject: { kind: "Pod", namespace: "default", name: "web" }, reason: "Started" }),
  f.named("ConfigMap", "v1", "settings", "default", { data: { a: "1" } }),
  f.named("Secret", "v1", "creds", "default", { type: "Opaque", data: { a: "MQ==" } }),
  f.named("ServiceAccount", "v1", "robot", "default"),
  f.named("LimitRange", "v1", "limits", "default", { spec: { limits: [{ type: "Container", default: { cpu: "1" }, defaultRequest: { cpu: "500m" } }] } }),
  f.named("ResourceQuota", "v1", "quota", "default", { spec: { hard: { pods: "10", "requests.cpu": "4" } } }),
  f.deployment(),
  f.replicaSet(),
  f.daemonSet(),
  f.statefulSet(),
  f.named("ControllerRevision", "apps/v1", "web-1", "default", { data: {}, revision: 1 }),
  f.job(),
  f.cronJob(),
  f.named("PodDisruptionBudget", "policy/v1", "web", "default", { spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } } }),
  f.named("Lease", "coordination.k8s.io/v1", "node-1", "kube-node-lease", { spec: { holderIdentity: "node-1", leaseDurationSeconds: 40 } }),
  f.named("EndpointSlice", "discovery.k8s.io/v1", "web-abc", "default", { addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.5"] }], ports: [] }),
  f.named("PriorityClass", "scheduling.k8s.io/v1", "high", undefined, { value: 1000, preemptionPolicy: "PreemptLowerPriority" }),
  f.named("Ingress", "networking.k8s.io/v1", "web", "default", { spec: { defaultBackend: backend } }),
  f.named("Event", "events.k8s.io/v1", "web.2", "default", {
    eventTime,
    regarding: { kind: "Pod", namespace: "default", name: "web" },
    reportingController: "example.com/ctl",
    reportingInstance: "ctl-1",
    action: "Start",
    reason: "Started",
    type: "Normal",
  }),
];

describe("served kinds", () => {
  it("has one entry per served kind", () => {
    expect(KIND_VALIDATIONS.map((k) => `${k.apiVersion}/${k.kind}`)).toEqual(VALID.map((o) => `${String(o["apiVersion"])}/${String(o["kind"])}`));
  });

  it.each(VALID.map((o) => [`${String(o["apiVersion"])} ${String(o["kind"])}`, o] as const))("accepts a valid %s on create and on a no-op update", (_n, obj) => {
    expect(validateCreate(obj as KubeObject).map(fieldErrorString)).toEqual([]);
    const next = f.updated(obj, () => undefined);
    expect(validateUpdate(next as KubeObject, obj as KubeObject).map(fieldErrorString)).toEqual([]);
  });

  it("throws for a kind it does not serve", () => {
    expect(kindValidation({ apiVersion: "v1", kind: "PersistentVolume" })).toBeUndefined();
    expect(() => validateCreate({ apiVersion: "v1", kind: "PersistentVolume" })).toThrow("no validation for v1/PersistentVolume");
  });
});

describe("rest.BeforeCreate and BeforeUpdate composition", () => {
  it("checks path-segment names only after the strategy found nothing", () => {
    const pdb = f.named("PodDisruptionBudget", "policy/v1", "a%b", "default", { spec: { minAvailable: 1 } });
    expect(validateCreate(pdb as KubeObject).map(fieldErrorString)).toEqual([`metadata.name: Invalid value: "a%b": may not contain '%'`]);
    const both = f.named("PodDisruptionBudget", "policy/v1", "a%b", "default", { spec: { minAvailable: -1 } });
    expect(validateCreate(both as KubeObject).map(fieldErrorString)).toEqual(["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]);
  });

  it("reports generic metadata errors first on update, repeating upstream's duplicates", () => {
    const old = f.deployment();
    const next = f.updated(old, (o) => ((o["metadata"] as Obj)["uid"] = "other"));
    expect(validateUpdate(next as KubeObject, old as KubeObject).map(fieldErrorString)).toEqual([
      'metadata.uid: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "other": field is immutable',
    ]);
  });
});

describe("the 422 Status", () => {
  it("matches upstream for a Deployment whose selector does not match its template", () => {
    const d = f.deployment({ template: f.template({ app: "other" }) });
    const status = invalidStatusFor(d as KubeObject, validateCreate(d as KubeObject));
    expect(status?.message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
    expect(status?.details?.causes).toEqual([
      {
        reason: "FieldValueInvalid",
        message: 'Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
        field: "spec.template.metadata.labels",
      },
    ]);
  });

  it("is undefined without errors", () => {
    expect(invalidStatusFor(f.pod() as KubeObject, [])).toBeUndefined();
  });
});
