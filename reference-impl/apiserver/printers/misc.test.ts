// Cases from upstream printers_test.go: TestPrintNamespace, TestPrintSecret, TestPrintServiceAccount,
// TestPrintConfigMap, TestPrintResourceQuota, TestPrintPodDisruptionBudget(List), TestPrintLease,
// TestPrintPriorityClass.
import { describe, expect, it } from "vitest";
import {
  printConfigMap,
  printLease,
  printNamespace,
  printPodDisruptionBudget,
  printPriorityClass,
  printResourceQuota,
  printSecret,
  printServiceAccount,
} from "./misc.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const justCreated = ago(-1900);
const fiveMinutes = ago(300_000);
const normal = { wide: false, nowMs: NOW };
const wide = { wide: true, nowMs: NOW };

describe("printNamespace", () => {
  it("prints status and age", () => {
    expect(
      printNamespace({ metadata: { name: "namespace1", creationTimestamp: justCreated }, status: { phase: "FooStatus" } }, normal).cells,
    ).toEqual(["namespace1", "FooStatus", "0s"]);
    expect(printNamespace({ metadata: { name: "namespace2" } }, normal).cells).toEqual(["namespace2", "", "<unknown>"]);
  });
});

describe("printSecret", () => {
  it("counts data keys", () => {
    const type = "kubernetes.io/service-account-token";
    expect(
      printSecret({ metadata: { name: "secret1", creationTimestamp: justCreated }, type, data: { token: "c2VjcmV0IGRhdGE=" } }, normal).cells,
    ).toEqual(["secret1", type, 1, "0s"]);
    expect(printSecret({ metadata: { name: "secret1", creationTimestamp: justCreated }, type }, normal).cells).toEqual([
      "secret1",
      type,
      0,
      "0s",
    ]);
  });
  it("counts stringData keys merged into data", () => {
    const s = { metadata: { name: "s" }, data: { a: "", b: "" }, stringData: { b: "x", c: "y" } };
    expect(printSecret(s, normal).cells[2]).toBe(3);
  });
});

describe("printServiceAccount", () => {
  it("counts secrets", () => {
    expect(printServiceAccount({ metadata: { name: "sa1", creationTimestamp: justCreated }, secrets: [] }, normal).cells).toEqual([
      "sa1",
      0,
      "0s",
    ]);
    expect(
      printServiceAccount(
        { metadata: { name: "sa1", creationTimestamp: justCreated }, secrets: [{ name: "Secret1" }, { name: "Secret2" }] },
        normal,
      ).cells,
    ).toEqual(["sa1", 2, "0s"]);
  });
});

describe("printConfigMap", () => {
  it.each([
    [{ metadata: { name: "configmap1", creationTimestamp: justCreated } }, ["configmap1", 0, "0s"]],
    [{ metadata: { name: "configmap2", creationTimestamp: justCreated }, data: { foo: "bar" } }, ["configmap2", 1, "0s"]],
    [
      { metadata: { name: "configmap3", creationTimestamp: justCreated }, data: { foo: "bar" }, binaryData: { bin: "YmluYXJ5IGRhdGE=" } },
      ["configmap3", 2, "0s"],
    ],
  ])("%#", (cm, cells) => {
    expect(printConfigMap(cm, normal).cells).toEqual(cells);
  });
});

describe("printResourceQuota", () => {
  it("splits requests and limits, sorted by resource name", () => {
    const rq = {
      metadata: { name: "test-resourcequota", creationTimestamp: fiveMinutes },
      spec: {},
      status: {
        used: {
          cpu: "1",
          memory: "1Gi",
          pods: "1",
          services: "1",
          replicationcontrollers: "1",
          resourcequotas: "1",
          "limits.cpu": "2",
          "limits.memory": "2Gi",
        },
        hard: {
          cpu: "100",
          memory: "4Gi",
          pods: "10",
          services: "10",
          replicationcontrollers: "10",
          resourcequotas: "1",
          "limits.cpu": "200",
          "limits.memory": "8Gi",
        },
      },
    };
    expect(printResourceQuota(rq, normal).cells).toEqual([
      "test-resourcequota",
      "cpu: 1/100, memory: 1Gi/4Gi, pods: 1/10, replicationcontrollers: 1/10, resourcequotas: 1/1, services: 1/10",
      "limits.cpu: 2/200, limits.memory: 2Gi/8Gi",
      "5m",
    ]);
  });
  it("prints canonical quantities and 0 for unused resources", () => {
    const rq = { metadata: { name: "q" }, status: { hard: { "requests.cpu": "1000m", "limits.memory": "1024Mi" }, used: {} } };
    expect(printResourceQuota(rq, normal).cells).toEqual(["q", "requests.cpu: 0/1", "limits.memory: 0/1Gi", "<unknown>"]);
  });
});

describe("printPodDisruptionBudget", () => {
  it.each([
    [{ metadata: { namespace: "ns1", name: "pdb1", creationTimestamp: justCreated }, spec: { minAvailable: 22 }, status: { disruptionsAllowed: 5 } }, ["pdb1", "22", "N/A", 5, "0s"]],
    [{ metadata: { namespace: "ns2", name: "pdb2", creationTimestamp: justCreated }, spec: { maxUnavailable: 11 }, status: { disruptionsAllowed: 5 } }, ["pdb2", "N/A", "11", 5, "0s"]],
    [{ metadata: { name: "pct" }, spec: { minAvailable: "50%" } }, ["pct", "50%", "N/A", 0, "<unknown>"]],
  ])("%#", (pdb, cells) => {
    expect(printPodDisruptionBudget(pdb as Parameters<typeof printPodDisruptionBudget>[0], normal).cells).toEqual(cells);
  });
});

describe("printLease", () => {
  it("prints the holder", () => {
    expect(printLease({ metadata: { name: "lease1", creationTimestamp: justCreated }, spec: { holderIdentity: "holder1" } }, normal).cells).toEqual([
      "lease1",
      "holder1",
      "0s",
    ]);
    expect(printLease({ metadata: { name: "lease2", creationTimestamp: fiveMinutes }, spec: { holderIdentity: "holder2" } }, normal).cells).toEqual([
      "lease2",
      "holder2",
      "5m",
    ]);
    expect(printLease({ metadata: { name: "free" } }, normal).cells).toEqual(["free", "", "<unknown>"]);
  });
});

describe("printPriorityClass", () => {
  it.each([
    [{ metadata: { name: "pc1", creationTimestamp: justCreated }, value: 1, preemptionPolicy: "Never" }, normal, ["pc1", 1, false, "0s"]],
    [
      { metadata: { name: "pc2", creationTimestamp: fiveMinutes }, value: 1000000000, globalDefault: true, preemptionPolicy: "PreemptLowerPriority" },
      normal,
      ["pc2", 1000000000, true, "5m"],
    ],
    [
      { metadata: { name: "pc2", creationTimestamp: fiveMinutes }, value: 1000000000, globalDefault: true, preemptionPolicy: "PreemptLowerPriority" },
      wide,
      ["pc2", 1000000000, true, "5m", "PreemptLowerPriority"],
    ],
    [{ metadata: { name: "pc2", creationTimestamp: fiveMinutes }, value: 1000000000, globalDefault: true }, wide, ["pc2", 1000000000, true, "5m", ""]],
  ])("%#", (pc, options, cells) => {
    expect(printPriorityClass(pc, options).cells).toEqual(cells);
  });
});
