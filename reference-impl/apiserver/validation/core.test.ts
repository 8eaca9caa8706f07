import { describe, expect, it } from "vitest";
import { type FieldError, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateEndpoints,
  validateLimitRange,
  validateNamespace,
  validateNode,
  validateResourceQuota,
  validateResourceQuotaUpdate,
  validateSecret,
  validateSecretUpdate,
} from "./core.ts";
import { named, updated } from "./fixtures.ts";

type Obj = Record<string, unknown>;

function messages(errs: readonly FieldError[]): string[] {
  return errs.map(fieldErrorString);
}

const cm = (body: Obj): Obj => named("ConfigMap", "v1", "settings", "default", body);
const secret = (body: Obj): Obj => named("Secret", "v1", "creds", "default", { type: "Opaque", ...body });
const node = (spec: Obj, status: Obj = {}): Obj => named("Node", "v1", "node-1", undefined, { spec, status });

describe("Namespace", () => {
  it("requires a DNS label name and known finalizers", () => {
    expect(messages(validateNamespace(named("Namespace", "v1", "team-a", undefined)))).toEqual([]);
    expect(messages(validateNamespace(named("Namespace", "v1", "team.a", undefined)))).toEqual(['metadata.name: Invalid value: "team.a": must not contain dots']);
    expect(messages(validateNamespace(named("Namespace", "v1", "team-a", undefined, { spec: { finalizers: ["custom"] } })))).toEqual([
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it("forbids a namespace on cluster-scoped kinds", () => {
    expect(messages(validateNamespace(named("Namespace", "v1", "a", "default")))).toEqual(["metadata.namespace: Forbidden: not allowed on this type"]);
  });
});

describe("ConfigMap", () => {
  it.each<[string, Obj, string[]]>([
    ["valid", { data: { "app.properties": "x=1" }, binaryData: { blob: "AAEC" } }, []],
    [
      "key with a slash",
      { data: { "a/b": "x" } },
      [`data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`],
    ],
    ["key '..'", { data: { "..": "x" } }, [`data[..]: Invalid value: "..": must not be '..'`]],
    ["key in data and binaryData", { data: { k: "x" }, binaryData: { k: "AA==" } }, ['data[k]: Invalid value: "k": duplicate of key present in binaryData']],
    ["over 1 MiB", { data: { big: "x".repeat(1024 * 1024 + 1) } }, [": Too long: may not be more than 1048576 bytes"]],
  ])("%s", (_name, body, expected) => {
    expect(messages(validateConfigMap(cm(body)))).toEqual(expected);
  });

  it("keeps immutable config maps immutable", () => {
    const old = cm({ immutable: true, data: { a: "1" } });
    const next = updated(old, (o) => ((o["data"] as Obj)["a"] = "2"));
    expect(messages(validateConfigMapUpdate(next, old))).toEqual(["data: Forbidden: field is immutable when `immutable` is set"]);
  });
});

describe("Secret", () => {
  it.each<[string, Obj, string[]]>([
    ["valid", { data: { password: "c2VjcmV0" } }, []],
    ["tls without key", { type: "kubernetes.io/tls", data: { "tls.crt": "AA==" } }, ["data[tls.key]: Required value"]],
    [
      "service account token without the annotation",
      { type: "kubernetes.io/service-account-token" },
      ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
    ],
    [
      "basic auth without fields",
      { type: "kubernetes.io/basic-auth" },
      ["data[username]: Required value", "data[password]: Required value"],
    ],
    ["stringData counts as data", { type: "kubernetes.io/basic-auth", stringData: { username: "u" } }, []],
    ["over 1 MiB", { data: { big: "A".repeat(1400000) } }, ["data: Too long: may not be more than 1048576 bytes"]],
  ])("%s", (_name, body, expected) => {
    expect(messages(validateSecret(secret(body)))).toEqual(expected);
  });

  it("keeps the type", () => {
    const old = secret({});
    const next = updated(old, (o) => (o["type"] = "kubernetes.io/tls"));
    expect(messages(validateSecretUpdate(next, old))).toEqual([
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
      "data[tls.crt]: Required value",
      "data[tls.key]: Required value",
    ]);
  });
});

describe("Node", () => {
  it.each<[string, Obj, string[]]>([
    ["valid taints", { taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] }, []],
    [
      "taint effect",
      { taints: [{ key: "gpu", effect: "Maybe" }] },
      ['metadata.taints[0].effect: Unsupported value: "Maybe": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ],
    ["taint without effect", { taints: [{ key: "gpu" }] }, ["metadata.taints[0].effect: Required value"]],
    [
      "duplicate key and effect",
      {
        taints: [
          { key: "gpu", value: "a", effect: "NoSchedule" },
          { key: "gpu", value: "b", effect: "NoSchedule" },
        ],
      },
      [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"gpu", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      ],
    ],
    ["pod CIDR", { podCIDRs: ["10.0.0.0/33"] }, ['spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateNode(node(spec)))).toEqual(expected);
  });

  it("checks status quantities", () => {
    expect(messages(validateNode(node({}, { capacity: { pods: "1.5" } })))).toEqual(['status.capacity.pods: Invalid value: "1500m": must be an integer']);
  });
});

describe("Endpoints", () => {
  it("checks addresses and ports", () => {
    const ep = named("Endpoints", "v1", "web", "default", {
      subsets: [{ addresses: [{ ip: "127.0.0.1" }], ports: [{ name: "a", port: 80, protocol: "TCP" }, { port: 81, protocol: "TCP" }] }, {}],
    });
    expect(messages(validateEndpoints(ep))).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      "subsets[0].ports[1].name: Required value",
      "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`",
    ]);
  });
});

describe("LimitRange", () => {
  it("orders min, default and max", () => {
    const lr = named("LimitRange", "v1", "limits", "default", {
      spec: { limits: [{ type: "Container", min: { cpu: "2" }, max: { cpu: "1" }, default: { cpu: "500m" } }] },
    });
    expect(messages(validateLimitRange(lr))).toEqual([
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 500m',
    ]);
  });

  it("forbids defaults for pods", () => {
    const lr = named("LimitRange", "v1", "limits", "default", { spec: { limits: [{ type: "Pod", default: { cpu: "1" } }] } });
    expect(messages(validateLimitRange(lr))).toEqual(["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"]);
  });
});

describe("ResourceQuota", () => {
  it("checks resource names and scopes", () => {
    const rq = named("ResourceQuota", "v1", "quota", "default", {
      spec: { hard: { pods: "10", widgets: "1" }, scopes: ["BestEffort", "NotBestEffort"] },
    });
    expect(messages(validateResourceQuota(rq))).toEqual([
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
      'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
    ]);
  });

  it("keeps scopes on update", () => {
    const old = named("ResourceQuota", "v1", "quota", "default", { spec: { hard: { pods: "10" }, scopes: ["NotTerminating"] } });
    const next = updated(old, (o) => ((o["spec"] as Obj)["scopes"] = ["Terminating"]));
    expect(messages(validateResourceQuotaUpdate(next, old))).toEqual([
      'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating"}: field is immutable',
    ]);
  });
});
