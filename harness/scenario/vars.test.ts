import { describe, expect, it } from "vitest";
import { matrixCases, matrixSize, maxMatrixCases, substitute, UndefinedVariableError, varReferences } from "./vars.ts";

const vars = new Map<string, unknown>([
  ["n", 3],
  ["image", "nginx:1.25"],
  ["labels", { app: "web" }],
]);

describe("variables", () => {
  it("finds references, skipping $$ and a $ that starts no name", () => {
    expect(varReferences("$a and ${b}c, $$d, cost: 5$, Running$")).toEqual(["a", "b"]);
  });

  it("keeps the type of a value that is the whole string", () => {
    expect(substitute({ replicas: "$n", image: "${image}", labels: "$labels" }, vars)).toEqual({
      replicas: 3,
      image: "nginx:1.25",
      labels: { app: "web" },
    });
  });

  it("prints values inside longer strings and leaves keys alone", () => {
    expect(substitute({ "$n": "x-$n-${image}-$$HOME", list: ["$labels!"] }, vars)).toEqual({
      "$n": "x-3-nginx:1.25-$HOME",
      list: ['{"app":"web"}!'],
    });
  });

  it("throws for an undefined variable", () => {
    expect(() => substitute("$missing", vars)).toThrow(UndefinedVariableError);
    expect(() => substitute("a ${missing}", vars)).toThrow("undefined variable $missing");
  });
});

describe("matrix cases", () => {
  it("expands every combination, first variable slowest, over the base vars", () => {
    const cases = matrixCases({ ns: "default" }, { color: ["blue", "green"], replicas: [1, 3] });
    expect(cases.map((c) => c.suffix)).toEqual(["[color=blue,replicas=1]", "[color=blue,replicas=3]", "[color=green,replicas=1]", "[color=green,replicas=3]"]);
    expect(Object.fromEntries(cases[1]?.vars ?? [])).toEqual({ ns: "default", color: "blue", replicas: 3 });
  });

  it("gives one unnamed case without a matrix, and refuses a matrix that is too large", () => {
    expect(matrixCases({ a: 1 }, undefined)).toEqual([{ suffix: "", vars: new Map([["a", 1]]) }]);
    const big = { a: Array.from({ length: 8 }, (_, i) => i), b: Array.from({ length: 9 }, (_, i) => i) };
    expect(matrixSize(big)).toBe(72);
    expect(() => matrixCases(undefined, big)).toThrow(`at most ${maxMatrixCases}`);
  });
});
