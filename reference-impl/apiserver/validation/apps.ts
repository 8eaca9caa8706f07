// apps/v1 workloads (pkg/apis/apps/validation plus the registry strategies' selector
// immutability): Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision.

import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from "../../../spec/semantics/field-errors.ts";
import { goQuote } from "../../../spec/semantics/go-compat.ts";
import {
  type LabelSelector,
  LabelSelectorError,
  labelSelectorAsSelector,
  type MetaLabelSelector,
  validateLabelSelector,
} from "../../../spec/semantics/labels.ts";
import { nameIsDNSLabel, nameIsDNSSubdomain, validateAnnotations, validateLabels } from "../../../spec/semantics/validation.ts";
import {
  FIELD_IMMUTABLE,
  isValidPercent,
  type Json,
  metaOf,
  nonnegative,
  num,
  numOrUndef,
  path,
  rec,
  recOrUndef,
  str,
  strMap,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
} from "./common.ts";
import { semanticEqual } from "./equality.ts";
import { goSyntax, intOrStringBadValue, labelSelectorBadValue, stringMapBadValue } from "./go-syntax.ts";
import { templateLabels, validatePodSpecificAnnotations, validatePodTemplateSpec } from "./pod.ts";

// ---- int-or-percent ----

/** ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(v: unknown, p: FieldPath): FieldError[] {
  if (typeof v === "string") return isValidPercent(v).map((m) => invalid(p, intOrStringBadValue(v), m));
  return nonnegative(typeof v === "number" ? v : 0, p);
}

function percentValue(v: unknown): number | undefined {
  return typeof v === "string" && isValidPercent(v).length === 0 ? Number(v.slice(0, -1)) : undefined;
}

/** getIntOrPercentValue: a non-percent string counts as 0 (IntValue of an unparsable string). */
function intOrPercentValue(v: unknown): number {
  const pct = percentValue(v);
  if (pct !== undefined) return pct;
  if (typeof v === "number") return v;
  return typeof v === "string" && /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
}

/** IsNotMoreThan100Percent. */
export function isNotMoreThan100Percent(v: unknown, p: FieldPath): FieldError[] {
  const pct = percentValue(v);
  return pct === undefined || pct <= 100 ? [] : [invalid(p, intOrStringBadValue(v as string), "must not be greater than 100%")];
}

function ios(v: unknown): number | string | undefined {
  return typeof v === "number" || typeof v === "string" ? v : undefined;
}

// ---- selectors and templates ----

function selectorOf(spec: Json): MetaLabelSelector | undefined {
  return recOrUndef(spec["selector"]) as MetaLabelSelector | undefined;
}

function isEmptySelector(sel: MetaLabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

function asSelector(sel: MetaLabelSelector | undefined): LabelSelector | undefined {
  try {
    return labelSelectorAsSelector(sel);
  } catch (e) {
    if (e instanceof LabelSelectorError) return undefined;
    throw e;
  }
}

/** The required, strictly validated, non-empty selector of Deployment/ReplicaSet/StatefulSet. */
function validateRequiredSelector(spec: Json, p: FieldPath, kindWord: string): FieldError[] {
  const sel = selectorOf(spec);
  if (sel === undefined) return [required(p.child("selector"), "")];
  const errs = validateLabelSelector(sel, p.child("selector"));
  if (isEmptySelector(sel)) errs.push(invalid(p.child("selector"), labelSelectorBadValue(sel), `empty selector is invalid for ${kindWord}`));
  return errs;
}

function selectorMatchesTemplate(selector: LabelSelector, template: Json, p: FieldPath): FieldError[] {
  const labels = templateLabels(template);
  if (selector.empty() || selector.matches(labels ?? {})) return [];
  return [invalid(p.child("metadata", "labels"), stringMapBadValue(labels), "`selector` does not match template `labels`")];
}

function restartAlwaysOnly(template: Json, p: FieldPath, kind: string): FieldError[] {
  const spec = rec(template["spec"]);
  const errs: FieldError[] = [];
  const restart = str(spec["restartPolicy"]);
  if (restart !== "Always") errs.push(notSupported(p.child("spec", "restartPolicy"), restart, ["Always"]));
  if (numOrUndef(spec["activeDeadlineSeconds"]) !== undefined) {
    errs.push(forbidden(p.child("spec", "activeDeadlineSeconds"), `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet (Deployments use it too). */
function validateTemplateForReplicaSet(template: Json, selector: LabelSelector, p: FieldPath): FieldError[] {
  return [...selectorMatchesTemplate(selector, template, p), ...validatePodTemplateSpec(template, p), ...restartAlwaysOnly(template, p, "ReplicaSet")];
}

function selectorImmutable(spec: Json, oldSpec: Json): FieldError[] {
  const sel = selectorOf(spec);
  return semanticEqual(sel, selectorOf(oldSpec)) ? [] : [invalid(path("spec", "selector"), labelSelectorBadValue(sel), FIELD_IMMUTABLE)];
}

// ---- Deployment ----

function validateRollingUpdateDeployment(ru: Json, p: FieldPath): FieldError[] {
  const maxUnavailable = ios(ru["maxUnavailable"]);
  const maxSurge = ios(ru["maxSurge"]);
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, p.child("maxUnavailable")),
    ...validatePositiveIntOrPercent(maxSurge, p.child("maxSurge")),
  ];
  if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) {
    errs.push(invalid(p.child("maxUnavailable"), intOrStringBadValue(maxUnavailable), "may not be 0 when `maxSurge` is 0"));
  }
  errs.push(...isNotMoreThan100Percent(maxUnavailable, p.child("maxUnavailable")));
  return errs;
}

function validateDeploymentStrategy(strategy: Json, p: FieldPath): FieldError[] {
  const type = str(strategy["type"]);
  const ru = recOrUndef(strategy["rollingUpdate"]);
  if (type === "Recreate") {
    return ru !== undefined ? [forbidden(p.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (type === "RollingUpdate") {
    return ru === undefined
      ? [required(p.child("rollingUpdate"), "this should be defaulted and never be nil")]
      : validateRollingUpdateDeployment(ru, p.child("rollingUpdate"));
  }
  const bad =
    ru === undefined
      ? goSyntax(`apps.DeploymentStrategy{Type:${goQuote(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`)
      : { json: strategy };
  return [notSupported(p, bad, ["Recreate", "RollingUpdate"])];
}

function validateDeploymentSpec(spec: Json, p: FieldPath): FieldError[] {
  const errs = nonnegative(num(spec["replicas"]), p.child("replicas"));
  errs.push(...validateRequiredSelector(spec, p, "deployment"));
  const selector = asSelector(selectorOf(spec));
  if (selector === undefined) errs.push(invalid(p.child("selector"), labelSelectorBadValue(selectorOf(spec)), "invalid label selector"));
  else errs.push(...validateTemplateForReplicaSet(rec(spec["template"]), selector, p.child("template")));
  errs.push(...validateDeploymentStrategy(rec(spec["strategy"]), p.child("strategy")));
  const minReady = num(spec["minReadySeconds"]);
  errs.push(...nonnegative(minReady, p.child("minReadySeconds")));
  const history = numOrUndef(spec["revisionHistoryLimit"]);
  if (history !== undefined) errs.push(...nonnegative(history, p.child("revisionHistoryLimit")));
  const deadline = numOrUndef(spec["progressDeadlineSeconds"]);
  if (deadline !== undefined) {
    errs.push(...nonnegative(deadline, p.child("progressDeadlineSeconds")));
    if (deadline <= minReady) errs.push(invalid(p.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"));
  }
  return errs;
}

export function validateDeployment(obj: Json): FieldError[] {
  return [...validateCoreObjectMeta(metaOf(obj), true, nameIsDNSSubdomain), ...validateDeploymentSpec(rec(obj["spec"]), path("spec"))];
}

/** ValidateDeploymentUpdate plus the strategy's apps/v1 selector immutability. */
export function validateDeploymentUpdate(obj: Json, old: Json): FieldError[] {
  return [
    ...validateCoreObjectMetaUpdate(metaOf(obj), metaOf(old)),
    ...validateDeploymentSpec(rec(obj["spec"]), path("spec")),
    ...selectorImmutable(rec(obj["spec"]), rec(old["spec"])),
  ];
}

// ---- ReplicaSet ----

function validateReplicaSetSpec(spec: Json, p: FieldPath): FieldError[] {
  const errs = nonnegative(num(spec["replicas"]), p.child("replicas"));
  errs.push(...nonnegative(num(spec["minReadySeconds"]), p.child("minReadySeconds")));
  // Upstream's ReplicaSet message says "deployment" too.
  errs.push(...validateRequiredSelector(spec, p, "deployment"));
  const selector = asSelector(selectorOf(spec));
  if (selector === undefined) errs.push(invalid(p.child("selector"), labelSelectorBadValue(selectorOf(spec)), "invalid label selector"));
  else errs.push(...validateTemplateForReplicaSet(rec(spec["template"]), selector, p.child("template")));
  return errs;
}

export function validateReplicaSet(obj: Json): FieldError[] {
  return [...validateCoreObjectMeta(metaOf(obj), true, nameIsDNSSubdomain), ...validateReplicaSetSpec(rec(obj["spec"]), path("spec"))];
}

export function validateReplicaSetUpdate(obj: Json, old: Json): FieldError[] {
  return [
    ...validateCoreObjectMetaUpdate(metaOf(obj), metaOf(old)),
    ...validateReplicaSetSpec(rec(obj["spec"]), path("spec")),
    ...selectorImmutable(rec(obj["spec"]), rec(old["spec"])),
  ];
}

// ---- DaemonSet ----

function validateRollingUpdateDaemonSet(ru: Json, p: FieldPath): FieldError[] {
  const maxUnavailable = ios(ru["maxUnavailable"]);
  const maxSurge = ios(ru["maxSurge"]);
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, p.child("maxUnavailable")),
    ...validatePositiveIntOrPercent(maxSurge, p.child("maxSurge")),
    ...isNotMoreThan100Percent(maxUnavailable, p.child("maxUnavailable")),
    ...isNotMoreThan100Percent(maxSurge, p.child("maxSurge")),
  ];
  const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push(invalid(p.child("maxSurge"), intOrStringBadValue(maxSurge), "may not be set when maxUnavailable is non-zero"));
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(required(p.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
  }
  return errs;
}

function validateDaemonSetUpdateStrategy(strategy: Json, p: FieldPath): FieldError[] {
  const type = str(strategy["type"]);
  if (type === "OnDelete") return [];
  if (type === "RollingUpdate") {
    const ru = recOrUndef(strategy["rollingUpdate"]);
    return ru === undefined ? [required(p.child("rollingUpdate"), "")] : validateRollingUpdateDaemonSet(ru, p.child("rollingUpdate"));
  }
  return [notSupported(p, { json: strategy }, ["RollingUpdate", "OnDelete"])];
}

function validateDaemonSetSpec(spec: Json, p: FieldPath): FieldError[] {
  const sel = selectorOf(spec);
  const errs = validateLabelSelector(sel, p.child("selector"));
  const selector = asSelector(sel);
  const template = rec(spec["template"]);
  const labels = templateLabels(template);
  if (selector !== undefined && !selector.matches(labels ?? {})) {
    errs.push(invalid(p.child("template", "metadata", "labels"), stringMapBadValue(labels), "`selector` does not match template `labels`"));
  }
  if (sel !== undefined && isEmptySelector(sel)) {
    errs.push(invalid(p.child("selector"), labelSelectorBadValue(sel), "empty selector is invalid for daemonset"));
  }
  errs.push(...validatePodTemplateSpec(template, p.child("template")));
  errs.push(...restartAlwaysOnly(template, p.child("template"), "DaemonSet"));
  errs.push(...nonnegative(num(spec["minReadySeconds"]), p.child("minReadySeconds")));
  errs.push(...validateDaemonSetUpdateStrategy(rec(spec["updateStrategy"]), p.child("updateStrategy")));
  const history = numOrUndef(spec["revisionHistoryLimit"]);
  if (history !== undefined) errs.push(...nonnegative(history, p.child("revisionHistoryLimit")));
  return errs;
}

export function validateDaemonSet(obj: Json): FieldError[] {
  return [...validateCoreObjectMeta(metaOf(obj), true, nameIsDNSSubdomain), ...validateDaemonSetSpec(rec(obj["spec"]), path("spec"))];
}

/**
 * ValidateDaemonSetUpdate plus selector immutability. The internal templateGeneration rules are
 * not checked: the v1 API keeps it in an annotation that the strategy maintains.
 */
export function validateDaemonSetUpdate(obj: Json, old: Json): FieldError[] {
  return [
    ...validateCoreObjectMetaUpdate(metaOf(obj), metaOf(old)),
    ...validateDaemonSetSpec(rec(obj["spec"]), path("spec")),
    ...selectorImmutable(rec(obj["spec"]), rec(old["spec"])),
  ];
}

// ---- StatefulSet ----

function validateStatefulSetSpec(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const policy = str(spec["podManagementPolicy"]);
  if (policy === "") errs.push(required(p.child("podManagementPolicy"), ""));
  else if (policy !== "OrderedReady" && policy !== "Parallel") {
    errs.push(invalid(p.child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = rec(spec["updateStrategy"]);
  const type = str(strategy["type"]);
  const ru = recOrUndef(strategy["rollingUpdate"]);
  if (type === "") errs.push(required(p.child("updateStrategy"), ""));
  else if (type === "OnDelete") {
    if (ru !== undefined) {
      errs.push(invalid(p.child("updateStrategy").child("rollingUpdate"), { json: ru }, "only allowed for updateStrategy 'RollingUpdate'"));
    }
  } else if (type === "RollingUpdate") {
    if (ru !== undefined) {
      const ruPath = p.child("updateStrategy", "rollingUpdate");
      errs.push(...nonnegative(num(ru["partition"]), ruPath.child("partition")));
      const maxUnavailable = ios(ru["maxUnavailable"]);
      if (maxUnavailable !== undefined) {
        errs.push(...validatePositiveIntOrPercent(maxUnavailable, ruPath.child("maxUnavailable")));
        if (intOrPercentValue(maxUnavailable) === 0) errs.push(invalid(ruPath.child("maxUnavailable"), intOrStringBadValue(maxUnavailable), "cannot be 0"));
        errs.push(...isNotMoreThan100Percent(maxUnavailable, ruPath.child("maxUnavailable")));
      }
    }
  } else {
    errs.push(invalid(p.child("updateStrategy"), { json: strategy }, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = recOrUndef(spec["persistentVolumeClaimRetentionPolicy"]);
  if (retention !== undefined) {
    for (const k of ["whenDeleted", "whenScaled"]) {
      const v = str(retention[k]);
      if (v !== "Retain" && v !== "Delete") {
        errs.push(notSupported(p.child("persistentVolumeClaimRetentionPolicy").child(k), v, ["Retain", "Delete"]));
      }
    }
  }
  errs.push(...nonnegative(num(spec["replicas"]), p.child("replicas")));
  errs.push(...nonnegative(num(spec["minReadySeconds"]), p.child("minReadySeconds")));
  const ordinals = recOrUndef(spec["ordinals"]);
  if (ordinals !== undefined) errs.push(...nonnegative(num(ordinals["start"]), p.child("ordinals.start")));
  errs.push(...validateRequiredSelector(spec, p, "statefulset"));
  const selector = asSelector(selectorOf(spec));
  const template = rec(spec["template"]);
  if (selector === undefined) errs.push(invalid(p.child("selector"), labelSelectorBadValue(selectorOf(spec)), ""));
  else {
    // Upstream validates only the template's labels and annotations here, not its pod spec.
    const tp = p.child("template");
    const meta = rec(template["metadata"]);
    errs.push(...selectorMatchesTemplate(selector, template, tp));
    errs.push(...validateLabels(strMap(meta["labels"]), tp.child("labels")));
    errs.push(...validateAnnotations(strMap(meta["annotations"]), tp.child("annotations")));
    errs.push(...validatePodSpecificAnnotations(strMap(meta["annotations"]) ?? {}, rec(template["spec"]), tp.child("annotations")));
  }
  errs.push(...restartAlwaysOnly(template, p.child("template"), "StatefulSet"));
  return errs;
}

export function validateStatefulSet(obj: Json): FieldError[] {
  return [...validateCoreObjectMeta(metaOf(obj), true, nameIsDNSLabel), ...validateStatefulSetSpec(rec(obj["spec"]), path("spec"))];
}

const STATEFULSET_MUTABLE = ["replicas", "template", "updateStrategy", "minReadySeconds", "ordinals", "persistentVolumeClaimRetentionPolicy"];

export function validateStatefulSetUpdate(obj: Json, old: Json): FieldError[] {
  const spec = rec(obj["spec"]);
  const oldSpec = rec(old["spec"]);
  const errs = [...validateCoreObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateStatefulSetSpec(spec, path("spec"))];
  const masked: Record<string, unknown> = { ...spec };
  for (const k of STATEFULSET_MUTABLE) masked[k] = oldSpec[k];
  if (!semanticEqual(masked, oldSpec)) {
    errs.push(
      forbidden(
        path("spec"),
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

// ---- ControllerRevision ----

export function validateControllerRevision(obj: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(obj), true, nameIsDNSSubdomain);
  if (obj["data"] === undefined || obj["data"] === null) errs.push(required(path("data"), "data is mandatory"));
  errs.push(...nonnegative(num(obj["revision"]), path("revision")));
  return errs;
}

export function validateControllerRevisionUpdate(obj: Json, old: Json): FieldError[] {
  const errs = [...validateCoreObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateControllerRevision(obj)];
  if (!semanticEqual(obj["data"], old["data"])) errs.push(invalid(path("data"), { json: obj["data"] ?? null }, FIELD_IMMUTABLE));
  return errs;
}
