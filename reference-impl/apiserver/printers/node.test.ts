// Cases from upstream printers_test.go: TestPrintNodeStatus, TestPrintNodeRole, TestPrintNodeOSImage,
// TestPrintNodeKernelVersion, TestPrintNodeContainerRuntimeVersion, TestPrintNodeName,
// TestPrintNodeExternalIP, TestPrintNodeInternalIP.
import { describe, expect, it } from "vitest";
import type { Node, NodeAddress, NodeCondition, NodeSystemInfo } from "kubernetes-types/core/v1.js";
import { printNode } from "./node.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");

function node(name: string, extra: { unschedulable?: boolean; conditions?: NodeCondition[]; labels?: Record<string, string> } = {}): Node {
  return {
    metadata: extra.labels === undefined ? { name } : { name, labels: extra.labels },
    spec: extra.unschedulable === undefined ? {} : { unschedulable: extra.unschedulable },
    status: extra.conditions === undefined ? {} : { conditions: extra.conditions },
  };
}

function wideNode(name: string, nodeInfo: Partial<NodeSystemInfo>, addresses: NodeAddress[]): Node {
  return { metadata: { name }, status: { nodeInfo: nodeInfo as NodeSystemInfo, addresses } };
}

const ready = (status: string): NodeCondition => ({ type: "Ready", status });
const ext = (address: string): NodeAddress => ({ type: "ExternalIP", address });
const int = (address: string): NodeAddress => ({ type: "InternalIP", address });

describe("printNode STATUS", () => {
  it.each([
    [node("foo1", { conditions: [ready("True")] }), "Ready"],
    [node("foo2", { unschedulable: true, conditions: [ready("True")] }), "Ready,SchedulingDisabled"],
    [node("foo3", { conditions: [ready("True"), ready("True")] }), "Ready"],
    [node("foo4", { conditions: [ready("False")] }), "NotReady"],
    [node("foo5", { unschedulable: true, conditions: [ready("False")] }), "NotReady,SchedulingDisabled"],
    [node("foo6", { conditions: [{ type: "InvalidValue", status: "True" }] }), "Unknown"],
    [node("foo7", { conditions: [{} as NodeCondition] }), "Unknown"],
    [node("foo8", { unschedulable: true, conditions: [{ type: "InvalidValue", status: "True" }] }), "Unknown,SchedulingDisabled"],
    [node("foo9", { unschedulable: true, conditions: [{} as NodeCondition] }), "Unknown,SchedulingDisabled"],
    [node("unknown-ready", { conditions: [ready("Unknown")] }), "NotReady"],
  ])("%#: %s", (n, status) => {
    expect(printNode(n, { wide: false, nowMs: NOW }).cells).toEqual([n.metadata?.name, status, "<none>", "<unknown>", ""]);
  });
});

describe("printNode ROLES", () => {
  it.each([
    [node("foo9"), "<none>"],
    [
      node("foo10", {
        labels: {
          "node-role.kubernetes.io/master": "",
          "node-role.kubernetes.io/control-plane": "",
          "node-role.kubernetes.io/proxy": "",
          "kubernetes.io/role": "node",
        },
      }),
      "control-plane,master,node,proxy",
    ],
    [node("foo11", { labels: { "kubernetes.io/role": "node" } }), "node"],
    [node("dup", { labels: { "node-role.kubernetes.io/worker": "", "kubernetes.io/role": "worker" } }), "worker"],
    [node("empty", { labels: { "node-role.kubernetes.io/": "", "kubernetes.io/role": "" } }), "<none>"],
  ])("%#", (n, roles) => {
    expect(printNode(n, { wide: false, nowMs: NOW }).cells).toEqual([n.metadata?.name, "Unknown", roles, "<unknown>", ""]);
  });
});

describe("printNode wide", () => {
  const wide = { wide: true, nowMs: NOW };
  it.each([
    [wideNode("foo1", { osImage: "fake-os-image" }, [ext("1.1.1.1")]), ["<none>", "1.1.1.1", "fake-os-image", "<unknown>", "<unknown>"]],
    [
      wideNode("foo2", { kernelVersion: "fake-kernel-version" }, [ext("1.1.1.1")]),
      ["<none>", "1.1.1.1", "<unknown>", "fake-kernel-version", "<unknown>"],
    ],
    [
      wideNode("foo1", { containerRuntimeVersion: "foo://1.2.3" }, [ext("1.1.1.1")]),
      ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3"],
    ],
    [wideNode("foo2", {}, [ext("1.1.1.1")]), ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>"]],
    [wideNode("foo2", {}, [int("1.1.1.1")]), ["1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>"]],
    [
      wideNode("foo3", {}, [ext("2.2.2.2"), int("3.3.3.3"), ext("4.4.4.4")]),
      ["3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>"],
    ],
    [
      wideNode("foo3", {}, [int("2.2.2.2"), ext("3.3.3.3"), int("4.4.4.4")]),
      ["2.2.2.2", "3.3.3.3", "<unknown>", "<unknown>", "<unknown>"],
    ],
  ])("%#", (n, wideCells) => {
    expect(printNode(n, wide).cells).toEqual([n.metadata?.name, "Unknown", "<none>", "<unknown>", "", ...wideCells]);
  });

  it("prints name, age and kubelet version", () => {
    const n: Node = {
      metadata: { name: "127.0.0.1", creationTimestamp: "2024-05-30T12:00:00Z" },
      status: { nodeInfo: { kubeletVersion: "v1.30.0" } as NodeSystemInfo },
    };
    expect(printNode(n, { wide: false, nowMs: NOW }).cells).toEqual(["127.0.0.1", "Unknown", "<none>", "2d", "v1.30.0"]);
    expect(printNode({ metadata: { name: "" } }, { wide: false, nowMs: NOW }).cells).toEqual([
      "",
      "Unknown",
      "<none>",
      "<unknown>",
      "",
    ]);
  });
});
