// The REST operations of a group-version, in one neutral model that the v2 and v3 builders render.
// Paths, operation ids, descriptions, actions and parameters follow kube-apiserver 1.28's /openapi/v2;
// the parameter texts come from the generated data (spec/openapi/gen/extract-schemas.ts). Watch paths
// (/watch/...) and subresources the reference server does not serve are left out, and only JSON and
// YAML are advertised (the server speaks no protobuf).
import { openApiData, type GroupVersionKind, type OpenApiData, type ParameterObject } from "../../../spec/openapi/definitions.ts";
import { resourceFacts, type ServedGroupVersion, type Subresource } from "./resources.ts";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type KubernetesAction = "list" | "post" | "get" | "put" | "patch" | "delete" | "deletecollection";

export interface ResponseSpec {
  readonly description: string;
  /** Definition name of the body, or "string" for plain text (pod logs). */
  readonly schema?: string;
}

export interface OperationSpec {
  readonly method: HttpMethod;
  readonly operationId: string;
  readonly description: string;
  readonly action?: KubernetesAction;
  readonly gvk?: GroupVersionKind;
  readonly parameters: readonly ParameterObject[];
  /** Definition name of the request body. */
  readonly body?: { readonly schema: string; readonly required: boolean };
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
  readonly responses: Readonly<Record<string, ResponseSpec>>;
  readonly tag: string;
}

export interface PathSpec {
  readonly path: string;
  readonly parameters: readonly ParameterObject[];
  readonly operations: readonly OperationSpec[];
}

export const PATCH_CONTENT_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
] as const;

const PRODUCES = ["application/json", "application/yaml"];
const PRODUCES_WATCH = [...PRODUCES, "application/json;stream=watch"];
const ANY = ["*/*"];
const UNAUTHORIZED: ResponseSpec = { description: "Unauthorized" };

const STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
const DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
const PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
const API_RESOURCE_LIST = "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList";

/** Upstream's names for a group: "" → core/Core, "coordination.k8s.io" → coordination/Coordination. */
function groupNames(group: string): { tag: string; id: string } {
  if (group === "") return { tag: "core", id: "Core" };
  const words = group.replace(/\.k8s\.io$/, "").split(/[.-]/);
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return { tag: (words[0] ?? "") + words.slice(1).map(cap).join(""), id: words.map(cap).join("") };
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? "an" : "a";
}

/** The definition name of a kind, from the generated kind table. */
export function kindDefinition(data: OpenApiData, gvk: GroupVersionKind): string {
  const key = `${gvk.group === "" ? "" : `${gvk.group}/`}${gvk.version}/${gvk.kind}`;
  const name = data.kinds[key];
  if (name === undefined) throw new Error(`openapi: no definition for ${key}`);
  return name;
}

export function groupVersionPaths(gv: ServedGroupVersion, data: OpenApiData = openApiData): PathSpec[] {
  const names = groupNames(gv.group);
  const prefix = gv.group === "" ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
  const tag = `${names.tag}_${gv.version}`;
  const idPart = `${names.id}${gv.version.charAt(0).toUpperCase()}${gv.version.slice(1)}`;
  const params = (key: string): ParameterObject[] => [...(data.parameters[key] ?? [])];
  const pretty = params("collectionPath").filter((p) => p.name === "pretty");
  const namespaceParam = params("collectionPath").filter((p) => p.name === "namespace");
  const nameParam = (kind: string): ParameterObject[] =>
    params("itemPath")
      .filter((p) => p.name === "name")
      .map((p) => ({ ...p, description: `name of the ${kind}` }));

  const paths: PathSpec[] = [
    {
      path: `${prefix}/`,
      parameters: [],
      operations: [
        {
          method: "get",
          operationId: `get${idPart}APIResources`,
          description: "get available resources",
          parameters: [],
          consumes: PRODUCES,
          produces: PRODUCES,
          responses: { "200": { description: "OK", schema: API_RESOURCE_LIST }, "401": UNAUTHORIZED },
          tag,
        },
      ],
    },
  ];

  for (const kind of gv.kinds) {
    const facts = resourceFacts(gv.group, kind);
    const gvk = { group: gv.group, version: gv.version, kind };
    const schema = kindDefinition(data, gvk);
    const list = kindDefinition(data, { ...gvk, kind: `${kind}List` });
    const scope = facts.namespaced ? "Namespaced" : "";
    const collection = facts.namespaced ? `${prefix}/namespaces/{namespace}/${facts.resource}` : `${prefix}/${facts.resource}`;
    const op = (o: Omit<OperationSpec, "tag" | "gvk"> & { gvk?: GroupVersionKind }): OperationSpec => ({ gvk, ...o, tag });
    const ok = (name: string) => ({ description: "OK", schema: name });
    const created = (name: string) => ({ description: "Created", schema: name });
    const accepted = (name: string) => ({ description: "Accepted", schema: name });

    paths.push({
      path: collection,
      parameters: [...namespaceParam.filter(() => facts.namespaced), ...pretty],
      operations: [
        op({
          method: "get",
          operationId: `list${idPart}${scope}${kind}`,
          description: `list or watch objects of kind ${kind}`,
          action: "list",
          parameters: params("list"),
          consumes: ANY,
          produces: PRODUCES_WATCH,
          responses: { "200": ok(list), "401": UNAUTHORIZED },
        }),
        op({
          method: "post",
          operationId: `create${idPart}${scope}${kind}`,
          description: `create ${article(kind)} ${kind}`,
          action: "post",
          parameters: params("create"),
          body: { schema, required: true },
          consumes: ANY,
          produces: PRODUCES,
          responses: { "200": ok(schema), "201": created(schema), "202": accepted(schema), "401": UNAUTHORIZED },
        }),
        op({
          method: "delete",
          operationId: `delete${idPart}Collection${scope}${kind}`,
          description: `delete collection of ${kind}`,
          action: "deletecollection",
          parameters: params("deletecollection"),
          body: { schema: DELETE_OPTIONS, required: false },
          consumes: ANY,
          produces: PRODUCES,
          responses: { "200": ok(STATUS), "401": UNAUTHORIZED },
        }),
      ],
    });

    if (facts.namespaced) {
      paths.push({
        path: `${prefix}/${facts.resource}`,
        parameters: params("allNamespacesPath"),
        operations: [
          op({
            method: "get",
            operationId: `list${idPart}${kind}ForAllNamespaces`,
            description: `list or watch objects of kind ${kind}`,
            action: "list",
            parameters: [],
            consumes: ANY,
            produces: PRODUCES_WATCH,
            responses: { "200": ok(list), "401": UNAUTHORIZED },
          }),
        ],
      });
    }

    const itemParameters = (bodyKind: string) => [
      ...nameParam(bodyKind),
      ...namespaceParam.filter(() => facts.namespaced),
      ...pretty,
    ];
    /** get/put/patch on the object or on its status or scale subresource. */
    const readWrite = (body: string, suffix: string, what: string, opGvk: GroupVersionKind) => [
      op({
        method: "get",
        operationId: `read${idPart}${scope}${kind}${suffix}`,
        description: `read ${what}the specified ${kind}`,
        action: "get",
        gvk: opGvk,
        parameters: [],
        consumes: ANY,
        produces: PRODUCES,
        responses: { "200": ok(body), "401": UNAUTHORIZED },
      }),
      op({
        method: "put",
        operationId: `replace${idPart}${scope}${kind}${suffix}`,
        description: `replace ${what}the specified ${kind}`,
        action: "put",
        gvk: opGvk,
        parameters: params("replace"),
        body: { schema: body, required: true },
        consumes: ANY,
        produces: PRODUCES,
        responses: { "200": ok(body), "201": created(body), "401": UNAUTHORIZED },
      }),
      op({
        method: "patch",
        operationId: `patch${idPart}${scope}${kind}${suffix}`,
        description: `partially update ${what}the specified ${kind}`,
        action: "patch",
        gvk: opGvk,
        parameters: params("patch"),
        body: { schema: PATCH, required: true },
        consumes: PATCH_CONTENT_TYPES,
        produces: PRODUCES,
        responses: { "200": ok(body), "201": created(body), "401": UNAUTHORIZED },
      }),
    ];

    const deleted = facts.deleteReturnsObject === true ? schema : STATUS;
    paths.push({
      path: `${collection}/{name}`,
      parameters: itemParameters(kind),
      operations: [
        ...readWrite(schema, "", "", gvk),
        op({
          method: "delete",
          operationId: `delete${idPart}${scope}${kind}`,
          description: `delete ${article(kind)} ${kind}`,
          action: "delete",
          parameters: params("delete"),
          body: { schema: DELETE_OPTIONS, required: false },
          consumes: ANY,
          produces: PRODUCES,
          responses: { "200": ok(deleted), "202": accepted(deleted), "401": UNAUTHORIZED },
        }),
      ],
    });

    for (const sub of facts.subresources) {
      paths.push(subresourcePath(sub));
    }

    function subresourcePath(sub: Subresource): PathSpec {
      const path = `${collection}/{name}/${sub}`;
      switch (sub) {
        case "status":
          return { path, parameters: itemParameters(kind), operations: readWrite(schema, "Status", "status of ", gvk) };
        case "scale": {
          const scale = { group: "autoscaling", version: "v1", kind: "Scale" };
          return {
            path,
            parameters: itemParameters("Scale"),
            operations: readWrite(kindDefinition(data, scale), "Scale", "scale of ", scale),
          };
        }
        case "binding":
        case "eviction": {
          const bodyGvk =
            sub === "binding"
              ? { group: "", version: "v1", kind: "Binding" }
              : { group: "policy", version: "v1", kind: "Eviction" };
          const body = kindDefinition(data, bodyGvk);
          const pathParameters = params("bindingPath").map((p) =>
            p.name === "name" ? { ...p, description: `name of the ${bodyGvk.kind}` } : p,
          );
          return {
            path,
            parameters: pathParameters,
            operations: [
              op({
                method: "post",
                operationId: `create${idPart}${scope}${kind}${bodyGvk.kind}`,
                description: `create ${sub} of ${article(kind)} ${kind}`,
                action: "post",
                gvk: bodyGvk,
                parameters: [],
                body: { schema: body, required: true },
                consumes: ANY,
                produces: PRODUCES,
                responses: { "200": ok(body), "201": created(body), "202": accepted(body), "401": UNAUTHORIZED },
              }),
            ],
          };
        }
        case "log":
          return {
            path,
            parameters: params("logPath").map((p) => (p.name === "name" ? { ...p, description: `name of the ${kind}` } : p)),
            operations: [
              op({
                method: "get",
                operationId: `read${idPart}${scope}${kind}Log`,
                description: `read log of the specified ${kind}`,
                action: "get",
                parameters: [],
                consumes: ANY,
                produces: ["text/plain", ...PRODUCES],
                responses: { "200": { description: "OK", schema: "string" }, "401": UNAUTHORIZED },
              }),
            ],
          };
      }
    }
  }
  return paths;
}

/** Every definition an operation list points at (request and response bodies). */
export function referencedDefinitions(paths: readonly PathSpec[]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    for (const operation of path.operations) {
      if (operation.body !== undefined) names.add(operation.body.schema);
      for (const response of Object.values(operation.responses)) {
        if (response.schema !== undefined && response.schema !== "string") names.add(response.schema);
      }
    }
  }
  return names;
}
