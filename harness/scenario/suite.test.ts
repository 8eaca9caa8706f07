// The repository's suite as a whole: every scenario file loads cleanly against the catalogue, the
// catalogue loads cleanly, and coverage holds — every behaviour not planned is covered by a scenario
// or a test, and nothing covers an unknown id (DESIGN.md, "Behaviours catalogue").
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalogueTests, coverage, findCoverTags, formatCoverageProblems } from "../../spec/behaviors/coverage.ts";
import { loadCatalogue } from "../../spec/behaviors/load.ts";
import { findScenarioFiles, loadSuite } from "./discover.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("the repository's scenarios and catalogue", () => {
  const { catalogue, errors: catalogueErrors } = loadCatalogue();
  // No invariant registry exists yet (spec/invariants has only the watch guarantees), so invariant
  // names are not checked here; pass the registry's names once it exists.
  const suite = loadSuite(findScenarioFiles(`${root}scenarios`), { behaviorIds: new Set(catalogue.byId.keys()) });

  it("every scenario file and catalogue file loads without errors", () => {
    expect(catalogueErrors.map((e) => e.format())).toEqual([]);
    expect(suite.errors.map((e) => e.format())).toEqual([]);
    expect(suite.scenarios.length).toBeGreaterThanOrEqual(2);
  });

  it("every behaviour is covered unless planned, and every cover names a known behaviour", () => {
    const scenarios = suite.scenarios.map((s) => ({ scenario: s.file.slice(root.length), covers: s.scenario.metadata.covers }));
    const tests = [...catalogueTests(catalogue.behaviors), ...findCoverTags(root, ["spec", "reference-impl", "harness", "bench"])];
    const report = coverage(catalogue, scenarios, tests);
    expect(formatCoverageProblems(report)).toEqual([]);
  });
});
