import { describe, expect, it } from "vitest";
import { formatPath, parseYamlSource, positionOf, SourceError } from "./yaml-source.ts";

const text = `a:
  b:
    - x: 1
    - {y: two, z: }
  c: &anchor
    d: 3
  e: *anchor
"odd key": 1
`;

describe("YAML sources", () => {
  it("find where a field's value, or its key, is written (1-based line and column)", () => {
    const source = parseYamlSource("f.yaml", text);
    expect(source.errors).toEqual([]);
    expect(positionOf(source, 0, ["a", "b", 0, "x"])).toEqual({ line: 3, column: 10 });
    expect(positionOf(source, 0, ["a", "b", 0, "x"], "key")).toEqual({ line: 3, column: 7 });
    expect(positionOf(source, 0, ["a", "b", 1, "y"])).toEqual({ line: 4, column: 11 });
    // An empty value points at its key.
    expect(positionOf(source, 0, ["a", "b", 1, "z"])).toEqual({ line: 4, column: 16 });
    // Through an alias, to the anchored node.
    expect(positionOf(source, 0, ["a", "e", "d"])).toEqual({ line: 6, column: 8 });
    // A missing field: the deepest one that exists.
    expect(positionOf(source, 0, ["a", "b", 7])).toEqual({ line: 3, column: 5 });
    expect(positionOf(source, 0, ["odd key"], "key")).toEqual({ line: 8, column: 1 });
  });

  it("report syntax errors with positions and keep the recoverable value", () => {
    const source = parseYamlSource("f.yaml", "a: 1\na: 2\nb: [1, 2\n");
    expect(source.errors.map((e) => e.format())).toEqual([
      "f.yaml:2:1: Map keys must be unique",
      "f.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(source.values[0]).toEqual({ a: 2, b: [1, 2] });
  });

  it("refuse alias bombs", () => {
    const bomb = ["a: &a [x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]"].join("\n");
    const source = parseYamlSource("bomb.yaml", bomb);
    expect(source.errors.map((e) => e.message).join()).toMatch(/alias/i);
  });

  it("format paths as a reader writes them", () => {
    expect(formatPath(["spec", "steps", 2, "eventually", "within"])).toBe("spec.steps[2].eventually.within");
    expect(formatPath(["metadata", "labels", "app.kubernetes.io/name"])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath([])).toBe("");
    expect(new SourceError("f.yaml", 3, 4, "a.b", "bad").format()).toBe("f.yaml:3:4: a.b: bad");
  });
});
