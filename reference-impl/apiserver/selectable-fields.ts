// Field selectors per kind: which field labels a request may use (upstream's field label conversion
// funcs, pkg/apis/*/v1/conversion.go) and the values an object offers for them (GetAttrs /
// ToSelectableFields in pkg/registry/*/strategy.go). A label the conversion accepts but the object
// does not offer reads as "" (as upstream's fields.Set does).
import type { KubeObject } from "../../spec/interfaces/api-client.ts";
import { FieldSelectorError } from "../../spec/semantics/fields.ts";

export type FieldSet = Record<string, string>;

/** Which labels a kind accepts, and how a refusal reads. */
export interface FieldLabels {
  /** Accepted labels; a label mapped to another is renamed (e.g. legacy `spec.host`). */
  readonly accepted: Readonly<Record<string, string>>;
  /** "default": DefaultMetaV1FieldSelectorConversion's message; "notSupported": `field label not supported: x`. */
  readonly refusal: "default" | "notSupported";
}

/** metadata.name and metadata.namespace only: what kinds without their own conversion accept. */
export const metadataFieldLabels: FieldLabels = {
  accepted: { "metadata.name": "metadata.name", "metadata.namespace": "metadata.namespace" },
  refusal: "default",
};

/** A conversion func accepting metadata fields plus `extra`. */
export function fieldLabels(extra: readonly string[], opts: { namespaceLabel?: boolean; renames?: Record<string, string> } = {}): FieldLabels {
  const accepted: Record<string, string> = { "metadata.name": "metadata.name" };
  if (opts.namespaceLabel ?? true) accepted["metadata.namespace"] = "metadata.namespace";
  for (const f of extra) accepted[f] = f;
  Object.assign(accepted, opts.renames ?? {});
  return { accepted, refusal: "notSupported" };
}

/** The field label conversion: the label to match on, or a FieldSelectorError with upstream's text. */
export function convertFieldLabel(labels: FieldLabels, label: string, value: string): { field: string; value: string } {
  const to = Object.hasOwn(labels.accepted, label) ? labels.accepted[label] : undefined;
  if (to !== undefined) return { field: to, value };
  throw new FieldSelectorError(
    labels.refusal === "default"
      ? `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`
      : `field label not supported: ${label}`,
  );
}

/** AddObjectMetaFieldsSet: metadata.name, plus metadata.namespace for namespaced kinds. */
export function objectMetaFields(obj: KubeObject, namespaced: boolean): FieldSet {
  const set: FieldSet = { "metadata.name": obj.metadata?.name ?? "" };
  if (namespaced) set["metadata.namespace"] = obj.metadata?.namespace ?? "";
  return set;
}

/** A string (or number/boolean, printed) at `path`, "" when absent. */
export function fieldString(obj: unknown, ...path: string[]): string {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return "";
    cur = (cur as Record<string, unknown>)[p];
  }
  if (typeof cur === "string") return cur;
  if (typeof cur === "number" || typeof cur === "boolean") return String(cur);
  return "";
}

function fieldBool(obj: unknown, ...path: string[]): string {
  return fieldString(obj, ...path) === "true" ? "true" : "false";
}

function fieldInt(obj: unknown, ...path: string[]): string {
  const s = fieldString(obj, ...path);
  return s === "" ? "0" : s;
}

/** pod.ToSelectableFields. */
export function podFields(pod: KubeObject): FieldSet {
  const podIPs = (pod.status as { podIPs?: unknown } | undefined)?.podIPs;
  const firstIP = Array.isArray(podIPs) && podIPs.length > 0 ? fieldString(podIPs[0], "ip") : fieldString(pod, "status", "podIP");
  return {
    "spec.nodeName": fieldString(pod, "spec", "nodeName"),
    "spec.restartPolicy": fieldString(pod, "spec", "restartPolicy"),
    "spec.schedulerName": fieldString(pod, "spec", "schedulerName"),
    "spec.serviceAccountName": fieldString(pod, "spec", "serviceAccountName"),
    "spec.hostNetwork": fieldBool(pod, "spec", "hostNetwork"),
    "status.phase": fieldString(pod, "status", "phase"),
    "status.podIP": firstIP,
    "status.nominatedNodeName": fieldString(pod, "status", "nominatedNodeName"),
  };
}

/** event.ToSelectableFields (core/v1 field names; `source` falls back to the reporting controller). */
export function eventFields(ev: KubeObject): FieldSet {
  const reporting = fieldString(ev, "reportingComponent");
  const source = fieldString(ev, "source", "component");
  const io = (f: string): string => fieldString(ev, "involvedObject", f);
  return {
    "involvedObject.kind": io("kind"),
    "involvedObject.namespace": io("namespace"),
    "involvedObject.name": io("name"),
    "involvedObject.uid": io("uid"),
    "involvedObject.apiVersion": io("apiVersion"),
    "involvedObject.resourceVersion": io("resourceVersion"),
    "involvedObject.fieldPath": io("fieldPath"),
    reason: fieldString(ev, "reason"),
    reportingComponent: reporting,
    source: source === "" ? reporting : source,
    type: fieldString(ev, "type"),
  };
}

export const eventFieldLabels = fieldLabels([
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
]);

export const podFieldLabels = fieldLabels(
  [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
  ],
  // Old v1 clients sent spec.host.
  { renames: { "spec.host": "spec.nodeName" } },
);

export const nodeFieldLabels = fieldLabels(["spec.unschedulable"], { namespaceLabel: false });
export const nodeFields = (node: KubeObject): FieldSet => ({ "spec.unschedulable": fieldBool(node, "spec", "unschedulable") });

export const namespaceFieldLabels = fieldLabels(["status.phase"], { namespaceLabel: false });
export const namespaceFields = (ns: KubeObject): FieldSet => ({ "status.phase": fieldString(ns, "status", "phase") });

export const secretFieldLabels = fieldLabels(["type"]);
export const secretFields = (secret: KubeObject): FieldSet => ({ type: fieldString(secret, "type") });

export const jobFieldLabels = fieldLabels(["status.successful"]);
export const jobFields = (job: KubeObject): FieldSet => ({ "status.successful": fieldInt(job, "status", "succeeded") });

/** ReplicaSets offer status.replicas, but apps/v1 registers no conversion that accepts it. */
export const replicaSetFields = (rs: KubeObject): FieldSet => ({ "status.replicas": fieldInt(rs, "status", "replicas") });
