import { describe, expect, test } from "vitest";
import { PatchError } from "./errors.ts";
import type { JsonObject } from "./json.ts";
import { applyJsonPatch, maxJsonPatchOperations } from "./json-patch.ts";

const deployment: JsonObject = {
  metadata: { name: "web", labels: { app: "web" }, finalizers: ["a", "b"] },
  spec: { replicas: 1, template: { spec: { containers: [{ name: "app", image: "app:1" }] } } },
};

function patchError(original: JsonObject, patch: unknown): PatchError {
  try {
    applyJsonPatch(original, patch);
  } catch (error) {
    if (error instanceof PatchError) return error;
    throw error;
  }
  throw new Error("expected a PatchError");
}

describe("RFC 6902 operations", () => {
  test("add, remove, replace, move, copy and test apply in order", () => {
    const before = JSON.stringify(deployment);
    const result = applyJsonPatch(deployment, [
      { op: "test", path: "/spec/replicas", value: 1 },
      { op: "replace", path: "/spec/replicas", value: 3 },
      { op: "add", path: "/metadata/labels/tier", value: "front" },
      { op: "add", path: "/metadata/finalizers/-", value: "c" },
      { op: "remove", path: "/metadata/finalizers/0" },
      { op: "copy", from: "/metadata/labels/app", path: "/metadata/annotations" },
      { op: "move", from: "/metadata/annotations", path: "/metadata/labels/copied" },
      { op: "add", path: "/spec/template/spec/containers/0/env", value: [{ name: "A", value: "1" }] },
    ]);
    expect(result).toStrictEqual({
      metadata: { name: "web", labels: { app: "web", tier: "front", copied: "web" }, finalizers: ["b", "c"] },
      spec: {
        replicas: 3,
        template: { spec: { containers: [{ name: "app", image: "app:1", env: [{ name: "A", value: "1" }] }] } },
      },
    });
    expect(JSON.stringify(deployment), "the original must not be modified").toBe(before);
  });

  test("keys are JSON pointers: ~1 is a slash, ~0 a tilde", () => {
    const result = applyJsonPatch(deployment, [
      { op: "add", path: "/metadata/labels/app.kubernetes.io~1name", value: "web" },
      { op: "add", path: "/metadata/labels/a~0b", value: "x" },
    ]);
    expect((result.metadata as JsonObject).labels).toStrictEqual({ app: "web", "app.kubernetes.io/name": "web", "a~b": "x" });
  });

  test("the result shares nothing with the patch", () => {
    const patch = [{ op: "add", path: "/metadata/annotations", value: { a: "1" } }];
    const result = applyJsonPatch(deployment, patch);
    ((result.metadata as JsonObject).annotations as JsonObject).a = "changed";
    expect(patch[0]?.value.a).toBe("1");
  });

  test("an empty patch changes nothing", () => {
    expect(applyJsonPatch(deployment, [])).toStrictEqual(deployment);
  });
});

describe("atomicity and errors", () => {
  test("a failed test aborts the whole patch: nothing applies, and the error names the operation", () => {
    const before = JSON.stringify(deployment);
    const error = patchError(deployment, [
      { op: "replace", path: "/spec/replicas", value: 5 },
      { op: "test", path: "/metadata/name", value: "other" },
    ]);
    expect(error.status).toBe(422);
    expect(error.operation).toStrictEqual({ index: 1, op: "test", path: "/metadata/name" });
    expect(error.message).toBe('json patch operation 1 (test "/metadata/name"): test failed: the value differs');
    expect(JSON.stringify(deployment)).toBe(before);
  });

  test.each<[string, unknown[], string]>([
    ["replace of a missing path", [{ op: "replace", path: "/spec/paused", value: true }], "the path does not exist"],
    ["remove of a missing path", [{ op: "remove", path: "/metadata/labels/nope" }], "the path does not exist"],
    ["add under a missing parent", [{ op: "add", path: "/status/phase/x", value: 1 }], "the parent of the path does not exist"],
    ["move from a missing path", [{ op: "move", from: "/nope", path: "/x" }], 'the "from" path does not exist'],
    ["array index out of bounds", [{ op: "add", path: "/metadata/finalizers/5", value: "x" }], "the array index is out of bounds"],
    ["array index not a number", [{ op: "add", path: "/metadata/finalizers/x", value: "x" }], "the array index is not a number"],
    ["missing value", [{ op: "add", path: "/x" }], 'the operation needs a "value"'],
    ["missing from", [{ op: "copy", path: "/x" }], 'the operation needs a "from" path'],
    ["path not a pointer", [{ op: "add", path: "x", value: 1 }], 'the path must be "" or start with "/"'],
    ["unknown operation", [{ op: "_get", path: "/spec" }], 'unknown operation "_get"'],
  ])("%s: 422 with the operation's index and path", (_name, patch, reason) => {
    const error = patchError(deployment, patch);
    expect(error.status).toBe(422);
    expect(error.patchType).toBe("json");
    expect(error.operation?.index).toBe(0);
    expect(error.message).toContain("json patch operation 0");
    expect(error.message).toContain(reason);
  });

  test.each<[unknown, string]>([
    [{ op: "add", path: "/x", value: 1 }, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"],
    ["add", "json: cannot unmarshal string into Go value of type jsonpatch.Patch"],
    [["add"], "json: cannot unmarshal string into Go value of type jsonpatch.Operation"],
  ])("a body that is not a list of operations (%j) is a 400", (patch, message) => {
    const error = patchError(deployment, patch);
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
  });

  test(`more than ${maxJsonPatchOperations} operations is a 413`, () => {
    const patch = Array.from({ length: maxJsonPatchOperations + 1 }, () => ({ op: "test", path: "/spec/replicas", value: 1 }));
    const error = patchError(deployment, patch);
    expect(error.status).toBe(413);
    expect(error.message).toBe(`The allowed maximum operations in a JSON patch is 10000, got ${maxJsonPatchOperations + 1}`);
  });

  test("replacing the whole document with a non-object is a 422", () => {
    expect(patchError(deployment, [{ op: "replace", path: "", value: [1] }]).status).toBe(422);
  });

  test("paths through __proto__ are refused", () => {
    const error = patchError(deployment, [{ op: "add", path: "/__proto__/polluted", value: true }]);
    expect(error.status).toBe(422);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
