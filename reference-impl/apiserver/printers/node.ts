// printNode (pkg/printers/internalversion/printers.go): STATUS from the Ready condition
// ("Ready", "NotReady", "Unknown", plus ",SchedulingDisabled" when cordoned), ROLES from the
// node-role.kubernetes.io/<role> and kubernetes.io/role labels.
import type { Node, NodeCondition } from "kubernetes-types/core/v1.js";
import { translateTimestampSince } from "./duration.ts";
import { sortedSet } from "./format.ts";
import type { GenerateOptions, PrintedRow, TableCell } from "./types.ts";

/** labelNodeRolePrefix: node-role.kubernetes.io/<role>="" marks a role. */
export const LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
/** nodeLabelRole: the older kubernetes.io/role=<role> label. */
export const NODE_LABEL_ROLE = "kubernetes.io/role";

/** findNodeRoles: the roles from a node's labels, de-duplicated and sorted. */
export function findNodeRoles(node: Node): string[] {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.push(role);
    } else if (k === NODE_LABEL_ROLE && v !== "") {
      roles.push(v);
    }
  }
  return sortedSet(roles);
}

function nodeStatus(node: Node): string {
  // Only the Ready condition is shown; a later duplicate of a condition type wins.
  const byType = new Map<string, NodeCondition>();
  for (const c of node.status?.conditions ?? []) byType.set(c.type ?? "", c);
  const status: string[] = [];
  const ready = byType.get("Ready");
  if (ready !== undefined) status.push(ready.status === "True" ? "Ready" : "NotReady");
  if (status.length === 0) status.push("Unknown");
  if (node.spec?.unschedulable === true) status.push("SchedulingDisabled");
  return status.join(",");
}

function firstAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

export function printNode(node: Node, options: GenerateOptions): PrintedRow {
  const info = node.status?.nodeInfo;
  const roles = findNodeRoles(node).join(",");
  const cells: TableCell[] = [
    node.metadata?.name ?? "",
    nodeStatus(node),
    roles === "" ? "<none>" : roles,
    translateTimestampSince(node.metadata?.creationTimestamp, options.nowMs),
    info?.kubeletVersion ?? "",
  ];
  if (options.wide) {
    cells.push(
      firstAddress(node, "InternalIP"),
      firstAddress(node, "ExternalIP"),
      info?.osImage || "<unknown>",
      info?.kernelVersion || "<unknown>",
      info?.containerRuntimeVersion || "<unknown>",
    );
  }
  return { cells };
}
