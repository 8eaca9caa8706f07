import { describe, expect, it } from "vitest";
import { encodeJson, encodeJsonPretty, encodeObject, encodeYaml, warningHeader, warningHeaders } from "./encode.ts";

describe("encoding", () => {
  it("writes compact JSON with a newline, and Go's HTML-safe escapes", () => {
    expect(encodeJson({ a: "<b>&\u2028", n: 1 })).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028","n":1}\n');
    expect(encodeJsonPretty({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it("writes YAML with sorted keys, and picks the serializer", () => {
    expect(encodeYaml({ b: 1, a: { d: "x", c: [1, 2] } })).toBe("a:\n  c:\n    - 1\n    - 2\n  d: x\nb: 1\n");
    expect(encodeObject({ a: 1 }, "yaml", false)).toBe("a: 1\n");
    expect(encodeObject({ a: 1 }, "protobuf", false)).toBe('{"a":1}\n');
    expect(encodeObject({ a: 1 }, "json", true)).toBe('{\n  "a": 1\n}');
  });

  it("formats Warning headers as net.NewWarningHeader, deduplicated", () => {
    expect(warningHeader('unknown field "spec.foo"')).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(warningHeader("a\\b")).toBe('299 - "a\\\\b"');
    expect(warningHeaders(["x", "x", "", "y"])).toEqual(['299 - "x"', '299 - "y"']);
    expect(warningHeaders(undefined)).toEqual([]);
  });
});
