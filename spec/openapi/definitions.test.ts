import { describe, expect, test } from "vitest";
import { patchMetadata, type ValueMetadata } from "../patch/schema.ts";
import { definition, definitionForKind, definitionNames, openApiData, refName, type SchemaObject } from "./definitions.ts";

describe("definitions", () => {
  test("finds definitions by name and kinds by apiVersion and kind, as kubectl does", () => {
    expect(definition("io.k8s.api.core.v1.Pod")?.description).toMatch(/^Pod is a collection of containers/);
    expect(definition("io.k8s.api.core.v1.Nope")).toBeUndefined();
    expect(definitionForKind("apps/v1", "Deployment")?.name).toBe("io.k8s.api.apps.v1.Deployment");
    expect(definitionForKind("v1", "Event")?.name).toBe("io.k8s.api.core.v1.Event");
    expect(definitionForKind("events.k8s.io/v1", "Event")?.name).toBe("io.k8s.api.events.v1.Event");
    expect(definitionForKind("policy/v1", "DeleteOptions")?.name).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions");
    expect(definitionForKind("apps/v1", "Pod")).toBeUndefined();
    expect(refName("#/definitions/io.k8s.api.core.v1.Pod")).toBe("io.k8s.api.core.v1.Pod");
  });

  test("every served kind, its list and the shared meta types are present, and every $ref resolves", () => {
    for (const [kind, name] of Object.entries(openApiData.kinds)) {
      expect(definition(name), kind).toBeDefined();
    }
    for (const name of ["Status", "WatchEvent", "DeleteOptions", "APIResourceList", "ListMeta", "Patch"]) {
      expect(definition(`io.k8s.apimachinery.pkg.apis.meta.v1.${name}`), name).toBeDefined();
    }
    const dangling: string[] = [];
    const visit = (schema: SchemaObject, where: string) => {
      if (schema.$ref !== undefined && definition(refName(schema.$ref)) === undefined) dangling.push(`${where}: ${schema.$ref}`);
      for (const [field, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${field}`);
      if (schema.items !== undefined) visit(schema.items, `${where}[]`);
      if (typeof schema.additionalProperties === "object") visit(schema.additionalProperties, `${where}{}`);
    };
    for (const name of definitionNames()) visit(definition(name) as SchemaObject, name);
    expect(dangling).toEqual([]);
  });

  test("carries the strategic-merge-patch extensions kubectl needs", () => {
    const containers = definition("io.k8s.api.core.v1.PodSpec")?.properties?.containers;
    expect(containers?.["x-kubernetes-patch-merge-key"]).toBe("name");
    expect(containers?.["x-kubernetes-patch-strategy"]).toBe("merge");
    expect(definition("io.k8s.api.core.v1.Container")?.properties?.ports?.["x-kubernetes-list-map-keys"]).toEqual([
      "containerPort",
      "protocol",
    ]);
    expect(definition("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")?.["x-kubernetes-map-type"]).toBe("atomic");
  });

  // Both tables are generated from the same upstream document by two generators: they must agree.
  test("agrees with the patch metadata of spec/patch on every field's extensions", () => {
    const mismatches: string[] = [];
    for (const [typeName, type] of Object.entries(patchMetadata.types)) {
      const schema = definition(typeName);
      if (schema === undefined) {
        mismatches.push(`${typeName}: missing`);
        continue;
      }
      for (const [field, value] of Object.entries(type.fields)) {
        const property = schema.properties?.[field];
        const expected = extensionsOf(value);
        const actual = {
          patchStrategy: property?.["x-kubernetes-patch-strategy"],
          patchMergeKey: property?.["x-kubernetes-patch-merge-key"],
          listType: property?.["x-kubernetes-list-type"],
        };
        if (JSON.stringify(expected) !== JSON.stringify(actual)) mismatches.push(`${typeName}.${field}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

function extensionsOf(value: ValueMetadata): Record<string, unknown> {
  const meta = typeof value === "string" ? {} : (value as { patchStrategy?: string; patchMergeKey?: string; listType?: string });
  return { patchStrategy: meta.patchStrategy, patchMergeKey: meta.patchMergeKey, listType: meta.listType };
}
