// The REST paths of the Kubernetes API (https://kubernetes.io/docs/reference/using-api/api-concepts/):
//   core group:  /api/{version}/...        other groups: /apis/{group}/{version}/...
//   namespaced:  .../namespaces/{ns}/{resource}[/{name}[/{subresource}]]
//   cluster-scoped, or a namespaced list across all namespaces: .../{resource}[/{name}[/{subresource}]]
import type { ResourceType } from "../../spec/interfaces/api-client.ts";

/** `/api/v1` or `/apis/{group}/{version}`. */
export function groupVersionPath(type: Pick<ResourceType, "group" | "version">): string {
  const version = segment(type.version, "version");
  return type.group === "" ? `/api/${version}` : `/apis/${segment(type.group, "group")}/${version}`;
}

/** The path of a collection (no name), an object, or an object's subresource. */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = groupVersionPath(type);
  if (namespace !== undefined && namespace !== "") p += `/namespaces/${segment(namespace, "namespace")}`;
  p += `/${segment(type.resource, "resource")}`;
  if (name !== undefined) {
    p += `/${segment(name, "name")}`;
    if (subresource !== undefined && subresource !== "") p += `/${segment(subresource, "subresource")}`;
  } else if (subresource !== undefined && subresource !== "") {
    throw new Error(`a subresource (${subresource}) needs an object name`);
  }
  return p;
}

// A segment of "", "." or "..", or with "/" or "%", would address another path; client-go refuses
// them too (IsValidPathSegmentName).
function segment(value: string, what: string): string {
  if (value === "" || value === "." || value === ".." || value.includes("/") || value.includes("%")) {
    throw new Error(`invalid ${what} ${JSON.stringify(value)} in a request path`);
  }
  return encodeURIComponent(value);
}
