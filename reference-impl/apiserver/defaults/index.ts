// API defaulting and create-time preparation for every served kind, after kube-apiserver v1.32.
//
// Upstream order on create: decode + default (scheme.Default → SetObjectDefaults_<Kind>), fill uid and
// creationTimestamp, strategy.PrepareForCreate, admission, validation, storage. The registry calls
// applyDefaults on every body it decodes (create, update, patch result) and, like upstream's storage
// codec, again on every object it reads from storage; prepareForCreate runs once, on create, after
// metadata.uid is set, on the same in-memory object applyDefaults saw (no JSON round trip between).
//
// Not done here, on purpose — see `elsewhere` in KIND_TABLE for each kind: name generation, uid,
// resourceVersion, creationTimestamp; admission (service account, priority, default tolerations,
// LimitRanger); Service clusterIP(s), ipFamilies, ipFamilyPolicy, nodePorts (the registry's
// allocators); Endpoints subset repacking (Canonicalize); Event v1 ↔ events.k8s.io/v1 conversion.

import type * as apps from "kubernetes-types/apps/v1.js";
import type * as batch from "kubernetes-types/batch/v1.js";
import type * as core from "kubernetes-types/core/v1.js";
import {
  prepareControllerRevisionForCreate,
  prepareDaemonSetForCreate,
  prepareDeploymentForCreate,
  prepareReplicaSetForCreate,
  prepareStatefulSetForCreate,
  setObjectDefaultsControllerRevision,
  setObjectDefaultsDaemonSet,
  setObjectDefaultsDeployment,
  setObjectDefaultsReplicaSet,
  setObjectDefaultsStatefulSet,
} from "./apps.ts";
import { prepareCronJobForCreate, prepareJobForCreate, setObjectDefaultsCronJob, setObjectDefaultsJob } from "./batch.ts";
import { prepareLeaseForCreate, setObjectDefaultsLease } from "./coordination.ts";
import {
  prepareNamespaceForCreate,
  prepareNodeForCreate,
  prepareResourceQuotaForCreate,
  prepareServiceAccountForCreate,
  prepareServiceForCreate,
  setObjectDefaultsConfigMap,
  setObjectDefaultsEndpoints,
  setObjectDefaultsEvent as setObjectDefaultsCoreEvent,
  setObjectDefaultsLimitRange,
  setObjectDefaultsNamespace,
  setObjectDefaultsNode,
  setObjectDefaultsPod,
  setObjectDefaultsResourceQuota,
  setObjectDefaultsSecret,
  setObjectDefaultsService,
  setObjectDefaultsServiceAccount,
} from "./core.ts";
import { prepareEndpointSliceForCreate, setObjectDefaultsEndpointSlice } from "./discovery.ts";
import { prepareEventForCreate, setObjectDefaultsEvent } from "./events.ts";
import { isObject } from "./json.ts";
import { prepareIngressForCreate, setObjectDefaultsIngress } from "./networking.ts";
import { preparePodForCreate, type CreateContext } from "./pod-strategy.ts";
import { preparePodDisruptionBudgetForCreate, setObjectDefaultsPodDisruptionBudget } from "./policy.ts";
import { preparePriorityClassForCreate, setObjectDefaultsPriorityClass } from "./scheduling.ts";

export { FEATURE_GATES } from "./features.ts";
export { computePodQOS, getPodQOS, type PodQOSClass } from "./qos.ts";
export { parseImageName, defaultImagePullPolicy, type ImageName } from "./image.ts";
export type { CreateContext } from "./pod-strategy.ts";

export interface KindDefaults {
  readonly apiVersion: string;
  readonly kind: string;
  /** SetObjectDefaults_<Kind>: mutates the object in place. */
  readonly setDefaults: (obj: object) => void;
  /** The pure part of the registry strategy's PrepareForCreate; returns response warnings. */
  readonly prepareForCreate: (obj: object, ctx: CreateContext) => string[];
  /** What upstream does on create outside the defaulter and the strategy, left to the registry. */
  readonly elsewhere: readonly string[];
}

const IDENTITY = ["metadata.name from generateName, uid, creationTimestamp, resourceVersion (registry)"];

function entry<T extends object>(
  apiVersion: string,
  kind: string,
  setDefaults: (obj: T) => void,
  prepare: (obj: T, ctx: CreateContext) => string[] | void,
  elsewhere: readonly string[] = [],
): KindDefaults {
  return {
    apiVersion,
    kind,
    // The registry hands us a decoded body of this kind; members are checked as they are read.
    setDefaults: (obj) => setDefaults(obj as T),
    prepareForCreate: (obj, ctx) => prepare(obj as T, ctx) ?? [],
    elsewhere: [...IDENTITY, ...elsewhere],
  };
}

const ENTRIES: readonly KindDefaults[] = [
  entry<core.Namespace>("v1", "Namespace", setObjectDefaultsNamespace, prepareNamespaceForCreate, [
    "generateName'd namespaces get the kubernetes.io/metadata.name label at Canonicalize (registry)",
  ]),
  entry<core.Node>("v1", "Node", setObjectDefaultsNode, prepareNodeForCreate),
  entry<core.Pod>("v1", "Pod", setObjectDefaultsPod, preparePodForCreate, [
    "serviceAccountName default and token volume (ServiceAccount admission)",
    "priority and preemptionPolicy from priorityClassName (Priority admission)",
    "not-ready/unreachable NoExecute tolerations for 300s (DefaultTolerationSeconds admission)",
    "default requests/limits from LimitRanges (LimitRanger admission)",
  ]),
  entry<core.Service>("v1", "Service", setObjectDefaultsService, prepareServiceForCreate, [
    "clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy (SingleStack) from the service CIDR allocator",
    "nodePort for NodePort/LoadBalancer ports from the node port allocator",
    "healthCheckNodePort for LoadBalancer with externalTrafficPolicy Local",
  ]),
  entry<core.Endpoints>("v1", "Endpoints", setObjectDefaultsEndpoints, noPrepare, [
    "subsets repacked and sorted (endpointsStrategy.Canonicalize, RepackSubsets)",
  ]),
  entry<core.Event>("v1", "Event", setObjectDefaultsCoreEvent, noPrepare),
  entry<core.ConfigMap>("v1", "ConfigMap", setObjectDefaultsConfigMap, noPrepare),
  entry<core.Secret>("v1", "Secret", setObjectDefaultsSecret, noPrepare),
  entry<core.ServiceAccount>("v1", "ServiceAccount", setObjectDefaultsServiceAccount, prepareServiceAccountForCreate),
  entry<core.LimitRange>("v1", "LimitRange", setObjectDefaultsLimitRange, noPrepare),
  entry<core.ResourceQuota>("v1", "ResourceQuota", setObjectDefaultsResourceQuota, prepareResourceQuotaForCreate),
  entry<apps.Deployment>("apps/v1", "Deployment", setObjectDefaultsDeployment, prepareDeploymentForCreate),
  entry<apps.ReplicaSet>("apps/v1", "ReplicaSet", setObjectDefaultsReplicaSet, prepareReplicaSetForCreate),
  entry<apps.DaemonSet>("apps/v1", "DaemonSet", setObjectDefaultsDaemonSet, prepareDaemonSetForCreate),
  entry<apps.StatefulSet>("apps/v1", "StatefulSet", setObjectDefaultsStatefulSet, prepareStatefulSetForCreate),
  entry<apps.ControllerRevision>(
    "apps/v1",
    "ControllerRevision",
    setObjectDefaultsControllerRevision,
    prepareControllerRevisionForCreate,
  ),
  entry<batch.Job>("batch/v1", "Job", setObjectDefaultsJob, prepareJobForCreate),
  entry<batch.CronJob>("batch/v1", "CronJob", setObjectDefaultsCronJob, prepareCronJobForCreate),
  entry("policy/v1", "PodDisruptionBudget", setObjectDefaultsPodDisruptionBudget, preparePodDisruptionBudgetForCreate),
  entry("coordination.k8s.io/v1", "Lease", setObjectDefaultsLease, prepareLeaseForCreate),
  entry("discovery.k8s.io/v1", "EndpointSlice", setObjectDefaultsEndpointSlice, prepareEndpointSliceForCreate),
  entry("scheduling.k8s.io/v1", "PriorityClass", setObjectDefaultsPriorityClass, preparePriorityClassForCreate),
  entry("networking.k8s.io/v1", "Ingress", setObjectDefaultsIngress, prepareIngressForCreate),
  entry("events.k8s.io/v1", "Event", setObjectDefaultsEvent, prepareEventForCreate),
];

function noPrepare(_obj: object): void {}

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** Every served kind, by kindKey(apiVersion, kind). */
export const KIND_TABLE: ReadonlyMap<string, KindDefaults> = new Map(
  ENTRIES.map((e) => [kindKey(e.apiVersion, e.kind), e] as const),
);

/**
 * scheme.Default: applies the kind's defaults in place. A `<Kind>List` defaults each item as
 * SetObjectDefaults_<Kind>List does. Kinds without defaulters are left alone.
 */
export function applyDefaults(obj: unknown): void {
  const { apiVersion, kind, object } = typed(obj, "applyDefaults");
  const entry = KIND_TABLE.get(kindKey(apiVersion, kind));
  if (entry !== undefined) {
    entry.setDefaults(object);
    return;
  }
  const itemEntry = kind.endsWith("List") ? KIND_TABLE.get(kindKey(apiVersion, kind.slice(0, -4))) : undefined;
  const items = object["items"];
  if (itemEntry === undefined || !Array.isArray(items)) return;
  for (const item of items) if (isObject(item)) itemEntry.setDefaults(item);
}

/**
 * The registry strategy's PrepareForCreate, for the parts that need no cluster state: status reset,
 * generation 1, pod phase and QoS class, namespace finalizer, Job selector... Call after applyDefaults
 * and after metadata.uid is set. Returns the warnings upstream would add to the response.
 */
export function prepareForCreate(obj: unknown, ctx: CreateContext): string[] {
  const { apiVersion, kind, object } = typed(obj, "prepareForCreate");
  return KIND_TABLE.get(kindKey(apiVersion, kind))?.prepareForCreate(object, ctx) ?? [];
}

function typed(obj: unknown, caller: string): { apiVersion: string; kind: string; object: Record<string, unknown> } {
  if (!isObject(obj) || typeof obj["apiVersion"] !== "string" || typeof obj["kind"] !== "string") {
    throw new TypeError(`${caller}: expected an object with string apiVersion and kind`);
  }
  return { apiVersion: obj["apiVersion"], kind: obj["kind"], object: obj };
}
