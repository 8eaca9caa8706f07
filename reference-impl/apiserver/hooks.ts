// Where the other parts of the API server plug into the core. bareHooks() does nothing, so the core
// works alone; default-hooks.ts wires defaults/, validation/, ssa/, printers/ and
// spec/openapi/structural.ts, and ApiServer uses those unless ApiServerOptions.hooks replaces them.
// Admission plugins and the pods/eviction and pods/log handlers are passed in by whoever assembles
// the server (they need a client of it).
import type { KubeObject } from "../../spec/interfaces/api-client.ts";
import type { FieldError } from "../../spec/semantics/field-errors.ts";
import type { ApiRequest, ApiResponse } from "./request.ts";
import type { ResourceInfo } from "./resources.ts";

export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

/** admission.Attributes: what a plugin sees of a request. */
export interface AdmissionAttributes {
  operation: AdmissionOperation;
  info: ResourceInfo;
  /** "status", "binding", "eviction", ... or undefined for the main resource. */
  subresource?: string;
  /** "" for cluster-scoped kinds. */
  namespace: string;
  name: string;
  /** The new object (mutating plugins change it in place); for DELETE undefined. */
  object?: KubeObject;
  /** The stored object for UPDATE and DELETE. */
  oldObject?: KubeObject;
  dryRun: boolean;
  user: string;
}

/**
 * The admission chain. `admit` (mutating) runs after decoding and defaulting; `validate` after the
 * registry's own preparation and validation, just before storage — upstream's order. Reject by
 * throwing an ApiError carrying the Status.
 */
export interface AdmissionChain {
  admit(attrs: AdmissionAttributes): Promise<void>;
  validate(attrs: AdmissionAttributes): Promise<void>;
  /**
   * After a CREATE or UPDATE admitted with `attrs` (the same `object`) was stored (ok) or abandoned:
   * settles what admission held for the write (service IPs and node ports), as upstream's registry
   * settles BeginCreate/BeginUpdate. Called once per admitted body.
   */
  finish?(attrs: AdmissionAttributes, ok: boolean): Promise<void>;
  /** After `obj` (its last stored state) was removed from storage: upstream's AfterDelete. */
  afterDelete?(info: ResourceInfo, obj: KubeObject, dryRun: boolean): Promise<void>;
}

/** What server-side apply gets: the live object (undefined: create) and the applied configuration. */
export interface ApplyPatchRequest {
  info: ResourceInfo;
  subresource?: string;
  live: KubeObject | undefined;
  patch: unknown;
  fieldManager: string;
  force: boolean;
  /** Clock.now(), for managedFields times. */
  nowMs: number;
}

/** What a non-apply write tells the field manager (upstream's FieldManager.UpdateNoErrors). */
export interface ManagedFieldsUpdate {
  info: ResourceInfo;
  subresource?: string;
  /** The stored object; undefined for a create. */
  oldObj: KubeObject | undefined;
  newObj: KubeObject;
  /** fieldManager, or the user agent's prefix. */
  manager: string;
  nowMs: number;
}

/** The typed decoding of a body: the object as it will be stored, and warnings for fieldValidation=Warn. */
export interface DecodedObject {
  object: KubeObject;
  warnings: string[];
}

/** Server-side apply: the object to store, or throw an ApiError (409 field conflicts). */
export type ApplyPatchHandler = (req: ApplyPatchRequest) => KubeObject;

/** A subresource handled by another module (pods/eviction, pods/log). */
export type SubresourceHandler = (req: ApiRequest) => Promise<ApiResponse>;

export interface ApiServerHooks {
  /** Defaulting of a decoded object, in place (defaults/: applyDefaults). */
  applyDefaults(obj: KubeObject, info: ResourceInfo): void;
  /** Kind-specific PrepareForCreate after the registry's generic one (defaults/: prepareForCreate); returns warnings. */
  prepareForCreate(obj: KubeObject, info: ResourceInfo, nowMs: number): string[];
  /** The kind's create validation (validation/: validateCreate); [] when valid. */
  validateCreate(obj: KubeObject, info: ResourceInfo): FieldError[];
  /** The kind's update validation; `subresource` is "status" etc. for subresource writes. */
  validateUpdate(obj: KubeObject, old: KubeObject, info: ResourceInfo, subresource?: string): FieldError[];
  admission: AdmissionChain;
  /**
   * Typed decoding of a body under fieldValidation (spec/openapi/structural.ts): type errors and,
   * with Strict, unknown or duplicate fields throw a 400 ApiError; Warn returns them as warnings.
   */
  decode(body: KubeObject, info: ResourceInfo, mode: "Strict" | "Warn" | "Ignore"): DecodedObject;
  /** metadata.managedFields for a non-apply write (ssa/: updateManagedFields); undefined: none. */
  managedFields(update: ManagedFieldsUpdate): unknown[] | undefined;
  /** application/apply-patch+yaml; undefined answers 415 until server-side apply lands. */
  applyPatch?: ApplyPatchHandler;
  /** Server-side Table printing for `as=Table` requests (printers/: printTable). */
  printTable?: (info: ResourceInfo, objOrList: KubeObject, req: ApiRequest, nowMs: number) => KubeObject;
  /** Handlers of subresources owned by other modules, keyed "pods/eviction", "pods/log". */
  subresources: Record<string, SubresourceHandler>;
}

export const noopAdmission: AdmissionChain = {
  admit: () => Promise.resolve(),
  validate: () => Promise.resolve(),
};

/** Hooks that do nothing: the core alone (tests of the core, or a server assembled piece by piece). */
export function bareHooks(): ApiServerHooks {
  return {
    applyDefaults: () => {},
    prepareForCreate: () => [],
    validateCreate: () => [],
    validateUpdate: () => [],
    admission: noopAdmission,
    decode: (object) => ({ object, warnings: [] }),
    managedFields: ({ newObj }) => newObj.metadata?.managedFields,
    subresources: {},
  };
}
