// Patches as kube-apiserver applies them (PATCH with application/json-patch+json,
// application/merge-patch+json, application/strategic-merge-patch+json), and the patch metadata of
// every served kind. Pure functions: no I/O, no clock, inputs never modified.
export { PatchError, type JsonPatchOperationDetail, type PatchErrorStatus, type PatchType } from "./errors.ts";
export { applyJsonPatch, maxJsonPatchOperations } from "./json-patch.ts";
export type { JsonObject, JsonScalar, JsonValue } from "./json.ts";
export { maxNestingDepth } from "./json.ts";
export { applyMergePatch, mergePatch } from "./merge-patch.ts";
export {
  SchemaNode,
  patchMetadata,
  schemaFor,
  servedKinds,
  typeSchema,
  type ListMetadata,
  type ListType,
  type MapMetadata,
  type MapType,
  type PatchMetadataTables,
  type PatchStrategy,
  type RefMetadata,
  type ScalarType,
  type SchemaKind,
  type TypeMetadata,
  type ValueMetadata,
} from "./schema.ts";
export { strategicMergePatch } from "./strategic-merge-patch.ts";
