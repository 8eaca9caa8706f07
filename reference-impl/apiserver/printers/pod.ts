// printPod (pkg/printers/internalversion/printers.go): READY, STATUS, RESTARTS, AGE and, wide, IP,
// NODE, NOMINATED NODE, READINESS GATES. The STATUS cell is kubectl's famous "reason" column:
// Init:x/y while init containers run, a waiting/terminated reason from the containers, Completed,
// Terminating, Unknown for pods on lost nodes.
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from "kubernetes-types/core/v1.js";
import { isZeroTime, timeMs, translateMsSince, translateTimestampSince, ZERO_TIME_MS } from "./duration.ts";
import { int } from "./format.ts";
import type { GenerateOptions, PrintedRow, TableCell, TableRowCondition } from "./types.ts";

/** node.NodeUnreachablePodReason: the node controller's reason for pods on an unreachable node. */
export const NODE_UNREACHABLE_POD_REASON = "NodeLost";

/** podSuccessConditions / podFailedConditions: row conditions for finished pods. */
export const podSuccessConditions: readonly TableRowCondition[] = [
  { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
];
export const podFailedConditions: readonly TableRowCondition[] = [
  { type: "Completed", status: "True", reason: "Failed", message: "The pod failed." },
];

/** podutil.IsRestartableInitContainer: a sidecar (restartPolicy Always) init container. */
export function isRestartableInitContainer(c: Container | undefined): boolean {
  return c?.restartPolicy === "Always";
}

function hasPodReadyCondition(conditions: readonly PodCondition[]): boolean {
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** isPodInitializedConditionTrue: the first Initialized condition decides. */
function isPodInitializedConditionTrue(status: PodStatus): boolean {
  const c = (status.conditions ?? []).find((x) => x.type === "Initialized");
  return c?.status === "True";
}

function lastTerminationMs(c: ContainerStatus): number | undefined {
  const t = c.lastState?.terminated;
  return t === undefined || t === null ? undefined : timeMs(t.finishedAt);
}

/** The first pod IP as upstream's v1→internal conversion yields it (podIP wins over podIPs). */
function firstPodIP(status: PodStatus): string {
  if (status.podIP !== undefined && status.podIP !== "") return status.podIP;
  return status.podIPs?.[0]?.ip ?? "";
}

interface Restarts {
  restarts: number;
  lastRestartMs: number;
}

interface Tally extends Restarts {
  reason: string;
  ready: number;
}

/** The init-container pass: returns whether the pod is still initializing. */
function scanInitContainers(pod: Pod, tally: Tally, sidecars: Restarts): boolean {
  const spec = pod.spec?.initContainers ?? [];
  const byName = new Map<string, Container>();
  for (const c of spec) byName.set(c.name ?? "", c);
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [i, container] of statuses.entries()) {
    const restartCount = int(container.restartCount);
    const finished = lastTerminationMs(container);
    tally.restarts += restartCount;
    if (finished !== undefined && tally.lastRestartMs < finished) tally.lastRestartMs = finished;
    const restartable = isRestartableInitContainer(byName.get(container.name ?? ""));
    if (restartable) {
      sidecars.restarts += restartCount;
      if (finished !== undefined && sidecars.lastRestartMs < finished) sidecars.lastRestartMs = finished;
    }
    const terminated = container.state?.terminated ?? undefined;
    const waiting = container.state?.waiting ?? undefined;
    if (terminated !== undefined && int(terminated.exitCode) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) tally.ready++;
      continue;
    }
    if (terminated !== undefined) {
      // Initialization failed.
      if ((terminated.reason ?? "") === "") {
        const signal = int(terminated.signal);
        tally.reason = signal !== 0 ? `Init:Signal:${signal}` : `Init:ExitCode:${int(terminated.exitCode)}`;
      } else tally.reason = `Init:${terminated.reason}`;
    } else if (waiting !== undefined && (waiting.reason ?? "") !== "" && waiting.reason !== "PodInitializing") {
      tally.reason = `Init:${waiting.reason}`;
    } else {
      tally.reason = `Init:${i}/${spec.length}`;
    }
    return true;
  }
  return false;
}

/** The app-container pass, last container first: the first container's reason wins. */
function scanContainers(pod: Pod, tally: Tally): void {
  const statuses = pod.status?.containerStatuses ?? [];
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const container = statuses[i];
    if (container === undefined) continue;
    tally.restarts += int(container.restartCount);
    const finished = lastTerminationMs(container);
    if (finished !== undefined && tally.lastRestartMs < finished) tally.lastRestartMs = finished;
    const waiting = container.state?.waiting ?? undefined;
    const terminated = container.state?.terminated ?? undefined;
    if (waiting !== undefined && (waiting.reason ?? "") !== "") tally.reason = waiting.reason ?? "";
    else if (terminated !== undefined && (terminated.reason ?? "") !== "") tally.reason = terminated.reason ?? "";
    else if (terminated !== undefined) {
      const signal = int(terminated.signal);
      tally.reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${int(terminated.exitCode)}`;
    } else if (container.ready && container.state?.running !== undefined && container.state.running !== null) {
      hasRunning = true;
      tally.ready++;
    }
  }
  // A pod whose first container completed while another still runs is not "Completed".
  if (tally.reason === "Completed" && hasRunning) {
    tally.reason = hasPodReadyCondition(pod.status?.conditions ?? []) ? "Running" : "NotReady";
  }
}

function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const conditions = pod.status?.conditions ?? [];
  let trueConditions = 0;
  for (const gate of gates) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (c?.status === "True") trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export function printPod(pod: Pod, options: GenerateOptions): PrintedRow {
  const status = pod.status ?? {};
  const phase = status.phase ?? "";
  let reason = status.reason !== undefined && status.reason !== "" ? status.reason : phase;
  for (const c of status.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }
  const row: PrintedRow = { cells: [] };
  if (phase === "Succeeded") row.conditions = [...podSuccessConditions];
  else if (phase === "Failed") row.conditions = [...podFailedConditions];

  const sidecarCount = (pod.spec?.initContainers ?? []).filter(isRestartableInitContainer).length;
  const totalContainers = (pod.spec?.containers ?? []).length + sidecarCount;
  const tally: Tally = { reason, ready: 0, restarts: 0, lastRestartMs: ZERO_TIME_MS };
  const sidecars: Restarts = { restarts: 0, lastRestartMs: ZERO_TIME_MS };
  const initializing = scanInitContainers(pod, tally, sidecars);
  if (!initializing || isPodInitializedConditionTrue(status)) {
    // Count sidecar restarts only: finished init containers' restarts no longer matter.
    tally.restarts = sidecars.restarts;
    tally.lastRestartMs = sidecars.lastRestartMs;
    scanContainers(pod, tally);
  }
  reason = tally.reason;
  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) reason = "Unknown";
  else if (deleting && phase !== "Failed" && phase !== "Succeeded") reason = "Terminating";

  let restarts = String(tally.restarts);
  if (tally.restarts !== 0 && !isZeroTime(tally.lastRestartMs)) {
    restarts = `${tally.restarts} (${translateMsSince(tally.lastRestartMs, options.nowMs)} ago)`;
  }
  const cells: TableCell[] = [
    pod.metadata?.name ?? "",
    `${tally.ready}/${totalContainers}`,
    reason,
    restarts,
    translateTimestampSince(pod.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) {
    cells.push(
      firstPodIP(status) || "<none>",
      pod.spec?.nodeName || "<none>",
      status.nominatedNodeName || "<none>",
      readinessGatesCell(pod),
    );
  }
  row.cells = cells;
  return row;
}
