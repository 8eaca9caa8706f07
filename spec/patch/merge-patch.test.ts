import { describe, expect, test } from "vitest";
import { PatchError } from "./errors.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { applyMergePatch, mergePatch } from "./merge-patch.ts";

describe("RFC 7386 appendix A", () => {
  test.each<[JsonValue, JsonValue, JsonValue]>([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("%j + %j = %j", (target, patch, result) => {
    const before = JSON.stringify([target, patch]);
    expect(mergePatch(target, patch)).toStrictEqual(result);
    expect(JSON.stringify([target, patch]), "inputs must not be modified").toBe(before);
  });
});

describe("mergePatch on API objects", () => {
  const deployment: JsonObject = {
    metadata: { name: "web", labels: { app: "web", tier: "front" } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: "app", image: "app:1" }] } } },
  };

  test("objects merge, lists replace, null deletes", () => {
    const patch = {
      metadata: { labels: { tier: null, env: "prod" } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: "app", image: "app:2" }] } } },
    };
    expect(applyMergePatch(deployment, patch)).toStrictEqual({
      metadata: { name: "web", labels: { app: "web", env: "prod" } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: "app", image: "app:2" }] } } },
    });
  });

  test("values copied in are pruned of nulls at any depth, as kube-apiserver's library does", () => {
    const patch = { spec: { template: { spec: { tolerations: [{ key: "a", value: null }, null] } } } };
    const result = applyMergePatch(deployment, patch);
    expect(((result.spec as JsonObject).template as JsonObject).spec).toStrictEqual({
      containers: [{ name: "app", image: "app:1" }],
      tolerations: [{ key: "a" }],
    });
    // A non-object replacing an object is taken as it is.
    expect(applyMergePatch({ a: { x: 1 } }, { a: [null, { b: null }] })).toStrictEqual({ a: [null, { b: null }] });
  });

  test("the result shares nothing with the patch", () => {
    const patch = { metadata: { annotations: { a: "1" } } };
    const result = applyMergePatch(deployment, patch);
    ((result.metadata as JsonObject).annotations as JsonObject).a = "changed";
    expect(patch.metadata.annotations.a).toBe("1");
  });

  test("a __proto__ key is data, not a prototype", () => {
    const result = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":{"x":1}}}'));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each<[unknown, string]>([
    [["a"], "json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ["x", "json: cannot unmarshal string into Go value of type map[string]interface {}"],
    [null, "json: cannot unmarshal null into Go value of type map[string]interface {}"],
  ])("applyMergePatch refuses a non-object body %j with 400", (patch, message) => {
    const error = (() => {
      try {
        applyMergePatch(deployment, patch);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PatchError);
    expect((error as PatchError).status).toBe(400);
    expect((error as PatchError).message).toBe(message);
  });
});
