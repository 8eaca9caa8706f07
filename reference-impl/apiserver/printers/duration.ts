// Human-readable ages, as apimachinery's util/duration (HumanDuration, ShortHumanDuration) and the
// printers' translateTimestampSince/Until. Go works in int64 nanoseconds and truncates toward zero;
// here durations are milliseconds, which is all the precision a metav1.Time (seconds) or a
// metav1.MicroTime (microseconds) age needs.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix milliseconds: metav1.Time.IsZero(). */
export const ZERO_TIME_MS = -62135596800000;

function div(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * duration.HumanDuration: ~2-3 significant figures ("70s", "3m10s", "70m", "2d1h", "2y1d", "8y").
 * Up to 2s in the future counts as now (clock skew between machines).
 */
export function humanDuration(ms: number): string {
  const seconds = div(ms, SECOND_MS);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = div(ms, MINUTE_MS);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = div(ms, HOUR_MS);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${div(hours, 24)}d` : `${div(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${div(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = div(hours, 24) % 365;
    const years = div(hours, 24 * 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${div(hours, 24 * 365)}y`;
}

/** duration.ShortHumanDuration: one unit ("59s", "1m", "23h", "364d", "2y"). */
export function shortHumanDuration(ms: number): string {
  const seconds = div(ms, SECOND_MS);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = div(ms, MINUTE_MS);
  if (minutes < 60) return `${minutes}m`;
  const hours = div(ms, HOUR_MS);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${div(hours, 24)}d`;
  return `${div(hours, 24 * 365)}y`;
}

/**
 * A metav1.Time / metav1.MicroTime JSON value as Unix milliseconds; absent, null and unparsable
 * values are the zero time (the API server only stores RFC 3339 values, so the last never happens).
 */
export function timeMs(value: string | null | undefined): number {
  if (value === undefined || value === null) return ZERO_TIME_MS;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? ZERO_TIME_MS : ms;
}

export function isZeroTime(ms: number): boolean {
  return ms === ZERO_TIME_MS;
}

/** translateTimestampSince (also translateMicroTimestampSince): "<unknown>" for the zero time. */
export function translateTimestampSince(value: string | null | undefined, nowMs: number): string {
  return translateMsSince(timeMs(value), nowMs);
}

export function translateMsSince(ms: number, nowMs: number): string {
  return isZeroTime(ms) ? "<unknown>" : humanDuration(nowMs - ms);
}

/** translateTimestampUntil: the time left until `value`. */
export function translateTimestampUntil(value: string | null | undefined, nowMs: number): string {
  const ms = timeMs(value);
  return isZeroTime(ms) ? "<unknown>" : humanDuration(ms - nowMs);
}

/** time.Time.UTC().Format(time.RFC3339): seconds precision, "Z" suffix. */
export function formatRFC3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
