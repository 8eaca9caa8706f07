// Loads a scenario file and reports everything wrong with it at once, before anything runs: YAML
// syntax errors, schema errors (spec/schemas/scenario.schema.json, compiled from the same builders)
// and the semantic checks of checks.ts, each as `file:line:column: field.path: message`.
import { existsSync, readFileSync, statSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { compileSchema, problemsToErrors, schemaProblems } from "../../spec/schemas/validate.ts";
import { parseYamlSource, SourceError } from "../../spec/schemas/yaml-source.ts";
import { checkScenario, fieldKey, type ManifestFile, type ScenarioFiles } from "./checks.ts";
import { scenarioSchemaDocument, type Scenario } from "./format.ts";

export type { ManifestFile, ScenarioFiles } from "./checks.ts";

/** One problem in a scenario file (or a manifest it refers to). */
export class ScenarioError extends SourceError {
  static from(e: SourceError): ScenarioError {
    return new ScenarioError(e.file, e.line, e.column, e.path, e.message);
  }
}

/** Thrown by loadScenarioFile: every error of the file. */
export class ScenarioLoadError extends Error {
  constructor(readonly errors: readonly ScenarioError[]) {
    super(errors.map((e) => e.format()).join("\n"));
    this.name = "ScenarioLoadError";
  }
}

export interface LoadOptions {
  /** Behaviour ids of the catalogue; `metadata.covers` entries outside it are errors. Unchecked when absent. */
  behaviorIds?: readonly string[] | ReadonlySet<string>;
  /** Invariant names; `spec.always` entries outside it are errors. Unchecked when absent. */
  invariants?: readonly string[] | ReadonlySet<string>;
  /** Where files are read from; the real file system when absent. */
  files?: ScenarioFiles;
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  /** The manifest files the scenario refers to (`file:`), by the reference as written. */
  manifests: ReadonlyMap<string, ManifestFile>;
}

export interface CheckedScenario {
  /** Present when there are no errors. */
  loaded?: LoadedScenario;
  errors: ScenarioError[];
}

/** The real file system. */
export const diskFiles: ScenarioFiles = {
  readText(path) {
    try {
      return statSync(path).isFile() ? readFileSync(path, "utf8") : undefined;
    } catch {
      return undefined;
    }
  },
  exists: (path) => existsSync(path),
};

let validator: ValidateFunction | undefined;
function scenarioValidator(): ValidateFunction {
  validator ??= compileSchema(scenarioSchemaDocument());
  return validator;
}

/** Checks a scenario file; never throws for a bad file. */
export function checkScenarioFile(file: string, options: LoadOptions = {}): CheckedScenario {
  const files = options.files ?? diskFiles;
  const text = files.readText(file);
  if (text === undefined) return { errors: [new ScenarioError(file, 1, 1, "", "no such file")] };
  return checkScenarioText(file, text, options);
}

/** Checks scenario text as if it were the file `file` (manifest references resolve next to it). */
export function checkScenarioText(file: string, text: string, options: LoadOptions = {}): CheckedScenario {
  const source = parseYamlSource(file, text);
  const errors: SourceError[] = [...source.errors];
  if (source.documents.length === 0) {
    return { errors: [new ScenarioError(file, 1, 1, "", "empty file: a scenario is one YAML document")] };
  }
  for (let i = 1; i < source.documents.length; i++) {
    const { line, col } = source.lineCounter.linePos(source.documents[i]?.range[0] ?? 0);
    errors.push(new SourceError(file, line, col, "", "a scenario file holds one YAML document; put each scenario in its own file"));
  }
  const value = source.values[0];
  const checks = checkScenario(file, value, options.files ?? diskFiles, {
    ...(options.behaviorIds !== undefined ? { behaviorIds: new Set(options.behaviorIds) } : {}),
    ...(options.invariants !== undefined ? { invariants: new Set(options.invariants) } : {}),
  });
  const validate = scenarioValidator();
  const schemaValid = validate(value) === true;
  const problems = schemaProblems(validate.errors ?? [], value).filter((p) => !checks.suppress.has(fieldKey(p.path)));
  errors.push(...problemsToErrors(source, 0, [...problems, ...checks.problems]));
  const all = sortErrors(file, [...errors, ...checks.fileErrors]).map(ScenarioError.from);
  if (!schemaValid && all.length === 0) all.push(new ScenarioError(file, 1, 1, "", "does not match the scenario schema"));
  if (all.length > 0 || !schemaValid) return { errors: all };
  return { loaded: { file, scenario: value as Scenario, manifests: checks.manifests }, errors: [] };
}

/** Loads a scenario file or throws a ScenarioLoadError listing every problem. */
export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadedScenario {
  const { loaded, errors } = checkScenarioFile(file, options);
  if (loaded === undefined) throw new ScenarioLoadError(errors);
  return loaded;
}

/** The scenario file's own errors first, by position; then other files' errors, by file and position. */
function sortErrors(file: string, errors: readonly SourceError[]): SourceError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = e.format();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) =>
      Number(a.file !== file) - Number(b.file !== file) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );
}
