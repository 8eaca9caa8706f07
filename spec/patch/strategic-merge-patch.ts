// Strategic merge patch (application/strategic-merge-patch+json) as kube-apiserver applies it:
// StrategicMergeMapPatch in k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (v0.36), with
// MergeParallelList and IgnoreUnmatchedNulls on. Reference:
// https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
//
// - Maps merge recursively; `null` deletes a field; a value the object does not have yet is copied
//   in without its null fields and without elements that carry a `$patch` directive.
// - Lists replace, unless the field's patch strategy is "merge": lists of objects then merge element
//   by element on the field's merge key (containers by name, ports by containerPort, conditions by
//   type), lists of scalars become the union.
// - Directives: `$patch: replace|delete` in a map; `$patch: delete|replace` as an element of a merging
//   list; `$retainKeys` (clear every field not listed); `$deleteFromPrimitiveList/<field>`;
//   `$setElementOrder/<field>` (the order kubectl wants, merged with server-only elements).
// - Order of a merged list: the patch's elements in $setElementOrder's order (else the patch's);
//   server-only elements keep their relative order and go before the first patch element that
//   followed them in the live list — so, without $setElementOrder, new elements come first.
//
// Errors carry upstream's messages. Statuses: upstream's malformed-patch sentinels answer 400 and
// "lists of lists" 422, as upstream; upstream lets its other errors surface as 500, which we never
// answer for bad input, so they are 400 here.
//
// Known differences, all outside what valid objects and kubectl produce: elements missing from the
// order they are sorted by go last (upstream's comparator is not a strict ordering); a lookup below a
// map-typed field uses the map's value schema (upstream fails); integers and floats are one kind of
// number; documents nested deeper than maxNestingDepth are rejected.
import { PatchError } from "./errors.ts";
import {
  cloneJson,
  goFormat,
  goTypeName,
  hasOwn,
  isJsonObject,
  jsonKind,
  maxNestingDepth,
  nestingDepth,
  setOwn,
  type JsonObject,
  type JsonValue,
} from "./json.ts";
import type { SchemaNode } from "./schema.ts";

const directiveMarker = "$patch";
const deleteDirective = "delete";
const replaceDirective = "replace";
const mergeDirective = "merge";
const retainKeysDirective = "$retainKeys";
const deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
const setElementOrderPrefix = "$setElementOrder";

// k8s.io/apimachinery/pkg/util/mergepatch/errors.go
const errNoListOfLists = "lists of lists are not supported";
const errBadPatchFormatForPrimitiveList = "invalid patch format of primitive list";
const errBadPatchFormatForRetainKeys = "invalid patch format of retainKeys";
const errBadPatchFormatForSetElementOrderList = "invalid patch format of setElementOrder list";

const sliceType = "[]interface {}";
const mapType = "map[string]interface {}";

/** Go's reflect kinds of decoded JSON values; two values of different kinds never merge. */
type ValueKind = "map" | "slice" | "string" | "number" | "bool" | "nil";

/**
 * Applies a strategic merge patch (the decoded request body) to an object of the type `schema`
 * describes (see schemaFor). Pure: neither argument is modified.
 */
export function strategicMergePatch(original: JsonObject, patch: unknown, schema: SchemaNode): JsonObject {
  if (schema.kind !== "struct") throw new TypeError(`strategic merge patch needs a struct schema, got ${schema.kind}`);
  if (!isJsonObject(patch)) {
    fail(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type ${mapType}`);
  }
  if (nestingDepth(patch) > maxNestingDepth || nestingDepth(original) > maxNestingDepth) {
    fail(`strategic merge patch nesting depth exceeds ${maxNestingDepth}`);
  }
  return mergeMap(cloneJson(original), cloneJson(patch), schema);
}

function fail(message: string, status: 400 | 422 = 400): never {
  throw new PatchError("strategic", status, message);
}

function kindOf(value: JsonValue | undefined): ValueKind {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return "slice";
  if (typeof value === "object") return "map";
  return typeof value === "boolean" ? "bool" : (typeof value as "string" | "number");
}

/** Go's == on decoded JSON values; maps and slices are never equal (Go would panic). */
function scalarEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === "object" && a !== null) return false;
  return (a ?? null) === (b ?? null);
}

function badArgType(expected: string, actual: JsonValue | undefined): never {
  fail(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

function noMergeKey(map: JsonObject, mergeKey: string): never {
  fail(`map: ${goFormat(map)} does not contain declared merge key: ${mergeKey}`);
}

function badPatchType(directive: JsonValue | undefined, map: JsonObject): never {
  fail(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(map)}`);
}

// ---- schema lookups (LookupPatchMetadataForStruct / ForSlice) ----

interface FieldLookup {
  /** The schema of the field's value (for a list: of its elements). */
  schema: SchemaNode;
  /** The patch strategy without "retainKeys": "merge", "replace" or "". */
  strategy: string;
  mergeKey: string;
}

function lookupField(schema: SchemaNode, key: string): FieldLookup {
  let field: SchemaNode | undefined;
  if (schema.kind === "map") field = schema.values();
  else if (schema.kind === "struct") field = schema.field(key);
  else fail(`merging an object in json but data type is not struct, instead is: ${goKind(schema)}`);
  if (field === undefined) fail(`unable to find api field in struct ${schema.displayName} for the json field "${key}"`);
  return { schema: field, strategy: strategyWithoutRetainKeys(field.patchStrategies), mergeKey: field.patchMergeKey ?? "" };
}

function lookupSliceField(schema: SchemaNode, key: string): FieldLookup {
  const lookup = lookupField(schema, key);
  const items = lookup.schema.items();
  if (items === undefined) fail(`expected slice or array type, but got: ${goKind(lookup.schema)}`);
  return { ...lookup, schema: items };
}

// extractRetainKeysPatchStrategy: "retainKeys" is applied through the $retainKeys directive, so only
// the other strategy matters for merging.
function strategyWithoutRetainKeys(strategies: string[]): string {
  const others = strategies.filter((s) => s !== "retainKeys");
  if (others.length > 1 || strategies.length > 2) fail(`unexpected patch strategy: [${strategies.join(" ")}]`);
  return others[0] ?? "";
}

function goKind(schema: SchemaNode): string {
  if (schema.kind === "list") return "slice";
  if (schema.kind !== "scalar") return schema.kind;
  const names: Record<string, string> = { integer: "int64", number: "float64", boolean: "bool", object: "map" };
  return names[schema.scalarType ?? ""] ?? "string";
}

// ---- maps ----

function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode): JsonObject {
  if (hasOwn(patch, directiveMarker)) return applyMapDirective(patch[directiveMarker], patch);
  applyRetainKeysDirective(original, patch);
  mergeOrderedLists(original, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    const value = patch[patchKey] as JsonValue;
    const isDeleteList = patchKey.startsWith(deleteFromPrimitiveListPrefix);
    const key = isDeleteList ? extractKey(patchKey, deleteFromPrimitiveListPrefix) : patchKey;

    if (value === null) {
      delete original[key];
      continue;
    }
    const current = hasOwn(original, key) ? original[key] : undefined;
    if (current === undefined || kindOf(current) !== kindOf(value)) {
      // New to the object (or a different kind): take the patch value; a deletion list adds nothing.
      if (!isDeleteList) setOrDelete(original, key, removeDirectives(discardNulls(value)));
      continue;
    }
    if (isJsonObject(current)) {
      const field = lookupField(schema, key);
      const merged = field.strategy === replaceDirective ? value : mergeMap(current, value as JsonObject, field.schema);
      setOwn(original, key, merged);
    } else if (Array.isArray(current)) {
      const field = lookupSliceField(schema, key);
      setOwn(original, key, mergeSliceField(current, value as JsonValue[], field, isDeleteList).merged);
    } else {
      setOwn(original, key, value);
    }
  }
  return original;
}

function applyMapDirective(directive: JsonValue | undefined, patch: JsonObject): JsonObject {
  if (directive === replaceDirective) {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === deleteDirective) return {};
  badPatchType(directive, patch);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, retainKeysDirective)) return;
  const retainKeys = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retainKeys)) fail(errBadPatchFormatForRetainKeys);
  const retained = new Set<JsonValue>(retainKeys);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    // Every field the patch sets must be retained.
    if (!retained.has(key)) fail(errBadPatchFormatForRetainKeys);
  }
  for (const key of Object.keys(original)) if (!retained.has(key)) delete original[key];
}

/** Processes each `$setElementOrder/<field>` together with `<field>` (mergePatchIntoOriginal). */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: SchemaNode): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix) || !hasOwn(patch, directiveKey)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) badArgType(sliceType, order);
    const key = extractKey(directiveKey, setElementOrderPrefix);

    const inOriginal = hasOwn(original, key);
    const inPatch = hasOwn(patch, key);
    const originalList = inOriginal ? listValue(original[key]) : [];
    const patchList = inPatch ? listValue(patch[key]) : [];
    const field = lookupSliceField(schema, key);
    validatePatchWithSetOrderList(patchList, order, field.mergeKey);

    let merged: MergedList;
    if (inOriginal && inPatch) merged = mergeSliceField(originalList, patchList, field, false);
    else if (inOriginal) merged = { merged: originalList, serverView: originalList };
    else if (inPatch) merged = { merged: removeDirectives(patchList) as JsonValue[], serverView: [] };
    else continue;

    const [patchItems, serverOnly] =
      field.mergeKey === ""
        ? partitionScalars(merged.merged, order)
        : partitionMaps(merged.merged, order, field.mergeKey);
    const kind = sliceElementKind([originalList, patchList]);
    const ordered = normalizeElementOrder(patchItems, serverOnly, order, merged.serverView, field.mergeKey, kind);
    setOwn(original, key, ordered);
    delete patch[key];
  }
}

function listValue(value: JsonValue | undefined): JsonValue[] {
  if (!Array.isArray(value)) badArgType(sliceType, value);
  return value;
}

// Checks that the patch list's elements (deletions aside) appear in $setElementOrder, in that order.
function validatePatchWithSetOrderList(patchList: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const kept = mergeKey === "" ? patchList : patchList.filter((item) => !isDeleteElement(asMap(item)));
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < kept.length && orderIndex < order.length) {
    const item = kept[patchIndex] as JsonValue;
    if (isJsonObject(item) && hasOwn(item, directiveMarker)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[orderIndex] as JsonValue, mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < kept.length && orderIndex >= order.length) {
    fail(`the order in patch list:\n${goFormat(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goFormat(order)}`);
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === "") return scalarEqual(left, right);
  const leftMap = asMap(left);
  const rightMap = asMap(right);
  if (!hasOwn(leftMap, mergeKey)) noMergeKey(leftMap, mergeKey);
  if (!hasOwn(rightMap, mergeKey)) noMergeKey(rightMap, mergeKey);
  return scalarEqual(leftMap[mergeKey], rightMap[mergeKey]);
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    fail(prefix === deleteFromPrimitiveListPrefix ? errBadPatchFormatForPrimitiveList : errBadPatchFormatForSetElementOrderList);
  }
  return key.slice(slash + 1);
}

function setOrDelete(object: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete object[key];
  else setOwn(object, key, value);
}

/** Drops maps carrying a `$patch` directive (and list elements that are such maps); undefined = drop. */
function removeDirectives(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const kept = removeDirectives(item);
      return kept === undefined ? [] : [kept];
    });
  }
  if (!isJsonObject(value)) return value;
  if (hasOwn(value, directiveMarker)) return undefined;
  for (const [key, item] of Object.entries(value)) setOrDelete(value, key, removeDirectives(item));
  return value;
}

/** Removes null fields from maps, at any depth (null list elements stay). */
function discardNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) value.forEach((item) => discardNulls(item));
  else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null) delete value[key];
      else discardNulls(item);
    }
  }
  return value;
}

// ---- lists ----

/**
 * A merged list, and the live list as upstream's ordering step then sees it. Upstream merges into
 * the live slice in place: each `$patch: delete` shifts the rest left, and the first appended
 * elements fill the freed slots, so when $setElementOrder interleaves server-only elements, it
 * compares positions in that view (the live object's slices have no spare capacity, so nothing else
 * shows through). kubectl's "delete one element, add another" patches depend on it.
 */
interface MergedList {
  merged: JsonValue[];
  serverView: JsonValue[];
}

function mergeSliceField(original: JsonValue[], patch: JsonValue[], field: FieldLookup, isDeleteList: boolean): MergedList {
  // A deletion list applies whatever the field's strategy; otherwise only "merge" merges.
  if (field.strategy !== mergeDirective && !isDeleteList) return { merged: patch, serverView: original };
  return mergeSlice(original, patch, field.schema, field.mergeKey, isDeleteList);
}

function mergeSlice(
  original: JsonValue[],
  patch: JsonValue[],
  itemSchema: SchemaNode,
  mergeKey: string,
  isDeleteList: boolean,
): MergedList {
  if (original.length === 0 && patch.length === 0) return { merged: original, serverView: original };
  const kind = sliceElementKind([original, patch]);
  if (kind !== "map") {
    if (isDeleteList) return { merged: deleteFromSlice(original, patch), serverView: original };
    const merged = [...new Set([...original, ...patch])];
    const [patchItems, serverOnly] = partitionScalars(merged, patch);
    return { merged: normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind), serverView: original };
  }
  if (mergeKey === "") fail(`cannot merge lists without merge key for ${itemSchema.displayName}`);
  const { remaining, rest, replaced } = applyListDirectives(original, patch, mergeKey);
  // `$patch: replace` makes the other patch elements the list, with nothing left to merge.
  const server = replaced ? rest : remaining;
  const toMerge = replaced ? [] : rest;
  const merged = mergeListElements([...server], toMerge, mergeKey, itemSchema);
  const [patchItems, serverOnly] = partitionMaps(merged, toMerge, mergeKey);
  const deleted = original.length - remaining.length;
  const appended = replaced ? [] : merged.slice(remaining.length, remaining.length + deleted);
  return {
    merged: normalizeElementOrder(patchItems, serverOnly, toMerge, server, mergeKey, kind),
    serverView: [...remaining, ...appended],
  };
}

/** All elements must be of one kind, and not lists (sliceElementType). */
function sliceElementKind(lists: JsonValue[][]): ValueKind {
  let kind: ValueKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const itemKind = kindOf(item);
      if (kind === undefined) {
        if (itemKind === "slice") fail(errNoListOfLists, 422);
        kind = itemKind;
      } else if (itemKind !== kind) {
        fail(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (kind === undefined) fail("no elements in any of the given slices");
  return kind;
}

/**
 * Handles elements with `$patch` (mergeSliceWithSpecialElements): `delete` removes every element
 * with that merge key, `replace` asks for the other patch elements to become the whole list.
 * Returns the live list after deletions and the patch elements without directives.
 */
function applyListDirectives(
  original: JsonValue[],
  patch: JsonValue[],
  mergeKey: string,
): { remaining: JsonValue[]; rest: JsonValue[]; replaced: boolean } {
  let remaining = original;
  const rest: JsonValue[] = [];
  let replaced = false;
  for (const item of patch) {
    const element = asMap(item);
    if (!hasOwn(element, directiveMarker)) {
      rest.push(element);
      continue;
    }
    const directive = element[directiveMarker];
    if (directive === deleteDirective) {
      if (!hasOwn(element, mergeKey)) noMergeKey(element, mergeKey);
      remaining = remaining.filter(
        (s) => !(isJsonObject(s) && hasOwn(s, mergeKey) && scalarEqual(s[mergeKey], element[mergeKey])),
      );
    } else if (directive === replaceDirective) {
      replaced = true;
    } else if (directive === mergeDirective) {
      fail("merging lists cannot yet be specified in the patch");
    } else {
      badPatchType(directive, element);
    }
  }
  return { remaining, rest, replaced };
}

/** Merges each patch element into the server element with its merge key, or appends it. */
function mergeListElements(server: JsonValue[], patch: JsonValue[], mergeKey: string, itemSchema: SchemaNode): JsonValue[] {
  for (const item of patch) {
    const element = asMap(item);
    if (!hasOwn(element, mergeKey)) noMergeKey(element, mergeKey);
    const index = server.findIndex(
      (s) => isJsonObject(s) && hasOwn(s, mergeKey) && scalarEqual(s[mergeKey], element[mergeKey]),
    );
    if (index >= 0) server[index] = mergeMap(server[index] as JsonObject, element, itemSchema);
    else server.push(element);
  }
  return server;
}

function deleteFromSlice(current: JsonValue[], toDelete: JsonValue[]): JsonValue[] {
  const deleted = new Set(toDelete);
  return current.filter((item) => !deleted.has(item));
}

function asMap(value: JsonValue): JsonObject {
  if (!isJsonObject(value)) badArgType(mapType, value);
  return value;
}

function isDeleteElement(element: JsonObject): boolean {
  return element[directiveMarker] === deleteDirective;
}

// ---- ordering (normalizeElementOrder and friends) ----

function partitionScalars(items: JsonValue[], by: JsonValue[]): [JsonValue[], JsonValue[]] {
  const present = new Set(by);
  return [items.filter((item) => present.has(item)), items.filter((item) => !present.has(item))];
}

function partitionMaps(items: JsonValue[], by: JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of items) {
    const element = asMap(item);
    if (!hasOwn(element, mergeKey)) noMergeKey(element, mergeKey);
    const found = by.some((candidate, index) => {
      if (!isJsonObject(candidate)) fail(`value for key ${index} is not a map`);
      return hasOwn(candidate, mergeKey) && scalarEqual(candidate[mergeKey], element[mergeKey]);
    });
    (found ? inPatch : serverOnly).push(element);
  }
  return [inPatch, serverOnly];
}

/**
 * Sorts the patch's elements by `patchOrder` and the server-only ones by `serverOrder`, then
 * interleaves them so each server-only element stays next to its old neighbours.
 */
function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
  kind: ValueKind,
): JsonValue[] {
  const sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/** Stable sort by position in `order`; `$patch: delete` elements go last. */
function normalizeSliceOrder(items: JsonValue[], order: JsonValue[], mergeKey: string, kind: ValueKind): JsonValue[] {
  let toSort = items;
  let deletions: JsonValue[] = [];
  if (kind === "map") {
    for (const item of [...items, ...order]) {
      const element = asMap(item);
      if (!hasOwn(element, mergeKey)) noMergeKey(element, mergeKey);
    }
    toSort = items.filter((item) => !isDeleteElement(item as JsonObject));
    deletions = items.filter((item) => isDeleteElement(item as JsonObject));
  }
  const rank = (item: JsonValue): number => {
    const position = indexOf(order, item, mergeKey, kind);
    return position < 0 ? Number.MAX_SAFE_INTEGER : position;
  };
  const sorted = toSort
    .map((item) => ({ item, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ item }) => item);
  return [...sorted, ...deletions];
}

/**
 * Inserts the server-only elements (`left`) among the patch elements (`right`): a server-only element
 * goes before the first patch element that comes after it in the live list; both relative orders hold.
 */
function mergeSortedSlice(left: JsonValue[], right: JsonValue[], serverOrder: JsonValue[], mergeKey: string, kind: ValueKind): JsonValue[] {
  const result: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const leftIndex = indexOf(serverOrder, left[i] as JsonValue, mergeKey, kind);
    const rightIndex = indexOf(serverOrder, right[j] as JsonValue, mergeKey, kind);
    if (leftIndex >= 0 && rightIndex >= 0 && leftIndex < rightIndex) result.push(left[i++] as JsonValue);
    else result.push(right[j++] as JsonValue);
  }
  return [...result, ...left.slice(i), ...right.slice(j)];
}

/** Position of an element in a list: by merge-key value for maps, by value for scalars. */
function indexOf(list: JsonValue[], item: JsonValue, mergeKey: string, kind: ValueKind): number {
  const keyOf = (value: JsonValue): JsonValue =>
    kind !== "map" ? value : isJsonObject(value) && hasOwn(value, mergeKey) ? (value[mergeKey] as JsonValue) : null;
  const wanted = keyOf(item);
  return list.findIndex((candidate) => scalarEqual(keyOf(candidate), wanted));
}
