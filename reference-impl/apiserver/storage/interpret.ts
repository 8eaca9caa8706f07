// Storage errors as API Statuses (upstream's storage/errors: InterpretGetError, InterpretCreateError,
// InterpretUpdateError, InterpretDeleteError, InterpretListError), given the resource and name.
import { ApiError, type Status } from "../../../spec/interfaces/api-client.ts";
import { KvError, KvErrors } from "../../../spec/interfaces/kv.ts";
import {
  type GroupResource,
  alreadyExists,
  badRequest,
  conflict,
  notFound,
  requestEntityTooLarge,
  resourceExpired,
  statusFromError,
  tooLargeResourceVersion,
} from "../errors.ts";
import { StorageError } from "./errors.ts";

export function interpretStorageError(err: unknown, gr: GroupResource, name: string): Status {
  // An object the KV refuses for its size is the client's doing: 413, not 500.
  if (err instanceof KvError && err.message === KvErrors.requestTooLarge().message) return requestEntityTooLarge(err.message);
  if (!(err instanceof StorageError)) return statusFromError(err);
  switch (err.code) {
    case "KeyNotFound":
      return notFound(gr, name);
    case "KeyExists":
      return alreadyExists(gr, name);
    case "Conflict":
      return conflict(gr, name);
    case "PreconditionFailed":
      return conflict(gr, name, err.message);
    case "Compacted": {
      const status = resourceExpired(err.message);
      if (err.detail.continueKey !== undefined) status.metadata = { continue: err.detail.continueKey };
      return status;
    }
    case "TooLargeResourceVersion":
      return tooLargeResourceVersion(err.detail.requested ?? 0, err.detail.current ?? 0);
    case "InvalidResourceVersion":
      return badRequest(`invalid resource version: ${err.message}`);
    case "InvalidContinue":
      return badRequest(`invalid continue token: ${err.message}`);
    case "Corrupt":
      return statusFromError(err);
  }
}

/** Rethrows a storage error as the ApiError it means for `gr`/`name`. */
export function rethrowStorageError(err: unknown, gr: GroupResource, name: string): never {
  if (err instanceof ApiError) throw err;
  throw new ApiError(interpretStorageError(err, gr, name));
}
