import { describe, expect, it } from "vitest";
import type { Behavior } from "./catalogue.ts";
import { catalogueTests, coverage, formatCoverageProblems, scanCoverTags } from "./coverage.ts";
import type { Catalogue } from "./load.ts";

function behavior(id: string, status: "covered" | "planned", tests?: string[]): Behavior {
  return {
    id,
    title: id,
    area: id.split(".")[0] as string,
    components: ["store"],
    description: "It MUST.",
    references: ["https://etcd.io/"],
    status,
    ...(status === "planned" ? { reason: "later" } : {}),
    ...(tests !== undefined ? { tests } : {}),
    file: "c.yaml",
    line: 1,
  };
}

function catalogue(...behaviors: Behavior[]): Catalogue {
  return { behaviors, byId: new Map(behaviors.map((b) => [b.id, b])) };
}

// Built at run time so that this file's own source holds no tag for the repository scan to find.
const tag = (ids: string) => `[${"covers"}: ${ids}]`;

describe("coverage", () => {
  it("joins scenarios and tests to behaviours, and lists what nothing covers", () => {
    const c = catalogue(
      behavior("store.a", "covered"),
      behavior("store.b", "covered", ["x.property.test.ts"]),
      behavior("store.c", "covered"),
      behavior("store.d", "planned"),
      behavior("store.e", "planned"),
    );
    const report = coverage(
      c,
      [
        { scenario: "s1.yaml", covers: ["store.a", "store.zz"] },
        { scenario: "s2.yaml", covers: ["store.a", "store.e"] },
      ],
      [...catalogueTests(c.behaviors), { test: "y.test.ts", covers: ["store.b", "nope.x"] }],
    );
    expect(report.behaviors.find((b) => b.id === "store.a")).toEqual({ id: "store.a", status: "covered", scenarios: ["s1.yaml", "s2.yaml"], tests: [] });
    expect(report.behaviors.find((b) => b.id === "store.b")?.tests).toEqual(["x.property.test.ts", "y.test.ts"]);
    expect(report.uncovered).toEqual(["store.c"]);
    expect(report.plannedButCovered).toEqual(["store.e"]);
    expect(report.unknownCovers).toEqual([
      { by: "s1.yaml", id: "store.zz" },
      { by: "y.test.ts", id: "nope.x" },
    ]);
    expect(formatCoverageProblems(report)).toEqual([
      "behaviour store.c: no scenario or test covers it (cover it, or mark it status: planned with a reason)",
      "s1.yaml: covers unknown behaviour store.zz",
      "y.test.ts: covers unknown behaviour nope.x",
    ]);
  });

  it("finds cover tags in test titles", () => {
    const source = `describe("LocalKv ${tag("store.kv.revision, store.txn.atomic")}", () => {\n  it("x ${tag("store.watch.ordered")}", () => {});\n});\nit("no tag", () => {});\n`;
    expect(scanCoverTags("a.test.ts", source)).toEqual([
      { test: "a.test.ts", covers: ["store.kv.revision", "store.txn.atomic"] },
      { test: "a.test.ts", covers: ["store.watch.ordered"] },
    ]);
    expect(scanCoverTags("a.test.ts", `it("${tag("")}")`)).toEqual([]);
  });
});
