import { describe, expect, it } from "vitest";
import { ApiError } from "../../spec/interfaces/api-client.ts";
import { FieldPath, invalid as invalidField, required } from "../../spec/semantics/field-errors.ts";
import { alreadyExists, conflict, forbidden, invalid, notFound, statusFromError, tooManyRequests } from "./errors.ts";

describe("Status builders", () => {
  it("word NotFound, AlreadyExists and Conflict as upstream, core and grouped", () => {
    expect(notFound({ group: "", resource: "pods" }, "x")).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "x" not found',
      reason: "NotFound",
      details: { name: "x", kind: "pods" },
      code: 404,
    });
    expect(alreadyExists({ group: "apps", resource: "deployments" }, "d").message).toBe('deployments.apps "d" already exists');
    expect(conflict({ group: "apps", resource: "deployments" }, "d").message).toBe(
      'Operation cannot be fulfilled on deployments.apps "d": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("builds 422 Invalid with one cause per field error", () => {
    const s = invalid("apps", "Deployment", "d", [required(FieldPath.of("spec", "selector"), ""), invalidField(FieldPath.of("spec", "replicas"), -1, "must be greater than or equal to 0")]);
    expect(s.message).toBe('Deployment.apps "d" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]');
    expect(s.details?.causes).toEqual([
      { reason: "FieldValueRequired", message: "Required value", field: "spec.selector" },
      { reason: "FieldValueInvalid", message: "Invalid value: -1: must be greater than or equal to 0", field: "spec.replicas" },
    ]);
  });

  it("words Forbidden with and without a name, and 429 with retryAfterSeconds", () => {
    expect(forbidden({ group: "", resource: "pods" }, "", "no").message).toBe("pods is forbidden: no");
    expect(forbidden({ group: "", resource: "pods" }, "p", "no").message).toBe('pods "p" is forbidden: no');
    expect(tooManyRequests("slow down", 3)).toMatchObject({ code: 429, reason: "TooManyRequests", details: { retryAfterSeconds: 3 } });
  });

  it("keeps an ApiError's Status and turns anything else into an InternalError with a trace line", () => {
    const s = notFound({ group: "", resource: "pods" }, "x");
    expect(statusFromError(new ApiError(s))).toBe(s);
    const internal = statusFromError(new TypeError("boom"));
    expect(internal).toMatchObject({ code: 500, reason: "InternalError" });
    expect(internal.message).toMatch(/^Internal error occurred: boom \(at .+errors\.test\.ts:\d+:\d+\)?/);
    expect(statusFromError("plain").message).toBe("Internal error occurred: plain");
  });
});
