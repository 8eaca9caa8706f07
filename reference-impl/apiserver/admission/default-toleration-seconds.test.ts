import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { makePod } from "../testing.ts";
import { defaultTolerationSeconds } from "./default-toleration-seconds.ts";
import { attrs } from "./testing.ts";

const notReady = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };
const unreachable = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };

function podWith(tolerations?: unknown[]): KubeObject {
  const pod = makePod("p");
  if (tolerations !== undefined) (pod.spec as Record<string, unknown>).tolerations = tolerations;
  return pod;
}

// Upstream's TestForgivenessAdmission cases, plus the NoSchedule and key-less NoExecute ones.
const cases: { name: string; given: unknown[] | undefined; want: unknown[] }[] = [
  { name: "pod has no tolerations, expect add tolerations for not-ready and unreachable", given: undefined, want: [notReady, unreachable] },
  {
    name: "pod has alpha tolerations, expect add tolerations for not-ready and unreachable",
    given: [{ key: "foo", operator: "Equal", value: "bar", effect: "NoSchedule", tolerationSeconds: 700 }],
    want: [{ key: "foo", operator: "Equal", value: "bar", effect: "NoSchedule", tolerationSeconds: 700 }, notReady, unreachable],
  },
  {
    name: "pod specified a toleration for unreachable taint, expect add toleration for not-ready",
    given: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 }],
    want: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 }, notReady],
  },
  {
    name: "pod specified a toleration for not-ready taint, expect add toleration for unreachable",
    given: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 }],
    want: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 }, unreachable],
  },
  {
    name: "pod specified tolerations for both not-ready and unreachable taints, expect no change",
    given: [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 },
    ],
    want: [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 },
    ],
  },
  {
    name: "pod specified toleration for unreachable taint with effect NoSchedule, expect add both",
    given: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 700 }],
    want: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 700 }, notReady, unreachable],
  },
  {
    name: "pod specified toleration for unreachable taint with empty effect (matches NoExecute), expect add not-ready",
    given: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 700 }],
    want: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 700 }, notReady],
  },
  {
    name: "pod tolerates every taint with an empty key and effect NoExecute, expect no change",
    given: [{ operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 }],
    want: [{ operator: "Exists", effect: "NoExecute", tolerationSeconds: 700 }],
  },
  {
    name: "pod tolerates everything (empty key and effect), expect no change",
    given: [{ operator: "Exists" }],
    want: [{ operator: "Exists" }],
  },
];

describe("DefaultTolerationSeconds", () => {
  const plugin = defaultTolerationSeconds();
  it.each(cases)("$name", async ({ given, want }) => {
    for (const op of ["CREATE", "UPDATE"] as const) {
      const pod = podWith(given === undefined ? undefined : structuredClone(given));
      await plugin.admit!(attrs(op, "pods", { object: pod }));
      expect((pod.spec as Record<string, unknown>).tolerations).toEqual(want);
    }
  });

  it("leaves subresources and other kinds alone, and honours configured seconds", async () => {
    const pod = podWith();
    await plugin.admit!(attrs("CREATE", "pods", { object: pod, subresource: "binding" }));
    expect((pod.spec as Record<string, unknown>).tolerations).toBeUndefined();
    const custom = podWith();
    await defaultTolerationSeconds({ notReadySeconds: 10, unreachableSeconds: 20 }).admit!(attrs("CREATE", "pods", { object: custom }));
    expect((custom.spec as Record<string, unknown>).tolerations).toEqual([
      { ...notReady, tolerationSeconds: 10 },
      { ...unreachable, tolerationSeconds: 20 },
    ]);
  });
});
