import { describe, expect, it } from "vitest";
import { type FieldError, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import {
  validateControllerRevision,
  validateDaemonSet,
  validateDeployment,
  validateDeploymentUpdate,
  validateReplicaSet,
  validateReplicaSetUpdate,
  validateStatefulSet,
  validateStatefulSetUpdate,
} from "./apps.ts";
import { container, daemonSet, deployment, named, replicaSet, statefulSet, template, updated } from "./fixtures.ts";

type Obj = Record<string, unknown>;

function messages(errs: readonly FieldError[]): string[] {
  return errs.map(fieldErrorString);
}

const ZERO = 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}';

describe("Deployment", () => {
  it("accepts a defaulted deployment", () => {
    expect(messages(validateDeployment(deployment()))).toEqual([]);
  });

  it.each<[string, Obj, string[]]>([
    [
      "selector not matching the template labels",
      { template: template({ app: "other" }) },
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`'],
    ],
    [
      "template without labels",
      { template: { metadata: {}, spec: template()["spec"] } },
      ["spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"],
    ],
    [
      "missing selector",
      { selector: undefined },
      [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    [
      "empty selector",
      { selector: {} },
      ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"],
    ],
    ["negative replicas", { replicas: -1 }, ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]],
    [
      "maxSurge and maxUnavailable both 0",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } },
      [`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: ${ZERO}: may not be 0 when \`maxSurge\` is 0`],
    ],
    [
      "both 0%",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0%", maxSurge: "0%" } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
    ],
    [
      "maxUnavailable over 100%",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "101%", maxSurge: 1 } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%'],
    ],
    [
      "maxSurge neither int nor percent",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: "lots" } } },
      [
        `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      ],
    ],
    [
      "negative maxUnavailable",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: -1, maxSurge: 1 } } },
      ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "rollingUpdate with Recreate",
      { strategy: { type: "Recreate", rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      "unknown strategy",
      { strategy: { type: "BlueGreen" } },
      [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
      ],
    ],
    ["negative revisionHistoryLimit", { revisionHistoryLimit: -1 }, ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"]],
    [
      "progressDeadlineSeconds not above minReadySeconds",
      { minReadySeconds: 600, progressDeadlineSeconds: 600 },
      ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
    ],
    [
      "template restartPolicy Never",
      { template: template({ app: "web" }, { restartPolicy: "Never" }) },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      "template activeDeadlineSeconds",
      { template: template({ app: "web" }, { activeDeadlineSeconds: 10 }) },
      ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"],
    ],
    [
      "template pod spec errors",
      { template: template({ app: "web" }, { containers: [container("a"), container("a")] }) },
      ['spec.template.spec.containers[1].name: Duplicate value: "a"'],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateDeployment(deployment(spec)))).toEqual(expected);
  });

  it("makes the selector immutable", () => {
    const old = deployment();
    const next = updated(old, (o) => {
      const spec = o["spec"] as Obj;
      spec["selector"] = { matchLabels: { app: "b" } };
      spec["template"] = template({ app: "b" });
    });
    expect(messages(validateDeploymentUpdate(next, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it("lets the template and replicas change", () => {
    const old = deployment();
    const next = updated(old, (o) => {
      (o["spec"] as Obj)["replicas"] = 5;
      ((((o["spec"] as Obj)["template"] as Obj)["spec"] as Obj)["containers"] as Obj[])[0]!["image"] = "nginx:1.28";
    });
    expect(messages(validateDeploymentUpdate(next, old))).toEqual([]);
  });
});

describe("ReplicaSet", () => {
  it("accepts a valid one and uses upstream's 'deployment' wording for an empty selector", () => {
    expect(messages(validateReplicaSet(replicaSet()))).toEqual([]);
    expect(messages(validateReplicaSet(replicaSet({ selector: { matchLabels: {} } })))).toEqual([
      "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    ]);
  });

  it("makes the selector immutable", () => {
    const old = replicaSet();
    const next = updated(old, (o) => ((o["spec"] as Obj)["selector"] = { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] }));
    expect(messages(validateReplicaSetUpdate(next, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string{"web"}}}}: field is immutable',
    ]);
  });
});

describe("DaemonSet", () => {
  it.each<[string, Obj, string[]]>([
    ["valid", {}, []],
    [
      "maxSurge and maxUnavailable both non-zero",
      { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } },
      ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero'],
    ],
    [
      "both zero",
      { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } },
      ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
    ],
    [
      "template labels",
      { template: template({ app: "x" }) },
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    ],
    [
      "OnFailure pods",
      { template: template({ app: "web" }, { restartPolicy: "OnFailure" }) },
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateDaemonSet(daemonSet(spec)))).toEqual(expected);
  });
});

describe("StatefulSet", () => {
  it.each<[string, Obj, string[]]>([
    ["valid", {}, []],
    [
      "bad pod management policy",
      { podManagementPolicy: "Eager" },
      [`spec.podManagementPolicy: Invalid value: "Eager": must be 'OrderedReady' or 'Parallel'`],
    ],
    [
      "empty selector",
      { selector: { matchLabels: {} } },
      [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset",
      ],
    ],
    // Upstream does not validate a StatefulSet template's pod spec (only labels and annotations).
    ["template pod spec is not validated", { template: template({ app: "web" }, { containers: [container("a"), container("a")] }) }, []],
    ["negative partition", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: -1 } } }, [
      "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
    ]],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateStatefulSet(statefulSet(spec)))).toEqual(expected);
  });

  it("names must be DNS labels", () => {
    const s = statefulSet();
    (s["metadata"] as Obj)["name"] = "db.primary";
    expect(messages(validateStatefulSet(s))).toEqual(['metadata.name: Invalid value: "db.primary": must not contain dots']);
  });

  it("forbids spec updates outside the mutable fields", () => {
    const old = statefulSet();
    const ok = updated(old, (o) => {
      (o["spec"] as Obj)["replicas"] = 3;
      (o["spec"] as Obj)["minReadySeconds"] = 5;
    });
    expect(messages(validateStatefulSetUpdate(ok, old))).toEqual([]);
    const bad = updated(old, (o) => ((o["spec"] as Obj)["serviceName"] = "other"));
    expect(messages(validateStatefulSetUpdate(bad, old))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe("ControllerRevision", () => {
  it("requires data and a non-negative revision", () => {
    const cr = named("ControllerRevision", "apps/v1", "web-1", "default", { revision: -1 });
    expect(messages(validateControllerRevision(cr))).toEqual([
      "data: Required value: data is mandatory",
      "revision: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
});
