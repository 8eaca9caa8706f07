// Guarded access to request bodies. Defaulting runs before schema validation here, so a nested value
// may have any JSON type; upstream's decoder would reject such a body with 400, and our validation
// does later. The defaulter must only never crash on it and never hide it (it does not overwrite a
// present value of the wrong type).

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object items of a list (nothing when `list` is not an array). */
export function objectsOf<T>(list: readonly T[] | null | undefined): T[] {
  return Array.isArray(list) ? list.filter((item: unknown): item is T => isObject(item)) : [];
}

/** `value` when it is an object — a non-nil Go pointer to a struct. */
export function objectOr<T>(value: T | null | undefined): T | undefined {
  return isObject(value) ? value : undefined;
}

/**
 * The object at `parent[key]`, created empty when absent or null (a Go struct field or a pointer the
 * defaulter allocates); undefined when a value of another type is there.
 */
export function ensureObject<T extends object, K extends keyof T>(parent: T, key: K): NonNullable<T[K]> | undefined {
  const current: unknown = parent[key];
  if (current === undefined || current === null) {
    const created = {} as NonNullable<T[K]>;
    parent[key] = created;
    return created;
  }
  return isObject(current) ? (current as NonNullable<T[K]>) : undefined;
}

/** A Go string field that decodes to "" (absent, null or empty): what `if x == ""` defaults. */
export function isUnsetString(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** A Go pointer field that decodes to nil (absent or null): what `if x == nil` defaults. */
export function isNil(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A Go integer field that decodes to 0: what `if x == 0` defaults. */
export function isUnsetNumber(value: unknown): boolean {
  return value === undefined || value === null || value === 0;
}

/**
 * Replaces an object's status. kubernetes-types marks `status` read-only (clients do not write it);
 * the server's create strategy is the one writer that resets it.
 */
export function resetStatus<S>(obj: { readonly status?: S }, status: S): void {
  (obj as { status?: S }).status = status;
}
