// get: one object, at least as new as the requested resourceVersion (there is no watch cache, so
// "0" and unset both read the latest state).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { fail, notFound } from "../errors.ts";
import type { ApiResponse } from "../request.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import { type Scope, type ServerContext, grOf, keyOf, respond } from "./context.ts";

/** The stored object of the scope, or a 404 (for subresources too, named after the main resource). */
export async function getObject(ctx: ServerContext, scope: Scope, minResourceVersion?: string): Promise<KubeObject> {
  let obj: KubeObject | undefined;
  try {
    obj = await ctx.store.get(scope.info, keyOf(scope), minResourceVersion);
  } catch (err) {
    rethrowStorageError(err, grOf(scope), scope.name);
  }
  if (obj === undefined) fail(notFound(grOf(scope), scope.name));
  return obj;
}

export async function get(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  return respond(200, await getObject(ctx, scope, scope.req.query.resourceVersion));
}
