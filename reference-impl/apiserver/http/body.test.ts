import { describe, expect, it } from "vitest";
import { type DecodedBody, MAX_YAML_DEPTH, decodeBody, summarizeData, yamlNestingExceeds, yamlToValue } from "./body.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const pod = { kind: "object", objectKind: "Pod" } as const;

function message(d: DecodedBody): string | undefined {
  return "status" in d ? d.status.message : undefined;
}

describe("decodeBody", () => {
  it("decodes JSON and YAML objects to plain values", () => {
    expect(decodeBody(enc('{"kind":"Pod","metadata":{"name":"a"}}'), "json", pod)).toEqual({ value: { kind: "Pod", metadata: { name: "a" } } });
    expect(decodeBody(enc("kind: Pod\nmetadata:\n  name: a\n"), "yaml", pod)).toEqual({ value: { kind: "Pod", metadata: { name: "a" } } });
  });

  it("words a malformed create/update body as transformDecodeError does, with Go's scanner message", () => {
    const bad = decodeBody(enc("{bad"), "json", pod);
    expect("status" in bad && bad.status).toMatchObject({ code: 400, reason: "BadRequest" });
    expect(message(bad)).toBe(
      "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string ({bad)",
    );
    expect(message(decodeBody(enc(""), "json", pod))).toBe(
      "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
    );
    expect(message(decodeBody(enc('{"a": 1,'), "json", { kind: "object", objectKind: "Namespace" }))).toBe(
      "the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse error: unexpected end of JSON input ({\"a\": 1,)",
    );
  });

  it("refuses a top-level value that is not an object as meta.Interpret does", () => {
    expect(message(decodeBody(enc("[]"), "json", pod))).toBe(
      'the object provided is unrecognized (must be of type Pod): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b5d)',
    );
    expect(message(decodeBody(enc('"x"'), "json", pod))).toContain("cannot unmarshal string into Go value");
    expect(message(decodeBody(enc("true"), "json", pod))).toContain("cannot unmarshal bool into Go value");
    expect(message(decodeBody(enc("12"), "json", pod))).toContain("cannot unmarshal number into Go value");
    expect(decodeBody(enc("null"), "json", pod)).toEqual({ value: null });
  });

  it("words malformed patches per patch type", () => {
    const patch = (patchType: string, fieldValidation?: string) => ({ kind: "patch", patchType, ...(fieldValidation === undefined ? {} : { fieldValidation }) }) as const;
    expect(message(decodeBody(enc("{x"), "json", patch("application/merge-patch+json")))).toBe(
      "error decoding patch: invalid character 'x' looking for beginning of object key string",
    );
    expect(message(decodeBody(enc("[x"), "json", patch("application/json-patch+json", "Ignore")))).toBe("invalid character 'x' looking for beginning of value");
    expect(message(decodeBody(enc("{x"), "json", patch("application/strategic-merge-patch+json")))).toBe(
      "invalid character 'x' looking for beginning of object key string",
    );
    expect(message(decodeBody(enc("a: b: c"), "yaml", patch("application/apply-patch+yaml")))).toMatch(/^error decoding YAML: error converting YAML to JSON: yaml: line 1: /);
    expect(decodeBody(enc('[{"op":"add","path":"/a","value":1}]'), "json", patch("application/json-patch+json"))).toEqual({ value: [{ op: "add", path: "/a", value: 1 }] });
  });

  it("wraps YAML errors for objects, with the hex summary of a body that is not a JSON object", () => {
    const m = message(decodeBody(enc("a: b: c"), "yaml", pod));
    expect(m).toMatch(/^the object provided is unrecognized \(must be of type Pod\): couldn't get version\/kind; json parse error: error converting YAML to JSON: yaml: line 1: .* \(613a20623a2063\)$/);
  });

  it("reads DeleteOptions bodies", () => {
    expect(decodeBody(enc('{"propagationPolicy":"Background"}'), "json", { kind: "deleteOptions" })).toEqual({ value: { propagationPolicy: "Background" } });
    expect(message(decodeBody(enc("{"), "json", { kind: "deleteOptions" }))).toBe("couldn't get version/kind; json parse error: unexpected end of JSON input");
  });
});

describe("summarizeData", () => {
  it("shows a JSON object's start as text and anything else as hex, cut at the limit", () => {
    expect(summarizeData(new Uint8Array(), 30)).toBe("<empty>");
    expect(summarizeData(enc('{"a":1}'), 30)).toBe('{"a":1}');
    expect(summarizeData(enc(`{"${"x".repeat(40)}":1}`), 30)).toBe(`{"${"x".repeat(28)} ...`);
    expect(summarizeData(enc("[1]"), 30)).toBe("5b315d");
    expect(summarizeData(enc("y".repeat(31)), 30)).toBe(`${"79".repeat(30)} ...`);
  });
});

describe("yamlToValue", () => {
  it("reads YAML 1.1 scalars as go-yaml v2 does, keys as strings, timestamps as text, the first document", () => {
    expect(yamlToValue("a: yes\nb: off\nc: 0755\nd: 2001-12-14\n1: x\ne: ~\nf: 1.5\n")).toEqual({ value: { a: true, b: false, c: 493, d: "2001-12-14", "1": "x", e: null, f: 1.5 } });
    expect(yamlToValue("a: 1\n---\nb: 2\n")).toEqual({ value: { a: 1 } });
    expect(yamlToValue("")).toEqual({ value: null });
    expect(yamlToValue("base: &b {x: 1}\nuse:\n  <<: *b\n  z: 2\n")).toEqual({ value: { base: { x: 1 }, use: { x: 1, z: 2 } } });
    // go-yaml v2 reads an unquoted y as a boolean, even as a key.
    expect(yamlToValue("y: 1\n")).toEqual({ value: { true: 1 } });
  });

  it("reports errors with their line", () => {
    expect(yamlToValue("a:\n  - b\n c: d")).toEqual({ error: expect.stringMatching(/^yaml: line 3: /) as unknown });
    expect(yamlToValue("a: .nan\n")).toEqual({ error: "yaml: json: unsupported value: NaN" });
  });
});

describe("YAML nesting depth", () => {
  // Found by harness/compat/http-fuzz: an apply patch nested 6000 deep overflowed the stack inside
  // V8's RegExp compiler, a fatal out-of-memory that killed the API server process.
  it("refuses YAML nested deeper than the limit before composing it, flow or block", () => {
    const deepFlow = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":${'{"a":'.repeat(6000)}1${"}".repeat(6000)}}}`;
    expect(yamlToValue(deepFlow)).toEqual({ error: `yaml: exceeded max depth of ${MAX_YAML_DEPTH}` });
    expect(yamlToValue("[".repeat(100_000))).toEqual({ error: `yaml: exceeded max depth of ${MAX_YAML_DEPTH}` });
    const deepBlock = Array.from({ length: 600 }, (_, i) => `${" ".repeat(i)}a:`).join("\n") + " 1";
    expect(yamlToValue(deepBlock)).toEqual({ error: `yaml: exceeded max depth of ${MAX_YAML_DEPTH}` });
    expect(yamlToValue(`${"- ".repeat(600)}1`)).toEqual({ error: `yaml: exceeded max depth of ${MAX_YAML_DEPTH}` });
    const apply = decodeBody(enc(deepFlow), "yaml", { kind: "patch", patchType: "application/apply-patch+yaml" });
    expect(message(apply)).toBe(`error decoding YAML: error converting YAML to JSON: yaml: exceeded max depth of ${MAX_YAML_DEPTH}`);
  });

  it("reads nesting up to the limit, and long documents with many indicators", () => {
    const atLimit = `${"[".repeat(MAX_YAML_DEPTH)}${"]".repeat(MAX_YAML_DEPTH)}`;
    expect(yamlNestingExceeds(atLimit, MAX_YAML_DEPTH)).toBe(false);
    expect(yamlNestingExceeds(`[${atLimit}]`, MAX_YAML_DEPTH)).toBe(true);
    expect("value" in yamlToValue(atLimit)).toBe(true);
    // Thousands of entries, shallow: past the cheap bound, settled by the exact depth.
    const wide = Array.from({ length: 3000 }, (_, i) => `k${i}: [a, {b: c}]`).join("\n");
    expect(yamlNestingExceeds(wide, MAX_YAML_DEPTH)).toBe(false);
    expect(Object.keys((yamlToValue(wide) as { value: Record<string, unknown> }).value)).toHaveLength(3000);
  });
});
