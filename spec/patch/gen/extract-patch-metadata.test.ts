import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { patchMetadata } from "../schema.ts";
import { extractPatchMetadata, renderModule, type GroupVersionKind } from "./extract-patch-metadata.ts";

// A miniature OpenAPI v2 document in kube-apiserver's shape (the real one is not read by tests).
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const document = {
  definitions: {
    "example.v1.Widget": {
      type: "object",
      properties: {
        apiVersion: { type: "string" },
        metadata: ref("example.v1.Meta"),
        spec: { ...ref("example.v1.WidgetSpec"), "x-kubernetes-patch-strategy": "retainKeys" },
        size: ref("example.Quantity"),
      },
      "x-kubernetes-group-version-kind": [{ group: "example.com", version: "v1", kind: "Widget" }],
    },
    "example.v1.Meta": {
      type: "object",
      properties: {
        labels: { type: "object", additionalProperties: { type: "string" } },
        finalizers: {
          type: "array",
          items: { type: "string" },
          "x-kubernetes-patch-strategy": "merge",
          "x-kubernetes-list-type": "set",
        },
      },
    },
    "example.v1.WidgetSpec": {
      type: "object",
      properties: {
        parts: {
          type: "array",
          items: ref("example.v1.Part"),
          "x-kubernetes-patch-strategy": "merge",
          "x-kubernetes-patch-merge-key": "name",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
        },
        port: ref("example.IntOrString"),
        raw: ref("example.RawExtension"),
        selector: ref("example.v1.Selector"),
        nodeSelector: { type: "object", additionalProperties: { type: "string" }, "x-kubernetes-map-type": "atomic" },
      },
    },
    "example.v1.Part": { type: "object", properties: { name: { type: "string" }, weight: { type: "number" } } },
    "example.v1.Selector": {
      type: "object",
      properties: { matchLabels: { type: "object", additionalProperties: { type: "string" } } },
      "x-kubernetes-map-type": "atomic",
    },
    "example.RawExtension": { type: "object" },
    "example.Quantity": { type: "string" },
    "example.IntOrString": { type: "string", format: "int-or-string" },
    "example.v1.Unreachable": { type: "object", properties: { a: { type: "string" } } },
  },
};
const widget: GroupVersionKind[] = [{ group: "example.com", version: "v1", kind: "Widget" }];

describe("extractPatchMetadata", () => {
  test("keeps the types reachable from the served kinds, with their shapes and extensions", () => {
    expect(extractPatchMetadata(document, widget)).toStrictEqual({
      kinds: { "example.com/v1/Widget": "example.v1.Widget" },
      types: {
        "example.RawExtension": { opaque: true, fields: {} },
        "example.v1.Meta": {
          fields: { finalizers: { list: "string", patchStrategy: "merge", listType: "set" }, labels: { map: "string" } },
        },
        "example.v1.Part": { fields: { name: "string", weight: "number" } },
        "example.v1.Selector": { mapType: "atomic", fields: { matchLabels: { map: "string" } } },
        "example.v1.Widget": {
          fields: {
            apiVersion: "string",
            metadata: "example.v1.Meta",
            size: "string",
            spec: { type: "example.v1.WidgetSpec", patchStrategy: "retainKeys" },
          },
        },
        "example.v1.WidgetSpec": {
          fields: {
            nodeSelector: { map: "string", mapType: "atomic" },
            parts: {
              list: "example.v1.Part",
              patchStrategy: "merge",
              patchMergeKey: "name",
              listType: "map",
              listMapKeys: ["name"],
            },
            port: "int-or-string",
            raw: "example.RawExtension",
            selector: "example.v1.Selector",
          },
        },
      },
    });
  });

  test("a core kind's key has no group", () => {
    const doc = {
      definitions: {
        "io.k8s.api.core.v1.Pod": {
          properties: { kind: { type: "string" } },
          "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Pod" }],
        },
      },
    };
    expect(extractPatchMetadata(doc, [{ group: "", version: "v1", kind: "Pod" }]).kinds).toStrictEqual({
      "v1/Pod": "io.k8s.api.core.v1.Pod",
    });
  });

  test.each<[string, unknown, string]>([
    ["not OpenAPI", { swagger: "2.0" }, "no definitions"],
    ["a served kind missing", { definitions: {} }, "no definition for example.com/v1/Widget"],
    [
      "an unknown patch strategy",
      {
        definitions: {
          W: {
            properties: { a: { type: "array", items: { type: "string" }, "x-kubernetes-patch-strategy": "append" } },
            "x-kubernetes-group-version-kind": widget,
          },
        },
      },
      "unexpected W.a patch strategy: append",
    ],
    [
      "a dangling reference",
      { definitions: { W: { properties: { a: ref("Gone") }, "x-kubernetes-group-version-kind": widget } } },
      "missing definition Gone",
    ],
  ])("refuses %s", (_name, doc, message) => {
    expect(() => extractPatchMetadata(doc, widget)).toThrow(message);
  });
});

describe("renderModule", () => {
  test("renders one line per field, sorted, with the source named in the header", () => {
    const text = renderModule(extractPatchMetadata(document, widget), "example.json");
    expect(text.split("\n")[0]).toBe(
      "// Generated by spec/patch/gen/extract-patch-metadata.ts from example.json. Do not edit by hand.",
    );
    expect(text).toContain('  "example.RawExtension": { opaque: true, fields: {} },\n');
    expect(text).toContain(
      '      parts: { list: "example.v1.Part", patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },\n',
    );
    expect(text).toContain('  "example.v1.Selector": {\n    mapType: "atomic",\n    fields: {\n      matchLabels: { map: "string" },\n');
  });

  test("the committed metadata.generated.ts is exactly the generator's output (not edited by hand)", () => {
    const committed = readFileSync(new URL("../metadata.generated.ts", import.meta.url), "utf8");
    const source = /from (\S+)\. Do not edit/.exec(committed.split("\n")[0] ?? "")?.[1];
    expect(source).toBe("kubernetes-openapi-v2-1.28.0.json");
    expect(renderModule(patchMetadata, source as string)).toBe(committed);
  });
});
