// Test helper: what the registry does to a body on create, minus the registry's own fields.

import { applyDefaults, prepareForCreate } from "./index.ts";

/** 2024-05-01T10:00:00Z: the clock reading tests pass as `now`. */
export const NOW_MS = Date.UTC(2024, 4, 1, 10, 0, 0);

/** applyDefaults then prepareForCreate on a copy; returns the object and the warnings. */
export function created<T extends object>(manifest: T): { object: T; warnings: string[] } {
  const object = structuredClone(manifest);
  applyDefaults(object);
  const warnings = prepareForCreate(object, { nowMs: NOW_MS });
  return { object, warnings };
}

/** applyDefaults alone on a copy (the update path, and every read from storage). */
export function defaulted<T extends object>(manifest: T): T {
  const object = structuredClone(manifest);
  applyDefaults(object);
  return object;
}
