import { describe, expect, it } from "vitest";
import {
  formatRFC3339,
  humanDuration,
  shortHumanDuration,
  translateTimestampSince,
  translateTimestampUntil,
} from "./duration.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

// apimachinery/pkg/util/duration/duration_test.go TestHumanDuration and TestHumanDurationBoundaries
// (Go's "-2s + 1ns" is -1999ms here: the same truncation to -1s).
describe("humanDuration", () => {
  it.each([
    [s, "1s"],
    [70 * s, "70s"],
    [190 * s, "3m10s"],
    [70 * m, "70m"],
    [47 * h, "47h"],
    [49 * h, "2d1h"],
    [(8 * 24 + 2) * h, "8d"],
    [367 * 24 * h, "367d"],
    [(365 * 2 * 24 + 25) * h, "2y1d"],
    [(365 * 8 * 24 + 2) * h, "8y"],
  ])("%d ms → %s", (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it.each([
    [-2 * s, "<invalid>"],
    [-2 * s + 1, "0s"],
    [0, "0s"],
    [s - 1, "0s"],
    [2 * m - 1, "119s"],
    [2 * m, "2m"],
    [2 * m + s, "2m1s"],
    [10 * m - 1, "9m59s"],
    [10 * m, "10m"],
    [10 * m + s, "10m"],
    [3 * h - 1, "179m"],
    [3 * h, "3h"],
    [3 * h + m, "3h1m"],
    [8 * h - 1, "7h59m"],
    [8 * h, "8h"],
    [8 * h + 59 * m, "8h"],
    [2 * d - 1, "47h"],
    [2 * d, "2d"],
    [2 * d + h, "2d1h"],
    [8 * d - 1, "7d23h"],
    [8 * d, "8d"],
    [8 * d + 23 * h, "8d"],
    [2 * y - 1, "729d"],
    [2 * y, "2y"],
    [2 * y + 23 * h, "2y"],
    [2 * y + 23 * h + 59 * m, "2y"],
    [2 * y + 24 * h - 1, "2y"],
    [2 * y + 24 * h, "2y1d"],
    [3 * y, "3y"],
    [4 * y, "4y"],
    [5 * y, "5y"],
    [6 * y, "6y"],
    [7 * y, "7y"],
    [8 * y - 1, "7y364d"],
    [8 * y, "8y"],
    [8 * y + 364 * d, "8y"],
    [9 * y, "9y"],
  ])("boundary %d ms → %s", (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe("shortHumanDuration", () => {
  it.each([
    [-2 * s, "<invalid>"],
    [-2 * s + 1, "0s"],
    [0, "0s"],
    [s - 1, "0s"],
    [s, "1s"],
    [2 * s - 1, "1s"],
    [m - 1, "59s"],
    [m, "1m"],
    [2 * m - 1, "1m"],
    [h - 1, "59m"],
    [h, "1h"],
    [2 * h - 1, "1h"],
    [d - 1, "23h"],
    [d, "1d"],
    [2 * d - 1, "1d"],
    [y - 1, "364d"],
    [y, "1y"],
    [2 * y - 1, "1y"],
    [2 * y, "2y"],
  ])("%d ms → %s", (ms, want) => {
    expect(shortHumanDuration(ms)).toBe(want);
  });
});

// printers_test.go TestTranslateTimestampSince / TestTranslateTimestampUntil.
describe("translateTimestampSince / Until", () => {
  const now = Date.parse("2024-06-01T12:00:00Z");
  const at = (offsetMs: number): string => new Date(now + offsetMs).toISOString();

  it.each([
    ["a while from now", at(2100), "<invalid>"],
    ["almost now", at(1900), "0s"],
    ["now", at(0), "0s"],
    ["unknown", undefined, "<unknown>"],
    ["zero time", "0001-01-01T00:00:00Z", "<unknown>"],
    ["30 seconds ago", at(-30 * s), "30s"],
    ["5 minutes ago", at(-5 * m), "5m"],
    ["an hour ago", at(-100 * m), "100m"],
    ["2 days ago", at(-2 * d), "2d"],
    ["months ago", at(-90 * d), "90d"],
    ["10 years ago", at(-10 * y), "10y"],
  ])("since: %s", (_name, ts, want) => {
    expect(translateTimestampSince(ts, now)).toBe(want);
  });

  it.each([
    ["a while ago", at(-2100), "<invalid>"],
    ["almost now", at(-1900), "0s"],
    ["unknown", null, "<unknown>"],
    ["in 30 seconds", at(30 * s), "30s"],
    ["in 2 days", at(2 * d), "2d"],
    ["in 10 years", at(10 * y), "10y"],
  ])("until: %s", (_name, ts, want) => {
    expect(translateTimestampUntil(ts, now)).toBe(want);
  });

  it("accepts MicroTime (microsecond) timestamps", () => {
    expect(translateTimestampSince("2024-06-01T11:59:30.123456Z", now)).toBe("29s");
  });
});

describe("formatRFC3339", () => {
  it("prints UTC with whole seconds, as time.RFC3339", () => {
    expect(formatRFC3339(Date.parse("2024-06-01T14:00:00.999+02:00"))).toBe("2024-06-01T12:00:00Z");
    expect(formatRFC3339(Date.parse("0001-01-01T00:00:00Z"))).toBe("0001-01-01T00:00:00Z");
  });
});
