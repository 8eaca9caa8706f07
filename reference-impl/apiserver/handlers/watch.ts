// watch: validates the request synchronously (a bad one gets an ApiResponse, as a failed HTTP
// request), then streams events from a Watcher. resourceVersion unset or "0": the current state as
// ADDED events, then changes; "<rv>": changes after rv; sendInitialEvents=true: the state (at least
// as new as rv), a BOOKMARK annotated k8s.io/initial-events-end, then changes.
import type { WatchSink } from "../request.ts";
import { parseWatchQuery } from "../query.ts";
import { collectionPrefix } from "../storage/keys.ts";
import { interpretStorageError } from "../storage/interpret.ts";
import { parseResourceVersion } from "../storage/resource-version.ts";
import { type WatchStart, Watcher } from "../storage/watcher.ts";
import { StorageError } from "../storage/errors.ts";
import { badRequest, fail } from "../errors.ts";
import { type Scope, type ServerContext, grOf } from "./context.ts";

export function startWatch(ctx: ServerContext, scope: Scope, sink: WatchSink, onEnd: () => void): Watcher {
  const q = parseWatchQuery(scope.info, scope.req.query);
  let revision: number;
  try {
    revision = parseResourceVersion(q.resourceVersion);
  } catch (err) {
    if (err instanceof StorageError) fail(badRequest(`invalid resource version: ${err.message}`));
    throw err;
  }
  const rvUnsetOrZero = q.resourceVersion === "" || q.resourceVersion === "0";
  let start: WatchStart;
  if (q.sendInitialEvents === true) start = rvUnsetOrZero ? { kind: "initialState" } : { kind: "initialState", minResourceVersion: q.resourceVersion };
  else if (rvUnsetOrZero && q.sendInitialEvents === undefined) start = { kind: "initialState" };
  else start = { kind: "after", revision };
  const watcher = new Watcher({
    kv: ctx.kv,
    clock: ctx.clock,
    info: scope.info,
    keyPrefix: collectionPrefix(scope.info, scope.namespace),
    predicate: q.predicate,
    start,
    allowBookmarks: q.allowWatchBookmarks,
    initialEventsEndBookmark: q.sendInitialEvents === true,
    bookmarkIntervalMs: ctx.bookmarkIntervalMs,
    timeoutMs: q.timeoutSeconds !== undefined ? q.timeoutSeconds * 1000 : defaultTimeoutMs(ctx),
    sink,
    onEnd,
    statusForError: (err) => interpretStorageError(err, grOf(scope), ""),
  });
  watcher.start();
  return watcher;
}

/** Upstream ends a watch without timeoutSeconds after a random 1–2× --min-request-timeout, spreading reconnects. */
function defaultTimeoutMs(ctx: ServerContext): number | undefined {
  if (ctx.minRequestTimeoutMs <= 0) return undefined;
  return Math.floor(ctx.minRequestTimeoutMs * (1 + ctx.rng.float()));
}
