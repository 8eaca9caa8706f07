// Object metadata helpers: timestamps from the Clock, UIDs from the Rng, and the trust boundary
// where an untrusted request body becomes a KubeObject.
import type { KubeObject, ObjectMeta } from "../../spec/interfaces/api-client.ts";
import type { Clock } from "../../spec/interfaces/clock.ts";
import type { Rng } from "../../spec/interfaces/rng.ts";
import { badRequest, fail, requestEntityTooLarge } from "./errors.ts";
import type { ResourceInfo } from "./resources.ts";
import type { GroupResource } from "./errors.ts";

/** metav1.Time as JSON: RFC 3339 in UTC, whole seconds (`2024-01-01T00:00:00Z`). */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function nowTimestamp(clock: Clock): string {
  return formatTimestamp(clock.now());
}

/** Milliseconds of an RFC 3339 timestamp, or undefined when it does not parse. */
export function parseTimestamp(s: unknown): number | undefined {
  if (typeof s !== "string") return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A random (version 4) UUID drawn from the Rng, as uuid.NewUUID gives upstream. */
export function newUid(rng: Rng): string {
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push(rng.int(0, 255));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The object's metadata, created when missing (so callers can set fields). */
export function metaOf(obj: KubeObject): ObjectMeta {
  if (obj.metadata === undefined || obj.metadata === null || typeof obj.metadata !== "object") obj.metadata = {};
  return obj.metadata;
}

export function groupResource(info: ResourceInfo, subresource?: string): GroupResource {
  return { group: info.group, resource: subresource === undefined ? info.resource : `${info.resource}/${subresource}` };
}

/** kube-apiserver's MaxRequestBodyBytes: 3 MiB. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Most nesting a body may have; deeper documents are refused rather than risk the stack. */
export const MAX_BODY_DEPTH = 1000;

/** Any untrusted body as plain JSON (a copy), or a 400 when it is not representable as JSON. */
export function decodeJson(body: unknown, what = "the request body"): unknown {
  if (body === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  } catch (err) {
    fail(badRequest(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`));
  }
  if (text === undefined) return undefined;
  if (text.length > MAX_REQUEST_BODY_BYTES) fail(requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`));
  return JSON.parse(text);
}

/**
 * The request body as a KubeObject: a plain JSON object (copied, so the caller's value is never
 * shared), with `metadata` an object when present. Anything else is a 400.
 */
export function decodeBody(body: unknown, what = "the request body"): KubeObject {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    fail(badRequest(`${what} must be a JSON object, got ${jsonTypeName(body)}`));
  }
  let copy: unknown;
  let text: string;
  try {
    text = JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    copy = JSON.parse(text);
  } catch (err) {
    fail(badRequest(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`));
  }
  if (text.length > MAX_REQUEST_BODY_BYTES) fail(requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`));
  if (depth(copy, 0) > MAX_BODY_DEPTH) fail(badRequest(`${what} is nested deeper than ${MAX_BODY_DEPTH} levels`));
  const obj = copy as KubeObject;
  const meta = obj.metadata;
  if (meta !== undefined && (meta === null || typeof meta !== "object" || Array.isArray(meta))) {
    if (meta === null) delete obj.metadata;
    else fail(badRequest(`json: cannot unmarshal ${jsonTypeName(meta)} into Go struct field .metadata of type v1.ObjectMeta`));
  }
  checkMetaTypes(obj);
  return obj;
}

/** The ObjectMeta fields the server reads must have their JSON types (else the decoder's 400). */
function checkMetaTypes(obj: KubeObject): void {
  const meta = obj.metadata;
  if (meta === undefined) return;
  const want: Record<string, string> = {
    name: "string",
    generateName: "string",
    namespace: "string",
    uid: "string",
    resourceVersion: "string",
    creationTimestamp: "string",
    deletionTimestamp: "string",
    generation: "number",
    deletionGracePeriodSeconds: "number",
  };
  for (const [field, type] of Object.entries(want)) {
    const v = meta[field];
    if (v === null) delete meta[field];
    else if (v !== undefined && typeof v !== type) {
      fail(badRequest(`json: cannot unmarshal ${jsonTypeName(v)} into Go struct field ObjectMeta.metadata.${field} of type ${type === "number" ? "int64" : "string"}`));
    }
  }
  for (const field of ["labels", "annotations"]) {
    const v = meta[field];
    if (v === null) delete meta[field];
    else if (v !== undefined && (typeof v !== "object" || Array.isArray(v) || Object.values(v as object).some((x) => typeof x !== "string"))) {
      fail(badRequest(`json: cannot unmarshal into Go struct field ObjectMeta.metadata.${field} of type map[string]string`));
    }
  }
  for (const field of ["finalizers", "ownerReferences", "managedFields"]) {
    const v = meta[field];
    if (v === null) delete meta[field];
    else if (v !== undefined && !Array.isArray(v)) fail(badRequest(`json: cannot unmarshal ${jsonTypeName(v)} into Go struct field ObjectMeta.metadata.${field}`));
  }
  if (Array.isArray(meta.finalizers) && meta.finalizers.some((f) => typeof f !== "string")) {
    fail(badRequest("json: cannot unmarshal into Go struct field ObjectMeta.metadata.finalizers of type string"));
  }
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.some((r) => r === null || typeof r !== "object" || Array.isArray(r))) {
    fail(badRequest("json: cannot unmarshal into Go struct field ObjectMeta.metadata.ownerReferences of type v1.OwnerReference"));
  }
}

function jsonTypeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v;
}

function depth(v: unknown, d: number): number {
  if (d > MAX_BODY_DEPTH || v === null || typeof v !== "object") return d;
  let max = d;
  for (const x of Object.values(v as object)) max = Math.max(max, depth(x, d + 1));
  return max;
}
