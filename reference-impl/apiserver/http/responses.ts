// What the HTTP layer answers, independent of node:http: a complete response, or a stream (watch)
// that the transport attaches to its connection. Plus the error answer every handler shares
// (responsewriters.ErrorNegotiated). Pure.
import type { Status } from "../../../spec/interfaces/api-client.ts";
import { encodeJsonPretty, encodeObject } from "./encode.ts";
import { DEFAULT_RESTRICTIONS, isPrettyPrint, negotiate, responseMediaType } from "./media.ts";

export type ResponseHeaders = Record<string, string | string[]>;

export interface CompleteResponse {
  kind: "complete";
  status: number;
  headers: ResponseHeaders;
  body: string | Uint8Array;
}

/** Where a stream writes; `write` returns false when the transport's buffer is full. */
export interface StreamOutput {
  write(chunk: string): boolean;
  end(): void;
}

export interface StreamResponse {
  kind: "stream";
  status: number;
  headers: ResponseHeaders;
  /** Starts writing into `out` (events already received first); `out.end()` when the stream ends. */
  attach(out: StreamOutput): void;
  /** Ends the stream from the transport's side (client gone, server stopping). */
  stop(): void;
}

export type HttpResponse = CompleteResponse | StreamResponse;

/** The request facts every answer looks at. */
export interface RequestView {
  accept: string | undefined;
  userAgent: string | undefined;
  query: Readonly<Record<string, string>>;
}

export function complete(status: number, headers: ResponseHeaders, body: string | Uint8Array): CompleteResponse {
  return { kind: "complete", status, headers, body };
}

export function textResponse(status: number, text: string, extra: ResponseHeaders = {}): CompleteResponse {
  return complete(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", ...extra }, text);
}

/** Go's http.NotFound. */
export function plainNotFound(): CompleteResponse {
  return textResponse(404, "404 page not found\n");
}

/** responsewriters.WriteRawJSON: indented JSON regardless of Accept. */
export function rawJson(status: number, value: unknown, extra: ResponseHeaders = {}): CompleteResponse {
  return complete(status, { "Content-Type": "application/json", ...extra }, encodeJsonPretty(value));
}

/**
 * ErrorNegotiated: the Status in the negotiated serializer (no conversions); when the Accept header
 * allows none, indented JSON. Retry-After when the Status asks the client to wait.
 */
export function errorResponse(status: Status, req: RequestView): CompleteResponse {
  const extra: ResponseHeaders = {};
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined && retry > 0) extra["Retry-After"] = String(retry);
  const nego = negotiate(req.accept, DEFAULT_RESTRICTIONS);
  if (nego === undefined) return rawJson(status.code, status, extra);
  const pretty = nego.pretty || isPrettyPrint(req.query, req.userAgent);
  return complete(status.code, { "Content-Type": responseMediaType(nego.serializer), ...extra }, encodeObject(status, nego.serializer, pretty));
}
