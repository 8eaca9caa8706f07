import { describe, expect, it } from "vitest";
import { duplicate, FieldPath, invalid, required } from "../../../spec/semantics/field-errors.ts";
import { invalidStatus, qualifiedKind } from "./status.ts";

describe("errors.NewInvalid", () => {
  it("qualifies the kind with its group", () => {
    expect(qualifiedKind("Pod", "")).toBe("Pod");
    expect(qualifiedKind("Deployment", "apps")).toBe("Deployment.apps");
  });

  it("prints one error without brackets", () => {
    const status = invalidStatus("Pod", "", "web", [required(FieldPath.of("spec", "containers"), "")]);
    expect(status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'Pod "web" is invalid: spec.containers: Required value',
      reason: "Invalid",
      details: { name: "web", kind: "Pod", causes: [{ reason: "FieldValueRequired", message: "Required value", field: "spec.containers" }] },
      code: 422,
    });
    expect(Object.keys(status)).toEqual(["kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"]);
  });

  it("brackets several errors, dropping repeats from the message but not from the causes", () => {
    const p = FieldPath.of("spec", "replicas");
    const errs = [invalid(p, -1, "must be greater than or equal to 0"), duplicate(FieldPath.of("spec", "x"), "a"), invalid(p, -1, "must be greater than or equal to 0")];
    const status = invalidStatus("Deployment", "apps", "web", errs);
    expect(status.message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.x: Duplicate value: "a"]',
    );
    expect(status.details).toEqual({
      name: "web",
      group: "apps",
      kind: "Deployment",
      causes: [
        { reason: "FieldValueInvalid", message: "Invalid value: -1: must be greater than or equal to 0", field: "spec.replicas" },
        { reason: "FieldValueDuplicate", message: 'Duplicate value: "a"', field: "spec.x" },
        { reason: "FieldValueInvalid", message: "Invalid value: -1: must be greater than or equal to 0", field: "spec.replicas" },
      ],
    });
  });

  it("quotes the name as Go's %q does", () => {
    expect(invalidStatus("ConfigMap", "", 'a"b', [required(FieldPath.of("data"), "")]).message).toBe('ConfigMap "a\\"b" is invalid: data: Required value');
  });
});
