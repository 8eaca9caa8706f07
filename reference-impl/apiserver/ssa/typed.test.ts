import { describe, expect, test } from "vitest";
import type { JsonValue } from "../../../spec/patch/json.ts";
import { schemaFor } from "../../../spec/patch/schema.ts";
import { FieldSet } from "./field-set.ts";
import { fieldElement } from "./path.ts";
import { rootAtom, type Atom, type ListAtom } from "./schema.ts";
import { compareTyped, fieldsOf, formatValidationErrors, mergeTyped, removeItems, validateTyped } from "./typed.ts";

function atom(apiVersion: string, kind: string): Atom {
  const schema = schemaFor(apiVersion, kind);
  if (schema === undefined) throw new Error(`no schema for ${apiVersion}/${kind}`);
  return rootAtom(schema);
}

/** The atom at a path of struct fields and list items ("[]"). */
function atomAt(root: Atom, path: string): Atom {
  let a: Atom | undefined = root;
  for (const step of path.split(".")) {
    if (a === undefined) break;
    if (step === "[]") a = a.kind === "list" ? a.items : undefined;
    else a = a.kind === "struct" ? a.field(step) : a.kind === "map" ? a.values : undefined;
  }
  if (a === undefined) throw new Error(`no atom at ${path}`);
  return a;
}

const pod = atom("v1", "Pod");
const deployment = atom("apps/v1", "Deployment");
const paths = (s: FieldSet): string[] => s.paths().map((p) => p.map((pe) => JSON.stringify(pe)).join(""));
const printed = (s: FieldSet): string => s.toString();

describe("list and map types as schemaconv derives them", () => {
  test.each<[string, Atom, string, { associative: boolean; keys: string[] } | "atomic-struct" | "atomic-map"]>([
    ["Pod", pod, "spec.containers", { associative: true, keys: ["name"] }], // patch merge key, no list-type
    ["Pod", pod, "spec.containers.[].ports", { associative: true, keys: ["containerPort", "protocol"] }],
    ["Pod", pod, "spec.containers.[].env", { associative: true, keys: ["name"] }],
    ["Pod", pod, "spec.volumes", { associative: true, keys: ["name"] }], // merge,retainKeys
    ["Pod", pod, "spec.tolerations", { associative: false, keys: [] }], // no extensions: atomic
    ["Pod", pod, "spec.containers.[].args", { associative: false, keys: [] }],
    ["Pod", pod, "metadata.finalizers", { associative: true, keys: [] }], // merge without key: a set
    ["Pod", pod, "metadata.ownerReferences", { associative: true, keys: ["uid"] }],
    ["Job", atom("batch/v1", "Job"), "status.conditions", { associative: false, keys: [] }], // list-type atomic wins
    ["Service", atom("v1", "Service"), "spec.ports", { associative: true, keys: ["port", "protocol"] }],
    ["Deployment", deployment, "spec.selector", "atomic-struct"],
    ["Pod", pod, "spec.nodeSelector", "atomic-map"],
  ])("%s %s", (_kind, root, path, expected) => {
    const a = atomAt(root, path);
    if (expected === "atomic-struct") expect(a.kind === "struct" && a.atomic).toBe(true);
    else if (expected === "atomic-map") expect(a.kind === "map" && a.atomic).toBe(true);
    else expect({ associative: (a as ListAtom).associative, keys: (a as ListAtom).keys }).toEqual(expected);
  });
});

describe("fieldsOf (ToFieldSet)", () => {
  test("leaves, map-list items keyed (protocol defaulted), map keys, atomic values as one field", () => {
    const obj = {
      metadata: { name: "p", labels: { app: "web" }, finalizers: ["a/b"] },
      spec: {
        nodeSelector: { disk: "ssd" },
        tolerations: [{ key: "k", operator: "Exists" }],
        containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }], resources: {} }],
      },
    };
    expect(printed(fieldsOf(obj, pod)).split("\n")).toEqual([
      ".metadata.name",
      ".metadata.finalizers[=\"a/b\"]",
      ".metadata.labels.app",
      ".spec.nodeSelector",
      ".spec.tolerations",
      '.spec.containers[name="web"]',
      '.spec.containers[name="web"].image',
      '.spec.containers[name="web"].name',
      '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
      '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
  });

  test("kinds without a schema are free-form: maps merge by key, lists are one field", () => {
    const free = rootAtom(undefined);
    expect(printed(fieldsOf({ spec: { a: 1, list: [1, 2] } }, free))).toBe(".spec\n.spec.a\n.spec.list");
  });
});

describe("validateTyped (typed patch object errors)", () => {
  test.each<[string, JsonValue, string]>([
    ["an undeclared field", { spec: { replicas: 1, foo: 1 } }, ".spec.foo: field not declared in schema"],
    [
      "a map-list item without its key",
      { spec: { template: { spec: { containers: [{ image: "x" }] } } } },
      '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    ],
    [
      "duplicate keys",
      { spec: { template: { spec: { containers: [{ name: "a", ports: [{ containerPort: 80 }, { containerPort: 80, protocol: "TCP" }] }] } } } },
      '.spec.template.spec.containers[name="a"].ports: duplicate entries for key [containerPort=80,protocol="TCP"]',
    ],
    ["a number of the wrong type", { spec: { replicas: "3" } }, ".spec.replicas: expected numeric (int or float), got string"],
    ["a list where a map belongs", { spec: { template: [] } }, ".spec.template: expected map, got []interface {}"],
    ["a null set item", { metadata: { finalizers: [null] } }, ".metadata.finalizers: element 0: associative list without keys has an element that's an explicit null"],
  ])("reports %s", (_name, obj, message) => {
    expect(formatValidationErrors(validateTyped(obj, deployment))).toBe(message);
  });

  test("several errors are listed under errors:", () => {
    const errs = validateTyped({ spec: { replicas: "x", paused: 1 } }, deployment);
    expect(formatValidationErrors(errs)).toBe(
      "errors:\n  .spec.replicas: expected numeric (int or float), got string\n  .spec.paused: expected boolean, got int64",
    );
  });

  test("quantities may be numbers or strings; null is always allowed", () => {
    const obj = { spec: { containers: [{ name: "a", resources: { limits: { cpu: 1, memory: "1Gi" } }, image: null }] } };
    expect(validateTyped(obj, pod)).toEqual([]);
  });
});

describe("compareTyped", () => {
  test("added, modified and removed leaves; added and removed non-leaves", () => {
    const before = { metadata: { labels: { a: "1", b: "2" } }, spec: { replicas: 1 } };
    const after = { metadata: { labels: { a: "1", c: "3" } }, spec: { replicas: 2, paused: true, strategy: { type: "Recreate" } } };
    const c = compareTyped(before, after, deployment);
    expect(printed(c.added)).toBe(".metadata.labels.c\n.spec.paused\n.spec.strategy\n.spec.strategy.type");
    expect(printed(c.modified)).toBe(".spec.replicas");
    expect(printed(c.removed)).toBe(".metadata.labels.b");
  });

  test("empty maps compare as leaves, so {} appearing is an added field", () => {
    const c = compareTyped({ spec: { containers: null } }, { spec: { containers: [{ name: "a", resources: {} }] } }, pod);
    expect(printed(c.added)).toBe('.spec.containers[name="a"]\n.spec.containers[name="a"].name\n.spec.containers[name="a"].resources');
  });

  test("paths carry the element kinds", () => {
    const c = compareTyped({}, { metadata: { finalizers: ["x"] } }, pod);
    expect(paths(c.added)).toContain('{"kind":"field","name":"metadata"}{"kind":"field","name":"finalizers"}{"kind":"value","value":"x"}');
  });
});

describe("mergeTyped", () => {
  test("map lists merge by key: applied items in applied order, live-only items kept in place", () => {
    const live = { spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }, { name: "c", image: "c:1" }] } };
    const applied = { spec: { containers: [{ name: "c", image: "c:2" }, { name: "a", image: "a:2" }, { name: "d", image: "d:1" }] } };
    const merged = mergeTyped(live, applied, pod) as { spec: { containers: { name: string; image: string }[] } };
    expect(merged.spec.containers).toEqual([
      { name: "b", image: "b:1" },
      { name: "c", image: "c:2" },
      { name: "a", image: "a:2" },
      { name: "d", image: "d:1" },
    ]);
  });

  test("atomic lists and maps are replaced, granular maps merged, sets unioned", () => {
    const live = {
      metadata: { labels: { a: "1" }, finalizers: ["x", "y"] },
      spec: { tolerations: [{ key: "t1" }], nodeSelector: { zone: "a", disk: "ssd" } },
    };
    const applied = {
      metadata: { labels: { b: "2" }, finalizers: ["z", "x"] },
      spec: { tolerations: [{ key: "t2" }], nodeSelector: { zone: "b" } },
    };
    expect(mergeTyped(live, applied, pod)).toEqual({
      metadata: { labels: { a: "1", b: "2" }, finalizers: ["z", "x", "y"] },
      spec: { tolerations: [{ key: "t2" }], nodeSelector: { zone: "b" } },
    });
  });

  test("an explicit null in the applied configuration unsets a leaf", () => {
    expect(mergeTyped({ spec: { replicas: 3, paused: true } }, { spec: { replicas: null } }, deployment)).toEqual({ spec: { paused: true } });
  });
});

describe("removeItems", () => {
  test("removes members with everything below them; emptied maps disappear", () => {
    const obj = { metadata: { labels: { a: "1" } }, spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] } };
    const set = FieldSet.fromPaths([
      [fieldElement("metadata"), fieldElement("labels"), fieldElement("a")],
      [fieldElement("spec"), fieldElement("containers"), { kind: "key", fields: [{ name: "name", value: "a" }] }],
    ]);
    expect(removeItems(obj, set, pod)).toEqual({ spec: { containers: [{ name: "b", image: "y" }] } });
  });
});

describe("fieldsOf with a SchemaNode", () => {
  test("takes spec/patch's schema directly", () => {
    const schema = schemaFor("v1", "ConfigMap");
    expect(fieldsOf({ data: { a: "1" }, metadata: { labels: { x: "y" } } }, schema).toString()).toBe(".data.a\n.metadata.labels.x");
  });
});
