// Scenario variables. In string values written in the scenario file (never in keys, never in
// manifest files, which stay plain manifests kubectl can apply), `$name` and `${name}` stand for a
// variable's value and `$$` for a literal `$`. A string that is exactly one reference takes the
// value with its type (`replicas: $n` gives a number); inside a longer string the value is printed.
// A `$` not followed by `$`, `{` or a letter or underscore is literal (`Running$` in a regex).

const referencePattern = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
const wholePattern = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** The variable names a string refers to, in order. */
export function varReferences(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(referencePattern)) {
    const name = m[2] ?? m[3];
    if (name !== undefined) names.push(name);
  }
  return names;
}

export class UndefinedVariableError extends Error {
  constructor(readonly variable: string) {
    super(`undefined variable $${variable}`);
  }
}

/** Replaces references in every string of `value` (recursively; keys are left alone). */
export function substitute(value: unknown, vars: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === "string") return substituteString(value, vars);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, vars);
    return out;
  }
  return value;
}

function lookup(name: string, vars: ReadonlyMap<string, unknown>): unknown {
  if (!vars.has(name)) throw new UndefinedVariableError(name);
  return vars.get(name);
}

function substituteString(text: string, vars: ReadonlyMap<string, unknown>): unknown {
  const whole = wholePattern.exec(text);
  if (whole !== null) return lookup((whole[1] ?? whole[2]) as string, vars);
  return text.replace(referencePattern, (_all, escapedOrRef: string, braced?: string, bare?: string) => {
    if (escapedOrRef === "$") return "$";
    const v = lookup((braced ?? bare) as string, vars);
    return typeof v === "string" ? v : JSON.stringify(v);
  });
}

/** Most cases one matrix may expand to: a typo such as a long list should not run for hours. */
export const maxMatrixCases = 64;

/** One case of a matrix: its variables and a name suffix such as `[color=blue,replicas=3]`. */
export interface MatrixCase {
  suffix: string;
  vars: Map<string, unknown>;
}

/** The number of cases a matrix expands to (the product of its list lengths; 1 without a matrix). */
export function matrixSize(matrix: Readonly<Record<string, readonly unknown[]>> | undefined): number {
  return Object.values(matrix ?? {}).reduce((n, values) => n * values.length, 1);
}

/** Every combination of the matrix's values, the first variable varying slowest, with `vars` as a base. */
export function matrixCases(
  vars: Readonly<Record<string, unknown>> | undefined,
  matrix: Readonly<Record<string, readonly unknown[]>> | undefined,
): MatrixCase[] {
  const size = matrixSize(matrix);
  if (size > maxMatrixCases) throw new Error(`the matrix expands to ${size} cases; at most ${maxMatrixCases} are allowed`);
  let cases: { parts: string[]; vars: Map<string, unknown> }[] = [{ parts: [], vars: new Map(Object.entries(vars ?? {})) }];
  for (const [name, values] of Object.entries(matrix ?? {})) {
    cases = cases.flatMap((c) =>
      values.map((v) => ({ parts: [...c.parts, `${name}=${typeof v === "string" ? v : JSON.stringify(v)}`], vars: new Map([...c.vars, [name, v]]) })),
    );
  }
  return cases.map((c) => ({ suffix: c.parts.length === 0 ? "" : `[${c.parts.join(",")}]`, vars: c.vars }));
}
