// printDeployment, printReplicaSet, printDaemonSet, printStatefulSet, printControllerRevision,
// printJob, printCronJob (pkg/printers/internalversion/printers.go).
//
// Counts come from the internal types, where spec.replicas is a plain int32: an absent value is 0
// here. The API server stores defaulted objects (replicas 1), so a stored object always has it.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { CronJob, Job, JobCondition } from "kubernetes-types/batch/v1.js";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { humanDuration, timeMs, translateTimestampSince } from "./duration.ts";
import { formatLabels, int, layoutContainerCells, printBoolPtr } from "./format.ts";
import { formatLabelSelector, LabelSelectorError, labelSelectorAsSelector } from "../../../spec/semantics/labels.ts";
import type { GenerateOptions, PrintedRow, TableCell } from "./types.ts";

export function printDeployment(d: Deployment, options: GenerateOptions): PrintedRow {
  const cells: TableCell[] = [
    d.metadata?.name ?? "",
    `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
    int(d.status?.updatedReplicas),
    int(d.status?.availableReplicas),
    translateTimestampSince(d.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) {
    // Unlike the other workloads, an unparsable selector prints "<invalid>" and an empty one "".
    let selector: string;
    try {
      selector = labelSelectorAsSelector(d.spec?.selector).toString();
    } catch (e) {
      if (!(e instanceof LabelSelectorError)) throw e;
      selector = "<invalid>";
    }
    cells.push(...layoutContainerCells(d.spec?.template?.spec?.containers), selector);
  }
  return { cells };
}

export function printReplicaSet(rs: ReplicaSet, options: GenerateOptions): PrintedRow {
  const cells: TableCell[] = [
    rs.metadata?.name ?? "",
    int(rs.spec?.replicas),
    int(rs.status?.replicas),
    int(rs.status?.readyReplicas),
    translateTimestampSince(rs.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) {
    cells.push(...layoutContainerCells(rs.spec?.template?.spec?.containers), formatLabelSelector(rs.spec?.selector));
  }
  return { cells };
}

export function printDaemonSet(ds: DaemonSet, options: GenerateOptions): PrintedRow {
  const s = ds.status;
  const cells: TableCell[] = [
    ds.metadata?.name ?? "",
    int(s?.desiredNumberScheduled),
    int(s?.currentNumberScheduled),
    int(s?.numberReady),
    int(s?.updatedNumberScheduled),
    int(s?.numberAvailable),
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    translateTimestampSince(ds.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) {
    cells.push(...layoutContainerCells(ds.spec?.template?.spec?.containers), formatLabelSelector(ds.spec?.selector));
  }
  return { cells };
}

export function printStatefulSet(ss: StatefulSet, options: GenerateOptions): PrintedRow {
  const cells: TableCell[] = [
    ss.metadata?.name ?? "",
    `${int(ss.status?.readyReplicas)}/${int(ss.spec?.replicas)}`,
    translateTimestampSince(ss.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) cells.push(...layoutContainerCells(ss.spec?.template?.spec?.containers));
  return { cells };
}

/** metav1.GetControllerOf: the owner reference with controller=true. */
export function getControllerOf(refs: readonly OwnerReference[] | undefined): OwnerReference | undefined {
  return (refs ?? []).find((r) => r.controller === true);
}

/** Thrown where upstream's print function returns an error (the request then fails). */
export class PrintError extends Error {
  override name = "PrintError";
}

/** schema.ParseGroupVersion's group. */
function parseGroup(apiVersion: string): string {
  if (apiVersion === "" || apiVersion === "/") return "";
  const slashes = apiVersion.split("/").length - 1;
  if (slashes === 0) return "";
  if (slashes === 1) return apiVersion.slice(0, apiVersion.indexOf("/"));
  throw new PrintError(`unexpected GroupVersion string: ${apiVersion}`);
}

/** formatResourceName with withKind: "kind.group/name" in lower case ("daemonset.apps/foo"). */
function controllerName(ref: OwnerReference): string {
  const group = parseGroup(ref.apiVersion ?? "");
  const kind = ref.kind ?? "";
  if (group === "" && kind === "") return ref.name ?? "";
  const groupKind = group === "" ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${ref.name ?? ""}`;
}

export function printControllerRevision(cr: ControllerRevision, options: GenerateOptions): PrintedRow {
  const ref = getControllerOf(cr.metadata?.ownerReferences);
  return {
    cells: [
      cr.metadata?.name ?? "",
      ref === undefined ? "<none>" : controllerName(ref),
      int(cr.revision),
      translateTimestampSince(cr.metadata?.creationTimestamp, options.nowMs),
    ],
  };
}

/** hasJobCondition: the first condition of that type decides. */
function hasJobCondition(conditions: readonly JobCondition[], type: string): boolean {
  return conditions.find((c) => c.type === type)?.status === "True";
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions ?? [];
  if (hasJobCondition(conditions, "Complete")) return "Complete";
  if (hasJobCondition(conditions, "Failed")) return "Failed";
  if (job.metadata?.deletionTimestamp !== undefined && job.metadata.deletionTimestamp !== null) return "Terminating";
  if (hasJobCondition(conditions, "Suspended")) return "Suspended";
  if (hasJobCondition(conditions, "FailureTarget")) return "FailureTarget";
  return "Running";
}

function jobCompletions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${int(completions)}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, nowMs: number): string {
  const start = job.status?.startTime;
  if (start === undefined || start === null) return "";
  const startMs = timeMs(start);
  const completion = job.status?.completionTime;
  if (completion === undefined || completion === null) return humanDuration(nowMs - startMs);
  return humanDuration(timeMs(completion) - startMs);
}

export function printJob(job: Job, options: GenerateOptions): PrintedRow {
  const cells: TableCell[] = [
    job.metadata?.name ?? "",
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, options.nowMs),
    translateTimestampSince(job.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) {
    cells.push(...layoutContainerCells(job.spec?.template?.spec?.containers), formatLabelSelector(job.spec?.selector));
  }
  return { cells };
}

export function printCronJob(cj: CronJob, options: GenerateOptions): PrintedRow {
  const last = cj.status?.lastScheduleTime;
  const lastSchedule =
    last === undefined || last === null ? "<none>" : translateTimestampSince(last, options.nowMs);
  const timeZone = cj.spec?.timeZone;
  const cells: TableCell[] = [
    cj.metadata?.name ?? "",
    cj.spec?.schedule ?? "",
    timeZone === undefined || timeZone === null ? "<none>" : timeZone,
    printBoolPtr(cj.spec?.suspend),
    (cj.status?.active ?? []).length,
    lastSchedule,
    translateTimestampSince(cj.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    cells.push(...layoutContainerCells(jobSpec?.template?.spec?.containers), formatLabelSelector(jobSpec?.selector));
  }
  return { cells };
}

