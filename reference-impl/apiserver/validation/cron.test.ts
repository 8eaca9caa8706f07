import { describe, expect, it } from "vitest";
import { loadLocationError, parseDurationError, parseStandardError } from "./cron.ts";

describe("cron.ParseStandard", () => {
  it.each(["* * * * *", "*/5 * * * *", "0 0 1 1 *", "0 9-17 * * mon-fri", "15,45 */2 1-31/2 JAN-dec SUN", "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m", "@every 1.5s", "? * * * ?"])(
    "accepts %j",
    (schedule) => {
      expect(parseStandardError(schedule)).toBeUndefined();
    },
  );

  it.each<[string, string]>([
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* 24 * * *", "end of range (24) above maximum (23): 24"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["* * * 13 *", "end of range (13) above maximum (12): 13"],
    ["* * * * 7", "end of range (7) above maximum (6): 7"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["*/2/3 * * * *", "too many slashes: */2/3"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["@every 1x", 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'],
    ["@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ["@every x", 'failed to parse duration @every x: time: invalid duration "x"'],
  ])("rejects %j", (schedule, message) => {
    expect(parseStandardError(schedule)).toBe(message);
  });
});

describe("time.ParseDuration", () => {
  it.each(["0", "1h", "-1.5h", "300ms", "2h45m", "1\u00b5s"])("accepts %j", (d) => expect(parseDurationError(d)).toBeUndefined());
  it.each<[string, string]>([
    ["", 'time: invalid duration ""'],
    [".s", 'time: invalid duration ".s"'],
    ["1d", 'time: unknown unit "d" in duration "1d"'],
  ])("rejects %j", (d, m) => expect(parseDurationError(d)).toBe(m));
});

describe("time.LoadLocation", () => {
  it("knows tz database names, case-sensitively", () => {
    expect(loadLocationError("Europe/Paris")).toBeUndefined();
    expect(loadLocationError("UTC")).toBeUndefined();
    expect(loadLocationError("europe/paris")).toBe("unknown time zone europe/paris");
    expect(loadLocationError("Mars/Olympus")).toBe("unknown time zone Mars/Olympus");
  });
});
