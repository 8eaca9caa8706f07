// Kubernetes objects (decoded JSON) as CEL values, and CEL results back as plain values.
//
// JSON has one number type; CEL has int and double, and `replicas == 3` compares an int literal.
// So integral numbers become CEL ints (BigInt) unless the kind's schema declares the field a double
// ("number"); other numbers stay doubles. JSON null counts as absent.
//
// Absent scalar fields: Kubernetes omits empty fields, so an unscheduled pod has no spec.nodeName
// and upstream CEL (which sees unstructured JSON) fails on `p.spec.nodeName`. A scenario reads
// better as the Go types see the object — an unset string is "", an unset number 0, an unset bool
// false — so with `absentScalars: "zero"` (the default) every string/integer/number/boolean field
// the kind's schema declares and the object omits reads as that zero value, and
// `pods.all(p, p.spec.nodeName != 'gpu-1')` holds for a pending pod. The price: has() on such a
// field is always true. Time fields (names ending in Time, Timestamp or At) are left absent, so
// `has(object.metadata.deletionTimestamp)` keeps its meaning, as do lists, maps, nested objects,
// int-or-string fields and every field of an unknown kind. `absentScalars: "absent"` gives
// upstream's behaviour (reading an absent field is an error; guard with has() or `.?field`).
import { schemaFor, type SchemaNode } from "../../spec/patch/index.ts";
import { Quantity } from "../../spec/semantics/quantity.ts";

export type AbsentScalars = "zero" | "absent";

const timeField = /(Time|Timestamp|At)$/;

/** Converts a decoded JSON value into a CEL value (a fresh copy; the input is not modified). */
export function toCelValue(value: unknown, absentScalars: AbsentScalars = "zero", schema?: SchemaNode): unknown {
  return convert(value, schema ?? schemaOf(value), absentScalars === "zero");
}

function convert(value: unknown, schema: SchemaNode | undefined, fill: boolean): unknown {
  if (typeof value === "number") {
    return Number.isInteger(value) && schema?.scalarType !== "number" ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = schema?.kind === "list" ? schema.items() : undefined;
    return value.map((item) => convert(item, items ?? schemaOf(item), fill));
  }
  if (!isObject(value)) return value;
  const struct = schema?.kind === "struct" && !schema.opaque ? schema : undefined;
  const values = schema?.kind === "map" ? schema.values() : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    const child = struct !== undefined ? struct.field(key) : values;
    setOwn(out, key, convert(item, child ?? schemaOf(item), fill));
  }
  if (fill && struct !== undefined) fillZeroScalars(out, struct);
  return out;
}

function fillZeroScalars(out: Record<string, unknown>, struct: SchemaNode): void {
  for (const name of struct.fieldNames()) {
    if (Object.hasOwn(out, name) || timeField.test(name)) continue;
    const zero = zeroValue(struct.field(name));
    if (zero !== undefined) setOwn(out, name, zero);
  }
}

function zeroValue(field: SchemaNode | undefined): unknown {
  switch (field?.scalarType) {
    case "string":
      return "";
    case "integer":
      return 0n;
    case "number":
      return 0;
    case "boolean":
      return false;
    default:
      return undefined;
  }
}

/** A CEL result as a plain value: ints as numbers (BigInt beyond 2^53), quantities as strings. */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (value instanceof Quantity) return value.toString();
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCelValue(v)]));
  if (isObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, fromCelValue(item));
    return out;
  }
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A "__proto__" key from JSON stays an own property instead of replacing the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function schemaOf(value: unknown): SchemaNode | undefined {
  if (!isObject(value)) return undefined;
  const { apiVersion, kind } = value;
  return typeof apiVersion === "string" && typeof kind === "string" ? schemaFor(apiVersion, kind) : undefined;
}

// ---- cluster variables ----

/** Kinds that are requests or subresources, not objects a cluster lists. */
const notListed = new Set(["Binding", "Eviction", "Scale"]);

/** The CEL variable holding a kind's objects: the lower-case plural, as the resource is named. */
export function listVariableName(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("s")) return lower === "endpoints" ? lower : `${lower}es`;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The list variables of every served kind: pods, nodes, deployments, replicasets, services, ... */
export function servedListVariables(kinds: readonly string[]): string[] {
  const names = new Set<string>();
  for (const key of kinds) {
    const kind = key.slice(key.lastIndexOf("/") + 1);
    if (!notListed.has(kind)) names.add(listVariableName(kind));
  }
  return [...names].sort();
}

/**
 * Groups objects into list variables by kind (`pods`, `nodes`, ...), in the order given; objects
 * without a kind are skipped. Kinds without a declared variable are grouped too (the caller decides).
 */
export function groupByKind(objects: readonly unknown[]): Record<string, unknown[]> {
  const groups: Record<string, unknown[]> = {};
  for (const object of objects) {
    const kind = isObject(object) ? object["kind"] : undefined;
    if (typeof kind !== "string" || kind === "") continue;
    const name = listVariableName(kind);
    (groups[name] ??= []).push(object);
  }
  return groups;
}
