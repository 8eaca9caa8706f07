// kubectl's client-side apply annotation, as server-side apply treats it
// (managedfields/internal/lastappliedmanager.go, lastappliedupdater.go, lastapplied.go):
// - moving from `kubectl apply` to `kubectl apply --server-side` must not conflict with the fields
//   the client-side apply set, as long as they still hold the last applied values;
// - while the annotation exists, server-side applies by "kubectl" keep it up to date, so a later
//   client-side apply still computes the right three-way patch.
import type { JsonObject, JsonValue } from "../../../spec/patch/json.ts";
import { cloneJson, isJsonObject, setOwn } from "../../../spec/patch/json.ts";
import { annotationsSize, TOTAL_ANNOTATION_SIZE_LIMIT_B } from "../../../spec/semantics/validation.ts";
import type { FieldSet } from "./field-set.ts";
import type { Atom } from "./schema.ts";
import { compareTyped, fieldsOf, validateTyped } from "./typed.ts";
import { goJson } from "./value.ts";

export const LAST_APPLIED_CONFIG_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** Only applies by this manager upgrade from, and keep up to date, the client-side annotation. */
export const KUBECTL_MANAGER = "kubectl";

function annotationsOf(obj: JsonValue): JsonObject | undefined {
  if (!isJsonObject(obj)) return undefined;
  const meta = obj["metadata"];
  if (!isJsonObject(meta)) return undefined;
  const annotations = meta["annotations"];
  return isJsonObject(annotations) ? annotations : undefined;
}

export function lastApplied(obj: JsonValue): string | undefined {
  const value = annotationsOf(obj)?.[LAST_APPLIED_CONFIG_ANNOTATION];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * allowedConflictsFromLastApplied: the fields of the last-applied configuration that still hold
 * their last-applied values in the live object; undefined when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(live: JsonValue, version: string, atom: Atom): FieldSet | undefined {
  const text = lastApplied(live);
  if (text === undefined) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(config) || config["apiVersion"] !== version) return undefined;
  if (validateTyped(config, atom).length > 0) return undefined;
  const c = compareTyped(config, live, atom);
  return fieldsOf(config, atom).difference(c.modified).difference(c.added).difference(c.removed);
}

/**
 * buildLastApplied: the applied configuration without the annotation itself, encoded as kubectl
 * encodes it (Go's JSON encoder: sorted keys, a trailing newline).
 */
export function buildLastApplied(applied: JsonObject): string {
  const copy = cloneJson(applied);
  const annotations = annotationsOf(copy);
  if (annotations !== undefined) delete annotations[LAST_APPLIED_CONFIG_ANNOTATION];
  return goJson(copy) + "\n";
}

/** SetLastApplied: sets the annotation unless the annotations would exceed their size limit. */
export function setLastApplied(obj: JsonObject, value: string): void {
  let meta = obj["metadata"];
  if (!isJsonObject(meta)) {
    meta = {};
    setOwn(obj, "metadata", meta);
  }
  const annotations: JsonObject = cloneJson(annotationsOf(obj) ?? {});
  setOwn(annotations, LAST_APPLIED_CONFIG_ANNOTATION, value);
  if (annotationsSize(annotations as Record<string, string>) > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    delete annotations[LAST_APPLIED_CONFIG_ANNOTATION];
  }
  if (Object.keys(annotations).length > 0) setOwn(meta, "annotations", annotations);
  else delete meta["annotations"];
}
