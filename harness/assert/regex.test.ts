import { describe, expect, test } from "vitest";
import { findAll, findFirst, goRegExp, RegexError, regexMatches } from "./regex.ts";

describe("Go-syntax regular expressions", () => {
  test("find returns the first match or an empty string (Go's FindString)", () => {
    expect(findFirst("abc 123", "[0-9]+")).toBe("123");
    expect(findFirst("abc 123", "xyz")).toBe("");
    // Leftmost-first: [0-9]* matches the empty string at 0, as in Go.
    expect(findFirst("abc 123", "[0-9]*")).toBe("");
  });

  test("findAll skips an empty match right after a match, as Go's FindAllString does", () => {
    expect(findAll("123 abc 456", "[0-9]+")).toEqual(["123", "456"]);
    expect(findAll("123 abc 456", "[0-9]*")).toEqual(["123", "", "", "", "", "456"]);
    expect(findAll("123 abc 456", "[0-9]+", 1)).toEqual(["123"]);
    expect(findAll("123 abc 456", "[0-9]+", 0)).toEqual([]);
    expect(findAll("a😀b", "")).toEqual(["", "", "", ""]);
  });

  test("leading inline flags and (?P<name>) groups are translated", () => {
    expect(regexMatches("NGINX:1.25", "(?i)^nginx:")).toBe(true);
    expect(regexMatches("a\nb", "(?s)a.b")).toBe(true);
    expect(goRegExp("(?P<major>[0-9]+)\\.(?P<minor>[0-9]+)").exec("1.25")?.groups).toEqual({ major: "1", minor: "25" });
  });

  test("patterns see code points, like Go's runes", () => {
    expect(regexMatches("😀", "^.$")).toBe(true);
  });

  test("bad patterns and unsupported flags are RegexErrors", () => {
    expect(() => goRegExp("(")).toThrow(RegexError);
    expect(() => goRegExp("(?U)a+")).toThrow('invalid regular expression "(?U)a+": unsupported flag U (supported: i, m, s)');
  });
});
