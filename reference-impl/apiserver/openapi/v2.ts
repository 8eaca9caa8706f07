// /openapi/v2: the Swagger 2.0 document of every served group-version, as kube-apiserver serves it in
// JSON. kubectl 1.27+ prefers /openapi/v3; v2 (which kubectl asks for in protobuf) is a fallback.
import { openApiData, type OpenApiData, type ParameterObject } from "../../../spec/openapi/definitions.ts";
import { groupVersionPaths, referencedDefinitions, type OperationSpec, type PathSpec } from "./paths.ts";
import type { ServedGroupVersion } from "./resources.ts";
import { reachableDefinitions, sortKeys } from "./schemas.ts";

export const SECURITY_DEFINITIONS = {
  BearerToken: { description: "Bearer Token authentication", in: "header", name: "authorization", type: "apiKey" },
};

export function openApiV2(served: readonly ServedGroupVersion[], data: OpenApiData = openApiData): Record<string, unknown> {
  const paths = served.flatMap((gv) => groupVersionPaths(gv, data));
  const names = reachableDefinitions(data, referencedDefinitions(paths));
  const document = {
    swagger: "2.0",
    info: data.info,
    paths: Object.fromEntries(paths.map((p) => [p.path, v2PathItem(p)])),
    definitions: Object.fromEntries(names.map((name) => [name, data.definitions[name]])),
    securityDefinitions: SECURITY_DEFINITIONS,
    security: [{ BearerToken: [] }],
  };
  return sortKeys(document) as Record<string, unknown>;
}

function v2PathItem(path: PathSpec): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  if (path.parameters.length > 0) item.parameters = path.parameters;
  for (const operation of path.operations) item[operation.method] = v2Operation(operation);
  return item;
}

function v2Operation(operation: OperationSpec): Record<string, unknown> {
  const parameters: Array<ParameterObject | Record<string, unknown>> = [];
  if (operation.body !== undefined) {
    parameters.push({
      in: "body",
      name: "body",
      ...(operation.body.required ? { required: true } : {}),
      schema: { $ref: `#/definitions/${operation.body.schema}` },
    });
  }
  parameters.push(...operation.parameters);
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([code, r]) => [
      code,
      r.schema === undefined
        ? { description: r.description }
        : { description: r.description, schema: r.schema === "string" ? { type: "string" } : { $ref: `#/definitions/${r.schema}` } },
    ]),
  );
  return {
    consumes: operation.consumes,
    description: operation.description,
    operationId: operation.operationId,
    ...(parameters.length > 0 ? { parameters } : {}),
    produces: operation.produces,
    responses,
    tags: [operation.tag],
    ...(operation.action !== undefined ? { "x-kubernetes-action": operation.action } : {}),
    ...(operation.gvk !== undefined ? { "x-kubernetes-group-version-kind": operation.gvk } : {}),
  };
}
