// Pods and pod templates (pkg/apis/core/validation: ValidatePodCreate, ValidatePodUpdate,
// ValidatePodTemplateSpec, the pod-specific annotations, and the seccomp/AppArmor
// annotation-versus-field consistency checks).

import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  required,
} from "../../../spec/semantics/field-errors.ts";
import { goQuote, sortedGoStrings } from "../../../spec/semantics/go-compat.ts";
import { nameIsDNSSubdomain, validateAnnotations, validateLabels, inclusiveRangeError } from "../../../spec/semantics/validation.ts";
import {
  arr,
  INT32_MAX,
  type Json,
  metaOf,
  numOrUndef,
  path,
  rec,
  recOrUndef,
  str,
  strMap,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
} from "./common.ts";
import { imageWhitespace } from "./containers.ts";
import { semanticEqual, specDiff, strictEqual } from "./equality.ts";
import { pointerBadValue, stringMapBadValue } from "./go-syntax.ts";
import { validatePodSpec, validateTolerations } from "./pod-spec.ts";
import { validateLocalDescendingPath } from "./volumes.ts";

export const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
const TOLERATIONS_ANNOTATION = "scheduler.alpha.kubernetes.io/tolerations";
const POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** The fields a pod update may change, as upstream lists them in its message. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

// ---- annotations ----

function allContainers(spec: Json): Json[] {
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((k) => arr(spec[k]).map(rec));
}

function validateSeccompProfileAnnotation(value: string, p: FieldPath): FieldError[] {
  if (value === "runtime/default" || value === "docker/default" || value === "unconfined") return [];
  if (value.startsWith("localhost/")) return validateLocalDescendingPath(value.slice("localhost/".length), p);
  return [invalid(p, value, "must be a valid seccomp profile")];
}

/** A 32-bit integer without a plus sign or leading zeros (helper.GetDeletionCostFromPodAnnotations). */
function isValidDeletionCost(value: string): boolean {
  const firstOk = value.length > 0 && (value[0] === "-" || value === "0" || (value[0] !== undefined && value[0] >= "1" && value[0] <= "9"));
  if (!firstOk || !/^-?[0-9]+$/.test(value)) return false;
  const n = Number(value);
  return n >= -2147483648 && n <= INT32_MAX;
}

/** ValidatePodSpecificAnnotations. */
export function validatePodSpecificAnnotations(annotations: Record<string, string>, spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mirror = annotations[MIRROR_POD_ANNOTATION];
  if (mirror !== undefined && str(spec["nodeName"]).length === 0) {
    errs.push(invalid(p.key(MIRROR_POD_ANNOTATION), mirror, "must set spec.nodeName if mirror pod annotation is set"));
  }
  const tolerationsText = annotations[TOLERATIONS_ANNOTATION] ?? "";
  if (tolerationsText !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(tolerationsText);
    } catch (e) {
      // Go's encoding/json error text differs; the JSON parser's message is reported instead.
      errs.push(invalid(p, TOLERATIONS_ANNOTATION, e instanceof Error ? e.message : String(e)));
    }
    if (Array.isArray(parsed) && parsed.length > 0) errs.push(...validateTolerations(parsed, p.child(TOLERATIONS_ANNOTATION)));
  }
  const cost = annotations[POD_DELETION_COST_ANNOTATION];
  if (cost !== undefined && !isValidDeletionCost(cost)) {
    errs.push(invalid(p.key(POD_DELETION_COST_ANNOTATION), cost, "must be a 32bit integer"));
  }
  const seccompPod = annotations[SECCOMP_POD_ANNOTATION];
  if (seccompPod !== undefined) errs.push(...validateSeccompProfileAnnotation(seccompPod, p.child(SECCOMP_POD_ANNOTATION)));
  for (const k of sortedGoStrings(Object.keys(annotations))) {
    if (k.startsWith(SECCOMP_CONTAINER_PREFIX)) {
      errs.push(...validateSeccompProfileAnnotation(annotations[k] ?? "", p.child(k)));
    }
  }
  const names = new Set(allContainers(spec).map((c) => str(c["name"])));
  for (const k of sortedGoStrings(Object.keys(annotations))) {
    if (!k.startsWith(APPARMOR_CONTAINER_PREFIX)) continue;
    const container = k.slice(APPARMOR_CONTAINER_PREFIX.length);
    const profile = annotations[k] ?? "";
    if (!names.has(container)) errs.push(invalid(p.key(k), container, "container not found"));
    if (profile !== "" && profile !== "runtime/default" && profile !== "unconfined" && !profile.startsWith("localhost/")) {
      errs.push(invalid(p.key(k), profile, `invalid AppArmor profile name: ${goQuote(profile)}`));
    }
  }
  return errs;
}

function validatePodSpecificAnnotationUpdates(newPod: Json, oldPod: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const newAnn = strMap(metaOf(newPod).annotations) ?? {};
  const oldAnn = strMap(metaOf(oldPod).annotations) ?? {};
  for (const k of sortedGoStrings(Object.keys(oldAnn))) {
    if (newAnn[k] === oldAnn[k]) continue;
    if (k.startsWith(APPARMOR_CONTAINER_PREFIX)) errs.push(forbidden(p.key(k), "may not remove or update AppArmor annotations"));
    if (k === MIRROR_POD_ANNOTATION) errs.push(forbidden(p.key(k), "may not remove or update mirror pod annotation"));
  }
  for (const k of sortedGoStrings(Object.keys(newAnn))) {
    if (k in oldAnn) continue;
    if (k.startsWith(APPARMOR_CONTAINER_PREFIX)) errs.push(forbidden(p.key(k), "may not add AppArmor annotations"));
    if (k === MIRROR_POD_ANNOTATION) errs.push(forbidden(p.key(k), "may not add mirror pod annotation"));
  }
  errs.push(...validatePodSpecificAnnotations(newAnn, rec(newPod["spec"]), p));
  return errs;
}

interface ContainerAt {
  readonly ctr: Json;
  readonly at: FieldPath;
}

function containersWithPath(spec: Json, specPath: FieldPath): ContainerAt[] {
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((k) =>
    arr(spec[k]).map((c, i) => ({ ctr: rec(c), at: specPath.child(k).index(i) })),
  );
}

function seccompMatch(annotation: string, field: Json, p: FieldPath): FieldError[] {
  const type = str(field["type"]);
  const mismatch = forbidden(p.child("type"), "seccomp type in annotation and field must match");
  if (type === "Unconfined" && annotation !== "unconfined") return [mismatch];
  if (type === "RuntimeDefault" && annotation !== "runtime/default" && annotation !== "docker/default") return [mismatch];
  if (type === "Localhost") {
    if (!annotation.startsWith("localhost/")) return [mismatch];
    const profile = field["localhostProfile"];
    if (typeof profile !== "string" || annotation.slice("localhost/".length) !== profile) {
      return [forbidden(p.child("localhostProfile"), "seccomp profile in annotation and field must match")];
    }
  }
  return [];
}

function validateSeccompAnnotationsAndFields(annotations: Record<string, string>, spec: Json, specPath: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const podProfile = recOrUndef(rec(spec["securityContext"])["seccompProfile"]);
  const podAnnotation = annotations[SECCOMP_POD_ANNOTATION];
  if (podProfile !== undefined && podAnnotation !== undefined) {
    errs.push(...seccompMatch(podAnnotation, podProfile, specPath.child("securityContext").child("seccompProfile")));
  }
  for (const { ctr, at } of containersWithPath(spec, specPath)) {
    const profile = recOrUndef(rec(ctr["securityContext"])["seccompProfile"]);
    const annotation = annotations[SECCOMP_CONTAINER_PREFIX + str(ctr["name"])];
    if (profile !== undefined && annotation !== undefined) {
      errs.push(...seccompMatch(annotation, profile, at.child("securityContext").child("seccompProfile")));
    }
  }
  return errs;
}

function validateAppArmorAnnotationsAndFields(annotations: Record<string, string>, spec: Json, specPath: FieldPath): FieldError[] {
  if (str(rec(spec["os"])["name"]) === "windows") return [];
  const errs: FieldError[] = [];
  const podProfile = recOrUndef(rec(spec["securityContext"])["appArmorProfile"]);
  for (const { ctr, at } of containersWithPath(spec, specPath)) {
    const profile = recOrUndef(rec(ctr["securityContext"])["appArmorProfile"]) ?? podProfile;
    const annotation = annotations[APPARMOR_CONTAINER_PREFIX + str(ctr["name"])];
    if (profile === undefined || annotation === undefined) continue;
    const p = at.child("securityContext").child("appArmorProfile");
    const mismatch = forbidden(p.child("type"), "apparmor type in annotation and field must match");
    const type = str(profile["type"]);
    if (type === "Unconfined" && annotation !== "unconfined") errs.push(mismatch);
    if (type === "RuntimeDefault" && annotation !== "runtime/default") errs.push(mismatch);
    if (type === "Localhost") {
      if (!annotation.startsWith("localhost/")) errs.push(mismatch);
      else if (annotation.slice("localhost/".length) !== profile["localhostProfile"]) {
        errs.push(forbidden(p.child("localhostProfile"), "apparmor profile in annotation and field must match"));
      }
    }
  }
  return errs;
}

// ---- pods ----

/** validatePodMetadataAndSpec. */
function validatePodMetadataAndSpec(pod: Json): FieldError[] {
  const metaPath = path("metadata");
  const specPath = path("spec");
  const meta = metaOf(pod);
  const spec = rec(pod["spec"]);
  const errs = validateCoreObjectMeta(meta, true, nameIsDNSSubdomain, metaPath);
  errs.push(...validatePodSpecificAnnotations(strMap(meta.annotations) ?? {}, spec, metaPath.child("annotations")));
  errs.push(...validatePodSpec(spec, specPath, { resourceIsPod: true, podName: meta.name ?? "" }));
  if (str(spec["serviceAccountName"]) === "") {
    arr(spec["volumes"]).forEach((v, vi) => {
      const projected = recOrUndef(rec(v)["projected"]);
      if (projected === undefined) return;
      arr(projected["sources"]).forEach((s, si) => {
        if (recOrUndef(rec(s)["serviceAccountToken"]) !== undefined) {
          const at = specPath.child("volumes").index(vi).child("projected").child("sources").index(si).child("serviceAccountToken");
          errs.push(forbidden(at, "must not be specified when serviceAccountName is not set"));
        }
      });
    });
  }
  for (const kind of ["containers", "initContainers"]) {
    arr(spec[kind]).forEach((c, i) => errs.push(...imageWhitespace(rec(c), specPath.child(kind).index(i))));
  }
  return errs;
}

/** ValidatePodCreate (with the options the pod strategy uses). */
export function validatePodCreate(pod: Json): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const specPath = path("spec");
  const spec = rec(pod["spec"]);
  if (arr(spec["ephemeralContainers"]).length > 0) errs.push(forbidden(specPath.child("ephemeralContainers"), "cannot be set on create"));
  if (str(spec["nodeName"]) !== "" && arr(spec["schedulingGates"]).length !== 0) {
    errs.push(forbidden(specPath.child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
  }
  const annotations = strMap(metaOf(pod).annotations) ?? {};
  errs.push(...validateSeccompAnnotationsAndFields(annotations, spec, specPath));
  errs.push(...validateAppArmorAnnotationsAndFields(annotations, spec, specPath));
  return errs;
}

function validateContainerUpdates(newCs: readonly unknown[], oldCs: readonly unknown[], p: FieldPath): { errs: FieldError[]; stop: boolean } {
  if (newCs.length !== oldCs.length) return { errs: [forbidden(p, "pod updates may not add or remove containers")], stop: true };
  const errs: FieldError[] = [];
  newCs.forEach((c, i) => {
    const image = str(rec(c)["image"]);
    if (image.length === 0) errs.push(required(p.index(i).child("image"), ""));
    if (image.trim().length !== image.length) {
      errs.push(invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace"));
    }
  });
  return { errs, stop: false };
}

/** validateOnlyAddedTolerations: existing tolerations stay, except for their tolerationSeconds. */
function validateOnlyAddedTolerations(newTs: readonly unknown[], oldTs: readonly unknown[], p: FieldPath): FieldError[] {
  for (const old of oldTs) {
    const found = newTs.some((n) => strictEqual({ ...rec(old), tolerationSeconds: rec(n)["tolerationSeconds"] }, n));
    if (!found) return [forbidden(p, "existing toleration can not be modified except its tolerationSeconds")];
  }
  return validateTolerations(newTs, p);
}

function validateOnlyDeletedSchedulingGates(newGates: readonly unknown[], oldGates: readonly unknown[], p: FieldPath): FieldError[] {
  if (newGates.length === 0) return [];
  const added = new Map<string, number>();
  newGates.forEach((g, i) => added.set(str(rec(g)["name"]), i));
  for (const g of oldGates) added.delete(str(rec(g)["name"]));
  return [...added.entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([gate, i]) => forbidden(p.index(i).child("name"), `only deletion is allowed, but found new scheduling gate '${gate}'`));
}

function nodeSelectorTermsOf(affinity: unknown): readonly unknown[] | undefined {
  const req = recOrUndef(rec(rec(affinity)["nodeAffinity"])["requiredDuringSchedulingIgnoredDuringExecution"]);
  return req === undefined ? undefined : arr(req["nodeSelectorTerms"]);
}

function termHasOnlyAdditions(newTerm: Json, oldTerm: Json): boolean {
  const oldExprs = arr(oldTerm["matchExpressions"]);
  const oldFields = arr(oldTerm["matchFields"]);
  const newExprs = arr(newTerm["matchExpressions"]);
  const newFields = arr(newTerm["matchFields"]);
  if (oldExprs.length === 0 && oldFields.length === 0 && (newExprs.length > 0 || newFields.length > 0)) return false;
  if (oldExprs.length > 0 && (newExprs.length < oldExprs.length || !semanticEqual(newExprs.slice(0, oldExprs.length), oldExprs))) return false;
  if (oldFields.length > 0 && (newFields.length < oldFields.length || !semanticEqual(newFields.slice(0, oldFields.length), oldFields))) {
    return false;
  }
  return true;
}

/** Gated pods may add (not change) node selectors and required node affinity terms. */
function mungeGatedPodScheduling(munged: Record<string, unknown>, oldSpec: Json, specPath: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const oldSelector = strMap(oldSpec["nodeSelector"]) ?? {};
  const newSelector = strMap(munged["nodeSelector"]);
  if (!semanticEqual(newSelector, oldSelector)) {
    for (const [k, v] of Object.entries(oldSelector)) {
      if (newSelector?.[k] !== v) {
        errs.push(
          invalid(specPath.child("nodeSelector"), stringMapBadValue(newSelector), "only additions to spec.nodeSelector are allowed (no mutations or deletions)"),
        );
        break;
      }
    }
    munged["nodeSelector"] = oldSpec["nodeSelector"];
  }
  const oldAffinity = recOrUndef(oldSpec["affinity"]);
  const oldNodeAffinity = oldAffinity?.["nodeAffinity"];
  const mungedAffinity = recOrUndef(munged["affinity"]);
  const mungedNodeAffinity = mungedAffinity?.["nodeAffinity"];
  if (!semanticEqual(oldNodeAffinity, mungedNodeAffinity)) {
    const naPath = specPath.child("affinity").child("nodeAffinity");
    const termsPath = naPath.child("requiredDuringSchedulingIgnoredDuringExecution").child("nodeSelectorTerms");
    const oldTerms = nodeSelectorTermsOf(oldAffinity);
    if (oldTerms !== undefined) {
      const newTerms = nodeSelectorTermsOf(mungedAffinity) ?? [];
      if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
        errs.push(invalid(termsPath, { json: newTerms }, "no additions/deletions to non-empty NodeSelectorTerms list are allowed"));
      } else {
        oldTerms.forEach((t, i) => {
          if (!termHasOnlyAdditions(rec(newTerms[i]), rec(t))) {
            errs.push(invalid(termsPath.index(i), { json: newTerms[i] }, "only additions are allowed (no mutations or deletions)"));
          }
        });
      }
    }
    if (mungedAffinity === undefined && oldNodeAffinity !== undefined) munged["affinity"] = { nodeAffinity: oldNodeAffinity };
    else if (mungedAffinity !== undefined && oldAffinity === undefined && mungedAffinity["podAffinity"] === undefined && mungedAffinity["podAntiAffinity"] === undefined) {
      delete munged["affinity"];
    } else if (mungedAffinity !== undefined) munged["affinity"] = { ...mungedAffinity, nodeAffinity: oldNodeAffinity };
  }
  return errs;
}

function withOldImages(newCs: readonly unknown[], oldCs: readonly unknown[]): unknown[] {
  return newCs.map((c, i) => ({ ...rec(c), image: rec(oldCs[i])["image"] }));
}

/** ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and removed gates may change. */
export function validatePodUpdate(newPod: Json, oldPod: Json): FieldError[] {
  const metaPath = path("metadata");
  const specPath = path("spec");
  const newSpec = rec(newPod["spec"]);
  const oldSpec = rec(oldPod["spec"]);
  const errs = validateCoreObjectMetaUpdate(metaOf(newPod), metaOf(oldPod), metaPath);
  errs.push(...validatePodMetadataAndSpec(newPod));
  errs.push(...validatePodSpecificAnnotationUpdates(newPod, oldPod, metaPath.child("annotations")));
  for (const kind of ["containers", "initContainers"]) {
    const r = validateContainerUpdates(arr(newSpec[kind]), arr(oldSpec[kind]), specPath.child(kind));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const deadlinePath = specPath.child("activeDeadlineSeconds");
  const newDeadline = numOrUndef(newSpec["activeDeadlineSeconds"]);
  const oldDeadline = numOrUndef(oldSpec["activeDeadlineSeconds"]);
  if (newDeadline !== undefined) {
    if (newDeadline < 0 || newDeadline > INT32_MAX) {
      errs.push(invalid(deadlinePath, newDeadline, inclusiveRangeError(0, INT32_MAX)));
      return errs;
    }
    if (oldDeadline !== undefined && oldDeadline < newDeadline) {
      errs.push(invalid(deadlinePath, newDeadline, "must be less than or equal to previous value"));
      return errs;
    }
  } else if (oldDeadline !== undefined) {
    errs.push(invalid(deadlinePath, pointerBadValue(undefined), "must not update from a positive integer to nil value"));
  }
  errs.push(...validateOnlyAddedTolerations(arr(newSpec["tolerations"]), arr(oldSpec["tolerations"]), specPath.child("tolerations")));
  errs.push(...validateOnlyDeletedSchedulingGates(arr(newSpec["schedulingGates"]), arr(oldSpec["schedulingGates"]), specPath.child("schedulingGates")));
  if (semanticEqual(newSpec, oldSpec)) return errs;

  const munged: Record<string, unknown> = { ...newSpec };
  munged["containers"] = withOldImages(arr(newSpec["containers"]), arr(oldSpec["containers"]));
  munged["initContainers"] = withOldImages(arr(newSpec["initContainers"]), arr(oldSpec["initContainers"]));
  munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"];
  munged["schedulingGates"] = oldSpec["schedulingGates"];
  munged["tolerations"] = oldSpec["tolerations"];
  const oldGrace = numOrUndef(oldSpec["terminationGracePeriodSeconds"]);
  if (oldGrace !== undefined && oldGrace < 0 && munged["terminationGracePeriodSeconds"] === 1) {
    munged["terminationGracePeriodSeconds"] = oldGrace;
  }
  if (arr(oldSpec["schedulingGates"]).length > 0) errs.push(...mungeGatedPodScheduling(munged, oldSpec, specPath));
  if (!semanticEqual(munged, oldSpec)) {
    const message = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(",")}\n${specDiff("core.PodSpec", oldSpec, munged)}`;
    errs.push(forbidden(specPath, message));
  }
  return errs;
}

// ---- pod templates ----

/** ValidatePodTemplateSpec: a template inside a workload (no pod name, no ephemeral containers). */
export function validatePodTemplateSpec(template: Json, p: FieldPath): FieldError[] {
  const meta = rec(template["metadata"]);
  const spec = rec(template["spec"]);
  const annotations = strMap(meta["annotations"]) ?? {};
  const errs = validateLabels(strMap(meta["labels"]), p.child("labels"));
  errs.push(...validateAnnotations(strMap(meta["annotations"]), p.child("annotations")));
  errs.push(...validatePodSpecificAnnotations(annotations, spec, p.child("annotations")));
  errs.push(...validatePodSpec(spec, p.child("spec"), { resourceIsPod: false, podName: "" }));
  errs.push(...validateSeccompAnnotationsAndFields(annotations, spec, p.child("spec")));
  errs.push(...validateAppArmorAnnotationsAndFields(annotations, spec, p.child("spec")));
  if (arr(spec["ephemeralContainers"]).length > 0) {
    errs.push(forbidden(p.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
  }
  return errs;
}

/** The pod spec bits of a template's metadata (labels) for selector checks. */
export function templateLabels(template: Json): Record<string, string> | undefined {
  return strMap(rec(template["metadata"])["labels"]);
}
