// Partial object matching for scenario expectations: the expected document lists only what matters,
// every field it leaves out is ignored, and lists are matched by key, not by position.
//
// The rules, in the order a reader meets them:
// - An object matches when each field it names matches; other fields of the actual object are
//   ignored; `{}` matches any object (or none). `null` (or `$absent: true`) expects the field to be
//   absent; JSON null counts as absent.
// - Scalars compare strictly: 3 does not match "3". Under a resource map (requests, limits,
//   capacity, allocatable, overhead, hard, used) and for `sizeLimit`, quantities compare by value, so
//   "0.5" matches "500m" and 2 matches "2"; anywhere else write `{$quantity: "500m"}`.
// - A list is matched element by element. An expected element with a key — the list's merge key or
//   list-map keys from the kind's schema, else a built-in table (containers/env/volumes by name,
//   ports by containerPort+protocol or name, conditions by type, taints by key+effect, ownerReferences
//   by uid or kind+name, List items by kind+namespace+name), or `$key: field` / `$key: [a, b]` written
//   in the element — is looked up by it; an element without one must match some actual element
//   (unordered containment). An empty list expects an empty or absent list; `$exact: [...]` expects
//   exactly that list, in order, nothing more.
// - Operators (keys starting with `$`; write `$$name` for a literal field `$name`):
//   `$absent: true|false`, `$not: <expectation>`, `$regex: <Go-syntax pattern, unanchored>`,
//   `$quantity: "500m"`, `$gt`/`$gte`/`$lt`/`$lte: <number>`, `$size: <number or expectation>` (list
//   length or map entries; absent counts as 0), `$exact: <value>` (deep equality, lists in order),
//   `$all: <expectation>` (every element of a list), `$key` (in a list element, see above).
//   Several operators and fields in one object must all hold.
// A malformed expectation (unknown operator, bad regex, `$key` naming a field the element lacks)
// throws ExpectationError: it is a mistake in the scenario, not a mismatch.
import { schemaFor, type SchemaNode } from "../../spec/patch/index.ts";
import { tryParseQuantity, quantityFromJSON, type Quantity } from "../../spec/semantics/quantity.ts";
import { hasKey, listKeysFor, resolveKey, type ListKey, type ResolvedKey } from "./list-keys.ts";
import { goRegExp, RegexError } from "./regex.ts";

export type KeyValue = string | number | boolean;

export type PathSegment =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "key"; readonly fields: ReadonlyArray<readonly [string, KeyValue]> }
  | { readonly kind: "index"; readonly index: number };

export type MismatchReason =
  | "value" // scalars differ
  | "missing" // the field is absent
  | "type" // wrong JSON type (an object where a string was expected, ...)
  | "absent" // `$absent: true` (or null) but the field is present
  | "regex"
  | "not" // `$not` matched
  | "compare" // `$gt` / `$gte` / `$lt` / `$lte`
  | "size"
  | "exact"
  | "missing-element" // no list element has the expected key
  | "no-match"; // no list element matches an unkeyed expected element

export interface Mismatch {
  /** Where, e.g. `.status.conditions[type=PodScheduled].reason`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly reason: MismatchReason;
  /** The expectation at this path: a value, an operand (the pattern of `$regex`, ...) or an element. */
  readonly expected: unknown;
  /** The actual value; undefined when absent. For `size`, the actual size. */
  readonly actual: unknown;
  readonly actualPresent: boolean;
  /** One line, e.g. `expected "Unschedulable", got "SchedulerError"`. */
  readonly message: string;
  /** How many expected leaves this mismatch stands for: fewer means closer. */
  readonly weight: number;
  /** For `no-match`: the element that came closest and why it failed. */
  readonly closest?: ClosestElement;
}

export interface ClosestElement {
  readonly index: number;
  readonly mismatches: readonly Mismatch[];
}

export interface MatchOptions {
  /** The kind of the actual object, when it does not say (its apiVersion/kind are used otherwise). */
  readonly apiVersion?: string;
  readonly kind?: string;
}

export type MatchResult = { readonly ok: true } | { readonly ok: false; readonly mismatches: readonly Mismatch[] };

/** A mistake in the expectation itself. */
export class ExpectationError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`bad expectation at ${path}: ${detail}`);
    this.name = "ExpectationError";
  }
}

const operators = new Set([
  "$absent",
  "$not",
  "$regex",
  "$quantity",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$size",
  "$exact",
  "$all",
  "$key",
]);

/** Maps whose values are resource quantities (ResourceList and friends). */
const quantityMaps = new Set(["requests", "limits", "capacity", "allocatable", "overhead", "hard", "used"]);
const quantityFields = new Set(["sizeLimit"]);

interface Location {
  readonly segments: readonly PathSegment[];
  readonly schema: SchemaNode | undefined;
  /** The field holding this value, for the built-in list-key table. */
  readonly fieldName: string | undefined;
  readonly quantity: boolean;
  readonly quantityMap: boolean;
}

/** Matches `actual` against the partial `expected`; throws ExpectationError for a bad expectation. */
export function match(expected: unknown, actual: unknown, opts: MatchOptions = {}): MatchResult {
  const mismatches = matchAll(expected, actual, opts);
  return mismatches.length === 0 ? { ok: true } : { ok: false, mismatches };
}

function matchAll(expected: unknown, actual: unknown, opts: MatchOptions): Mismatch[] {
  const schema =
    (opts.apiVersion !== undefined && opts.kind !== undefined ? schemaFor(opts.apiVersion, opts.kind) : undefined) ??
    schemaOf(actual) ??
    schemaOf(expected);
  const root: Location = { segments: [], schema, fieldName: undefined, quantity: false, quantityMap: false };
  const out: Mismatch[] = [];
  matchAt(expected, actual, root, out, false);
  return out;
}

export interface CandidateResult {
  readonly index: number;
  readonly mismatches: readonly Mismatch[];
  /** The summed weight of the mismatches; 0 for a match. */
  readonly weight: number;
}

export interface MatchAnyResult {
  readonly ok: boolean;
  /** Indices of the candidates that match, in order. */
  readonly matching: readonly number[];
  /** Every candidate's result, in order. */
  readonly candidates: readonly CandidateResult[];
  /** The non-matching candidate with the smallest weight (the first on ties); absent when none fail. */
  readonly closest?: CandidateResult;
}

/** Matches one expectation against several objects, e.g. every pod named web-*. */
export function matchAny(expected: unknown, candidates: readonly unknown[], opts: MatchOptions = {}): MatchAnyResult {
  const results: CandidateResult[] = candidates.map((candidate, index) => {
    const mismatches = matchAll(expected, candidate, opts);
    return { index, mismatches, weight: totalWeight(mismatches) };
  });
  const matching = results.filter((r) => r.mismatches.length === 0).map((r) => r.index);
  let closest: CandidateResult | undefined;
  for (const r of results) {
    if (r.mismatches.length > 0 && (closest === undefined || r.weight < closest.weight)) closest = r;
  }
  return closest === undefined
    ? { ok: matching.length > 0, matching, candidates: results }
    : { ok: matching.length > 0, matching, candidates: results, closest };
}

// ---- walking ----

function matchAt(expected: unknown, actual: unknown, loc: Location, out: Mismatch[], inElement: boolean): void {
  if (expected === undefined) return;
  const present = actual !== undefined && actual !== null;
  if (expected === null) {
    if (present) push(out, loc, "absent", true, actual, true, `expected the field to be absent, got ${show(actual)}`);
    return;
  }
  if (Array.isArray(expected)) return matchList(expected, actual, present, loc, out);
  if (isPlainObject(expected)) return matchObject(expected, actual, present, loc, out, inElement);
  if (!present) return pushMissing(out, loc, expected);
  compareScalar(expected, actual, loc, out);
}

function matchObject(
  expected: Record<string, unknown>,
  actual: unknown,
  present: boolean,
  loc: Location,
  out: Mismatch[],
  inElement: boolean,
): void {
  const fields: Array<[string, unknown]> = [];
  let operatorCount = 0;
  for (const [key, value] of Object.entries(expected)) {
    if (key.startsWith("$$")) fields.push([key.slice(1), value]);
    else if (key.startsWith("$")) {
      operatorCount++;
      applyOperator(key, value, actual, present, loc, out, inElement);
    } else fields.push([key, value]);
  }
  if (fields.length === 0) {
    if (operatorCount === 0 && present && !isPlainObject(actual)) pushType(out, loc, expected, actual, "an object");
    return;
  }
  const fieldsOnly = Object.fromEntries(fields);
  if (!present) return pushMissing(out, loc, fieldsOnly);
  if (!isPlainObject(actual)) return pushType(out, loc, fieldsOnly, actual, "an object");
  const schema = loc.schema ?? schemaOf(actual);
  for (const [name, value] of fields) {
    const child = Object.hasOwn(actual, name) ? actual[name] : undefined;
    matchAt(value, child, fieldLocation(loc, schema, name), out, false);
  }
}

function fieldLocation(parent: Location, schema: SchemaNode | undefined, name: string): Location {
  let childSchema: SchemaNode | undefined;
  if (schema?.kind === "struct" && !schema.opaque) childSchema = schema.field(name);
  else if (schema?.kind === "map") childSchema = schema.values();
  return {
    segments: [...parent.segments, { kind: "field", name }],
    schema: childSchema,
    fieldName: name,
    quantity: parent.quantityMap || quantityFields.has(name),
    quantityMap: quantityMaps.has(name),
  };
}

function elementLocation(list: Location, segment: PathSegment, element: unknown): Location {
  return {
    segments: [...list.segments, segment],
    schema: list.schema?.items() ?? schemaOf(element),
    fieldName: undefined,
    quantity: false,
    quantityMap: false,
  };
}

function matchList(expected: unknown[], actual: unknown, present: boolean, loc: Location, out: Mismatch[]): void {
  if (!present) {
    if (expected.length > 0) pushMissing(out, loc, expected);
    return;
  }
  if (!Array.isArray(actual)) return pushType(out, loc, expected, actual, "a list");
  if (expected.length === 0) {
    if (actual.length > 0) push(out, loc, "exact", [], actual, true, `expected an empty list, got ${count(actual.length)}`);
    return;
  }
  const alternatives = listKeysFor(loc.fieldName, loc.schema);
  const all = actual.map((_, i) => i);
  for (const element of expected) {
    const key = elementKey(element, alternatives, loc);
    if (key === undefined) {
      matchSome(element, actual, all, loc, loc.segments, out);
      continue;
    }
    const keySegment: PathSegment = { kind: "key", fields: key.fields };
    const candidates = all.filter((i) => hasKey(actual[i], key));
    if (candidates.length === 1) {
      const index = candidates[0] as number;
      matchAt(element, actual[index], elementLocation(loc, keySegment, actual[index]), out, true);
    } else if (candidates.length === 0) {
      const at = { ...loc, segments: [...loc.segments, keySegment] };
      const message = `no element with ${keyText(key.fields)}${presentKeys(actual, key)}`;
      push(out, at, "missing-element", stripKey(element), actual, true, message, leafCount(element));
    } else {
      matchSome(element, actual, candidates, loc, [...loc.segments, keySegment], out);
    }
  }
}

function elementKey(element: unknown, alternatives: readonly ListKey[], loc: Location): ResolvedKey | undefined {
  if (!isPlainObject(element)) return undefined;
  if (!Object.hasOwn(element, "$key")) return resolveKey(element, alternatives);
  const explicit = element["$key"];
  const fields = typeof explicit === "string" ? [explicit] : explicit;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === "string")) {
    throw new ExpectationError(pathText(loc.segments), "$key must be a field name or a list of field names");
  }
  const key = resolveKey(element, [fields as string[]]);
  if (key === undefined || !key.complete) {
    throw new ExpectationError(pathText(loc.segments), `$key names ${fields.join(", ")} but the element does not give a value for each`);
  }
  return key;
}

/** Unordered containment: some candidate element must match; else report the closest. */
function matchSome(
  element: unknown,
  actual: readonly unknown[],
  candidates: readonly number[],
  loc: Location,
  at: readonly PathSegment[],
  out: Mismatch[],
): void {
  let closest: ClosestElement | undefined;
  let closestWeight = Infinity;
  for (const index of candidates) {
    const scratch: Mismatch[] = [];
    matchAt(element, actual[index], elementLocation(loc, { kind: "index", index }, actual[index]), scratch, true);
    if (scratch.length === 0) return;
    const weight = totalWeight(scratch);
    if (weight < closestWeight) {
      closest = { index, mismatches: scratch };
      closestWeight = weight;
    }
  }
  const where = { ...loc, segments: at };
  const expected = stripKey(element);
  if (closest === undefined) {
    const message = actual.length === 0 ? "no element matches: the list is empty" : "no element matches";
    return push(out, where, "no-match", expected, actual, true, message, leafCount(element));
  }
  const n = closest.mismatches.length;
  const message = `no element matches; closest is [${closest.index}] (${n} difference${n === 1 ? "" : "s"})`;
  out.push({ ...mismatch(where, "no-match", expected, actual, true, message, closestWeight), closest });
}

// ---- operators ----

function applyOperator(
  op: string,
  operand: unknown,
  actual: unknown,
  present: boolean,
  loc: Location,
  out: Mismatch[],
  inElement: boolean,
): void {
  const path = pathText(loc.segments);
  if (!operators.has(op)) {
    throw new ExpectationError(path, `unknown operator ${op} (known: ${[...operators].join(", ")}; write $${op} for a field named ${op})`);
  }
  switch (op) {
    case "$key":
      if (!inElement) throw new ExpectationError(path, "$key belongs in an element of an expected list");
      return;
    case "$absent":
      if (typeof operand !== "boolean") throw new ExpectationError(path, "$absent takes true or false");
      if (operand && present) push(out, loc, "absent", true, actual, true, `expected the field to be absent, got ${show(actual)}`);
      if (!operand && !present) pushMissing(out, loc, { $absent: false });
      return;
    case "$not": {
      const scratch: Mismatch[] = [];
      matchAt(operand, actual, loc, scratch, inElement);
      if (scratch.length === 0) push(out, loc, "not", operand, actual, present, `expected not to match ${show(operand)}, got ${show(actual)}`);
      return;
    }
    case "$regex":
      return applyRegex(operand, actual, present, loc, out);
    case "$quantity":
      return applyQuantity(operand, actual, present, loc, out);
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      return applyCompare(op, operand, actual, present, loc, out);
    case "$size":
      return applySize(operand, actual, present, loc, out);
    case "$exact":
      if (!deepEqual(operand, present ? actual : undefined)) {
        push(out, loc, "exact", operand, actual, present, `expected exactly ${show(operand)}, got ${present ? show(actual) : "nothing (absent)"}`);
      }
      return;
    case "$all":
      if (!present) return;
      if (!Array.isArray(actual)) return pushType(out, loc, { $all: operand }, actual, "a list");
      actual.forEach((element, index) => {
        matchAt(operand, element, elementLocation(loc, { kind: "index", index }, element), out, true);
      });
      return;
  }
}

function applyRegex(pattern: unknown, actual: unknown, present: boolean, loc: Location, out: Mismatch[]): void {
  if (typeof pattern !== "string") throw new ExpectationError(pathText(loc.segments), "$regex takes a string");
  let re: RegExp;
  try {
    re = goRegExp(pattern);
  } catch (e) {
    if (e instanceof RegexError) throw new ExpectationError(pathText(loc.segments), e.message);
    throw e;
  }
  if (!present) return pushMissing(out, loc, { $regex: pattern });
  if (typeof actual !== "string") return pushType(out, loc, { $regex: pattern }, actual, "a string");
  if (!re.test(actual)) push(out, loc, "regex", pattern, actual, true, `expected a string matching /${pattern}/, got ${show(actual)}`);
}

function applyQuantity(operand: unknown, actual: unknown, present: boolean, loc: Location, out: Mismatch[]): void {
  const expected = parseQuantityValue(operand);
  if (expected === undefined) throw new ExpectationError(pathText(loc.segments), `$quantity: ${show(operand)} is not a quantity`);
  if (!present) return pushMissing(out, loc, { $quantity: operand });
  const value = parseQuantityValue(actual);
  if (value === undefined) {
    return push(out, loc, "value", operand, actual, true, `expected the quantity ${expected.toString()}, got ${show(actual)} (not a quantity)`);
  }
  if (value.cmp(expected) !== 0) {
    push(out, loc, "value", operand, actual, true, `expected the quantity ${expected.toString()}, got ${value.toString()}`);
  }
}

const comparisons: Readonly<Record<string, { text: string; holds: (c: number) => boolean }>> = {
  $gt: { text: ">", holds: (c) => c > 0 },
  $gte: { text: ">=", holds: (c) => c >= 0 },
  $lt: { text: "<", holds: (c) => c < 0 },
  $lte: { text: "<=", holds: (c) => c <= 0 },
};

function applyCompare(op: string, operand: unknown, actual: unknown, present: boolean, loc: Location, out: Mismatch[]): void {
  const comparison = comparisons[op] as { text: string; holds: (c: number) => boolean };
  if (typeof operand !== "number") throw new ExpectationError(pathText(loc.segments), `${op} takes a number`);
  const expected = { [op]: operand };
  if (!present) return pushMissing(out, loc, expected);
  if (typeof actual !== "number") return pushType(out, loc, expected, actual, "a number");
  const c = actual === operand ? 0 : actual > operand ? 1 : -1;
  if (!comparison.holds(c)) push(out, loc, "compare", expected, actual, true, `expected a number ${comparison.text} ${operand}, got ${actual}`);
}

function applySize(operand: unknown, actual: unknown, present: boolean, loc: Location, out: Mismatch[]): void {
  let size = 0;
  if (present) {
    if (Array.isArray(actual)) size = actual.length;
    else if (isPlainObject(actual)) size = Object.keys(actual).length;
    else return pushType(out, loc, { $size: operand }, actual, "a list or an object");
  }
  const scratch: Mismatch[] = [];
  matchAt(operand, size, { ...loc, quantity: false }, scratch, false);
  if (scratch.length > 0) push(out, loc, "size", operand, size, present, `expected size ${show(operand)}, got ${size}`);
}

// ---- scalars ----

function compareScalar(expected: unknown, actual: unknown, loc: Location, out: Mismatch[]): void {
  if (loc.quantity) {
    const e = parseQuantityValue(expected);
    const a = parseQuantityValue(actual);
    if (e !== undefined && a !== undefined) {
      if (e.cmp(a) !== 0) push(out, loc, "value", expected, actual, true, `expected the quantity ${e.toString()}, got ${a.toString()}`);
      return;
    }
  }
  if (expected === actual) return;
  if (typeof actual === "object") return pushType(out, loc, expected, actual, describeType(expected));
  const types = typeof expected === typeof actual ? "" : ` (${typeof expected} vs ${typeof actual})`;
  push(out, loc, "value", expected, actual, true, `expected ${show(expected)}, got ${show(actual)}${types}`);
}

function parseQuantityValue(value: unknown): Quantity | undefined {
  if (typeof value === "string") {
    const parsed = tryParseQuantity(value.trim());
    return parsed.ok ? parsed.quantity : undefined;
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    try {
      return quantityFromJSON(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// ---- mismatches ----

function mismatch(
  loc: Pick<Location, "segments">,
  reason: MismatchReason,
  expected: unknown,
  actual: unknown,
  actualPresent: boolean,
  message: string,
  weight: number,
): Mismatch {
  return {
    path: pathText(loc.segments),
    segments: loc.segments,
    reason,
    expected,
    actual: actualPresent ? actual : undefined,
    actualPresent,
    message,
    weight,
  };
}

function push(
  out: Mismatch[],
  loc: Pick<Location, "segments">,
  reason: MismatchReason,
  expected: unknown,
  actual: unknown,
  actualPresent: boolean,
  message: string,
  weight = 1,
): void {
  out.push(mismatch(loc, reason, expected, actual, actualPresent, message, weight));
}

function pushMissing(out: Mismatch[], loc: Location, expected: unknown): void {
  const what = isPlainObject(expected) && Object.hasOwn(expected, "$absent") ? "the field to be present" : show(expected);
  push(out, loc, "missing", expected, undefined, false, `expected ${what}, but the field is absent`, leafCount(expected));
}

function pushType(out: Mismatch[], loc: Location, expected: unknown, actual: unknown, wanted: string): void {
  push(out, loc, "type", expected, actual, true, `expected ${wanted}, got ${describeType(actual)} ${show(actual)}`, leafCount(expected));
}

function totalWeight(mismatches: readonly Mismatch[]): number {
  return mismatches.reduce((sum, m) => sum + m.weight, 0);
}

/** The number of expected leaves (scalars and operators) an expectation holds; at least 1. */
export function leafCount(expected: unknown): number {
  let n = 0;
  if (Array.isArray(expected)) for (const element of expected) n += leafCount(element);
  else if (isPlainObject(expected)) {
    for (const [key, value] of Object.entries(expected)) {
      if (key === "$key") continue;
      n += key.startsWith("$") && !key.startsWith("$$") ? 1 : leafCount(value);
    }
  } else n = 1;
  return Math.max(n, 1);
}

function stripKey(element: unknown): unknown {
  if (!isPlainObject(element) || !Object.hasOwn(element, "$key")) return element;
  return Object.fromEntries(Object.entries(element).filter(([k]) => k !== "$key"));
}

// ---- paths and text ----

const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `.status.conditions[type=PodScheduled].reason`; the root is `.`. */
export function pathText(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return ".";
  return segments.map(segmentText).join("");
}

function segmentText(segment: PathSegment): string {
  switch (segment.kind) {
    case "field":
      return identifier.test(segment.name) ? `.${segment.name}` : `[${JSON.stringify(segment.name)}]`;
    case "index":
      return `[${segment.index}]`;
    case "key":
      return `[${keyText(segment.fields)}]`;
  }
}

/** `type=PodScheduled`, `key=gpu,effect=NoSchedule`; values with separators are JSON-quoted. */
export function keyText(fields: ReadonlyArray<readonly [string, KeyValue]>): string {
  return fields
    .map(([field, value]) => {
      const text = String(value);
      return `${field}=${typeof value === "string" && /^[^\],=\s"]+$/.test(text) ? text : JSON.stringify(value)}`;
    })
    .join(",");
}

const presentKeysShownMax = 10;

function presentKeys(actual: readonly unknown[], key: ResolvedKey): string {
  const values = actual.map((element) =>
    key.fields
      .map(([field]) => {
        let v: unknown = element;
        for (const part of field.split(".")) v = isPlainObject(v) && Object.hasOwn(v, part) ? v[part] : undefined;
        return v === undefined ? "?" : String(v);
      })
      .join("/"),
  );
  if (values.length === 0) return " (the list is empty)";
  const shown = values.slice(0, presentKeysShownMax).join(", ");
  return ` (present: ${shown}${values.length > presentKeysShownMax ? ", …" : ""})`;
}

const showCharsMax = 80;

/** A short one-line rendering of a value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > showCharsMax ? `${text.slice(0, showCharsMax - 1)}…` : text;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function count(n: number): string {
  return `${n} element${n === 1 ? "" : "s"}`;
}

// ---- helpers ----

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaOf(value: unknown): SchemaNode | undefined {
  if (!isPlainObject(value)) return undefined;
  const { apiVersion, kind } = value;
  return typeof apiVersion === "string" && typeof kind === "string" ? schemaFor(apiVersion, kind) : undefined;
}

/** Deep equality of JSON values; absent equals an empty list or object (Kubernetes omits empty fields). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return isEmpty(b);
  if (b === undefined || b === null) return isEmpty(a);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined && a[k] !== null);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined && b[k] !== null);
    return keys.length === otherKeys.length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}
