import { describe, expect, it } from "vitest";
import {
  anyOf,
  array,
  boolean,
  integer,
  keyed,
  lazy,
  named,
  object,
  optional,
  record,
  renderSchema,
  schemaDocument,
  string,
  type Schema,
} from "./builder.ts";

interface Point {
  x: number;
  label?: string;
}

describe("schema builders", () => {
  it("emit closed objects with required fields and descriptions", () => {
    const point = object<Point>("A point.", { x: integer("X."), label: optional(string("Label.")) });
    expect(point.json).toEqual({
      type: "object",
      description: "A point.",
      properties: { x: { type: "integer", description: "X." }, label: { type: "string", description: "Label." } },
      required: ["x"],
      additionalProperties: false,
    });
  });

  it("are checked against the type by the compiler, so a type and its schema cannot drift", () => {
    // Each line below is a drift the compiler refuses; tsc fails if one of them is accepted.
    // @ts-expect-error a field of the type is missing from the schema
    object<Point>("A point.", { x: integer("X.") });
    // @ts-expect-error a field the type does not have
    object<Point>("A point.", { x: integer("X."), label: optional(string("L.")), extra: string("E.") });
    // @ts-expect-error a required field marked optional
    object<Point>("A point.", { x: optional(integer("X.")), label: optional(string("L.")) });
    // @ts-expect-error an optional field marked required
    object<Point>("A point.", { x: integer("X."), label: string("L.") });
    // @ts-expect-error a field of another type
    object<Point>("A point.", { x: string("X."), label: optional(string("L.")) });
    expect(true).toBe(true);
  });

  it("put named types under definitions, once, including recursive ones", () => {
    interface Tree {
      value: number;
      children?: Tree[];
    }
    const tree: Schema<Tree> = named(
      "Tree",
      object<Tree>("A tree.", {
        value: integer("The value."),
        children: optional(array(lazy<Tree>("Tree", "A subtree.", () => tree), "Subtrees.")),
      }),
    );
    const root = object<{ a: Tree; b: Tree }>("Root.", { a: tree, b: tree });
    const doc = schemaDocument(root, { $id: "https://example.com/x.json", title: "X", description: "Doc." });
    expect(Object.keys(doc.definitions as object)).toEqual(["Tree"]);
    expect((doc.properties as Record<string, unknown>).a).toEqual({ $ref: "#/definitions/Tree", description: "A tree." });
    const body = (doc.definitions as Record<string, { properties: Record<string, { items: unknown }> }>).Tree;
    expect(body?.properties.children?.items).toEqual({ $ref: "#/definitions/Tree", description: "A subtree." });
    expect(renderSchema(doc).endsWith("}\n")).toBe(true);
  });

  it("emit keyed unions: exactly one kind key, extras only beside their kind", () => {
    type Kinds = { run: string; group: boolean };
    const step = keyed<Kinds, { name?: string }, { group: { note?: string } }>(
      "A step.",
      { run: string("Run."), group: boolean("Group.") },
      { name: optional(string("Name.")) },
      { group: { note: optional(string("Note.")) } },
    );
    expect(step.json.oneOf).toEqual([{ required: ["run"] }, { required: ["group"] }]);
    expect(step.json.dependencies).toEqual({ note: ["group"] });
    expect(step.json.required).toBeUndefined();
  });

  it("emit anyOf with its error message, and records with key patterns", () => {
    const either = anyOf("Either.", [integer("I."), boolean("B.")], { errorMessage: "must be an integer or a boolean" });
    expect(either.json).toEqual({
      description: "Either.",
      errorMessage: "must be an integer or a boolean",
      anyOf: [
        { type: "integer", description: "I." },
        { type: "boolean", description: "B." },
      ],
    });
    expect(record(string("V."), "Map.", { keyPattern: "^[a-z]+$" }).json.propertyNames).toEqual({ pattern: "^[a-z]+$" });
  });
});
