// batch/v1 defaulting (pkg/apis/batch/v1/defaults.go + zz_generated.defaults.go) and the Job and
// CronJob strategies' PrepareForCreate (pkg/registry/batch/*/strategy.go), Kubernetes v1.32.

import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import { enabled } from "./features.ts";
import { embeddedObjectMeta } from "./go-zero.ts";
import { ensureObject, isNil, isObject, isUnsetString, objectOr, objectsOf, resetStatus } from "./json.ts";
import { defaultPodTemplate } from "./pod-spec.ts";
import { dropDisabledTemplateFields, setGenerationOne } from "./strategy.ts";

/** batch.ControllerUidLabel and friends: the labels generateSelector puts on a Job's pods. */
export const JOB_CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const LEGACY_JOB_CONTROLLER_UID_LABEL = "controller-uid";
export const LEGACY_JOB_NAME_LABEL = "job-name";
/** math.MaxInt32: backoffLimit when backoffLimitPerIndex is used. */
const MAX_INT32 = 2147483647;

export function setObjectDefaultsJob(job: Job): void {
  const spec = ensureObject(job, "spec");
  if (spec === undefined) return;
  setDefaultsJob(job, spec);
  defaultPodTemplate(spec, "template");
}

function setDefaultsJob(job: Job, spec: NonNullable<Job["spec"]>): void {
  // A non-parallel job may leave both unset: both become 1. With only completions set, parallelism is 1.
  if (isNil(spec.completions) && isNil(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (isNil(spec.parallelism)) spec.parallelism = 1;
  if (isNil(spec.backoffLimit)) spec.backoffLimit = isNil(spec.backoffLimitPerIndex) ? 6 : MAX_INT32;
  copyTemplateLabels(job);
  if (isNil(spec.completionMode)) spec.completionMode = "NonIndexed";
  if (isNil(spec.suspend)) spec.suspend = false;
  const podFailurePolicy = objectOr(spec.podFailurePolicy);
  for (const rule of objectsOf(podFailurePolicy?.rules)) {
    for (const pattern of objectsOf(rule.onPodConditions)) {
      if (isUnsetString(pattern.status)) pattern.status = "True";
    }
  }
  if (enabled("JobPodReplacementPolicy") && isNil(spec.podReplacementPolicy)) {
    spec.podReplacementPolicy = podFailurePolicy === undefined ? "TerminatingOrFailed" : "Failed";
  }
  if (isNil(spec.manualSelector)) spec.manualSelector = false;
}

/**
 * Label maps that SetDefaults_Job took from the pod template. Upstream assigns the template's map
 * itself, so the selector labels PrepareForCreate adds to the template show on the Job too; we copy
 * instead (no shared mutable objects) and remember the copy so prepareJobForCreate can refresh it.
 */
const labelsTakenFromTemplate = new WeakSet<object>();

/** A Job without labels takes its pod template's labels. */
function copyTemplateLabels(job: Job): void {
  const templateLabels = objectOr(objectOr(job.spec?.template)?.metadata)?.labels;
  if (!isObject(templateLabels)) return;
  const meta = ensureObject(job, "metadata");
  if (meta === undefined) return;
  const labels = meta.labels;
  if (isNil(labels) || (isObject(labels) && Object.keys(labels).length === 0)) {
    const copy = { ...templateLabels };
    labelsTakenFromTemplate.add(copy);
    meta.labels = copy;
  }
}

export function setObjectDefaultsCronJob(cronJob: CronJob): void {
  const spec = ensureObject(cronJob, "spec");
  if (spec === undefined) return;
  if (isUnsetString(spec.concurrencyPolicy)) spec.concurrencyPolicy = "Allow";
  if (isNil(spec.suspend)) spec.suspend = false;
  if (isNil(spec.successfulJobsHistoryLimit)) spec.successfulJobsHistoryLimit = 3;
  if (isNil(spec.failedJobsHistoryLimit)) spec.failedJobsHistoryLimit = 1;
  // The job template gets only the pod template walk: SetDefaults_Job is for Jobs, not JobTemplateSpecs.
  const jobTemplate = ensureObject(spec, "jobTemplate");
  if (jobTemplate === undefined) return;
  embeddedObjectMeta(jobTemplate, "metadata");
  const jobSpec = ensureObject(jobTemplate, "spec");
  if (jobSpec !== undefined) defaultPodTemplate(jobSpec, "template");
}

// --- PrepareForCreate ------------------------------------------------------------------------------

/**
 * jobStrategy.PrepareForCreate: unless manualSelector, the selector and the pod labels are generated
 * from the Job's name and uid — so call this after metadata.uid is assigned (upstream fills the uid
 * before the strategy runs).
 */
export function prepareJobForCreate(job: Job): void {
  const spec = objectOr(job.spec);
  if (spec !== undefined && spec.manualSelector !== true) generateSelector(job, spec);
  resetStatus(job, {});
  setGenerationOne(job);
  dropDisabledTemplateFields(spec);
  // Labels shared with the template upstream follow it; a Job still without labels gets the
  // template's when read back (upstream defaults every object it decodes from storage).
  const meta = objectOr(job.metadata);
  if (meta !== undefined && isObject(meta.labels) && labelsTakenFromTemplate.has(meta.labels)) delete meta.labels;
  if (spec !== undefined) copyTemplateLabels(job);
}

function generateSelector(job: Job, spec: NonNullable<Job["spec"]>): void {
  const meta = objectOr(job.metadata);
  const name = typeof meta?.name === "string" ? meta.name : "";
  const uid = typeof meta?.uid === "string" ? meta.uid : "";
  const template = ensureObject(spec, "template");
  const templateMeta = template === undefined ? undefined : ensureObject(template, "metadata");
  const labels = templateMeta === undefined ? undefined : ensureObject(templateMeta, "labels");
  if (labels === undefined) return;
  // A label the user set is kept; a conflicting value fails validation.
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_JOB_CONTROLLER_UID_LABEL, JOB_CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  const selector = ensureObject(spec, "selector");
  const matchLabels = selector === undefined ? undefined : ensureObject(selector, "matchLabels");
  if (matchLabels !== undefined) matchLabels[JOB_CONTROLLER_UID_LABEL] ??= uid;
}

export function prepareCronJobForCreate(cronJob: CronJob): void {
  resetStatus(cronJob, {});
  setGenerationOne(cronJob);
  dropDisabledTemplateFields(objectOr(objectOr(cronJob.spec)?.jobTemplate)?.spec);
}
