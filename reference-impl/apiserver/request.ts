// The API server's transport-independent request model. The HTTP layer parses a REST request into
// an ApiRequest; the in-process client builds one directly. The core answers with an ApiResponse, or
// for watches with a stream of watch events. Keeping this one shape means simulation and live mode
// run exactly the same server code.
import type { KubeObject, Status, WatchEvent } from "../../spec/interfaces/api-client.ts";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface ApiRequest {
  verb: Verb;
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. "pods". */
  resource: string;
  /** e.g. "status", "scale", "binding", "eviction", "log". */
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Query parameters as given (labelSelector, resourceVersion, limit, dryRun, fieldManager, ...). */
  query: Record<string, string>;
  /** Decoded body (JSON or YAML already parsed); untrusted. */
  body?: unknown;
  /** For patch: the Content-Type naming the patch type. */
  contentType?: string;
  /** The Accept header, when the transport has one (`as=Table` asks for server-side printing). */
  accept?: string;
  /** The User-Agent header: names the field manager when the request gives no fieldManager. */
  userAgent?: string;
  /** The authenticated user (for managedFields and events); "admin" for the generated kubeconfig. */
  user: string;
}

export interface ApiResponse {
  /** HTTP status code. */
  code: number;
  body: KubeObject | Status | string;
  /** Warning headers (e.g. unknown fields with fieldValidation=Warn). */
  warnings?: string[];
}

/** A running watch: events are pushed to the sink in order; `stop` ends it. */
export interface WatchSink {
  event(ev: WatchEvent): void;
  /** The watch ended (timeout, stop, server shutdown); no more events follow. */
  close(): void;
}

export interface WatchResponse {
  /** Stops the watch; the sink's close() is called. */
  stop(): void;
}
