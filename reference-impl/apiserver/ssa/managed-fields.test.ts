import { describe, expect, test } from "vitest";
import { FieldPath, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import { FieldSet } from "./field-set.ts";
import {
  decodeManagedFields,
  encodeManagedFields,
  formatTime,
  managerIdentifier,
  managerOrUserAgent,
  parseTime,
  validateFieldManager,
  validateManagedFields,
  validatePatchOptions,
} from "./managed-fields.ts";
import { fieldElement } from "./path.ts";

const messages = (errs: ReturnType<typeof validateFieldManager>): string[] => errs.map(fieldErrorString);

describe("manager names", () => {
  test.each([
    ["kubectl-edit", "kubectl/v1.32.0 (linux/amd64) kubernetes/abcdef", "kubectl-edit"],
    ["", "kubectl/v1.32.0 (linux/amd64) kubernetes/abcdef", "kubectl"],
    [undefined, "kube-controller-manager/v1.30.0 (linux/amd64) kubernetes/x/system:serviceaccount", "kube-controller-manager"],
    ["", "Mozilla", "Mozilla"],
    ["", "bad\u0007agent/1", "badagent"],
    ["", "x".repeat(200), "x".repeat(128)],
    ["", undefined, ""],
  ])("fieldManager %j, user agent %j → %j", (fieldManager, userAgent, expected) => {
    expect(managerOrUserAgent(fieldManager, userAgent)).toBe(expected);
  });

  test("identifiers are Go's JSON of the entry: Apply drops the API version", () => {
    expect(managerIdentifier({ manager: "kubectl", operation: "Apply", apiVersion: "apps/v1", subresource: "" })).toBe(
      '{"manager":"kubectl","operation":"Apply"}',
    );
    expect(managerIdentifier({ manager: "kcm", operation: "Update", apiVersion: "apps/v1", subresource: "status" })).toBe(
      '{"manager":"kcm","operation":"Update","apiVersion":"apps/v1","subresource":"status"}',
    );
  });
});

describe("validation messages", () => {
  test("validateFieldManager: length in bytes, non-printable characters by byte offset", () => {
    expect(messages(validateFieldManager("é".repeat(65), FieldPath.of("fieldManager")))).toEqual([
      "fieldManager: Too long: may not be more than 128 bytes",
    ]);
    expect(messages(validateFieldManager("a\tb\u0000", FieldPath.of("fieldManager")))).toEqual([
      'fieldManager: Invalid value: "a\\tb\\x00": invalid character U+0009 (at position 1)',
      'fieldManager: Invalid value: "a\\tb\\x00": invalid character U+0000 (at position 3)',
    ]);
  });

  test.each<[string, { apply: boolean; fieldManager: string; force?: boolean }, string[]]>([
    ["apply without a field manager", { apply: true, fieldManager: "" }, ["fieldManager: Required value: is required for apply patch"]],
    ["force on a merge patch", { apply: false, fieldManager: "", force: true }, ["force: Forbidden: may not be specified for non-apply patch"]],
    ["a valid apply", { apply: true, fieldManager: "kubectl", force: true }, []],
  ])("validatePatchOptions: %s", (_name, opts, expected) => {
    expect(messages(validatePatchOptions(opts))).toEqual(expected);
  });

  test("validateManagedFields checks operation, fieldsType, manager and subresource", () => {
    const errs = validateManagedFields(
      [
        { manager: "ok", operation: "Apply", fieldsType: "FieldsV1" },
        { manager: "m".repeat(129), operation: "Patch", fieldsType: "FieldsV2", subresource: "s".repeat(257) },
      ],
      FieldPath.of("metadata", "managedFields"),
    );
    expect(messages(errs)).toEqual([
      'metadata.managedFields[1].operation: Invalid value: "Patch": must be `Apply` or `Update`',
      'metadata.managedFields[1].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
      "metadata.managedFields[1].manager: Too long: may not be more than 128 bytes",
      "metadata.managedFields[1].subresource: Too long: may not be more than 256 bytes",
    ]);
  });
});

describe("decode and encode", () => {
  test.each<[string, unknown, string]>([
    ["a bad operation", [{ operation: "Patch", apiVersion: "v1", fieldsType: "FieldsV1" }], "operation must be `Apply` or `Update`"],
    ["no apiVersion", [{ operation: "Apply", fieldsType: "FieldsV1" }], "apiVersion must not be empty"],
    ["no fieldsType", [{ operation: "Apply", apiVersion: "v1" }], "missing fieldsType in managed fields entry 0"],
    ["another fieldsType", [{ operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV2" }], 'invalid fieldsType "FieldsV2" in managed fields entry 0'],
  ])("decoding rejects %s", (_name, entries, message) => {
    expect(() => decodeManagedFields(entries)).toThrow(message);
  });

  test("entries are sorted: Apply before Update, then oldest first, then by manager; times normalized to UTC seconds", () => {
    const fields = { "f:data": {} };
    const managed = decodeManagedFields([
      { manager: "b", operation: "Update", apiVersion: "v1", time: "2019-03-30T16:00:00.000Z", fieldsType: "FieldsV1", fieldsV1: fields },
      { manager: "a", operation: "Update", apiVersion: "v1", time: "2019-03-30T18:00:00+02:00", fieldsType: "FieldsV1", fieldsV1: fields },
      { manager: "z", operation: "Apply", apiVersion: "v1", time: "2020-01-01T00:00:00Z", fieldsType: "FieldsV1", fieldsV1: fields },
    ]);
    expect(encodeManagedFields(managed)?.map((e) => [e.manager, e.time])).toEqual([
      ["z", "2020-01-01T00:00:00Z"],
      ["a", "2019-03-30T16:00:00Z"],
      ["b", "2019-03-30T16:00:00Z"],
    ]);
  });

  test("no managers encode as no managedFields", () => {
    expect(encodeManagedFields(decodeManagedFields([]))).toBeUndefined();
  });

  test("a round trip keeps every entry", () => {
    const set = FieldSet.fromPaths([[fieldElement("data"), fieldElement("k")]]);
    const entries = [{ manager: "m", operation: "Update", apiVersion: "v1", time: "2024-01-01T00:00:00Z", fieldsType: "FieldsV1", fieldsV1: set.toFieldsV1(), subresource: "status" }];
    expect(encodeManagedFields(decodeManagedFields(entries))).toEqual(entries);
  });

  test("time helpers", () => {
    expect(formatTime(parseTime("2024-02-29T23:59:59.999Z"))).toBe("2024-02-29T23:59:59Z");
    expect(() => parseTime("2010-10-10T0:00:00Z")).toThrow("RFC 3339");
  });
});
