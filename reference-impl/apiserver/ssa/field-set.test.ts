import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { FieldSet, FieldsV1Error } from "./field-set.ts";
import {
  deserializePathElement,
  fieldElement,
  indexElement,
  keyElement,
  pathToString,
  serializePathElement,
  valueElement,
  type Path,
} from "./path.ts";

const f = fieldElement;
const set = (...paths: Path[]): FieldSet => FieldSet.fromPaths(paths);
const roundTrip = (json: string): string => JSON.stringify(FieldSet.fromFieldsV1(JSON.parse(json)).toFieldsV1());

describe("fieldsV1 encoding", () => {
  // structured-merge-diff fieldpath/serialize_test.go, TestSerializeV1GoldenData: parsing then
  // writing must reproduce these byte for byte (element order: fields, keys, values, indexes).
  test.each([
    `{"f:aaa":{},"f:aab":{},"f:aac":{},"f:aad":{},"f:aae":{},"f:aaf":{},"k:{\\"name\\":\\"first\\"}":{},"k:{\\"name\\":\\"second\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{},"v:1":{},"v:2":{},"v:3":{},"v:\\"aa\\"":{},"v:\\"ab\\"":{},"v:true":{},"i:1":{},"i:2":{},"i:3":{},"i:4":{}}`,
    `{"f:aaa":{"k:{\\"name\\":\\"second\\"}":{"v:3":{"f:aab":{}}},"v:3":{},"v:true":{}},"f:aab":{"f:aaa":{},"f:aaf":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}}},"k:{\\"name\\":\\"first\\"}":{}},"f:aac":{"f:aaa":{"v:1":{}},"f:aac":{},"v:3":{"k:{\\"name\\":\\"second\\"}":{}}},"f:aad":{"f:aac":{"v:1":{}},"f:aaf":{"k:{\\"name\\":\\"first\\"}":{"k:{\\"name\\":\\"first\\"}":{}}},"i:1":{"i:1":{},"i:3":{"v:true":{}}}},"f:aae":{"f:aae":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{}},"i:4":{"f:aaf":{}}},"f:aaf":{"i:1":{"f:aac":{}},"i:2":{},"i:3":{}},"k:{\\"name\\":\\"first\\"}":{"f:aad":{"f:aaf":{}}},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{"f:aaa":{"f:aad":{}}},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"f:aac":{},"k:{\\"name\\":\\"first\\"}":{"i:3":{}},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"i:4":{}}},"v:1":{"f:aac":{"i:4":{}},"f:aaf":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}},"v:2":{"f:aad":{"f:aaf":{}},"i:1":{}},"v:3":{"f:aaa":{},"k:{\\"name\\":\\"first\\"}":{},"i:2":{}},"v:\\"aa\\"":{"f:aab":{"f:aaf":{}},"f:aae":{},"k:{\\"name\\":\\"first\\"}":{"f:aad":{}},"i:2":{}},"v:\\"ab\\"":{"f:aaf":{"i:4":{}},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{},"v:1":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{}},"i:1":{"f:aae":{"i:4":{}}}},"v:true":{"k:{\\"name\\":\\"second\\"}":{"f:aaa":{}},"i:2":{"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}}},"i:1":{"i:3":{"f:aaf":{}}},"i:2":{"f:aae":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{"v:1":{}}},"i:3":{"f:aab":{"v:true":{"v:\\"aa\\"":{}}},"f:aaf":{},"i:1":{}},"i:4":{"v:\\"aa\\"":{"f:aab":{"k:{\\"name\\":\\"second\\"}":{}}}}}`,
  ])("round-trips upstream golden data %#", (golden) => {
    expect(roundTrip(golden)).toBe(golden);
  });

  // The two ConfigMap examples of https://kubernetes.io/docs/reference/using-api/server-side-apply/
  test.each([
    [
      "kubectl's Apply entry",
      "f:metadata:\n  f:labels:\n    f:test-label: {}\nf:data:\n  f:key: {}\n",
      `{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}}`,
    ],
    ["the controller's Update entry", "f:data:\n  f:key: {}\n", `{"f:data":{"f:key":{}}}`],
  ])("reads the documented %s", (_name, yamlText, canonical) => {
    const fields = FieldSet.fromFieldsV1(parse(yamlText));
    expect(JSON.stringify(fields.toFieldsV1())).toBe(canonical);
    expect(fields.toFieldsV1()).toEqual(parse(yamlText));
  });

  test('a node that is itself a member and has members below it gets a "." key, written first', () => {
    const s = set(
      [f("metadata"), f("labels")],
      [f("metadata"), f("labels"), f("app")],
      [f("spec"), f("containers"), keyElement([{ name: "name", value: "nginx" }])],
      [f("spec"), f("containers"), keyElement([{ name: "name", value: "nginx" }]), f("image")],
    );
    expect(JSON.stringify(s.toFieldsV1())).toBe(
      `{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{}}}}}`,
    );
    expect(FieldSet.fromFieldsV1(s.toFieldsV1()).equals(s)).toBe(true);
  });

  test("keys of unknown element types are dropped, as upstream does (TestDropUnknown)", () => {
    expect(roundTrip(`{"f:aaa":{},"r:aab":{}}`)).toBe(`{"f:aaa":{}}`);
  });

  test.each([
    ["a non-object value", { "f:a": 3 }],
    ["a key without a colon", { fa: {} }],
    ["a one-character key", { f: {} }],
    ["a bad index", { "i:x": {} }],
    ["a key element that is not an object", { "k:[1]": {} }],
    ["invalid JSON in a value element", { "v:{": {} }],
  ])("rejects %s", (_name, fields) => {
    expect(() => FieldSet.fromFieldsV1(fields)).toThrow(FieldsV1Error);
  });

  test("an empty set is {} and null reads as empty", () => {
    expect(FieldSet.empty.toFieldsV1()).toEqual({});
    expect(FieldSet.fromFieldsV1(null).isEmpty()).toBe(true);
  });
});

describe("path elements", () => {
  test.each([
    [f("spec"), "f:spec", ".spec"],
    [keyElement([{ name: "protocol", value: "TCP" }, { name: "port", value: 80 }]), `k:{"port":80,"protocol":"TCP"}`, `[port=80,protocol="TCP"]`],
    [valueElement("finalizer.example.com/x"), `v:"finalizer.example.com/x"`, `[="finalizer.example.com/x"]`],
    [valueElement(true), "v:true", "[=true]"],
    [indexElement(3), "i:3", "[3]"],
    // Go's JSON encoder escapes HTML characters inside keys and values.
    [keyElement([{ name: "name", value: "a<b>&c" }]), `k:{"name":"a\\u003cb\\u003e\\u0026c"}`, `[name="a<b>&c"]`],
  ])("%j serializes as %s and prints as %s", (pe, serialized, printed) => {
    expect(serializePathElement(pe)).toBe(serialized);
    expect(pathToString([pe])).toBe(printed);
    expect(deserializePathElement(serialized)).toEqual(pe);
  });

  test("a path prints as upstream's conflict messages show it", () => {
    const path: Path = [f("spec"), f("template"), f("spec"), f("containers"), keyElement([{ name: "name", value: "nginx" }]), f("image")];
    expect(pathToString(path)).toBe('.spec.template.spec.containers[name="nginx"].image');
  });
});

describe("set operations", () => {
  const a = set([f("a")], [f("b"), f("c")], [f("b"), f("d")]);
  const b = set([f("a")], [f("b"), f("c")], [f("e")]);

  test("union, intersection and difference of leaves", () => {
    expect(a.union(b).toString()).toBe(".a\n.e\n.b.c\n.b.d");
    expect(a.intersection(b).toString()).toBe(".a\n.b.c");
    expect(a.difference(b).toString()).toBe(".b.d");
  });

  test("difference is not recursive; recursiveDifference removes whole subtrees", () => {
    const parent = set([f("b")]);
    const nested = set([f("b")], [f("b"), f("c")]);
    expect(nested.difference(parent).toString()).toBe(".b.c");
    expect(nested.recursiveDifference(parent).isEmpty()).toBe(true);
    expect(parent.difference(set([f("b"), f("c")])).toString()).toBe(".b");
  });

  test("leaves drops members that have members below them", () => {
    expect(set([f("b")], [f("b"), f("c")], [f("x")]).leaves().toString()).toBe(".x\n.b.c");
  });

  test("has, withPrefix, size and emptiness", () => {
    expect(a.has([f("b"), f("c")])).toBe(true);
    expect(a.has([f("b")])).toBe(false);
    expect(a.withPrefix(f("b")).toString()).toBe(".c\n.d");
    expect(a.size).toBe(3);
    expect(a.difference(a).isEmpty()).toBe(true);
  });
});
