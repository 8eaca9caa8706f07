// The one error type every patch function throws. `status` is the HTTP status kube-apiserver answers
// for that failure (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go), so the API server
// can turn it into a Status object without guessing:
//   400 BadRequest — the patch document is malformed (not JSON of the right shape, bad directives);
//   413 RequestEntityTooLarge — a JSON patch with more operations than upstream allows;
//   422 Invalid — a well-formed patch that cannot be applied to this object.

export type PatchType = "json" | "merge" | "strategic";
export type PatchErrorStatus = 400 | 413 | 422;

export interface JsonPatchOperationDetail {
  /** Index of the failing operation in the patch. */
  index: number;
  op: string;
  path: string;
}

export class PatchError extends Error {
  override readonly name = "PatchError";

  constructor(
    readonly patchType: PatchType,
    readonly status: PatchErrorStatus,
    message: string,
    /** For JSON patch: the operation that failed, when known. */
    readonly operation?: JsonPatchOperationDetail,
  ) {
    super(message);
  }
}
