// patch: JSON patch, merge patch and strategic merge patch (spec/patch) applied to the current
// object inside the update pipeline, so a concurrent write makes it re-read and re-apply (upstream's
// GuaranteedUpdate loop); a patch that sets metadata.resourceVersion is a precondition instead.
// application/apply-patch+yaml goes to the server-side apply hook (415 until it is installed).
import { ApiError, type KubeObject } from "../../../spec/interfaces/api-client.ts";
import { PatchError, applyJsonPatch, applyMergePatch, schemaFor, strategicMergePatch } from "../../../spec/patch/index.ts";
import type { JsonObject } from "../../../spec/patch/json.ts";
import { FieldPath, forbidden, required } from "../../../spec/semantics/field-errors.ts";
import { badRequest, fail, invalid, requestEntityTooLarge, unprocessablePatch, unsupportedMediaType } from "../errors.ts";
import { decodeBody, decodeJson } from "../meta.ts";
import { parseBool, parseDryRun, parseFieldValidation } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { apiVersionOf } from "../resources.ts";
import type { UpdateMode } from "../strategy.ts";
import { type Scope, type ServerContext, checkResourceTypeMeta, respond } from "./context.ts";
import { checkName, decodeAndDefault, fieldManagerOf } from "./rest.ts";
import { updateResource } from "./update.ts";

export type PatchKind = "json" | "merge" | "strategic" | "apply";

const contentTypes: Readonly<Record<string, PatchKind>> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

/** The patch type named by a Content-Type (parameters such as charset ignored), or a 415. */
export function patchKindOf(contentType: string | undefined): PatchKind {
  const bare = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const kind = Object.hasOwn(contentTypes, bare) ? contentTypes[bare] : undefined;
  if (kind === undefined) {
    fail(unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${Object.keys(contentTypes).join(", ")}`));
  }
  return kind;
}

/** Applies a json/merge/strategic patch to `current`, turning PatchErrors into upstream's Statuses. */
export function applyPatch(kind: Exclude<PatchKind, "apply">, current: KubeObject, patch: unknown): KubeObject {
  const original = current as unknown as JsonObject;
  try {
    if (kind === "json") return applyJsonPatch(original, patch) as KubeObject;
    if (kind === "merge") return applyMergePatch(original, patch) as KubeObject;
    const schema = schemaFor(String(current.apiVersion ?? ""), String(current.kind ?? ""));
    if (schema === undefined) fail(unsupportedMediaType(`strategic merge patch is not supported for ${String(current.kind)}`));
    return strategicMergePatch(original, patch, schema) as KubeObject;
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    if (err.status === 400) fail(badRequest(err.message));
    if (err.status === 413) fail(requestEntityTooLarge(err.message));
    fail(unprocessablePatch(err.message));
  }
}

export async function patch(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const query = scope.req.query;
  const kind = patchKindOf(scope.req.contentType);
  const dryRun = parseDryRun(query, "PatchOptions");
  const fieldValidation = parseFieldValidation(query, "PatchOptions");
  const force = parseBool("force", query.force) ?? false;
  const manager = fieldManagerOf(scope, "PatchOptions");
  const mode: UpdateMode = scope.subresource === "status" ? "status" : "main";
  if (kind === "apply" && ctx.hooks.applyPatch === undefined) {
    fail(unsupportedMediaType("apply patches (application/apply-patch+yaml) are not implemented yet"));
  }
  if (kind !== "apply" && query.force !== undefined) {
    fail(invalid("meta.k8s.io", "PatchOptions", "", [forbidden(FieldPath.of("force"), "may not be specified for non-apply patch")]));
  }
  const body = decodeJson(scope.req.body, "the patch");
  let warnings: string[] = [];
  const result = await updateResource(ctx, scope, {
    mode,
    dryRun,
    manager: kind === "apply" ? undefined : manager,
    allowCreate: kind === "apply",
    updatedObject: (existing) => {
      const patched = kind === "apply" ? serverSideApply(ctx, scope, existing, force, body) : applyPatch(kind, existing!, body);
      const raw = decodeBody(patched, "the patched object");
      checkResourceTypeMeta(raw, scope.info);
      const decoded = decodeAndDefault(ctx, scope, raw, fieldValidation);
      warnings = decoded.warnings;
      checkName(scope, decoded.object);
      return decoded.object;
    },
  });
  return respond(result.created ? 201 : 200, result.object, warnings);
}

function serverSideApply(ctx: ServerContext, scope: Scope, live: KubeObject | undefined, force: boolean, patch: unknown): KubeObject {
  const fieldManager = scope.req.query.fieldManager ?? "";
  if (fieldManager === "") {
    fail(invalid("meta.k8s.io", "PatchOptions", "", [required(FieldPath.of("fieldManager"), "is required for apply patch")]));
  }
  const apply = ctx.hooks.applyPatch!;
  const result = apply({ info: scope.info, subresource: scope.subresource, live, patch, fieldManager, force, nowMs: ctx.clock.now() });
  if (!(result instanceof Object)) throw new ApiError(badRequest("server-side apply returned no object"));
  if (result.apiVersion === undefined) result.apiVersion = apiVersionOf(scope.info);
  return result;
}
