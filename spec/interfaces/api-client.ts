// The ApiClient interface: how every component talks to a Kubernetes API server (DESIGN.md, "The two
// worlds"). In simulation it calls the reference API server in-process through a simulated network;
// in live mode it speaks HTTP to any API server. Shapes follow the REST API
// (https://kubernetes.io/docs/reference/using-api/api-concepts/); objects are plain JSON.

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** meta/v1 Status: every error the API returns. */
export interface Status {
  apiVersion: "v1";
  kind: "Status";
  metadata: Record<string, unknown>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** A resource type, addressed as the REST API does: group, version, plural resource name. */
export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: "pods", "deployments". */
  resource: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "NotOlderThan";
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export type PatchType = "json" | "merge" | "strategic" | "apply";

/** Content types of the four patch types. */
export const patchContentTypes: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  /** The object; for ERROR a Status; for BOOKMARK only kind, apiVersion and metadata.resourceVersion. */
  object: T;
}

export interface Watch {
  /** Stops the watch; `onClose` is then called without an error. */
  stop(): void;
}

export interface WatchHandlers<T extends KubeObject = KubeObject> {
  onEvent(event: WatchEvent<T>): void;
  /** The watch ended: stopped, timed out (no error), or broken (error). Called exactly once. */
  onClose(error?: ApiError): void;
}

/** An error answer from the API server, with its Status. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? `${status.reason ?? "Failure"} (${status.code})`);
    this.name = "ApiError";
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export interface ApiClient {
  get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T>;
  list<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, opts?: ListOptions): Promise<KubeList<T>>;
  watch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    opts: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Watch;
  create<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT; `subresource` "status" or "scale" writes that subresource. */
  update<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    obj: T,
    opts?: WriteOptions & { subresource?: string },
  ): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    opts?: PatchOptions & { subresource?: string },
  ): Promise<T>;
  /** Resolves with the deleted object (or the object marked for deletion, or a Success Status). */
  delete(type: ResourceType, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject>;
  deleteCollection(type: ResourceType, namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KubeObject>;
  /** POST to a subresource: pods/binding, pods/eviction. */
  createSubresource(type: ResourceType, namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject>;
  /** GET of a subresource: deployments/scale, pods/log (a string), pods/status. */
  getSubresource(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string,
    query?: Record<string, string>,
  ): Promise<KubeObject | string>;
}
