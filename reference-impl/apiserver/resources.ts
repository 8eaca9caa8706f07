// The registry: every kind the API server serves, in ONE table. An entry carries what discovery
// shows (`kubectl api-resources`: names, short names, categories, verbs, subresources), where the
// objects live in the store (upstream's etcd paths: nodes are "minions", services "services/specs"),
// which field selectors the kind supports, and its strategy facts (pkg/registry/<group>/<kind>/
// strategy.go): status subresource, generation rules, registry-level immutable fields, deletion.
// Adding a resource is adding one entry.
import type { KubeObject } from "../../spec/interfaces/api-client.ts";
import {
  type ValidateNameFunc,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from "../../spec/semantics/validation.ts";
import { coreToEventsV1, eventsV1ToCore } from "./event-conversion.ts";
import {
  type FieldLabels,
  type FieldSet,
  eventFieldLabels,
  eventFields,
  jobFieldLabels,
  jobFields,
  metadataFieldLabels,
  namespaceFieldLabels,
  namespaceFields,
  nodeFieldLabels,
  nodeFields,
  objectMetaFields,
  podFieldLabels,
  podFields,
  replicaSetFields,
  secretFieldLabels,
  secretFields,
} from "./selectable-fields.ts";

export type ResourceVerb = "create" | "delete" | "deletecollection" | "get" | "list" | "patch" | "update" | "watch";

export type SubresourceName = "status" | "scale" | "binding" | "eviction" | "log" | "finalize";

export interface SubresourceInfo {
  readonly name: SubresourceName;
  /** The kind the subresource speaks; group/version when it is another group's (autoscaling/v1 Scale). */
  readonly kind: string;
  readonly group?: string;
  readonly version?: string;
  readonly verbs: readonly ResourceVerb[];
}

/**
 * When metadata.generation moves (PrepareForUpdate): never; on spec changes; on spec or annotation
 * changes (Deployment); on any change outside metadata, or to labels (EndpointSlice).
 */
export type GenerationPolicy = "none" | "spec" | "specOrAnnotations" | "nonMetadataOrLabels";

/** A field the registry's update validation keeps fixed. */
export interface ImmutableField {
  readonly path: readonly string[];
  /** "immutable": `Invalid value: ...: field is immutable`; otherwise a Forbidden detail. */
  readonly error: "immutable" | { forbidden: string };
}

export interface ResourceInfo {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural, as in URLs. */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly ResourceVerb[];
  readonly subresources: readonly SubresourceInfo[];
  /** The etcd path under /registry. */
  readonly storagePrefix: string;
  readonly fieldLabels: FieldLabels;
  /** Kind-specific selectable fields (metadata.name/namespace are added for every kind). */
  readonly selectableFields?: (obj: KubeObject) => FieldSet;
  /** Whether create clears .status (most kinds with a status subresource) or keeps it (nodes). */
  readonly statusOnCreate: "reset" | "keep";
  readonly generation: GenerationPolicy;
  /** A /status write also keeps the old labels (Deployment, ReplicaSet status strategies). */
  readonly statusKeepsLabels: boolean;
  readonly immutableFields: readonly ImmutableField[];
  /** PUT of a missing object creates it (AllowCreateOnUpdate). */
  readonly allowCreateOnUpdate: boolean;
  /** Graceful deletion (pods): deletionTimestamp in the future and deletionGracePeriodSeconds. */
  readonly gracefulDelete: boolean;
  /** DELETE answers with the object (ReturnDeletedObject) rather than a Success Status. */
  readonly returnDeletedObject: boolean;
  /** The name rule of the kind's own validation (used when no validation module is installed). */
  readonly nameFn: ValidateNameFunc;
  /** Kinds stored in another kind's schema (events.k8s.io Events are stored as core Events). */
  readonly storageConversion?: { toStorage(obj: KubeObject): KubeObject; fromStorage(obj: KubeObject): KubeObject };
}

const allVerbs: readonly ResourceVerb[] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const readWrite: readonly ResourceVerb[] = ["get", "patch", "update"];
const status: SubresourceInfo = { name: "status", kind: "", verbs: readWrite };
const scale: SubresourceInfo = { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: readWrite };
const selectorImmutable: ImmutableField = { path: ["spec", "selector"], error: "immutable" };

type Entry = Partial<ResourceInfo> & Pick<ResourceInfo, "group" | "version" | "kind" | "resource" | "singular" | "namespaced">;

/** Fills an entry's defaults: every verb, metadata-only field selectors, no status, no generation. */
function entry(e: Entry): ResourceInfo {
  const subresources = (e.subresources ?? []).map((s) => (s.kind === "" ? { ...s, kind: e.kind } : s));
  return {
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    storagePrefix: e.resource,
    fieldLabels: metadataFieldLabels,
    statusOnCreate: subresources.some((s) => s.name === "status") ? "reset" : "keep",
    generation: "none",
    statusKeepsLabels: false,
    immutableFields: [],
    allowCreateOnUpdate: false,
    gracefulDelete: false,
    returnDeletedObject: false,
    nameFn: nameIsDNSSubdomain,
    ...e,
    subresources,
  };
}

/** The served kinds. Facts from kube-apiserver 1.31/1.32 discovery and pkg/registry strategies. */
export const RESOURCES: readonly ResourceInfo[] = [
  // ---- core/v1 ----
  entry({
    group: "", version: "v1", kind: "Namespace", resource: "namespaces", singular: "namespace", namespaced: false,
    shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: [status, { name: "finalize", kind: "Namespace", verbs: ["update"] }],
    fieldLabels: namespaceFieldLabels, selectableFields: namespaceFields,
    returnDeletedObject: true, nameFn: nameIsDNSLabel,
  }),
  entry({
    group: "", version: "v1", kind: "Node", resource: "nodes", singular: "node", namespaced: false,
    shortNames: ["no"], subresources: [status], storagePrefix: "minions",
    fieldLabels: nodeFieldLabels, selectableFields: nodeFields,
    // Nodes may be created with their status (the kubelet registers with it).
    statusOnCreate: "keep",
  }),
  entry({
    group: "", version: "v1", kind: "Pod", resource: "pods", singular: "pod", namespaced: true,
    shortNames: ["po"], categories: ["all"],
    subresources: [
      status,
      { name: "binding", kind: "Binding", verbs: ["create"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "log", kind: "Pod", verbs: ["get"] },
    ],
    fieldLabels: podFieldLabels, selectableFields: podFields,
    generation: "spec", gracefulDelete: true, returnDeletedObject: true,
  }),
  entry({
    group: "", version: "v1", kind: "Service", resource: "services", singular: "service", namespaced: true,
    shortNames: ["svc"], categories: ["all"], subresources: [status], storagePrefix: "services/specs",
    returnDeletedObject: true, nameFn: nameIsDNS1035Label,
  }),
  entry({
    group: "", version: "v1", kind: "Endpoints", resource: "endpoints", singular: "endpoints", namespaced: true,
    shortNames: ["ep"], storagePrefix: "services/endpoints", allowCreateOnUpdate: true,
  }),
  entry({
    group: "", version: "v1", kind: "Event", resource: "events", singular: "event", namespaced: true,
    shortNames: ["ev"], fieldLabels: eventFieldLabels, selectableFields: eventFields, allowCreateOnUpdate: true,
  }),
  entry({ group: "", version: "v1", kind: "ConfigMap", resource: "configmaps", singular: "configmap", namespaced: true, shortNames: ["cm"] }),
  entry({
    group: "", version: "v1", kind: "Secret", resource: "secrets", singular: "secret", namespaced: true,
    fieldLabels: secretFieldLabels, selectableFields: secretFields,
  }),
  entry({
    group: "", version: "v1", kind: "ServiceAccount", resource: "serviceaccounts", singular: "serviceaccount", namespaced: true,
    shortNames: ["sa"], returnDeletedObject: true,
  }),
  entry({
    group: "", version: "v1", kind: "LimitRange", resource: "limitranges", singular: "limitrange", namespaced: true,
    shortNames: ["limits"], allowCreateOnUpdate: true,
  }),
  entry({
    group: "", version: "v1", kind: "ResourceQuota", resource: "resourcequotas", singular: "resourcequota", namespaced: true,
    shortNames: ["quota"], subresources: [status],
  }),
  // ---- apps/v1 ----
  entry({
    group: "apps", version: "v1", kind: "Deployment", resource: "deployments", singular: "deployment", namespaced: true,
    shortNames: ["deploy"], categories: ["all"], subresources: [scale, status],
    generation: "specOrAnnotations", statusKeepsLabels: true, immutableFields: [selectorImmutable],
  }),
  entry({
    group: "apps", version: "v1", kind: "ReplicaSet", resource: "replicasets", singular: "replicaset", namespaced: true,
    shortNames: ["rs"], categories: ["all"], subresources: [scale, status], selectableFields: replicaSetFields,
    generation: "spec", statusKeepsLabels: true, immutableFields: [selectorImmutable],
  }),
  entry({
    group: "apps", version: "v1", kind: "DaemonSet", resource: "daemonsets", singular: "daemonset", namespaced: true,
    shortNames: ["ds"], categories: ["all"], subresources: [status],
    generation: "spec", immutableFields: [selectorImmutable],
  }),
  entry({
    group: "apps", version: "v1", kind: "StatefulSet", resource: "statefulsets", singular: "statefulset", namespaced: true,
    shortNames: ["sts"], categories: ["all"], subresources: [scale, status],
    generation: "spec", immutableFields: [selectorImmutable],
  }),
  entry({
    group: "apps", version: "v1", kind: "ControllerRevision", resource: "controllerrevisions", singular: "controllerrevision", namespaced: true,
    immutableFields: [{ path: ["data"], error: "immutable" }],
  }),
  // ---- batch/v1 ----
  entry({
    group: "batch", version: "v1", kind: "Job", resource: "jobs", singular: "job", namespaced: true,
    categories: ["all"], subresources: [status], fieldLabels: jobFieldLabels, selectableFields: jobFields,
    generation: "spec", immutableFields: [selectorImmutable],
  }),
  entry({
    group: "batch", version: "v1", kind: "CronJob", resource: "cronjobs", singular: "cronjob", namespaced: true,
    shortNames: ["cj"], categories: ["all"], subresources: [status], generation: "spec",
  }),
  // ---- policy/v1 ----
  entry({
    group: "policy", version: "v1", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets", singular: "poddisruptionbudget",
    namespaced: true, shortNames: ["pdb"], subresources: [status], generation: "spec",
  }),
  // ---- coordination.k8s.io/v1 ----
  entry({
    group: "coordination.k8s.io", version: "v1", kind: "Lease", resource: "leases", singular: "lease", namespaced: true,
    allowCreateOnUpdate: true,
  }),
  // ---- discovery.k8s.io/v1 ----
  entry({
    group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", resource: "endpointslices", singular: "endpointslice",
    namespaced: true, generation: "nonMetadataOrLabels", immutableFields: [{ path: ["addressType"], error: "immutable" }],
  }),
  // ---- scheduling.k8s.io/v1 ----
  entry({
    group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", resource: "priorityclasses", singular: "priorityclass",
    namespaced: false, shortNames: ["pc"],
    immutableFields: [
      { path: ["value"], error: { forbidden: "may not be changed in an update." } },
      { path: ["preemptionPolicy"], error: "immutable" },
    ],
  }),
  // ---- networking.k8s.io/v1 ----
  entry({
    group: "networking.k8s.io", version: "v1", kind: "Ingress", resource: "ingresses", singular: "ingress", namespaced: true,
    shortNames: ["ing"], subresources: [status], storagePrefix: "ingress", generation: "spec",
  }),
  // ---- events.k8s.io/v1: the core Events, seen through the newer schema ----
  entry({
    group: "events.k8s.io", version: "v1", kind: "Event", resource: "events", singular: "event", namespaced: true,
    shortNames: ["ev"], storagePrefix: "events", allowCreateOnUpdate: true, selectableFields: eventFields,
    storageConversion: { toStorage: eventsV1ToCore, fromStorage: coreToEventsV1 },
  }),
];

/** "v1", "apps/v1". */
export function apiVersionOf(info: Pick<ResourceInfo, "group" | "version">): string {
  return info.group === "" ? info.version : `${info.group}/${info.version}`;
}

/** The selectable fields of an object: metadata fields plus the kind's own. */
export function fieldsOf(info: ResourceInfo, obj: KubeObject): FieldSet {
  return { ...(info.selectableFields?.(obj) ?? {}), ...objectMetaFields(obj, info.namespaced) };
}

export function hasSubresource(info: ResourceInfo, name: string): boolean {
  return info.subresources.some((s) => s.name === name);
}

export function subresourceOf(info: ResourceInfo, name: string): SubresourceInfo | undefined {
  return info.subresources.find((s) => s.name === name);
}

/** Lookup of the served kinds by group/version/resource and by group/kind. */
export class ResourceRegistry {
  readonly #byResource = new Map<string, ResourceInfo>();
  readonly #byKind = new Map<string, ResourceInfo>();

  constructor(readonly all: readonly ResourceInfo[] = RESOURCES) {
    for (const info of all) {
      const key = `${info.group}/${info.version}/${info.resource}`;
      if (this.#byResource.has(key)) throw new Error(`resource ${key} registered twice`);
      this.#byResource.set(key, info);
      this.#byKind.set(`${apiVersionOf(info)}/${info.kind}`, info);
    }
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.#byResource.get(`${group}/${version}/${resource}`);
  }

  /** By "apps/v1" and "Deployment". */
  forKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.#byKind.get(`${apiVersion}/${kind}`);
  }
}
