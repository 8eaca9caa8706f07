// metav1.Time and metav1.MicroTime as kube-apiserver decodes and re-encodes them: Go's time.Parse with
// the RFC3339 / RFC3339Micro layouts (same acceptance and the same error texts, e.g.
// `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`), and the canonical
// form written back (UTC; seconds for Time, microseconds for MicroTime; the zero time is null).

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

type Layout = typeof RFC3339 | typeof RFC3339_MICRO;

/** A parsed instant: whole seconds since the Unix epoch (UTC) and nanoseconds. */
export interface GoTime {
  readonly unixSeconds: number;
  readonly nanos: number;
}

export type TimeParseResult = { ok: true; time: GoTime } | { ok: false; message: string };

type Element = "2006" | "01" | "02" | "15" | "04" | "05" | ".000000" | "Z07:00";

/** The layouts as Go's nextStdChunk splits them: [literal prefix, element]. */
const chunks: Readonly<Record<Layout, ReadonlyArray<readonly [string, Element]>>> = {
  [RFC3339]: [
    ["", "2006"],
    ["-", "01"],
    ["-", "02"],
    ["T", "15"],
    [":", "04"],
    [":", "05"],
    ["", "Z07:00"],
  ],
  [RFC3339_MICRO]: [
    ["", "2006"],
    ["-", "01"],
    ["-", "02"],
    ["T", "15"],
    [":", "04"],
    [":", "05"],
    ["", ".000000"],
    ["", "Z07:00"],
  ],
};

class Bad extends Error {}

/** Go's time.Parse(layout, value) for the two layouts metav1 uses. */
export function parseGoTime(layout: Layout, value: string): TimeParseResult {
  const fail = (message: string): TimeParseResult => ({ ok: false, message: `parsing time ${timeQuote(value)}${message}` });
  const cannot = (valueElem: string, layoutElem: string): TimeParseResult =>
    fail(` as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`);

  const steps = chunks[layout];
  let rest = value;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let offsetSeconds = 0;
  for (let i = 0; i < steps.length; i++) {
    const [prefix, element] = steps[i] as readonly [string, Element];
    if (!rest.startsWith(prefix)) {
      // Go's skip() consumes the matching part of the prefix; prefixes here are one character long.
      return cannot(rest, prefix);
    }
    rest = rest.slice(prefix.length);
    const hold = rest;
    let range = "";
    try {
      switch (element) {
        case "2006":
          if (rest.length < 4 || !isDigit(rest, 0)) throw new Bad();
          year = atoi(rest.slice(0, 4));
          rest = rest.slice(4);
          break;
        case "01":
          [month, rest] = getnum(rest, true);
          if (month <= 0 || month > 12) range = "month";
          break;
        case "02":
          [day, rest] = getnum(rest, true);
          break;
        case "15":
          [hour, rest] = getnum(rest, false);
          if (hour >= 24) range = "hour";
          break;
        case "04":
          [minute, rest] = getnum(rest, true);
          if (minute >= 60) range = "minute";
          break;
        case "05": {
          [second, rest] = getnum(rest, true);
          if (second >= 60) {
            range = "second";
            break;
          }
          // A fraction the layout does not ask for is still accepted (Go's special case).
          const next = steps[i + 1]?.[1];
          if (next !== ".000000" && rest.length >= 2 && (rest[0] === "." || rest[0] === ",") && isDigit(rest, 1)) {
            let n = 2;
            while (n < rest.length && isDigit(rest, n)) n++;
            nanos = parseNanoseconds(rest, n);
            rest = rest.slice(n);
          }
          break;
        }
        case ".000000":
          if (rest.length < 7) throw new Bad();
          nanos = parseNanoseconds(rest, 7);
          rest = rest.slice(7);
          break;
        case "Z07:00":
          [offsetSeconds, rest, range] = parseOffset(rest);
          break;
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      return cannot(hold, element);
    }
    if (range !== "") return fail(`: ${range} out of range`);
  }
  if (rest.length > 0) return fail(`: extra text: ${timeQuote(rest)}`);
  if (day < 1 || day > daysIn(month, year)) return fail(": day out of range");
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return { ok: true, time: { unixSeconds: local - offsetSeconds, nanos } };
}

/** Go's ISO 8601 colon zone: "Z" or ±hh:mm. A range error wins over a malformed part, as in Go. */
function parseOffset(rest: string): [number, string, string] {
  if (rest.startsWith("Z")) return [0, rest.slice(1), ""];
  if (rest.length < 6 || rest[3] !== ":") throw new Bad();
  let bad = false;
  let hours = 0;
  let minutes = 0;
  try {
    [hours] = getnum(rest.slice(1, 3), true);
    [minutes] = getnum(rest.slice(4, 6), true);
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    bad = true;
  }
  let range = "";
  if (hours > 24) range = "time zone offset hour";
  if (minutes > 60) range = "time zone offset minute";
  const sign = rest[0];
  if (sign !== "+" && sign !== "-") bad = true;
  if (bad && range === "") throw new Bad();
  const offset = (hours * 60 + minutes) * 60;
  return [sign === "-" ? -offset : offset, rest.slice(6), range];
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}

/** Go's getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new Bad();
  if (!isDigit(s, 1)) {
    if (fixed) throw new Bad();
    return [s.charCodeAt(0) - 0x30, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 0x30) * 10 + (s.charCodeAt(1) - 0x30), s.slice(2)];
}

function atoi(s: string): number {
  if (!/^\d+$/.test(s)) throw new Bad();
  return Number(s);
}

/** Go's parseNanoseconds: `value` starts with the separator; at most 9 digits count. */
function parseNanoseconds(value: string, length: number): number {
  if (value[0] !== "." && value[0] !== ",") throw new Bad();
  const digits = value.slice(1, Math.min(length, 10));
  if (!/^\d+$/.test(digits)) throw new Bad();
  return Number(digits.padEnd(9, "0"));
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Seconds from 0001-01-01T00:00:00Z (Go's zero time) to the Unix epoch. */
const GO_ZERO_UNIX_SECONDS = daysFromCivil(1, 1, 1) * 86400;

/** How metav1.Time (RFC3339, seconds) or MicroTime (RFC3339Micro) writes an instant back; null for the zero time. */
export function formatGoTime(layout: Layout, time: GoTime): string | null {
  if (time.unixSeconds === GO_ZERO_UNIX_SECONDS && time.nanos === 0) return null;
  const days = Math.floor(time.unixSeconds / 86400);
  const secondOfDay = time.unixSeconds - days * 86400;
  const [year, month, day] = civilFromDays(days);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const clock = `${pad(Math.floor(secondOfDay / 3600))}:${pad(Math.floor(secondOfDay / 60) % 60)}:${pad(secondOfDay % 60)}`;
  const fraction = layout === RFC3339_MICRO ? `.${pad(Math.floor(time.nanos / 1000), 6)}` : "";
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${clock}${fraction}Z`;
}

/** The time package's quote(): ASCII kept (with " and \ escaped), everything else as \x bytes. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x80 || cp < 0x20) {
      for (const byte of new TextEncoder().encode(ch)) out += `\\x${byte.toString(16).padStart(2, "0")}`;
    } else out += ch === '"' || ch === "\\" ? `\\${ch}` : ch;
  }
  return `${out}"`;
}
