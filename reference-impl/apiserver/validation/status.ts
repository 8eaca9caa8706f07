// The 422 Invalid Status that apimachinery's errors.NewInvalid builds from field errors: the
// message `<Kind>[.<group>] "<name>" is invalid: <aggregate>` (one error alone, several in
// brackets, duplicates dropped) and one cause per error, duplicates kept, in order.

import type { Status } from "../../../spec/interfaces/api-client.ts";
import { errorBody, type FieldError, fieldErrorsMessage } from "../../../spec/semantics/field-errors.ts";
import { goQuote } from "../../../spec/semantics/go-compat.ts";

/** schema.GroupKind.String(): `Kind` for the core group, `Kind.group` otherwise. */
export function qualifiedKind(kind: string, group: string): string {
  return group === "" ? kind : `${kind}.${group}`;
}

export function invalidStatus(kind: string, group: string, name: string, errors: readonly FieldError[]): Status {
  const aggregate = fieldErrorsMessage(errors);
  const message =
    aggregate === ""
      ? `${qualifiedKind(kind, group)} ${goQuote(name)} is invalid`
      : `${qualifiedKind(kind, group)} ${goQuote(name)} is invalid: ${aggregate}`;
  const details: NonNullable<Status["details"]> = {};
  // Go's omitempty: empty strings are left out of the JSON.
  if (name !== "") details.name = name;
  if (group !== "") details.group = group;
  if (kind !== "") details.kind = kind;
  details.causes = errors.map((e) => {
    const cause: { reason?: string; message?: string; field?: string } = { reason: e.type };
    const body = errorBody(e);
    if (body !== "") cause.message = body;
    if (e.field !== "") cause.field = e.field;
    return cause;
  });
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Invalid", details, code: 422 };
}
