// Semantic validation of the served kinds, as kube-apiserver 1.33 runs it for a create or an
// update: the registry strategy's Validate/ValidateUpdate (pkg/apis/*/validation), combined the
// way k8s.io/apiserver rest.BeforeCreate and rest.BeforeUpdate combine them with the generic
// metadata checks. Objects must already be decoded, defaulted and prepared by the strategy
// (generated names and job selectors, allocated service IPs, generation, status reset), exactly
// as upstream validates them.

import type { KubeObject, Status } from "../../../spec/interfaces/api-client.ts";
import type { FieldError } from "../../../spec/semantics/field-errors.ts";
import { type ObjectMetaLike, validateObjectMeta, validateObjectMetaUpdate } from "../../../spec/semantics/validation.ts";
import * as apps from "./apps.ts";
import * as batch from "./batch.ts";
import { type Json, metaOf, path, validatePathSegmentName } from "./common.ts";
import * as coordination from "./coordination.ts";
import * as core from "./core.ts";
import * as discovery from "./discovery.ts";
import * as event from "./event.ts";
import * as networking from "./networking.ts";
import * as pod from "./pod.ts";
import * as policy from "./policy.ts";
import * as scheduling from "./scheduling.ts";
import * as service from "./service.ts";
import { invalidStatus } from "./status.ts";

export { invalidStatus, qualifiedKind } from "./status.ts";
export { UPDATABLE_POD_SPEC_FIELDS } from "./pod.ts";

/** How one kind is validated: the strategy's create and update validation. */
export interface KindValidation {
  readonly apiVersion: string;
  readonly kind: string;
  /** The API group (`""` for core), as the Invalid Status reports it. */
  readonly group: string;
  readonly namespaced: boolean;
  readonly create: (obj: Json) => FieldError[];
  readonly update: (obj: Json, old: Json) => FieldError[];
}

function entry(
  apiVersion: string,
  kind: string,
  namespaced: boolean,
  create: (obj: Json) => FieldError[],
  update: (obj: Json, old: Json) => FieldError[],
): KindValidation {
  const slash = apiVersion.indexOf("/");
  return { apiVersion, kind, group: slash < 0 ? "" : apiVersion.slice(0, slash), namespaced, create, update };
}

/** One entry per served kind; adding a kind is one line. */
export const KIND_VALIDATIONS: readonly KindValidation[] = [
  entry("v1", "Namespace", false, core.validateNamespace, core.validateNamespaceUpdate),
  entry("v1", "Node", false, core.validateNode, core.validateNodeUpdate),
  entry("v1", "Pod", true, pod.validatePodCreate, pod.validatePodUpdate),
  entry("v1", "Service", true, service.validateServiceCreate, service.validateServiceUpdate),
  entry("v1", "Endpoints", true, core.validateEndpoints, core.validateEndpointsUpdate),
  entry("v1", "Event", true, event.validateEventCreate, event.validateEventUpdate),
  entry("v1", "ConfigMap", true, core.validateConfigMap, core.validateConfigMapUpdate),
  entry("v1", "Secret", true, core.validateSecret, core.validateSecretUpdate),
  entry("v1", "ServiceAccount", true, core.validateServiceAccount, core.validateServiceAccountUpdate),
  entry("v1", "LimitRange", true, core.validateLimitRange, (obj) => core.validateLimitRange(obj)),
  entry("v1", "ResourceQuota", true, core.validateResourceQuota, core.validateResourceQuotaUpdate),
  entry("apps/v1", "Deployment", true, apps.validateDeployment, apps.validateDeploymentUpdate),
  entry("apps/v1", "ReplicaSet", true, apps.validateReplicaSet, apps.validateReplicaSetUpdate),
  entry("apps/v1", "DaemonSet", true, apps.validateDaemonSet, apps.validateDaemonSetUpdate),
  entry("apps/v1", "StatefulSet", true, apps.validateStatefulSet, apps.validateStatefulSetUpdate),
  entry("apps/v1", "ControllerRevision", true, apps.validateControllerRevision, apps.validateControllerRevisionUpdate),
  entry("batch/v1", "Job", true, batch.validateJob, batch.validateJobUpdate),
  entry("batch/v1", "CronJob", true, batch.validateCronJob, batch.validateCronJobUpdate),
  entry("policy/v1", "PodDisruptionBudget", true, policy.validatePodDisruptionBudget, (obj) => policy.validatePodDisruptionBudget(obj)),
  entry("coordination.k8s.io/v1", "Lease", true, coordination.validateLease, coordination.validateLeaseUpdate),
  entry("discovery.k8s.io/v1", "EndpointSlice", true, discovery.validateEndpointSlice, discovery.validateEndpointSliceUpdate),
  entry("scheduling.k8s.io/v1", "PriorityClass", false, scheduling.validatePriorityClass, scheduling.validatePriorityClassUpdate),
  entry("networking.k8s.io/v1", "Ingress", true, networking.validateIngressCreate, networking.validateIngressUpdate),
  entry("events.k8s.io/v1", "Event", true, event.validateEventCreate, event.validateEventUpdate),
];

const byKey = new Map(KIND_VALIDATIONS.map((k) => [`${k.apiVersion}/${k.kind}`, k]));

/** The validation for an object's apiVersion and kind, or undefined for a kind not served. */
export function kindValidation(obj: KubeObject): KindValidation | undefined {
  return byKey.get(`${obj.apiVersion ?? ""}/${obj.kind ?? ""}`);
}

function asJson(obj: KubeObject): Json {
  return obj as Json;
}

function meta(obj: KubeObject): ObjectMetaLike {
  return metaOf(asJson(obj));
}

/**
 * The field errors of a create, as rest.BeforeCreate reports them: the strategy's errors, or, when
 * there are none, the generic metadata checks (names may not be "." or ".." or contain "/" or
 * "%"). Throws for a kind that is not served.
 */
export function validateCreate(obj: KubeObject): FieldError[] {
  const k = requireKind(obj);
  const errs = k.create(asJson(obj));
  if (errs.length > 0) return errs;
  return validateObjectMeta(meta(obj), { namespaced: k.namespaced, nameFn: validatePathSegmentName, path: path("metadata") });
}

/**
 * The field errors of an update, as rest.BeforeUpdate reports them: the generic metadata checks
 * first, then the strategy's update validation (which repeats some metadata checks, as upstream).
 * `newObj` must already carry what BeforeUpdate copies from the old object (uid, creation and
 * deletion timestamps, generation).
 */
export function validateUpdate(newObj: KubeObject, oldObj: KubeObject): FieldError[] {
  const k = requireKind(newObj);
  return [
    ...validateObjectMeta(meta(newObj), { namespaced: k.namespaced, nameFn: validatePathSegmentName, path: path("metadata") }),
    ...validateObjectMetaUpdate(meta(newObj), meta(oldObj), path("metadata")),
    ...k.update(asJson(newObj), asJson(oldObj)),
  ];
}

function requireKind(obj: KubeObject): KindValidation {
  const k = kindValidation(obj);
  if (k === undefined) throw new Error(`no validation for ${obj.apiVersion ?? ""}/${obj.kind ?? ""}`);
  return k;
}

/** The 422 Status for an object's errors, or undefined when there are none. */
export function invalidStatusFor(obj: KubeObject, errors: readonly FieldError[]): Status | undefined {
  if (errors.length === 0) return undefined;
  const k = requireKind(obj);
  return invalidStatus(k.kind, k.group, meta(obj).name ?? "", errors);
}
