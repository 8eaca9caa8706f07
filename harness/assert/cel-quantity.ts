// Kubernetes' CEL quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go) over
// spec/semantics/quantity: quantity(), isQuantity(), comparisons, add/sub/mul and conversions.
// Equality of two quantities compares their values (quantity("200M") == quantity("0.2G")).
//
// Not provided: div() and divInt() (QuoRound semantics). isInteger()/asInteger() accept any exact
// int64 value; upstream also refuses a value written with a fractional scale ("1000m").
import { EvaluationError, type Environment } from "@marcbachmann/cel-js";
import { Quantity, QuantityError, parseQuantity } from "../../spec/semantics/quantity.ts";

const int64Max = Quantity.fromInt((1n << 63n) - 1n);
const int64Min = Quantity.fromInt(-(1n << 63n));

function toQuantity(text: string): Quantity {
  try {
    return parseQuantity(text);
  } catch (e) {
    if (e instanceof QuantityError) throw new EvaluationError(e.message);
    throw e;
  }
}

function isInteger(q: Quantity): boolean {
  return q.roundUp(0).exact && q.cmp(int64Max) <= 0 && q.cmp(int64Min) >= 0;
}

function asInteger(q: Quantity): bigint {
  if (!isInteger(q)) throw new EvaluationError("cannot convert value to integer");
  return q.value();
}

export function registerQuantityLibrary(env: Environment): void {
  env
    .registerType("Quantity", { ctor: Quantity, fields: {} })
    .registerFunction("quantity(string): Quantity", toQuantity)
    .registerFunction("isQuantity(string): bool", (s: string) => {
      try {
        parseQuantity(s);
        return true;
      } catch {
        return false;
      }
    })
    // Upstream declares sign as a global overload; its docs write the member form. Both work.
    .registerFunction("sign(Quantity): int", (q: Quantity) => BigInt(q.sign()))
    .registerFunction("Quantity.sign(): int", (q: Quantity) => BigInt(q.sign()))
    .registerFunction("Quantity.isGreaterThan(Quantity): bool", (a: Quantity, b: Quantity) => a.cmp(b) === 1)
    .registerFunction("Quantity.isLessThan(Quantity): bool", (a: Quantity, b: Quantity) => a.cmp(b) === -1)
    .registerFunction("Quantity.compareTo(Quantity): int", (a: Quantity, b: Quantity) => BigInt(a.cmp(b)))
    .registerFunction("Quantity.asApproximateFloat(): double", (q: Quantity) => q.asApproximateFloat64())
    .registerFunction("Quantity.isInteger(): bool", isInteger)
    .registerFunction("Quantity.asInteger(): int", asInteger)
    .registerFunction("Quantity.add(Quantity): Quantity", (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction("Quantity.add(int): Quantity", (a: Quantity, n: bigint) => a.add(Quantity.fromInt(n, "DecimalExponent")))
    .registerFunction("Quantity.sub(Quantity): Quantity", (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction("Quantity.sub(int): Quantity", (a: Quantity, n: bigint) => a.sub(Quantity.fromInt(n, "DecimalExponent")))
    .registerFunction("Quantity.mul(int): Quantity", (a: Quantity, n: bigint) => a.mul(n))
    .registerOperator("Quantity == Quantity", (a: Quantity, b: Quantity) => a.cmp(b) === 0);
}
