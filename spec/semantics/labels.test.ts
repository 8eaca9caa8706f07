// Cases are upstream's (k8s.io/apimachinery/pkg/labels/selector_test.go); error texts follow from
// upstream's parser and field error formatting.
import { describe, expect, it } from "vitest";
import { FieldPath, fieldErrorString } from "./field-errors.ts";
import {
  everything,
  formatLabelSelector,
  type LabelOperator,
  LabelSelectorError,
  labelSelectorAsSelector,
  type Labels,
  matches,
  matchesNothing,
  newRequirement,
  nothing,
  parseLabelSelector,
  parseToRequirements,
  type Requirement,
  requirementMatches,
  selectorFromSet,
  validatedSelectorFromSet,
  validateLabelSelector,
} from "./labels.ts";

const req = (key: string, op: LabelOperator, values: string[] = []): Requirement => newRequirement(key, op, values);

const labelValueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const labelKeyRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe("parseLabelSelector (TestSelectorParse)", () => {
  it.each(["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"])(
    "%j round-trips without spaces",
    (s) => {
      expect(parseLabelSelector(s).toString()).toBe(s.replaceAll(" ", ""));
    },
  );

  it.each([
    [
      "x=a||y=b",
      `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${labelValueRule}`,
    ],
    ["x==a==b", "found '==', expected: ',' or 'end of string'"],
    ["!x=a", "found '=', expected: ',' or 'end of string'"],
    ["x<a", `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    [",x,y", "found ',', expected: !, identifier, or 'end of string'"],
    ["x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ["env IN (a)", "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ["a in (xyz),", "found '', expected: identifier after ','"],
    ["a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"],
    ["a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ["a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ["a in x", "unable to parse requirement: found 'x' expected: '('"],
    ["a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ["(", "found '(', expected: !, identifier, or 'end of string'"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    ["a:", `unable to parse requirement: <nil>: Invalid value: "a:": ${labelKeyRule}`],
    [
      "a/b/c",
      "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
    ["x>99999999999999999999", 'unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for \'Gt\', \'Lt\' operators, the value must be an integer'],
  ])("rejects %j: %s", (input, message) => {
    expect(() => parseLabelSelector(input)).toThrow(LabelSelectorError);
    let got = "";
    try {
      parseLabelSelector(input);
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got).toBe(message);
  });

  it("is deterministic (TestDeterministicParse)", () => {
    expect(parseLabelSelector("x=a,a=x").toString()).toBe(parseLabelSelector("a=x,x=a").toString());
    expect(parseLabelSelector("x=a,a=x").toString()).toBe("a=x,x=a");
  });
});

describe("parsed requirements (TestSetSelectorParser)", () => {
  const cases: [string, Requirement[]][] = [
    ["", []],
    ["\rx", [req("x", "exists")]],
    ["this-is-a-dns.domain.com/key-with-dash", [req("this-is-a-dns.domain.com/key-with-dash", "exists")]],
    [
      "this-is-another-dns.domain.com/key-with-dash in (so,what)",
      [req("this-is-another-dns.domain.com/key-with-dash", "in", ["so", "what"])],
    ],
    [
      "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
      [req("0.1.2.domain/99", "notin", ["10.10.100.1", "tick.tack.clock"])],
    ],
    ["foo  in\t (abc)", [req("foo", "in", ["abc"])]],
    ["x notin\n (abc)", [req("x", "notin", ["abc"])]],
    ["x  notin\t\t\t(abc,def)", [req("x", "notin", ["abc", "def"])]],
    ["x in (abc,def)", [req("x", "in", ["abc", "def"])]],
    ["x in (abc,)", [req("x", "in", ["", "abc"])]],
    ["x in ()", [req("x", "in", [""])]],
    [
      "x notin (abc,def),bar,z in (),w",
      [req("bar", "exists"), req("w", "exists"), req("x", "notin", ["abc", "def"]), req("z", "in", [""])],
    ],
    ["x,y in (a)", [req("x", "exists"), req("y", "in", ["a"])]],
    ["x,y", [req("x", "exists"), req("y", "exists")]],
    ["x=a", [req("x", "=", ["a"])]],
    ["x>1", [req("x", "gt", ["1"])]],
    ["x<7", [req("x", "lt", ["7"])]],
    ["x=a,y!=b", [req("x", "=", ["a"]), req("y", "!=", ["b"])]],
    ["x=a,y!=b,z in (h,i,j)", [req("x", "=", ["a"]), req("y", "!=", ["b"]), req("z", "in", ["h", "i", "j"])]],
    ["x notin ( )", [req("x", "notin", [""])]],
    ["x notin (, a)", [req("x", "notin", ["", "a"])]],
    ["a ", [req("a", "exists")]],
    ["a in (x,y,notin, z,in)", [req("a", "in", ["in", "notin", "x", "y", "z"])]],
    ["in in (in)", [req("in", "in", ["in"])]],
    ["a in (b,b,a)", [req("a", "in", ["a", "b"])]],
    ["a==b", [req("a", "==", ["b"])]],
  ];
  it.each(cases)("%j", (input, expected) => {
    expect(parseToRequirements(input)).toEqual(expected);
    expect(parseLabelSelector(input).requirements()).toEqual({ requirements: expected, selectable: true });
  });
});

describe("matching (TestSelectorMatches, TestRequirementSelectorMatching)", () => {
  const matchesCases: [string, Labels, boolean][] = [
    ["", { x: "y" }, true],
    ["x=y", { x: "y" }, true],
    ["x=y,z=w", { x: "y", z: "w" }, true],
    ["x!=y,z!=w", { x: "z", z: "a" }, true],
    ["notin=in", { notin: "in" }, true],
    ["x", { x: "z" }, true],
    ["!x", { y: "z" }, true],
    ["x>1", { x: "2" }, true],
    ["x<1", { x: "0" }, true],
    ["x=z", {}, false],
    ["x=y", { x: "z" }, false],
    ["x=y,z=w", { x: "w", z: "w" }, false],
    ["x!=y,z!=w", { x: "z", z: "w" }, false],
    ["x", { y: "z" }, false],
    ["!x", { x: "z" }, false],
    ["x>1", { x: "0" }, false],
    ["x<1", { x: "2" }, false],
    ["foo=bar", { foo: "bar", baz: "blah" }, true],
    ["baz=blah", { foo: "bar", baz: "blah" }, true],
    ["foo=bar,baz=blah", { foo: "bar", baz: "blah" }, true],
    ["foo=blah", { foo: "bar", baz: "blah" }, false],
    ["baz=bar", { foo: "bar", baz: "blah" }, false],
    ["foo=bar,foobar=bar,baz=blah", { foo: "bar", baz: "blah" }, false],
    ["x in (foo),y notin (alpha)", { x: "foo", y: "baz" }, true],
    ["x in (foo),y in (alpha)", { x: "foo", y: "baz" }, false],
    ["x notin (),y", { y: "" }, true],
    ["!x,y", { y: "" }, true],
    ["x notin (),!y", { y: "" }, false],
    ["x in ()", { y: "baz" }, false],
    ["z>1", { z: "2" }, true],
    ["z>1", { z: "v2" }, false],
    ["x notin (a)", {}, true],
    ["x!=a", {}, true],
    ["x=", { x: "" }, true],
    ["x=", {}, false],
    ["constructor", {}, false],
    ["!toString", {}, true],
  ];
  it.each(matchesCases)("%j matches %j: %s", (selector, labels, want) => {
    expect(matches(parseLabelSelector(selector), labels)).toBe(want);
  });

  it("Gt/Lt compare int64 values and fail on non-integers", () => {
    // "-5" is not a valid label value, so only a hand-built requirement can hold it.
    expect(() => req("n", "gt", ["-5"])).toThrow(LabelSelectorError);
    expect(requirementMatches({ key: "n", operator: "gt", values: ["-5"] }, { n: "-4" })).toBe(true);
    expect(requirementMatches(req("n", "lt", ["9223372036854775807"]), { n: "9223372036854775806" })).toBe(true);
    expect(requirementMatches(req("n", "gt", ["1"]), { n: "9223372036854775808" })).toBe(false);
    expect(requirementMatches({ key: "n", operator: "gt", values: ["1", "2"] }, { n: "5" })).toBe(false);
  });

  it("Everything, Nothing and sets (TestEverything, TestSetMatches)", () => {
    expect(everything().matches({ x: "y" })).toBe(true);
    expect(everything().empty()).toBe(true);
    expect(nothing().matches({})).toBe(false);
    expect(nothing().empty()).toBe(false);
    expect(nothing().requirements().selectable).toBe(false);
    expect(matchesNothing(nothing())).toBe(true);
    expect(matchesNothing(everything())).toBe(false);
    const set = { foo: "bar", baz: "blah" };
    expect(selectorFromSet({}).matches(set)).toBe(true);
    expect(selectorFromSet({}).empty()).toBe(true);
    expect(selectorFromSet({ foo: "bar" }).matches(set)).toBe(true);
    expect(selectorFromSet({ foo: "bar", baz: "blah" }).matches(set)).toBe(true);
    expect(selectorFromSet({ foo: "bar", baz: "blah" }).toString()).toBe("baz=blah,foo=bar");
    expect(selectorFromSet({ foo: "blah" }).matches(set)).toBe(false);
    expect(() => validatedSelectorFromSet({ foo: "a b" })).toThrow(LabelSelectorError);
  });

  it("requiresExactMatch and add", () => {
    const s = parseLabelSelector("a=1,b in (2),c in (3,4),d!=5");
    expect(s.requiresExactMatch("a")).toBe("1");
    expect(s.requiresExactMatch("b")).toBe("2");
    expect(s.requiresExactMatch("c")).toBeUndefined();
    expect(s.requiresExactMatch("d")).toBeUndefined();
    expect(s.add(req("aa", "exists")).toString()).toBe("a=1,aa,b in (2),c in (3,4),d!=5");
    expect(s.toString()).toBe("a=1,b in (2),c in (3,4),d!=5");
  });
});

describe("requirements (TestRequirementConstructor, TestToString)", () => {
  it.each([
    ["x", "in", [], false],
    ["x", "notin", [], false],
    ["x", "in", ["foo"], true],
    ["x", "notin", ["foo"], true],
    ["x", "exists", [], true],
    ["x", "!", [], true],
    ["1foo", "in", ["bar"], true],
    ["1234", "in", ["bar"], true],
    ["y", "gt", ["1"], true],
    ["z", "lt", ["6"], true],
    ["foo", "gt", ["bar"], false],
    ["barz", "lt", ["blah"], false],
    ["a".repeat(254), "exists", [], false],
  ] as [string, LabelOperator, string[], boolean][])("newRequirement(%s, %s, %j) ok=%s", (key, op, values, ok) => {
    if (ok) expect(() => newRequirement(key, op, values)).not.toThrow();
    else expect(() => newRequirement(key, op, values)).toThrow(LabelSelectorError);
  });

  it.each([
    [["x", "in", []], 'values: Invalid value: []string{}: for \'in\', \'notin\' operators, values set can\'t be empty'],
    [["x", "=", ["a", "b"]], 'values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value'],
    [["x", "exists", ["a"]], 'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist'],
    [["a".repeat(254), "exists", []], `key: Invalid value: "${"a".repeat(254)}": name part must be no more than 63 characters`],
    [
      ["k", "in", ["a b", "c d"]],
      `[values[0][k]: Invalid value: "a b": ${labelValueRule}, values[1][k]: Invalid value: "c d": ${labelValueRule}]`,
    ],
  ] as [[string, LabelOperator, string[]], string][])("newRequirement%j fails with %s", ([key, op, values], message) => {
    expect(() => newRequirement(key, op, values)).toThrow(message);
  });

  it.each([
    [[req("x", "in", ["abc", "def"]), req("y", "notin", ["jkl"]), req("z", "exists")], "x in (abc,def),y notin (jkl),z"],
    [[req("x", "notin", ["abc", "def"]), req("y", "!=", ["jkl"]), req("z", "!")], "x notin (abc,def),y!=jkl,!z"],
    [[req("x", "notin", ["abc"]), req("y", "in", ["jkl", "mno"]), req("z", "notin", [""])], "x notin (abc),y in (jkl,mno),z notin ()"],
    [[req("x", "=", ["abc"]), req("y", "==", ["jkl"]), req("z", "!=", ["a"]), req("z", "exists")], "x=abc,y==jkl,z!=a,z"],
    [[req("x", "gt", ["2"]), req("y", "lt", ["8"]), req("z", "exists")], "x>2,y<8,z"],
    [[req("x", "in", ["def", "abc"])], "x in (abc,def)"],
  ])("%j prints %s", (reqs, expected) => {
    expect(everything().add(...reqs).toString()).toBe(expected);
  });
});

describe("metav1.LabelSelector", () => {
  it("null selects nothing, empty selects everything", () => {
    expect(labelSelectorAsSelector(null).matches({})).toBe(false);
    expect(labelSelectorAsSelector(undefined).matches({ a: "b" })).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: "b" })).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
    expect(formatLabelSelector(null)).toBe("<none>");
    expect(formatLabelSelector({})).toBe("<none>");
  });

  it("combines matchLabels and matchExpressions, sorted by key", () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["b", "a"] },
        { key: "env", operator: "DoesNotExist" },
        { key: "track", operator: "NotIn", values: ["canary"] },
        { key: "zone", operator: "Exists" },
      ],
    });
    expect(s.toString()).toBe("app=web,!env,tier in (a,b),track notin (canary),zone");
    expect(s.matches({ app: "web", tier: "a", zone: "z1" })).toBe(true);
    expect(s.matches({ app: "web", tier: "a", zone: "z1", env: "prod" })).toBe(false);
    expect(s.matches({ app: "web", tier: "a", zone: "z1", track: "canary" })).toBe(false);
    expect(s.matches({ app: "web", tier: "c", zone: "z1" })).toBe(false);
    expect(s.matches({ app: "web", tier: "a" })).toBe(false);
  });

  it.each([
    [{ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }, '"Gt" is not a valid pod selector operator'],
    [
      { matchExpressions: [{ key: "a", operator: "In" }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { "bad key": "v" } }, `key: Invalid value: "bad key": ${labelKeyRule}`],
  ])("%j fails with %s", (selector, message) => {
    expect(() => labelSelectorAsSelector(selector)).toThrow(message);
    expect(formatLabelSelector(selector)).toBe("<error>");
  });

  it("validateLabelSelector reports each problem at its path", () => {
    const path = FieldPath.of("spec", "selector");
    const errs = validateLabelSelector(
      {
        matchLabels: { app: "a b" },
        matchExpressions: [
          { key: "k", operator: "In" },
          { key: "k", operator: "Exists", values: ["x"] },
          { key: "k", operator: "Gt", values: ["1"] },
          { key: "-bad", operator: "NotIn", values: ["ok", "not ok"] },
        ],
      },
      path,
    ).map(fieldErrorString);
    expect(errs).toEqual([
      `spec.selector.matchLabels: Invalid value: "a b": ${labelValueRule}`,
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
      `spec.selector.matchExpressions[3].key: Invalid value: "-bad": ${labelKeyRule}`,
      `spec.selector.matchExpressions[3].values[1]: Invalid value: "not ok": ${labelValueRule}`,
    ]);
  });

  it("allowInvalidLabelValueInSelector skips value checks", () => {
    const errs = validateLabelSelector(
      { matchExpressions: [{ key: "k", operator: "In", values: ["not ok"] }] },
      FieldPath.of("selector"),
      { allowInvalidLabelValueInSelector: true },
    );
    expect(errs).toEqual([]);
    expect(validateLabelSelector(null, FieldPath.of("selector"))).toEqual([]);
  });
});
