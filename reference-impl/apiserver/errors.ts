// Status builders with kube-apiserver's reasons, codes and messages
// (k8s.io/apimachinery/pkg/api/errors/errors.go). Handlers throw ApiError(status); ApiServer.handle
// turns it into the response. A Status is the only error shape a client ever sees.
import { ApiError, type Status } from "../../spec/interfaces/api-client.ts";
import { type FieldError, errorBody, fieldErrorsMessage } from "../../spec/semantics/field-errors.ts";
import { goQuote } from "../../spec/semantics/go-compat.ts";

/** A group and plural resource, as upstream's schema.GroupResource ("" group = core). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** GroupResource.String(): `pods`, `deployments.apps`. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group === "" ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** GroupKind.String(): `Pod`, `Deployment.apps`. */
export function qualifiedKind(group: string, kind: string): string {
  return group === "" ? kind : `${kind}.${group}`;
}

type Details = NonNullable<Status["details"]>;

function failure(code: number, reason: string, message: string, details?: Details): Status {
  const base = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason } as const;
  return details === undefined ? { ...base, code } : { ...base, details, code };
}

/** StatusDetails in upstream's field order, empty fields left out. */
function details(gr: GroupResource | undefined, name: string | undefined, extra: Partial<Details> = {}): Details {
  const d: Details = {};
  if (name !== undefined && name !== "") d.name = name;
  if (gr !== undefined && gr.group !== "") d.group = gr.group;
  if (gr !== undefined && gr.resource !== "") d.kind = gr.resource;
  return { ...d, ...extra };
}

export function notFound(gr: GroupResource, name: string): Status {
  return failure(404, "NotFound", `${qualifiedResource(gr)} ${goQuote(name)} not found`, details(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): Status {
  return failure(409, "AlreadyExists", `${qualifiedResource(gr)} ${goQuote(name)} already exists`, details(gr, name));
}

/** The message of an update whose resourceVersion is not the current one (OptimisticLockErrorMsg). */
export const OPTIMISTIC_LOCK_ERROR_MSG =
  "the object has been modified; please apply your changes to the latest version and try again";

export function conflict(gr: GroupResource, name: string, why: string = OPTIMISTIC_LOCK_ERROR_MSG): Status {
  return failure(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(gr)} ${goQuote(name)}: ${why}`, details(gr, name));
}

/** NewInvalid: 422 with one cause per field error; `kind` is the Kind (or, upstream's habit, a resource). */
export function invalid(group: string, kind: string, name: string, errs: readonly FieldError[]): Status {
  const causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const agg = fieldErrorsMessage(errs);
  const head = `${qualifiedKind(group, kind)} ${goQuote(name)} is invalid`;
  return failure(422, "Invalid", agg === "" ? head : `${head}: ${agg}`, details({ group, resource: kind }, name, { causes }));
}

export function badRequest(message: string): Status {
  return failure(400, "BadRequest", message);
}

export function forbidden(gr: GroupResource | undefined, name: string, why: string): Status {
  let message: string;
  if (gr === undefined) message = `forbidden: ${why}`;
  else if (name === "") message = `${qualifiedResource(gr)} is forbidden: ${why}`;
  else message = `${qualifiedResource(gr)} ${goQuote(name)} is forbidden: ${why}`;
  return failure(403, "Forbidden", message, details(gr, name));
}

export function methodNotSupported(gr: GroupResource, action: string): Status {
  return failure(405, "MethodNotAllowed", `${action} is not supported on resources of kind ${goQuote(qualifiedResource(gr))}`, details(gr, undefined));
}

export function gone(message: string): Status {
  return failure(410, "Gone", message);
}

/** NewResourceExpired: 410 Expired (too old resourceVersion or continue token). */
export function resourceExpired(message: string): Status {
  return failure(410, "Expired", message);
}

export function requestEntityTooLarge(message: string): Status {
  return failure(413, "RequestEntityTooLarge", `Request entity too large: ${message}`);
}

export function unsupportedMediaType(message: string): Status {
  return failure(415, "UnsupportedMediaType", message);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): Status {
  return failure(429, "TooManyRequests", message, { retryAfterSeconds });
}

/** NewGenericServerResponse(422, ...): how upstream reports a patch that does not apply. */
export function unprocessablePatch(message: string): Status {
  return failure(422, "Invalid", "the server rejected our request due to an error in our request", {
    causes: [{ reason: "UnexpectedServerResponse", message }],
  });
}

export function internalError(message: string): Status {
  return failure(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** NewServerTimeout: e.g. a generated name that collided on every retry. */
export function serverTimeout(gr: GroupResource, operation: string, retryAfterSeconds: number): Status {
  return failure(
    500,
    "ServerTimeout",
    `The ${operation} operation against ${qualifiedResource(gr)} could not be completed at this time, please try again.`,
    details(gr, operation, retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  );
}

/** storage.NewTooLargeResourceVersionError: 504 Timeout with a ResourceVersionTooLarge cause. */
export function tooLargeResourceVersion(requested: number, current: number): Status {
  return failure(504, "Timeout", `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
    retryAfterSeconds: 1,
  });
}

/** 404 for a path the server does not serve (unknown resource or subresource). */
export function resourceNotServed(): Status {
  return failure(404, "NotFound", "the server could not find the requested resource", {});
}

/** metav1.Status Success, as DELETE answers for kinds that do not return the deleted object. */
export function success(code: number, d?: Details): Status {
  const base = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" } as const;
  return d === undefined ? { ...base, code } : { ...base, details: d, code };
}

/** Throws the Status as an ApiError. */
export function fail(status: Status): never {
  throw new ApiError(status);
}

/** A Status for anything thrown: ApiErrors keep theirs, anything else is an internal error. */
export function statusFromError(err: unknown): Status {
  if (err instanceof ApiError) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  const trace = err instanceof Error && err.stack !== undefined ? traceLine(err.stack) : undefined;
  return internalError(trace === undefined ? message : `${message} (at ${trace})`);
}

/** The first stack frame, so an internal error names where it came from without a stack dump. */
function traceLine(stack: string): string | undefined {
  const frame = stack.split("\n").find((l) => l.trimStart().startsWith("at "));
  return frame?.trim().slice(3);
}

/** NewGenerateNameConflict: every generated name was taken. */
export function generateNameConflict(gr: GroupResource, name: string, retryAfterSeconds: number): Status {
  return failure(
    409,
    "AlreadyExists",
    `${qualifiedResource(gr)} ${goQuote(name)} already exists, the server was not able to generate a unique name for the object`,
    details(gr, name, { retryAfterSeconds }),
  );
}
