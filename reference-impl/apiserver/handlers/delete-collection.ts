// deletecollection: lists what the selectors match and deletes each object with the request's
// DeleteOptions (so finalizers and graceful deletion apply per object). The answer is the list as it
// was before the deletion, as upstream's Store.DeleteCollection returns it.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { ApiError } from "../../../spec/interfaces/api-client.ts";
import { fail, methodNotSupported } from "../errors.ts";
import { parseDeleteOptions, parseListQuery } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import { collectionPrefix } from "../storage/keys.ts";
import { type ListResult, getList } from "../storage/list.ts";
import { type Scope, type ServerContext, grOf, respond } from "./context.ts";
import { deleteResource } from "./delete.ts";
import { toKubeList } from "./list.ts";
import { admissionAttributes } from "./rest.ts";

export async function deleteCollection(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  if (!scope.info.verbs.includes("deletecollection")) fail(methodNotSupported(grOf(scope), "deletecollection"));
  const q = parseListQuery(scope.info, scope.req.query);
  const opts = parseDeleteOptions(scope.req.query, scope.req.body);
  let listed: ListResult;
  try {
    listed = await getList(ctx.kv, scope.info, collectionPrefix(scope.info, scope.namespace), q);
  } catch (err) {
    rethrowStorageError(err, grOf(scope), "");
  }
  for (const item of listed.items) {
    const itemScope: Scope = { ...scope, namespace: item.metadata?.namespace ?? scope.namespace, name: item.metadata?.name ?? "" };
    try {
      await ctx.hooks.admission.admit(admissionAttributes(itemScope, "DELETE", itemScope.name, undefined, undefined, opts.dryRun === true));
      await deleteResource(ctx, itemScope, structuredClone(opts));
    } catch (err) {
      // Deleted by someone else meanwhile: that is fine.
      if (err instanceof ApiError && err.code === 404) continue;
      throw err;
    }
  }
  return respond(200, toKubeList(scope, listed) as unknown as KubeObject);
}
