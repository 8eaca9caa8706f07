// Label selectors (k8s.io/apimachinery/pkg/labels/selector.go) and metav1.LabelSelector
// (apis/meta/v1/helpers.go LabelSelectorAsSelector, apis/meta/v1/validation ValidateLabelSelector).
//
// String syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, and `a>1` / `a<1`
// (integers), joined by "," (AND). Whitespace (space, tab, CR, LF) separates tokens. Requirements
// are sorted by key, so toString() is canonical. Errors carry upstream's exact text.

import {
  type BadValue,
  type FieldError,
  FieldPath,
  NIL_STRING_SLICE,
  fieldErrorString,
  fieldErrorsMessage,
  forbidden,
  invalid,
  required,
  notSupported,
} from "./field-errors.ts";
import { compareGoStrings, goQuote, sortedGoStrings } from "./go-compat.ts";
import { isQualifiedName, isValidLabelValue, validateLabelName, validateLabels } from "./validation.ts";

/** selection.Operator values. */
export type LabelOperator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt";

const binaryOperators: readonly LabelOperator[] = ["in", "notin", "=", "==", "!=", "gt", "lt"];
const validRequirementOperators: readonly LabelOperator[] = [...binaryOperators, "exists", "!"];

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** As given; the parser hands them over sorted and de-duplicated. */
  readonly values: readonly string[];
}

/** A selector parse or construction error; `message` is upstream's error text. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelSelectorError";
  }
}

function lookup(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(1n << 63n) && n < 1n << 63n ? n : undefined;
}

/** Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const value = lookup(labels, r.key);
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return value !== undefined && r.values.includes(value);
    case "notin":
    case "!=":
      return value === undefined || !r.values.includes(value);
    case "exists":
      return value !== undefined;
    case "!":
      return value === undefined;
    case "gt":
    case "lt": {
      if (value === undefined || r.values.length !== 1) return false;
      const have = parseInt64(value);
      const want = parseInt64(r.values[0] ?? "");
      if (have === undefined || want === undefined) return false;
      return r.operator === "gt" ? have > want : have < want;
    }
  }
}

const operatorText: Readonly<Record<LabelOperator, string>> = {
  "=": "=",
  "==": "==",
  "!=": "!=",
  in: " in ",
  notin: " notin ",
  gt: ">",
  lt: "<",
  exists: "",
  "!": "",
};

/** Requirement.String: `!key`, `key`, `key=v`, `key in (a,b)` (values sorted). */
export function requirementToString(r: Requirement): string {
  if (r.operator === "!") return "!" + r.key;
  if (r.operator === "exists") return r.key;
  const values = r.values.length === 1 ? (r.values[0] ?? "") : sortedGoStrings(r.values).join(",");
  const set = r.operator === "in" || r.operator === "notin";
  return r.key + operatorText[r.operator] + (set ? `(${values})` : values);
}

/** NewRequirement: validates the key, the operator's arity and every value. Throws LabelSelectorError. */
export function newRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
  path: FieldPath | null = null,
): Requirement {
  return checkedRequirement(key, operator, values, path, values);
}

/** `shown` is how the values print in arity errors (Go distinguishes a nil slice from an empty one). */
function checkedRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
  path: FieldPath | null,
  shown: BadValue,
): Requirement {
  const errs = requirementErrors(key, operator, values, path, shown);
  if (errs.length > 0) throw new LabelSelectorError(fieldErrorsMessage(errs));
  return { key, operator, values: [...values] };
}

function requirementErrors(
  key: string,
  operator: string,
  values: readonly string[],
  path: FieldPath | null,
  shown: BadValue,
): FieldError[] {
  const errs: FieldError[] = [];
  const child = (name: string): FieldPath => (path === null ? FieldPath.of(name) : path.child(name));
  const keyErr = labelKeyError(key, child("key"));
  if (keyErr !== undefined) errs.push(keyErr);
  const valuesPath = child("values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) errs.push(invalid(valuesPath, shown, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) errs.push(invalid(valuesPath, shown, "exact-match compatibility requires one single value"));
      break;
    case "exists":
    case "!":
      if (values.length !== 0) errs.push(invalid(valuesPath, shown, "values set must be empty for exists and does not exist"));
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) errs.push(invalid(valuesPath, shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalid(valuesPath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(notSupported(child("operator"), operator, validRequirementOperators));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) errs.push(invalid(valuesPath.index(i).key(key), v, msgs.join("; ")));
  });
  return errs;
}

/** validateLabelKey: one error whose detail joins all IsQualifiedName messages. */
function labelKeyError(key: string, path: FieldPath | null): FieldError | undefined {
  const msgs = isQualifiedName(key);
  return msgs.length > 0 ? invalid(path, key, msgs.join("; ")) : undefined;
}

export interface LabelSelector {
  matches(labels: Labels): boolean;
  /** True when the selector does not restrict anything (Everything). */
  empty(): boolean;
  /** Canonical text; "" for Everything and for Nothing. */
  toString(): string;
  /** The requirements, or `selectable: false` for Nothing. */
  requirements(): { requirements: readonly Requirement[]; selectable: boolean };
  /** A new selector with more requirements (sorted by key). */
  add(...reqs: Requirement[]): LabelSelector;
  /** The single value `key` must equal (`=`, `==`, or `in` with one value), if any. */
  requiresExactMatch(key: string): string | undefined;
}

function byKey(a: Requirement, b: Requirement): number {
  return compareGoStrings(a.key, b.key);
}

class RequirementsSelector implements LabelSelector {
  private readonly reqs: readonly Requirement[];

  constructor(reqs: readonly Requirement[]) {
    this.reqs = [...reqs].sort(byKey);
  }

  matches(labels: Labels): boolean {
    return this.reqs.every((r) => requirementMatches(r, labels));
  }

  empty(): boolean {
    return this.reqs.length === 0;
  }

  toString(): string {
    return this.reqs.map(requirementToString).join(",");
  }

  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return { requirements: this.reqs, selectable: true };
  }

  add(...reqs: Requirement[]): LabelSelector {
    return new RequirementsSelector([...this.reqs, ...reqs]);
  }

  requiresExactMatch(key: string): string | undefined {
    const r = this.reqs.find((x) => x.key === key);
    if (r === undefined) return undefined;
    const exact = r.operator === "=" || r.operator === "==" || r.operator === "in";
    return exact && r.values.length === 1 ? r.values[0] : undefined;
  }
}

class NothingSelector implements LabelSelector {
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return "";
  }
  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return { requirements: [], selectable: false };
  }
  add(): LabelSelector {
    return this;
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
}

const everythingSelector: LabelSelector = new RequirementsSelector([]);
const nothingSelector: LabelSelector = new NothingSelector();

/** labels.Everything(): matches all label sets. */
export function everything(): LabelSelector {
  return everythingSelector;
}

/** labels.Nothing(): matches none. */
export function nothing(): LabelSelector {
  return nothingSelector;
}

export function matchesNothing(selector: LabelSelector): boolean {
  return selector === nothingSelector;
}

/** SelectorFromSet (no validation): every key must equal its value; empty matches everything. */
export function selectorFromSet(set: Labels | undefined): LabelSelector {
  const entries = Object.entries(set ?? {});
  return new RequirementsSelector(entries.map(([key, value]) => ({ key, operator: "=", values: [value] })));
}

/** ValidatedSelectorFromSet: as selectorFromSet, but throws on an invalid key or value. */
export function validatedSelectorFromSet(set: Labels | undefined): LabelSelector {
  const keys = sortedGoStrings(Object.keys(set ?? {}));
  return new RequirementsSelector(keys.map((k) => newRequirement(k, "=", [set?.[k] ?? ""])));
}

export function matches(selector: LabelSelector, labels: Labels): boolean {
  return selector.matches(labels);
}

// ---- lexer ----

type Token =
  | "error"
  | "eos"
  | ")"
  | ","
  | "!"
  | "=="
  | "="
  | ">"
  | "identifier"
  | "in"
  | "<"
  | "!="
  | "notin"
  | "(";

interface ScannedItem {
  tok: Token;
  literal: string;
}

const literalTokens: ReadonlyMap<string, Token> = new Map<string, Token>([
  [")", ")"],
  [",", ","],
  ["!", "!"],
  ["==", "=="],
  ["=", "="],
  [">", ">"],
  ["in", "in"],
  ["<", "<"],
  ["!=", "!="],
  ["notin", "notin"],
  ["(", "("],
]);

function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
}

function isSpecialSymbol(ch: string): boolean {
  return "=!(),><".includes(ch) && ch.length === 1;
}

/** Upstream's Lexer: NUL ends the input as the end of the string does. */
class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  private read(): string {
    if (this.pos < this.s.length) return this.s.charAt(this.pos++);
    return "\0";
  }

  private unread(): void {
    this.pos--;
  }

  private scanIdOrKeyword(): ScannedItem {
    let buffer = "";
    for (;;) {
      const ch = this.read();
      if (ch === "\0") break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    return { tok: literalTokens.get(buffer) ?? "identifier", literal: buffer };
  }

  /** The longest operator made of special symbols: "!=" rather than "!" then "=". */
  private scanSpecialSymbol(): ScannedItem {
    let buffer = "";
    let last: ScannedItem | undefined;
    for (;;) {
      const ch = this.read();
      if (ch === "\0") break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const tok = literalTokens.get(buffer);
      if (tok !== undefined) last = { tok, literal: buffer };
      else if (last !== undefined) {
        this.unread();
        break;
      }
    }
    return last ?? { tok: "error", literal: `error expected: keyword found '${buffer}'` };
  }

  lex(): ScannedItem {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === "\0") return { tok: "eos", literal: "" };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }
}

// ---- parser ----

type Context = "keyAndOperator" | "values";

class Parser {
  private readonly items: ScannedItem[] = [];
  private position = 0;

  constructor(input: string) {
    const lexer = new Lexer(input);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.tok === "eos") break;
    }
  }

  /** In a values context the keywords `in` and `notin` are plain identifiers. */
  private view(item: ScannedItem, context: Context): ScannedItem {
    if (context === "values" && (item.tok === "in" || item.tok === "notin")) return { tok: "identifier", literal: item.literal };
    return item;
  }

  private lookahead(context: Context): ScannedItem {
    return this.view(this.items[this.position] ?? { tok: "eos", literal: "" }, context);
  }

  private consume(context: Context): ScannedItem {
    const item = this.items[this.position] ?? { tok: "eos", literal: "" };
    this.position++;
    return this.view(item, context);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead("values");
      if (tok === "eos") return reqs;
      if (tok !== "identifier" && tok !== "!") {
        throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const next = this.consume("values");
      if (next.tok === "eos") return reqs;
      if (next.tok !== ",") throw new LabelSelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.lookahead("values");
      if (after.tok !== "identifier" && after.tok !== "!") {
        throw new LabelSelectorError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === "exists" || operator === "!") return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === "in" || op === "notin" ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, sortedGoStrings(values));
  }

  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let item = this.consume("values");
    if (item.tok === "!") {
      operator = "!";
      item = this.consume("values");
    }
    if (item.tok !== "identifier") throw new LabelSelectorError(`found '${item.literal}', expected: identifier`);
    // The parser validates the key against a nil path: the message starts with "<nil>: ".
    const keyErr = labelKeyError(item.literal, null);
    if (keyErr !== undefined) throw new LabelSelectorError(fieldErrorString(keyErr));
    const next = this.lookahead("values").tok;
    if ((next === "eos" || next === ",") && operator !== "!") operator = "exists";
    return { key: item.literal, operator };
  }

  private parseOperator(): LabelOperator {
    const { tok, literal } = this.consume("keyAndOperator");
    switch (tok) {
      case "in":
        return "in";
      case "=":
        return "=";
      case "==":
        return "==";
      case ">":
        return "gt";
      case "<":
        return "lt";
      case "notin":
        return "notin";
      case "!=":
        return "!=";
      default:
        throw new LabelSelectorError(`found '${literal}', expected: ${binaryOperators.join(", ")}`);
    }
  }

  /** `(a,b)`; empty entries such as in `()`, `(,a)` or `(a,)` are the empty string. */
  private parseValues(): Set<string> {
    const open = this.consume("values");
    if (open.tok !== "(") throw new LabelSelectorError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead("values");
    if (tok === ")") {
      this.consume("values");
      return new Set([""]);
    }
    if (tok !== "identifier" && tok !== ",") {
      throw new LabelSelectorError(`found '${literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    if (this.consume("values").tok !== ")") throw new LabelSelectorError(`found '${literal}', expected: ')'`);
    return values;
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume("values");
      if (tok === "identifier") {
        values.add(literal);
        const next = this.lookahead("values");
        if (next.tok === ",") continue;
        if (next.tok === ")") return values;
        throw new LabelSelectorError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (tok !== ",") throw new LabelSelectorError(`found '${literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add(""); // "(,"
      const next = this.lookahead("values").tok;
      if (next === ")") {
        values.add(""); // ",)"
        return values;
      }
      if (next === ",") values.add(""); // ",,"
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead("values").tok;
    if (next === "eos" || next === ",") return new Set([""]);
    const { tok, literal } = this.consume("values");
    if (tok === "identifier") return new Set([literal]);
    throw new LabelSelectorError(`found '${literal}', expected: identifier`);
  }
}

/** labels.Parse: throws LabelSelectorError with upstream's message. "" selects everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  return new RequirementsSelector(new Parser(selector).parse());
}

/** labels.ParseToRequirements: the requirements sorted by key. */
export function parseToRequirements(selector: string): Requirement[] {
  return [...new Parser(selector).parse()].sort(byKey);
}

// ---- metav1.LabelSelector ----

export type LabelSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface LabelSelectorRequirement {
  readonly key: string;
  /** A LabelSelectorOperator when valid; a string because it comes from user input. */
  readonly operator: string;
  readonly values?: readonly string[];
}

/** metav1.LabelSelector as it appears in objects (Deployment.spec.selector, PDB, affinity...). */
export interface MetaLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

const metaOperators: Readonly<Record<LabelSelectorOperator, LabelOperator>> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * LabelSelectorAsSelector: null/undefined matches nothing, an empty selector matches everything.
 * Throws LabelSelectorError (matchLabels are checked in sorted key order for a stable message).
 */
export function labelSelectorAsSelector(ps: MetaLabelSelector | null | undefined): LabelSelector {
  if (ps === null || ps === undefined) return nothing();
  const matchLabels = ps.matchLabels ?? {};
  const expressions = ps.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return everything();
  const reqs: Requirement[] = [];
  for (const k of sortedGoStrings(Object.keys(matchLabels))) reqs.push(newRequirement(k, "=", [matchLabels[k] ?? ""]));
  for (const expr of expressions) {
    const op = Object.hasOwn(metaOperators, expr.operator)
      ? metaOperators[expr.operator as LabelSelectorOperator]
      : undefined;
    if (op === undefined) throw new LabelSelectorError(`${goQuote(expr.operator)} is not a valid pod selector operator`);
    // Upstream copies the values with append([]string(nil), ...): none at all is a nil slice.
    const values = expr.values ?? [];
    reqs.push(checkedRequirement(expr.key, op, values, null, values.length === 0 ? NIL_STRING_SLICE : values));
  }
  return new RequirementsSelector(reqs);
}

/** FormatLabelSelector: "<none>" for an empty result, "<error>" for an invalid selector. */
export function formatLabelSelector(ps: MetaLabelSelector | null | undefined): string {
  try {
    const s = labelSelectorAsSelector(ps).toString();
    return s.length === 0 ? "<none>" : s;
  } catch (e) {
    if (e instanceof LabelSelectorError) return "<error>";
    throw e;
  }
}

export interface LabelSelectorValidationOptions {
  /** Upstream's AllowInvalidLabelValueInSelector (set when updating an object that already had one). */
  readonly allowInvalidLabelValueInSelector?: boolean;
}

/** ValidateLabelSelectorRequirement. */
export function validateLabelSelectorRequirement(
  sr: LabelSelectorRequirement,
  path: FieldPath,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const values = sr.values ?? [];
  switch (sr.operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) errs.push(required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) {
        errs.push(forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      break;
    default:
      errs.push(invalid(path.child("operator"), sr.operator, "not a valid selector operator"));
  }
  errs.push(...validateLabelName(sr.key, path.child("key")));
  if (opts.allowInvalidLabelValueInSelector !== true) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(path.child("values").index(i), v, msg));
    });
  }
  return errs;
}

/** ValidateLabelSelector: matchLabels as labels, each expression as a requirement. */
export function validateLabelSelector(
  ps: MetaLabelSelector | null | undefined,
  path: FieldPath,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (ps === null || ps === undefined) return [];
  const errs = validateLabels(ps.matchLabels, path.child("matchLabels"));
  (ps.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, path.child("matchExpressions").index(i), opts));
  });
  return errs;
}
