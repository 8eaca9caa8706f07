// Loads the behaviour catalogue (every spec/behaviors/*.yaml) and reports every problem at once:
// YAML and schema errors with line and column, a file whose name is not its area, ids outside their
// area or defined twice, and `tests:` entries naming files that do not exist.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { compileSchema, validateDocument } from "../schemas/validate.ts";
import { parseYamlSource, positionOf, SourceError, type YamlSource } from "../schemas/yaml-source.ts";
import { catalogueSchemaDocument, type Behavior, type CatalogueFile } from "./catalogue.ts";

/** This folder: where the catalogue lives. */
export const catalogueDir = fileURLToPath(new URL(".", import.meta.url));
/** The repository root, against which `tests:` paths resolve. */
export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface CatalogueFiles {
  /** The `.yaml` files of a folder, full paths, sorted. */
  listYaml(dir: string): string[];
  readText(path: string): string;
  exists(path: string): boolean;
}

export const diskCatalogueFiles: CatalogueFiles = {
  listYaml: (dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => join(dir, f)),
  readText: (path) => readFileSync(path, "utf8"),
  exists: (path) => existsSync(path),
};

export interface Catalogue {
  behaviors: Behavior[];
  byId: ReadonlyMap<string, Behavior>;
}

export interface CatalogueResult {
  catalogue: Catalogue;
  errors: SourceError[];
}

export interface CatalogueOptions {
  dir?: string;
  root?: string;
  files?: CatalogueFiles;
}

let validator: ValidateFunction | undefined;

export function loadCatalogue(options: CatalogueOptions = {}): CatalogueResult {
  const dir = options.dir ?? catalogueDir;
  const root = options.root ?? repositoryRoot;
  const files = options.files ?? diskCatalogueFiles;
  validator ??= compileSchema(catalogueSchemaDocument());
  const behaviors: Behavior[] = [];
  const byId = new Map<string, Behavior>();
  const errors: SourceError[] = [];
  for (const path of files.listYaml(dir)) {
    const source = parseYamlSource(path, files.readText(path));
    errors.push(...source.errors);
    if (source.documents.length !== 1) {
      errors.push(new SourceError(path, 1, 1, "", "a catalogue file holds one YAML document"));
      continue;
    }
    const value = source.values[0];
    const schemaErrors = validateDocument(source, 0, value, validator);
    errors.push(...schemaErrors);
    if (schemaErrors.length > 0 || source.errors.length > 0) continue;
    const file = value as CatalogueFile;
    errors.push(...checkFile(source, file, root, files));
    for (const [i, entry] of file.behaviors.entries()) {
      const { line } = positionOf(source, 0, ["behaviors", i]);
      const behavior: Behavior = { ...entry, area: file.area, file: path, line };
      const first = byId.get(entry.id);
      if (first !== undefined) {
        const at = positionOf(source, 0, ["behaviors", i, "id"]);
        errors.push(new SourceError(path, at.line, at.column, `behaviors[${i}].id`, `duplicate id \`${entry.id}\` (first at ${first.file}:${first.line})`));
        continue;
      }
      byId.set(entry.id, behavior);
      behaviors.push(behavior);
    }
  }
  return { catalogue: { behaviors, byId }, errors };
}

function checkFile(source: YamlSource, file: CatalogueFile, root: string, files: CatalogueFiles): SourceError[] {
  const errors: SourceError[] = [];
  const error = (path: (string | number)[], shown: string, message: string) => {
    const { line, column } = positionOf(source, 0, path);
    errors.push(new SourceError(source.file, line, column, shown, message));
  };
  if (basename(source.file) !== `${file.area}.yaml`) {
    error(["area"], "area", `the file of area \`${file.area}\` must be named ${file.area}.yaml`);
  }
  for (const [i, entry] of file.behaviors.entries()) {
    if (!entry.id.startsWith(`${file.area}.`)) {
      error(["behaviors", i, "id"], `behaviors[${i}].id`, `id \`${entry.id}\` must start with its area: \`${file.area}.\``);
    }
    if (entry.status === "covered" && entry.reason !== undefined) {
      error(["behaviors", i, "reason"], `behaviors[${i}].reason`, "a reason is for planned behaviours; remove it or set status: planned");
    }
    for (const [j, test] of (entry.tests ?? []).entries()) {
      if (!files.exists(join(root, test))) error(["behaviors", i, "tests", j], `behaviors[${i}].tests[${j}]`, `no such test file \`${test}\``);
    }
  }
  return errors;
}
