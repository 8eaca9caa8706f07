// Properties of the Quantity model: the canonical string round-trips, and comparison is a total
// order that agrees with exact arithmetic.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { parseQuantity, Quantity } from "./quantity.ts";

const suffixes = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/** Well-formed quantity strings in every shape upstream accepts. */
const quantityString = fc
  .record({
    sign: fc.constantFrom("", "+", "-"),
    int: fc.stringMatching(/^[0-9]{0,22}$/),
    frac: fc.option(fc.stringMatching(/^[0-9]{0,14}$/), { nil: undefined }),
    suffix: fc.oneof(
      fc.constantFrom(...suffixes),
      fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.integer({ min: 0, max: 40 })).map(
        ([e, s, n]) => `${e}${s}${n}`,
      ),
    ),
  })
  .filter((r) => r.int.length + (r.frac ?? "").length > 0)
  .map((r) => `${r.sign}${r.int}${r.frac === undefined ? "" : "." + r.frac}${r.suffix}`);

const quantity = quantityString.map(parseQuantity);

describe("quantity properties", () => {
  test.prop([quantityString])("every generated string parses", (s) => {
    expect(() => parseQuantity(s)).not.toThrow();
  });

  test.prop([quantity])("parse(toString(q)) equals q and prints the same", (q) => {
    const again = parseQuantity(q.toString());
    expect(again.cmp(q)).toBe(0);
    expect(parseQuantity(again.toString()).toString()).toBe(again.toString());
  });

  test.prop([quantity, quantity])("cmp is antisymmetric and agrees with subtraction", (a, b) => {
    expect(a.cmp(b)).toBe(-b.cmp(a) || 0);
    expect(a.cmp(b)).toBe(a.sub(b).sign());
    expect(a.cmp(b) === 0).toBe(a.equals(b));
  });

  test.prop([quantity, quantity, quantity])("cmp is transitive", (a, b, c) => {
    const [x, y, z] = [a, b, c].sort((p: Quantity, q: Quantity) => p.cmp(q));
    if (x === undefined || y === undefined || z === undefined) return;
    expect(x.cmp(y)).toBeLessThanOrEqual(0);
    expect(y.cmp(z)).toBeLessThanOrEqual(0);
    expect(x.cmp(z)).toBeLessThanOrEqual(0);
  });

  test.prop([quantity, quantity, quantity])("addition is exact: commutative, associative, invertible", (a, b, c) => {
    expect(a.add(b).cmp(b.add(a))).toBe(0);
    expect(a.add(b).add(c).cmp(a.add(b.add(c)))).toBe(0);
    expect(a.add(b).sub(b).cmp(a)).toBe(0);
  });

  test.prop([quantity, quantity])("a + b compares to a as b compares to zero", (a, b) => {
    expect(a.add(b).cmp(a)).toBe(b.sign());
  });

  test.prop([quantity])("milliValue is ceil(q×1000) away from zero", (q) => {
    const milli = q.milliValue();
    if (milli <= -(1n << 63n) || milli >= (1n << 63n) - 1n) return; // saturated
    const direction = q.sign() || 1;
    const excess = Quantity.fromMilli(milli).sub(q).mul(direction);
    expect(excess.sign()).toBeGreaterThanOrEqual(0);
    expect(excess.cmp(parseQuantity("1m"))).toBe(-1);
  });
});
