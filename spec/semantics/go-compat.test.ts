import { describe, expect, it } from "vitest";
import { compareGoStrings, goQuote, sortedGoStrings, utf8ByteLength } from "./go-compat.ts";

describe("Go string semantics", () => {
  it("len counts UTF-8 bytes", () => {
    expect(utf8ByteLength("abc")).toBe(3);
    expect(utf8ByteLength("é")).toBe(2);
    expect(utf8ByteLength("€")).toBe(3);
    expect(utf8ByteLength("😀")).toBe(4);
    expect(utf8ByteLength("\ud800")).toBe(3);
  });

  it("orders by bytes (code points), not UTF-16 units", () => {
    // U+FF61 sorts before U+1F600 in Go; UTF-16 unit order says the opposite.
    expect(compareGoStrings("\uff61", "😀")).toBe(-1);
    expect(["😀", "\uff61"].sort()).toEqual(["😀", "\uff61"]);
    expect(sortedGoStrings(["😀", "\uff61", "b", "a", "ab"])).toEqual(["a", "ab", "b", "\uff61", "😀"]);
    expect(compareGoStrings("a", "a")).toBe(0);
  });

  it("quotes like %q", () => {
    expect(goQuote("plain")).toBe('"plain"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("tab\there\nnl")).toBe('"tab\\there\\nnl"');
    expect(goQuote("\x00\x7f")).toBe('"\\x00\\x7f"');
    expect(goQuote("Māori")).toBe('"Māori"');
    expect(goQuote("\u200b")).toBe('"\\u200b"');
  });
});
