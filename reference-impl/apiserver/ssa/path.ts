// Field paths (sigs.k8s.io/structured-merge-diff/v4/fieldpath: PathElement, Path). A path names one
// field of an object: a struct field or map key (`f:name`), an item of a map list by its key fields
// (`k:{"name":"nginx"}`), an item of a set by its value (`v:"a"`), or an item of an atomic list by
// index (`i:0`, which only appears when a path points inside an atomic list).
import type { JsonValue } from "../../../spec/patch/json.ts";
import { isJsonObject } from "../../../spec/patch/json.ts";
import { compareGoStrings } from "../../../spec/semantics/go-compat.ts";
import { compareValues, goJson, goJsonString, valuesEqual, valueToString } from "./value.ts";

export interface KeyField {
  readonly name: string;
  readonly value: JsonValue;
}

export type PathElement =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "key"; readonly fields: readonly KeyField[] }
  | { readonly kind: "value"; readonly value: JsonValue }
  | { readonly kind: "index"; readonly index: number };

export type Path = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return { kind: "field", name };
}

/** A map-list key; the fields are sorted by name as upstream keeps them. */
export function keyElement(fields: readonly KeyField[]): PathElement {
  return { kind: "key", fields: [...fields].sort((a, b) => compareGoStrings(a.name, b.name)) };
}

export function valueElement(value: JsonValue): PathElement {
  return { kind: "value", value };
}

export function indexElement(index: number): PathElement {
  return { kind: "index", index };
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** PathElement.Compare: fields < keys < values < indexes, then by content. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] < kindRank[b.kind] ? -1 : 1;
  switch (a.kind) {
    case "field":
      return compareGoStrings(a.name, (b as typeof a).name);
    case "key":
      return compareKeys(a.fields, (b as typeof a).fields);
    case "value":
      return compareValues(a.value, (b as typeof a).value);
    case "index": {
      const other = (b as typeof a).index;
      return a.index === other ? 0 : a.index < other ? -1 : 1;
    }
  }
}

// value.FieldList.Compare: lexical over (name, value) pairs, the shorter list first.
function compareKeys(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const fa = a[i] as KeyField;
    const fb = b[i] as KeyField;
    const byName = compareGoStrings(fa.name, fb.name);
    if (byName !== 0) return byName;
    const byValue = compareValues(fa.value, fb.value);
    if (byValue !== 0) return byValue;
  }
}

export function pathElementsEqual(a: PathElement, b: PathElement): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "field":
      return a.name === (b as typeof a).name;
    case "key": {
      const other = (b as typeof a).fields;
      return (
        a.fields.length === other.length &&
        a.fields.every((f, i) => f.name === other[i]?.name && valuesEqual(f.value, (other[i] as KeyField).value))
      );
    }
    case "value":
      return valuesEqual(a.value, (b as typeof a).value);
    case "index":
      return a.index === (b as typeof a).index;
  }
}

/** PathElement.String: `.name`, `[name="nginx",port=80]`, `[=value]`, `[3]`. */
export function pathElementToString(pe: PathElement): string {
  switch (pe.kind) {
    case "field":
      return "." + pe.name;
    case "key":
      return "[" + pe.fields.map((f) => `${f.name}=${valueToString(f.value)}`).join(",") + "]";
    case "value":
      return `[=${valueToString(pe.value)}]`;
    case "index":
      return `[${pe.index}]`;
  }
}

/** Path.String: the elements concatenated, e.g. `.spec.template.spec.containers[name="nginx"].image`. */
export function pathToString(path: Path): string {
  return path.map(pathElementToString).join("");
}

/** SerializePathElement: the fieldsV1 key for an element. */
export function serializePathElement(pe: PathElement): string {
  switch (pe.kind) {
    case "field":
      return "f:" + pe.name;
    case "key":
      return "k:{" + pe.fields.map((f) => goJsonString(f.name) + ":" + goJson(f.value)).join(",") + "}";
    case "value":
      return "v:" + goJson(pe.value);
    case "index":
      return "i:" + String(pe.index);
  }
}

/** Thrown by deserializePathElement for a key of an unknown type (upstream skips those keys). */
export class UnknownPathElementTypeError extends Error {
  override readonly name = "UnknownPathElementTypeError";
  constructor() {
    super("unknown path element type");
  }
}

/** DeserializePathElement: parses a fieldsV1 key; throws Error on malformed input. */
export function deserializePathElement(s: string): PathElement {
  if (s.length < 2) throw new Error("key must be 2 characters long:");
  if (s.charAt(1) !== ":") throw new Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s.charAt(0)) {
    case "f":
      return fieldElement(body);
    case "v":
      return valueElement(parseJson(body));
    case "k": {
      const parsed = parseJson(body);
      if (!isJsonObject(parsed)) throw new Error(`key is not a JSON object: ${body}`);
      return keyElement(Object.entries(parsed).map(([name, value]) => ({ name, value })));
    }
    case "i": {
      if (!/^[+-]?[0-9]+$/.test(body)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return indexElement(Number.parseInt(body, 10));
    }
    default:
      throw new UnknownPathElementTypeError();
  }
}

function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new Error(`invalid JSON in path element: ${(err as Error).message}`, { cause: err });
  }
}
