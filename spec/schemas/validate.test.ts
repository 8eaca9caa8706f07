import { describe, expect, it } from "vitest";
import { array, enumeration, integer, object, optional, record, renderSchema, schemaDocument, string } from "./builder.ts";
import { closest, compileSchema, didYouMean, editDistance, pointerToPath, validateDocument } from "./validate.ts";
import { parseYamlSource } from "./yaml-source.ts";

interface Thing {
  name: string;
  size?: number;
  mode: "a" | "b";
  tags?: string[];
  labels?: Record<string, string>;
  source?: { file?: string; inline?: string };
}

const thing = object<Thing>("A thing.", {
  name: string("Name.", { pattern: "^[a-z]+$", errorMessage: "must be lowercase letters" }),
  size: optional(integer("Size.", { minimum: 0 })),
  mode: enumeration(["a", "b"], "Mode."),
  tags: optional(array(string("Tag."), "Tags.", { minItems: 1, uniqueItems: true })),
  labels: optional(record(string("Value."), "Labels.", { keyPattern: "^[a-z]+$" })),
  source: optional(
    object<{ file?: string; inline?: string }>("Source.", { file: optional(string("File.")), inline: optional(string("Inline.")) }, { exactlyOne: ["file", "inline"] }),
  ),
});
const validate = compileSchema(schemaDocument(thing, { $id: "https://example.com/thing.json", title: "Thing", description: "Thing." }));

function errorsOf(text: string): string[] {
  const source = parseYamlSource("t.yaml", text);
  return validateDocument(source, 0, source.values[0], validate).map((e) => e.format());
}

describe("schema validation of YAML", () => {
  it("accepts a valid document", () => {
    expect(errorsOf("name: abc\nmode: a\ntags: [x]\nsource: {file: f}\n")).toEqual([]);
  });

  it("words each kind of error for a reader, at the field it concerns", () => {
    const text = "name: ABC\nsize: -1\nmode: c\ntags: [x, x]\nlabels: {Bad: v}\nsource: {file: f, inline: i}\nnmae: x\n";
    expect(errorsOf(text)).toEqual([
      "t.yaml:1:7: name: must be lowercase letters",
      "t.yaml:2:7: size: must be >= 0",
      "t.yaml:3:7: mode: must be one of a, b",
      "t.yaml:4:11: tags[1]: repeats item 0",
      't.yaml:5:10: labels.Bad: invalid name `Bad`: must match pattern "^[a-z]+$"',
      "t.yaml:6:1: source: only one of these may be given: `file` and `inline`",
      "t.yaml:7:1: nmae: unknown field `nmae` (did you mean `name`?)",
    ]);
    expect(errorsOf("mode: a\nsource: {}\ntags: []\n")).toEqual([
      "t.yaml:1:1: missing required field `name`",
      "t.yaml:2:1: source: needs one of `file`, `inline`",
      "t.yaml:3:1: tags: must not be empty",
    ]);
    expect(errorsOf("name: [a]\nmode: a\n")).toEqual(["t.yaml:1:7: name: must be lowercase letters"]);
    expect(errorsOf("- a\n")).toEqual(["t.yaml:1:1: must be a mapping"]);
  });

  it("suggests near names only", () => {
    expect(editDistance("applly", "apply")).toBe(1);
    expect(editDistance("aplpy", "apply")).toBe(1);
    expect(closest("evntually", ["eventually", "expect"])).toBe("eventually");
    expect(closest("zzz", ["eventually", "expect"])).toBeUndefined();
    expect(didYouMean("Apply", ["apply"])).toBe(" (did you mean `apply`?)");
  });

  it("reads JSON pointers with escapes and array indexes", () => {
    expect(pointerToPath("/a~1b/0/c~0d", { "a/b": [{}] })).toEqual(["a/b", 0, "c~d"]);
  });

  it("renders schemas that a fresh Ajv compiles", () => {
    expect(() => compileSchema(JSON.parse(renderSchema(schemaDocument(thing, { $id: "https://example.com/t2.json", title: "T", description: "T." }))))).not.toThrow();
  });
});
