// The schemas a document carries: the definitions its operations use and everything they reference,
// rendered for Swagger 2.0 (as generated) or for OpenAPI 3.0 (as kube-apiserver's /openapi/v3 writes
// them: $ref into #/components/schemas, a $ref with sibling keywords wrapped in allOf, and IntOrString
// and Quantity described by oneOf instead of a string type).
import { refName, type OpenApiData, type SchemaObject } from "../../../spec/openapi/definitions.ts";

const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/** The definitions reachable from `roots`, sorted by name. */
export function reachableDefinitions(data: OpenApiData, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    const schema = data.definitions[name];
    if (schema === undefined) throw new Error(`openapi: no definition ${name}`);
    seen.add(name);
    collectRefs(schema, pending);
  }
  return [...seen].sort();
}

function collectRefs(schema: SchemaObject, into: string[]): void {
  if (schema.$ref !== undefined) into.push(refName(schema.$ref));
  for (const property of Object.values(schema.properties ?? {})) collectRefs(property, into);
  if (schema.items !== undefined) collectRefs(schema.items, into);
  if (typeof schema.additionalProperties === "object") collectRefs(schema.additionalProperties, into);
}

/** A definition as OpenAPI 3.0 components.schemas holds it. */
export function toV3Definition(name: string, schema: SchemaObject): Record<string, unknown> {
  const converted = toV3Schema(schema);
  if (name === INT_OR_STRING) {
    delete converted.type;
    converted.oneOf = [{ type: "integer" }, { type: "string" }];
  } else if (name === QUANTITY) {
    delete converted.type;
    converted.oneOf = [{ type: "string" }, { type: "number" }];
  }
  return converted;
}

function toV3Schema(schema: SchemaObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaObject>).map(([field, s]) => [field, toV3Schema(s)]),
      );
    } else if (key === "items") out.items = toV3Schema(value as SchemaObject);
    else if (key === "additionalProperties" && typeof value === "object") {
      out.additionalProperties = toV3Schema(value as SchemaObject);
    } else if (key !== "$ref") out[key] = value;
  }
  if (schema.$ref === undefined) return out;
  const ref = { $ref: `#/components/schemas/${refName(schema.$ref)}` };
  return Object.keys(out).length === 0 ? ref : { allOf: [ref], ...out };
}

/** Objects with their keys sorted, recursively: Go's JSON encoder writes maps this way. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
