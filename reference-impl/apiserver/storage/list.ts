// GetList over the KV, after upstream's etcd3 store: resourceVersion semantics (unset/"0" → latest;
// NotOlderThan → latest, checked; Exact, or legacy "limit with rv" → a read at that revision),
// label/field filtering, and limit/continue pagination where every page reads the revision of the
// first one, so the pages together are one consistent snapshot.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { type KV, prefixEnd } from "../../../spec/interfaces/kv.ts";
import type { ResourceInfo } from "../resources.ts";
import { decodeObject, keyBytes, keyString } from "./codec.ts";
import { decodeContinue, encodeContinue } from "./continue.ts";
import { StorageError } from "./errors.ts";
import { checkMinimumResourceVersion, parseResourceVersion } from "./resource-version.ts";
import { isCompacted, isFutureRevision } from "./store.ts";

/** What a list filters on; `empty` when it filters nothing (remainingItemCount is exact then). */
export interface Predicate {
  matches(obj: KubeObject): boolean;
  readonly empty: boolean;
}

export const everythingPredicate: Predicate = { matches: () => true, empty: true };

export interface ListParams {
  resourceVersion?: string;
  resourceVersionMatch?: "" | "Exact" | "NotOlderThan";
  /** 0 or absent: no limit. */
  limit?: number;
  continue?: string;
  predicate?: Predicate;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Page size cap when a selector filters items out and more must be read (upstream's maxLimit). */
const MAX_RANGE_LIMIT = 10_000;

export const CONTINUE_EXPIRED_MESSAGE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

export const LIST_EXPIRED_MESSAGE = "The resourceVersion for the provided list is too old.";

export async function getList(kv: KV, info: ResourceInfo, keyPrefix: string, params: ListParams): Promise<ListResult> {
  const predicate = params.predicate ?? everythingPredicate;
  const limit = params.limit !== undefined && params.limit > 0 ? params.limit : 0;
  const paging = limit > 0;
  let key = keyPrefix;
  let withRev = 0;
  let continueKey: string | undefined;
  if (params.continue !== undefined && params.continue !== "") {
    const token = decodeContinue(params.continue, keyPrefix);
    key = token.key;
    continueKey = token.key;
    // rv < 0: the token from a 410, continuing at the latest revision.
    if (token.resourceVersion > 0) withRev = token.resourceVersion;
  } else if (params.resourceVersion !== undefined && params.resourceVersion !== "") {
    const fromRv = parseResourceVersion(params.resourceVersion);
    const match = params.resourceVersionMatch ?? "";
    if (match === "Exact" || (match === "" && paging && fromRv > 0)) withRev = fromRv;
  }

  const rangeEnd = prefixEnd(keyBytes(keyPrefix));
  const items: KubeObject[] = [];
  let rangeLimit = limit;
  let lastKey = "";
  let hasMore: boolean;
  let count: number;
  for (;;) {
    let res;
    try {
      res = await kv.range({ key: keyBytes(key), rangeEnd, limit: rangeLimit, revision: withRev });
    } catch (err) {
      if (isFutureRevision(err)) {
        const current = (await kv.range({ key: keyBytes(keyPrefix), countOnly: true })).header.revision;
        throw new StorageError("TooLargeResourceVersion", `Too large resource version: ${withRev}, current: ${current}`, {
          requested: withRev,
          current,
        });
      }
      throw interpretListError(err, continueKey, keyPrefix);
    }
    if (continueKey === undefined) checkMinimumResourceVersion(params.resourceVersionMatch === "Exact" ? undefined : params.resourceVersion, res.header.revision);
    if (withRev === 0) withRev = res.header.revision;
    count = res.count;
    hasMore = res.more;
    for (const kvPair of res.kvs) {
      if (paging && items.length >= limit) {
        hasMore = true;
        break;
      }
      lastKey = keyString(kvPair.key);
      const obj = decodeObject(info, kvPair);
      if (predicate.matches(obj)) items.push(obj);
    }
    if (!hasMore || !paging || items.length >= limit) break;
    // A selector dropped items: read on from the last key, in bigger pages.
    rangeLimit = Math.min(rangeLimit * 2, MAX_RANGE_LIMIT);
    key = `${lastKey}\x00`;
  }
  const result: ListResult = { items, resourceVersion: String(withRev) };
  if (hasMore) {
    result.continue = encodeContinue(`${lastKey}\x00`, keyPrefix, withRev);
    if (predicate.empty) result.remainingItemCount = Math.max(0, count - limit);
  }
  return result;
}

function interpretListError(err: unknown, continueKey: string | undefined, keyPrefix: string): unknown {
  if (!isCompacted(err)) return err;
  if (continueKey === undefined) return new StorageError("Compacted", LIST_EXPIRED_MESSAGE);
  // Hand out a token that continues at the latest revision (rv -1), as upstream does.
  return new StorageError("Compacted", CONTINUE_EXPIRED_MESSAGE, { continueKey: encodeContinue(continueKey, keyPrefix, -1) });
}
