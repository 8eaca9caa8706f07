// resource.Quantity (k8s.io/apimachinery/pkg/api/resource: quantity.go, suffix.go, amount.go,
// math.go). A Quantity is an exact decimal: mantissa × 10^exponent with a bigint mantissa, never a
// float. Parsing rounds to nano precision (up, away from zero) and caps binary-SI values at
// 2^63-1 as upstream does; arithmetic is exact; toString() is upstream's canonical String().
//
// Two recent upstream fixes are followed because the old behaviour silently corrupted values:
// a decimal-SI value beyond 10^18 (and a binary-SI value beyond Ei) prints in exponent form
// instead of dropping its magnitude ("1000E" is "1e21", not "1"), and an exponent outside
// ±(2^31-1) is rejected instead of wrapping.

export type QuantityFormat = "DecimalExponent" | "BinarySI" | "DecimalSI";

/** Upstream's splitREString, quoted by ErrFormatWrong. */
export const QUANTITY_REGEXP_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

export type QuantityErrorCode = "FormatWrong" | "Numeric" | "Suffix";

const errorMessages: Readonly<Record<QuantityErrorCode, string>> = {
  FormatWrong: `quantities must match the regular expression '${QUANTITY_REGEXP_STRING}'`,
  Numeric: "unable to parse numeric part of quantity",
  Suffix: "unable to parse quantity's suffix",
};

/** A parse failure; `message` is upstream's error text (ErrFormatWrong, ErrNumeric, ErrSuffix). */
export class QuantityError extends Error {
  constructor(readonly code: QuantityErrorCode) {
    super(errorMessages[code]);
    this.name = "QuantityError";
  }
}

/** Named base-10 scales (resource.Scale). */
export const Scale = { Nano: -9, Micro: -6, Milli: -3, Kilo: 3, Mega: 6, Giga: 9, Tera: 12, Peta: 15, Exa: 18 } as const;

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT32_MAX = 2 ** 31 - 1;
/** Upstream's maxInt64Factors: inputs with more digits take the exact (inf.Dec) path. */
const MAX_INT64_FACTORS = 18;
/** Aligning two exponents further apart than this would build an absurd bigint: refuse. */
const MAX_ALIGN_DIGITS = 100_000;

const decimalSuffixExponent: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixExponent: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixByExponent = new Map(Object.entries(decimalSuffixExponent).map(([s, e]) => [e, s]));
const binarySuffixByPower = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

function pow10(n: number): bigint {
  if (n > MAX_ALIGN_DIGITS) throw new RangeError(`quantity arithmetic needs 10^${n}: exponents too far apart`);
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function digitCount(n: bigint): number {
  return n === 0n ? 1 : abs(n).toString().length;
}

/** mantissa × 10^exponent with trailing zeros moved into the exponent; zero is (0, 0). */
function normalize(mantissa: bigint, exponent: number): [bigint, number] {
  if (mantissa === 0n) return [0n, 0];
  let m = mantissa;
  let e = exponent;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return [m, e];
}

/** ceil(|m| / 10^shift) with the sign of m: upstream's RoundUp, away from zero. */
function divideRoundingAway(m: bigint, shift: number): { value: bigint; exact: boolean } {
  if (shift <= 0) return { value: m * pow10(-shift), exact: true };
  if (m === 0n) return { value: 0n, exact: true };
  if (shift > digitCount(m)) return { value: m < 0n ? -1n : 1n, exact: false };
  const divisor = pow10(shift);
  const q = abs(m) / divisor;
  const exact = abs(m) % divisor === 0n;
  const magnitude = exact ? q : q + 1n;
  return { value: m < 0n ? -magnitude : magnitude, exact };
}

function clampInt64(n: bigint): bigint {
  return n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n;
}

/** The number of factors of two in n (n ≠ 0). */
function twos(n: bigint): number {
  let count = 0;
  let v = abs(n);
  while ((v & 1n) === 0n) {
    v >>= 1n;
    count++;
  }
  return count;
}

/** The parser's way in: a parsed value may keep its input string as its serialized form. */
let makeParsed: (mantissa: bigint, exponent: number, format: QuantityFormat, cached?: string) => Quantity;

export class Quantity {
  private constructor(
    /** Normalized: not divisible by 10 unless zero. */
    private readonly mantissa: bigint,
    private readonly exponent: number,
    readonly format: QuantityFormat,
    /** The input string when upstream keeps it as the serialized form (it was canonical). */
    private readonly cached: string | undefined = undefined,
  ) {}

  private static of(mantissa: bigint, exponent: number, format: QuantityFormat, cached?: string): Quantity {
    const [m, e] = normalize(mantissa, exponent);
    return new Quantity(m, e, format, cached);
  }

  /** resource.ParseQuantity; throws QuantityError. */
  static parse(str: string): Quantity {
    return parseQuantity(str);
  }

  /** NewQuantity: an integer value. */
  static fromInt(value: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return Quantity.of(BigInt(value), 0, format);
  }

  /** NewMilliQuantity: value / 1000. */
  static fromMilli(value: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return Quantity.of(BigInt(value), -3, format);
  }

  /** NewScaledQuantity: value × 10^scale, DecimalSI. */
  static fromScaled(value: bigint | number, scale: number): Quantity {
    return Quantity.of(BigInt(value), scale, "DecimalSI");
  }

  /** NewDecimalQuantity: mantissa × 10^exponent in any format, no rounding or capping. */
  static fromDecimal(mantissa: bigint | number, exponent: number, format: QuantityFormat): Quantity {
    return Quantity.of(BigInt(mantissa), exponent, format);
  }

  static {
    makeParsed = (mantissa, exponent, format, cached) => Quantity.of(mantissa, exponent, format, cached);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.mantissa === 0n ? 0 : this.mantissa < 0n ? -1 : 1;
  }

  /** Cmp: -1, 0 or 1. Exact, without building huge numbers for far-apart magnitudes. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const sa = this.sign();
    const sb = other.sign();
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (sa === 0) return 0;
    // Same sign: compare orders of magnitude first, then align (the gap is then bounded).
    const orderA = digitCount(this.mantissa) + this.exponent;
    const orderB = digitCount(other.mantissa) + other.exponent;
    if (orderA !== orderB) return (orderA > orderB ? sa : -sa) as -1 | 1;
    const e = Math.min(this.exponent, other.exponent);
    const a = this.mantissa * pow10(this.exponent - e);
    const b = other.mantissa * pow10(other.exponent - e);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** Add: exact. A zero receiver takes the other's format (upstream keeps the non-zero suffix). */
  add(other: Quantity): Quantity {
    const format = this.isZero() ? other.format : this.format;
    if (other.isZero()) return Quantity.of(this.mantissa, this.exponent, format);
    if (this.isZero()) return Quantity.of(other.mantissa, other.exponent, format);
    const e = Math.min(this.exponent, other.exponent);
    const sum = this.mantissa * pow10(this.exponent - e) + other.mantissa * pow10(other.exponent - e);
    return Quantity.of(sum, e, format);
  }

  /** Sub: exact. A zero receiver takes the other's format. */
  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  neg(): Quantity {
    return Quantity.of(-this.mantissa, this.exponent, this.format);
  }

  /** Mul by an integer: exact. */
  mul(factor: bigint | number): Quantity {
    return Quantity.of(this.mantissa * BigInt(factor), this.exponent, this.format);
  }

  /** The same value in another format (clears any kept input string). */
  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.mantissa, this.exponent, format);
  }

  /**
   * ScaledValue: ceil(q / 10^scale), rounding away from zero, saturated to int64 (upstream's
   * int64 path saturates; its big-decimal path wraps).
   */
  scaledValue(scale: number): bigint {
    if (this.mantissa === 0n) return 0n;
    const shift = scale - this.exponent;
    if (shift <= 0) {
      // Scaling up: anything past 19 digits overflows int64 anyway.
      if (digitCount(this.mantissa) - shift > 19) return this.mantissa < 0n ? INT64_MIN : INT64_MAX;
      return clampInt64(this.mantissa * pow10(-shift));
    }
    return clampInt64(divideRoundingAway(this.mantissa, shift).value);
  }

  /** Value: the integer value rounded up (away from zero), e.g. bytes of memory. */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** MilliValue: ceil(q × 1000), e.g. milli-CPU. */
  milliValue(): bigint {
    return this.scaledValue(Scale.Milli);
  }

  /** RoundUp / AsScale: round away from zero to a multiple of 10^scale; `exact` if nothing was lost. */
  roundUp(scale: number): { quantity: Quantity; exact: boolean } {
    if (this.exponent >= scale) return { quantity: this, exact: true };
    const r = divideRoundingAway(this.mantissa, scale - this.exponent);
    return { quantity: Quantity.of(r.value, scale, this.format), exact: r.exact };
  }

  /** AsApproximateFloat64: for scoring and display only; never for decisions that must be exact. */
  asApproximateFloat64(): number {
    return Number(this.mantissa) * 10 ** this.exponent;
  }

  /** The plain decimal value, e.g. "1.5" or "-0.001" (inf.Dec.String). */
  toDecimalString(): string {
    const negative = this.mantissa < 0n;
    const digits = abs(this.mantissa).toString();
    let body: string;
    if (this.exponent >= 0) body = this.mantissa === 0n ? "0" : digits + "0".repeat(this.exponent);
    else {
      const point = digits.length + this.exponent;
      body = point > 0 ? digits.slice(0, point) + "." + digits.slice(point) : "0." + "0".repeat(-point) + digits;
    }
    return (negative ? "-" : "") + body;
  }

  /** String(): the canonical form (CanonicalizeBytes), or the parsed input when upstream keeps it. */
  toString(): string {
    if (this.cached !== undefined) return this.cached;
    if (this.mantissa === 0n) return "0";
    if (this.format === "BinarySI") {
      const binary = this.binaryString();
      if (binary !== undefined) return binary;
      return this.decimalString("DecimalSI");
    }
    return this.decimalString(this.format);
  }

  /** MarshalJSON: a JSON string. */
  toJSON(): string {
    return this.toString();
  }

  /** BinarySI text, or undefined when upstream falls back to DecimalSI (|q| < 1024 or fractional). */
  private binaryString(): string | undefined {
    const small = this.cmp(Quantity.fromInt(1024)) < 0 && this.cmp(Quantity.fromInt(-1024)) > 0;
    if (small || this.exponent < 0) return undefined;
    const powers = Math.floor((twos(this.mantissa) + this.exponent) / 10);
    // Past Ei there is no binary suffix: the exact base-10 form is used instead.
    if (powers >= binarySuffixByPower.length) return this.decimalString("DecimalExponent");
    const n = (this.mantissa * pow10(this.exponent)) >> BigInt(powers * 10);
    return n.toString() + (binarySuffixByPower[powers] ?? "");
  }

  private decimalString(format: "DecimalSI" | "DecimalExponent"): string {
    // Lower the exponent to a multiple of 3 (the suffixes step by 10^3).
    const down = ((this.exponent % 3) + 3) % 3;
    const digits = (this.mantissa * pow10(down)).toString();
    const e = this.exponent - down;
    if (format === "DecimalSI") {
      const suffix = decimalSuffixByExponent.get(e);
      if (suffix !== undefined) return digits + suffix;
    }
    return e === 0 ? digits : `${digits}e${e}`;
  }
}

// ---- parsing ----

interface Scanned {
  positive: boolean;
  /** The sign and number text as written (upstream's `value`), for the exact path. */
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

const SUFFIX_CHARS = "eEinumkKMGTP";

/** parseQuantityString: sign, integer digits (leading zeros dropped), fraction, suffix. */
function scanQuantity(str: string): Scanned {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (str.charAt(0) === "-") {
    positive = false;
    pos++;
  } else if (str.charAt(0) === "+") pos++;

  while (pos < end && str.charAt(pos) === "0") pos++;
  if (pos >= end) return { positive, value: "0", num: "0", denom: "", suffix: "" };

  let i = pos;
  while (i < end && isDigit(str.charAt(i))) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: "", suffix: "" };
  pos = i;
  if (num.length === 0) num = "0";

  let denom = "";
  if (str.charAt(pos) === ".") {
    pos++;
    i = pos;
    while (i < end && isDigit(str.charAt(i))) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: "" };
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_CHARS.includes(str.charAt(i))) i++;
  if (i < end && (str.charAt(i) === "-" || str.charAt(i) === "+")) i++;
  while (i < end && isDigit(str.charAt(i))) i++;
  if (i < end) throw new QuantityError("FormatWrong");
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

/** suffixer.interpret. */
function interpretSuffix(suffix: string): Suffix | undefined {
  const dec = decimalSuffixExponent[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: "DecimalSI" };
  const bin = binarySuffixExponent[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: "BinarySI" };
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E")) {
    // strconv.ParseInt(s, 10, 64) then the int32 scale bound.
    const text = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
    const parsed = BigInt(text);
    if (parsed > BigInt(INT32_MAX) || parsed < BigInt(-INT32_MAX)) return undefined;
    return { base: 10, exponent: Number(parsed), format: "DecimalExponent" };
  }
  return undefined;
}

/** resource.ParseQuantity: throws QuantityError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError("FormatWrong");
  if (str === "0") return makeParsed(0n, 0, "DecimalSI", "0");

  const scanned = scanQuantity(str);
  const suffix = interpretSuffix(scanned.suffix);
  if (suffix === undefined) throw new QuantityError("Suffix");
  return fastPath(str, scanned, suffix) ?? exactPath(scanned, suffix);
}

/**
 * Upstream's int64 fast path: few digits, at most nano precision, no overflow. It alone keeps the
 * input string as the serialized form, when that string already looks canonical.
 */
function fastPath(str: string, s: Scanned, suffix: Suffix): Quantity | undefined {
  let scale = 0;
  let precision: number;
  let multiplier = 1n;
  if (suffix.base === 10) {
    scale = suffix.exponent;
    precision = MAX_INT64_FACTORS - (s.num.length + s.denom.length);
  } else if (suffix.exponent >= 0 && s.denom.length === 0) {
    multiplier = 1n << BigInt(suffix.exponent);
    precision = 15 - s.num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision < 0) return undefined;
  scale -= s.denom.length;
  if (scale < Scale.Nano) return undefined;

  const shifted = s.num + s.denom;
  const digits = BigInt(shifted);
  let result = digits * multiplier;
  if (result > INT64_MAX) return undefined;
  if (!s.positive) result = -result;

  const canonical =
    suffix.format === "BinarySI"
      ? suffix.exponent % 10 === 0 && (digits & 7n) !== 0n
      : scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
  return makeParsed(result, scale, suffix.format, canonical ? str : undefined);
}

/** Upstream's inf.Dec path: exact value, rounded up to nano, binary SI capped at 2^63-1. */
function exactPath(s: Scanned, suffix: Suffix): Quantity {
  const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(s.value);
  const intDigits = match?.[2] ?? "";
  const fracDigits = match?.[3] ?? "";
  if (match === null || intDigits.length + fracDigits.length === 0) throw new QuantityError("Numeric");

  let mantissa = BigInt(intDigits + fracDigits);
  let exponent = -fracDigits.length;
  if (suffix.base === 10) exponent += suffix.exponent;
  else mantissa <<= BigInt(suffix.exponent);

  // Round non-zero values up to 1n: asking for some resource should give some resource.
  if (exponent < Scale.Nano) {
    mantissa = divideRoundingAway(mantissa, Scale.Nano - exponent).value;
    exponent = Scale.Nano;
  }
  let format = suffix.format;
  if (format === "BinarySI") {
    const capped = Quantity.fromInt(INT64_MAX);
    if (Quantity.fromDecimal(mantissa, exponent, "DecimalSI").cmp(capped) > 0) {
      mantissa = INT64_MAX;
      exponent = 0;
    }
    const value = Quantity.fromDecimal(mantissa, exponent, "DecimalSI");
    if (value.sign() > 0 && value.cmp(Quantity.fromInt(1)) < 0) format = "DecimalSI";
  }
  return makeParsed(s.positive ? mantissa : -mantissa, exponent, format);
}

export type QuantityParseResult = { ok: true; quantity: Quantity } | { ok: false; error: QuantityError };

export function tryParseQuantity(str: string): QuantityParseResult {
  try {
    return { ok: true, quantity: parseQuantity(str) };
  } catch (e) {
    if (e instanceof QuantityError) return { ok: false, error: e };
    throw e;
  }
}

/**
 * UnmarshalJSON: a JSON string (surrounding whitespace trimmed) or number; null is zero. Numbers
 * arrive already converted by JSON.parse, so their written form (e.g. 1e3) is not preserved.
 */
export function quantityFromJSON(raw: unknown): Quantity {
  if (raw === null) return Quantity.fromInt(0);
  if (typeof raw === "string") return parseQuantity(raw.trim());
  if (typeof raw === "number" && Number.isFinite(raw)) return parseQuantity(String(raw));
  throw new QuantityError("FormatWrong");
}
