// Coverage of the catalogue: which scenarios and tests check each behaviour, which behaviours nothing
// checks (an error unless planned), and which covers name ids the catalogue does not have.
//
// A test declares what it covers in its title (describe or test name), so reports carry it too:
//   describe("LocalKv is equivalent to the KV model [covers: store.kv.revision, store.txn.atomic]", ...)
// `scanCoverTags` finds these tags in test sources. Test files that cannot carry a tag (or whose
// whole file checks a behaviour, like a conformance suite) are listed in the entry's `tests:` instead.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Behavior, BehaviorStatus } from "./catalogue.ts";
import type { Catalogue } from "./load.ts";

/** What one scenario says it covers. */
export interface ScenarioCovers {
  /** The scenario's file (or name). */
  scenario: string;
  covers: readonly string[];
}

/** What one test (a file, or a titled test in it) says it covers. */
export interface TestCovers {
  test: string;
  covers: readonly string[];
}

export interface BehaviorCoverage {
  id: string;
  status: BehaviorStatus;
  scenarios: string[];
  tests: string[];
}

export interface CoverageReport {
  behaviors: BehaviorCoverage[];
  /** Not planned, yet no scenario or test covers them. */
  uncovered: string[];
  /** Covers (of scenarios or tests) naming ids the catalogue does not have. */
  unknownCovers: { by: string; id: string }[];
  /** Marked planned but already covered: time to mark them covered. */
  plannedButCovered: string[];
}

/** The tests the catalogue's own `tests:` fields name. */
export function catalogueTests(behaviors: readonly Behavior[]): TestCovers[] {
  const byTest = new Map<string, string[]>();
  for (const b of behaviors) for (const t of b.tests ?? []) byTest.set(t, [...(byTest.get(t) ?? []), b.id]);
  return [...byTest].map(([test, covers]) => ({ test, covers }));
}

export function coverage(catalogue: Catalogue, scenarios: readonly ScenarioCovers[], tests: readonly TestCovers[]): CoverageReport {
  const rows = new Map<string, BehaviorCoverage>();
  for (const b of catalogue.behaviors) rows.set(b.id, { id: b.id, status: b.status, scenarios: [], tests: [] });
  const unknownCovers: { by: string; id: string }[] = [];
  const add = (by: string, id: string, field: "scenarios" | "tests") => {
    const row = rows.get(id);
    if (row === undefined) unknownCovers.push({ by, id });
    else if (!row[field].includes(by)) row[field].push(by);
  };
  for (const s of scenarios) for (const id of s.covers) add(s.scenario, id, "scenarios");
  for (const t of tests) for (const id of t.covers) add(t.test, id, "tests");
  const behaviors = [...rows.values()];
  const isCovered = (r: BehaviorCoverage) => r.scenarios.length > 0 || r.tests.length > 0;
  return {
    behaviors,
    uncovered: behaviors.filter((r) => r.status !== "planned" && !isCovered(r)).map((r) => r.id),
    unknownCovers,
    plannedButCovered: behaviors.filter((r) => r.status === "planned" && isCovered(r)).map((r) => r.id),
  };
}

const coverTag = /\[covers:\s*([^\]]*)\]/g;

/** The `[covers: a, b]` tags of one test file's source; each tag is one TestCovers named `file > tag`. */
export function scanCoverTags(file: string, source: string): TestCovers[] {
  const out: TestCovers[] = [];
  for (const m of source.matchAll(coverTag)) {
    const covers = (m[1] ?? "")
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (covers.length > 0) out.push({ test: file, covers });
  }
  return out;
}

/** Maximum folder depth walked when looking for test files. */
const maxDepth = 12;

/** Every `[covers: ...]` tag in the `*.test.ts` files under `dirs` (relative to `root`). */
export function findCoverTags(root: string, dirs: readonly string[]): TestCovers[] {
  const out: TestCovers[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > maxDepth) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (entry.name.endsWith(".test.ts")) out.push(...scanCoverTags(relative(root, path).split(sep).join("/"), readFileSync(path, "utf8")));
    }
  };
  for (const d of dirs) walk(join(root, d), 0);
  return out;
}

/** A plain-text summary of the problems, for test failures and the CLI. */
export function formatCoverageProblems(report: CoverageReport): string[] {
  return [
    ...report.uncovered.map((id) => `behaviour ${id}: no scenario or test covers it (cover it, or mark it status: planned with a reason)`),
    ...report.unknownCovers.map(({ by, id }) => `${by}: covers unknown behaviour ${id}`),
  ];
}
