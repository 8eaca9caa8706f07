// Extracts the patch metadata of every kind the API server serves from an upstream OpenAPI v2 document
// (kube-apiserver's /openapi/v2) and writes it as a TypeScript data module. Run it by hand when the
// served kinds or the upstream version change, and commit the output:
//
//   npx tsx spec/patch/gen/extract-patch-metadata.ts /path/to/openapi-v2.json [output.ts]
//
// The output (default spec/patch/metadata.generated.ts) lists, per type reachable from a served kind,
// every field with its shape (scalar, type, list, map) and its x-kubernetes-* patch extensions; its
// format is documented in spec/patch/schema.ts. The OpenAPI document itself is never read at run time.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type {
  ListMetadata,
  ListType,
  MapMetadata,
  MapType,
  PatchMetadataTables,
  PatchStrategy,
  RefMetadata,
  ScalarType,
  TypeMetadata,
  ValueMetadata,
} from "../schema.ts";

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The kinds the reference API server serves (issue 3), plus the bodies of its subresources. */
export const servedKinds: readonly GroupVersionKind[] = [
  ...["Namespace", "Node", "Pod", "Service", "Endpoints", "Event", "ConfigMap", "Secret", "ServiceAccount"].map(
    (kind) => ({ group: "", version: "v1", kind }),
  ),
  { group: "", version: "v1", kind: "LimitRange" },
  { group: "", version: "v1", kind: "ResourceQuota" },
  { group: "", version: "v1", kind: "Binding" },
  ...["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"].map((kind) => ({
    group: "apps",
    version: "v1",
    kind,
  })),
  { group: "batch", version: "v1", kind: "Job" },
  { group: "batch", version: "v1", kind: "CronJob" },
  { group: "policy", version: "v1", kind: "PodDisruptionBudget" },
  { group: "policy", version: "v1", kind: "Eviction" },
  { group: "coordination.k8s.io", version: "v1", kind: "Lease" },
  { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice" },
  { group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass" },
  { group: "networking.k8s.io", version: "v1", kind: "Ingress" },
  { group: "events.k8s.io", version: "v1", kind: "Event" },
  { group: "autoscaling", version: "v1", kind: "Scale" },
];

/** The subset of an OpenAPI v2 schema object this generator reads. */
interface OpenApiSchema {
  type?: string;
  format?: string;
  $ref?: string;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-group-version-kind"?: GroupVersionKind[];
}

type Definitions = Record<string, OpenApiSchema>;

const patchStrategies = new Set(["merge", "retainKeys", "merge,retainKeys", "replace"]);
const listTypes = new Set(["atomic", "set", "map"]);
const mapTypes = new Set(["atomic", "granular"]);

export function extractPatchMetadata(
  document: unknown,
  kinds: readonly GroupVersionKind[] = servedKinds,
): PatchMetadataTables {
  const definitions = definitionsOf(document);
  const kindTable: Record<string, string> = {};
  for (const gvk of kinds) kindTable[kindKey(gvk)] = rootType(definitions, gvk);

  const types: Record<string, TypeMetadata> = {};
  const pending = Object.values(kindTable);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (Object.hasOwn(types, name)) continue;
    types[name] = typeMetadata(name, definitions, (ref) => pending.push(ref));
  }
  return { kinds: sortedRecord(kindTable), types: sortedRecord(types) };
}

export function definitionsOf(document: unknown): Definitions {
  const definitions = (document as { definitions?: unknown } | null)?.definitions;
  if (typeof definitions !== "object" || definitions === null) {
    throw new Error("not an OpenAPI v2 document: no definitions");
  }
  return definitions as Definitions;
}

export function kindKey({ group, version, kind }: GroupVersionKind): string {
  return `${group === "" ? "" : `${group}/`}${version}/${kind}`;
}

export function rootType(definitions: Definitions, gvk: GroupVersionKind): string {
  for (const [name, schema] of Object.entries(definitions)) {
    const gvks = schema["x-kubernetes-group-version-kind"] ?? [];
    if (gvks.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) return name;
  }
  throw new Error(`no definition for ${kindKey(gvk)}`);
}

function typeMetadata(name: string, definitions: Definitions, reach: (typeName: string) => void): TypeMetadata {
  const schema = definitionOf(definitions, name);
  const mapType = checked<MapType>(schema["x-kubernetes-map-type"], mapTypes, `${name} x-kubernetes-map-type`);
  if (schema.properties === undefined) {
    if (schema.additionalProperties !== undefined) throw new Error(`${name}: named map types are not supported`);
    return mapType === undefined ? { opaque: true, fields: {} } : { mapType, opaque: true, fields: {} };
  }
  const fields: Record<string, ValueMetadata> = {};
  for (const field of Object.keys(schema.properties).sort()) {
    fields[field] = valueMetadata(schema.properties[field] as OpenApiSchema, definitions, reach, `${name}.${field}`);
  }
  return mapType === undefined ? { fields } : { mapType, fields };
}

function valueMetadata(
  schema: OpenApiSchema,
  definitions: Definitions,
  reach: (typeName: string) => void,
  where: string,
): ValueMetadata {
  const patchStrategy = checked<PatchStrategy>(schema["x-kubernetes-patch-strategy"], patchStrategies, `${where} patch strategy`);
  const mapType = checked<MapType>(schema["x-kubernetes-map-type"], mapTypes, `${where} map type`);
  if (schema.$ref !== undefined) {
    const typeName = schema.$ref.replace(/^#\/definitions\//, "");
    const scalar = scalarDefinition(definitionOf(definitions, typeName));
    if (scalar !== undefined) return scalar;
    reach(typeName);
    if (patchStrategy === undefined && mapType === undefined) return typeName;
    return compact<RefMetadata>({ type: typeName, patchStrategy, mapType });
  }
  if (schema.type === "array") {
    if (schema.items === undefined) throw new Error(`${where}: array without items`);
    return compact<ListMetadata>({
      list: valueMetadata(schema.items, definitions, reach, `${where}[]`),
      patchStrategy,
      patchMergeKey: schema["x-kubernetes-patch-merge-key"],
      listType: checked<ListType>(schema["x-kubernetes-list-type"], listTypes, `${where} list type`),
      listMapKeys: schema["x-kubernetes-list-map-keys"],
    });
  }
  if (typeof schema.additionalProperties === "object") {
    const values = valueMetadata(schema.additionalProperties, definitions, reach, `${where}{}`);
    return compact<MapMetadata>({ map: values, mapType, patchStrategy });
  }
  if (schema.properties !== undefined) throw new Error(`${where}: inline object schemas are not supported`);
  const scalar = scalarDefinition(schema);
  if (scalar === undefined) throw new Error(`${where}: unsupported schema ${JSON.stringify(schema)}`);
  return scalar;
}

/** The scalar a schema stands for (Quantity and Time are strings), or undefined for an object type. */
function scalarDefinition(schema: OpenApiSchema): ScalarType | undefined {
  if (schema.properties !== undefined) return undefined;
  if (schema.format === "int-or-string") return "int-or-string";
  if (schema.type === "string" || schema.type === "integer" || schema.type === "number" || schema.type === "boolean") {
    return schema.type;
  }
  // A named free-form object (RawExtension, FieldsV1) stays a type, so that messages can name it.
  return undefined;
}

function definitionOf(definitions: Definitions, name: string): OpenApiSchema {
  const schema = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
  if (schema === undefined) throw new Error(`missing definition ${name}`);
  return schema;
}

function checked<T extends string>(value: string | undefined, allowed: ReadonlySet<string>, what: string): T | undefined {
  if (value !== undefined && !allowed.has(value)) throw new Error(`unexpected ${what}: ${value}`);
  return value as T | undefined;
}

/** Drops undefined members, keeping the rest in declaration order. */
function compact<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key] as T]));
}

/** Renders the tables as the committed TypeScript module: one line per field, sorted, diff-friendly. */
export function renderModule(tables: PatchMetadataTables, source: string): string {
  const lines = [
    `// Generated by spec/patch/gen/extract-patch-metadata.ts from ${source}. Do not edit by hand.`,
    "// Regenerate: npx tsx spec/patch/gen/extract-patch-metadata.ts /path/to/openapi-v2.json",
    "// Format (see schema.ts): per type, every field as a scalar keyword, a type name, or",
    "// { type | list | map, ...x-kubernetes-* extensions }.",
    'import type { TypeMetadata } from "./schema.ts";',
    "",
    "export const kinds: Readonly<Record<string, string>> = {",
    ...Object.entries(tables.kinds).map(([key, type]) => `  ${literal(key)}: ${literal(type)},`),
    "};",
    "",
    "export const types: Readonly<Record<string, TypeMetadata>> = {",
  ];
  for (const [name, type] of Object.entries(tables.types)) {
    const fields = Object.entries(type.fields);
    if (fields.length === 0) {
      lines.push(`  ${literal(name)}: ${literal(type)},`);
      continue;
    }
    lines.push(`  ${literal(name)}: {`);
    if (type.mapType !== undefined) lines.push(`    mapType: ${literal(type.mapType)},`);
    lines.push("    fields: {");
    for (const [field, value] of fields) lines.push(`      ${key(field)}: ${literal(value)},`);
    lines.push("    },", "  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => literal(item)).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const members = Object.entries(value).map(([k, v]) => `${key(k)}: ${literal(v)}`);
    return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
  }
  return JSON.stringify(value);
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function main(argv: string[]): void {
  const [input, output = fileURLToPath(new URL("../metadata.generated.ts", import.meta.url))] = argv;
  if (input === undefined) {
    console.error("usage: npx tsx spec/patch/gen/extract-patch-metadata.ts <openapi-v2.json> [output.ts]");
    process.exitCode = 2;
    return;
  }
  const document: unknown = JSON.parse(readFileSync(input, "utf8"));
  const tables = extractPatchMetadata(document);
  writeFileSync(output, renderModule(tables, basename(input)));
  console.log(`wrote ${output}: ${Object.keys(tables.kinds).length} kinds, ${Object.keys(tables.types).length} types`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
