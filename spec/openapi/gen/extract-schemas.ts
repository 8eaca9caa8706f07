// Extracts the OpenAPI schemas of every kind the API server serves from an upstream OpenAPI v2 document
// (kube-apiserver's /openapi/v2) and writes them as the project's own data file. Run it by hand when the
// served kinds or the upstream version change, and commit the output:
//
//   npx tsx spec/openapi/gen/extract-schemas.ts /path/to/openapi-v2.json [output.json]
//
// The output (default spec/openapi/definitions.generated.json) holds:
//   - definitions: every definition reachable from the served kinds, their List kinds and the meta/v1
//     types the server speaks (Status, WatchEvent, DeleteOptions, discovery lists, Patch, version.Info),
//     keeping only the keywords listed in `schemaKeywords` plus every x-kubernetes-* extension;
//   - kinds: "<apiVersion>/<kind>" → definition name, for the served kinds and their lists;
//   - parameters: the REST operations' query and path parameters, taken from representative pod paths,
//     so the OpenAPI documents the server builds carry upstream's parameter texts.
// The upstream document itself is never read at run time or by tests.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  definitionsOf,
  kindKey,
  rootType,
  servedKinds,
  type GroupVersionKind,
} from "../../patch/gen/extract-patch-metadata.ts";

/** Schema keywords kept from upstream (x-kubernetes-* extensions are always kept). */
const schemaKeywords = new Set([
  "type",
  "format",
  "description",
  "properties",
  "items",
  "additionalProperties",
  "$ref",
  "required",
  "enum",
  "default",
]);

/** Kinds whose bodies are subresources or options, not stored objects: no List kind. */
const kindsWithoutList = new Set(["v1/Binding", "policy/v1/Eviction", "autoscaling/v1/Scale"]);

/** meta/v1 and other shared types the server uses outside the served kinds' own graphs. */
export const sharedDefinitions: readonly string[] = [
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup",
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList",
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList",
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions",
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
  "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
  "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
  "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
  "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
  "io.k8s.apimachinery.pkg.version.Info",
];

/**
 * Where the REST operations' parameters are read from: one representative resource (pods) covers every
 * operation shape the server serves. Key → [path, method or "parameters" for the path-level list].
 */
const parameterSources: Readonly<Record<string, readonly [string, string]>> = {
  collectionPath: ["/api/v1/namespaces/{namespace}/pods", "parameters"],
  list: ["/api/v1/namespaces/{namespace}/pods", "get"],
  create: ["/api/v1/namespaces/{namespace}/pods", "post"],
  deletecollection: ["/api/v1/namespaces/{namespace}/pods", "delete"],
  allNamespacesPath: ["/api/v1/pods", "parameters"],
  itemPath: ["/api/v1/namespaces/{namespace}/pods/{name}", "parameters"],
  read: ["/api/v1/namespaces/{namespace}/pods/{name}", "get"],
  replace: ["/api/v1/namespaces/{namespace}/pods/{name}", "put"],
  patch: ["/api/v1/namespaces/{namespace}/pods/{name}", "patch"],
  delete: ["/api/v1/namespaces/{namespace}/pods/{name}", "delete"],
  logPath: ["/api/v1/namespaces/{namespace}/pods/{name}/log", "parameters"],
  bindingPath: ["/api/v1/namespaces/{namespace}/pods/{name}/binding", "parameters"],
};

export interface ExtractedSchemas {
  readonly info: { readonly title: string; readonly version: string };
  readonly kinds: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, unknown>>;
  readonly parameters: Readonly<Record<string, readonly unknown[]>>;
}

type Json = Record<string, unknown>;

export function extractSchemas(
  document: unknown,
  kinds: readonly GroupVersionKind[] = servedKinds,
  shared: readonly string[] = sharedDefinitions,
): ExtractedSchemas {
  const definitions = definitionsOf(document);
  const kindTable: Record<string, string> = {};
  for (const gvk of kinds) {
    kindTable[kindKey(gvk)] = rootType(definitions, gvk);
    if (!kindsWithoutList.has(kindKey(gvk))) {
      const list = { ...gvk, kind: `${gvk.kind}List` };
      kindTable[kindKey(list)] = rootType(definitions, list);
    }
  }

  const kept: Record<string, unknown> = {};
  const pending = [...Object.values(kindTable), ...shared];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (Object.hasOwn(kept, name)) continue;
    const schema = Object.hasOwn(definitions, name) ? (definitions[name] as unknown) : undefined;
    if (schema === undefined) throw new Error(`missing definition ${name}`);
    kept[name] = cleanSchema(schema, name, (ref) => pending.push(ref));
  }
  return {
    info: infoOf(document),
    kinds: sortedRecord(kindTable),
    definitions: sortedRecord(kept),
    parameters: extractParameters(document),
  };
}

/** Keeps the known keywords and x-kubernetes-* extensions; refuses anything else so nothing is lost silently. */
function cleanSchema(schema: unknown, where: string, reach: (definition: string) => void): Json {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new Error(`${where}: a schema must be an object`);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) out[key] = value;
    else if (!schemaKeywords.has(key)) throw new Error(`${where}: unsupported schema keyword ${key}`);
    else if (key === "properties") out[key] = cleanProperties(value, where, reach);
    else if (key === "items") out[key] = cleanSchema(value, `${where}[]`, reach);
    else if (key === "additionalProperties" && typeof value !== "boolean") {
      out[key] = cleanSchema(value, `${where}{}`, reach);
    } else if (key === "$ref") {
      if (typeof value !== "string" || !value.startsWith("#/definitions/")) throw new Error(`${where}: bad $ref`);
      reach(value.slice("#/definitions/".length));
      out[key] = value;
    } else out[key] = value;
  }
  return sortedRecord(out);
}

function cleanProperties(properties: unknown, where: string, reach: (definition: string) => void): Json {
  if (typeof properties !== "object" || properties === null) throw new Error(`${where}: properties must be an object`);
  const out: Json = {};
  for (const [field, schema] of Object.entries(properties)) out[field] = cleanSchema(schema, `${where}.${field}`, reach);
  return sortedRecord(out);
}

function infoOf(document: unknown): { title: string; version: string } {
  const info = (document as { info?: { title?: unknown; version?: unknown } }).info;
  if (typeof info?.title !== "string" || typeof info.version !== "string") throw new Error("no info.title/version");
  return { title: info.title, version: info.version };
}

/** The parameters of each representative operation, $refs resolved, body parameters left out. */
function extractParameters(document: unknown): Record<string, unknown[]> {
  const { paths, parameters: shared } = document as { paths?: Record<string, Json>; parameters?: Json };
  const out: Record<string, unknown[]> = {};
  for (const [key, [path, method]] of Object.entries(parameterSources)) {
    const pathItem = paths?.[path];
    const list = method === "parameters" ? pathItem?.parameters : (pathItem?.[method] as Json | undefined)?.parameters;
    if (pathItem === undefined || (list !== undefined && !Array.isArray(list))) {
      throw new Error(`no ${method} at ${path}`);
    }
    out[key] = ((list ?? []) as unknown[])
      .map((p) => resolveParameter(p, shared ?? {}))
      .filter((p) => p.in !== "body")
      .map((p) => sortedRecord(p));
  }
  return sortedRecord(out);
}

function resolveParameter(parameter: unknown, shared: Json): Json {
  const ref = (parameter as { $ref?: unknown }).$ref;
  if (typeof ref !== "string") return parameter as Json;
  const name = ref.replace(/^#\/parameters\//, "");
  const resolved = shared[name];
  if (typeof resolved !== "object" || resolved === null) throw new Error(`missing parameter ${ref}`);
  return resolved as Json;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key] as T]));
}

/** The committed file: stable key order, two-space indentation, the source named first. */
export function renderJson(schemas: ExtractedSchemas, source: string): string {
  const file = {
    comment: `Generated by spec/openapi/gen/extract-schemas.ts from ${source}. Do not edit by hand.`,
    source,
    info: schemas.info,
    kinds: schemas.kinds,
    parameters: schemas.parameters,
    definitions: schemas.definitions,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function main(argv: string[]): void {
  const [input, output = fileURLToPath(new URL("../definitions.generated.json", import.meta.url))] = argv;
  if (input === undefined) {
    console.error("usage: npx tsx spec/openapi/gen/extract-schemas.ts <openapi-v2.json> [output.json]");
    process.exitCode = 2;
    return;
  }
  const document: unknown = JSON.parse(readFileSync(input, "utf8"));
  const schemas = extractSchemas(document);
  const text = renderJson(schemas, basename(input));
  writeFileSync(output, text);
  const kib = Math.round(text.length / 1024);
  console.log(`wrote ${output}: ${Object.keys(schemas.definitions).length} definitions, ${kib} KiB`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
