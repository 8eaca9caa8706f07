// /openapi/v3: an index of group-versions and one OpenAPI 3.0 document per group-version, as
// kube-apiserver serves them (k8s.io/kube-openapi handler3). What kubectl 1.32 reads from them:
//   - client-go openapi3.Root.GVSpec: the index's "api/v1" / "apis/<group>/<version>" keys, then the
//     document at serverRelativeURL (fetched as JSON; the hash makes it cacheable);
//   - apply's patcher (gvkSupportsPatchOpenAPIV3): a path whose PATCH operation carries
//     x-kubernetes-group-version-kind for the kind and accepts application/strategic-merge-patch+json,
//     then components.schemas found by x-kubernetes-group-version-kind, walked with
//     x-kubernetes-patch-strategy / -merge-key through properties, items, allOf[0] and $ref;
//   - the fieldValidation check (cli-runtime queryParamVerifierV3): the same PATCH operation must list
//     an inline `fieldValidation` parameter, otherwise kubectl validates client-side instead;
//   - explain (explain/v2 templates): an operation on the resource's collection or item path carrying the
//     GVK, and the schema with that GVK: description, properties, required, enum, items, allOf, $ref.
import { createHash } from "node:crypto";
import { openApiData, type OpenApiData, type ParameterObject } from "../../../spec/openapi/definitions.ts";
import { groupVersionPaths, referencedDefinitions, type OperationSpec, type PathSpec } from "./paths.ts";
import { groupVersionPath, type ServedGroupVersion } from "./resources.ts";
import { reachableDefinitions, sortKeys, toV3Definition } from "./schemas.ts";
import { SECURITY_DEFINITIONS } from "./v2.ts";

export interface OpenApiV3Index {
  readonly paths: Readonly<Record<string, { readonly serverRelativeURL: string }>>;
}

/** The OpenAPI 3.0 document of one group-version ("api/v1", "apis/apps/v1"), or undefined if not served. */
export function openApiV3Document(
  served: readonly ServedGroupVersion[],
  gvPath: string,
  data: OpenApiData = openApiData,
): Record<string, unknown> | undefined {
  const gv = served.find((candidate) => groupVersionPath(candidate) === gvPath);
  if (gv === undefined) return undefined;
  const paths = groupVersionPaths(gv, data);
  const names = reachableDefinitions(data, referencedDefinitions(paths));
  const document = {
    openapi: "3.0.0",
    info: data.info,
    paths: Object.fromEntries(paths.map((p) => [p.path, v3PathItem(p)])),
    components: {
      schemas: Object.fromEntries(names.map((name) => [name, toV3Definition(name, data.definitions[name] ?? {})])),
      securitySchemes: SECURITY_DEFINITIONS,
    },
    security: [{ BearerToken: [] }],
  };
  return sortKeys(document) as Record<string, unknown>;
}

/** The document's bytes and its etag: upstream's hash is the upper-case hex SHA-512 of the JSON. */
export function openApiV3DocumentJson(
  served: readonly ServedGroupVersion[],
  gvPath: string,
  data: OpenApiData = openApiData,
): { readonly json: string; readonly hash: string } | undefined {
  const document = openApiV3Document(served, gvPath, data);
  if (document === undefined) return undefined;
  const json = JSON.stringify(document);
  return { json, hash: contentHash(json) };
}

export function contentHash(text: string): string {
  return createHash("sha512").update(text).digest("hex").toUpperCase();
}

/** The /openapi/v3 index: one entry per served group-version, its URL carrying the content hash. */
export function openApiV3Index(served: readonly ServedGroupVersion[], data: OpenApiData = openApiData): OpenApiV3Index {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of [...served].sort((a, b) => groupVersionPath(a).localeCompare(groupVersionPath(b)))) {
    const gvPath = groupVersionPath(gv);
    const built = openApiV3DocumentJson(served, gvPath, data);
    if (built !== undefined) paths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${built.hash}` };
  }
  return { paths };
}

function v3PathItem(path: PathSpec): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  if (path.parameters.length > 0) item.parameters = path.parameters.map(v3Parameter);
  for (const operation of path.operations) item[operation.method] = v3Operation(operation);
  return item;
}

function v3Parameter(parameter: ParameterObject): Record<string, unknown> {
  const { type, uniqueItems, ...rest } = parameter;
  return { ...rest, schema: { type, ...(uniqueItems === undefined ? {} : { uniqueItems }) } };
}

function v3Operation(operation: OperationSpec): Record<string, unknown> {
  const media = (schema: string) => ({ schema: schema === "string" ? { type: "string" } : { $ref: `#/components/schemas/${schema}` } });
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([code, r]) => [
      code,
      r.schema === undefined
        ? { description: r.description }
        : {
            description: r.description,
            content: Object.fromEntries(operation.produces.map((type) => [type, media(r.schema as string)])),
          },
    ]),
  );
  const body = operation.body;
  return {
    description: operation.description,
    operationId: operation.operationId,
    ...(operation.parameters.length > 0 ? { parameters: operation.parameters.map(v3Parameter) } : {}),
    ...(body === undefined
      ? {}
      : {
          requestBody: {
            content: Object.fromEntries(operation.consumes.map((type) => [type, media(body.schema)])),
            ...(body.required ? { required: true } : {}),
          },
        }),
    responses,
    tags: [operation.tag],
    ...(operation.action !== undefined ? { "x-kubernetes-action": operation.action } : {}),
    ...(operation.gvk !== undefined ? { "x-kubernetes-group-version-kind": operation.gvk } : {}),
  };
}
