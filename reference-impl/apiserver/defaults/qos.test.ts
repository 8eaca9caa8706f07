// Cases from upstream's pkg/apis/core/helper/qos/qos_test.go (TestComputePodQOS, the ones without
// pod-level resources, which are off at v1.32). Pods there are not defaulted: requests are not
// filled from limits.

import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { describe, expect, it } from "vitest";
import { computePodQOS, getPodQOS, type PodQOSClass } from "./qos.ts";

function resourceList(cpu: string, memory: string): Record<string, string> {
  return { ...(cpu === "" ? {} : { cpu }), ...(memory === "" ? {} : { memory }) };
}

function container(name: string, requests: Record<string, string>, limits: Record<string, string>): Container {
  return { name, resources: { requests, limits } };
}

function pod(containers: Container[], initContainers?: Container[]): Pod {
  return { spec: { containers, ...(initContainers === undefined ? {} : { initContainers }) } };
}

const cases: ReadonlyArray<{ name: string; pod: Pod; expected: PodQOSClass }> = [
  { name: "guaranteed", pod: pod([container("guaranteed", resourceList("100m", "100Mi"), resourceList("100m", "100Mi"))]), expected: "Guaranteed" },
  {
    name: "guaranteed-guaranteed",
    pod: pod([
      container("guaranteed", resourceList("100m", "100Mi"), resourceList("100m", "100Mi")),
      container("guaranteed", resourceList("100m", "100Mi"), resourceList("100m", "100Mi")),
    ]),
    expected: "Guaranteed",
  },
  {
    name: "best-effort-best-effort",
    pod: pod([container("best-effort", resourceList("", ""), resourceList("", "")), container("best-effort", resourceList("", ""), resourceList("", ""))]),
    expected: "BestEffort",
  },
  { name: "best-effort", pod: pod([container("best-effort", resourceList("", ""), resourceList("", ""))]), expected: "BestEffort" },
  {
    name: "best-effort-burstable",
    pod: pod([container("best-effort", resourceList("", ""), resourceList("", "")), container("burstable", resourceList("1", ""), resourceList("2", ""))]),
    expected: "Burstable",
  },
  {
    name: "best-effort-guaranteed",
    pod: pod([
      container("best-effort", resourceList("", ""), resourceList("", "")),
      container("guaranteed", resourceList("10m", "100Mi"), resourceList("10m", "100Mi")),
    ]),
    expected: "Burstable",
  },
  {
    name: "burstable-cpu-guaranteed-memory",
    pod: pod([container("burstable", resourceList("", "100Mi"), resourceList("", "100Mi"))]),
    expected: "Burstable",
  },
  { name: "burstable-no-limits", pod: pod([container("burstable", resourceList("100m", "100Mi"), resourceList("", ""))]), expected: "Burstable" },
  {
    name: "burstable-guaranteed",
    pod: pod([
      container("burstable", resourceList("1", "100Mi"), resourceList("2", "100Mi")),
      container("guaranteed", resourceList("100m", "100Mi"), resourceList("100m", "100Mi")),
    ]),
    expected: "Burstable",
  },
  {
    name: "burstable-unbounded-but-requests-match-limits",
    pod: pod([
      container("burstable", resourceList("100m", "100Mi"), resourceList("200m", "200Mi")),
      container("burstable-unbounded", resourceList("100m", "100Mi"), resourceList("", "")),
    ]),
    expected: "Burstable",
  },
  { name: "burstable-1", pod: pod([container("burstable", resourceList("10m", "100Mi"), resourceList("100m", "200Mi"))]), expected: "Burstable" },
  { name: "burstable-2", pod: pod([container("burstable", resourceList("0", "0"), resourceList("100m", "200Mi"))]), expected: "Burstable" },
  {
    name: "best-effort-hugepages",
    pod: pod([
      container("best-effort", { ...resourceList("0", "0"), "hugepages-2Mi": "1Gi" }, { ...resourceList("0", "0"), "hugepages-2Mi": "1Gi" }),
    ]),
    expected: "BestEffort",
  },
  {
    name: "init-container",
    pod: pod(
      [container("best-effort", resourceList("", ""), resourceList("", ""))],
      [container("burstable", resourceList("10m", "100Mi"), resourceList("100m", "200Mi"))],
    ),
    expected: "Burstable",
  },
];

describe("computePodQOS", () => {
  it.each(cases)("$name is $expected", ({ pod, expected }) => {
    expect(computePodQOS(pod)).toBe(expected);
  });

  it("compares requests and limits as quantities, not strings", () => {
    expect(computePodQOS(pod([container("c", resourceList("1", "1Gi"), resourceList("1000m", "1024Mi"))]))).toBe("Guaranteed");
  });

  it("ignores ephemeral containers", () => {
    const withDebugger: Pod = { spec: { containers: [], ephemeralContainers: [{ name: "debugger", image: "busybox" }] } };
    expect(computePodQOS(withDebugger)).toBe("BestEffort");
  });
});

describe("getPodQOS", () => {
  it("prefers the class already recorded in status", () => {
    const recorded: Pod = { ...pod([container("c", resourceList("1", ""), resourceList("", ""))]), status: { qosClass: "Guaranteed" } };
    expect(getPodQOS(recorded)).toBe("Guaranteed");
    expect(getPodQOS({ ...recorded, status: { qosClass: "" } })).toBe("Burstable");
  });
});
