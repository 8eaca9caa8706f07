import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { parseJson, toValue } from "./go-json.ts";

// The reader accepts what JSON.parse accepts and yields the same value.
test.prop([fc.json()])("parseJson agrees with JSON.parse on valid JSON", (text) => {
  expect(toValue(parseJson(text))).toEqual(JSON.parse(text));
});

test.prop([fc.jsonValue()])("parseJson reads pretty-printed JSON back to the same value", (value) => {
  const text = JSON.stringify(value, null, 2);
  expect(toValue(parseJson(text))).toEqual(JSON.parse(text));
});

// On arbitrary text it either agrees with JSON.parse or, exactly when JSON.parse fails, fails too.
test.prop([fc.oneof(fc.string(), fc.json().map((s) => s.slice(0, Math.max(0, s.length - 1))))])(
  "parseJson fails exactly when JSON.parse fails",
  (text) => {
    let expected: { value: unknown } | undefined;
    try {
      expected = { value: JSON.parse(text) };
    } catch {
      expected = undefined;
    }
    if (expected === undefined) expect(() => parseJson(text)).toThrow();
    else expect(toValue(parseJson(text))).toEqual(expected.value);
  },
);
