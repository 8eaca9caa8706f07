import { describe, expect, it } from "vitest";
import { type WireField, readFields, utf8String } from "../http/protobuf/wire.ts";
import { allServedGroupVersions } from "./resources.ts";
import { OpenApiDocuments } from "./index.ts";
import { openApiV2Protobuf } from "./v2-proto.ts";

/** The length-delimited payloads of field `n`. */
function payloads(fields: WireField[], n: number): Uint8Array[] {
  return fields.filter((f) => f.number === n && f.field.wireType === 2).map((f) => f.field.value as Uint8Array);
}
const text = (fields: WireField[], n: number): string[] => payloads(fields, n).map(utf8String);

/** NamedX entries (name = 1, value = 2) as a map of name → value fields. */
function named(container: Uint8Array): Map<string, WireField[]> {
  const out = new Map<string, WireField[]>();
  for (const entry of payloads(readFields(container), 1)) {
    const f = readFields(entry);
    out.set(text(f, 1)[0] ?? "", readFields(payloads(f, 2)[0] ?? new Uint8Array()));
  }
  return out;
}

describe("OpenAPI v2 as gnostic protobuf", () => {
  it("encodes swagger, info and every definition with types, refs, required and extensions", () => {
    const doc = {
      swagger: "2.0",
      info: { title: "Kubernetes", version: "v1.32.0" },
      definitions: {
        Thing: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string", default: "x" },
            items: { type: "array", items: { $ref: "#/definitions/Item" }, "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge" },
            labels: { type: "object", additionalProperties: { type: "string" } },
            closed: { type: "object", additionalProperties: false },
            count: { type: "integer", format: "int32", minimum: 1.5 },
          },
          "x-kubernetes-group-version-kind": [{ group: "", kind: "Thing", version: "v1" }],
        },
      },
    };
    const top = readFields(openApiV2Protobuf(doc));
    expect(text(top, 1)).toEqual(["2.0"]);
    expect(text(readFields(payloads(top, 2)[0]!), 1)).toEqual(["Kubernetes"]);
    const defs = named(payloads(top, 9)[0]!);
    const thing = defs.get("Thing")!;
    expect(text(thing, 19)).toEqual(["name"]);
    expect(text(readFields(payloads(thing, 22)[0]!), 1)).toEqual(["object"]);
    const ext = readFields(payloads(thing, 31)[0]!);
    expect(text(ext, 1)).toEqual(["x-kubernetes-group-version-kind"]);
    expect(JSON.parse(text(readFields(payloads(ext, 2)[0]!), 2)[0]!)).toEqual([{ group: "", kind: "Thing", version: "v1" }]);

    const props = named(payloads(thing, 25)[0]!);
    expect([...props.keys()]).toEqual(["name", "items", "labels", "closed", "count"]);
    expect(text(readFields(payloads(props.get("name")!, 5)[0]!), 2)).toEqual(['"x"\n']);
    const items = props.get("items")!;
    const itemSchema = readFields(payloads(readFields(payloads(items, 23)[0]!), 1)[0]!);
    expect(text(itemSchema, 1)).toEqual(["#/definitions/Item"]);
    expect(payloads(items, 31).map((p) => text(readFields(p), 1)[0])).toEqual(["x-kubernetes-patch-merge-key", "x-kubernetes-patch-strategy"]);
    const labelsAdditional = readFields(payloads(props.get("labels")!, 21)[0]!);
    expect(text(readFields(payloads(labelsAdditional, 1)[0]!), 22).length).toBe(1);
    // additionalProperties: false is written (a oneof member at its zero value).
    expect(readFields(payloads(props.get("closed")!, 21)[0]!)).toEqual([{ number: 2, field: { wireType: 0, value: 0n } }]);
    const minimum = props.get("count")!.find((f) => f.number === 9)!;
    expect(minimum.field.wireType).toBe(1);
    expect(new DataView((minimum.field.value as Uint8Array).slice().buffer).getFloat64(0, true)).toBe(1.5);
  });

  it("the served document carries every definition of the JSON one", () => {
    const docs = new OpenApiDocuments(allServedGroupVersions);
    const json = JSON.parse(docs.v2().json) as { definitions: Record<string, unknown> };
    const pb = docs.v2Protobuf();
    const defs = named(payloads(readFields(pb.bytes), 9)[0]!);
    expect([...defs.keys()]).toEqual(Object.keys(json.definitions));
    expect(pb.hash).toMatch(/^[0-9A-F]{128}$/);
    expect(docs.v2Protobuf()).toBe(pb);
  });
});
