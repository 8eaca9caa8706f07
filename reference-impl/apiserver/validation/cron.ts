// CronJob schedules as kube-apiserver parses them: github.com/robfig/cron/v3 ParseStandard (five
// fields or a descriptor such as @hourly / @every 1h30m), with its error texts, and Go's
// time.ParseDuration for @every. Only validity matters here; the controller computes run times.

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const INT64_MAX = 2n ** 63n - 1n;

class CronError extends Error {}

/** strconv.Atoi with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new CronError(`strconv.Atoi: parsing ${goStrconvQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) throw new CronError(`strconv.Atoi: parsing ${goStrconvQuote(s)}: value out of range`);
  return Number(n);
}

function goStrconvQuote(s: string): string {
  return JSON.stringify(s);
}

function mustParseInt(expr: string): number {
  let num: number;
  try {
    num = atoi(expr);
  } catch (e) {
    throw new CronError(`failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (num < 0) throw new CronError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, names: Bounds["names"]): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = (rangeAndStep[0] ?? "").split("-");
  let start: number;
  let end: number;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? "", r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? "", r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? "");
    if (lowAndHigh.length === 1) end = r.max; // "N/step" means "N-max/step"
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

function checkField(field: string, r: Bounds): void {
  for (const expr of field.split(",").filter((x) => x.length > 0)) checkRange(expr, r);
}

// ---- Go time.ParseDuration ----

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** The time package's quote(): `"` delimited, non-ASCII and control bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, "utf8")) {
    if (byte >= 0x80 || byte < 0x20) out += "\\x" + byte.toString(16).padStart(2, "0");
    else {
      const c = String.fromCharCode(byte);
      out += c === '"' || c === "\\" ? "\\" + c : c;
    }
  }
  return out + '"';
}

/** time.ParseDuration: returns an error message, or undefined when the duration is valid. */
export function parseDurationError(orig: string): string | undefined {
  const invalidDuration = `time: invalid duration ${timeQuote(orig)}`;
  let s = orig;
  if (s.startsWith("-") || s.startsWith("+")) s = s.slice(1);
  if (s === "0") return undefined;
  if (s === "") return invalidDuration;
  let total = 0n;
  while (s !== "") {
    if (!/^[0-9.]/.test(s)) return invalidDuration;
    const intPart = /^[0-9]*/.exec(s)?.[0] ?? "";
    s = s.slice(intPart.length);
    let fracPart = "";
    if (s.startsWith(".")) {
      s = s.slice(1);
      fracPart = /^[0-9]*/.exec(s)?.[0] ?? "";
      s = s.slice(fracPart.length);
    }
    if (intPart === "" && fracPart === "") return invalidDuration;
    const unitText = /^[^0-9.]*/.exec(s)?.[0] ?? "";
    if (unitText === "") return `time: missing unit in duration ${timeQuote(orig)}`;
    s = s.slice(unitText.length);
    const unit = UNITS[unitText];
    if (unit === undefined) return `time: unknown unit ${timeQuote(unitText)} in duration ${timeQuote(orig)}`;
    const v = BigInt(intPart === "" ? "0" : intPart);
    if (v > 2n ** 63n / unit) return invalidDuration;
    let value = v * unit;
    if (fracPart !== "") value += BigInt(Math.floor(Number(`0.${fracPart}`) * Number(unit)));
    total += value;
    if (total > 2n ** 63n) return invalidDuration;
  }
  const negative = orig.startsWith("-");
  if (!negative && total > 2n ** 63n - 1n) return invalidDuration;
  return undefined;
}

// ---- time zones ----

/** time.LoadLocation: names from the tz database, case-sensitive. */
export function loadLocationError(name: string): string | undefined {
  if (name === "" || name === "UTC") return undefined;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    // ICU matches case-insensitively; Go reads zoneinfo files, so the case must be exact.
    if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) return `unknown time zone ${name}`;
    return undefined;
  } catch {
    return `unknown time zone ${name}`;
  }
}

// ---- the parser ----

const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

/** cron.ParseStandard: the error message, or undefined when the schedule is valid. */
export function parseStandardError(schedule: string): string | undefined {
  try {
    parseStandard(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

function parseStandard(input: string): void {
  let spec = input;
  if (spec.length === 0) throw new CronError("empty spec string");
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const space = spec.indexOf(" ");
    const eq = spec.indexOf("=");
    const zone = space < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, space);
    const err = loadLocationError(zone);
    if (err !== undefined) throw new CronError(`provided bad location ${zone}: ${err}`);
    spec = space < 0 ? "" : spec.slice(space).trim();
  }
  if (spec.startsWith("@")) {
    if (DESCRIPTORS.has(spec)) return;
    if (spec.startsWith("@every ")) {
      const err = parseDurationError(spec.slice("@every ".length));
      if (err !== undefined) throw new CronError(`failed to parse duration ${spec}: ${err}`);
      return;
    }
    throw new CronError(`unrecognized descriptor: ${spec}`);
  }
  const fields = spec.split(/\s+/u).filter((f) => f.length > 0);
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  checkField(minute, MINUTES);
  checkField(hour, HOURS);
  checkField(dom, DOM);
  checkField(month, MONTHS);
  checkField(dow, DOW);
}
