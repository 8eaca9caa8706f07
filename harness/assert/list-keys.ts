// Which fields identify an element of a list, so expected elements are matched by key and not by
// position: the list's x-kubernetes-list-map-keys or x-kubernetes-patch-merge-key when the schema
// of the object's kind is known (spec/patch), then a built-in table by field name for lists the
// schema leaves unkeyed (taints, container statuses, the items of a List).
import type { SchemaNode } from "../../spec/patch/index.ts";

/** A field name, or a dotted path into the element ("metadata.name"). */
export type KeyField = string;
/** Fields that together identify an element. */
export type ListKey = readonly KeyField[];

/** Alternatives tried in order; the first the expected element carries (even in part) wins. */
const builtinListKeys: Readonly<Record<string, readonly ListKey[]>> = {
  containers: [["name"]],
  initContainers: [["name"]],
  ephemeralContainers: [["name"]],
  containerStatuses: [["name"]],
  initContainerStatuses: [["name"]],
  ephemeralContainerStatuses: [["name"]],
  volumes: [["name"]],
  env: [["name"]],
  // Container ports by containerPort+protocol, service ports by port+protocol, either by name.
  ports: [["containerPort", "protocol"], ["port", "protocol"], ["name"]],
  conditions: [["type"]],
  taints: [["key", "effect"]],
  ownerReferences: [["uid"], ["kind", "name"]],
  items: [["kind", "metadata.namespace", "metadata.name"], ["metadata.namespace", "metadata.name"], ["metadata.name"]],
};

/** The key alternatives of a list field: the schema's first, then the built-in table's. */
export function listKeysFor(fieldName: string | undefined, schema: SchemaNode | undefined): ListKey[] {
  const keys: ListKey[] = [];
  const add = (key: ListKey): void => {
    if (!keys.some((k) => k.length === key.length && k.every((f, i) => f === key[i]))) keys.push(key);
  };
  if (schema?.kind === "list") {
    const mapKeys = schema.listMapKeys;
    if (mapKeys !== undefined && mapKeys.length > 0) add(mapKeys);
    else if (schema.patchMergeKey !== undefined) add([schema.patchMergeKey]);
  }
  if (fieldName !== undefined && Object.hasOwn(builtinListKeys, fieldName)) {
    for (const key of builtinListKeys[fieldName] ?? []) add(key);
  }
  return keys;
}

/** The value at a key field of an element, or undefined. */
export function keyValue(element: unknown, field: KeyField): unknown {
  let value: unknown = element;
  for (const part of field.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A key value usable for lookup: a scalar (an operator such as `$regex` is not a key). */
export function isKeyScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export interface ResolvedKey {
  /** The key fields the expected element carries, with their values. */
  readonly fields: ReadonlyArray<readonly [KeyField, string | number | boolean]>;
  /** False when the element carries only part of every alternative (e.g. containerPort without protocol). */
  readonly complete: boolean;
}

/**
 * The key to look an expected element up by: the first alternative it carries, completely or in part
 * (a container port given by containerPort alone is looked up by containerPort, not by its name);
 * undefined when it carries none (matched by containment instead).
 */
export function resolveKey(expected: unknown, alternatives: readonly ListKey[]): ResolvedKey | undefined {
  for (const alternative of alternatives) {
    const fields: Array<readonly [KeyField, string | number | boolean]> = [];
    for (const field of alternative) {
      const value = keyValue(expected, field);
      if (isKeyScalar(value)) fields.push([field, value]);
    }
    if (fields.length > 0) return { fields, complete: fields.length === alternative.length };
  }
  return undefined;
}

/** True when the actual element has the key's values. */
export function hasKey(actual: unknown, key: ResolvedKey): boolean {
  return key.fields.every(([field, value]) => keyValue(actual, field) === value);
}
