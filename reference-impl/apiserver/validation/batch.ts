// batch/v1 (pkg/apis/batch/validation and the job/cronjob strategies): Jobs with generated
// selectors, pod failure and success policies, completion modes; CronJobs with schedules, time
// zones and job templates. Jobs are validated after the job strategy has generated the selector
// and the controller-uid/job-name labels from the uid.

import {
  type FieldError,
  type FieldPath,
  invalid,
  notSupported,
  OMIT_VALUE,
  required,
  tooLong,
} from "../../../spec/semantics/field-errors.ts";
import { goQuote, utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import {
  type LabelSelector,
  LabelSelectorError,
  labelSelectorAsSelector,
  type MetaLabelSelector,
  validateLabelSelector,
} from "../../../spec/semantics/labels.ts";
import { isDNS1123Label, nameIsDNSSubdomain } from "../../../spec/semantics/validation.ts";
import {
  arr,
  FIELD_IMMUTABLE,
  isDomainPrefixedPath,
  type Json,
  metaOf,
  nonnegative,
  num,
  numOrUndef,
  path,
  qualifiedName,
  rec,
  recOrUndef,
  str,
  strOrUndef,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
} from "./common.ts";
import { loadLocationError, parseStandardError } from "./cron.ts";
import { semanticEqual } from "./equality.ts";
import { labelSelectorBadValue, pointerBadValue, stringMapBadValue } from "./go-syntax.ts";
import { templateLabels, validatePodTemplateSpec } from "./pod.ts";

const MAX_PARALLELISM_INDEXED = 100000;
const MAX_FAILED_INDEXES = 100000;
const COMPLETIONS_SOFT_LIMIT = 100000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;
const CRONJOB_NAME_MAX = 52;

const LEGACY_CONTROLLER_UID = "controller-uid";
const LEGACY_JOB_NAME = "job-name";
const CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
const JOB_NAME = "batch.kubernetes.io/job-name";

const FAILURE_ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"];
const CONDITION_STATUSES = ["False", "True", "Unknown"];

function tooMany(p: FieldPath, actual: number, max: number): FieldError {
  return { type: "FieldValueTooMany", field: p.toString(), badValue: actual, detail: `must have at most ${max} items` };
}

/** `%q` of a []string: `["a" "b"]`. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(" ")}]`;
}

function asSelector(sel: MetaLabelSelector | undefined): LabelSelector | undefined {
  try {
    return labelSelectorAsSelector(sel);
  } catch (e) {
    if (e instanceof LabelSelectorError) return undefined;
    throw e;
  }
}

// ---- job spec ----

/** ValidateHasLabel. */
function validateHasLabel(labels: Record<string, string> | undefined, p: FieldPath, key: string, expected: string): FieldError[] {
  const at = p.child("labels").key(key);
  const actual = labels?.[key];
  if (actual === undefined) return [required(at, `must be '${expected}'`)];
  return actual !== expected ? [invalid(at, stringMapBadValue(labels), `must be '${expected}'`)] : [];
}

function validateGeneratedSelector(job: Json, requirePrefixedLabels: boolean): FieldError[] {
  const spec = rec(job["spec"]);
  if (spec["manualSelector"] === true) return [];
  const sel = recOrUndef(spec["selector"]) as MetaLabelSelector | undefined;
  if (sel === undefined) return [];
  const meta = metaOf(job);
  const uid = meta.uid ?? "";
  const name = meta.name ?? "";
  const errs: FieldError[] = [];
  if (uid === "") errs.push(required(path("metadata").child("uid"), ""));
  const labels = templateLabels(rec(spec["template"]));
  const tp = path("spec").child("template").child("metadata");
  errs.push(...validateHasLabel(labels, tp, LEGACY_CONTROLLER_UID, uid));
  errs.push(...validateHasLabel(labels, tp, LEGACY_JOB_NAME, name));
  const expected: Record<string, string> = {};
  if (requirePrefixedLabels) {
    errs.push(...validateHasLabel(labels, tp, CONTROLLER_UID, uid));
    errs.push(...validateHasLabel(labels, tp, JOB_NAME, name));
    expected[CONTROLLER_UID] = uid;
    expected[JOB_NAME] = name;
  }
  expected[LEGACY_CONTROLLER_UID] = uid;
  expected[LEGACY_JOB_NAME] = name;
  const selector = asSelector(sel);
  if (selector !== undefined && !selector.matches(expected)) {
    errs.push(invalid(path("spec").child("selector"), labelSelectorBadValue(sel), "`selector` not auto-generated"));
  }
  return errs;
}

function parseIndexInterval(interval: string, completions: number): [number, number] | string {
  const limits = interval.split("-");
  if (limits.length > 2) {
    return `the fragment ${goQuote(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
  }
  const toInt = (s: string): number | undefined => (/^[+-]?[0-9]+$/.test(s) ? Number(s) : undefined);
  const x = toInt(limits[0] ?? "");
  if (x === undefined) return `cannot convert string to integer for index: ${goQuote(limits[0] ?? "")}`;
  if (x >= completions) return `too large index: ${goQuote(limits[0] ?? "")}`;
  if (limits.length === 1) return [x, x];
  const y = toInt(limits[1] ?? "");
  if (y === undefined) return `cannot convert string to integer for index: ${goQuote(limits[1] ?? "")}`;
  if (y >= completions) return `too large index: ${goQuote(limits[1] ?? "")}`;
  if (x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
  return [x, y];
}

/** validateIndexesFormat: the number of indexes, or the error. */
function validateIndexesFormat(indexes: string, completions: number): number | string {
  if (indexes.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of indexes.split(",")) {
    const r = parseIndexInterval(interval, completions);
    if (typeof r === "string") return r;
    if (last !== undefined && last >= r[0]) return `non-increasing order, previous: ${last}, current: ${r[0]}`;
    total += r[1] - r[0] + 1;
    last = r[1];
  }
  return total;
}

function validatePodFailurePolicy(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(rec(spec["podFailurePolicy"])["rules"]);
  const rulesPath = p.child("rules");
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(tooMany(rulesPath, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const template = rec(rec(spec["template"])["spec"]);
  const containerNames = new Set([...arr(template["containers"]), ...arr(template["initContainers"])].map((c) => str(rec(c)["name"])));
  rules.forEach((raw, i) => {
    const rule = rec(raw);
    const rulePath = rulesPath.index(i);
    const action = str(rule["action"]);
    const actionPath = rulePath.child("action");
    if (action === "") errs.push(required(actionPath, `valid values: ${goQuotedList(FAILURE_ACTIONS)}`));
    else if (action === "FailIndex") {
      if (spec["backoffLimitPerIndex"] === undefined) errs.push(invalid(actionPath, action, "requires the backoffLimitPerIndex to be set"));
    } else if (!FAILURE_ACTIONS.includes(action)) errs.push(notSupported(actionPath, action, FAILURE_ACTIONS));
    const onExitCodes = recOrUndef(rule["onExitCodes"]);
    const onPodConditions = arr(rule["onPodConditions"]);
    if (onExitCodes !== undefined) errs.push(...validateOnExitCodes(onExitCodes, rulePath.child("onExitCodes"), containerNames));
    if (onPodConditions.length > 0) {
      const condPath = rulePath.child("onPodConditions");
      if (onPodConditions.length > MAX_ON_POD_CONDITIONS_PATTERNS) {
        errs.push(tooMany(condPath, onPodConditions.length, MAX_ON_POD_CONDITIONS_PATTERNS));
      }
      onPodConditions.forEach((patRaw, j) => {
        const pattern = rec(patRaw);
        errs.push(...qualifiedName(str(pattern["type"]), condPath.index(j).child("type")));
        const status = str(pattern["status"]);
        const statusPath = condPath.index(j).child("status");
        if (status === "") errs.push(required(statusPath, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
        else if (!CONDITION_STATUSES.includes(status)) errs.push(notSupported(statusPath, status, CONDITION_STATUSES));
      });
    }
    if (onExitCodes !== undefined && onPodConditions.length > 0) {
      errs.push(invalid(rulePath, OMIT_VALUE, "specifying both OnExitCodes and OnPodConditions is not supported"));
    }
    if (onExitCodes === undefined && onPodConditions.length === 0) {
      errs.push(invalid(rulePath, OMIT_VALUE, "specifying one of OnExitCodes and OnPodConditions is required"));
    }
  });
  return errs;
}

function validateOnExitCodes(req: Json, p: FieldPath, containerNames: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const operator = str(req["operator"]);
  const operators = ["In", "NotIn"];
  if (operator === "") errs.push(required(p.child("operator"), `valid values: ${goQuotedList(operators)}`));
  else if (!operators.includes(operator)) errs.push(notSupported(p.child("operator"), operator, operators));
  const containerName = strOrUndef(req["containerName"]);
  if (containerName !== undefined && !containerNames.has(containerName)) {
    errs.push(invalid(p.child("containerName"), containerName, "must be one of the container or initContainer names in the pod template"));
  }
  const values = arr(req["values"]).map((v) => num(v));
  const valuesPath = p.child("values");
  if (values.length === 0) errs.push(invalid(valuesPath, { goSyntax: "[]int32(nil)" }, "at least one value is required"));
  else if (values.length > MAX_ON_EXIT_CODES_VALUES) errs.push(tooMany(valuesPath, values.length, MAX_ON_EXIT_CODES_VALUES));
  let ordered = true;
  const seen = new Set<number>();
  values.forEach((v, j) => {
    if (operator === "In" && v === 0) errs.push(invalid(valuesPath.index(j), v, "must not be 0 for the In operator"));
    if (seen.has(v)) errs.push({ type: "FieldValueDuplicate", field: valuesPath.index(j).toString(), badValue: v, detail: "" });
    else seen.add(v);
    if (j > 0 && (values[j - 1] ?? 0) > v) ordered = false;
  });
  if (!ordered) errs.push(invalid(valuesPath, { goSyntax: `[]int32{${values.join(", ")}}` }, "must be ordered"));
  return errs;
}

function validateSuccessPolicy(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(rec(spec["successPolicy"])["rules"]);
  const rulesPath = p.child("rules");
  if (rules.length === 0) errs.push(required(rulesPath, "at least one rules must be specified when the successPolicy is specified"));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(tooMany(rulesPath, rules.length, MAX_SUCCESS_POLICY_RULES));
  const completions = num(spec["completions"]);
  rules.forEach((raw, i) => {
    const rule = rec(raw);
    const rulePath = rulesPath.index(i);
    const count = numOrUndef(rule["succeededCount"]);
    const indexes = strOrUndef(rule["succeededIndexes"]);
    if (count === undefined && indexes === undefined) {
      errs.push(required(rulePath, "at least one of succeededCount or succeededIndexes must be specified"));
    }
    let total = 0;
    if (indexes !== undefined) {
      const at = rulePath.child("succeededIndexes");
      if (utf8ByteLength(indexes) > MAX_SUCCEEDED_INDEXES_LENGTH) errs.push(tooLong(at, indexes, MAX_SUCCEEDED_INDEXES_LENGTH));
      const r = validateIndexesFormat(indexes, completions);
      if (typeof r === "string") errs.push(invalid(at, indexes, `error parsing succeededIndexes: ${r}`));
      else total = r;
    }
    if (count !== undefined) {
      const at = rulePath.child("succeededCount");
      errs.push(...nonnegative(count, at));
      if (count > completions) {
        errs.push(invalid(at, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (indexes !== undefined && count > total) {
        errs.push(invalid(at, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errs;
}

function validateJobSpecBody(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const parallelism = numOrUndef(spec["parallelism"]);
  const completions = numOrUndef(spec["completions"]);
  const backoffLimitPerIndex = numOrUndef(spec["backoffLimitPerIndex"]);
  const maxFailedIndexes = numOrUndef(spec["maxFailedIndexes"]);
  for (const k of ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex"]) {
    const v = numOrUndef(spec[k]);
    if (v !== undefined) errs.push(...nonnegative(v, p.child(k)));
  }
  if (maxFailedIndexes !== undefined) {
    errs.push(...nonnegative(maxFailedIndexes, p.child("maxFailedIndexes")));
    if (backoffLimitPerIndex === undefined) errs.push(required(p.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
  }
  const managedBy = strOrUndef(spec["managedBy"]);
  if (managedBy !== undefined) {
    errs.push(...isDomainPrefixedPath(p.child("managedBy"), managedBy));
    if (utf8ByteLength(managedBy) > MAX_MANAGED_BY_LENGTH) errs.push(tooLong(p.child("managedBy"), managedBy, MAX_MANAGED_BY_LENGTH));
  }
  const mode = strOrUndef(spec["completionMode"]);
  if (mode !== undefined) {
    if (mode !== "NonIndexed" && mode !== "Indexed") errs.push(notSupported(p.child("completionMode"), mode, ["NonIndexed", "Indexed"]));
    if (mode === "Indexed") {
      if (completions === undefined) errs.push(required(p.child("completions"), "when completion mode is Indexed"));
      if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(invalid(p.child("parallelism"), parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
      }
      if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
        errs.push(invalid(p.child("maxFailedIndexes"), maxFailedIndexes, "must be less than or equal to completions"));
      }
      if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES) {
        errs.push(invalid(p.child("maxFailedIndexes"), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
      }
      if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && backoffLimitPerIndex !== undefined) {
        const suffix = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
        if (maxFailedIndexes === undefined) {
          errs.push(required(p.child("maxFailedIndexes"), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        }
        if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
          errs.push(invalid(p.child("parallelism"), parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${suffix}`));
        }
        if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
          errs.push(invalid(p.child("maxFailedIndexes"), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${suffix}`));
        }
      }
    }
  }
  if (mode === undefined || mode === "NonIndexed") {
    if (backoffLimitPerIndex !== undefined) errs.push(invalid(p.child("backoffLimitPerIndex"), backoffLimitPerIndex, "requires indexed completion mode"));
    if (maxFailedIndexes !== undefined) errs.push(invalid(p.child("maxFailedIndexes"), maxFailedIndexes, "requires indexed completion mode"));
  }
  const hasFailurePolicy = recOrUndef(spec["podFailurePolicy"]) !== undefined;
  if (hasFailurePolicy) errs.push(...validatePodFailurePolicy(spec, p.child("podFailurePolicy")));
  if (recOrUndef(spec["successPolicy"]) !== undefined) {
    if ((mode ?? "NonIndexed") !== "Indexed") {
      errs.push(invalid(p.child("successPolicy"), { json: spec["successPolicy"] }, "requires indexed completion mode"));
    } else errs.push(...validateSuccessPolicy(spec, p.child("successPolicy")));
  }
  const replacement = strOrUndef(spec["podReplacementPolicy"]);
  if (replacement !== undefined) {
    if (hasFailurePolicy) {
      if (replacement !== "Failed") errs.push(notSupported(p.child("podReplacementPolicy"), replacement, ["Failed"]));
    } else if (replacement !== "Failed" && replacement !== "TerminatingOrFailed") {
      errs.push(notSupported(p.child("podReplacementPolicy"), replacement, ["Failed", "TerminatingOrFailed"]));
    }
  }
  const template = rec(spec["template"]);
  errs.push(...validatePodTemplateSpec(template, p.child("template")));
  const restart = str(rec(template["spec"])["restartPolicy"]);
  const restartPath = p.child("template", "spec", "restartPolicy");
  if (restart === "Always" || restart === "") errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restart !== "OnFailure" && restart !== "Never") errs.push(notSupported(restartPath, restart, ["OnFailure", "Never"]));
  else if (hasFailurePolicy && restart !== "Never") {
    errs.push(invalid(restartPath, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJobSpec: the body plus the selector and its match with the template labels. */
function validateJobSpec(spec: Json, p: FieldPath): FieldError[] {
  const errs = validateJobSpecBody(spec, p);
  const sel = recOrUndef(spec["selector"]) as MetaLabelSelector | undefined;
  if (sel === undefined) errs.push(required(p.child("selector"), ""));
  else errs.push(...validateLabelSelector(sel, p.child("selector")));
  const selector = asSelector(sel);
  const labels = templateLabels(rec(spec["template"]));
  if (selector !== undefined && !selector.matches(labels ?? {})) {
    errs.push(invalid(p.child("template", "metadata", "labels"), stringMapBadValue(labels), "`selector` does not match template `labels`"));
  }
  return errs;
}

function requirePrefixedLabels(old: Json | undefined): boolean {
  if (old === undefined) return true;
  const labels = templateLabels(rec(rec(old["spec"])["template"])) ?? {};
  return JOB_NAME in labels && CONTROLLER_UID in labels;
}

/** ValidateJob. */
function validateJobWith(job: Json, prefixed: boolean): FieldError[] {
  const meta = metaOf(job);
  const spec = rec(job["spec"]);
  const errs = validateCoreObjectMeta(meta, true, nameIsDNSSubdomain);
  errs.push(...validateGeneratedSelector(job, prefixed));
  errs.push(...validateJobSpec(spec, path("spec")));
  const completions = numOrUndef(spec["completions"]);
  if (spec["completionMode"] === "Indexed" && completions !== undefined && completions > 0) {
    const hostname = `${meta.name ?? ""}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(invalid(path("metadata").child("name"), meta.name ?? "", `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

export function validateJob(job: Json): FieldError[] {
  return validateJobWith(job, true);
}

/** Node affinity, node selector, tolerations, labels, annotations and gates of a suspended, never-started Job may change. */
function mutableSchedulingTemplate(template: Json, oldTemplate: Json): Json {
  const spec = rec(template["spec"]);
  const oldSpec: Record<string, unknown> = { ...rec(oldTemplate["spec"]) };
  const newAffinity = recOrUndef(spec["affinity"]);
  const oldAffinity = recOrUndef(oldSpec["affinity"]);
  if (newAffinity === undefined && oldAffinity !== undefined) {
    const rest = { ...oldAffinity, nodeAffinity: undefined };
    oldSpec["affinity"] = semanticEqual(rest, {}) ? undefined : rest;
  } else if (newAffinity !== undefined) {
    oldSpec["affinity"] = { ...(oldAffinity ?? {}), nodeAffinity: newAffinity["nodeAffinity"] };
  }
  oldSpec["nodeSelector"] = spec["nodeSelector"];
  oldSpec["tolerations"] = spec["tolerations"];
  oldSpec["schedulingGates"] = spec["schedulingGates"];
  const meta = rec(template["metadata"]);
  return { ...oldTemplate, metadata: { ...rec(oldTemplate["metadata"]), labels: meta["labels"], annotations: meta["annotations"] }, spec: oldSpec };
}

/** The job strategy's update validation: ValidateJob(new) then ValidateJobUpdate. */
export function validateJobUpdate(job: Json, old: Json): FieldError[] {
  const prefixed = requirePrefixedLabels(old);
  const spec = rec(job["spec"]);
  const oldSpec = rec(old["spec"]);
  const errs = validateJobWith(job, prefixed);
  errs.push(...validateCoreObjectMetaUpdate(metaOf(job), metaOf(old)));
  errs.push(...validateJobSpec(spec, path("spec")));
  const completionsPath = path("spec").child("completions");
  const completions = numOrUndef(spec["completions"]);
  const oldCompletions = numOrUndef(oldSpec["completions"]);
  if (spec["completionMode"] !== "Indexed") {
    if (completions !== oldCompletions) errs.push(invalid(completionsPath, pointerBadValue(completions), FIELD_IMMUTABLE));
  } else if (completions !== oldCompletions && completions !== undefined && completions !== numOrUndef(spec["parallelism"])) {
    errs.push(invalid(completionsPath, completions, "can only be modified in tandem with spec.parallelism"));
  }
  const sel = recOrUndef(spec["selector"]) as MetaLabelSelector | undefined;
  if (!semanticEqual(spec["selector"], oldSpec["selector"])) errs.push(invalid(path("spec").child("selector"), labelSelectorBadValue(sel), FIELD_IMMUTABLE));
  const suspendedNotStarted = oldSpec["suspend"] === true && rec(old["status"])["startTime"] === undefined;
  const template = rec(spec["template"]);
  const oldTemplate = suspendedNotStarted ? mutableSchedulingTemplate(template, rec(oldSpec["template"])) : rec(oldSpec["template"]);
  if (!semanticEqual(template, oldTemplate)) errs.push(invalid(path("spec").child("template"), { json: template }, FIELD_IMMUTABLE));
  for (const k of ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"]) {
    if (!semanticEqual(spec[k], oldSpec[k])) {
      const v = spec[k];
      const bad = v === undefined || v === null ? "null" : typeof v === "string" || typeof v === "number" ? v : { json: v };
      errs.push(invalid(path("spec").child(k), bad, FIELD_IMMUTABLE));
    }
  }
  return errs;
}

// ---- CronJob ----

const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(tz: string | undefined, p: FieldPath): FieldError[] {
  if (tz === undefined) return [];
  if (tz.length === 0) return [invalid(p, "", "timeZone must be nil or non-empty string")];
  for (const part of tz.split("/")) {
    if (part === "." || part === ".." || part.startsWith("-") || !TIME_ZONE_PART.test(part)) {
      return [invalid(p, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === "local") {
    errs.push(invalid(p, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
  }
  const loadErr = tz === "Local" ? undefined : loadLocationError(tz);
  if (loadErr !== undefined) errs.push(invalid(p, tz, loadErr));
  return errs;
}

function validateScheduleFormat(schedule: string, allowTZ: boolean, timeZone: string | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const err = parseStandardError(schedule);
  if (err !== undefined) errs.push(invalid(p, schedule, err));
  if (allowTZ && schedule.includes("TZ") && timeZone !== undefined) {
    errs.push(invalid(p, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
  } else if (!allowTZ && schedule.includes("TZ")) {
    errs.push(invalid(p, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  return errs;
}

/** ValidateJobTemplateSpec: a job spec whose selector the controller will generate. */
function validateJobTemplateSpec(jobTemplate: Json, p: FieldPath): FieldError[] {
  const spec = rec(jobTemplate["spec"]);
  const errs = validateJobSpecBody(spec, p.child("spec"));
  if (recOrUndef(spec["selector"]) !== undefined) {
    errs.push(invalid(p.child("spec", "selector"), labelSelectorBadValue(spec["selector"] as MetaLabelSelector), "`selector` will be auto-generated"));
  }
  if (spec["manualSelector"] === true) errs.push(notSupported(p.child("spec", "manualSelector"), true, ["nil", "false"]));
  return errs;
}

function validateCronJobSpec(spec: Json, oldSpec: Json | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = str(spec["schedule"]);
  const timeZone = strOrUndef(spec["timeZone"]);
  if (schedule.length === 0) errs.push(required(p.child("schedule"), ""));
  else errs.push(...validateScheduleFormat(schedule, oldSpec !== undefined && str(oldSpec["schedule"]).includes("TZ"), timeZone, p.child("schedule")));
  const deadline = numOrUndef(spec["startingDeadlineSeconds"]);
  if (deadline !== undefined) errs.push(...nonnegative(deadline, p.child("startingDeadlineSeconds")));
  if (oldSpec === undefined || strOrUndef(oldSpec["timeZone"]) !== timeZone) errs.push(...validateTimeZone(timeZone, p.child("timeZone")));
  const policy = str(spec["concurrencyPolicy"]);
  if (policy === "") errs.push(required(p.child("concurrencyPolicy"), ""));
  else if (!["Allow", "Forbid", "Replace"].includes(policy)) {
    errs.push(notSupported(p.child("concurrencyPolicy"), policy, ["Allow", "Forbid", "Replace"]));
  }
  errs.push(...validateJobTemplateSpec(rec(spec["jobTemplate"]), p.child("jobTemplate")));
  for (const k of ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"]) {
    const v = numOrUndef(spec[k]);
    if (v !== undefined) errs.push(...nonnegative(v, p.child(k)));
  }
  return errs;
}

export function validateCronJob(cj: Json): FieldError[] {
  const meta = metaOf(cj);
  const errs = validateCoreObjectMeta(meta, true, nameIsDNSSubdomain);
  errs.push(...validateCronJobSpec(rec(cj["spec"]), undefined, path("spec")));
  // The controller appends an 11-character suffix to job names, which may not exceed 63.
  if (utf8ByteLength(meta.name ?? "") > CRONJOB_NAME_MAX) {
    errs.push(invalid(path("metadata").child("name"), meta.name ?? "", `must be no more than ${CRONJOB_NAME_MAX} characters`));
  }
  return errs;
}

export function validateCronJobUpdate(cj: Json, old: Json): FieldError[] {
  return [...validateCoreObjectMetaUpdate(metaOf(cj), metaOf(old)), ...validateCronJobSpec(rec(cj["spec"]), rec(old["spec"]), path("spec"))];
}


