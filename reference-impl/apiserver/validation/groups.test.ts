// PodDisruptionBudget, Lease, EndpointSlice, PriorityClass, Ingress and Events.
import { describe, expect, it } from "vitest";
import { type FieldError, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import { validateLease } from "./coordination.ts";
import { validateEndpointSlice, validateEndpointSliceUpdate } from "./discovery.ts";
import { validateEventCreate, validateEventUpdate } from "./event.ts";
import { named, updated } from "./fixtures.ts";
import { validateIngressCreate } from "./networking.ts";
import { validatePodDisruptionBudget } from "./policy.ts";
import { validatePriorityClass, validatePriorityClassUpdate } from "./scheduling.ts";

type Obj = Record<string, unknown>;

function messages(errs: readonly FieldError[]): string[] {
  return errs.map(fieldErrorString);
}

describe("PodDisruptionBudget", () => {
  const pdb = (spec: Obj): Obj => named("PodDisruptionBudget", "policy/v1", "web", "default", { spec: { selector: { matchLabels: { app: "web" } }, ...spec } });
  it.each<[string, Obj, string[]]>([
    ["minAvailable", { minAvailable: 1 }, []],
    ["maxUnavailable percent", { maxUnavailable: "50%" }, []],
    [
      "both set",
      { minAvailable: 1, maxUnavailable: 1 },
      ['spec: Invalid value: {"selector":{"matchLabels":{"app":"web"}},"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set'],
    ],
    ["negative", { minAvailable: -1 }, ["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]],
    [
      "over 100%",
      { maxUnavailable: "150%" },
      ['spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%'],
    ],
    [
      "eviction policy",
      { minAvailable: 1, unhealthyPodEvictionPolicy: "Never" },
      ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'],
    ],
  ])("%s", (_name, spec, expected) => expect(messages(validatePodDisruptionBudget(pdb(spec)))).toEqual(expected));
});

describe("Lease", () => {
  it("checks durations", () => {
    const lease = named("Lease", "coordination.k8s.io/v1", "node-1", "kube-node-lease", { spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } });
    expect(messages(validateLease(lease))).toEqual([
      "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
      "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
});

describe("EndpointSlice", () => {
  const slice = (body: Obj): Obj =>
    named("EndpointSlice", "discovery.k8s.io/v1", "web-abc", "default", {
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.0.0.1"], conditions: { ready: true } }],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
      ...body,
    });
  it.each<[string, Obj, string[]]>([
    ["valid", {}, []],
    ["address type", { addressType: "IPv5" }, ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']],
    ["IPv6 in an IPv4 slice", { endpoints: [{ addresses: ["fd00::1"] }] }, ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']],
    ["no addresses", { endpoints: [{ addresses: [] }] }, ["endpoints[0].addresses: Required value: must contain at least 1 address"]],
    [
      "duplicate port names",
      { ports: [{ name: "", port: 80, protocol: "TCP" }, { name: "", port: 81, protocol: "TCP" }] },
      ['ports[1].name: Duplicate value: ""'],
    ],
  ])("%s", (_name, body, expected) => expect(messages(validateEndpointSlice(slice(body)))).toEqual(expected));

  it("keeps the address type", () => {
    const old = slice({});
    const next = updated(old, (o) => {
      o["addressType"] = "FQDN";
      o["endpoints"] = [{ addresses: ["web.example.com"] }];
    });
    expect(messages(validateEndpointSliceUpdate(next, old))).toEqual(['addressType: Invalid value: "FQDN": field is immutable']);
  });
});

describe("PriorityClass", () => {
  const pc = (name: string, value: number, extra: Obj = {}): Obj =>
    named("PriorityClass", "scheduling.k8s.io/v1", name, undefined, { value, preemptionPolicy: "PreemptLowerPriority", ...extra });
  it.each<[string, Obj, string[]]>([
    ["user class", pc("high", 1000), []],
    ["built-in class", pc("system-node-critical", 2000001000), []],
    ["too high", pc("high", 1000000001), ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]],
    [
      "reserved prefix",
      pc("system-mine", 10),
      ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"],
    ],
    [
      "wrong built-in value",
      pc("system-cluster-critical", 5),
      [
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000",
      ],
    ],
  ])("%s", (_name, obj, expected) => expect(messages(validatePriorityClass(obj))).toEqual(expected));

  it("keeps the value", () => {
    const old = pc("high", 1000);
    expect(messages(validatePriorityClassUpdate(updated(old, (o) => (o["value"] = 2000)), old))).toEqual(["value: Forbidden: may not be changed in an update."]);
  });
});

describe("Ingress", () => {
  const backend = { service: { name: "web", port: { number: 80 } } };
  const ingress = (spec: Obj, annotations?: Record<string, string>): Obj => {
    const obj = named("Ingress", "networking.k8s.io/v1", "web", "default", { spec });
    if (annotations !== undefined) (obj["metadata"] as Obj)["annotations"] = annotations;
    return obj;
  };
  it.each<[string, Obj, string[]]>([
    ["valid", { rules: [{ host: "a.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend }] } }] }, []],
    ["nothing to route", {}, ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]],
    [
      "IP host",
      { rules: [{ host: "10.0.0.1", http: { paths: [{ path: "/", pathType: "Prefix", backend }] } }] },
      ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    ],
    [
      "relative path",
      { rules: [{ http: { paths: [{ path: "api", pathType: "Exact", backend }] } }] },
      ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    ],
    [
      "missing pathType",
      { rules: [{ http: { paths: [{ path: "/", backend }] } }] },
      ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
    ],
    [
      "backend port missing",
      { defaultBackend: { service: { name: "web", port: {} } } },
      ["spec.defaultBackend: Required value: port name or number is required"],
    ],
  ])("%s", (_name, spec, expected) => expect(messages(validateIngressCreate(ingress(spec)))).toEqual(expected));

  it("rejects the class annotation together with the field", () => {
    const obj = ingress({ defaultBackend: backend, ingressClassName: "nginx" }, { "kubernetes.io/ingress.class": "nginx" });
    expect(messages(validateIngressCreate(obj))).toEqual(['annotations.kubernetes.io/ingress.class: Invalid value: "nginx": can not be set when the class field is also set']);
  });
});

describe("Event", () => {
  it("gives core/v1 events only the legacy checks", () => {
    const e = named("Event", "v1", "web.1", "default", { involvedObject: { kind: "Pod", namespace: "other", name: "web" }, reason: "x" });
    expect(messages(validateEventCreate(e))).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  });

  it("applies the strict rules to events.k8s.io/v1", () => {
    const e = named("Event", "events.k8s.io/v1", "web.1", "default", {
      eventTime: "2025-01-01T00:00:00.000000Z",
      regarding: { kind: "Pod", namespace: "default", name: "web" },
      reportingController: "example.com/ctl",
      reportingInstance: "ctl-1",
      action: "Scale",
      reason: "r".repeat(129),
      type: "Info",
      deprecatedCount: 3,
    });
    expect(messages(validateEventCreate(e))).toEqual([
      'reason: Invalid value: "": can have at most 128 characters',
      'type: Invalid value: "": has invalid value: Info',
      'count: Invalid value: "": needs to be unset',
    ]);
  });

  it("keeps events.k8s.io/v1 fields immutable", () => {
    const e = named("Event", "events.k8s.io/v1", "web.1", "default", {
      eventTime: "2025-01-01T00:00:00.000000Z",
      regarding: { kind: "Pod", namespace: "default", name: "web" },
      reportingController: "example.com/ctl",
      reportingInstance: "ctl-1",
      action: "Scale",
      reason: "Scaled",
      type: "Normal",
    });
    const next = updated(e, (o) => (o["note"] = "changed"));
    expect(messages(validateEventUpdate(next, e))).toEqual(['message: Invalid value: "changed": field is immutable']);
  });
});
