// Response transformations asked for in Accept (handlers/response.go doTransformObject): a
// meta.k8s.io Table (server-side printing, `as=Table`), PartialObjectMetadata for one object and
// PartialObjectMetadataList for a list. Status objects pass untouched. Pure: `nowMs` comes from the
// caller's Clock.
import type { KubeObject, Status } from "../../../spec/interfaces/api-client.ts";
import { badRequest } from "../errors.ts";
import { type IncludeObject, printTable } from "../printers/index.ts";
import type { ConvertTarget } from "./media.ts";
import { notAcceptableBecause } from "./statuses.ts";

export interface TransformOptions {
  target: ConvertTarget;
  /** The GroupKind printers are keyed by ("Pod", "Deployment.apps"). */
  groupKind: string;
  /** The group of the endpoint's kind, for the Go type names of error messages. */
  group: string;
  /** The endpoint's apiVersion and kind, set on Table row objects (list items carry none). */
  typeMeta?: { apiVersion: string; kind: string };
  /** Query parameters (TableOptions.includeObject). */
  query: Readonly<Record<string, string>>;
  nowMs: number;
  /** TableOptions.NoHeaders: watch events after the first. */
  noHeaders?: boolean;
}

export type Transformed = { value: unknown } | { status: Status };

function isStatus(obj: KubeObject): boolean {
  return obj.kind === "Status" && obj.apiVersion === "v1";
}

/** meta.IsListType for the served lists: an `items` array. */
export function isList(obj: KubeObject): obj is KubeObject & { items: unknown[] } {
  return Array.isArray(obj.items);
}

export function transformObject(obj: KubeObject, o: TransformOptions): Transformed {
  if (isStatus(obj)) return { value: obj };
  const apiVersion = `${o.target.group}/${o.target.version}`;
  switch (o.target.kind) {
    case "Table":
      return asTable(obj, o, apiVersion);
    case "PartialObjectMetadata":
      if (isList(obj)) {
        return { status: notAcceptableBecause(`you requested PartialObjectMetadata, but the requested object is a list (${goTypeName(o.group, String(obj.kind))})`) };
      }
      return { value: partial(obj, apiVersion) };
    case "PartialObjectMetadataList": {
      if (!isList(obj)) {
        return { status: notAcceptableBecause(`you requested PartialObjectMetadataList, but the requested object is not a list (${goTypeName(o.group, String(obj.kind))})`) };
      }
      const items = obj.items.map((item) => partial(item as KubeObject, apiVersion));
      // Go leaves the new list's Items nil when the list is empty.
      return { value: { kind: "PartialObjectMetadataList", apiVersion, metadata: listMeta(obj), items: items.length === 0 ? null : items } };
    }
    default:
      return { status: notAcceptableBecause(`only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`) };
  }
}

/** meta.AsPartialObjectMetadata typed with the requested group version. */
function partial(obj: KubeObject, apiVersion: string): Record<string, unknown> {
  return { kind: "PartialObjectMetadata", apiVersion, metadata: obj.metadata ?? {} };
}

/** metav1.ListMeta with its omitempty fields. */
function listMeta(obj: KubeObject): { resourceVersion?: string; continue?: string; remainingItemCount?: number } {
  const m = (obj.metadata ?? {}) as Record<string, unknown>;
  const out: { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {};
  if (typeof m.resourceVersion === "string" && m.resourceVersion !== "") out.resourceVersion = m.resourceVersion;
  if (typeof m.continue === "string" && m.continue !== "") out.continue = m.continue;
  if (typeof m.remainingItemCount === "number") out.remainingItemCount = m.remainingItemCount;
  return out;
}

const INCLUDE_OBJECT: Readonly<Record<string, IncludeObject>> = { "": "Metadata", Metadata: "Metadata", Object: "Object", None: "None" };

/** asTable: the kind's printer; the row objects per TableOptions.includeObject. */
function asTable(obj: KubeObject, o: TransformOptions, apiVersion: string): Transformed {
  const requested = o.query.includeObject ?? "";
  const include = Object.hasOwn(INCLUDE_OBJECT, requested) ? INCLUDE_OBJECT[requested] : undefined;
  // includeObject=Object converts each row object to the endpoint's version, which sets its type.
  const typed = (item: unknown): unknown => (o.typeMeta === undefined ? item : { kind: o.typeMeta.kind, apiVersion: o.typeMeta.apiVersion, ...(item as object) });
  const objects = isList(obj) ? obj.items.map(typed) : [obj];
  // Upstream only looks at includeObject while filling rows.
  if (include === undefined && objects.length > 0) return { status: badRequest(`unrecognized includeObject value: ${JSON.stringify(requested)}`) };
  const table = printTable(o.groupKind, objects, {
    wide: true,
    nowMs: o.nowMs,
    includeObject: include ?? "Metadata",
    tableApiVersion: apiVersion,
    ...(isList(obj) ? { listMeta: listMeta(obj) } : {}),
    ...(o.noHeaders === true ? { noHeaders: true } : {}),
  });
  return { value: table };
}

/**
 * The %T of the internal object in upstream's messages, e.g. `*core.PodList`. Internal packages are
 * named after the group's first label (the core group's, and events.k8s.io's, is `core`); not
 * checked against a running server.
 */
function goTypeName(group: string, kind: string): string {
  const pkg = group === "" || group === "events.k8s.io" ? "core" : (group.split(".")[0] ?? group);
  return `*${pkg}.${kind}`;
}
