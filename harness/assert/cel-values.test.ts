import { describe, expect, test } from "vitest";
import { SchemaNode } from "../../spec/patch/index.ts";
import { fromCelValue, groupByKind, listVariableName, toCelValue } from "./cel-values.ts";
import { makeDeployment, makePod } from "./testing.ts";

describe("toCelValue", () => {
  test("integral numbers become ints, others stay doubles, null is dropped", () => {
    expect(toCelValue({ a: 3, b: 1.5, c: null, d: [1, 2.5] })).toEqual({ a: 3n, b: 1.5, d: [1n, 2.5] });
  });

  test("a field the schema declares a double stays a double even when integral", () => {
    const tables = { kinds: {}, types: { "example.v1.Part": { fields: { weight: "number", count: "integer" } } } };
    const schema = SchemaNode.of(tables, "example.v1.Part");
    expect(toCelValue({ weight: 1, count: 2 }, "absent", schema)).toEqual({ weight: 1, count: 2n });
    expect(toCelValue({}, "zero", schema)).toEqual({ weight: 0, count: 0n });
  });

  test("absent declared scalars of a known kind read as zero values; time fields, lists and objects stay absent", () => {
    const pod = toCelValue(makePod("p", "Pending", null)) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(pod.spec["nodeName"]).toBe("");
    expect(pod.spec["hostNetwork"]).toBe(false);
    expect(pod.spec["priority"]).toBe(0n);
    expect(pod.metadata).not.toHaveProperty("deletionTimestamp");
    expect(pod.metadata).not.toHaveProperty("annotations");
    expect(pod.spec).not.toHaveProperty("affinity");
    const status = (toCelValue(makeDeployment("d", 3)) as { status: Record<string, unknown> }).status;
    expect(status["readyReplicas"]).toBe(0n);
  });

  test("with absentScalars: absent nothing is added", () => {
    const pod = toCelValue(makePod("p", "Pending", null), "absent") as { spec: Record<string, unknown> };
    expect(pod.spec).not.toHaveProperty("nodeName");
  });

  test("objects of unknown kinds are converted without zero values", () => {
    expect(toCelValue({ apiVersion: "example.com/v1", kind: "Widget", spec: { size: 2 } })).toEqual({
      apiVersion: "example.com/v1",
      kind: "Widget",
      spec: { size: 2n },
    });
  });

  test("a __proto__ key stays an own property; the input is not modified", () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "n": 1}') as Record<string, unknown>;
    const out = toCelValue(input) as Record<string, unknown>;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(input["n"]).toBe(1);
  });
});

describe("fromCelValue", () => {
  test("ints become numbers when safe", () => {
    expect(fromCelValue([1n, { a: 2n }, 2n ** 60n])).toEqual([1, { a: 2 }, 2n ** 60n]);
  });
});

describe("list variables", () => {
  test("are named like the resources", () => {
    expect(["Pod", "Endpoints", "Ingress", "PriorityClass", "NetworkPolicy", "EndpointSlice"].map(listVariableName)).toEqual([
      "pods",
      "endpoints",
      "ingresses",
      "priorityclasses",
      "networkpolicies",
      "endpointslices",
    ]);
  });

  test("objects group by kind, in order, skipping objects without a kind", () => {
    const groups = groupByKind([makePod("a", "Running"), { metadata: {} }, makeDeployment("d", 1), makePod("b", "Running")]);
    expect(Object.keys(groups)).toEqual(["pods", "deployments"]);
    expect(groups["pods"]?.map((p) => (p as { metadata: { name: string } }).metadata.name)).toEqual(["a", "b"]);
  });
});
