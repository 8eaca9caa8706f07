// Kubernetes' CEL list library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted(), sum(),
// min(), max(), indexOf(), lastIndexOf(). Upstream type-checks element types; here lists are
// dynamic (objects come from JSON), so the checks happen per element at evaluation: comparing a map
// or summing strings is an error naming the offending types. Numbers compare across int, uint and
// double (CrossTypeNumericComparisons, on since Kubernetes 1.29); a sum of ints and doubles is a
// double; an empty list sums to int 0.
import { EvaluationError, type Environment } from "@marcbachmann/cel-js";
import { Quantity } from "../../spec/semantics/quantity.ts";

const int64Max = (1n << 63n) - 1n;
const int64Min = -(1n << 63n);

interface DurationLike {
  readonly seconds: bigint;
  readonly nanos: number;
  addDuration(other: DurationLike): DurationLike;
}

function isDuration(value: unknown): value is DurationLike {
  return typeof value === "object" && value !== null && typeof (value as { addDuration?: unknown }).addDuration === "function";
}

/** cel-js represents uint as an object whose valueOf() is a BigInt. */
function isUint(value: unknown): value is { valueOf(): bigint } {
  return (
    typeof value === "object" &&
    value !== null &&
    value.constructor?.name === "UnsignedInt" &&
    typeof (value as { valueOf(): unknown }).valueOf() === "bigint"
  );
}

function numeric(value: unknown): bigint | number | undefined {
  if (typeof value === "bigint" || typeof value === "number") return value;
  if (isUint(value)) return value.valueOf();
  return undefined;
}

export function celTypeName(value: unknown): string {
  if (typeof value === "bigint") return "int";
  if (typeof value === "number") return "double";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (value === null) return "null_type";
  if (Array.isArray(value)) return "list";
  if (value instanceof Uint8Array) return "bytes";
  if (value instanceof Date) return "google.protobuf.Timestamp";
  if (isDuration(value)) return "google.protobuf.Duration";
  if (isUint(value)) return "uint";
  if (value instanceof Quantity) return "Quantity";
  return "map";
}

function compareNumbers(a: bigint | number, b: bigint | number): -1 | 0 | 1 {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Code point order, as Go compares UTF-8 strings (UTF-16 order differs above U+FFFF). */
function compareStrings(a: string, b: string): -1 | 0 | 1 {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const cx = (x[i] as string).codePointAt(0) as number;
    const cy = (y[i] as string).codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** CEL ordering of two comparable values; an error for values without an order between them. */
export function celCompare(a: unknown, b: unknown, fn: string): -1 | 0 | 1 {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return compareNumbers(x, y);
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Date && b instanceof Date) return compareNumbers(a.getTime(), b.getTime());
  if (isDuration(a) && isDuration(b)) {
    const bySeconds = compareNumbers(a.seconds, b.seconds);
    return bySeconds !== 0 ? bySeconds : compareNumbers(a.nanos, b.nanos);
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  throw new EvaluationError(`${fn}: cannot compare ${celTypeName(a)} with ${celTypeName(b)}`);
}

/** CEL equality: numbers across types, lists and maps structurally, quantities by value. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return compareNumbers(x, y) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => celEquals(item, b[i]));
  if (a instanceof Quantity) return b instanceof Quantity && a.cmp(b) === 0;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isDuration(a)) return isDuration(b) && a.seconds === b.seconds && a.nanos === b.nanos;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && compareBytes(a, b) === 0;
  if (a instanceof Map || b instanceof Map) return mapEquals(entriesOf(a), entriesOf(b));
  if (isPlainMap(a) && isPlainMap(b)) return mapEquals(entriesOf(a), entriesOf(b));
  return false;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value.constructor === Object || value.constructor === undefined);
}

function entriesOf(value: unknown): Map<unknown, unknown> | undefined {
  if (value instanceof Map) return value;
  return isPlainMap(value) ? new Map(Object.entries(value)) : undefined;
}

function mapEquals(a: Map<unknown, unknown> | undefined, b: Map<unknown, unknown> | undefined): boolean {
  if (a === undefined || b === undefined || a.size !== b.size) return false;
  for (const [key, value] of a) if (!b.has(key) || !celEquals(value, b.get(key))) return false;
  return true;
}

function isSorted(list: readonly unknown[]): boolean {
  for (let i = 1; i < list.length; i++) if (celCompare(list[i - 1], list[i], "isSorted") > 0) return false;
  return true;
}

function extreme(list: readonly unknown[], fn: "min" | "max"): unknown {
  if (list.length === 0) throw new EvaluationError(`${fn} called on empty list`);
  let best = list[0];
  for (const item of list.slice(1)) {
    const c = celCompare(best, item, fn);
    if ((fn === "min" && c > 0) || (fn === "max" && c < 0)) best = item;
  }
  return best;
}

function sum(list: readonly unknown[]): unknown {
  if (list.length === 0) return 0n;
  if (list.every(isDuration)) return list.slice(1).reduce((acc: DurationLike, d) => acc.addDuration(d), list[0] as DurationLike);
  if (list.every((item) => typeof item === "bigint")) {
    const total = (list as bigint[]).reduce((acc, n) => acc + n, 0n);
    if (total > int64Max || total < int64Min) throw new EvaluationError("sum: integer overflow");
    return total;
  }
  if (list.every((item) => isUint(item))) {
    const Ctor = (list[0] as object).constructor as new (value: bigint) => unknown;
    return new Ctor(list.reduce((acc: bigint, n) => acc + (n as { valueOf(): bigint }).valueOf(), 0n));
  }
  let total = 0;
  for (const item of list) {
    const n = numeric(item);
    if (n === undefined) throw new EvaluationError(`sum: cannot add ${celTypeName(item)}; sum() takes numbers or durations`);
    total += Number(n);
  }
  return total;
}

function indexOf(list: readonly unknown[], item: unknown): bigint {
  return BigInt(list.findIndex((x) => celEquals(x, item)));
}

function lastIndexOf(list: readonly unknown[], item: unknown): bigint {
  return BigInt(list.findLastIndex((x) => celEquals(x, item)));
}

export function registerListsLibrary(env: Environment): void {
  env
    .registerFunction("list.isSorted(): bool", isSorted)
    .registerFunction("list.sum(): dyn", sum)
    .registerFunction("list.min(): dyn", (list: unknown[]) => extreme(list, "min"))
    .registerFunction("list.max(): dyn", (list: unknown[]) => extreme(list, "max"))
    .registerFunction("list.indexOf(dyn): int", indexOf)
    .registerFunction("list.lastIndexOf(dyn): int", lastIndexOf);
}
