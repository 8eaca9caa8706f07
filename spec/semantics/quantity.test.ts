// Cases are upstream's test tables (k8s.io/apimachinery/pkg/api/resource/quantity_test.go).
import { describe, expect, it } from "vitest";
import {
  parseQuantity,
  Quantity,
  type QuantityFormat,
  QuantityError,
  quantityFromJSON,
  tryParseQuantity,
} from "./quantity.ts";

const dec = (m: bigint | number, e: number, f: QuantityFormat): Quantity => Quantity.fromDecimal(m, e, f);
const MAX_INT64 = (1n << 63n) - 1n;

describe("parseQuantity (TestQuantityParse)", () => {
  const table: [string, Quantity][] = [
    ["0", dec(0, 0, "DecimalSI")],
    ["0n", dec(0, 0, "DecimalSI")],
    ["0u", dec(0, 0, "DecimalSI")],
    ["0m", dec(0, 0, "DecimalSI")],
    ["0Ki", dec(0, 0, "BinarySI")],
    ["0k", dec(0, 0, "DecimalSI")],
    ["0Mi", dec(0, 0, "BinarySI")],
    ["0M", dec(0, 0, "DecimalSI")],
    ["0Gi", dec(0, 0, "BinarySI")],
    ["0G", dec(0, 0, "DecimalSI")],
    ["0Ti", dec(0, 0, "BinarySI")],
    ["0T", dec(0, 0, "DecimalSI")],
    ["1", dec(1, 0, "DecimalSI")],
    ["1Ki", dec(1024, 0, "BinarySI")],
    ["8Ki", dec(8 * 1024, 0, "BinarySI")],
    ["7Mi", dec(7 * 1024 * 1024, 0, "BinarySI")],
    ["6Gi", dec(6n * 1024n ** 3n, 0, "BinarySI")],
    ["5Ti", dec(5n * 1024n ** 4n, 0, "BinarySI")],
    ["4Pi", dec(4n * 1024n ** 5n, 0, "BinarySI")],
    ["3Ei", dec(3n * 1024n ** 6n, 0, "BinarySI")],
    ["10Ti", dec(10n * 1024n ** 4n, 0, "BinarySI")],
    ["100Ti", dec(100n * 1024n ** 4n, 0, "BinarySI")],
    ["5n", dec(5, -9, "DecimalSI")],
    ["4u", dec(4, -6, "DecimalSI")],
    ["3m", dec(3, -3, "DecimalSI")],
    ["9", dec(9, 0, "DecimalSI")],
    ["8k", dec(8, 3, "DecimalSI")],
    ["50k", dec(5, 4, "DecimalSI")],
    ["7M", dec(7, 6, "DecimalSI")],
    ["6G", dec(6, 9, "DecimalSI")],
    ["5T", dec(5, 12, "DecimalSI")],
    ["40T", dec(4, 13, "DecimalSI")],
    ["300T", dec(3, 14, "DecimalSI")],
    ["2P", dec(2, 15, "DecimalSI")],
    ["1E", dec(1, 18, "DecimalSI")],
    ["1E-3", dec(1, -3, "DecimalExponent")],
    ["1e3", dec(1, 3, "DecimalExponent")],
    ["1E6", dec(1, 6, "DecimalExponent")],
    ["1e9", dec(1, 9, "DecimalExponent")],
    ["1E12", dec(1, 12, "DecimalExponent")],
    ["1e15", dec(1, 15, "DecimalExponent")],
    ["1E18", dec(1, 18, "DecimalExponent")],
    ["1e14", dec(1, 14, "DecimalExponent")],
    ["1e13", dec(1, 13, "DecimalExponent")],
    ["100.035k", dec(100035, 0, "DecimalSI")],
    ["0.001", dec(1, -3, "DecimalSI")],
    ["0.0005k", dec(5, -1, "DecimalSI")],
    ["0.005", dec(5, -3, "DecimalSI")],
    ["0.05", dec(5, -2, "DecimalSI")],
    ["0.5", dec(5, -1, "DecimalSI")],
    ["0.00050k", dec(5, -1, "DecimalSI")],
    ["0.00500", dec(5, -3, "DecimalSI")],
    ["0.05000", dec(5, -2, "DecimalSI")],
    ["0.50000", dec(5, -1, "DecimalSI")],
    ["0.5e0", dec(5, -1, "DecimalExponent")],
    ["0.5e-1", dec(5, -2, "DecimalExponent")],
    ["0.5e-2", dec(5, -3, "DecimalExponent")],
    ["10.035M", dec(10035, 3, "DecimalSI")],
    ["1.2e3", dec(12, 2, "DecimalExponent")],
    ["1.3E+6", dec(13, 5, "DecimalExponent")],
    ["1.40e9", dec(14, 8, "DecimalExponent")],
    ["1.53E12", dec(153, 10, "DecimalExponent")],
    ["1.6e15", dec(16, 14, "DecimalExponent")],
    ["1.7E18", dec(17, 17, "DecimalExponent")],
    ["9.01", dec(901, -2, "DecimalSI")],
    ["8.1k", dec(81, 2, "DecimalSI")],
    ["7.123456M", dec(7123456, 0, "DecimalSI")],
    ["6.987654321G", dec(6987654321, 0, "DecimalSI")],
    ["5.444T", dec(5444, 9, "DecimalSI")],
    ["40.1T", dec(401, 11, "DecimalSI")],
    ["300.2T", dec(3002, 11, "DecimalSI")],
    ["2.5P", dec(25, 14, "DecimalSI")],
    ["1.01E", dec(101, 16, "DecimalSI")],
    // Things that saturate/round.
    ["3.001n", dec(4, -9, "DecimalSI")],
    ["1.1E-9", dec(2, -9, "DecimalExponent")],
    ["0.0000000001", dec(1, -9, "DecimalSI")],
    ["0.0000000005", dec(1, -9, "DecimalSI")],
    ["0.00000000050", dec(1, -9, "DecimalSI")],
    ["0.5e-9", dec(1, -9, "DecimalExponent")],
    ["0.9n", dec(1, -9, "DecimalSI")],
    ["0.00000012345", dec(124, -9, "DecimalSI")],
    ["0.00000012354", dec(124, -9, "DecimalSI")],
    ["9Ei", dec(MAX_INT64, 0, "BinarySI")],
    ["9223372036854775807Ki", dec(MAX_INT64, 0, "BinarySI")],
    ["12E", dec(12, 18, "DecimalSI")],
    // Fractional binary.
    ["100.035Ki", dec(10243584, -2, "BinarySI")],
    ["0.5Mi", dec(512 * 1024, 0, "BinarySI")],
    ["0.05Gi", dec(536870912, -1, "BinarySI")],
    ["0.025Ti", dec(274877906944, -1, "BinarySI")],
    // "Things written by trolls".
    ["0.000000000001Ki", dec(2, -9, "DecimalSI")],
    [".001", dec(1, -3, "DecimalSI")],
    [".0001k", dec(100, -3, "DecimalSI")],
    ["1.", dec(1, 0, "DecimalSI")],
    ["1.G", dec(1, 9, "DecimalSI")],
  ];

  it.each(table)("%s", (input, expected) => {
    const got = parseQuantity(input);
    expect(got.cmp(expected), `${input} = ${got.toDecimalString()}`).toBe(0);
    expect(got.format).toBe(expected.format);
  });

  it.each(table)("-%s is the negation, same format", (input, expected) => {
    const got = parseQuantity("-" + input);
    expect(got.cmp(expected.neg())).toBe(0);
    expect(got.format).toBe(expected.format);
  });

  it.each(table)("+%s is the same value", (input, expected) => {
    const got = parseQuantity("+" + input);
    expect(got.cmp(expected)).toBe(0);
    expect(got.format).toBe(expected.format);
  });

  const formatWrong =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  it.each([
    ["", formatWrong],
    ["1.1.M", formatWrong],
    ["1+1.0M", formatWrong],
    ["0.1mi", "unable to parse quantity's suffix"],
    ["0.1am", formatWrong],
    ["aoeu", formatWrong],
    [".5i", "unable to parse quantity's suffix"],
    ["1i", "unable to parse quantity's suffix"],
    ["-3.01i", "unable to parse quantity's suffix"],
    ["-3.01e-", "unable to parse quantity's suffix"],
    ["1e4294967297", "unable to parse quantity's suffix"],
    ["1E2147483648", "unable to parse quantity's suffix"],
    ["1E-2147483648", "unable to parse quantity's suffix"],
    [" 1", formatWrong],
    ["1 ", formatWrong],
    [".e-10", "unable to parse numeric part of quantity"],
    ["1K", "unable to parse quantity's suffix"],
  ])("rejects %j with upstream's message", (input, message) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(message);
  });

  it("accepts the int32 exponent bounds", () => {
    expect(parseQuantity("1E2147483647").toString()).toBe("10e2147483646");
    expect(parseQuantity("1e-2147483647").cmp(dec(1, -9, "DecimalExponent"))).toBe(0);
  });

  it("accepts the degenerate forms upstream accepts", () => {
    expect(parseQuantity(".").isZero()).toBe(true);
    expect(parseQuantity("-.").isZero()).toBe(true);
    expect(parseQuantity("+").isZero()).toBe(true);
  });

  it("tryParseQuantity reports instead of throwing", () => {
    const r = tryParseQuantity("12x");
    expect(r.ok).toBe(false);
    expect(tryParseQuantity("12").ok).toBe(true);
  });
});

describe("toString (TestQuantityString, TestQuantityParseEmit)", () => {
  const table: [Quantity, string, string][] = [
    [dec(1024n ** 3n, 0, "BinarySI"), "1Gi", "1024Mi"],
    [dec(300 * 1024 * 1024, 0, "BinarySI"), "300Mi", "307200Ki"],
    [dec(6 * 1024, 0, "BinarySI"), "6Ki", ""],
    [dec(1001n * 1024n ** 3n, 0, "BinarySI"), "1001Gi", "1025024Mi"],
    [dec(1024n ** 4n, 0, "BinarySI"), "1Ti", "1024Gi"],
    [dec(5, 0, "BinarySI"), "5", "5000m"],
    [dec(500, -3, "BinarySI"), "500m", "0.5"],
    [dec(1, 9, "DecimalSI"), "1G", "1000M"],
    [dec(1000, 6, "DecimalSI"), "1G", "0.001T"],
    [dec(1000000, 3, "DecimalSI"), "1G", ""],
    [dec(1000000000, 0, "DecimalSI"), "1G", ""],
    [dec(1, -3, "DecimalSI"), "1m", "1000u"],
    [dec(80, -3, "DecimalSI"), "80m", ""],
    [dec(1080, -3, "DecimalSI"), "1080m", "1.08"],
    [dec(108, -2, "DecimalSI"), "1080m", "1080000000n"],
    [dec(10800, -4, "DecimalSI"), "1080m", ""],
    [dec(300, 6, "DecimalSI"), "300M", ""],
    [dec(1, 12, "DecimalSI"), "1T", ""],
    [dec(1, 18, "DecimalSI"), "1E", ""],
    [dec(1, 21, "DecimalSI"), "1e21", "1000E"],
    [dec(5, 21, "DecimalSI"), "5e21", "5000E"],
    [dec(1, 24, "DecimalSI"), "1e24", "1000000E"],
    [dec(1, 70, "BinarySI"), "10e69", ""],
    [dec(2, 70, "BinarySI"), "20e69", ""],
    [dec(1, 72, "BinarySI"), "1e72", ""],
    [dec(1234567, 6, "DecimalSI"), "1234567M", ""],
    [dec(1234567, -3, "BinarySI"), "1234567m", ""],
    [dec(3, 3, "DecimalSI"), "3k", ""],
    [dec(1025, 0, "BinarySI"), "1025", ""],
    [dec(0, 0, "DecimalSI"), "0", ""],
    [dec(0, 0, "BinarySI"), "0", ""],
    [dec(1, 9, "DecimalExponent"), "1e9", ".001e12"],
    [dec(1, -3, "DecimalExponent"), "1e-3", "0.001e0"],
    [dec(1, -9, "DecimalExponent"), "1e-9", "1000e-12"],
    [dec(80, -3, "DecimalExponent"), "80e-3", ""],
    [dec(300, 6, "DecimalExponent"), "300e6", ""],
    [dec(1, 12, "DecimalExponent"), "1e12", ""],
    [dec(1, 3, "DecimalExponent"), "1e3", ""],
    [dec(3, 3, "DecimalExponent"), "3e3", ""],
    [dec(0, 0, "DecimalExponent"), "0", "00"],
    [dec(1, -9, "DecimalSI"), "1n", ""],
    [dec(80, -9, "DecimalSI"), "80n", ""],
    [dec(1080, -9, "DecimalSI"), "1080n", ""],
    [dec(108, -8, "DecimalSI"), "1080n", ""],
    [dec(10800, -10, "DecimalSI"), "1080n", ""],
    [dec(1, -6, "DecimalSI"), "1u", ""],
    [dec(80, -6, "DecimalSI"), "80u", ""],
    [dec(1080, -6, "DecimalSI"), "1080u", ""],
  ];

  it.each(table)("%s → %s (alternate %j)", (q, expected, alternate) => {
    expect(q.toString()).toBe(expected);
    expect(parseQuantity(expected).toString()).toBe(expected);
    if (alternate !== "") expect(parseQuantity(alternate).toString()).toBe(expected);
    if (!q.isZero()) expect(q.neg().toString()).toBe("-" + expected);
  });

  it.each([
    ["1Ki", "1Ki"],
    ["1Mi", "1Mi"],
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"],
    ["1000M", "1G"],
    [".001Ki", "1024m"],
    [".000001Ki", "1024u"],
    [".000000001Ki", "1024n"],
    [".000000000001Ki", "2n"],
    // The examples of the Quantity doc comment.
    ["1.5", "1500m"],
    ["1.5Gi", "1536Mi"],
    ["1000m", "1"],
    ["0.1", "100m"],
  ])("parse(%s) emits %s, and its negation", (input, expected) => {
    expect(parseQuantity(input).toString()).toBe(expected);
    expect(parseQuantity("-" + input).toString()).toBe("-" + expected);
  });

  it("prints below-nano DecimalSI in exponent form (TestQuantityStringBelowNano)", () => {
    expect(dec(1, -12, "DecimalSI").toString()).toBe("1e-12");
    expect(dec(1, -10, "DecimalSI").toString()).toBe("100e-12");
  });

  it("prints a BinarySI value past Ei as its exact integer (TestBinarySIPastEiArithmeticRoundTrip)", () => {
    const q = parseQuantity("1Ei").mul(1024);
    expect(q.toString()).toBe("1180591620717411303424");
    expect(parseQuantity(q.toString()).cmp(q)).toBe(0);
  });

  it("keeps plain integers for BinarySI with no binary factor (TestBinarySIZeroExponentString)", () => {
    expect(Quantity.fromInt(2000, "BinarySI").toString()).toBe("2000");
    expect(Quantity.fromInt(-2000, "BinarySI").toString()).toBe("-2000");
  });

  it("keeps an input string that upstream treats as canonical", () => {
    // The int64 fast path stores the input as the serialized form when it looks canonical.
    expect(parseQuantity("1E3").toString()).toBe("1E3");
    expect(parseQuantity("+1Ki").toString()).toBe("+1Ki");
    expect(parseQuantity("100.035k").toString()).toBe("100.035k");
    // ...and computes it otherwise.
    expect(parseQuantity("1.000G").toString()).toBe("1G");
    expect(parseQuantity("100.035k").add(Quantity.fromInt(0)).toString()).toBe("100035");
  });

  it("toJSON is the string form; quantityFromJSON is UnmarshalJSON", () => {
    expect(JSON.stringify({ cpu: parseQuantity("1500m") })).toBe('{"cpu":"1500m"}');
    expect(quantityFromJSON(" 2Gi ").toString()).toBe("2Gi");
    expect(quantityFromJSON(1.5).toString()).toBe("1500m");
    expect(quantityFromJSON(null).isZero()).toBe(true);
    expect(() => quantityFromJSON({})).toThrow(QuantityError);
  });
});

describe("arithmetic and comparison", () => {
  it.each([
    ["0", "0", 0],
    ["100m", "50m", 1],
    ["50m", "100m", -1],
    ["10000T", "100Gi", 1],
    ["1Ki", "1024", 0],
    ["1e2147483647", "1e2147483646", 1],
    ["-1e2147483647", "1", -1],
    ["1n", "0", 1],
  ])("cmp(%s, %s) = %d (TestQuantityCmp)", (a, b, want) => {
    expect(parseQuantity(a).cmp(parseQuantity(b))).toBe(want);
    expect(parseQuantity(b).cmp(parseQuantity(a))).toBe(-want || 0);
  });

  it("adding or subtracting zero keeps the suffix in either order (TestQuantityAddZeroPreservesSuffix)", () => {
    const zero = parseQuantity("0");
    for (const s of ["100m", "1Gi"]) {
      const v = parseQuantity(s);
      expect(v.add(zero).toString()).toBe(s);
      expect(zero.add(v).toString()).toBe(s);
      expect(v.sub(zero).toString()).toBe(s);
      expect(zero.sub(v).toString()).toBe(v.neg().toString());
    }
  });

  it("sums requests exactly", () => {
    const total = ["100m", "250m", "0.65", "1"].map(parseQuantity).reduce((a, b) => a.add(b));
    expect(total.toString()).toBe("2");
    expect(total.milliValue()).toBe(2000n);
    const mem = ["1Gi", "512Mi", "256Mi"].map(parseQuantity).reduce((a, b) => a.add(b));
    expect(mem.toString()).toBe("1792Mi");
    expect(parseQuantity("1Gi").sub(parseQuantity("1")).toString()).toBe("1073741823");
  });

  it("negates (TestQuantityNeg)", () => {
    expect(dec(901, -2, "DecimalSI").neg().toString()).toBe("-9010m");
  });

  it.each([
    ["9.01", -3, dec(901, -2, "DecimalSI"), true],
    ["9.01", -2, dec(901, -2, "DecimalSI"), true],
    ["9.01", -1, dec(91, -1, "DecimalSI"), false],
    ["9.01", 0, dec(10, 0, "DecimalSI"), false],
    ["9.01", 1, dec(10, 0, "DecimalSI"), false],
    ["9.01", 2, dec(100, 0, "DecimalSI"), false],
    ["-9.01", -3, dec(-901, -2, "DecimalSI"), true],
    ["-9.01", -1, dec(-91, -1, "DecimalSI"), false],
    ["-9.01", 0, dec(-10, 0, "DecimalSI"), false],
    ["-9.01", 2, dec(-100, 0, "DecimalSI"), false],
  ] as const)("roundUp(%s, %d) (TestQuantityRoundUp)", (input, scale, expected, exact) => {
    const r = parseQuantity(input).roundUp(scale);
    expect(r.quantity.cmp(expected)).toBe(0);
    expect(r.exact).toBe(exact);
  });

  it.each([
    ["1", 1n, 1000n],
    ["1500m", 2n, 1500n],
    ["1m", 1n, 1n],
    ["0.1m", 1n, 1n],
    ["1n", 1n, 1n],
    ["-1500m", -2n, -1500n],
    ["1Gi", 1073741824n, 1073741824000n],
    ["8Ei", 9223372036854775807n, 9223372036854775807n],
    ["-1000E", -9223372036854775808n, -9223372036854775808n],
  ])("value/milliValue of %s round up away from zero", (input, value, milli) => {
    const q = parseQuantity(input);
    expect(q.value()).toBe(value);
    expect(q.milliValue()).toBe(milli);
  });

  it("scaledValue and the constructors agree", () => {
    expect(Quantity.fromInt(1).scaledValue(-3)).toBe(1000n);
    expect(Quantity.fromMilli(1500).toString()).toBe("1500m");
    expect(Quantity.fromMilli(1536000, "BinarySI").toString()).toBe("1536");
    expect(Quantity.fromScaled(5, 6).toString()).toBe("5M");
    expect(parseQuantity("1.5").toDecimalString()).toBe("1.5");
    expect(parseQuantity("-2m").toDecimalString()).toBe("-0.002");
    expect(parseQuantity("3k").toDecimalString()).toBe("3000");
    expect(parseQuantity("250m").asApproximateFloat64()).toBeCloseTo(0.25);
  });
});
