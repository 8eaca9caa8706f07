import { describe, expect, test } from "vitest";
import {
  allServedGroupVersions,
  contentHash,
  groupVersionPath,
  OpenApiDocuments,
  openApiV2,
  openApiV3Document,
  openApiV3DocumentJson,
  openApiV3Index,
  resourceFacts,
  type ServedGroupVersion,
} from "./index.ts";

type Json = Record<string, unknown>;
const docs = new OpenApiDocuments(allServedGroupVersions);
const v3 = (gvPath: string) => JSON.parse(docs.v3(gvPath)?.json ?? "null") as Json;
const schemasOf = (doc: Json) => (doc.components as { schemas: Record<string, Json> }).schemas;
const pathsOf = (doc: Json) => doc.paths as Record<string, Record<string, Json>>;

/** Every "$ref" string anywhere in a document. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, out);
  else if (typeof value === "object" && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      if (key === "$ref" && typeof member === "string") out.push(member);
      else refsIn(member, out);
    }
  }
  return out;
}

const sameGvk = (a: unknown, b: { group: string; version: string; kind: string }) =>
  JSON.stringify(a) === JSON.stringify({ group: b.group, kind: b.kind, version: b.version });

describe("/openapi/v3 index", () => {
  test("lists every served group-version with a content-hashed URL", () => {
    const index = docs.v3Index();
    expect(Object.keys(index.paths)).toEqual(allServedGroupVersions.map(groupVersionPath).sort());
    for (const [gvPath, { serverRelativeURL }] of Object.entries(index.paths)) {
      const built = docs.v3(gvPath);
      expect(serverRelativeURL).toBe(`/openapi/v3/${gvPath}?hash=${built?.hash}`);
      expect(built?.hash).toMatch(/^[0-9A-F]{128}$/);
      expect(built?.hash).toBe(contentHash(built?.json ?? ""));
    }
  });

  test("is stable: the same registry gives byte-identical documents and hashes", () => {
    const again = new OpenApiDocuments(allServedGroupVersions);
    expect(again.v3Index()).toEqual(docs.v3Index());
    expect(again.v3("apis/apps/v1")?.json).toBe(docs.v3("apis/apps/v1")?.json);
  });

  test("follows the registry: only what is served appears", () => {
    const served: ServedGroupVersion[] = [{ group: "", version: "v1", kinds: ["Pod"] }];
    expect(Object.keys(openApiV3Index(served).paths)).toEqual(["api/v1"]);
    expect(openApiV3Document(served, "apis/apps/v1")).toBeUndefined();
    const doc = openApiV3Document(served, "api/v1") as Json;
    expect(Object.keys(pathsOf(doc))).toEqual([
      "/api/v1/",
      "/api/v1/namespaces/{namespace}/pods",
      "/api/v1/namespaces/{namespace}/pods/{name}",
      "/api/v1/namespaces/{namespace}/pods/{name}/binding",
      "/api/v1/namespaces/{namespace}/pods/{name}/eviction",
      "/api/v1/namespaces/{namespace}/pods/{name}/log",
      "/api/v1/namespaces/{namespace}/pods/{name}/status",
      "/api/v1/pods",
    ]);
    expect(schemasOf(doc)["io.k8s.api.core.v1.Node"]).toBeUndefined();
    expect(() => openApiV3Document([{ group: "", version: "v1", kinds: ["Widget"] }], "api/v1")).toThrow(
      "openapi: no resource facts for core kind Widget",
    );
  });
});

describe("/openapi/v3/<group-version> documents", () => {
  test.each(allServedGroupVersions.map(groupVersionPath))("%s: every $ref resolves inside the document", (gvPath) => {
    const doc = v3(gvPath);
    expect(doc.openapi).toBe("3.0.0");
    const schemas = schemasOf(doc);
    const unresolved = refsIn(doc).filter((ref) => !Object.hasOwn(schemas, ref.replace("#/components/schemas/", "")));
    expect(unresolved).toEqual([]);
    expect(refsIn(doc).every((ref) => ref.startsWith("#/components/schemas/"))).toBe(true);
  });

  test("PodSpec.containers carries the strategic merge patch metadata", () => {
    const containers = (schemasOf(v3("api/v1"))["io.k8s.api.core.v1.PodSpec"]?.properties as Record<string, Json>).containers;
    expect(containers).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" },
      "x-kubernetes-patch-merge-key": "name",
      "x-kubernetes-patch-strategy": "merge",
    });
  });

  test("kinds carry x-kubernetes-group-version-kind; a $ref with siblings is wrapped in allOf", () => {
    const schemas = schemasOf(v3("apis/apps/v1"));
    const deployment = schemas["io.k8s.api.apps.v1.Deployment"] as Json;
    expect(deployment["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", kind: "Deployment", version: "v1" }]);
    expect((deployment.properties as Record<string, Json>).metadata).toEqual({
      allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }],
      description: expect.stringMatching(/^Standard object's metadata/),
    });
  });

  test("IntOrString and Quantity are oneOf, as upstream's v3 describes them", () => {
    const schemas = schemasOf(v3("apis/apps/v1"));
    expect(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]).toMatchObject({
      format: "int-or-string",
      oneOf: [{ type: "integer" }, { type: "string" }],
    });
    expect(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]?.type).toBeUndefined();
    expect(schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]).toMatchObject({ oneOf: [{ type: "string" }, { type: "number" }] });
  });

  // kubectl apply (patcher.gvkSupportsPatchOpenAPIV3) and the fieldValidation check
  // (cli-runtime queryParamVerifierV3) read PATCH operations found by their GVK extension.
  test.each(allServedGroupVersions.flatMap((gv) => gv.kinds.map((kind) => ({ ...gv, kind }))))(
    "$group/$version $kind: kubectl finds strategic merge patch and fieldValidation on every PATCH",
    (gvk) => {
      const doc = v3(groupVersionPath(gvk));
      const patches = Object.values(pathsOf(doc))
        .map((item) => item.patch)
        .filter((op): op is Json => op !== undefined && sameGvk(op["x-kubernetes-group-version-kind"], gvk));
      expect(patches.length).toBeGreaterThan(0);
      for (const op of patches) {
        expect(Object.keys((op.requestBody as { content: Json }).content)).toContain("application/strategic-merge-patch+json");
        expect((op.parameters as Json[]).some((p) => p.name === "fieldValidation" && p.in === "query")).toBe(true);
      }
      const matching = Object.values(schemasOf(doc)).filter((schema) =>
        ((schema["x-kubernetes-group-version-kind"] ?? []) as unknown[]).some((g) => sameGvk(g, gvk)),
      );
      expect(matching).toHaveLength(1);
    },
  );

  // kubectl explain (explain/v2 plaintext template) looks for the GVK on an operation of one of these paths.
  test.each(allServedGroupVersions.flatMap((gv) => gv.kinds.map((kind) => ({ ...gv, kind }))))(
    "$group/$version $kind: kubectl explain finds the kind from its resource path",
    (gvk) => {
      const { resource } = resourceFacts(gvk.group, gvk.kind);
      const prefix = gvk.group === "" ? "/api" : `/apis/${gvk.group}`;
      const candidates = [
        `${prefix}/${gvk.version}/${resource}`,
        `${prefix}/${gvk.version}/${resource}/{name}`,
        `${prefix}/${gvk.version}/namespaces/{namespace}/${resource}`,
        `${prefix}/${gvk.version}/namespaces/{namespace}/${resource}/{name}`,
      ];
      const paths = pathsOf(v3(groupVersionPath(gvk)));
      const found = candidates
        .flatMap((path) => ["get", "post", "put", "patch", "delete"].map((method) => paths[path]?.[method]))
        .find((op) => op?.["x-kubernetes-group-version-kind"] !== undefined);
      expect(sameGvk(found?.["x-kubernetes-group-version-kind"], gvk)).toBe(true);
    },
  );

  test("strategic merge patch metadata resolves through allOf and $ref as kubectl walks it", () => {
    const schemas = schemasOf(v3("apis/apps/v1"));
    // strategicpatch.PatchMetaFromOpenAPIV3: properties[key], then allOf[0], then $ref (items for slices).
    const resolve = (schema: Json): Json => {
      const inner = Array.isArray(schema.allOf) ? (schema.allOf[0] as Json) : schema;
      const ref = inner.$ref as string | undefined;
      return ref === undefined ? inner : (schemas[ref.replace("#/components/schemas/", "")] as Json);
    };
    const field = (schema: Json, key: string) => (schema.properties as Record<string, Json>)[key] as Json;
    let schema = schemas["io.k8s.api.apps.v1.Deployment"] as Json;
    for (const key of ["spec", "template", "spec"]) schema = resolve(field(schema, key));
    const containers = field(schema, "containers");
    expect([containers["x-kubernetes-patch-strategy"], containers["x-kubernetes-patch-merge-key"]]).toEqual(["merge", "name"]);
    const container = resolve(containers.items as Json);
    expect(field(container, "env")["x-kubernetes-patch-merge-key"]).toBe("name");
    expect(field(container, "ports")["x-kubernetes-patch-merge-key"]).toBe("containerPort");
  });

  test("subresources carry upstream's operation ids, GVKs and bodies", () => {
    const core = pathsOf(v3("api/v1"));
    const binding = core["/api/v1/namespaces/{namespace}/pods/{name}/binding"]?.post as Json;
    expect(binding.operationId).toBe("createCoreV1NamespacedPodBinding");
    expect(binding["x-kubernetes-group-version-kind"]).toEqual({ group: "", kind: "Binding", version: "v1" });
    const eviction = core["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]?.post as Json;
    expect(eviction["x-kubernetes-group-version-kind"]).toEqual({ group: "policy", kind: "Eviction", version: "v1" });
    const log = core["/api/v1/namespaces/{namespace}/pods/{name}/log"]?.get as Json;
    expect((log.responses as Record<string, Json>)["200"]?.content).toMatchObject({ "text/plain": { schema: { type: "string" } } });
    expect(core["/api/v1/nodes/{name}/status"]?.patch?.operationId).toBe("patchCoreV1NodeStatus");
    const scale = pathsOf(v3("apis/apps/v1"))["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]?.put as Json;
    expect(scale.operationId).toBe("replaceAppsV1NamespacedDeploymentScale");
    expect(scale["x-kubernetes-group-version-kind"]).toEqual({ group: "autoscaling", kind: "Scale", version: "v1" });
    expect(scale.requestBody).toEqual({
      content: { "*/*": { schema: { $ref: "#/components/schemas/io.k8s.api.autoscaling.v1.Scale" } } },
      required: true,
    });
    const lease = pathsOf(v3("apis/coordination.k8s.io/v1"))["/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases"];
    expect(lease?.get?.operationId).toBe("listCoordinationV1NamespacedLease");
    expect(lease?.get?.tags).toEqual(["coordination_v1"]);
    expect(pathsOf(v3("apis/events.k8s.io/v1"))["/apis/events.k8s.io/v1/namespaces/{namespace}/events"]?.post?.description).toBe(
      "create an Event",
    );
  });

  test("DELETE answers with the object for graceful kinds and with a Status otherwise", () => {
    const core = pathsOf(v3("api/v1"));
    const deleted = (path: string) =>
      ((core[path]?.delete?.responses as Record<string, { content: Record<string, { schema: Json }> }>)["200"]?.content[
        "application/json"
      ]?.schema.$ref as string).replace("#/components/schemas/", "");
    expect(deleted("/api/v1/namespaces/{namespace}/pods/{name}")).toBe("io.k8s.api.core.v1.Pod");
    expect(deleted("/api/v1/namespaces/{namespace}/configmaps/{name}")).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.Status");
  });

  test("the JSON form is the document, serialized", () => {
    const built = openApiV3DocumentJson(allServedGroupVersions, "apis/batch/v1");
    expect(JSON.parse(built?.json ?? "")).toEqual(openApiV3Document(allServedGroupVersions, "apis/batch/v1"));
  });
});

describe("/openapi/v2", () => {
  const doc = openApiV2(allServedGroupVersions);

  test("is Swagger 2.0 whose every $ref resolves to its definitions", () => {
    expect(doc.swagger).toBe("2.0");
    const definitions = doc.definitions as Json;
    const unresolved = refsIn(doc).filter((ref) => !Object.hasOwn(definitions, ref.replace("#/definitions/", "")));
    expect(unresolved).toEqual([]);
    expect(JSON.parse(docs.v2().json)).toEqual(doc);
  });

  test("operations carry consumes, the body parameter first, and the Kubernetes extensions", () => {
    const patch = pathsOf(doc)["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch as Json;
    expect(patch.consumes).toContain("application/strategic-merge-patch+json");
    expect((patch.parameters as Json[])[0]).toEqual({
      in: "body",
      name: "body",
      required: true,
      schema: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch" },
    });
    expect((patch.parameters as Json[]).map((p) => p.name)).toEqual(["body", "dryRun", "fieldManager", "fieldValidation", "force"]);
    expect(patch["x-kubernetes-action"]).toBe("patch");
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", kind: "Deployment", version: "v1" });
    const list = pathsOf(doc)["/api/v1/namespaces/{namespace}/pods"]?.get as Json;
    expect((list.parameters as Json[]).map((p) => p.name)).toEqual([
      "allowWatchBookmarks",
      "continue",
      "fieldSelector",
      "labelSelector",
      "limit",
      "resourceVersion",
      "resourceVersionMatch",
      "sendInitialEvents",
      "timeoutSeconds",
      "watch",
    ]);
  });
});
