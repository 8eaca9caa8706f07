// Request options as query parameters and bodies, the way client-go encodes them: empty values left
// out (omitempty), booleans as "true", dryRun as "All", DeleteOptions as a JSON body. Both clients
// use these, so an in-process ApiRequest carries exactly the query the HTTP layer would parse.
import type {
  DeleteOptions,
  KubeObject,
  ListOptions,
  PatchOptions,
  WatchOptions,
  WriteOptions,
} from "../../spec/interfaces/api-client.ts";

export type Query = Record<string, string>;

function put(q: Query, key: string, value: string | number | boolean | undefined): void {
  if (value === undefined || value === "" || value === false) return;
  q[key] = String(value);
}

export function listQuery(opts: ListOptions = {}): Query {
  const q: Query = {};
  put(q, "labelSelector", opts.labelSelector);
  put(q, "fieldSelector", opts.fieldSelector);
  put(q, "resourceVersion", opts.resourceVersion);
  put(q, "resourceVersionMatch", opts.resourceVersionMatch);
  if (opts.limit !== undefined && opts.limit > 0) q.limit = String(opts.limit);
  put(q, "continue", opts.continue);
  return q;
}

/** The watch's ListOptions, without `watch=true` (the HTTP client adds it; in-process the verb says it). */
export function watchQuery(opts: WatchOptions = {}): Query {
  const q: Query = {};
  put(q, "labelSelector", opts.labelSelector);
  put(q, "fieldSelector", opts.fieldSelector);
  put(q, "resourceVersion", opts.resourceVersion);
  put(q, "resourceVersionMatch", opts.resourceVersionMatch);
  put(q, "allowWatchBookmarks", opts.allowWatchBookmarks);
  // A *bool: false is a value of its own.
  if (opts.sendInitialEvents !== undefined) q.sendInitialEvents = String(opts.sendInitialEvents);
  if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) q.timeoutSeconds = String(opts.timeoutSeconds);
  return q;
}

export function writeQuery(opts: WriteOptions = {}): Query {
  const q: Query = {};
  if (opts.dryRun === true) q.dryRun = "All";
  put(q, "fieldManager", opts.fieldManager);
  put(q, "fieldValidation", opts.fieldValidation);
  return q;
}

export function patchQuery(opts: PatchOptions = {}): Query {
  const q = writeQuery(opts);
  put(q, "force", opts.force);
  return q;
}

/** meta/v1 DeleteOptions as the request body, as client-go sends it. */
export function deleteOptionsBody(opts: DeleteOptions = {}): KubeObject {
  const body: KubeObject = { kind: "DeleteOptions", apiVersion: "v1" };
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions !== undefined) body.preconditions = { ...opts.preconditions };
  if (opts.propagationPolicy !== undefined) body.propagationPolicy = opts.propagationPolicy;
  if (opts.dryRun === true) body.dryRun = ["All"];
  return body;
}

/** Splits deleteCollection's options into the list query and the DeleteOptions body. */
export function deleteCollectionRequest(opts: ListOptions & DeleteOptions = {}): { query: Query; body: KubeObject } {
  const { labelSelector, fieldSelector, resourceVersion, resourceVersionMatch, limit, continue: cont, ...del } = opts;
  return {
    query: listQuery({ labelSelector, fieldSelector, resourceVersion, resourceVersionMatch, limit, continue: cont }),
    body: deleteOptionsBody(del),
  };
}

/** Go's url.QueryEscape: only [A-Za-z0-9-_.~] stay as they are; a space becomes `+`. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** url.Values.Encode with a leading `?` (empty when there is nothing): keys sorted. */
export function encodeQuery(q: Query): string {
  const keys = Object.keys(q).sort();
  if (keys.length === 0) return "";
  return `?${keys.map((k) => `${queryEscape(k)}=${queryEscape(q[k]!)}`).join("&")}`;
}
