// JSON values as structured-merge-diff compares, prints and encodes them (sigs.k8s.io/
// structured-merge-diff/v4/value). Field paths embed values (`k:{"name":"x"}`, `v:"a"`), and their
// order, equality and text must match upstream byte for byte, so the managedFields we write read
// exactly like kube-apiserver's.
import type { JsonValue } from "../../../spec/patch/json.ts";
import { isJsonObject } from "../../../spec/patch/json.ts";
import { compareGoStrings, goQuote } from "../../../spec/semantics/go-compat.ts";

/** Rank of a value's type in value.Compare: numbers < strings < booleans < lists < maps < null. */
function typeRank(v: JsonValue): number {
  if (typeof v === "number") return 0;
  if (typeof v === "string") return 1;
  if (typeof v === "boolean") return 2;
  if (Array.isArray(v)) return 3;
  if (v === null) return 5;
  return 4;
}

/**
 * value.Compare: a total order over values of any type. Ints and floats compare numerically (JSON
 * gives us one number type, so the distinction never arises).
 */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === "string" && typeof b === "string") return compareGoStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; ; i++) {
      if (i >= a.length && i >= b.length) return 0;
      if (i >= a.length) return -1;
      if (i >= b.length) return 1;
      const c = compareValues(a[i] as JsonValue, b[i] as JsonValue);
      if (c !== 0) return c;
    }
  }
  if (isJsonObject(a) && isJsonObject(b)) return compareMaps(a, b);
  return 0;
}

// value.MapCompare walks both maps in lexical key order. Unverified detail: which side sorts first
// when one map lacks a key the other has; maps inside field paths are rare in practice.
function compareMaps(a: Readonly<Record<string, JsonValue>>, b: Readonly<Record<string, JsonValue>>): number {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareGoStrings);
  for (const key of keys) {
    const inA = Object.hasOwn(a, key);
    const inB = Object.hasOwn(b, key);
    if (!inA) return 1;
    if (!inB) return -1;
    const c = compareValues(a[key] as JsonValue, b[key] as JsonValue);
    if (c !== 0) return c;
  }
  return 0;
}

/** value.Equals: deep equality, numbers by value. */
export function valuesEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i] as JsonValue));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k] as JsonValue, b[k] as JsonValue));
  }
  return false;
}

/** value.ToString: how a value appears inside a printed path, e.g. `[name="nginx"]`, `[=80]`. */
export function valueToString(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return goQuote(v);
  if (Array.isArray(v)) return "[" + v.map(valueToString).join(",") + "]";
  // Upstream concatenates `k=v` pairs without a separator, in iteration order.
  return Object.entries(v)
    .map(([k, item]) => `${k}=${valueToString(item)}`)
    .join("");
}

const htmlEscapes: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** A string as Go's encoding/json writes it: HTML characters and U+2028/9 escaped, no \b or \f. */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const code = s.charCodeAt(i);
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20) out += "\\u00" + code.toString(16).padStart(2, "0");
    else if (htmlEscapes[ch] !== undefined) out += htmlEscapes[ch];
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
      } else out += "\ufffd";
    } else if (code >= 0xdc00 && code <= 0xdfff) out += "\ufffd";
    else out += ch;
  }
  return out + '"';
}

/** Go's json.Marshal of a decoded JSON value: compact, map keys sorted, HTML-safe strings. */
export function goJson(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return JSON.stringify(v);
  if (typeof v === "string") return goJsonString(v);
  if (Array.isArray(v)) return "[" + v.map(goJson).join(",") + "]";
  const keys = Object.keys(v).sort(compareGoStrings);
  return "{" + keys.map((k) => goJsonString(k) + ":" + goJson(v[k] as JsonValue)).join(",") + "}";
}

/** A short Go-like name for a value's type, for schema error messages. */
export function goKindOf(v: JsonValue): string {
  if (v === null) return "nil";
  if (Array.isArray(v)) return "[]interface {}";
  if (typeof v === "object") return "map[string]interface {}";
  if (typeof v === "number") return Number.isInteger(v) ? "int64" : "float64";
  return typeof v === "boolean" ? "bool" : "string";
}
