// The registry's create and update strategies (PrepareForCreate / PrepareForUpdate in
// pkg/registry/<group>/<kind>/strategy.go), driven by the facts in resources.ts: status reset on
// create, status separation between the main resource and /status, generation bumps, and the
// registry's immutable fields. Kind-specific steps upstream has for Namespaces, Pods and DaemonSets
// are here too; kind defaulting and validation belong to the defaults/ and validation/ modules.
import type { KubeObject } from "../../spec/interfaces/api-client.ts";
import { type FieldError, FieldPath, forbidden, invalid } from "../../spec/semantics/field-errors.ts";
import { FIELD_IMMUTABLE_ERROR_MSG } from "../../spec/semantics/validation.ts";
import { metaOf } from "./meta.ts";
import type { ResourceInfo } from "./resources.ts";
import { jsonEqual } from "./storage/json-equal.ts";

/** The label every namespace carries with its own name (NamespaceDefaultLabelName). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
export const FINALIZER_KUBERNETES = "kubernetes";
/** apps/v1 DaemonSets keep extensions' templateGeneration in this annotation. */
export const DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/** Which strategy an update runs: the main resource's, /status's, or namespaces/finalize's. */
export type UpdateMode = "main" | "status" | "finalize";

type Json = Record<string, unknown>;

function asRecord(v: unknown): Json | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

/** PrepareForCreate: the registry's part (status, generation, kind specifics). */
export function prepareForCreate(info: ResourceInfo, obj: KubeObject): void {
  const meta = metaOf(obj);
  if (info.generation !== "none") meta.generation = 1;
  if (info.statusOnCreate === "reset") obj.status = {};
  switch (kindKey(info)) {
    case "/Namespace": {
      obj.status = { phase: "Active" };
      const spec = asRecord(obj.spec) ?? {};
      const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as unknown[]) : [];
      if (!finalizers.includes(FINALIZER_KUBERNETES)) spec.finalizers = [...finalizers, FINALIZER_KUBERNETES];
      obj.spec = spec;
      setNamespaceNameLabel(obj);
      break;
    }
    case "/Pod":
      obj.status = { phase: "Pending" };
      break;
    case "apps/DaemonSet":
      meta.annotations = { ...(meta.annotations ?? {}), [DAEMONSET_TEMPLATE_GENERATION_ANNOTATION]: "1" };
      break;
  }
}

/** PrepareForUpdate of `mode`, after BeforeUpdate copied generation from the old object. */
export function prepareForUpdate(info: ResourceInfo, obj: KubeObject, old: KubeObject, mode: UpdateMode): void {
  if (mode === "status") return prepareStatusUpdate(info, obj, old);
  if (mode === "finalize") {
    // Only spec.finalizers may change through namespaces/finalize.
    const finalizers = asRecord(obj.spec)?.finalizers;
    obj.spec = { ...(asRecord(old.spec) ?? {}), finalizers };
    copyTopLevel(obj, old, "status");
    return;
  }
  if (info.subresources.some((s) => s.name === "status")) copyTopLevel(obj, old, "status");
  if (kindKey(info) === "/Namespace") {
    const spec = asRecord(obj.spec) ?? {};
    const oldFinalizers = asRecord(old.spec)?.finalizers;
    if (oldFinalizers === undefined) delete spec.finalizers;
    else spec.finalizers = structuredClone(oldFinalizers);
    obj.spec = spec;
    setNamespaceNameLabel(obj);
  }
  if (kindKey(info) === "apps/DaemonSet") bumpTemplateGeneration(obj, old);
  if (generationChanged(info.generation, obj, old)) metaOf(obj).generation = (old.metadata?.generation ?? 0) + 1;
}

/** A /status write keeps everything but .status (and, per kind, a few metadata fields) from the old object. */
function prepareStatusUpdate(info: ResourceInfo, obj: KubeObject, old: KubeObject): void {
  for (const key of new Set([...Object.keys(obj), ...Object.keys(old)])) {
    if (key !== "metadata" && key !== "status" && key !== "apiVersion" && key !== "kind") copyTopLevel(obj, old, key);
  }
  const meta = metaOf(obj);
  if (info.statusKeepsLabels) setOrDelete(meta, "labels", old.metadata?.labels);
  if (kindKey(info) === "/Pod") {
    // Old kubelets corrupted owner references through pods/status; QoS class is fixed at creation.
    setOrDelete(meta, "ownerReferences", old.metadata?.ownerReferences);
    const status = asRecord(obj.status);
    const oldQos = asRecord(old.status)?.qosClass;
    if (status !== undefined && (status.qosClass === undefined || status.qosClass === "") && oldQos !== undefined) status.qosClass = oldQos;
  }
}

function generationChanged(policy: ResourceInfo["generation"], obj: KubeObject, old: KubeObject): boolean {
  switch (policy) {
    case "none":
      return false;
    case "spec":
      return !jsonEqual(obj.spec, old.spec);
    case "specOrAnnotations":
      return !jsonEqual(obj.spec, old.spec) || !jsonEqual(obj.metadata?.annotations ?? {}, old.metadata?.annotations ?? {});
    case "nonMetadataOrLabels": {
      const { metadata: _m, ...rest } = obj;
      const { metadata: _o, ...oldRest } = old;
      return !jsonEqual(rest, oldRest) || !jsonEqual(obj.metadata?.labels ?? {}, old.metadata?.labels ?? {});
    }
  }
}

/** The registry's own update validation: fields that never change (selectors, addressType, ...). */
export function validateImmutableFields(info: ResourceInfo, obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of info.immutableFields) {
    const now = valueAt(obj, f.path);
    if (jsonEqual(now, valueAt(old, f.path))) continue;
    const path = FieldPath.of(f.path[0]!, ...f.path.slice(1));
    errs.push(f.error === "immutable" ? invalid(path, badValue(now), FIELD_IMMUTABLE_ERROR_MSG) : forbidden(path, f.error.forbidden));
  }
  return errs;
}

function badValue(v: unknown): string | number | boolean | null | { json: unknown } {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return { json: v };
}

function valueAt(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) cur = asRecord(cur)?.[p];
  return cur;
}

function kindKey(info: ResourceInfo): string {
  return `${info.group}/${info.kind}`;
}

function copyTopLevel(obj: KubeObject, old: KubeObject, key: string): void {
  if (Object.hasOwn(old, key)) obj[key] = structuredClone(old[key]);
  else delete obj[key];
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = structuredClone(value);
}

function setNamespaceNameLabel(obj: KubeObject): void {
  const meta = metaOf(obj);
  if (meta.name !== undefined && meta.name !== "") meta.labels = { ...(meta.labels ?? {}), [NAMESPACE_NAME_LABEL]: meta.name };
}

function bumpTemplateGeneration(obj: KubeObject, old: KubeObject): void {
  const oldGen = old.metadata?.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION];
  const changed = !jsonEqual(asRecord(obj.spec)?.template, asRecord(old.spec)?.template);
  const next = changed ? String(Number(oldGen ?? "0") + 1) : oldGen;
  const meta = metaOf(obj);
  if (next === undefined) return;
  meta.annotations = { ...(meta.annotations ?? {}), [DAEMONSET_TEMPLATE_GENERATION_ANNOTATION]: next };
}
