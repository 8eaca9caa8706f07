// What every PodSpec gets, in a Pod and in every pod template: SetDefaults_PodSpec and the walk that
// defaulter-gen generates over volumes, containers, probes and lifecycle handlers
// (pkg/apis/core/v1/defaults.go and zz_generated.defaults.go, SetObjectDefaults_PodTemplate).
// Pod-only defaults (SetDefaults_Pod) live in core.ts.

import type {
  Container,
  EphemeralContainer,
  HTTPGetAction,
  LifecycleHandler,
  ObjectFieldSelector,
  PersistentVolumeClaim,
  PersistentVolumeClaimSpec,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Volume,
} from "kubernetes-types/core/v1.js";
import { enabled } from "./features.ts";
import { embeddedObjectMeta } from "./go-zero.ts";
import { defaultImagePullPolicy } from "./image.ts";
import {
  ensureObject,
  isNil,
  isObject,
  isUnsetNumber,
  isUnsetString,
  objectOr,
  objectsOf,
  type JsonObject,
} from "./json.ts";
import { defaultResourceList, defaultResourceRequirements } from "./resources.ts";

/** v1.DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** v1.DefaultSchedulerName. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";
/** v1.TerminationMessagePathDefault. */
export const TERMINATION_MESSAGE_PATH_DEFAULT = "/dev/termination-log";
/** 0644: the default mode of secret, configMap, downwardAPI and projected volumes. */
export const VOLUME_DEFAULT_MODE = 0o644;
/** A projected service account token lives an hour unless asked otherwise. */
export const SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS = 3600;

/**
 * The members of v1.VolumeSource (v1.32). A volume naming none of them is an emptyDir
 * (ptr.AllPtrFieldsNil); unknown keys do not count, as Go's decoder drops them.
 */
const VOLUME_SOURCES = [
  "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
  "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
  "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
  "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
  "image",
] as const;

/** SetObjectDefaults for a PodTemplateSpec field: the template itself is a Go struct, never nil. */
export function defaultPodTemplate<T extends object, K extends keyof T>(holder: T, key: K): void {
  const template = ensureObject(holder, key) as PodTemplateSpec | undefined;
  if (template === undefined) return;
  embeddedObjectMeta(template, "metadata");
  const spec = ensureObject(template, "spec");
  if (spec !== undefined) defaultPodSpecTree(spec);
}

/** SetDefaults_PodSpec followed by the generated walk over the spec's members. */
export function defaultPodSpecTree(spec: PodSpec): void {
  setDefaultsPodSpec(spec);
  for (const volume of objectsOf(spec.volumes)) defaultVolume(volume);
  for (const container of objectsOf(spec.initContainers)) defaultContainer(container);
  for (const container of objectsOf(spec.containers)) defaultContainer(container);
  for (const container of objectsOf(spec.ephemeralContainers)) defaultContainer(container);
  defaultResourceList(spec.overhead);
  // Pod-level resources (a v1.32 alpha field, absent from kubernetes-types 1.30).
  defaultResourceRequirements((spec as unknown as JsonObject)["resources"]);
}

/** SetDefaults_PodSpec. New defaults never go here upstream: they would roll every workload. */
function setDefaultsPodSpec(spec: PodSpec): void {
  if (isUnsetString(spec.dnsPolicy)) spec.dnsPolicy = "ClusterFirst";
  if (isUnsetString(spec.restartPolicy)) spec.restartPolicy = "Always";
  if (isNil(spec.securityContext)) spec.securityContext = {};
  if (isNil(spec.terminationGracePeriodSeconds)) {
    spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (isUnsetString(spec.schedulerName)) spec.schedulerName = DEFAULT_SCHEDULER_NAME;
}

function defaultVolume(volume: Volume): void {
  const source = volume as unknown as JsonObject;
  if (VOLUME_SOURCES.every((name) => isNil(source[name]))) volume.emptyDir = {};
  defaultImageVolume(source["image"]);

  const hostPath = objectOr(volume.hostPath);
  if (hostPath !== undefined && isNil(hostPath.type)) hostPath.type = ""; // v1.HostPathUnset
  const secret = objectOr(volume.secret);
  if (secret !== undefined && isNil(secret.defaultMode)) secret.defaultMode = VOLUME_DEFAULT_MODE;
  const iscsi = objectOr(volume.iscsi);
  if (iscsi !== undefined && isUnsetString(iscsi.iscsiInterface)) iscsi.iscsiInterface = "default";
  const rbd = objectOr(volume.rbd);
  if (rbd !== undefined) {
    if (isUnsetString(rbd.pool)) rbd.pool = "rbd";
    if (isUnsetString(rbd.user)) rbd.user = "admin";
    if (isUnsetString(rbd.keyring)) rbd.keyring = "/etc/ceph/keyring";
  }
  const downwardAPI = objectOr(volume.downwardAPI);
  if (downwardAPI !== undefined) {
    if (isNil(downwardAPI.defaultMode)) downwardAPI.defaultMode = VOLUME_DEFAULT_MODE;
    for (const item of objectsOf(downwardAPI.items)) defaultObjectFieldSelector(item.fieldRef);
  }
  const configMap = objectOr(volume.configMap);
  if (configMap !== undefined && isNil(configMap.defaultMode)) configMap.defaultMode = VOLUME_DEFAULT_MODE;
  const azureDisk = objectOr(volume.azureDisk);
  if (azureDisk !== undefined) {
    if (isNil(azureDisk.cachingMode)) azureDisk.cachingMode = "ReadWrite";
    if (isNil(azureDisk.fsType)) azureDisk.fsType = "ext4";
    if (isNil(azureDisk.readOnly)) azureDisk.readOnly = false;
    if (isNil(azureDisk.kind)) azureDisk.kind = "Shared";
  }
  const projected = objectOr(volume.projected);
  if (projected !== undefined) {
    if (isNil(projected.defaultMode)) projected.defaultMode = VOLUME_DEFAULT_MODE;
    for (const source of objectsOf(projected.sources)) {
      for (const item of objectsOf(objectOr(source.downwardAPI)?.items)) defaultObjectFieldSelector(item.fieldRef);
      const token = objectOr(source.serviceAccountToken);
      if (token !== undefined && isNil(token.expirationSeconds)) {
        token.expirationSeconds = SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS;
      }
    }
  }
  const scaleIO = objectOr(volume.scaleIO);
  if (scaleIO !== undefined) {
    if (isUnsetString(scaleIO.storageMode)) scaleIO.storageMode = "ThinProvisioned";
    if (isUnsetString(scaleIO.fsType)) scaleIO.fsType = "xfs";
  }
  const claimTemplate = objectOr(objectOr(volume.ephemeral)?.volumeClaimTemplate);
  if (claimTemplate !== undefined) {
    embeddedObjectMeta(claimTemplate, "metadata");
    const spec = ensureObject(claimTemplate, "spec");
    if (spec !== undefined) defaultPersistentVolumeClaimSpec(spec);
  }
}

/** SetDefaults_Volume's image-volume branch (ImageVolume gate): the same rule as containers. */
function defaultImageVolume(image: unknown): void {
  if (!enabled("ImageVolume") || !isObject(image) || !isUnsetString(image["pullPolicy"])) return;
  image["pullPolicy"] = defaultImagePullPolicy(image["reference"]);
}

/** A container, init container or ephemeral container (SetDefaults_Container and its members). */
function defaultContainer(container: Container | EphemeralContainer): void {
  if (isUnsetString(container.imagePullPolicy)) container.imagePullPolicy = defaultImagePullPolicy(container.image);
  if (isUnsetString(container.terminationMessagePath)) {
    container.terminationMessagePath = TERMINATION_MESSAGE_PATH_DEFAULT;
  }
  if (isUnsetString(container.terminationMessagePolicy)) container.terminationMessagePolicy = "File";
  for (const port of objectsOf(container.ports)) {
    if (isUnsetString(port.protocol)) port.protocol = "TCP";
  }
  for (const env of objectsOf(container.env)) defaultObjectFieldSelector(objectOr(env.valueFrom)?.fieldRef);
  // A struct in Go: always serialized, `resources: {}` when empty.
  const resources = ensureObject(container, "resources");
  if (resources !== undefined) defaultResourceRequirements(resources);
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  const lifecycle = objectOr(container.lifecycle);
  if (lifecycle !== undefined) {
    defaultLifecycleHandler(lifecycle.postStart);
    defaultLifecycleHandler(lifecycle.preStop);
  }
}

/** SetDefaults_Probe; an int32 of 0 counts as unset, as in Go. */
function defaultProbe(value: Probe | undefined): void {
  const probe = objectOr(value);
  if (probe === undefined) return;
  if (isUnsetNumber(probe.timeoutSeconds)) probe.timeoutSeconds = 1;
  if (isUnsetNumber(probe.periodSeconds)) probe.periodSeconds = 10;
  if (isUnsetNumber(probe.successThreshold)) probe.successThreshold = 1;
  if (isUnsetNumber(probe.failureThreshold)) probe.failureThreshold = 3;
  defaultHTTPGetAction(probe.httpGet);
  const grpc = objectOr(probe.grpc);
  if (grpc !== undefined && isNil(grpc.service)) grpc.service = ""; // +default="" on GRPCAction.Service
}

function defaultLifecycleHandler(value: LifecycleHandler | undefined): void {
  defaultHTTPGetAction(objectOr(value)?.httpGet);
}

/** SetDefaults_HTTPGetAction. */
function defaultHTTPGetAction(value: HTTPGetAction | undefined): void {
  const action = objectOr(value);
  if (action === undefined) return;
  if (isUnsetString(action.path)) action.path = "/";
  if (isUnsetString(action.scheme)) action.scheme = "HTTP";
}

/** SetDefaults_ObjectFieldSelector. */
export function defaultObjectFieldSelector(value: ObjectFieldSelector | undefined): void {
  const selector = objectOr(value);
  if (selector !== undefined && isUnsetString(selector.apiVersion)) selector.apiVersion = "v1";
}

/** SetDefaults_PersistentVolumeClaimSpec and its resource lists. */
export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec): void {
  if (isNil(spec.volumeMode)) spec.volumeMode = "Filesystem";
  const resources = ensureObject(spec, "resources");
  if (resources !== undefined) defaultResourceRequirements(resources);
}

/** A claim inside another object (StatefulSet volumeClaimTemplates): SetObjectDefaults_PersistentVolumeClaim. */
export function defaultPersistentVolumeClaim(claim: PersistentVolumeClaim): void {
  embeddedObjectMeta(claim, "metadata");
  const spec = ensureObject(claim, "spec");
  if (spec !== undefined) defaultPersistentVolumeClaimSpec(spec);
  const status = ensureObject(claim, "status");
  if (status === undefined) return;
  if (isUnsetString(status.phase)) status.phase = "Pending"; // SetDefaults_PersistentVolumeClaim
  defaultResourceList(status.capacity);
  defaultResourceList(status.allocatedResources);
}
