// Reading untrusted JSON objects (admitted bodies, stored objects) without `any`: each accessor
// returns the value when it has the expected JSON type and a neutral default otherwise.

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The object at `v`, or a fresh empty one. */
export function rec(v: unknown): Json {
  return isRecord(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function records(v: unknown): Json[] {
  return arr(v).filter(isRecord);
}

export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** obj[key] as an object, created (and stored) when missing or not an object. */
export function child(obj: Json, key: string): Json {
  const v = obj[key];
  if (isRecord(v)) return v;
  const fresh: Json = {};
  obj[key] = fresh;
  return fresh;
}

/** A map of strings (labels, annotations, resource lists as written). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(rec(v))) if (typeof x === "string") out[k] = x;
  return out;
}
