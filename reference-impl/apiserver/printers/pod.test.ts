// Cases from upstream pkg/printers/internalversion/printers_test.go (TestPrintPod,
// TestPrintPodWithRestartableInitContainer, TestPrintPodwide, TestPrintPodConditions,
// TestPrintNonTerminatedPod), with time.Now() replaced by a fixed clock.
import { describe, expect, it } from "vitest";
import type { Container, ContainerStatus, Pod, PodSpec, PodStatus } from "kubernetes-types/core/v1.js";
import { podFailedConditions, podSuccessConditions, printPod } from "./pod.ts";
import type { PrintedRow } from "./types.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const SEC = 1000;
const DAY = 24 * 3600 * SEC;
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

/** make([]api.Container, n): containers with empty names. */
const blank = (n: number): Container[] => Array.from({ length: n }, () => ({ name: "" }));

function cs(partial: Partial<ContainerStatus>): ContainerStatus {
  return { name: "", image: "", imageID: "", ready: false, restartCount: 0, ...partial };
}

function pod(name: string, spec: Partial<PodSpec>, status: PodStatus, deletionTimestamp?: string): Pod {
  return {
    metadata: deletionTimestamp === undefined ? { name } : { name, deletionTimestamp },
    spec: { containers: [], ...spec },
    status,
  };
}

const running = { running: {} };
const waiting = (reason?: string) => ({ waiting: reason === undefined ? {} : { reason } });
const lastTerminated = (msAgo: number) => ({ terminated: { exitCode: 0, finishedAt: ago(msAgo) } });
const sidecar = (name: string): Container => ({ name, restartPolicy: "Always" });

function print(p: Pod, wide = false): PrintedRow {
  return printPod(p, { wide, nowMs: NOW });
}

describe("printPod (TestPrintPod)", () => {
  const deleteTime = ago(10 * SEC);
  const cases: Array<[string, Pod, PrintedRow]> = [
    [
      "name, containers, restarts, ready status",
      pod("test1", { containers: blank(2) }, {
        phase: "podPhase",
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })],
      }),
      { cells: ["test1", "1/2", "podPhase", "6", "<unknown>"] },
    ],
    [
      "container error overwrites pod phase",
      pod("test2", { containers: blank(2) }, {
        phase: "podPhase",
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: running }),
          cs({ state: waiting("ContainerWaitingReason"), restartCount: 3 }),
        ],
      }),
      { cells: ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"] },
    ],
    [
      "the first container's terminated/waiting reason wins",
      pod("test3", { containers: blank(2) }, {
        phase: "podPhase",
        containerStatuses: [
          cs({ state: waiting("ContainerWaitingReason"), restartCount: 3 }),
          cs({ state: { terminated: { exitCode: 0, reason: "ContainerTerminatedReason" } }, restartCount: 3 }),
        ],
      }),
      { cells: ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"] },
    ],
    [
      "ready is not enough for reporting running",
      pod("test4", { containers: blank(2) }, {
        phase: "podPhase",
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ ready: true, restartCount: 3 })],
      }),
      { cells: ["test4", "1/2", "podPhase", "6", "<unknown>"] },
    ],
    [
      "pod reason wins over phase",
      pod("test5", { containers: blank(2) }, {
        reason: "podReason",
        phase: "podPhase",
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ ready: true, restartCount: 3 })],
      }),
      { cells: ["test5", "1/2", "podReason", "6", "<unknown>"] },
    ],
    [
      "one running, one completed, without Ready condition",
      pod("test6", { containers: blank(2) }, {
        phase: "Running",
        reason: "",
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: { terminated: { reason: "Completed", exitCode: 0 } } }),
          cs({ ready: true, restartCount: 3, state: running }),
        ],
      }),
      { cells: ["test6", "1/2", "NotReady", "6", "<unknown>"] },
    ],
    [
      "one running, one completed, with Ready condition",
      pod("test6", { containers: blank(2) }, {
        phase: "Running",
        reason: "",
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: { terminated: { reason: "Completed", exitCode: 0 } } }),
          cs({ ready: true, restartCount: 3, state: running }),
        ],
        conditions: [{ type: "Ready", status: "True", lastProbeTime: ago(0) }],
      }),
      { cells: ["test6", "1/2", "Running", "6", "<unknown>"] },
    ],
    [
      "1 init container restarting, 1 container not running",
      pod("test7", { initContainers: blank(1), containers: blank(1) }, {
        phase: "podPhase",
        initContainerStatuses: [cs({ restartCount: 3, state: running, lastState: lastTerminated(10 * SEC) })],
        containerStatuses: [cs({ state: waiting() })],
      }),
      { cells: ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"] },
    ],
    [
      "2 init containers, one restarting, one not running",
      pod("test8", { initContainers: blank(2), containers: blank(1) }, {
        phase: "podPhase",
        initContainerStatuses: [
          cs({ restartCount: 3, state: running, lastState: lastTerminated(10 * SEC) }),
          cs({ state: waiting() }),
        ],
        containerStatuses: [cs({ state: waiting() })],
      }),
      { cells: ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"] },
    ],
    [
      "2 init containers, one completed without restarts, one restarting",
      pod("test9", { initContainers: blank(2), containers: blank(1) }, {
        phase: "podPhase",
        initContainerStatuses: [
          cs({ state: { terminated: { exitCode: 0 } } }),
          cs({ restartCount: 3, state: running, lastState: lastTerminated(10 * SEC) }),
        ],
        containerStatuses: [cs({ state: waiting() })],
      }),
      { cells: ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"] },
    ],
    [
      "2 init containers, one completed with restarts, one restarting",
      pod("test10", { initContainers: blank(2), containers: blank(1) }, {
        phase: "podPhase",
        initContainerStatuses: [
          cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: lastTerminated(120 * SEC) }),
          cs({ restartCount: 3, state: running, lastState: lastTerminated(10 * SEC) }),
        ],
        containerStatuses: [cs({ state: waiting() })],
      }),
      { cells: ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"] },
    ],
    [
      "1 init container completed with restarts, 1 container restarting",
      pod("test11", { initContainers: blank(1), containers: blank(1) }, {
        phase: "Running",
        initContainerStatuses: [
          cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: lastTerminated(120 * SEC) }),
        ],
        containerStatuses: [cs({ restartCount: 4, state: running, lastState: lastTerminated(20 * SEC) })],
      }),
      { cells: ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"] },
    ],
    [
      "1 container restarted 5d ago",
      pod("test12", { containers: blank(1) }, {
        phase: "Running",
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running, lastState: lastTerminated(5 * DAY) })],
      }),
      { cells: ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"] },
    ],
    [
      "2 containers, one never restarted, one restarted 10d ago",
      pod("test13", { containers: blank(2) }, {
        phase: "Running",
        containerStatuses: [
          cs({ ready: true, state: running }),
          cs({ ready: true, restartCount: 3, state: running, lastState: lastTerminated(10 * DAY) }),
        ],
      }),
      { cells: ["test13", "2/2", "Running", "3 (10d ago)", "<unknown>"] },
    ],
    [
      "2 containers restarted 5d and 20d ago: the latest restart shows",
      pod("test14", { containers: blank(2) }, {
        phase: "Running",
        containerStatuses: [
          cs({ ready: true, restartCount: 6, state: running, lastState: lastTerminated(5 * DAY) }),
          cs({ ready: true, restartCount: 3, state: running, lastState: lastTerminated(20 * DAY) }),
        ],
      }),
      { cells: ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"] },
    ],
    [
      "PodScheduled condition with reason SchedulingGated",
      pod("test15", { containers: blank(2) }, {
        phase: "podPhase",
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
      }),
      { cells: ["test15", "0/2", "SchedulingGated", "0", "<unknown>"] },
    ],
    [
      "succeeded",
      pod("test16", { containers: blank(1) }, {
        phase: "Succeeded",
        containerStatuses: [cs({ state: { terminated: { reason: "Completed", exitCode: 0 } } })],
      }),
      { conditions: [...podSuccessConditions], cells: ["test16", "0/1", "Completed", "0", "<unknown>"] },
    ],
    [
      "failed",
      pod("test17", { containers: blank(1) }, {
        phase: "Failed",
        containerStatuses: [cs({ state: { terminated: { reason: "Error", exitCode: 1 } } })],
      }),
      { conditions: [...podFailedConditions], cells: ["test17", "0/1", "Error", "0", "<unknown>"] },
    ],
    [
      "succeeded with deletion stays Completed",
      pod(
        "test18",
        { containers: blank(1) },
        { phase: "Succeeded", containerStatuses: [cs({ state: { terminated: { reason: "Completed", exitCode: 0 } } })] },
        deleteTime,
      ),
      { conditions: [...podSuccessConditions], cells: ["test18", "0/1", "Completed", "0", "<unknown>"] },
    ],
    [
      "running with deletion is Terminating",
      pod("test19", { containers: blank(1) }, { phase: "Running", containerStatuses: [cs({ state: running })] }, deleteTime),
      { cells: ["test19", "0/1", "Terminating", "0", "<unknown>"] },
    ],
    [
      "pending with deletion is Terminating",
      pod("test20", { containers: blank(1) }, { phase: "Pending" }, deleteTime),
      { cells: ["test20", "0/1", "Terminating", "0", "<unknown>"] },
    ],
  ];
  it.each(cases)("%s", (_name, p, want) => {
    expect(print(p)).toEqual(want);
  });
});

describe("printPod with restartable (sidecar) init containers", () => {
  const initContainers = [sidecar("restartable-init-1"), sidecar("restartable-init-2")];
  const cases: Array<[string, Pod, PrintedRow]> = [
    [
      "first sidecar running but not started",
      pod("test1", { initContainers, containers: blank(1) }, {
        phase: "Pending",
        initContainerStatuses: [
          cs({ name: "restartable-init-1", restartCount: 3, state: running, started: false, lastState: lastTerminated(10 * SEC) }),
          cs({ name: "restartable-init-2", state: waiting(), started: false }),
        ],
        containerStatuses: [cs({ state: waiting() })],
        conditions: [{ type: "Initialized", status: "False" }],
      }),
      { cells: ["test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"] },
    ],
    [
      "first sidecar started, second running but not started",
      pod("test1", { initContainers, containers: blank(1) }, {
        phase: "Pending",
        initContainerStatuses: [
          cs({ name: "restartable-init-1", restartCount: 3, state: running, started: true, lastState: lastTerminated(10 * SEC) }),
          cs({ name: "restartable-init-2", state: running, started: false }),
        ],
        containerStatuses: [cs({ state: waiting() })],
        conditions: [{ type: "Initialized", status: "False" }],
      }),
      { cells: ["test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"] },
    ],
    [
      "both sidecars started, 1 container running",
      pod("test2", { initContainers, containers: blank(1) }, {
        phase: "Running",
        initContainerStatuses: [
          cs({ name: "restartable-init-1", restartCount: 3, state: running, started: true, lastState: lastTerminated(10 * SEC) }),
          cs({ name: "restartable-init-2", state: running, started: true }),
        ],
        containerStatuses: [cs({ ready: true, restartCount: 4, state: running, lastState: lastTerminated(20 * SEC) })],
        conditions: [{ type: "Initialized", status: "True" }],
      }),
      { cells: ["test2", "1/3", "Running", "7 (10s ago)", "<unknown>"] },
    ],
    [
      "sidecars terminated non-zero, container completed",
      pod("test3", { initContainers, containers: blank(1) }, {
        phase: "Succeeded",
        initContainerStatuses: [
          cs({
            name: "restartable-init-1",
            restartCount: 3,
            state: { terminated: { reason: "Error", exitCode: 137 } },
            started: false,
            lastState: lastTerminated(10 * SEC),
          }),
          cs({ name: "restartable-init-2", state: { terminated: { reason: "Error", exitCode: 137 } }, started: false }),
        ],
        containerStatuses: [
          cs({
            restartCount: 4,
            state: { terminated: { reason: "Completed", exitCode: 0 } },
            lastState: lastTerminated(20 * SEC),
          }),
        ],
        conditions: [{ type: "Initialized", status: "True" }],
      }),
      { cells: ["test3", "0/3", "Completed", "7 (10s ago)", "<unknown>"], conditions: [...podSuccessConditions] },
    ],
    [
      "statuses for containers that are not in the spec",
      pod(
        "test4",
        {
          initContainers: [
            { name: "init1", image: "initimage" },
            { name: "sidecar1", image: "sidecarimage", restartPolicy: "Always" },
          ],
          containers: [{ name: "container1", image: "containerimage" }],
        },
        {
          phase: "Running",
          initContainerStatuses: [cs({ name: "initinvalid" }), cs({ name: "init1" }), cs({ name: "sidecar1" })],
          containerStatuses: [cs({ name: "containerinvalid" }), cs({ name: "container1" })],
        },
      ),
      { cells: ["test4", "0/2", "Init:0/2", "0", "<unknown>"] },
    ],
  ];
  it.each(cases)("%s", (_name, p, want) => {
    expect(print(p)).toEqual(want);
  });
});

describe("printPod wide (TestPrintPodwide)", () => {
  const gates = [{ conditionType: "condition1" }, { conditionType: "condition2" }, { conditionType: "condition3" }];
  const gateConditions = [
    { type: "condition1", status: "False" },
    { type: "condition2", status: "True" },
  ];
  const statuses = [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })];

  it("shows IP, node, nominated node and readiness gates", () => {
    const p = pod("test1", { containers: blank(2), nodeName: "test1", readinessGates: gates }, {
      conditions: gateConditions,
      phase: "podPhase",
      podIPs: [{ ip: "1.1.1.1" }],
      containerStatuses: statuses,
      nominatedNodeName: "node1",
    });
    expect(print(p, true).cells).toEqual(["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"]);
  });

  it("shows the first of dual-stack pod IPs", () => {
    const p = pod("test1", { containers: blank(2), nodeName: "test1", readinessGates: gates }, {
      conditions: gateConditions,
      phase: "podPhase",
      podIPs: [{ ip: "1.1.1.1" }, { ip: "2001:db8::" }],
      containerStatuses: statuses,
      nominatedNodeName: "node1",
    });
    expect(print(p, true).cells).toEqual(["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"]);
  });

  it("shows <none> for a pod that is not scheduled", () => {
    const p = pod("test2", { containers: blank(2), nodeName: "" }, {
      phase: "podPhase",
      containerStatuses: [
        cs({ ready: true, restartCount: 3, state: running }),
        cs({ state: waiting("ContainerWaitingReason"), restartCount: 3 }),
      ],
    });
    expect(print(p, true).cells).toEqual([
      "test2",
      "1/2",
      "ContainerWaitingReason",
      "6",
      "<unknown>",
      "<none>",
      "<none>",
      "<none>",
      "<none>",
    ]);
  });

  it("takes status.podIP over podIPs, as the v1 conversion does", () => {
    const p = pod("p", { containers: blank(1) }, { podIP: "10.0.0.9", podIPs: [{ ip: "10.0.0.1" }] });
    expect(print(p, true).cells[5]).toBe("10.0.0.9");
  });
});

describe("printPod phases and row conditions (TestPrintPodConditions, TestPrintNonTerminatedPod)", () => {
  const statuses = [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })];
  it.each([
    ["Running", undefined],
    ["Pending", undefined],
    ["Unknown", undefined],
    ["Succeeded", podSuccessConditions],
    ["Failed", podFailedConditions],
  ] as const)("phase %s", (phase, conditions) => {
    const row = print(pod("test1", { containers: blank(2) }, { phase, containerStatuses: statuses }));
    expect(row.cells).toEqual(["test1", "1/2", phase, "6", "<unknown>"]);
    expect(row.conditions).toEqual(conditions);
  });
});

describe("printPod STATUS reasons beyond upstream's table", () => {
  it("is Unknown for a deleted pod on a lost node", () => {
    const p = pod("p", { containers: blank(1) }, { phase: "Running", reason: "NodeLost" }, ago(SEC));
    expect(print(p).cells[2]).toBe("Unknown");
  });

  it("shows Init:<reason> for a crash-looping init container", () => {
    const p = pod("p", { initContainers: blank(2), containers: blank(1) }, {
      phase: "Pending",
      initContainerStatuses: [cs({ restartCount: 5, state: waiting("CrashLoopBackOff"), lastState: lastTerminated(30 * SEC) })],
    });
    expect(print(p).cells).toEqual(["p", "0/1", "Init:CrashLoopBackOff", "5 (30s ago)", "<unknown>"]);
  });

  it("ignores a PodInitializing waiting reason on an init container", () => {
    const p = pod("p", { initContainers: blank(1), containers: blank(1) }, {
      phase: "Pending",
      initContainerStatuses: [cs({ state: waiting("PodInitializing") })],
    });
    expect(print(p).cells[2]).toBe("Init:0/1");
  });

  it.each([
    [{ exitCode: 2, reason: "Error" }, "Init:Error"],
    [{ exitCode: 137, signal: 9 }, "Init:Signal:9"],
    [{ exitCode: 3 }, "Init:ExitCode:3"],
  ])("failed init container %j → %s", (terminated, want) => {
    const p = pod("p", { initContainers: blank(1), containers: blank(1) }, {
      phase: "Pending",
      initContainerStatuses: [cs({ state: { terminated } })],
    });
    expect(print(p).cells[2]).toBe(want);
  });

  it.each([
    [{ exitCode: 1, reason: "OOMKilled" }, "OOMKilled"],
    [{ exitCode: 143, signal: 15 }, "Signal:15"],
    [{ exitCode: 1 }, "ExitCode:1"],
  ])("terminated container %j → %s", (terminated, want) => {
    const p = pod("p", { containers: blank(1) }, { phase: "Running", containerStatuses: [cs({ state: { terminated } })] });
    expect(print(p).cells[2]).toBe(want);
  });

  it("prints the creation age", () => {
    const p: Pod = { metadata: { name: "web", creationTimestamp: ago(3 * 60 * SEC + 20 * SEC) }, spec: { containers: blank(1) } };
    expect(print(p).cells).toEqual(["web", "0/1", "", "0", "3m20s"]);
  });
});
