import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { SsaError } from "./errors.ts";
import { applyPatch, updateManagedFields } from "./field-manager.ts";
import { FieldSet } from "./field-set.ts";
import { fieldElement, indexElement, keyElement, valueElement, type Path, type PathElement } from "./path.ts";

const pathElement: fc.Arbitrary<PathElement> = fc.oneof(
  fc.constantFrom("a", "b", "spec", "métadonnée", "x<y>").map(fieldElement),
  fc
    .record({ name: fc.constantFrom("n1", "n2"), port: fc.integer({ min: 0, max: 3 }) })
    .map(({ name, port }) => keyElement([{ name: "port", value: port }, { name: "name", value: name }])),
  fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom("s", "t", "&"), fc.boolean()).map(valueElement),
  fc.integer({ min: 0, max: 3 }).map(indexElement),
);
const path: fc.Arbitrary<Path> = fc.array(pathElement, { minLength: 1, maxLength: 4 });
const fieldSet: fc.Arbitrary<FieldSet> = fc.array(path, { maxLength: 25 }).map((ps) => FieldSet.fromPaths(ps));

describe("FieldSet", () => {
  test.prop([fieldSet])("fieldsV1 survives JSON and decodes to the same set (TestSerialize)", (s) => {
    const decoded = FieldSet.fromFieldsV1(JSON.parse(JSON.stringify(s.toFieldsV1())));
    expect(decoded.equals(s)).toBe(true);
  });

  test.prop([fieldSet])("a set is exactly its paths", (s) => {
    for (const p of s.paths()) expect(s.has(p)).toBe(true);
    expect(FieldSet.fromPaths(s.paths()).equals(s)).toBe(true);
    expect(s.size).toBe(s.paths().length);
  });

  test.prop([fieldSet, fieldSet])("union, intersection and difference agree with their paths", (a, b) => {
    const inB = (p: Path): boolean => b.has(p);
    expect(a.union(b).paths().length).toBe(a.size + b.paths().filter((p) => !a.has(p)).length);
    expect(a.intersection(b).equals(b.intersection(a))).toBe(true);
    expect(a.intersection(b).paths().every((p) => a.has(p) && inB(p))).toBe(true);
    expect(a.difference(b).paths().every((p) => a.has(p) && !inB(p))).toBe(true);
    expect(a.difference(b).union(a.intersection(b)).equals(a)).toBe(true);
  });
});

// Non-empty: an empty map is dropped by Go's omitempty when upstream stores the object, a
// normalisation the API server core applies to every write, not this module.
const labels = fc.dictionary(fc.constantFrom("app", "tier", "team", "env"), fc.constantFrom("x", "y", "z"), { minKeys: 1, maxKeys: 4 });

describe("apply", () => {
  test.prop([labels, labels, fc.dictionary(fc.constantFrom("k1", "k2", "k3"), fc.string({ maxLength: 3 }), { minKeys: 1 })])(
    "applying a configuration twice is a no-op the second time; the object holds what was applied",
    (first, second, data) => {
      const cm = (l: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: l }, data });
      const opts = { manager: "m", now: 0, apiVersion: "v1", kind: "ConfigMap" };
      const r1 = applyPatch({ ...opts, applied: cm(first) });
      if (!("object" in r1)) throw new Error("conflict");
      const r2 = applyPatch({ ...opts, live: r1.object, applied: cm(second) });
      if (!("object" in r2)) throw new Error("conflict");
      // The only manager: what it stopped applying is gone, what it applies is there.
      expect(r2.object.metadata?.labels).toEqual(second);
      const r3 = applyPatch({ ...opts, live: r2.object, applied: cm(second), now: 5000 });
      expect("object" in r3 && r3.object).toEqual(r2.object);
    },
  );
});

describe("untrusted input", () => {
  const body = fc.record(
    {
      apiVersion: fc.constantFrom("apps/v1", "v1"),
      kind: fc.constantFrom("Deployment", "Pod"),
      metadata: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ name: fc.string(), labels: fc.jsonValue({ maxDepth: 2 }) })),
      spec: fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.record({ replicas: fc.jsonValue({ maxDepth: 1 }), template: fc.record({ spec: fc.record({ containers: fc.jsonValue({ maxDepth: 3 }) }) }) }),
      ),
    },
    { requiredKeys: ["apiVersion", "kind"] },
  );

  test.prop([body, body])("apply answers with a result, a conflict or an SsaError, never anything else", (live, applied) => {
    const run = (): void => {
      const opts = { manager: "fuzz", now: 0, apiVersion: "apps/v1", kind: "Deployment" };
      const first = applyPatch({ ...opts, applied: { ...live, apiVersion: "apps/v1", kind: "Deployment" } });
      const stored = "object" in first ? first.object : undefined;
      applyPatch({ ...opts, live: stored, applied });
    };
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(SsaError);
    }
  });

  test.prop([fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 })])("updates never throw", (oldSpec, newSpec) => {
    const obj = (spec: unknown): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", uid: "u" }, spec });
    const managedFields = updateManagedFields({ newObj: obj(oldSpec), manager: "m", apiVersion: "v1", now: 0 });
    updateManagedFields({ oldObj: { ...obj(oldSpec), metadata: { name: "p", uid: "u", managedFields } }, newObj: obj(newSpec), manager: "n", apiVersion: "v1", now: 1000 });
  });
});
