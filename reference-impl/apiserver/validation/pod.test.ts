import { describe, expect, it } from "vitest";
import { type FieldError, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import { clone, container, pod, updated } from "./fixtures.ts";
import { UPDATABLE_POD_SPEC_FIELDS, validatePodCreate, validatePodUpdate } from "./pod.ts";

type Obj = Record<string, unknown>;

function messages(errs: readonly FieldError[]): string[] {
  return errs.map(fieldErrorString);
}

function create(spec: Obj = {}, extra: Obj = {}): string[] {
  return messages(validatePodCreate(pod(extra, spec)));
}

// Upstream's RegexError really joins examples with "',  or '" (two spaces).
const DNS_LABEL_REGEX =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe("ValidatePodCreate", () => {
  it("accepts a defaulted pod", () => {
    expect(create()).toEqual([]);
  });

  it.each<[string, Obj, string[]]>([
    ["no containers", { containers: [] }, ["spec.containers: Required value"]],
    [
      "duplicate container names",
      { containers: [container("a"), container("a")] },
      ['spec.containers[1].name: Duplicate value: "a"'],
    ],
    [
      "init container named like a regular one",
      { containers: [container("a")], initContainers: [container("a")] },
      ['spec.initContainers[0].name: Duplicate value: "a"'],
    ],
    ["missing container name", { containers: [container("")] }, ["spec.containers[0].name: Required value"]],
    [
      "container name not a DNS label",
      { containers: [container("Web_1")] },
      [`spec.containers[0].name: Invalid value: "Web_1": ${DNS_LABEL_REGEX}`],
    ],
    ["missing image", { containers: [container("a", { image: "" })] }, ["spec.containers[0].image: Required value"]],
    [
      "image with spaces",
      { containers: [container("a", { image: " nginx" })] },
      ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ],
    [
      "container port out of range",
      { containers: [container("a", { ports: [{ containerPort: 70000, protocol: "TCP" }] })] },
      ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ],
    [
      "container port missing",
      { containers: [container("a", { ports: [{ protocol: "TCP" }] })] },
      ["spec.containers[0].ports[0].containerPort: Required value"],
    ],
    [
      "duplicate port names",
      {
        containers: [
          container("a", {
            ports: [
              { name: "http", containerPort: 80, protocol: "TCP" },
              { name: "http", containerPort: 81, protocol: "TCP" },
            ],
          }),
        ],
      },
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      "port name longer than 15",
      { containers: [container("a", { ports: [{ name: "a-very-long-name-x", containerPort: 80, protocol: "TCP" }] })] },
      ['spec.containers[0].ports[0].name: Invalid value: "a-very-long-name-x": must be no more than 15 characters'],
    ],
    [
      "unsupported protocol",
      { containers: [container("a", { ports: [{ containerPort: 80, protocol: "HTTP" }] })] },
      ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      "requests above limits",
      { containers: [container("a", { resources: { limits: { cpu: "500m" }, requests: { cpu: "1" } } })] },
      ['spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    ],
    [
      "negative quantity",
      { containers: [container("a", { resources: { requests: { memory: "-1Mi" } } })] },
      ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0'],
    ],
    [
      "unsupported resource name",
      { containers: [container("a", { resources: { requests: { pods: "1" } } })] },
      ['spec.containers[0].resources.requests[pods]: Invalid value: "pods": must be a standard resource for containers'],
    ],
    [
      "unknown unqualified resource",
      { containers: [container("a", { resources: { limits: { gpu: "1" } } })] },
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      "extended resource request without limit",
      { containers: [container("a", { resources: { requests: { "example.com/gpu": "1" } } })] },
      ["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"],
    ],
    [
      "restart policy",
      { restartPolicy: "Sometimes" },
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      "dns policy",
      { dnsPolicy: "Google" },
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    ["missing terminationGracePeriodSeconds", { terminationGracePeriodSeconds: undefined }, ["spec.terminationGracePeriodSeconds: Required value"]],
    [
      "activeDeadlineSeconds zero",
      { activeDeadlineSeconds: 0 },
      ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
    ],
    [
      "probe with negative period and two successes",
      {
        containers: [
          container("a", {
            livenessProbe: { httpGet: { path: "/", port: 80, scheme: "HTTP" }, periodSeconds: -1, timeoutSeconds: 1, successThreshold: 2, failureThreshold: 3 },
          }),
        ],
      },
      [
        "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
      ],
    ],
    [
      "probe without a handler",
      { containers: [container("a", { readinessProbe: { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } })] },
      ["spec.containers[0].readinessProbe: Required value: must specify a handler type"],
    ],
    [
      "duplicate volume names and an unknown mount",
      {
        volumes: [
          { name: "data", emptyDir: {} },
          { name: "data", emptyDir: {} },
        ],
        containers: [container("a", { volumeMounts: [{ name: "cache", mountPath: "/cache" }] })],
      },
      ['spec.volumes[1].name: Duplicate value: "data"', 'spec.containers[0].volumeMounts[0].name: Not found: "cache"'],
    ],
    ["volume without a source", { volumes: [{ name: "data" }] }, ["spec.volumes[0]: Required value: must specify a volume type"]],
    [
      "two volume sources",
      { volumes: [{ name: "data", emptyDir: {}, configMap: { name: "cm" } }] },
      ["spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"],
    ],
    [
      "env var name with '='",
      { containers: [container("a", { env: [{ name: "A=B", value: "x" }] })] },
      [
        `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      ],
    ],
    [
      "toleration Exists with a value",
      { tolerations: [{ key: "k", operator: "Exists", value: "v" }] },
      [`spec.tolerations[0].operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`],
    ],
    [
      "tolerationSeconds on NoSchedule",
      { tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 5 }] },
      [`spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`],
    ],
    [
      "toleration effect",
      { tolerations: [{ key: "k", operator: "Exists", effect: "Sometimes" }] },
      ['spec.tolerations[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ],
    [
      "toleration without key must be Exists",
      { tolerations: [{ operator: "Equal", value: "v" }] },
      [`spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`],
    ],
    [
      "node selector value",
      { nodeSelector: { zone: "a b" } },
      [
        `spec.nodeSelector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      "preferred node affinity weight",
      {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 0, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] } },
            ],
          },
        },
      },
      ["spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100"],
    ],
    [
      "required node affinity without terms",
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
      [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
      ],
    ],
    [
      "host port must match container port with hostNetwork",
      { hostNetwork: true, containers: [container("a", { ports: [{ containerPort: 80, hostPort: 8080, protocol: "TCP" }] })] },
      ["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"],
    ],
    [
      "conflicting host ports",
      {
        containers: [
          container("a", { ports: [{ containerPort: 80, hostPort: 8080, protocol: "TCP" }] }),
          container("b", { ports: [{ containerPort: 81, hostPort: 8080, protocol: "TCP" }] }),
        ],
      },
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ],
    [
      "restartPolicy on a regular container",
      { containers: [container("a", { restartPolicy: "Always" })] },
      ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"],
    ],
    [
      "probe on a non-sidecar init container",
      { initContainers: [container("init", { livenessProbe: { exec: { command: ["true"] }, successThreshold: 1 } })] },
      ["spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"],
    ],
    [
      "ephemeral containers on create",
      { ephemeralContainers: [{ ...container("debug"), targetContainerName: "app" }] },
      ["spec.ephemeralContainers: Forbidden: cannot be set on create"],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(create(spec)).toEqual(expected);
  });

  it("validates the name and namespace", () => {
    const p = pod();
    (p["metadata"] as Obj)["name"] = "";
    (p["metadata"] as Obj)["namespace"] = "";
    expect(messages(validatePodCreate(p))).toEqual([
      "metadata.name: Required value: name or generateName is required",
      "metadata.namespace: Required value",
    ]);
  });

  it("requires spec.nodeName for a mirror pod", () => {
    expect(create({}, { metadata: { name: "m", namespace: "default", annotations: { "kubernetes.io/config.mirror": "x" } } })).toEqual([
      'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set',
    ]);
  });
});

describe("ValidatePodUpdate", () => {
  const old = pod({}, { tolerations: [{ key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }], activeDeadlineSeconds: 100 });
  const update = (mutate: (spec: Obj) => void): string[] =>
    messages(validatePodUpdate(updated(old, (o) => mutate(o["spec"] as Obj)), old));

  it("allows the mutable fields to change", () => {
    expect(
      update((s) => {
        (s["containers"] as Obj[])[0]!["image"] = "nginx:1.28";
        s["activeDeadlineSeconds"] = 50;
        (s["tolerations"] as Obj[])[0]!["tolerationSeconds"] = 20;
        (s["tolerations"] as Obj[]).push({ key: "b", operator: "Exists" });
      }),
    ).toEqual([]);
  });

  it("forbids other spec changes with upstream's message and a diff", () => {
    const errs = validatePodUpdate(updated(old, (o) => (((o["spec"] as Obj)["containers"] as Obj[])[0]!["name"] = "other")), old);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.field).toBe("spec");
    expect(errs[0]!.type).toBe("FieldValueForbidden");
    const prefix =
      "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`," +
      "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n";
    expect(UPDATABLE_POD_SPEC_FIELDS.join(",") + "\n").toBe(prefix.slice("pod updates may not change fields other than ".length));
    expect(errs[0]!.detail.startsWith(prefix)).toBe(true);
    expect(errs[0]!.detail).toContain('- \tContainers[0].Name: "app",');
    expect(errs[0]!.detail).toContain('+ \tContainers[0].Name: "other",');
  });

  it.each<[string, (s: Obj) => void, string[]]>([
    [
      "raising activeDeadlineSeconds",
      (s) => (s["activeDeadlineSeconds"] = 200),
      ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"],
    ],
    [
      "unsetting activeDeadlineSeconds",
      (s) => delete s["activeDeadlineSeconds"],
      ['spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value'],
    ],
    [
      "changing an existing toleration",
      (s) => ((s["tolerations"] as Obj[])[0]!["key"] = "z"),
      ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"],
    ],
    ["adding a container", (s) => (s["containers"] as Obj[]).push(container("b")), ["spec.containers: Forbidden: pod updates may not add or remove containers"]],
    ["clearing an image", (s) => ((s["containers"] as Obj[])[0]!["image"] = ""), ["spec.containers[0].image: Required value", "spec.containers[0].image: Required value"]],
  ])("rejects %s", (_name, mutate, expected) => {
    expect(update(mutate)).toEqual(expected);
  });

  it("allows removing scheduling gates but not adding them", () => {
    const gated = pod({}, { schedulingGates: [{ name: "example.com/wait" }] });
    expect(messages(validatePodUpdate(updated(gated, (o) => delete (o["spec"] as Obj)["schedulingGates"]), gated))).toEqual([]);
    const added = updated(gated, (o) => ((o["spec"] as Obj)["schedulingGates"] as Obj[]).push({ name: "example.com/more" }));
    expect(messages(validatePodUpdate(added, gated))).toEqual([
      "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'",
    ]);
  });

  it("lets a gated pod add node selectors", () => {
    const gated = pod({}, { schedulingGates: [{ name: "example.com/wait" }], nodeSelector: { zone: "a" } });
    const added = updated(gated, (o) => ((o["spec"] as Obj)["nodeSelector"] = { zone: "a", disk: "ssd" }));
    expect(messages(validatePodUpdate(added, gated))).toEqual([]);
    const changed = updated(gated, (o) => ((o["spec"] as Obj)["nodeSelector"] = { zone: "b" }));
    expect(messages(validatePodUpdate(changed, gated))).toEqual([
      'spec.nodeSelector: Invalid value: map[string]string{"zone":"b"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)',
    ]);
  });

  it("allows terminationGracePeriodSeconds to go from negative to 1", () => {
    const negative = pod({}, { terminationGracePeriodSeconds: -1 });
    expect(messages(validatePodUpdate(updated(negative, (o) => ((o["spec"] as Obj)["terminationGracePeriodSeconds"] = 1)), negative))).toEqual([]);
  });

  it("treats equal quantities written differently as unchanged", () => {
    const p = pod({}, { containers: [container("a", { resources: { requests: { cpu: "1" } } })] });
    const same = updated(p, (o) => ((((o["spec"] as Obj)["containers"] as Obj[])[0]!["resources"] as Obj)["requests"] = { cpu: "1000m" }));
    expect(messages(validatePodUpdate(same, p))).toEqual([]);
  });

  it("checks metadata updates", () => {
    const renamed = updated(old, (o) => ((o["metadata"] as Obj)["name"] = "other"));
    expect(messages(validatePodUpdate(renamed, clone(old)))).toEqual(['metadata.name: Invalid value: "other": field is immutable']);
  });
});
