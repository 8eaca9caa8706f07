// podStrategy.PrepareForCreate at v1.32 (pkg/registry/core/pod/strategy.go and strategy_test.go).

import type { Pod } from "kubernetes-types/core/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

function pod(spec: Pod["spec"], metadata: Pod["metadata"] = { name: "p" }): Pod {
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}

describe("preparePodForCreate", () => {
  it("starts Pending with the QoS class computed after requests were defaulted from limits", () => {
    const guaranteed = pod({ containers: [{ name: "c", image: "nginx", resources: { limits: { cpu: "1", memory: "1Gi" } } }] });
    expect(created(guaranteed).object.status).toEqual({ phase: "Pending", qosClass: "Guaranteed" });
  });

  it("replaces a client-sent status but keeps a client-sent qosClass, as GetPodQOS reads it first", () => {
    const withStatus = {
      ...pod({ containers: [{ name: "c", image: "nginx" }] }),
      status: { phase: "Running", qosClass: "Guaranteed", podIP: "10.0.0.9" },
    } as Pod;
    expect(created(withStatus).object.status).toEqual({ phase: "Pending", qosClass: "Guaranteed" });
  });

  it("marks a pod with scheduling gates PodScheduled=False/SchedulingGated at the given time", () => {
    const gated = pod({ schedulingGates: [{ name: "example.com/foo" }], containers: [{ name: "c", image: "nginx" }] });
    expect(created(gated).object.status).toEqual({
      phase: "Pending",
      qosClass: "BestEffort",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          lastProbeTime: null,
          lastTransitionTime: "2024-05-01T10:00:00Z",
          reason: "SchedulingGated",
          message: "Scheduling is blocked due to non-empty scheduling gates",
        },
      ],
    });
  });

  it("merges matchLabelKeys / mismatchLabelKeys into pod (anti-)affinity selectors", () => {
    const withAffinity = pod(
      {
        containers: [{ name: "c", image: "nginx" }],
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: "zone",
                labelSelector: { matchLabels: { app: "web" } },
                matchLabelKeys: ["pod-template-hash", "absent"],
                mismatchLabelKeys: ["tenant"],
              },
              // No selector: matches nothing, nothing to narrow.
              { topologyKey: "zone", matchLabelKeys: ["pod-template-hash"] },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 10,
                podAffinityTerm: {
                  topologyKey: "kubernetes.io/hostname",
                  labelSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] },
                  matchLabelKeys: ["pod-template-hash"],
                },
              },
            ],
          },
        },
      },
      { name: "p", labels: { app: "web", "pod-template-hash": "5d4f7c", tenant: "t1" } },
    );
    const affinity = created(withAffinity).object.spec!.affinity!;
    expect(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      {
        topologyKey: "zone",
        labelSelector: {
          matchLabels: { app: "web" },
          matchExpressions: [
            { key: "pod-template-hash", operator: "In", values: ["5d4f7c"] },
            { key: "tenant", operator: "NotIn", values: ["t1"] },
          ],
        },
        matchLabelKeys: ["pod-template-hash", "absent"],
        mismatchLabelKeys: ["tenant"],
      },
      { topologyKey: "zone", matchLabelKeys: ["pod-template-hash"] },
    ]);
    expect(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm.labelSelector).toEqual({
      matchExpressions: [
        { key: "app", operator: "In", values: ["web"] },
        { key: "pod-template-hash", operator: "In", values: ["5d4f7c"] },
      ],
    });
  });

  it("writes AppArmor annotations from the container's, else the pod's, profile field", () => {
    const withProfiles = pod({
      securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
      initContainers: [{ name: "init", image: "busybox" }],
      containers: [
        { name: "a", image: "nginx", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "k8s-apparmor-example" } } },
        { name: "b", image: "nginx", securityContext: { appArmorProfile: { type: "Unconfined" } } },
      ],
    });
    const { object, warnings } = created(withProfiles);
    expect(object.metadata?.annotations).toEqual({
      "container.apparmor.security.beta.kubernetes.io/init": "runtime/default",
      "container.apparmor.security.beta.kubernetes.io/a": "localhost/k8s-apparmor-example",
      "container.apparmor.security.beta.kubernetes.io/b": "unconfined",
    });
    expect(warnings).toEqual([]);
  });

  it("fills container profile fields from deprecated annotations and warns", () => {
    const annotated = pod(
      {
        securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
        containers: [
          { name: "a", image: "nginx" },
          { name: "b", image: "nginx" },
          { name: "c", image: "nginx" },
        ],
      },
      {
        name: "p",
        annotations: {
          "container.apparmor.security.beta.kubernetes.io/a": "localhost/custom",
          // Same as the pod's profile: no field, no warning.
          "container.apparmor.security.beta.kubernetes.io/b": "runtime/default",
          // Not a valid profile: no field, but a warning.
          "container.apparmor.security.beta.kubernetes.io/c": "localhost/",
        },
      },
    );
    const { object, warnings } = created(annotated);
    const containers = object.spec!.containers;
    expect(containers[0]?.securityContext).toEqual({ appArmorProfile: { type: "Localhost", localhostProfile: "custom" } });
    expect(containers[1]?.securityContext).toBeUndefined();
    expect(containers[2]?.securityContext).toBeUndefined();
    expect(warnings).toEqual([
      'metadata.annotations[container.apparmor.security.beta.kubernetes.io/a]: deprecated since v1.30; use the "appArmorProfile" field instead',
      'metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]: deprecated since v1.30; use the "appArmorProfile" field instead',
    ]);
  });

  it("skips AppArmor syncing for Windows pods", () => {
    const windows = pod({
      os: { name: "windows" },
      containers: [{ name: "a", image: "nginx", securityContext: { appArmorProfile: { type: "RuntimeDefault" } } }],
    });
    expect(created(windows).object.metadata).toEqual({ name: "p" });
  });

  it("drops fields whose feature gates are off at v1.32", () => {
    const withDisabled = pod({
      hostUsers: false,
      resourceClaims: [{ name: "gpu" }],
      securityContext: { runAsUser: 1000, supplementalGroupsPolicy: "Strict" } as never,
      containers: [
        {
          name: "c",
          image: "nginx",
          resizePolicy: [{ resourceName: "cpu", restartPolicy: "NotRequired" }],
          resources: { claims: [{ name: "gpu" }] },
        },
      ],
      ...({ resources: { limits: { cpu: "1" } } } as object),
    });
    const spec = created(withDisabled).object.spec!;
    expect(spec).not.toHaveProperty("hostUsers");
    expect(spec).not.toHaveProperty("resourceClaims");
    expect(spec).not.toHaveProperty("resources");
    expect(spec.securityContext).toEqual({ runAsUser: 1000 });
    expect(spec.containers[0]).not.toHaveProperty("resizePolicy");
    expect(spec.containers[0]?.resources).toEqual({});
  });
});
