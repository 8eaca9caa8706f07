// Server-side printing: what kube-apiserver returns for `Accept: application/json;as=Table;v=v1;
// g=meta.k8s.io`. Per kind, a printer from pkg/printers/internalversion (TableGenerator.GenerateTable
// via pkg/printers/storage.TableConvertor), or rest.DefaultTableConvertor (NAME, CREATED AT) for
// kinds without one (LimitRange). The row objects are then replaced per TableOptions.includeObject,
// as the handlers' asTable does (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go).
//
// Upstream's TableConvertor always generates with Wide: true (kubectl drops priority>0 columns
// itself unless -o wide): the API server should pass `wide: true`.
import * as columns from "./columns.ts";
import { formatRFC3339, timeMs } from "./duration.ts";
import { printEventsV1Event, printEvent } from "./event.ts";
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
import { printEndpointSlice, printEndpoints, printIngress, printService } from "./network.ts";
import { printNode } from "./node.ts";
import { printPod } from "./pod.ts";
import type {
  GenerateOptions,
  IncludeObject,
  ObjectWithMeta,
  PrintFunc,
  Table,
  TableColumnDefinition,
  TableListMeta,
  TableRow,
} from "./types.ts";
import {
  printControllerRevision,
  printCronJob,
  printDaemonSet,
  printDeployment,
  printJob,
  printReplicaSet,
  printStatefulSet,
} from "./workloads.ts";

interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  readonly print: PrintFunc;
}

/**
 * Printers by GroupKind, written as upstream's schema.GroupKind.String(): "Kind" for the core
 * group, "Kind.group" otherwise.
 */
const printers: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  ["Namespace", { columns: columns.namespaceColumns, print: printNamespace }],
  ["Node", { columns: columns.nodeColumns, print: printNode }],
  ["Pod", { columns: columns.podColumns, print: printPod }],
  ["Service", { columns: columns.serviceColumns, print: printService }],
  ["Endpoints", { columns: columns.endpointsColumns, print: printEndpoints }],
  ["Event", { columns: columns.eventColumns, print: printEvent }],
  ["ConfigMap", { columns: columns.configMapColumns, print: printConfigMap }],
  ["Secret", { columns: columns.secretColumns, print: printSecret }],
  ["ServiceAccount", { columns: columns.serviceAccountColumns, print: printServiceAccount }],
  ["ResourceQuota", { columns: columns.resourceQuotaColumns, print: printResourceQuota }],
  ["Deployment.apps", { columns: columns.deploymentColumns, print: printDeployment }],
  ["ReplicaSet.apps", { columns: columns.replicaSetColumns, print: printReplicaSet }],
  ["DaemonSet.apps", { columns: columns.daemonSetColumns, print: printDaemonSet }],
  ["StatefulSet.apps", { columns: columns.statefulSetColumns, print: printStatefulSet }],
  ["ControllerRevision.apps", { columns: columns.controllerRevisionColumns, print: printControllerRevision }],
  ["Job.batch", { columns: columns.jobColumns, print: printJob }],
  ["CronJob.batch", { columns: columns.cronJobColumns, print: printCronJob }],
  ["PodDisruptionBudget.policy", { columns: columns.podDisruptionBudgetColumns, print: printPodDisruptionBudget }],
  ["Lease.coordination.k8s.io", { columns: columns.leaseColumns, print: printLease }],
  ["EndpointSlice.discovery.k8s.io", { columns: columns.endpointSliceColumns, print: printEndpointSlice }],
  ["PriorityClass.scheduling.k8s.io", { columns: columns.priorityClassColumns, print: printPriorityClass }],
  ["Ingress.networking.k8s.io", { columns: columns.ingressColumns, print: printIngress }],
  ["Event.events.k8s.io", { columns: columns.eventColumns, print: printEventsV1Event }],
]);

/** GroupKinds with a dedicated printer; every other kind gets the default NAME / CREATED AT table. */
export const PRINTED_GROUP_KINDS: readonly string[] = [...printers.keys()];

/** schema.GroupKind.String() from an object's apiVersion and kind ("apps/v1", "Deployment" → "Deployment.apps"). */
export function groupKindOf(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  return group === "" ? kind : `${kind}.${group}`;
}

export interface PrintTableOptions extends GenerateOptions {
  readonly includeObject: IncludeObject;
  /** TableOptions.noHeaders: omit columnDefinitions (upstream sets it for watch events after the first). */
  readonly noHeaders?: boolean;
  /**
   * The list's metadata when printing a list (copied into the Table's metadata); absent when
   * printing a single object, whose resourceVersion is used instead.
   */
  readonly listMeta?: TableListMeta;
  /** The Table's group version, as negotiated: "meta.k8s.io/v1" (default) or "meta.k8s.io/v1beta1". */
  readonly tableApiVersion?: string;
}

/** The row object per TableOptions.includeObject (asTable). */
function rowObject(obj: ObjectWithMeta, includeObject: IncludeObject, tableApiVersion: string): unknown {
  switch (includeObject) {
    case "Object":
      return obj;
    case "Metadata":
      // meta.AsPartialObjectMetadata, typed with the Table's group version.
      return { kind: "PartialObjectMetadata", apiVersion: tableApiVersion, metadata: obj.metadata ?? {} };
    case "None":
      return null;
  }
}

function tableMetadata(objects: readonly ObjectWithMeta[], listMeta: TableListMeta | undefined): TableListMeta {
  const source: TableListMeta = listMeta ?? { resourceVersion: objects[0]?.metadata?.resourceVersion };
  const meta: TableListMeta = {};
  // Go's ListMeta fields are all omitempty.
  if (source.resourceVersion !== undefined && source.resourceVersion !== "") meta.resourceVersion = source.resourceVersion;
  if (source.continue !== undefined && source.continue !== "") meta.continue = source.continue;
  if (source.remainingItemCount !== undefined) meta.remainingItemCount = source.remainingItemCount;
  return meta;
}

/** rest.DefaultTableConvertor's row: the name and the creation time in RFC 3339 (UTC). */
function defaultRow(obj: ObjectWithMeta): TableRow {
  return {
    cells: [obj.metadata?.name ?? "", formatRFC3339(timeMs(obj.metadata?.creationTimestamp))],
    object: obj,
  };
}

/**
 * Build the meta.k8s.io Table for `objects` of one kind (a single GET result or a list's items).
 * `groupKind` is upstream's GroupKind string ("Pod", "Deployment.apps", "Event.events.k8s.io");
 * see groupKindOf. Objects are served objects as stored (validated and defaulted).
 * Throws PrintError where upstream's printer fails (a controller owner reference with an
 * unparsable apiVersion).
 */
export function printTable(groupKind: string, objects: readonly unknown[], options: PrintTableOptions): Table {
  const items = objects as readonly ObjectWithMeta[];
  const apiVersion = options.tableApiVersion ?? "meta.k8s.io/v1";
  const printer = printers.get(groupKind);
  let columnDefinitions: TableColumnDefinition[] | null;
  let rows: TableRow[] | null;
  if (printer === undefined) {
    // DefaultTableConvertor: always both columns; rows stay nil (null) for an empty list.
    columnDefinitions = options.noHeaders === true ? null : [...columns.defaultColumns];
    rows = items.length === 0 ? null : items.map(defaultRow);
  } else {
    // GenerateTable: without Wide, only priority-0 columns.
    const defs = options.wide ? printer.columns : printer.columns.filter((c) => c.priority === 0);
    columnDefinitions = options.noHeaders === true ? null : [...defs];
    rows = items.map((obj) => {
      const printed = printer.print(obj as never, options);
      // Key order as Go encodes a TableRow: cells, conditions, object.
      return printed.conditions === undefined
        ? { cells: printed.cells, object: obj }
        : { cells: printed.cells, conditions: printed.conditions, object: obj };
    });
  }
  for (const row of rows ?? []) row.object = rowObject(row.object as ObjectWithMeta, options.includeObject, apiVersion);
  return {
    kind: "Table",
    apiVersion,
    metadata: tableMetadata(items, options.listMeta),
    columnDefinitions,
    rows,
  };
}
