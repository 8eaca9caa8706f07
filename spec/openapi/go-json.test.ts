import { describe, expect, test } from "vitest";
import { fromValue, JsonNumber, JsonObject, MAX_NESTING_DEPTH, parseJson, toValue } from "./go-json.ts";

describe("parseJson", () => {
  test("keeps duplicate keys in document order and number literals; toValue lets the last key win", () => {
    const node = parseJson('{"a":1.0,"b":[1e3,{"c":null}],"a":-0}');
    expect(node).toBeInstanceOf(JsonObject);
    const entries = (node as JsonObject).entries;
    expect(entries.map(([key]) => key)).toEqual(["a", "b", "a"]);
    expect((entries[0]?.[1] as JsonNumber).text).toBe("1.0");
    expect(toValue(node)).toEqual({ a: -0, b: [1000, { c: null }] });
  });

  test("keeps integer-like keys in document order (JavaScript objects would not)", () => {
    const node = parseJson('{"b":1,"2":2,"1":3}') as JsonObject;
    expect(node.entries.map(([key]) => key)).toEqual(["b", "2", "1"]);
  });

  test("decodes escapes; lone surrogates become U+FFFD as in Go", () => {
    expect(parseJson(String.raw`"x\u00e9\ud83d\ude00\n\/\"\\"`)).toBe('xé😀\n/"\\');
    expect(parseJson(String.raw`"\ud800x"`)).toBe("\uFFFDx");
    expect(parseJson(String.raw`"\ude00\ud83d\ude00"`)).toBe("\uFFFD😀");
  });

  test("a __proto__ key is an own property, not a prototype", () => {
    const value = toValue(parseJson('{"__proto__":{"x":1}}')) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  // Messages of Go's encoding/json scanner (scanner.go), end of input stepping a space as scanner.eof does.
  test.each<[string, string]>([
    ["", "unexpected end of JSON input"],
    ["   ", "unexpected end of JSON input"],
    ["{", "unexpected end of JSON input"],
    ['{"a"', "unexpected end of JSON input"],
    ['"abc', "unexpected end of JSON input"],
    ["[1,", "unexpected end of JSON input"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ["[1 2]", "invalid character '2' after array element"],
    ["[1,]", "invalid character ']' looking for beginning of value"],
    ["{,}", "invalid character ',' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ["{} x", "invalid character 'x' after top-level value"],
    ["01", "invalid character '1' after top-level value"],
    ["tru", "invalid character ' ' in literal true (expecting 'e')"],
    ["nul", "invalid character ' ' in literal null (expecting 'l')"],
    ["fals3", "invalid character '3' in literal false (expecting 'e')"],
    ["-", "invalid character ' ' in numeric literal"],
    ["-a", "invalid character 'a' in numeric literal"],
    ["1.", "invalid character ' ' after decimal point in numeric literal"],
    ["1.e5", "invalid character 'e' after decimal point in numeric literal"],
    ["1e", "invalid character ' ' in exponent of numeric literal"],
    ["1e+x", "invalid character 'x' in exponent of numeric literal"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ["é", "invalid character 'Ã' looking for beginning of value"],
    ["\u00a0", "invalid character 'Â' looking for beginning of value"],
  ])("%j fails with Go's message", (text, message) => {
    expect(() => parseJson(text)).toThrow(message);
  });

  test("nests to Go's limit of 10000 and refuses one more, without exhausting the stack", () => {
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(Array.isArray(parseJson(deep(MAX_NESTING_DEPTH)))).toBe(true);
    expect(() => parseJson(deep(MAX_NESTING_DEPTH + 1))).toThrow("invalid character '[' exceeded max depth");
    const value = toValue(parseJson(deep(MAX_NESTING_DEPTH)));
    let depth = 1;
    for (let v = value; Array.isArray(v) && v.length > 0; v = v[0]) depth++;
    expect(depth).toBe(MAX_NESTING_DEPTH);
  });
});

describe("fromValue", () => {
  test("turns a plain value into a tree and back", () => {
    const value = { a: [1, { b: "x", c: null, d: true }], e: 1.5, f: [] };
    expect(toValue(fromValue(value))).toEqual(value);
    expect((fromValue(value) as JsonObject).entries.map(([key]) => key)).toEqual(["a", "e", "f"]);
  });

  test("refuses values JSON cannot hold", () => {
    expect(() => fromValue({ a: undefined })).toThrow("not a JSON value: undefined");
  });
});
