// JSON patch, RFC 6902 (application/json-patch+json), over fast-json-patch: operations apply in order
// to a copy of the document and the first failure — a failed `test` included — aborts the whole patch,
// so a patch applies atomically or not at all.
//
// kube-apiserver (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go) answers 400 when the
// patch cannot be decoded, 413 above 10,000 operations, and 422 when an operation does not apply.
import jsonPatchLibrary from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { PatchError, type JsonPatchOperationDetail } from "./errors.ts";
import {
  cloneJson,
  isJsonObject,
  jsonKind,
  maxNestingDepth,
  nestingDepth,
  type JsonObject,
  type JsonValue,
} from "./json.ts";

const { applyPatch, JsonPatchError } = jsonPatchLibrary;

/** kube-apiserver's maxJSONPatchOperations. */
export const maxJsonPatchOperations = 10_000;

const operations = new Set(["add", "remove", "replace", "move", "copy", "test"]);

// fast-json-patch's error names, as a reader of an API error would want them explained.
const reasons: Readonly<Record<string, string>> = {
  OPERATION_PATH_INVALID: 'the path must be "" or start with "/"',
  OPERATION_FROM_REQUIRED: 'the operation needs a "from" path',
  OPERATION_VALUE_REQUIRED: 'the operation needs a "value"',
  OPERATION_PATH_CANNOT_ADD: "the parent of the path does not exist",
  OPERATION_PATH_UNRESOLVABLE: "the path does not exist",
  OPERATION_FROM_UNRESOLVABLE: 'the "from" path does not exist',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: "the array index is not a number",
  OPERATION_VALUE_OUT_OF_BOUNDS: "the array index is out of bounds",
  TEST_OPERATION_FAILED: "test failed: the value differs",
};

/** Applies an RFC 6902 patch (the decoded request body) to an object; the original is not modified. */
export function applyJsonPatch(original: JsonObject, patch: unknown): JsonObject {
  const ops = decodePatch(patch);
  let result: unknown;
  try {
    // The library copies the document but inserts the patch's values as they are: copy those too,
    // so the result shares nothing with either input.
    result = applyPatch(original, cloneJson(ops as unknown as JsonValue) as unknown as Operation[], true, false, true)
      .newDocument;
  } catch (error) {
    throw toPatchError(error, ops);
  }
  if (!isJsonObject(result)) throw new PatchError("json", 422, "the patched document is not a JSON object");
  return result;
}

function decodePatch(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw new PatchError("json", 400, `json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  if (patch.length > maxJsonPatchOperations) {
    throw new PatchError(
      "json",
      413,
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
    );
  }
  patch.forEach((op: unknown, index) => {
    if (!isJsonObject(op)) {
      throw new PatchError("json", 400, `json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
    // fast-json-patch also knows a private "_get"; only RFC 6902's six operations may pass.
    if (typeof op.op !== "string" || !operations.has(op.op)) {
      const detail = describe(op, index);
      throw new PatchError("json", 422, `${prefix(detail)}: unknown operation "${String(op.op)}"`, detail);
    }
  });
  if (nestingDepth(patch) > maxNestingDepth) {
    throw new PatchError("json", 400, `json patch nesting depth exceeds ${maxNestingDepth}`);
  }
  return patch as Operation[];
}

function toPatchError(error: unknown, ops: Operation[]): PatchError {
  if (error instanceof JsonPatchError && error.index !== undefined) {
    const detail = describe(ops[error.index] as unknown as JsonObject, error.index);
    return new PatchError("json", 422, `${prefix(detail)}: ${reasons[error.name] ?? error.name}`, detail);
  }
  // fast-json-patch refuses paths through __proto__/constructor/prototype with a TypeError.
  const message = error instanceof Error ? error.message : String(error);
  return new PatchError("json", 422, `json patch: ${message}`);
}

function describe(op: JsonObject, index: number): JsonPatchOperationDetail {
  return { index, op: String(op.op), path: typeof op.path === "string" ? op.path : String(op.path) };
}

function prefix(detail: JsonPatchOperationDetail): string {
  return `json patch operation ${detail.index} (${detail.op} ${JSON.stringify(detail.path)})`;
}
