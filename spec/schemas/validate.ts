// Validates a YAML document against a JSON Schema and reports every error at once, each at the line
// and column of the field it concerns, in words a reader can act on. Ajv finds the errors; this
// module rewrites the ones whose validator texts are unhelpful (anyOf/oneOf branches, unknown keys,
// enums) and maps each instancePath back to the YAML node.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { JsonObject } from "./builder.ts";
import { formatPath, positionOf, SourceError, type Anchor, type FieldPath, type YamlSource } from "./yaml-source.ts";

/** Compiles a schema document with the settings every loader uses. */
export function compileSchema(document: JsonObject): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
  // An annotation the loaders (and editors) read instead of the validator's message; not a validation keyword.
  ajv.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  return ajv.compile(document);
}

/** A validation problem before positions: where (path, and key or value) and what. */
export interface FieldProblem {
  path: FieldPath;
  anchor: Anchor;
  message: string;
}

/** Validates `value` (document `index` of `source`) and returns its errors with positions. */
export function validateDocument(source: YamlSource, index: number, value: unknown, validate: ValidateFunction): SourceError[] {
  validate(value);
  return problemsToErrors(source, index, schemaProblems(validate.errors ?? [], value));
}

/** Problems placed in the source, in the order they are written (problems at one place keep their order). */
export function problemsToErrors(source: YamlSource, index: number, problems: readonly FieldProblem[]): SourceError[] {
  const errors = problems.map((p) => {
    const { line, column } = positionOf(source, index, p.path, p.anchor);
    return new SourceError(source.file, line, column, formatPath(p.path), p.message);
  });
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Turns Ajv's errors into problems: combinator noise folded, messages reworded, duplicates dropped. */
export function schemaProblems(errors: readonly ErrorObject[], value: unknown): FieldProblem[] {
  const kept = foldCombinators(errors);
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  let nameError: string | undefined;
  for (const e of kept) {
    // Errors about a key (inside propertyNames) come just before their propertyNames error.
    if (e.propertyName !== undefined && e.keyword !== "propertyNames") {
      nameError = e.message;
      continue;
    }
    const problem = reword(e, value, nameError);
    nameError = undefined;
    if (problem === undefined) continue;
    const key = `${formatPath(problem.path)}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/**
 * Ajv reports a failed anyOf/oneOf after the errors of each of its branches. Where the schema gives
 * an errorMessage, or the branches are plain `required` checks, the branch errors are noise: drop
 * them (they come just before, at the same place or below it).
 */
function foldCombinators(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      const folds = hasErrorMessage(e.parentSchema) || requiredBranches(e.parentSchema, e.keyword) !== undefined;
      if (folds) {
        while (out.length > 0 && isWithin((out[out.length - 1] as ErrorObject).instancePath, e.instancePath)) {
          const last = out[out.length - 1] as ErrorObject;
          // Only the branch checks of this same schema, for `required` branches.
          if (!hasErrorMessage(e.parentSchema) && !(last.keyword === "required" && last.schemaPath.startsWith(e.schemaPath))) break;
          out.pop();
        }
      }
    }
    out.push(e);
  }
  return out;
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function hasErrorMessage(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && typeof (schema as { errorMessage?: unknown }).errorMessage === "string";
}

/** The keys of an `exactly one of` / `at least one of` combinator whose branches are `{required: [k]}`. */
function requiredBranches(schema: unknown, keyword: "anyOf" | "oneOf"): string[] | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const branches = (schema as Record<string, unknown>)[keyword];
  if (!Array.isArray(branches)) return undefined;
  const keys: string[] = [];
  for (const b of branches) {
    if (typeof b !== "object" || b === null || Object.keys(b).length !== 1) return undefined;
    const req = (b as { required?: unknown }).required;
    if (!Array.isArray(req) || req.length !== 1 || typeof req[0] !== "string") return undefined;
    keys.push(req[0]);
  }
  return keys;
}

/** JSON pointer → path, typed by the value (array indexes become numbers). */
export function pointerToPath(pointer: string, value: unknown): (string | number)[] {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let current: unknown = value;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current = typeof current === "object" && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

const typeWords: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean (true or false)",
  object: "a mapping",
  array: "a list",
  null: "null",
};

function code(s: unknown): string {
  return `\`${String(s)}\``;
}

function reword(e: ErrorObject, root: unknown, nameError: string | undefined): FieldProblem | undefined {
  const path = pointerToPath(e.instancePath, root);
  const params = e.params as Record<string, unknown>;
  if (hasErrorMessage(e.parentSchema) && e.keyword !== "required" && e.keyword !== "additionalProperties") {
    return { path, anchor: "value", message: (e.parentSchema as { errorMessage: string }).errorMessage };
  }
  switch (e.keyword) {
    case "if":
      return undefined; // the failing `then`/`else` branch has reported its own errors
    case "required":
      return { path, anchor: "key", message: `missing required field ${code(params.missingProperty)}` };
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as { properties?: object }).properties ?? {}) as object);
      return { path: [...path, field], anchor: "key", message: `unknown field ${code(field)}${didYouMean(field, allowed)}` };
    }
    case "dependencies":
      return {
        path: [...path, String(params.property)],
        anchor: "key",
        message: `${code(params.property)} is allowed only beside ${code(params.missingProperty)}`,
      };
    case "oneOf":
    case "anyOf": {
      const keys = requiredBranches(e.parentSchema, e.keyword);
      if (keys === undefined) return { path, anchor: "value", message: e.message ?? "is invalid" };
      return { path, anchor: "key", message: oneOfKeysMessage(e, keys) };
    }
    case "enum":
      return { path, anchor: "value", message: `must be one of ${(params.allowedValues as unknown[]).map((v) => String(v)).join(", ")}` };
    case "const":
      return { path, anchor: "value", message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "type": {
      const types = String(params.type).split(",");
      return { path, anchor: "value", message: `must be ${types.map((t) => typeWords[t] ?? t).join(" or ")}` };
    }
    case "propertyNames":
      return {
        path: [...path, String(params.propertyName)],
        anchor: "key",
        message: `invalid name ${code(params.propertyName)}${nameError !== undefined ? `: ${nameError}` : ""}`,
      };
    case "minItems":
      return { path, anchor: "key", message: params.limit === 1 ? "must not be empty" : `must have at least ${String(params.limit)} items` };
    case "minProperties":
      return { path, anchor: "key", message: params.limit === 1 ? "must not be empty" : `must have at least ${String(params.limit)} fields` };
    case "uniqueItems":
      return { path: [...path, Number(params.j)], anchor: "value", message: `repeats item ${String(params.i)}` };
    default:
      return { path, anchor: "value", message: e.message ?? `fails ${e.keyword}` };
  }
}

function oneOfKeysMessage(e: ErrorObject, keys: readonly string[]): string {
  const data = e.data;
  const present = typeof data === "object" && data !== null ? keys.filter((k) => k in data) : [];
  const title = (e.parentSchema as { title?: unknown }).title;
  const noun = typeof title === "string" ? title.toLowerCase() : undefined;
  if (e.keyword === "anyOf") return `needs at least one of ${keys.map(code).join(", ")}`;
  if (present.length === 0) {
    if (noun === undefined) return `needs one of ${keys.map(code).join(", ")}`;
    if (keys.length <= 8) return `a ${noun} needs a kind: one of ${keys.map(code).join(", ")}`;
    return `a ${noun} needs a kind: one of ${keys.length} kinds such as ${keys.slice(0, 4).map(code).join(", ")} (the schema lists them all)`;
  }
  const what = noun !== undefined ? `a ${noun} has one kind, but this one has` : "only one of these may be given:";
  return `${what} ${present.map(code).join(" and ")}`;
}

/** ` (did you mean \`apply\`?)` when a candidate is close to `word`, else empty. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = closest(word, candidates);
  return best === undefined ? "" : ` (did you mean ${code(best)}?)`;
}

/** The candidate nearest to `word` by edit distance, if near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] as number;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}
