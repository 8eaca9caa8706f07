// Field-level validation errors as upstream builds and prints them
// (k8s.io/apimachinery/pkg/util/validation/field: Path, Error, ErrorList.ToAggregate, and
// k8s.io/apimachinery/pkg/util/errors aggregate). The API server turns these into the `causes` of
// a 422 Invalid Status, so both the type and the exact text matter.

import { goQuote } from "./go-compat.ts";

/** field.ErrorType: the machine-readable reason (also a Status cause `reason`). */
export type FieldErrorType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "InternalError"
  | "FieldValueTypeInvalid";

const typeText: Readonly<Record<FieldErrorType, string>> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
  FieldValueTypeInvalid: "Invalid value",
};

/** The value a FieldError reports: printed the way Go's `%q` / `%v` / `%#v` would. */
export type BadValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly string[]
  | typeof NIL_STRING_SLICE
  | { readonly json: unknown }
  | { readonly goSyntax: string }
  | typeof OMIT_VALUE;

/** field.OmitValueType{}: the message leaves the value out (`Invalid value: <detail>`). */
export const OMIT_VALUE = Symbol("omit value");

/** A Go nil []string, which prints as `[]string(nil)` rather than `[]string{}`. */
export const NIL_STRING_SLICE = Symbol("[]string(nil)");

export interface FieldError {
  readonly type: FieldErrorType;
  /** The path as field.Path.String() prints it, e.g. `metadata.labels` or `values[0][app]`. */
  readonly field: string;
  readonly badValue: BadValue;
  readonly detail: string;
}

/** A field.Path: a chain of names, indexes and keys (`spec.containers[0].name`). */
export class FieldPath {
  private constructor(
    private readonly parent: FieldPath | null,
    private readonly name: string,
    private readonly indexOrKey: string | null,
  ) {}

  static of(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(null, name, null);
    for (const n of more) p = p.child(n);
    return p;
  }

  child(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(this, name, null);
    for (const n of more) p = p.child(n);
    return p;
  }

  index(i: number): FieldPath {
    return new FieldPath(this, "", String(i));
  }

  key(k: string): FieldPath {
    return new FieldPath(this, "", k);
  }

  toString(): string {
    const prefix = this.parent === null ? "" : this.parent.toString();
    if (this.indexOrKey !== null) return `${prefix}[${this.indexOrKey}]`;
    return this.parent === null ? this.name : `${prefix}.${this.name}`;
  }
}

/** What a nil *field.Path prints: upstream's label selector parser reports key errors at it. */
export const NIL_PATH = "<nil>";

function pathString(path: FieldPath | null): string {
  return path === null ? NIL_PATH : path.toString();
}

export function invalid(path: FieldPath | null, value: BadValue, detail: string): FieldError {
  return { type: "FieldValueInvalid", field: pathString(path), badValue: value, detail };
}

export function required(path: FieldPath | null, detail: string): FieldError {
  return { type: "FieldValueRequired", field: pathString(path), badValue: "", detail };
}

export function forbidden(path: FieldPath | null, detail: string): FieldError {
  return { type: "FieldValueForbidden", field: pathString(path), badValue: "", detail };
}

export function duplicate(path: FieldPath | null, value: BadValue): FieldError {
  return { type: "FieldValueDuplicate", field: pathString(path), badValue: value, detail: "" };
}

export function notSupported(path: FieldPath | null, value: BadValue, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? "supported values: " + validValues.map(goQuote).join(", ") : "";
  return { type: "FieldValueNotSupported", field: pathString(path), badValue: value, detail };
}

/** field.TooLong (Kubernetes 1.30+ wording). The value is never printed. */
export function tooLong(path: FieldPath | null, value: BadValue, maxLength: number): FieldError {
  const detail =
    maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? "byte" : "bytes"}` : "value is too long";
  return { type: "FieldValueTooLong", field: pathString(path), badValue: value, detail };
}

export function internalError(path: FieldPath | null, message: string): FieldError {
  return { type: "InternalError", field: pathString(path), badValue: null, detail: message };
}

function formatValue(value: BadValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value === NIL_STRING_SLICE) return "[]string(nil)";
  if (value === OMIT_VALUE) return "";
  if (isStringArray(value)) return "[]string{" + value.map(goQuote).join(", ") + "}";
  // A value already rendered the way Go's %#v prints it (e.g. `v1.LabelSelector{...}`).
  if ("goSyntax" in value) return value.goSyntax;
  // Go prints structs with %#v; a JSON rendering is the closest stable equivalent.
  return JSON.stringify(value.json) ?? "null";
}

function isStringArray(value: BadValue): value is readonly string[] {
  return Array.isArray(value);
}

/** field.Error.ErrorBody(): the message without the field path. */
export function errorBody(e: FieldError): string {
  const omitsValue =
    e.type === "FieldValueRequired" ||
    e.type === "FieldValueForbidden" ||
    e.type === "FieldValueTooLong" ||
    e.type === "InternalError" ||
    e.badValue === OMIT_VALUE;
  let s = omitsValue ? typeText[e.type] : `${typeText[e.type]}: ${formatValue(e.badValue)}`;
  if (e.detail.length > 0) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): `<path>: <body>`. */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/**
 * utilerrors.NewAggregate(...).Error(): one message alone, several de-duplicated inside `[...]`
 * joined by ", ". Empty input gives "".
 */
export function aggregateMessage(messages: readonly string[]): string {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const m of messages) {
    if (seen.has(m)) continue;
    seen.add(m);
    unique.push(m);
  }
  if (unique.length === 0) return "";
  if (unique.length === 1) return unique[0] ?? "";
  return "[" + unique.join(", ") + "]";
}

/** ErrorList.ToAggregate().Error() for a list of field errors. */
export function fieldErrorsMessage(errors: readonly FieldError[]): string {
  return aggregateMessage(errors.map(fieldErrorString));
}
