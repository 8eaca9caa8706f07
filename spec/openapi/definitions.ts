// Typed access to the OpenAPI (Swagger 2.0) definitions of the served kinds, as upstream's
// kube-apiserver publishes them. The data is generated from upstream's /openapi/v2 document into
// definitions.generated.json (see gen/extract-schemas.ts); it is the project's own copy.
import generated from "./definitions.generated.json" with { type: "json" };

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The OpenAPI v2 schema keywords the generated data keeps (plus x-kubernetes-* extensions). */
export interface SchemaObject {
  readonly type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaObject>>;
  readonly items?: SchemaObject;
  readonly additionalProperties?: SchemaObject | boolean;
  readonly $ref?: string;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly "x-kubernetes-group-version-kind"?: readonly GroupVersionKind[];
  readonly "x-kubernetes-patch-strategy"?: string;
  readonly "x-kubernetes-patch-merge-key"?: string;
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-map-type"?: "atomic" | "granular";
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly [extension: `x-kubernetes-${string}`]: unknown;
}

/** An OpenAPI v2 parameter object (non-body), as upstream's operations declare them. */
export interface ParameterObject {
  readonly name: string;
  readonly in: "query" | "path";
  readonly description?: string;
  readonly required?: boolean;
  readonly type: string;
  readonly uniqueItems?: boolean;
}

/** Where a definition set comes from: the generated data, or a fixture in tests. */
export interface DefinitionSource {
  definition(name: string): SchemaObject | undefined;
}

export interface OpenApiData {
  readonly source: string;
  readonly info: { readonly title: string; readonly version: string };
  /** "<apiVersion>/<kind>" (e.g. "v1/Pod", "apps/v1/DeploymentList") → definition name. */
  readonly kinds: Readonly<Record<string, string>>;
  /** Parameters of representative REST operations (see gen/extract-schemas.ts parameterSources). */
  readonly parameters: Readonly<Record<string, readonly ParameterObject[]>>;
  readonly definitions: Readonly<Record<string, SchemaObject>>;
}

export const openApiData: OpenApiData = generated as unknown as OpenApiData;

const REF_PREFIX = "#/definitions/";

/** "#/definitions/io.k8s.api.core.v1.Pod" → "io.k8s.api.core.v1.Pod". */
export function refName(ref: string): string {
  return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
}

export function definition(name: string): SchemaObject | undefined {
  return Object.hasOwn(openApiData.definitions, name) ? openApiData.definitions[name] : undefined;
}

export function definitionNames(): string[] {
  return Object.keys(openApiData.definitions);
}

export const generatedDefinitions: DefinitionSource = { definition };

/** A definition set from plain data (for fixtures). */
export function definitionSource(definitions: Readonly<Record<string, SchemaObject>>): DefinitionSource {
  return { definition: (name) => (Object.hasOwn(definitions, name) ? definitions[name] : undefined) };
}

let kindIndex: Map<string, string> | undefined;

/**
 * The definition for a kind, looked up by x-kubernetes-group-version-kind like kubectl does, e.g.
 * definitionForKind("apps/v1", "Deployment") → "io.k8s.api.apps.v1.Deployment". Shared meta types with
 * many GVKs (DeleteOptions, WatchEvent, Status) resolve for each group they list.
 */
export function definitionForKind(apiVersion: string, kind: string): { name: string; schema: SchemaObject } | undefined {
  if (kindIndex === undefined) {
    kindIndex = new Map();
    for (const [name, schema] of Object.entries(openApiData.definitions)) {
      for (const gvk of schema["x-kubernetes-group-version-kind"] ?? []) {
        const key = `${gvk.group === "" ? "" : `${gvk.group}/`}${gvk.version}/${gvk.kind}`;
        if (!kindIndex.has(key)) kindIndex.set(key, name);
      }
    }
  }
  const name = kindIndex.get(`${apiVersion}/${kind}`);
  if (name === undefined) return undefined;
  return { name, schema: openApiData.definitions[name] as SchemaObject };
}
