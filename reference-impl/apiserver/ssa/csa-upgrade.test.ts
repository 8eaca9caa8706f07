import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { findFieldsOwners, upgradeManagedFields, upgradeManagedFieldsPatch } from "./csa-upgrade.ts";
import { FieldSet } from "./field-set.ts";
import type { ManagedFieldsEntry } from "./managed-fields.ts";
import { fieldElement } from "./path.ts";

// Cases after client-go util/csaupgrade/upgrade_test.go (TestUpgradeCSA, TestFindOwners).
const entry = (manager: string, operation: string, fieldsV1: string, time: string, apiVersion = "v1"): ManagedFieldsEntry => ({
  apiVersion,
  fieldsType: "FieldsV1",
  fieldsV1: parse(fieldsV1) as Record<string, never>,
  manager,
  operation,
  time,
});

const allFields = `
f:data:
  .: {}
  f:key: {}
  f:legacy: {}
f:metadata:
  f:annotations:
    .: {}
    f:kubectl.kubernetes.io/last-applied-configuration: {}
`;
const keyOnly = allFields.replace("  f:legacy: {}\n", "");

describe("upgradeManagedFields", () => {
  test.each<[string, ManagedFieldsEntry[], ManagedFieldsEntry[] | undefined]>([
    [
      "a client-side entry becomes the Apply entry when there is none",
      [entry("kubectl-client-side-apply", "Update", allFields, "2022-08-22T23:08:23Z")],
      [entry("kubectl", "Apply", allFields, "2022-08-22T23:08:23Z")],
    ],
    [
      "a duplicate client-side entry folds into the existing Apply entry",
      [entry("kubectl", "Apply", allFields, "2022-08-23T23:08:23Z"), entry("kubectl-client-side-apply", "Update", allFields, "2022-08-22T23:08:23Z")],
      [entry("kubectl", "Apply", allFields, "2022-08-23T23:08:23Z")],
    ],
    [
      "keys only the client-side entry owned are added to the Apply entry",
      [entry("kubectl", "Apply", keyOnly, "2022-08-23T23:08:23Z"), entry("kubectl-client-side-apply", "Update", allFields, "2022-08-22T23:08:23Z")],
      [entry("kubectl", "Apply", allFields, "2022-08-23T23:08:23Z")],
    ],
    [
      "client-side entries of another API version are dropped, not merged",
      [entry("kubectl", "Apply", keyOnly, "2022-08-23T23:08:23Z"), entry("kubectl-client-side-apply", "Update", allFields, "2022-08-22T23:08:23Z", "v2")],
      [entry("kubectl", "Apply", keyOnly, "2022-08-23T23:08:23Z")],
    ],
    [
      "other managers are left alone",
      [entry("kube-controller-manager", "Update", keyOnly, "2022-08-22T23:08:23Z")],
      [entry("kube-controller-manager", "Update", keyOnly, "2022-08-22T23:08:23Z")],
    ],
  ])("%s", (_name, before, after) => {
    expect(upgradeManagedFields(before, ["kubectl-client-side-apply"], "kubectl")).toEqual(after);
  });

  test("the JSON patch replaces managedFields guarded by the resourceVersion, or is undefined when nothing changes", () => {
    const obj = { metadata: { resourceVersion: "7", managedFields: [entry("kubectl-client-side-apply", "Update", allFields, "2022-08-22T23:08:23Z")] } };
    expect(upgradeManagedFieldsPatch(obj, ["kubectl-client-side-apply"], "kubectl")).toEqual([
      { op: "replace", path: "/metadata/managedFields", value: [entry("kubectl", "Apply", allFields, "2022-08-22T23:08:23Z")] },
      { op: "replace", path: "/metadata/resourceVersion", value: "7" },
    ]);
    const upgraded = { metadata: { resourceVersion: "8", managedFields: [entry("kubectl", "Apply", allFields, "2022-08-22T23:08:23Z")] } };
    expect(upgradeManagedFieldsPatch(upgraded, ["kubectl-client-side-apply"], "kubectl")).toBeUndefined();
  });
});

describe("findFieldsOwners", () => {
  const lastApplied = FieldSet.fromPaths([
    ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"].map(fieldElement),
  ]);
  const entries = [
    entry("kubectl-client-side-apply", "Update", allFields, "2022-08-23T23:08:23Z"),
    entry("kubectl", "Apply", keyOnly, "2022-08-23T23:08:23Z"),
    entry("other", "Update", "f:data:\n  f:key: {}\n", "2022-08-23T23:08:23Z"),
  ];

  test.each<[string, "Apply" | "Update", FieldSet, string[]]>([
    ["a nested field, Update", "Update", lastApplied, ["kubectl-client-side-apply"]],
    ["the same field, Apply", "Apply", lastApplied, ["kubectl"]],
    ["a field two Update entries own", "Update", FieldSet.fromPaths([["data", "key"].map(fieldElement)]), ["kubectl-client-side-apply", "other"]],
    ["fields no single entry owns", "Update", FieldSet.fromPaths([["data", "legacy"].map(fieldElement), ["data", "nope"].map(fieldElement)]), []],
  ])("%s", (_name, operation, fields, owners) => {
    expect(findFieldsOwners(entries, operation, fields).map((e) => e.manager)).toEqual(owners);
  });
});
