// CEL expressions over the cluster's objects, for scenario expectations such as
//   pods.all(p, p.spec.nodeName != 'gpu-1')
//   pods.filter(p, p.status.phase == 'Running').size() == 3
//   quantity(object.status.allocatable.cpu).isGreaterThan(quantity('500m'))
//
// Variables: one list per served kind, named like its resource (pods, nodes, deployments,
// replicasets, services, endpoints, endpointslices, events, namespaces, ...; empty when not given),
// `object` for the object a step is about, `vars` for the scenario's bindings — each binding whose
// name is an identifier (and not one of the names above) is also a variable of its own.
// Values are converted as cel-values.ts describes (JSON integers are CEL ints, absent scalar fields
// of known kinds read as Go zero values by default).
//
// Functions: CEL's standard library and macros (has, all, exists, exists_one, map, filter), optional
// field access (`p.spec.?nodeName.orValue('')`), and the Kubernetes libraries: quantity
// (cel-quantity.ts), lists (cel-lists.ts), strings and regex (cel-strings.ts). Not provided: the
// URL, IP/CIDR, authorizer, format and semver libraries, strings.quote() and string.format().
// cel-js limits has() to a chain of fields from a variable: has(p.spec.nodeName) inside a macro
// works, has(pods[0].spec.nodeName) does not compile.
import { Environment, EvaluationError, ParseError, TypeError as CelTypeError } from "@marcbachmann/cel-js";
import { servedKinds } from "../../spec/patch/index.ts";
import { registerListsLibrary, celTypeName } from "./cel-lists.ts";
import { registerQuantityLibrary } from "./cel-quantity.ts";
import { registerStringsLibrary } from "./cel-strings.ts";
import { fromCelValue, groupByKind, isObject, servedListVariables, toCelValue, type AbsentScalars } from "./cel-values.ts";

/** The list variables, one per served kind. */
export const listVariables: readonly string[] = servedListVariables(servedKinds());

const fixedNames: ReadonlySet<string> = new Set([...listVariables, "object", "vars"]);

/** CEL's reserved words cannot name a variable. */
const reserved = new Set(
  "in as break const continue else for function if import let loop package namespace return var void while true false null".split(" "),
);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Input to an expression: list variables by name, `object`, `vars`; all optional. */
export type CelInput = Readonly<Record<string, unknown>>;

export interface CelOptions {
  /** How absent scalar fields of known kinds read (see cel-values.ts); default "zero". */
  readonly absentScalars?: AbsentScalars;
}

export interface CelPosition {
  /** 0-based offset into the expression. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type CelPhase = "compile" | "evaluate";

export class CelError extends Error {
  constructor(
    readonly phase: CelPhase,
    readonly expression: string,
    /** The problem in one line, without the position. */
    readonly summary: string,
    readonly position: CelPosition | undefined,
  ) {
    super(formatCelError(phase, expression, summary, position));
    this.name = "CelError";
  }
}

function formatCelError(phase: CelPhase, expression: string, summary: string, position: CelPosition | undefined): string {
  const what = phase === "compile" ? "CEL expression does not compile" : "CEL expression failed";
  if (position === undefined) return `${what}: ${summary}\n    ${expression}`;
  const lineText = expression.split("\n")[position.line - 1] ?? "";
  const caret = `${" ".repeat(position.column - 1)}^`;
  return `${what} at line ${position.line}, column ${position.column}: ${summary}\n    ${lineText}\n    ${caret}`;
}

export function positionOf(expression: string, offset: number): CelPosition {
  const before = expression.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { offset, line: before.split("\n").length, column: offset - lineStart + 1 };
}

function toCelError(error: unknown, phase: CelPhase, expression: string): CelError {
  if (error instanceof CelError) return error;
  if (error instanceof ParseError || error instanceof EvaluationError || error instanceof CelTypeError) {
    const start = error.range?.start;
    let summary = error.summary;
    if (error.code === "no_such_key") summary += " (the field is absent: guard with has(x.field), or read x.?field.orValue(default))";
    return new CelError(phase, expression, summary, start === undefined ? undefined : positionOf(expression, start));
  }
  return new CelError(phase, expression, error instanceof Error ? error.message : String(error), undefined);
}

// ---- environments ----

let baseEnvironment: Environment | undefined;
const environments = new Map<string, Environment>();
const environmentsMax = 64;

function base(): Environment {
  if (baseEnvironment !== undefined) return baseEnvironment;
  const env = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true });
  registerQuantityLibrary(env);
  registerListsLibrary(env);
  registerStringsLibrary(env);
  for (const name of listVariables) env.registerVariable(name, "list<map>");
  env.registerVariable("object", "map");
  env.registerVariable("vars", "map");
  baseEnvironment = env;
  return env;
}

/** Binding names usable as variables of their own (identifiers, not reserved, not taken). */
export function bindableNames(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => identifier.test(n) && !reserved.has(n) && !fixedNames.has(n)).sort();
}

function environmentFor(bindings: readonly string[]): Environment {
  if (bindings.length === 0) return base();
  const key = bindings.join(",");
  const cached = environments.get(key);
  if (cached !== undefined) return cached;
  const env = base().clone();
  for (const name of bindings) env.registerVariable(name, "dyn");
  if (environments.size >= environmentsMax) environments.delete(environments.keys().next().value as string);
  environments.set(key, env);
  return env;
}

// ---- programs ----

type Parsed = ReturnType<Environment["parse"]>;

/** A compiled expression: compile once, evaluate after every event. */
export class CelProgram {
  private constructor(
    readonly expression: string,
    /** Binding names the expression may use as variables of their own. */
    readonly bindings: readonly string[],
    private readonly parsed: Parsed,
    private readonly opts: CelOptions,
  ) {}

  /** Parses and type-checks; throws CelError (phase "compile") with the position of the problem. */
  static compile(expression: string, bindings: readonly string[] = [], opts: CelOptions = {}): CelProgram {
    const names = bindableNames(bindings);
    const env = environmentFor(names);
    let parsed: Parsed;
    try {
      parsed = env.parse(expression);
    } catch (e) {
      throw toCelError(e, "compile", expression);
    }
    const checked = parsed.check();
    if (!checked.valid) throw toCelError(checked.error, "compile", expression);
    return new CelProgram(expression, names, parsed, opts);
  }

  /** The value of the expression (ints as numbers, quantities as strings); throws CelError. */
  evaluate(input: CelInput = {}): unknown {
    let result: unknown;
    try {
      result = this.parsed(this.context(input));
    } catch (e) {
      throw toCelError(e, "evaluate", this.expression);
    }
    return fromCelValue(result);
  }

  /** The value, which must be a bool (an expectation); throws CelError otherwise. */
  evaluateBool(input: CelInput = {}): boolean {
    const value = this.evaluate(input);
    if (typeof value === "boolean") return value;
    const type = celTypeName(typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value);
    throw new CelError("evaluate", this.expression, `the expression gives ${type} ${JSON.stringify(value) ?? String(value)}, not a bool`, undefined);
  }

  /** Variables convert lazily: only those the expression reads are converted. */
  private context(input: CelInput): Record<string, unknown> {
    const absent = this.opts.absentScalars ?? "zero";
    const vars = input["vars"];
    const sources: Record<string, () => unknown> = {};
    for (const name of listVariables) sources[name] = () => toCelValue(input[name] ?? [], absent);
    if (input["object"] !== undefined) sources["object"] = () => toCelValue(input["object"], absent);
    sources["vars"] = () => toCelValue(vars ?? {}, absent);
    for (const name of this.bindings) {
      const value = isObject(vars) && Object.hasOwn(vars, name) ? vars[name] : input[name];
      if (value !== undefined) sources[name] = () => toCelValue(value, absent);
    }
    const context: Record<string, unknown> = {};
    for (const [name, convert] of Object.entries(sources)) {
      let memo: { value: unknown } | undefined;
      Object.defineProperty(context, name, {
        enumerable: true,
        get: () => (memo ??= { value: convert() }).value,
      });
    }
    return context;
  }
}

/** Compiles `expression`; the bindings are the names of the scenario's `$vars`. */
export function compile(expression: string, bindings: readonly string[] = [], opts: CelOptions = {}): CelProgram {
  return CelProgram.compile(expression, bindings, opts);
}

/** Compiles and evaluates in one go; bindings are taken from `input.vars`. */
export function evaluate(expression: string, input: CelInput = {}, opts: CelOptions = {}): unknown {
  const vars = input["vars"];
  return compile(expression, isObject(vars) ? Object.keys(vars) : [], opts).evaluate(input);
}

/** The input for a set of cluster objects: each kind's objects under its list variable. */
export function clusterInput(objects: readonly unknown[], extra: { object?: unknown; vars?: Record<string, unknown> } = {}): CelInput {
  const input: Record<string, unknown> = {};
  for (const [name, list] of Object.entries(groupByKind(objects))) if (listVariables.includes(name)) input[name] = list;
  if (extra.object !== undefined) input["object"] = extra.object;
  if (extra.vars !== undefined) input["vars"] = extra.vars;
  return input;
}
