// Storage-level failures (upstream's storage.StorageError and friends). The handlers interpret them
// into API Statuses with the resource and name at hand (see interpret.ts).
export type StorageErrorCode =
  | "KeyNotFound"
  | "KeyExists"
  /** The object changed under a conditional write and retrying is not allowed. */
  | "Conflict"
  /** A UID or resourceVersion precondition failed; the message says which. */
  | "PreconditionFailed"
  /** The requested revision was compacted. */
  | "Compacted"
  | "TooLargeResourceVersion"
  | "InvalidResourceVersion"
  | "InvalidContinue"
  | "Corrupt";

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly detail: { requested?: number; current?: number; continueKey?: string } = {},
  ) {
    super(message);
    this.name = "StorageError";
  }
}
