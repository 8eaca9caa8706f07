// What every verb handler works with: the server's parts (ServerContext) and the resolved request
// (Scope: which resource, namespace, name and subresource).
import type { KubeObject, Status } from "../../../spec/interfaces/api-client.ts";
import type { Clock } from "../../../spec/interfaces/clock.ts";
import type { KV } from "../../../spec/interfaces/kv.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";
import { badRequest, fail } from "../errors.ts";
import type { ApiServerHooks } from "../hooks.ts";
import { groupResource } from "../meta.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";
import { type ResourceInfo, type ResourceRegistry, apiVersionOf } from "../resources.ts";
import { objectKey } from "../storage/keys.ts";
import type { ObjectStore } from "../storage/store.ts";

export interface ServerContext {
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  readonly kv: KV;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly hooks: ApiServerHooks;
  /** How often watches ask the KV for progress to send BOOKMARKs. */
  readonly bookmarkIntervalMs: number;
  /** --min-request-timeout: a watch without timeoutSeconds ends after 1–2× this (0: never). */
  readonly minRequestTimeoutMs: number;
}

export interface Scope {
  readonly info: ResourceInfo;
  /** "" for cluster-scoped kinds, and for namespaced kinds listed across all namespaces. */
  readonly namespace: string;
  /** "" for collection requests. */
  readonly name: string;
  readonly subresource?: string;
  readonly req: ApiRequest;
}

export function keyOf(scope: Scope, name = scope.name): string {
  return objectKey(scope.info, scope.namespace, name);
}

export function grOf(scope: Scope, withSubresource = false): { group: string; resource: string } {
  return groupResource(scope.info, withSubresource ? scope.subresource : undefined);
}

export function respond(code: number, body: KubeObject | Status, warnings?: string[]): ApiResponse {
  return warnings !== undefined && warnings.length > 0 ? { code, body, warnings } : { code, body };
}

/**
 * The body's apiVersion/kind must be the endpoint's (or absent: they are filled in). Upstream
 * answers a mismatch while decoding, with these messages.
 */
export function checkTypeMeta(obj: KubeObject, expectedApiVersion: string, expectedKind: string): void {
  const apiVersion = typeof obj.apiVersion === "string" && obj.apiVersion !== "" ? obj.apiVersion : expectedApiVersion;
  const kind = typeof obj.kind === "string" && obj.kind !== "" ? obj.kind : expectedKind;
  if (apiVersion !== expectedApiVersion) {
    fail(badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expectedApiVersion})`));
  }
  if (kind !== expectedKind) {
    const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
    fail(badRequest(`${kind} in version "${version}" cannot be handled as a ${expectedKind}: the kind in the body is not the endpoint's kind`));
  }
  obj.apiVersion = apiVersion;
  obj.kind = kind;
}

/** checkTypeMeta for the resource's own kind. */
export function checkResourceTypeMeta(obj: KubeObject, info: ResourceInfo): void {
  checkTypeMeta(obj, apiVersionOf(info), info.kind);
}
