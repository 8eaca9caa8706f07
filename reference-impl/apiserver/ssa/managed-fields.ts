// metadata.managedFields on the wire and in memory (k8s.io/apimachinery/pkg/util/managedfields/
// internal/managedfields.go), plus the manager-name rules of the REST handlers and of
// meta/v1 validation.
//
// In memory a manager is identified by its entry without fields and time, JSON-encoded as Go
// would (`{"manager":"kubectl","operation":"Apply"}`); an Update entry keeps its apiVersion in the
// identifier, so one manager writing through two versions has two entries.
import type { JsonObject } from "../../../spec/patch/json.ts";
import { isJsonObject } from "../../../spec/patch/json.ts";
import {
  invalid,
  forbidden,
  required,
  tooLong,
  type FieldError,
  type FieldPath,
  FieldPath as Path,
} from "../../../spec/semantics/field-errors.ts";
import { compareGoStrings, goQuote, utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import { FieldSet } from "./field-set.ts";
import { goJsonString } from "./value.ts";

export type ManagedFieldsOperation = "Apply" | "Update";

/** meta/v1 ManagedFieldsEntry as JSON, keys in upstream's order. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: JsonObject;
  subresource?: string;
}

/** The fields one manager owns, at the API version it wrote them (fieldpath.VersionedSet). */
export interface VersionedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
  readonly applied: boolean;
}

/** Managers by identifier, with each manager's time in Unix seconds (undefined: no time). */
export interface Managed {
  readonly fields: Map<string, VersionedSet>;
  readonly times: Map<string, number | undefined>;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

export function cloneManaged(m: Managed): Managed {
  return { fields: new Map(m.fields), times: new Map(m.times) };
}

export interface ManagerInfo {
  readonly manager: string;
  readonly operation: string;
  readonly apiVersion: string;
  readonly subresource: string;
}

/** BuildManagerIdentifier: Go's json.Marshal of the entry without fields, time (and apiVersion for Apply). */
export function managerIdentifier(info: ManagerInfo): string {
  const parts: string[] = [];
  if (info.manager !== "") parts.push(`"manager":${goJsonString(info.manager)}`);
  if (info.operation !== "") parts.push(`"operation":${goJsonString(info.operation)}`);
  if (info.operation !== "Apply" && info.apiVersion !== "") parts.push(`"apiVersion":${goJsonString(info.apiVersion)}`);
  if (info.subresource !== "") parts.push(`"subresource":${goJsonString(info.subresource)}`);
  return "{" + parts.join(",") + "}";
}

/** The entry fields an identifier encodes; undefined when it is not one (e.g. "current-operation"). */
export function parseManagerIdentifier(id: string): ManagerInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(id);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  const str = (k: string): string => (typeof parsed[k] === "string" ? parsed[k] : "");
  return { manager: str("manager"), operation: str("operation"), apiVersion: str("apiVersion"), subresource: str("subresource") };
}

// ---- time ----

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** metav1.Time as JSON: RFC 3339 in UTC, whole seconds. */
export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Unix seconds of an RFC 3339 time; throws on anything else. */
export function parseTime(s: string): number {
  const ms = rfc3339.test(s) ? Date.parse(s) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`parsing time ${goQuote(s)} as RFC 3339 failed`);
  return Math.floor(ms / 1000);
}

/** The Unix seconds of a Clock reading (milliseconds). */
export function unixSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

// ---- decode / encode ----

/** DecodeManagedFields: throws Error with upstream's message when an entry is malformed. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error("managedFields must be a list");
  entries.forEach((raw: unknown, i) => {
    if (!isJsonObject(raw)) throw new Error(`managed fields entry ${i} is not an object`);
    const text = (k: string): string => {
      const v = raw[k];
      if (v === undefined || v === null) return "";
      if (typeof v !== "string") throw new Error(`managed fields entry ${i}: ${k} must be a string`);
      return v;
    };
    const operation = text("operation");
    if (operation !== "Apply" && operation !== "Update") throw new Error("operation must be `Apply` or `Update`");
    const apiVersion = text("apiVersion");
    if (apiVersion.length < 1) throw new Error("apiVersion must not be empty");
    const fieldsType = text("fieldsType");
    if (fieldsType === "") throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== "FieldsV1") throw new Error(`invalid fieldsType ${goQuote(fieldsType)} in managed fields entry ${i}`);
    const time = text("time");
    const id = managerIdentifier({ manager: text("manager"), operation, apiVersion, subresource: text("subresource") });
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(raw["fieldsV1"] ?? {});
    } catch (err) {
      throw new Error(`error decoding versioned set: error decoding set: ${(err as Error).message}`, { cause: err });
    }
    managed.fields.set(id, { set, apiVersion, applied: operation === "Apply" });
    managed.times.set(id, time === "" ? undefined : parseTime(time));
  });
  return managed;
}

/** encodeManagedFields: entries sorted as upstream sorts them; undefined when there are none. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const entries: { entry: ManagedFieldsEntry; seconds: number }[] = [];
  for (const [id, vs] of managed.fields) {
    const info = parseManagerIdentifier(id) ?? { manager: "", operation: "", apiVersion: "", subresource: "" };
    const entry: ManagedFieldsEntry = {};
    if (info.manager !== "") entry.manager = info.manager;
    const operation = vs.applied ? "Apply" : info.operation;
    if (operation !== "") entry.operation = operation;
    entry.apiVersion = vs.apiVersion;
    const seconds = managed.times.get(id);
    if (seconds !== undefined) entry.time = formatTime(seconds);
    entry.fieldsType = "FieldsV1";
    entry.fieldsV1 = vs.set.toFieldsV1();
    if (info.subresource !== "") entry.subresource = info.subresource;
    entries.push({ entry, seconds: seconds ?? 0 });
  }
  entries.sort((p, q) => {
    const a = p.entry;
    const b = q.entry;
    if (a.operation !== b.operation) return compareGoStrings(a.operation ?? "", b.operation ?? "");
    if (p.seconds !== q.seconds) return p.seconds < q.seconds ? -1 : 1;
    if (a.manager !== b.manager) return compareGoStrings(a.manager ?? "", b.manager ?? "");
    if (a.apiVersion !== b.apiVersion) return compareGoStrings(a.apiVersion ?? "", b.apiVersion ?? "");
    return compareGoStrings(a.subresource ?? "", b.subresource ?? "");
  });
  return entries.map((e) => e.entry);
}

/**
 * isResetManagedFields: a request that sends `managedFields: []` (or one empty entry) asks to
 * clear them.
 */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  if (entries.length !== 1) return false;
  const only: unknown = entries[0];
  return isJsonObject(only) && Object.values(only).every((v) => v === null || v === "");
}

// ---- manager names ----

/** FieldManagerMaxLength (meta/v1 validation). */
export const FIELD_MANAGER_MAX_LENGTH = 128;
/** MaxSubresourceNameLength (meta/v1 validation). */
export const MAX_SUBRESOURCE_NAME_LENGTH = 256;

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function isPrint(ch: string): boolean {
  return printable.test(ch);
}

/**
 * managerOrUserAgent: the fieldManager query parameter, or else the user agent up to its first
 * "/" (kubectl/v1.32.0 (linux/amd64) ... → "kubectl"), unprintable characters dropped, at most
 * 128 bytes.
 */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager !== undefined && fieldManager !== "") return fieldManager;
  return prefixFromUserAgent(userAgent ?? "");
}

export function prefixFromUserAgent(userAgent: string): string {
  const head = userAgent.split("/")[0] ?? "";
  let out = "";
  let bytes = 0;
  for (const ch of head) {
    if (!isPrint(ch)) continue;
    const n = utf8ByteLength(ch);
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
export function validateFieldManager(fieldManager: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (utf8ByteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    errs.push(tooLong(path, fieldManager, FIELD_MANAGER_MAX_LENGTH));
  }
  let offset = 0;
  for (const ch of fieldManager) {
    if (!isPrint(ch)) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
      errs.push(invalid(path, fieldManager, `invalid character U+${code} (at position ${offset})`));
    }
    offset += utf8ByteLength(ch);
  }
  return errs;
}

/**
 * The fieldManager and force parts of ValidatePatchOptions (dryRun and fieldValidation are checked
 * by the caller): force only with apply, a field manager required for apply.
 */
export function validatePatchOptions(opts: { apply: boolean; fieldManager: string; force?: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  if (!opts.apply) {
    if (opts.force !== undefined) errs.push(forbidden(Path.of("force"), "may not be specified for non-apply patch"));
  } else if (opts.fieldManager === "") {
    errs.push(required(Path.of("fieldManager"), "is required for apply patch"));
  }
  errs.push(...validateFieldManager(opts.fieldManager, Path.of("fieldManager")));
  return errs;
}

/**
 * ValidateManagedFields, part of ObjectMeta validation: operation Apply or Update, fieldsType
 * FieldsV1 when set, a valid manager name, a subresource name of at most 256 bytes.
 */
export function validateManagedFields(entries: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(entries)) return errs;
  entries.forEach((raw: unknown, i) => {
    const entry = isJsonObject(raw) ? raw : {};
    const str = (k: string): string => (typeof entry[k] === "string" ? (entry[k] as string) : "");
    const at = path.index(i);
    const operation = str("operation");
    if (operation !== "Apply" && operation !== "Update") {
      errs.push(invalid(at.child("operation"), operation, "must be `Apply` or `Update`"));
    }
    const fieldsType = str("fieldsType");
    if (fieldsType.length > 0 && fieldsType !== "FieldsV1") {
      errs.push(invalid(at.child("fieldsType"), fieldsType, "must be `FieldsV1`"));
    }
    errs.push(...validateFieldManager(str("manager"), at.child("manager")));
    const subresource = str("subresource");
    if (utf8ByteLength(subresource) > MAX_SUBRESOURCE_NAME_LENGTH) {
      errs.push(tooLong(at.child("subresource"), subresource, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}
