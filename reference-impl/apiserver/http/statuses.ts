// The Statuses the HTTP layer answers itself, before a request reaches the core: go-restful's route
// errors (through the server's serviceErrorHandler, i.e. apierrors.NewGenericServerResponse, whose
// StatusDetails are empty but present: `"details":{}`), the not-found handler behind the API paths,
// the negotiation errors (handlers/negotiation/errors.go) and authentication's 401.
import type { Status } from "../../../spec/interfaces/api-client.ts";
import { SUPPORTED_MEDIA_TYPES, SUPPORTED_STREAM_MEDIA_TYPES } from "./media.ts";

function failure(code: number, reason: string, message: string, withDetails: boolean): Status {
  const base = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason } as const;
  return withDetails ? { ...base, details: {}, code } : { ...base, code };
}

/**
 * 404 for a path no route claims. Under a served API prefix go-restful answers (details {});
 * elsewhere the not-found handler (no details; kube-apiserver 1.32 answers there with Go's plain
 * "404 page not found", newer releases with this Status).
 */
export function pathNotFound(goRestful: boolean): Status {
  return failure(404, "NotFound", "the server could not find the requested resource", goRestful);
}

/** 405 from go-restful: the path has routes, none for this method. */
export function methodNotAllowed(): Status {
  return failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", true);
}

/** 415 from go-restful: a PATCH whose Content-Type is not a patch type. */
export function patchTypeNotSupported(): Status {
  return failure(415, "UnsupportedMediaType", "415: Unsupported Media Type", true);
}

/** 415 from NegotiateInputSerializer: a body in a format the server does not decode. */
export function unknownBodyFormat(): Status {
  return failure(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_MEDIA_TYPES.join(", ")}`, false);
}

/** 406 from NegotiateOutputMediaType[Stream]. */
export function notAcceptable(streaming = false): Status {
  const types = streaming ? SUPPORTED_STREAM_MEDIA_TYPES : SUPPORTED_MEDIA_TYPES;
  return failure(406, "NotAcceptable", `only the following media types are accepted: ${types.join(", ")}`, false);
}

/** 406 from the response transformation (asTable, asPartialObjectMetadata[List]). */
export function notAcceptableBecause(message: string): Status {
  return failure(406, "NotAcceptable", message, false);
}

/** 401 from the authentication filter. */
export function unauthorized(): Status {
  return failure(401, "Unauthorized", "Unauthorized", false);
}
