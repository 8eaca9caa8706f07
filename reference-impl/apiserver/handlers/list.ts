// list: a <Kind>List of the objects matching the selectors, with resourceVersion semantics and
// limit/continue pagination (storage/list.ts). Items carry no kind/apiVersion, as upstream's typed
// lists encode them.
import type { KubeList, KubeObject } from "../../../spec/interfaces/api-client.ts";
import { parseListQuery } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { apiVersionOf } from "../resources.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import { collectionPrefix } from "../storage/keys.ts";
import { type ListResult, getList } from "../storage/list.ts";
import { type Scope, type ServerContext, grOf, respond } from "./context.ts";

export async function list(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const q = parseListQuery(scope.info, scope.req.query);
  let result: ListResult;
  try {
    result = await getList(ctx.kv, scope.info, collectionPrefix(scope.info, scope.namespace), q);
  } catch (err) {
    rethrowStorageError(err, grOf(scope), "");
  }
  return respond(200, toKubeList(scope, result) as unknown as KubeObject);
}

export function toKubeList(scope: Scope, result: ListResult): KubeList {
  const metadata: KubeList["metadata"] = { resourceVersion: result.resourceVersion };
  if (result.continue !== undefined) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  return {
    kind: `${scope.info.kind}List`,
    apiVersion: apiVersionOf(scope.info),
    metadata,
    items: result.items.map(({ apiVersion: _a, kind: _k, ...item }) => item),
  };
}
