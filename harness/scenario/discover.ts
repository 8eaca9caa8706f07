// Finds the scenario files of a folder tree and loads them as a suite. Scenario files are the
// `.yaml` files outside folders named `manifests/` (which hold the plain Kubernetes manifests the
// scenarios refer to). Beyond each file's own checks, names must be unique across the suite.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { positionOf, parseYamlSource } from "../../spec/schemas/yaml-source.ts";
import { checkScenarioFile, diskFiles, ScenarioError, type LoadedScenario, type LoadOptions } from "./load.ts";

/** Folders holding manifests, not scenarios. */
export const manifestFolderName = "manifests";
/** Maximum folder depth searched: scenarios/<area>/<topic>/... is deep enough. */
const maxDepth = 8;

/** Every scenario file under `dir`, sorted. */
export function findScenarioFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string, depth: number) => {
    if (depth > maxDepth) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== manifestFolderName && !entry.name.startsWith(".")) walk(path, depth + 1);
      } else if (entry.name.endsWith(".yaml") || entry.name.endsWith(".yml")) {
        out.push(path);
      }
    }
  };
  walk(dir, 0);
  return out.sort();
}

export interface Suite {
  scenarios: LoadedScenario[];
  errors: ScenarioError[];
}

/** Loads every file; the suite's errors are every file's errors plus duplicate names. */
export function loadSuite(files: readonly string[], options: LoadOptions = {}): Suite {
  const scenarios: LoadedScenario[] = [];
  const errors: ScenarioError[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    const result = checkScenarioFile(file, options);
    errors.push(...result.errors);
    if (result.loaded === undefined) continue;
    const name = result.loaded.scenario.metadata.name;
    const first = byName.get(name);
    if (first !== undefined) {
      const source = parseYamlSource(file, (options.files ?? diskFiles).readText(file) ?? "");
      const { line, column } = positionOf(source, 0, ["metadata", "name"]);
      errors.push(new ScenarioError(file, line, column, "metadata.name", `duplicate scenario name \`${name}\` (also ${first})`));
      continue;
    }
    byName.set(name, file);
    scenarios.push(result.loaded);
  }
  return { scenarios, errors };
}
