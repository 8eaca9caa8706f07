// apps/v1 defaulting (pkg/apis/apps/v1/defaults.go + zz_generated.defaults.go) and the apps registry
// strategies' PrepareForCreate (pkg/registry/apps/*/strategy.go), Kubernetes v1.32.

import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1.js";
import { enabled } from "./features.ts";
import { ensureObject, isNil, isUnsetString, objectOr, objectsOf, resetStatus } from "./json.ts";
import { defaultPersistentVolumeClaim, defaultPodTemplate } from "./pod-spec.ts";
import { dropDisabledTemplateFields, setGenerationOne } from "./strategy.ts";

/** appsv1.DeprecatedTemplateGeneration: apps/v1's view of the internal DaemonSet templateGeneration. */
export const DEPRECATED_TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

export function setObjectDefaultsDeployment(deployment: Deployment): void {
  const spec = ensureObject(deployment, "spec");
  if (spec === undefined) return;
  if (isNil(spec.replicas)) spec.replicas = 1;
  const strategy = ensureObject(spec, "strategy");
  if (strategy !== undefined) {
    if (isUnsetString(strategy.type)) strategy.type = "RollingUpdate";
    if (strategy.type === "RollingUpdate") {
      const rollingUpdate = ensureObject(strategy, "rollingUpdate");
      if (rollingUpdate !== undefined) {
        if (isNil(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = "25%";
        if (isNil(rollingUpdate.maxSurge)) rollingUpdate.maxSurge = "25%";
      }
    }
  }
  if (isNil(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (isNil(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  defaultPodTemplate(spec, "template");
}

export function setObjectDefaultsReplicaSet(replicaSet: ReplicaSet): void {
  const spec = ensureObject(replicaSet, "spec");
  if (spec === undefined) return;
  if (isNil(spec.replicas)) spec.replicas = 1;
  defaultPodTemplate(spec, "template");
}

export function setObjectDefaultsDaemonSet(daemonSet: DaemonSet): void {
  const spec = ensureObject(daemonSet, "spec");
  if (spec === undefined) return;
  const updateStrategy = ensureObject(spec, "updateStrategy");
  if (updateStrategy !== undefined) {
    if (isUnsetString(updateStrategy.type)) updateStrategy.type = "RollingUpdate";
    if (updateStrategy.type === "RollingUpdate") {
      const rollingUpdate = ensureObject(updateStrategy, "rollingUpdate");
      if (rollingUpdate !== undefined) {
        if (isNil(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = 1;
        if (isNil(rollingUpdate.maxSurge)) rollingUpdate.maxSurge = 0;
      }
    }
  }
  if (isNil(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  defaultPodTemplate(spec, "template");
}

export function setObjectDefaultsStatefulSet(statefulSet: StatefulSet): void {
  const spec = ensureObject(statefulSet, "spec");
  if (spec === undefined) return;
  if (isUnsetString(spec.podManagementPolicy)) spec.podManagementPolicy = "OrderedReady";
  const updateStrategy = ensureObject(spec, "updateStrategy");
  if (updateStrategy !== undefined) {
    // Only a defaulted type gets a rollingUpdate block; an explicit RollingUpdate without one keeps none.
    if (isUnsetString(updateStrategy.type)) {
      updateStrategy.type = "RollingUpdate";
      if (isNil(updateStrategy.rollingUpdate)) updateStrategy.rollingUpdate = {};
    }
    const rollingUpdate = objectOr(updateStrategy.rollingUpdate);
    if (updateStrategy.type === "RollingUpdate" && rollingUpdate !== undefined) {
      if (isNil(rollingUpdate.partition)) rollingUpdate.partition = 0;
      if (enabled("MaxUnavailableStatefulSet") && isNil(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = 1;
    }
  }
  if (enabled("StatefulSetAutoDeletePVC")) {
    const policy = ensureObject(spec, "persistentVolumeClaimRetentionPolicy");
    if (policy !== undefined) {
      if (isUnsetString(policy.whenDeleted)) policy.whenDeleted = "Retain";
      if (isUnsetString(policy.whenScaled)) policy.whenScaled = "Retain";
    }
  }
  if (isNil(spec.replicas)) spec.replicas = 1;
  if (isNil(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  defaultPodTemplate(spec, "template");
  for (const claim of objectsOf(spec.volumeClaimTemplates)) {
    defaultPersistentVolumeClaim(claim);
    // Not defaulting but conversion (Convert_apps_StatefulSetSpec_To_v1_StatefulSetSpec, issue
    // 87583): apps/v1 always shows the claim templates' apiVersion and kind.
    claim.apiVersion = "v1";
    claim.kind = "PersistentVolumeClaim";
  }
}

/** ControllerRevision has no defaulter. */
export function setObjectDefaultsControllerRevision(_revision: ControllerRevision): void {}

// --- PrepareForCreate: status cleared (as Go serializes an empty status), generation 1 -------------

export function prepareDeploymentForCreate(deployment: Deployment): void {
  resetStatus(deployment, {});
  setGenerationOne(deployment);
  dropDisabledTemplateFields(deployment.spec);
}

export function prepareReplicaSetForCreate(replicaSet: ReplicaSet): void {
  resetStatus(replicaSet, { replicas: 0 });
  setGenerationOne(replicaSet);
  dropDisabledTemplateFields(replicaSet.spec);
}

/**
 * daemonSetStrategy.PrepareForCreate also starts spec.templateGeneration at 1; apps/v1 carries that
 * internal field as the deprecated.daemonset.template.generation annotation (a value the client
 * sent, if it parses, is kept when ≥ 1; one that does not parse is rejected upstream at decode).
 */
export function prepareDaemonSetForCreate(daemonSet: DaemonSet): void {
  resetStatus(daemonSet, {
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    desiredNumberScheduled: 0,
    numberReady: 0,
  });
  setGenerationOne(daemonSet);
  const meta = ensureObject(daemonSet, "metadata");
  if (meta !== undefined) {
    const annotations = ensureObject(meta, "annotations");
    if (annotations !== undefined) {
      const current = annotations[DEPRECATED_TEMPLATE_GENERATION_ANNOTATION];
      if (current === undefined || (typeof current === "string" && /^[+-]?\d+$/.test(current))) {
        const generation = current === undefined ? 0n : BigInt(current);
        annotations[DEPRECATED_TEMPLATE_GENERATION_ANNOTATION] = (generation < 1n ? 1n : generation).toString();
      }
    }
  }
  dropDisabledTemplateFields(daemonSet.spec);
}

export function prepareStatefulSetForCreate(statefulSet: StatefulSet): void {
  resetStatus(statefulSet, { replicas: 0, availableReplicas: 0 });
  setGenerationOne(statefulSet);
  dropDisabledTemplateFields(statefulSet.spec);
}

/** ControllerRevisions have nothing to prepare. */
export function prepareControllerRevisionForCreate(_revision: ControllerRevision): void {}
