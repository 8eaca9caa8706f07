// The admission plugin interface (k8s.io/apiserver/pkg/admission: MutationInterface Admit and
// ValidationInterface Validate) and the error helpers every plugin shares.
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import { forbidden, type GroupResource } from "../errors.ts";
import type { AdmissionAttributes } from "../hooks.ts";

/** One admission plugin; either phase may be absent. Reject by throwing an ApiError. */
export interface AdmissionPlugin {
  /** The upstream plugin name (NamespaceLifecycle, LimitRanger, ...). */
  readonly name: string;
  admit?(attrs: AdmissionAttributes): Promise<void>;
  validate?(attrs: AdmissionAttributes): Promise<void>;
}

/** The attributes' group and resource, without the subresource (a.GetResource().GroupResource()). */
export function attrsResource(attrs: AdmissionAttributes): GroupResource {
  return { group: attrs.info.group, resource: attrs.info.resource };
}

/** The main resource (no subresource) of `group`/`resource`. */
export function isMainResource(attrs: AdmissionAttributes, group: string, resource: string): boolean {
  return attrs.info.group === group && attrs.info.resource === resource && attrs.subresource === undefined;
}

/**
 * admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`, the name being the request's,
 * else the object's name or generateName (names are generated after mutating admission upstream),
 * else "Unknown". A Forbidden error is passed through unwrapped.
 */
export function admissionForbidden(attrs: AdmissionAttributes, why: string | ApiError): ApiError {
  if (why instanceof ApiError) return why.status.code === 403 ? why : new ApiError(forbidden(attrsResource(attrs), nameForError(attrs), why.status.message ?? ""));
  return new ApiError(forbidden(attrsResource(attrs), nameForError(attrs), why));
}

function nameForError(attrs: AdmissionAttributes): string {
  if (attrs.name !== "") return attrs.name;
  const meta = attrs.object?.metadata;
  if (meta?.name !== undefined && meta.name !== "") return meta.name;
  if (meta?.generateName !== undefined && meta.generateName !== "") return meta.generateName;
  return "Unknown";
}

/**
 * A Status without a reason, as the API server writes an error that is not a StatusError (or a
 * failed Status a REST handler returned): only the message and the code.
 */
export function plainFailure(code: number, message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code };
}

/** The pod spec of a Pod body (created when missing, so plugins can fill it in). */
export function podSpec(pod: KubeObject): Record<string, unknown> {
  const spec = pod.spec;
  if (spec !== null && typeof spec === "object" && !Array.isArray(spec)) return spec as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  pod.spec = fresh;
  return fresh;
}
