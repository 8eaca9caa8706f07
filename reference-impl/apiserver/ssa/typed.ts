// Schema-aware walks over JSON objects, after structured-merge-diff's typed package: validating an
// applied configuration, the set of fields an object sets (ToFieldSet), the difference between two
// objects (Compare), merging an applied configuration into a live object (Merge) and removing
// fields (RemoveItems). Values are plain JSON; `undefined` means "absent" (Go's nil value), which
// upstream distinguishes from an explicit null.
import type { JsonObject, JsonValue } from "../../../spec/patch/json.ts";
import { cloneJson, isJsonObject, setOwn } from "../../../spec/patch/json.ts";
import { goQuote } from "../../../spec/semantics/go-compat.ts";
import { FieldSet, FieldSetBuilder } from "./field-set.ts";
import {
  fieldElement,
  indexElement,
  keyElement,
  pathElementToString,
  valueElement,
  type KeyField,
  type PathElement,
} from "./path.ts";
import type { SchemaNode } from "../../../spec/patch/schema.ts";
import { deducedAtom, toAtom, type Atom, type ListAtom } from "./schema.ts";
import { goKindOf, valuesEqual } from "./value.ts";

// ---- list items ----

/** listItemToPathElement: how an item of `list` is identified; a string is the upstream error. */
export function listItemElement(list: ListAtom, index: number, item: JsonValue): PathElement | string {
  if (!list.associative) return indexElement(index);
  if (list.keys.length > 0) {
    if (item === null) return "associative list with keys may not have a null element";
    if (!isJsonObject(item)) return "associative list with keys may not have non-map elements";
    const fields: KeyField[] = [];
    for (const name of list.keys) {
      if (Object.hasOwn(item, name)) {
        fields.push({ name, value: item[name] as JsonValue });
        continue;
      }
      const def = list.items.kind === "struct" ? list.items.fieldDefault(name) : undefined;
      if (def === undefined) {
        return `associative list with keys has an element that omits key field ${goQuote(name)} (and doesn't have default value)`;
      }
      fields.push({ name, value: def });
    }
    return keyElement(fields);
  }
  if (isJsonObject(item)) return "associative list without keys has an element that's a map type";
  if (Array.isArray(item)) return "not supported: associative list with lists as elements";
  if (item === null) return "associative list without keys has an element that's an explicit null";
  return valueElement(item);
}

interface IndexedItem {
  readonly pe: PathElement;
  readonly value: JsonValue;
}

/** The identifiable items of a list in order; malformed and repeated items are skipped. */
function indexItems(list: ListAtom, items: readonly JsonValue[] | undefined): IndexedItem[] {
  const out: IndexedItem[] = [];
  const seen = new Set<string>();
  (items ?? []).forEach((value, i) => {
    const pe = listItemElement(list, i, value);
    if (typeof pe === "string") return;
    const id = pathElementToString(pe);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ pe, value });
  });
  return out;
}

// ---- atoms as a value sees them ----

/** The handler a value resolves to (deduceAtom + handleAtom). */
type Shape =
  | { readonly tag: "leaf" }
  | { readonly tag: "list"; readonly list: ListAtom }
  | { readonly tag: "map"; readonly atomic: boolean; readonly child: (key: string) => Atom | undefined };

const leafShape: Shape = { tag: "leaf" };
const deducedMapShape: Shape = { tag: "map", atomic: false, child: () => deducedAtom };

function shapeOf(atom: Atom, v: JsonValue | undefined): Shape {
  switch (atom.kind) {
    case "scalar":
    case "untypedAtomic":
      return leafShape;
    case "list":
      return atom.associative ? { tag: "list", list: atom } : leafShape;
    case "struct":
      return { tag: "map", atomic: atom.atomic, child: (key) => atom.field(key) };
    case "map":
      return { tag: "map", atomic: atom.atomic, child: () => atom.values };
    case "deduced":
      // Scalars and lists (atomic) are leaves; objects, null and absent values are maps.
      if (Array.isArray(v) || (v !== null && v !== undefined && typeof v !== "object")) return leafShape;
      return deducedMapShape;
  }
}

/** A field's atom; fields a struct does not declare are treated as free-form. */
function childAtom(shape: Shape & { tag: "map" }, key: string): Atom {
  return shape.child(key) ?? deducedAtom;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.tag === b.tag;
}

const asList = (v: JsonValue | undefined): JsonValue[] | undefined => (Array.isArray(v) ? v : undefined);
const asMap = (v: JsonValue | undefined): JsonObject | undefined => (isJsonObject(v) ? v : undefined);
const isEmptyList = (l: JsonValue[] | undefined): boolean => l === undefined || l.length === 0;
const isEmptyMap = (m: JsonObject | undefined): boolean => m === undefined || Object.keys(m).length === 0;

// ---- validation of an applied configuration ----

export interface ValidationError {
  /** The printed path, e.g. `.spec.ports`; empty at the root. */
  readonly path: string;
  readonly message: string;
}

/** ValidationErrors.Error(): one error alone, several under "errors:". */
export function formatValidationErrors(errors: readonly ValidationError[]): string {
  const one = (e: ValidationError): string => (e.path === "" ? e.message : `${e.path}: ${e.message}`);
  if (errors.length === 1) return one(errors[0] as ValidationError);
  return ["errors:", ...errors.map((e) => "  " + one(e))].join("\n");
}

/**
 * What converting an applied configuration to a typed value rejects: fields the schema does not
 * declare, values of the wrong shape, list items without their keys, duplicate keys. Scalar checks
 * are looser than upstream's for strings, because our metadata cannot tell a string from a
 * quantity or a time (which upstream accepts as numbers too).
 */
export function validateTyped(value: JsonValue, atom: Atom): ValidationError[] {
  const errs: ValidationError[] = [];
  validateAt(value, atom, "", errs);
  return errs;
}

function validateAt(v: JsonValue, atom: Atom, path: string, errs: ValidationError[]): void {
  switch (atom.kind) {
    case "untypedAtomic":
      return;
    case "scalar":
      validateScalar(v, atom.scalar, path, errs);
      return;
    case "deduced":
      if (isJsonObject(v)) for (const [k, item] of Object.entries(v)) validateAt(item, deducedAtom, `${path}.${k}`, errs);
      return;
    case "list":
      validateList(v, atom, path, errs);
      return;
    case "struct":
    case "map":
      validateMap(v, atom, path, errs);
      return;
  }
}

function validateScalar(v: JsonValue, kind: string, path: string, errs: ValidationError[]): void {
  if (v === null) return;
  if (kind === "numeric" && typeof v !== "number") {
    errs.push({ path, message: `expected numeric (int or float), got ${goKindOf(v)}` });
  } else if (kind === "boolean" && typeof v !== "boolean") {
    errs.push({ path, message: `expected boolean, got ${goKindOf(v)}` });
  } else if ((kind === "string" || kind === "untyped") && typeof v === "object") {
    errs.push({ path, message: `expected ${kind === "string" ? "string" : "scalar"}, got ${goKindOf(v)}` });
  }
}

function validateList(v: JsonValue, atom: ListAtom, path: string, errs: ValidationError[]): void {
  if (v === null) return;
  if (!Array.isArray(v)) {
    errs.push({ path, message: `expected list, got ${goKindOf(v)}` });
    return;
  }
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const item = v[i] as JsonValue;
    const pe = listItemElement(atom, i, item);
    if (typeof pe === "string") {
      // Upstream stops at the first item it cannot identify.
      errs.push({ path, message: `element ${i}: ${pe}` });
      return;
    }
    const id = pathElementToString(pe);
    if (atom.associative) {
      if (seen.has(id)) errs.push({ path, message: `duplicate entries for key ${id}` });
      seen.add(id);
    }
    validateAt(item, atom.items, path + id, errs);
  }
}

function validateMap(v: JsonValue, atom: Atom & { kind: "struct" | "map" }, path: string, errs: ValidationError[]): void {
  if (v === null) return;
  if (!isJsonObject(v)) {
    errs.push({ path, message: `expected map, got ${goKindOf(v)}` });
    return;
  }
  for (const [key, item] of Object.entries(v)) {
    const fieldPath = `${path}.${key}`;
    const fieldAtom = atom.kind === "struct" ? atom.field(key) : atom.values;
    if (fieldAtom === undefined) {
      // Upstream stops at the first undeclared field of a map (in Go's random map order).
      errs.push({ path: fieldPath, message: "field not declared in schema" });
      return;
    }
    validateAt(item, fieldAtom, fieldPath, errs);
  }
}

// ---- ToFieldSet ----

/**
 * The fields an object sets (TypedValue.ToFieldSet): every leaf, every list item and every map key
 * (but not struct fields that hold structs, whose fields stand for them).
 */
export function fieldsOf(value: JsonValue, schema: SchemaNode | Atom | undefined): FieldSet {
  const builder = new FieldSetBuilder();
  collectFields(value, toAtom(schema), [], builder);
  return builder.build();
}

function collectFields(v: JsonValue, atom: Atom, path: PathElement[], out: FieldSetBuilder): void {
  switch (atom.kind) {
    case "scalar":
    case "untypedAtomic":
      out.insert(path);
      return;
    case "list": {
      if (!atom.associative) {
        out.insert(path);
        return;
      }
      for (const { pe, value } of indexItems(atom, asList(v))) {
        const itemPath = [...path, pe];
        collectFields(value, atom.items, itemPath, out);
        out.insert(itemPath);
      }
      return;
    }
    case "deduced":
      if (Array.isArray(v) || (v !== null && typeof v !== "object")) {
        out.insert(path);
        return;
      }
      collectMapFields(v, () => undefined, () => deducedAtom, path, out);
      return;
    case "struct":
      if (atom.atomic) {
        out.insert(path);
        return;
      }
      collectMapFields(v, (k) => atom.field(k), () => deducedAtom, path, out);
      return;
    case "map":
      if (atom.atomic) {
        out.insert(path);
        return;
      }
      collectMapFields(v, () => undefined, () => atom.values, path, out);
      return;
  }
}

function collectMapFields(
  v: JsonValue,
  named: (key: string) => Atom | undefined,
  element: () => Atom,
  path: PathElement[],
  out: FieldSetBuilder,
): void {
  if (!isJsonObject(v)) return;
  for (const [key, item] of Object.entries(v)) {
    const fieldAtom = named(key);
    const fieldPath = [...path, fieldElement(key)];
    collectFields(item, fieldAtom ?? element(), fieldPath, out);
    // Named struct fields are represented by their own fields; map keys are members.
    if (fieldAtom === undefined) out.insert(fieldPath);
  }
}

// ---- Compare ----

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** TypedValue.Compare: the fields `rhs` adds to, changes in and removes from `lhs`. */
export function compareTyped(lhs: JsonValue | undefined, rhs: JsonValue | undefined, atom: Atom): Comparison {
  const c = new Comparer();
  if (lhs !== undefined || rhs !== undefined) c.walk(lhs, rhs, atom, []);
  return { added: c.added.build(), modified: c.modified.build(), removed: c.removed.build() };
}

/** Comparison.ExcludeFields: drops the given fields and everything beneath them. */
export function excludeFields(c: Comparison, fields: FieldSet | undefined): Comparison {
  if (fields === undefined || fields.isEmpty()) return c;
  return {
    added: c.added.recursiveDifference(fields),
    modified: c.modified.recursiveDifference(fields),
    removed: c.removed.recursiveDifference(fields),
  };
}

class Comparer {
  readonly added = new FieldSetBuilder();
  readonly modified = new FieldSetBuilder();
  readonly removed = new FieldSetBuilder();

  walk(l: JsonValue | undefined, r: JsonValue | undefined, atom: Atom, path: PathElement[]): void {
    const ls = shapeOf(atom, l);
    const rs = shapeOf(atom, r);
    // A free-form value that changed type is handled as both shapes, as deduceAtom does.
    if (!sameShape(ls, rs)) this.handle(ls, l, r, path);
    const inLeaf = this.handle(rs, l, r, path);
    if (!inLeaf) {
      if (l === undefined) this.added.insert(path);
      else if (r === undefined) this.removed.insert(path);
    }
  }

  /** Returns whether the value was compared as one leaf. */
  private handle(shape: Shape, l: JsonValue | undefined, r: JsonValue | undefined, path: PathElement[]): boolean {
    if (shape.tag === "leaf") return this.leaf(l, r, path);
    if (shape.tag === "list") {
      const ll = asList(l);
      const rl = asList(r);
      if (isEmptyList(ll) && isEmptyList(rl)) return this.leaf(l, r, path);
      const lItems = indexItems(shape.list, ll);
      const rItems = indexItems(shape.list, rl);
      const rByKey = new Map(rItems.map((it) => [pathElementToString(it.pe), it.value]));
      const lKeys = new Set<string>();
      for (const it of lItems) {
        const id = pathElementToString(it.pe);
        lKeys.add(id);
        this.walk(it.value, rByKey.get(id), shape.list.items, [...path, it.pe]);
      }
      for (const it of rItems) {
        if (!lKeys.has(pathElementToString(it.pe))) this.walk(undefined, it.value, shape.list.items, [...path, it.pe]);
      }
      return false;
    }
    const lm = asMap(l);
    const rm = asMap(r);
    if (shape.atomic || (isEmptyMap(lm) && isEmptyMap(rm))) return this.leaf(l, r, path);
    for (const key of unionKeys(lm, rm)) {
      this.walk(own(lm, key), own(rm, key), childAtom(shape, key), [...path, fieldElement(key)]);
    }
    return false;
  }

  private leaf(l: JsonValue | undefined, r: JsonValue | undefined, path: PathElement[]): boolean {
    if (l === undefined) this.added.insert(path);
    else if (r === undefined) this.removed.insert(path);
    else if (!valuesEqual(l, r)) this.modified.insert(path);
    return true;
  }
}

function unionKeys(a: JsonObject | undefined, b: JsonObject | undefined): string[] {
  const keys = Object.keys(a ?? {});
  const seen = new Set(keys);
  for (const k of Object.keys(b ?? {})) if (!seen.has(k)) keys.push(k);
  return keys;
}

const own = (m: JsonObject | undefined, key: string): JsonValue | undefined =>
  m !== undefined && Object.hasOwn(m, key) ? m[key] : undefined;

// ---- Merge ----

/**
 * TypedValue.Merge for apply: the applied configuration (`rhs`) wins on every leaf; maps merge key
 * by key; associative lists merge item by item, the applied items in their applied order with live
 * items kept around them. An explicit null in the applied configuration unsets a leaf (upstream
 * stores the null, which the conversion back to the Go type drops). Returns undefined for "absent".
 */
export function mergeTyped(lhs: JsonValue | undefined, rhs: JsonValue | undefined, atom: Atom): JsonValue | undefined {
  if (lhs === undefined && rhs === undefined) return undefined;
  return mergeAt(lhs, rhs, atom);
}

function mergeAt(l: JsonValue | undefined, r: JsonValue | undefined, atom: Atom): JsonValue | undefined {
  const shape = shapeOf(atom, r);
  if (shape.tag === "leaf") return keepRhs(l, r);
  if (shape.tag === "list") {
    const ll = asList(l);
    const rl = asList(r);
    if (isEmptyList(ll) && isEmptyList(rl)) return keepRhs(l, r);
    const out = mergeListItems(shape.list, ll, rl);
    return out.length > 0 ? out : undefined;
  }
  const lm = asMap(l);
  const rm = asMap(r);
  if (shape.atomic || (isEmptyMap(lm) && isEmptyMap(rm))) return keepRhs(l, r);
  const out: JsonObject = {};
  for (const key of unionKeys(lm, rm)) {
    const merged = mergeAt(own(lm, key), own(rm, key), childAtom(shape, key));
    if (merged !== undefined) setOwn(out, key, merged);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function keepRhs(l: JsonValue | undefined, r: JsonValue | undefined): JsonValue | undefined {
  if (r === null) return undefined;
  const v = r !== undefined ? r : l;
  return v === undefined ? undefined : cloneJson(v);
}

/** The item order of upstream's mergingWalker.visitListItems (applied order, live items kept). */
function mergeListItems(list: ListAtom, lhs: JsonValue[] | undefined, rhs: JsonValue[] | undefined): JsonValue[] {
  const lItems = indexItems(list, lhs);
  const rItems = indexItems(list, rhs);
  const key = (it: IndexedItem): string => pathElementToString(it.pe);
  const lByKey = new Map(lItems.map((it) => [key(it), it.value]));
  const rByKey = new Map(rItems.map((it) => [key(it), it.value]));
  const shared = rItems.filter((it) => lByKey.has(key(it))).map(key);
  let nextShared = shared.shift();
  const out: JsonValue[] = [];
  const emit = (id: string): void => {
    const merged = mergeAt(lByKey.get(id), rByKey.get(id), list.items);
    if (merged !== undefined) out.push(merged);
  };
  let lI = 0;
  let rI = 0;
  while (lI < lItems.length || rI < rItems.length) {
    const before = lI + rI;
    const lId = lI < lItems.length ? key(lItems[lI] as IndexedItem) : undefined;
    const rId = rI < rItems.length ? key(rItems[rI] as IndexedItem) : undefined;
    if (lId !== undefined && rId !== undefined) {
      if (lId === rId) {
        emit(lId);
        lI++;
        rI++;
        nextShared = shared.shift();
        continue;
      }
      if (rByKey.has(lId) && nextShared !== undefined && nextShared !== lId) {
        lI++; // a shared item, merged when the applied order reaches it
        continue;
      }
    }
    if (lId !== undefined && !rByKey.has(lId)) {
      emit(lId);
      lI++;
      continue;
    }
    if (rId !== undefined) {
      emit(rId);
      rI++;
      if (nextShared === rId) nextShared = shared.shift();
    }
    if (lI + rI === before) break; // cannot happen for well-formed input; never loop forever
  }
  return out;
}

// ---- RemoveItems ----

/**
 * TypedValue.RemoveItems: the value without the fields in `set` (a member removes the field or item
 * and everything under it). A map or list left empty becomes absent, as upstream's null does once
 * converted back to the Go type.
 */
export function removeItems(value: JsonValue, set: FieldSet, atom: Atom): JsonValue | undefined {
  const shape = shapeOf(atom, value);
  if (shape.tag === "leaf") return atom.kind === "scalar" || !isContainer(value) ? value : undefined;
  if (shape.tag === "list") {
    const list = asList(value);
    if (list === undefined || list.length === 0) return undefined;
    const out: JsonValue[] = [];
    list.forEach((item, i) => {
      const pe = listItemElement(shape.list, i, item);
      if (typeof pe === "string") {
        out.push(item);
        return;
      }
      if (set.has([pe])) return;
      const subset = set.withPrefix(pe);
      out.push(subset.isEmpty() ? item : (removeItems(item, subset, shape.list.items) ?? {}));
    });
    return out.length > 0 ? out : undefined;
  }
  const m = asMap(value);
  if (m === undefined || Object.keys(m).length === 0 || shape.atomic) return undefined;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(m)) {
    const pe = fieldElement(key);
    if (set.has([pe])) continue;
    const subset = set.withPrefix(pe);
    const kept = subset.isEmpty() ? item : removeItems(item, subset, childAtom(shape, key));
    if (kept !== undefined) setOwn(out, key, kept);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isContainer(v: JsonValue): boolean {
  return typeof v === "object" && v !== null;
}

// ---- EnsureNamedFieldsAreMembers ----

/**
 * Set.EnsureNamedFieldsAreMembers: also counts as members the struct fields that only appear as
 * prefixes (`spec` when `spec.replicas` is in the set), but not map keys. Pruning uses it so that
 * a struct nobody owns anything under can be removed too.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, atom: Atom | undefined): FieldSet {
  const builder = new FieldSetBuilder();
  for (const m of set.memberElements()) builder.insert([m]);
  for (const pe of set.childElements()) {
    let child: Atom | undefined;
    if (pe.kind === "field" && atom !== undefined) {
      if (atom.kind === "struct") {
        child = atom.field(pe.name);
        if (child !== undefined) builder.insert([pe]);
      } else if (atom.kind === "map") child = atom.values;
      else if (atom.kind === "deduced") child = deducedAtom;
    } else if (pe.kind === "key" && atom?.kind === "list") {
      child = atom.items;
    }
    builder.insertSet(pe, ensureNamedFieldsAreMembers(set.withPrefix(pe), child));
  }
  return builder.build();
}
