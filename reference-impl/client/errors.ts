// Client-side errors. The server's errors arrive as Status objects (ApiError); this module adds what a
// client sees without one: a connection that failed (no HTTP answer at all), and a non-Status error
// body, which client-go turns into a Status with NewGenericServerResponse
// (k8s.io/apimachinery/pkg/api/errors/errors.go) — reproduced here with its reasons and messages.
import { ApiError, type ResourceType, type Status } from "../../spec/interfaces/api-client.ts";
import { goQuote } from "../../spec/semantics/go-compat.ts";

export type ConnectionErrorKind = "refused" | "reset" | "timeout" | "unreachable";

/**
 * No answer from the server: refused, reset, timed out, or cut off by a partition. It carries a
 * synthesized Status with code 0 (no HTTP status exists) so it can travel wherever an ApiError can
 * (e.g. WatchHandlers.onClose); `isConnectionError` tells it apart from server answers.
 */
export class ConnectionError extends ApiError {
  constructor(
    readonly kind: ConnectionErrorKind,
    message: string,
  ) {
    super({ apiVersion: "v1", kind: "Status", metadata: {}, status: "Failure", message, code: 0 });
    this.name = "ConnectionError";
  }
}

export function isConnectionError(err: unknown): err is ConnectionError {
  return err instanceof ConnectionError;
}

function statusOf(err: unknown): Status | undefined {
  return err instanceof ApiError ? err.status : undefined;
}

// Reasons apimachinery knows; the Is* helpers fall back to the code only for other reasons.
// StatusReasonUnknown is "", so a reason-less Status counts as known (upstream's quirk, kept).
const knownReasons = new Set([
  "",
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "AlreadyExists",
  "Conflict",
  "Gone",
  "Invalid",
  "ServerTimeout",
  "StoreReadError",
  "Timeout",
  "TooManyRequests",
  "BadRequest",
  "MethodNotAllowed",
  "NotAcceptable",
  "RequestEntityTooLarge",
  "UnsupportedMediaType",
  "InternalError",
  "Expired",
  "ServiceUnavailable",
]);

function reasonOrCode(err: unknown, reason: string, code: number): boolean {
  const s = statusOf(err);
  if (s === undefined) return false;
  if (s.reason === reason) return true;
  return !knownReasons.has(s.reason ?? "") && s.code === code;
}

export const isNotFound = (err: unknown): boolean => reasonOrCode(err, "NotFound", 404);
export const isAlreadyExists = (err: unknown): boolean => statusOf(err)?.reason === "AlreadyExists";
export const isConflict = (err: unknown): boolean => reasonOrCode(err, "Conflict", 409);
export const isInvalid = (err: unknown): boolean => reasonOrCode(err, "Invalid", 422);
export const isGone = (err: unknown): boolean => reasonOrCode(err, "Gone", 410);
export const isResourceExpired = (err: unknown): boolean => statusOf(err)?.reason === "Expired";
export const isInternalError = (err: unknown): boolean => reasonOrCode(err, "InternalError", 500);
/** Like upstream, 429 counts whatever the reason. */
export const isTooManyRequests = (err: unknown): boolean => {
  const s = statusOf(err);
  return s !== undefined && (s.reason === "TooManyRequests" || s.code === 429);
};

/** The reflector's isExpiredError: 410 Expired, or Gone from servers before 1.18. */
export function isExpiredError(err: unknown): boolean {
  return isResourceExpired(err) || isGone(err);
}

/** The reflector's isTooLargeResourceVersionError (current servers set the cause). */
export function isTooLargeResourceVersionError(err: unknown): boolean {
  const s = statusOf(err);
  if (s === undefined) return false;
  if (s.details?.causes?.some((c) => c.reason === "ResourceVersionTooLarge") === true) return true;
  if (!reasonOrCode(err, "Timeout", 504)) return false;
  if (s.details?.causes?.some((c) => c.message === "Too large resource version") === true) return true;
  return (s.message ?? "").includes("Too large resource version");
}

/** GroupResource.String() of a resource type: `pods`, `deployments.apps`. */
export function qualifiedResourceOf(type: Pick<ResourceType, "group" | "resource">): string {
  return type.group === "" ? type.resource : `${type.resource}.${type.group}`;
}

export interface GenericServerResponse {
  code: number;
  /** HTTP method, e.g. "GET". */
  method: string;
  /** The request's resource; omitted for requests outside the resource paths. */
  resource?: Pick<ResourceType, "group" | "resource">;
  name?: string;
  serverMessage: string;
  retryAfterSeconds?: number;
  /** Adds the UnexpectedServerResponse cause, as client-go does for a body that is not a Status. */
  isUnexpectedResponse: boolean;
}

/** NewGenericServerResponse: a Status for an answer that carried none. */
export function genericServerResponse(r: GenericServerResponse): Status {
  const { code, serverMessage } = r;
  let reason: string | undefined; // StatusReasonUnknown: "" (omitted)
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = r.method === "POST" ? "AlreadyExists" : "Conflict";
      message = "the server reported a conflict";
      break;
    case 404:
      reason = "NotFound";
      message = "the server could not find the requested resource";
      break;
    case 400:
      reason = "BadRequest";
      message = "the server rejected our request for an unknown reason";
      break;
    case 401:
      reason = "Unauthorized";
      message = "the server has asked for the client to provide credentials";
      break;
    case 403:
      reason = "Forbidden";
      message = serverMessage;
      break;
    case 406:
      reason = "NotAcceptable";
      message =
        serverMessage === "" || serverMessage === "unknown"
          ? "the server was unable to respond with a content type that the client supports"
          : serverMessage;
      break;
    case 415:
      reason = "UnsupportedMediaType";
      message = serverMessage;
      break;
    case 405:
      reason = "MethodNotAllowed";
      message = "the server does not allow this method on the requested resource";
      break;
    case 422:
      reason = "Invalid";
      message = "the server rejected our request due to an error in our request";
      break;
    case 503:
      reason = "ServiceUnavailable";
      message = "the server is currently unable to handle the request";
      break;
    case 504:
      reason = "Timeout";
      message = "the server was unable to return a response in the time allotted, but may still be processing the request";
      break;
    case 429:
      reason = "TooManyRequests";
      message = "the server has received too many requests and has asked us to try again later";
      break;
    default:
      if (code >= 500) {
        reason = "InternalError";
        message = `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  const verb = r.method.toLowerCase();
  const name = r.name ?? "";
  if (r.resource !== undefined && r.resource.resource !== "") {
    const qr = qualifiedResourceOf(r.resource);
    message = name !== "" ? `${message} (${verb} ${qr} ${name})` : `${message} (${verb} ${qr})`;
  }
  // StatusDetails in Go's field order, empty fields left out as omitempty does.
  const details: NonNullable<Status["details"]> = {};
  if (name !== "") details.name = name;
  if (r.resource !== undefined && r.resource.group !== "") details.group = r.resource.group;
  if (r.resource !== undefined && r.resource.resource !== "") details.kind = r.resource.resource;
  if (r.isUnexpectedResponse) details.causes = [{ reason: "UnexpectedServerResponse", message: serverMessage }];
  if (r.retryAfterSeconds !== undefined && r.retryAfterSeconds > 0) details.retryAfterSeconds = r.retryAfterSeconds;
  const base = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message } as const;
  return reason === undefined ? { ...base, details, code } : { ...base, reason, details, code };
}

/** A value that is a failed Status (`kind: Status`, `status: Failure`), as client-go's Result.Error checks. */
export function asFailureStatus(body: unknown): Status | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (b.kind !== "Status" || b.status !== "Failure") return undefined;
  return { ...(b as unknown as Status), code: typeof b.code === "number" ? b.code : 0 };
}

/**
 * client-go's ErrorReporter for a watch stream it cannot decode: a 500 whose causes say so
 * (NewClientErrorReporter(500, "GET", "ClientWatchDecoding")).
 */
export function watchDecodingError(detail: string): ApiError {
  const serverMessage = `unable to decode an event from the watch stream: ${detail}`;
  const status = genericServerResponse({ code: 500, method: "GET", serverMessage, isUnexpectedResponse: true });
  status.details = { causes: [...(status.details?.causes ?? []), { reason: "ClientWatchDecoding", message: serverMessage }] };
  return new ApiError(status);
}
