// core/v1 defaulting (pkg/apis/core/v1/defaults.go + zz_generated.defaults.go) and the pure parts of
// the core registry strategies' PrepareForCreate (pkg/registry/core/*/strategy.go), Kubernetes v1.32.
// Pods' PrepareForCreate is in pod-strategy.ts.

import type {
  ConfigMap,
  Container,
  Endpoints,
  Event,
  LimitRange,
  Namespace,
  Node,
  Pod,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from "kubernetes-types/core/v1.js";
import { enabled } from "./features.ts";
import { coreEventZero, nodeZero, podStatusZero } from "./go-zero.ts";
import {
  ensureObject,
  isNil,
  isObject,
  isUnsetNumber,
  isUnsetString,
  objectOr,
  objectsOf,
  resetStatus,
  type JsonObject,
} from "./json.ts";
import { defaultPodSpecTree } from "./pod-spec.ts";
import { defaultResourceList, defaultResourceRequirements } from "./resources.ts";

/** v1.LabelMetadataName: every named namespace carries its own name as a label. */
export const LABEL_METADATA_NAME = "kubernetes.io/metadata.name";
/** v1.FinalizerKubernetes: the namespace controller's finalizer, required on create. */
export const FINALIZER_KUBERNETES = "kubernetes";
/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
export const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800;

// --- Pod -------------------------------------------------------------------------------------------

/** SetObjectDefaults_Pod: SetDefaults_Pod, then the PodSpec walk, then the status' resource lists. */
export function setObjectDefaultsPod(pod: Pod): void {
  const spec = ensureObject(pod, "spec");
  if (spec !== undefined) {
    setDefaultsPod(spec);
    defaultPodSpecTree(spec);
  }
  const status = objectOr(pod.status);
  if (status === undefined) return;
  podStatusZero(status);
  for (const list of [status.initContainerStatuses, status.containerStatuses, status.ephemeralContainerStatuses]) {
    for (const containerStatus of objectsOf(list)) {
      defaultResourceList(containerStatus.allocatedResources);
      defaultResourceRequirements(containerStatus.resources);
    }
  }
}

/**
 * SetDefaults_Pod: only Pods get these, never pod templates, so that changing them cannot roll
 * every workload on an apiserver upgrade.
 */
function setDefaultsPod(spec: NonNullable<Pod["spec"]>): void {
  // Requests default to limits per resource, for regular and init containers (not ephemeral ones).
  for (const container of [...objectsOf(spec.containers), ...objectsOf(spec.initContainers)]) {
    defaultRequestsFromLimits(container);
  }
  // PodLevelResources (off at v1.32) would default pod-level requests/limits here.
  if (isNil(spec.enableServiceLinks)) spec.enableServiceLinks = true; // v1.DefaultEnableServiceLinks
  if (spec.hostNetwork === true) {
    // With host networking every container port is a host port (since v1.28 for Pods only).
    for (const container of [...objectsOf(spec.containers), ...objectsOf(spec.initContainers)]) {
      for (const port of objectsOf(container.ports)) {
        if (isUnsetNumber(port.hostPort) && typeof port.containerPort === "number") port.hostPort = port.containerPort;
      }
    }
  }
}

function defaultRequestsFromLimits(container: Container): void {
  const resources = objectOr(container.resources);
  const limits = objectOr(resources?.limits);
  if (resources === undefined || limits === undefined) return;
  if (!isNil(resources.requests) && !isObject(resources.requests)) return;
  const requests: JsonObject = resources.requests ?? {};
  for (const [name, value] of Object.entries(limits)) {
    if (!Object.hasOwn(requests, name)) requests[name] = value;
  }
  // An empty map is omitted on the wire (omitempty), so only a non-empty one appears.
  if (Object.keys(requests).length > 0) resources.requests = requests as Record<string, string>;
}

// --- Service ---------------------------------------------------------------------------------------

/** SetObjectDefaults_Service (SetDefaults_Service; the generated port-protocol default is the same). */
export function setObjectDefaultsService(service: Service): void {
  const spec = ensureObject(service, "spec");
  if (spec === undefined) return;
  if (isUnsetString(spec.sessionAffinity)) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP") {
    const timeoutSeconds = objectOr(objectOr(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds;
    if (isNil(timeoutSeconds)) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS } };
    }
  }
  if (isUnsetString(spec.type)) spec.type = "ClusterIP";
  for (const port of objectsOf(spec.ports)) {
    if (isUnsetString(port.protocol)) port.protocol = "TCP";
    // intstr zero values: absent, null, 0 and "" all mean "same as port".
    if (isUnsetNumber(port.targetPort) || port.targetPort === "") {
      port.targetPort = typeof port.port === "number" ? port.port : 0;
    }
  }
  // service.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs.
  const externallyAccessible =
    spec.type === "LoadBalancer" ||
    spec.type === "NodePort" ||
    (spec.type === "ClusterIP" && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (externallyAccessible && isUnsetString(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = "Cluster";
  if (isNil(spec.internalTrafficPolicy) && ["NodePort", "LoadBalancer", "ClusterIP"].includes(spec.type ?? "")) {
    spec.internalTrafficPolicy = "Cluster";
  }
  if (spec.type === "LoadBalancer" && isNil(spec.allocateLoadBalancerNodePorts)) {
    spec.allocateLoadBalancerNodePorts = true;
  }
  if (spec.type === "LoadBalancer" && enabled("LoadBalancerIPMode")) {
    for (const ingress of objectsOf(objectOr(objectOr(service.status)?.loadBalancer)?.ingress)) {
      if (!isUnsetString(ingress.ip) && isNil(ingress.ipMode)) ingress.ipMode = "VIP";
    }
  }
}

// --- Namespace, Node, Endpoints, Secret, ConfigMap, LimitRange, ResourceQuota -----------------------

/** SetObjectDefaults_Namespace: SetDefaults_Namespace and SetDefaults_NamespaceStatus. */
export function setObjectDefaultsNamespace(namespace: Namespace): void {
  const meta = objectOr(namespace.metadata);
  // Nameless (generateName) namespaces get the label when the registry canonicalizes them.
  if (meta !== undefined && typeof meta.name === "string" && meta.name.length > 0) {
    const labels = ensureObject(meta, "labels");
    if (labels !== undefined) labels[LABEL_METADATA_NAME] = meta.name;
  }
  ensureObject(namespace, "spec");
  const status = ensureObject(namespace, "status");
  if (status !== undefined && isUnsetString(status.phase)) status.phase = "Active";
}

/** SetObjectDefaults_Node: allocatable defaults to capacity; both rounded to milli. */
export function setObjectDefaultsNode(node: Node): void {
  nodeZero(node);
  const status = objectOr(node.status);
  if (status === undefined) return;
  if (isNil(status.allocatable) && isObject(status.capacity)) status.allocatable = { ...status.capacity };
  defaultResourceList(status.capacity);
  defaultResourceList(status.allocatable);
}

/** SetObjectDefaults_Endpoints. */
export function setObjectDefaultsEndpoints(endpoints: Endpoints): void {
  for (const subset of objectsOf(endpoints.subsets)) {
    for (const port of objectsOf(subset.ports)) {
      if (isUnsetString(port.protocol)) port.protocol = "TCP";
    }
  }
}

/** SetObjectDefaults_Secret. */
export function setObjectDefaultsSecret(secret: Secret): void {
  if (isUnsetString(secret.type)) secret.type = "Opaque";
}

/**
 * SetObjectDefaults_ConfigMap sets `data` to an empty map when nil; an empty map is omitted on the
 * wire, so nothing observable changes.
 */
export function setObjectDefaultsConfigMap(_configMap: ConfigMap): void {}

/** SetObjectDefaults_LimitRange: container items derive default limits and requests, then rounding. */
export function setObjectDefaultsLimitRange(limitRange: LimitRange): void {
  const spec = ensureObject(limitRange, "spec");
  for (const item of objectsOf(spec?.limits)) {
    if (item.type === "Container") {
      // Limit defaults to max; request defaults to the default limit, else to min.
      const defaults: JsonObject = isObject(item.default) ? item.default : {};
      const defaultRequests: JsonObject = isObject(item.defaultRequest) ? item.defaultRequest : {};
      copyMissing(item.max, defaults);
      copyMissing(defaults, defaultRequests);
      copyMissing(item.min, defaultRequests);
      if (Object.keys(defaults).length > 0) item.default = defaults as Record<string, string>;
      if (Object.keys(defaultRequests).length > 0) item.defaultRequest = defaultRequests as Record<string, string>;
    }
    defaultResourceList(item.max);
    defaultResourceList(item.min);
    defaultResourceList(item.default);
    defaultResourceList(item.defaultRequest);
    defaultResourceList(item.maxLimitRequestRatio);
  }
}

function copyMissing(from: unknown, to: JsonObject): void {
  if (!isObject(from)) return;
  for (const [name, value] of Object.entries(from)) {
    if (!Object.hasOwn(to, name)) to[name] = value;
  }
}

/** SetObjectDefaults_ResourceQuota: resource lists rounded to milli. */
export function setObjectDefaultsResourceQuota(quota: ResourceQuota): void {
  const spec = ensureObject(quota, "spec");
  defaultResourceList(spec?.hard);
  const status = objectOr(quota.status);
  defaultResourceList(status?.hard);
  defaultResourceList(status?.used);
}

/** ServiceAccount has no defaulter. */
export function setObjectDefaultsServiceAccount(_serviceAccount: ServiceAccount): void {}

/** Event has no defaulter; only Go's always-serialized members are filled. */
export function setObjectDefaultsEvent(event: Event): void {
  coreEventZero(event);
}

// --- PrepareForCreate ------------------------------------------------------------------------------

/** namespaceStrategy.PrepareForCreate: Active, and the kubernetes finalizer is required. */
export function prepareNamespaceForCreate(namespace: Namespace): void {
  resetStatus(namespace, { phase: "Active" });
  const spec = ensureObject(namespace, "spec");
  if (spec === undefined) return;
  if (isNil(spec.finalizers)) spec.finalizers = [];
  if (Array.isArray(spec.finalizers) && !spec.finalizers.includes(FINALIZER_KUBERNETES)) {
    spec.finalizers.push(FINALIZER_KUBERNETES);
  }
}

/** svcStrategy.PrepareForCreate: no status on create (Go's empty ServiceStatus carries loadBalancer: {}). */
export function prepareServiceForCreate(service: Service): void {
  resetStatus(service, { loadBalancer: {} });
}

/**
 * nodeStrategy.PrepareForCreate: nodes may set status on create; dynamic kubelet config (removed in
 * v1.24) is dropped.
 */
export function prepareNodeForCreate(node: Node): void {
  const spec = objectOr(node.spec) as JsonObject | undefined;
  if (spec !== undefined) delete spec["configSource"];
  const status = objectOr(node.status) as JsonObject | undefined;
  if (status !== undefined) delete status["config"];
}

/** resourcequotaStrategy.PrepareForCreate. */
export function prepareResourceQuotaForCreate(quota: ResourceQuota): void {
  resetStatus(quota, {});
}

/** serviceaccount strategy.PrepareForCreate (cleanSecretReferences): secret references keep only the name. */
export function prepareServiceAccountForCreate(serviceAccount: ServiceAccount): void {
  if (!Array.isArray(serviceAccount.secrets)) return;
  serviceAccount.secrets = serviceAccount.secrets.map((ref: unknown) => {
    const name = isObject(ref) ? ref["name"] : undefined;
    return typeof name === "string" && name !== "" ? { name } : {};
  });
}
