// Field selectors (k8s.io/apimachinery/pkg/fields/selector.go): `a=b`, `a==b`, `a!=b` joined by ","
// (AND). In values, `\,` `\=` and `\\` escape the special characters; keys have no escaping and end
// at the first operator. Terms are sorted by their raw text, as upstream does before parsing. A
// missing field reads as "", so `a!=x` matches objects without `a` and `a=` matches them too.

import { compareGoStrings } from "./go-compat.ts";

export type FieldOperator = "=" | "!=";

/** One field requirement (fields.Requirement; "==" is stored as "="). */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export type FieldSet = Readonly<Record<string, string>>;

/** TransformFunc: rewrite a field and value (e.g. map a legacy field name); throw to reject. */
export type FieldTransform = (field: string, value: string) => { field: string; value: string };

/** A field selector parse error; `message` is upstream's error text. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldSelectorError";
  }
}

function get(fields: FieldSet, field: string): string {
  return Object.hasOwn(fields, field) ? (fields[field] ?? "") : "";
}

/** EscapeValue: make a literal safe to use as a selector value. */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (ch) => "\\" + ch);
}

/** UnescapeValue: undo EscapeValue; unescaped `,` `=` and unknown escapes are errors. */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const ch of s) {
    if (inSlash) {
      if (ch !== "\\" && ch !== "," && ch !== "=") {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      inSlash = false;
      continue;
    }
    if (ch === "\\") inSlash = true;
    else if (ch === "," || ch === "=") {
      // Go prints the rune with %v: its code point number.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0) ?? 0}`);
    } else out += ch;
  }
  if (inSlash) throw new FieldSelectorError("invalid field selector: invalid escape sequence: \\");
  return out;
}

export interface FieldSelector {
  matches(fields: FieldSet): boolean;
  /** True when the selector does not restrict anything. */
  empty(): boolean;
  /** The value `field` must equal, if a `=` term on it exists. */
  requiresExactMatch(field: string): string | undefined;
  requirements(): readonly FieldRequirement[];
  /** Canonical text with values escaped; "" when empty. */
  toString(): string;
  /** Apply `fn` to every term; a term rewritten to an empty field and value is dropped. */
  transform(fn: FieldTransform): FieldSelector;
}

function termMatches(t: FieldRequirement, fields: FieldSet): boolean {
  return t.operator === "=" ? get(fields, t.field) === t.value : get(fields, t.field) !== t.value;
}

function termString(t: FieldRequirement): string {
  return `${t.field}${t.operator}${escapeValue(t.value)}`;
}

/** A conjunction of terms (a single term is a conjunction of one). */
class AndSelector implements FieldSelector {
  constructor(private readonly terms: readonly FieldRequirement[]) {}

  matches(fields: FieldSet): boolean {
    return this.terms.every((t) => termMatches(t, fields));
  }

  empty(): boolean {
    return this.terms.length === 0;
  }

  requiresExactMatch(field: string): string | undefined {
    return this.terms.find((t) => t.operator === "=" && t.field === field)?.value;
  }

  requirements(): readonly FieldRequirement[] {
    return this.terms;
  }

  toString(): string {
    return this.terms.map(termString).join(",");
  }

  transform(fn: FieldTransform): FieldSelector {
    const next: FieldRequirement[] = [];
    for (const t of this.terms) {
      const r = fn(t.field, t.value);
      if (r.field.length === 0 && r.value.length === 0) continue;
      next.push({ field: r.field, operator: t.operator, value: r.value });
    }
    return new AndSelector(next);
  }
}

/** fields.Everything(). */
export function everything(): FieldSelector {
  return new AndSelector([]);
}

/** OneTermEqualSelector: field = value. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return new AndSelector([{ field, operator: "=", value }]);
}

/** OneTermNotEqualSelector: field != value. */
export function oneTermNotEqualSelector(field: string, value: string): FieldSelector {
  return new AndSelector([{ field, operator: "!=", value }]);
}

/** SelectorFromSet: every field equals its value (sorted by field for a stable string). */
export function selectorFromSet(set: FieldSet | undefined): FieldSelector {
  const fields = Object.keys(set ?? {}).sort(compareGoStrings);
  return new AndSelector(fields.map((field) => ({ field, operator: "=", value: set?.[field] ?? "" })));
}

/** AndSelectors: all of them. */
export function andSelectors(...selectors: FieldSelector[]): FieldSelector {
  return new AndSelector(selectors.flatMap((s) => [...s.requirements()]));
}

/** splitTerms: split on commas not escaped by a backslash (escapes stay in the terms). */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector.charAt(i);
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ["!=", "==", "="] as const;

/** splitTerm: the first operator occurrence splits field from raw value. */
function splitTerm(term: string): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** ParseAndTransformSelector. Throws FieldSelectorError (or whatever `fn` throws). */
export function parseAndTransformFieldSelector(selector: string, fn: FieldTransform): FieldSelector {
  const terms: FieldRequirement[] = [];
  for (const part of splitTerms(selector).sort(compareGoStrings)) {
    if (part === "") continue;
    const split = splitTerm(part);
    if (split === undefined) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: split.lhs, operator: split.op === "!=" ? "!=" : "=", value: unescapeValue(split.rhs) });
  }
  return new AndSelector(terms).transform(fn);
}

/** fields.ParseSelector: throws FieldSelectorError with upstream's message. "" selects everything. */
export function parseFieldSelector(selector: string): FieldSelector {
  return parseAndTransformFieldSelector(selector, (field, value) => ({ field, value }));
}

export function matches(selector: FieldSelector, fields: FieldSet): boolean {
  return selector.matches(fields);
}
