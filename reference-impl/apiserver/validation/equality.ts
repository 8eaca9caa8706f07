// apiequality.Semantic.DeepEqual over decoded JSON, and a readable diff for messages that upstream
// builds with go-cmp (pod spec immutability).
//
// Upstream compares Go structs, where an absent JSON field and its zero value are the same thing,
// nil and empty slices/maps are equal (conversion.Equalities), and quantities compare by value
// ("1" equals "1000m"). JSON keeps those apart, so this equality treats undefined, null, "", 0,
// false, [] and {} alike and compares the values of resource lists as quantities.

import { goQuote } from "../../../spec/semantics/go-compat.ts";
import { tryParseQuantity } from "../../../spec/semantics/quantity.ts";

/** Keys whose value is a map of quantities (ResourceList) or a single quantity. */
const QUANTITY_MAP_KEYS = new Set([
  "limits",
  "requests",
  "overhead",
  "capacity",
  "allocatable",
  "hard",
  "used",
  "min",
  "max",
  "default",
  "defaultRequest",
  "maxLimitRequestRatio",
]);
const QUANTITY_KEYS = new Set(["sizeLimit", "divisor"]);

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.values(v).every((x) => x === undefined);
  return false;
}

function quantityEqual(a: unknown, b: unknown): boolean | undefined {
  if ((typeof a !== "string" && typeof a !== "number") || (typeof b !== "string" && typeof b !== "number")) {
    return undefined;
  }
  const qa = tryParseQuantity(String(a));
  const qb = tryParseQuantity(String(b));
  return qa.ok && qb.ok ? qa.quantity.cmp(qb.quantity) === 0 : undefined;
}

type Kind = "plain" | "quantity" | "quantityMap";

function childKind(key: string, parent: Kind): Kind {
  if (parent === "quantityMap") return "quantity";
  if (QUANTITY_MAP_KEYS.has(key)) return "quantityMap";
  if (QUANTITY_KEYS.has(key)) return "quantity";
  return "plain";
}

function equalAt(a: unknown, b: unknown, kind: Kind): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (kind === "quantity") {
    const q = quantityEqual(a, b);
    if (q !== undefined) return q;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => equalAt(x, b[i], kind === "quantityMap" ? "plain" : kind));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) if (!equalAt(ra[k], rb[k], childKind(k, kind))) return false;
    return true;
  }
  return a === b;
}

/** apiequality.Semantic.DeepEqual for decoded JSON values. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return equalAt(a, b, "plain");
}

/** reflect.DeepEqual-like: exact JSON equality, but absent and null are the same. */
export function strictEqual(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => strictEqual(x, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) if (!strictEqual(ra[k], rb[k])) return false;
    return true;
  }
  return a === b;
}

// ---- diff ----

const DIFF_LINES_MAX = 64;

function goFieldName(key: string): string {
  return key.length === 0 ? key : key.charAt(0).toUpperCase() + key.slice(1);
}

function render(v: unknown): string {
  if (v === undefined || v === null) return "nil";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function collect(a: unknown, b: unknown, at: string, kind: Kind, out: string[]): void {
  if (out.length >= DIFF_LINES_MAX || equalAt(a, b, kind)) return;
  const bothObjects =
    typeof a === "object" && a !== null && !Array.isArray(a) && typeof b === "object" && b !== null && !Array.isArray(b);
  const bothArrays = Array.isArray(a) && Array.isArray(b) && a.length === b.length;
  if (bothObjects && kind !== "quantityMap") {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
    for (const k of keys) collect(ra[k], rb[k], at === "" ? goFieldName(k) : `${at}.${goFieldName(k)}`, childKind(k, kind), out);
    return;
  }
  if (bothArrays) {
    (a as unknown[]).forEach((x, i) => collect(x, (b as unknown[])[i], `${at}[${i}]`, kind, out));
    return;
  }
  out.push(`- \t${at}: ${render(a)},`, `+ \t${at}: ${render(b)},`);
}

/**
 * A go-cmp style diff (`-` old, `+` new) of two objects, one line pair per changed field. It is
 * not byte-identical to go-cmp, whose output upstream itself documents as unstable.
 */
export function specDiff(typeName: string, oldValue: unknown, newValue: unknown): string {
  const lines: string[] = [];
  collect(oldValue, newValue, "", "plain", lines);
  return [`  ${typeName}{`, ...lines, "  }", ""].join("\n");
}
