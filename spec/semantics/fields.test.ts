// Cases are upstream's (k8s.io/apimachinery/pkg/fields/selector_test.go).
import { describe, expect, it } from "vitest";
import {
  andSelectors,
  escapeValue,
  everything,
  FieldSelectorError,
  type FieldSet,
  matches,
  oneTermEqualSelector,
  oneTermNotEqualSelector,
  parseAndTransformFieldSelector,
  parseFieldSelector,
  selectorFromSet,
  unescapeValue,
} from "./fields.ts";

describe("parseFieldSelector (TestSelectorParse)", () => {
  it.each(["x=a,y=b,z=c", "", "x!=a,y=b", "x=a\\=b", "x=a\\,b", "x=a\\\\b", "x=", "x!="])("%j round-trips", (s) => {
    expect(parseFieldSelector(s).toString()).toBe(s);
  });

  it.each([
    ["x=a||y=b", "invalid field selector: unescaped character in value: 61"],
    ["x==a==b", "invalid field selector: unescaped character in value: 61"],
    ["x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"],
    ["x<a", "invalid selector: 'x<a'; can't understand 'x<a'"],
    ["x=a\\", "invalid field selector: invalid escape sequence: \\"],
    ["x=a\\x", "invalid field selector: invalid escape sequence: \\x"],
    ["x=a,b=c=d", "invalid field selector: unescaped character in value: 61"],
  ])("rejects %j: %s", (input, message) => {
    expect(() => parseFieldSelector(input)).toThrow(FieldSelectorError);
    expect(() => parseFieldSelector(input)).toThrow(message);
  });

  it("sorts terms by their text and prints == as = (TestDeterministicParse)", () => {
    expect(parseFieldSelector("x=a,a=x").toString()).toBe(parseFieldSelector("a=x,x=a").toString());
    expect(parseFieldSelector("spec.nodeName==n1,metadata.name!=web").toString()).toBe(
      "metadata.name!=web,spec.nodeName=n1",
    );
    expect(parseFieldSelector(",,a=b,").toString()).toBe("a=b");
  });

  it("splits on unescaped commas and the first operator", () => {
    const s = parseFieldSelector("a\\,b=c,d=e\\,f");
    // Keys are not unescaped: the first term's key keeps its backslash.
    expect(s.requirements()).toEqual([
      { field: "a\\,b", operator: "=", value: "c" },
      { field: "d", operator: "=", value: "e,f" },
    ]);
  });
});

describe("escaping (TestEscapeValue, TestUnescapeValue)", () => {
  it.each([
    ["", ""],
    ["a", "a"],
    ["=", "\\="],
    [",", "\\,"],
    ["\\", "\\\\"],
    ["\\=\\,\\", "\\\\\\=\\\\\\,\\\\"],
  ])("escapeValue(%j) = %j and back", (raw, escaped) => {
    expect(escapeValue(raw)).toBe(escaped);
    expect(unescapeValue(escaped)).toBe(raw);
  });

  it.each([
    ["\\", "invalid field selector: invalid escape sequence: \\"],
    ["\\a", "invalid field selector: invalid escape sequence: \\a"],
    ["=", "invalid field selector: unescaped character in value: 61"],
    [",", "invalid field selector: unescaped character in value: 44"],
  ])("unescapeValue(%j) fails", (input, message) => {
    expect(() => unescapeValue(input)).toThrow(message);
  });
});

describe("matching (TestSelectorMatches, TestSetMatches)", () => {
  const cases: [string, FieldSet, boolean][] = [
    ["", { x: "y" }, true],
    ["x=y", { x: "y" }, true],
    ["x=y,z=w", { x: "y", z: "w" }, true],
    ["x!=y,z!=w", { x: "z", z: "a" }, true],
    ["notin=in", { notin: "in" }, true],
    ["x=y", { x: "z" }, false],
    ["x=y,z=w", { x: "w", z: "w" }, false],
    ["x!=y,z!=w", { x: "z", z: "w" }, false],
    ["foo=bar", { foo: "bar", baz: "blah" }, true],
    ["foo=bar,baz=blah", { foo: "bar", baz: "blah" }, true],
    ["foo=blah", { foo: "bar", baz: "blah" }, false],
    ["foo=bar,foobar=bar,baz=blah", { foo: "bar", baz: "blah" }, false],
    // A missing field reads as "".
    ["x!=y", {}, true],
    ["x=", {}, true],
    ["x=a\\,b", { x: "a,b" }, true],
    ["constructor=", {}, true],
    ["status.phase=Running,spec.nodeName=n1", { "status.phase": "Running", "spec.nodeName": "n1" }, true],
  ];
  it.each(cases)("%j matches %j: %s", (selector, fields, want) => {
    expect(matches(parseFieldSelector(selector), fields)).toBe(want);
  });

  it("builds selectors directly", () => {
    const set = { foo: "bar", baz: "blah" };
    expect(everything().matches(set)).toBe(true);
    expect(everything().empty()).toBe(true);
    expect(selectorFromSet({}).matches(set)).toBe(true);
    expect(selectorFromSet({ foo: "bar" }).matches(set)).toBe(true);
    expect(selectorFromSet({ foo: "=blah" }).matches(set)).toBe(false);
    expect(selectorFromSet({ foo: "bar", baz: "blah" }).toString()).toBe("baz=blah,foo=bar");
    expect(oneTermEqualSelector("x", "y").matches({ x: "y" })).toBe(true);
    expect(oneTermEqualSelector("x", "y").matches({ x: "z" })).toBe(false);
    expect(oneTermNotEqualSelector("x", "y").matches({ x: "z" })).toBe(true);
    expect(andSelectors(oneTermEqualSelector("a", "1"), oneTermEqualSelector("b", "2")).toString()).toBe("a=1,b=2");
  });

  it("requiresExactMatch (TestRequiresExactMatch)", () => {
    expect(selectorFromSet({}).requiresExactMatch("test")).toBeUndefined();
    expect(oneTermEqualSelector("a", "b").requiresExactMatch("test")).toBeUndefined();
    expect(oneTermEqualSelector("test", "b").requiresExactMatch("test")).toBe("b");
    expect(oneTermEqualSelector("test", "").requiresExactMatch("test")).toBe("");
    expect(oneTermNotEqualSelector("test", "b").requiresExactMatch("test")).toBeUndefined();
    expect(parseFieldSelector("a=1,test=b").requiresExactMatch("test")).toBe("b");
  });

  it("transforms terms and drops those rewritten to nothing", () => {
    const s = parseAndTransformFieldSelector("spec.host=n1,metadata.name=web", (field, value) =>
      field === "spec.host" ? { field: "spec.nodeName", value } : field === "metadata.name" ? { field: "", value: "" } : { field, value },
    );
    expect(s.toString()).toBe("spec.nodeName=n1");
    expect(() =>
      parseAndTransformFieldSelector("bogus=1", (field) => {
        throw new FieldSelectorError(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
      }),
    ).toThrow('"bogus" is not a known field selector');
  });
});
