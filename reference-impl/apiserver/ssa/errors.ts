// Errors of server-side apply that end a request. `code` is what kube-apiserver answers; the API
// server core turns the error into a Status with toStatus().
import type { Status } from "../../../spec/interfaces/api-client.ts";

export type SsaErrorCode = 400 | 500;

export class SsaError extends Error {
  override readonly name = "SsaError";

  constructor(
    readonly code: SsaErrorCode,
    message: string,
  ) {
    super(message);
  }

  /**
   * 400 is a BadRequest Status (errors.NewBadRequest); 500 is what the apiserver answers for a plain
   * Go error: message and code only, no reason.
   */
  toStatus(): Status {
    const status: Status = { apiVersion: "v1", kind: "Status", metadata: {}, status: "Failure", message: this.message, code: this.code };
    if (this.code === 400) status.reason = "BadRequest";
    return status;
  }
}
