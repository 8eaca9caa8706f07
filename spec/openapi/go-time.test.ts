import { describe, expect, test } from "vitest";
import { formatGoTime, parseGoTime, RFC3339, RFC3339_MICRO } from "./go-time.ts";

const reencode = (layout: typeof RFC3339 | typeof RFC3339_MICRO, value: string) => {
  const parsed = parseGoTime(layout, value);
  return parsed.ok ? formatGoTime(layout, parsed.time) : parsed.message;
};

describe("metav1.Time (RFC3339)", () => {
  test.each<[string, string | null]>([
    ["2024-02-29T12:34:56Z", "2024-02-29T12:34:56Z"],
    // Written back in UTC, fraction dropped (Go accepts a fraction the layout lacks).
    ["2024-02-29T12:34:56.789+01:30", "2024-02-29T11:04:56Z"],
    ["1969-12-31T23:59:59-00:30", "1970-01-01T00:29:59Z"],
    // Go's hour element takes one digit too.
    ["2023-01-01T0:00:00Z", "2023-01-01T00:00:00Z"],
    // The zero time is written as null.
    ["0001-01-01T00:00:00Z", null],
  ])("%s → %s", (value, expected) => {
    expect(reencode(RFC3339, value)).toBe(expected);
  });

  test.each<[string, string]>([
    ["x", 'parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"'],
    ["", 'parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"'],
    ["2023-1-01T00:00:00Z", 'parsing time "2023-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01"'],
    ["2023-01-01 00:00:00Z", 'parsing time "2023-01-01 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T"'],
    ["2023-01-01T00:00:00", 'parsing time "2023-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ["2023-01-01T00:00:00+0100", 'parsing time "2023-01-01T00:00:00+0100" as "2006-01-02T15:04:05Z07:00": cannot parse "+0100" as "Z07:00"'],
    ["2023-13-01T00:00:00Z", 'parsing time "2023-13-01T00:00:00Z": month out of range'],
    ["2023-02-29T00:00:00Z", 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ["2023-01-01T24:00:00Z", 'parsing time "2023-01-01T24:00:00Z": hour out of range'],
    ["2023-01-01T00:60:00Z", 'parsing time "2023-01-01T00:60:00Z": minute out of range'],
    ["2023-01-01T00:00:60Z", 'parsing time "2023-01-01T00:00:60Z": second out of range'],
    ["2023-01-01T00:00:00+25:00", 'parsing time "2023-01-01T00:00:00+25:00": time zone offset hour out of range'],
    ["2023-01-01T00:00:00Zjunk", 'parsing time "2023-01-01T00:00:00Zjunk": extra text: "junk"'],
    ["é", 'parsing time "\\xc3\\xa9" as "2006-01-02T15:04:05Z07:00": cannot parse "\\xc3\\xa9" as "2006"'],
  ])("%j fails with Go's message", (value, message) => {
    expect(reencode(RFC3339, value)).toBe(message);
  });
});

describe("metav1.MicroTime (RFC3339Micro)", () => {
  test("keeps microseconds and writes UTC", () => {
    expect(reencode(RFC3339_MICRO, "2024-01-01T01:00:00.123456+01:00")).toBe("2024-01-01T00:00:00.123456Z");
  });

  test.each<[string, string]>([
    ["2024-01-01T00:00:00Z", 'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"'],
    [
      "2024-01-01T00:00:00.123456789Z",
      'parsing time "2024-01-01T00:00:00.123456789Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "789Z" as "Z07:00"',
    ],
  ])("needs exactly six fraction digits: %s", (value, message) => {
    expect(reencode(RFC3339_MICRO, value)).toBe(message);
  });
});
