// Deep equality of JSON values, key order ignored: how the store recognises a no-op update.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

export function jsonEqualIgnoringResourceVersion(a: KubeObject, b: KubeObject): boolean {
  const { resourceVersion: _a, ...ma } = a.metadata ?? {};
  const { resourceVersion: _b, ...mb } = b.metadata ?? {};
  return jsonEqual({ ...a, metadata: ma }, { ...b, metadata: mb });
}
