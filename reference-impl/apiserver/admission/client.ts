// How admission plugins read and write other objects. Upstream plugins use informer listers and a
// client; here an AdmissionClient does both, and `apiServerClient` implements it through the API
// server's own request handling (so reads see what clients see, and status writes get the
// registry's optimistic concurrency and validation).
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";

/** A served resource, by group, version and plural name. */
export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

export const PODS: ResourceRef = { group: "", version: "v1", resource: "pods" };
export const SERVICES: ResourceRef = { group: "", version: "v1", resource: "services" };
export const NAMESPACES: ResourceRef = { group: "", version: "v1", resource: "namespaces" };
export const SERVICE_ACCOUNTS: ResourceRef = { group: "", version: "v1", resource: "serviceaccounts" };
export const LIMIT_RANGES: ResourceRef = { group: "", version: "v1", resource: "limitranges" };
export const RESOURCE_QUOTAS: ResourceRef = { group: "", version: "v1", resource: "resourcequotas" };
export const PRIORITY_CLASSES: ResourceRef = { group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses" };
export const POD_DISRUPTION_BUDGETS: ResourceRef = { group: "policy", version: "v1", resource: "poddisruptionbudgets" };

export interface AdmissionClient {
  /** The object, or undefined when it does not exist. */
  get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Every object of the namespace ("" for cluster-scoped kinds). */
  list(ref: ResourceRef, namespace: string): Promise<KubeObject[]>;
  /** PUT .../status with the object's resourceVersion; throws an ApiError (409 on a conflict). */
  updateStatus(ref: ResourceRef, obj: KubeObject): Promise<KubeObject>;
}

/** Anything that answers API requests: the ApiServer, or a transport to one. */
export interface ApiHandler {
  handle(req: ApiRequest): Promise<ApiResponse>;
}

/** The user admission's own requests are made as. */
export const ADMISSION_USER = "system:apiserver";

/** An AdmissionClient over an ApiHandler given later (the server is built after its hooks). */
export function apiServerClient(handler: () => ApiHandler): AdmissionClient {
  const call = async (req: Omit<ApiRequest, "user" | "query"> & { query?: Record<string, string> }): Promise<ApiResponse> =>
    handler().handle({ query: {}, user: ADMISSION_USER, ...req });
  return {
    async get(ref, namespace, name) {
      const res = await call({ verb: "get", ...ref, ...nsOf(namespace), name });
      if (res.code === 404) return undefined;
      return bodyOf(res);
    },
    async list(ref, namespace) {
      const res = await call({ verb: "list", ...ref, ...nsOf(namespace) });
      const items = (bodyOf(res) as { items?: unknown }).items;
      return Array.isArray(items) ? (items as KubeObject[]) : [];
    },
    async updateStatus(ref, obj) {
      const namespace = obj.metadata?.namespace ?? "";
      const res = await call({ verb: "update", ...ref, ...nsOf(namespace), name: obj.metadata?.name ?? "", subresource: "status", body: obj });
      return bodyOf(res);
    },
  };
}

function nsOf(namespace: string): { namespace?: string } {
  return namespace === "" ? {} : { namespace };
}

/** The body of a 2xx answer; any other answer is thrown as its Status. */
export function bodyOf(res: ApiResponse): KubeObject {
  if (res.code >= 200 && res.code < 300 && typeof res.body !== "string") return res.body as KubeObject;
  throw new ApiError(typeof res.body === "string" ? statusOfText(res.code, res.body) : (res.body as Status));
}

function statusOfText(code: number, message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code };
}
