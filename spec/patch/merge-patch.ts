// JSON merge patch, RFC 7386 (application/merge-patch+json): objects merge recursively, null deletes
// a member, everything else — arrays included — replaces.
//
// Where the RFC leaves room, this follows kube-apiserver's library (evanphx/json-patch v4): a value
// that replaces a non-object (or fills an absent member) is "pruned" — null members of its objects
// are removed and null elements of its arrays dropped, at any depth — while a non-object value that
// replaces an object is taken verbatim.
import { PatchError } from "./errors.ts";
import {
  cloneJson,
  hasOwn,
  isJsonObject,
  jsonKind,
  maxNestingDepth,
  nestingDepth,
  setOwn,
  type JsonObject,
  type JsonValue,
} from "./json.ts";

/** RFC 7386 MergePatch(target, patch). Pure: neither argument is modified. */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  return mergeInto(target === undefined ? undefined : cloneJson(target), patch);
}

// MergePatch on a target the caller owns (it is modified); patch values are copied, never shared.
function mergeInto(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(target)) return pruneNulls(cloneJson(patch));
  if (!isJsonObject(patch)) return cloneJson(patch);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else setOwn(target, key, mergeInto(hasOwn(target, key) ? target[key] : undefined, value));
  }
  return target;
}

/**
 * Applies a merge patch to an API object as kube-apiserver does: the body must be a JSON object
 * (anything else cannot yield an object) and not nested deeper than `maxNestingDepth`.
 */
export function applyMergePatch(original: JsonObject, patch: unknown): JsonObject {
  if (!isJsonObject(patch)) {
    throw new PatchError("merge", 400, `json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  if (nestingDepth(patch) > maxNestingDepth) {
    throw new PatchError("merge", 400, `merge patch nesting depth exceeds ${maxNestingDepth}`);
  }
  return mergePatch(original, patch) as JsonObject;
}

function pruneNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map((item) => pruneNulls(item));
  if (!isJsonObject(value)) return value;
  for (const [key, item] of Object.entries(value)) {
    if (item === null) delete value[key];
    else setOwn(value, key, pruneNulls(item));
  }
  return value;
}
