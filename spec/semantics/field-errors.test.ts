import { describe, expect, it } from "vitest";
import {
  aggregateMessage,
  duplicate,
  errorBody,
  FieldPath,
  fieldErrorString,
  fieldErrorsMessage,
  forbidden,
  internalError,
  invalid,
  NIL_STRING_SLICE,
  notSupported,
  required,
  tooLong,
} from "./field-errors.ts";

describe("field.Path", () => {
  it("prints names, indexes and keys as upstream", () => {
    expect(FieldPath.of("metadata", "name").toString()).toBe("metadata.name");
    expect(FieldPath.of("spec").child("containers").index(0).child("name").toString()).toBe("spec.containers[0].name");
    expect(FieldPath.of("values").index(2).key("app").toString()).toBe("values[2][app]");
    expect(FieldPath.of("metadata").child("labels", "x").toString()).toBe("metadata.labels.x");
  });
});

describe("field.Error", () => {
  const p = FieldPath.of("spec", "replicas");
  it.each([
    [invalid(p, -1, "must be greater than or equal to 0"), "spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    [invalid(p, "x", ""), 'spec.replicas: Invalid value: "x"'],
    [invalid(p, null, "d"), "spec.replicas: Invalid value: null: d"],
    [invalid(p, true, "d"), "spec.replicas: Invalid value: true: d"],
    [invalid(p, ["a", "b"], "d"), 'spec.replicas: Invalid value: []string{"a", "b"}: d'],
    [invalid(p, NIL_STRING_SLICE, "d"), "spec.replicas: Invalid value: []string(nil): d"],
    [required(p, ""), "spec.replicas: Required value"],
    [required(p, "must be set"), "spec.replicas: Required value: must be set"],
    [forbidden(p, "not allowed"), "spec.replicas: Forbidden: not allowed"],
    [duplicate(p, "a"), 'spec.replicas: Duplicate value: "a"'],
    [notSupported(p, "X", ["A", "B"]), 'spec.replicas: Unsupported value: "X": supported values: "A", "B"'],
    [tooLong(p, "long", 10), "spec.replicas: Too long: may not be more than 10 bytes"],
    [tooLong(p, "long", 1), "spec.replicas: Too long: may not be more than 1 byte"],
    [internalError(p, "boom"), "spec.replicas: Internal error: boom"],
    [invalid(null, "k", "d"), '<nil>: Invalid value: "k": d'],
  ])("%#", (e, text) => {
    expect(fieldErrorString(e)).toBe(text);
    expect(text.endsWith(errorBody(e))).toBe(true);
  });

  it("aggregates like utilerrors", () => {
    expect(aggregateMessage([])).toBe("");
    expect(aggregateMessage(["a"])).toBe("a");
    expect(aggregateMessage(["a", "a"])).toBe("a");
    expect(aggregateMessage(["a", "b", "a"])).toBe("[a, b]");
    expect(fieldErrorsMessage([required(p, ""), forbidden(p, "x")])).toBe("[spec.replicas: Required value, spec.replicas: Forbidden: x]");
  });
});
