// SetDefaults_ResourceList (pkg/apis/core/v1/defaults.go): every quantity in a ResourceList is rounded
// up to milli scale. Go then serializes each resource.Quantity in its canonical form ("0.5" → "500m",
// "1000Mi" stays, "1.5Gi" → "1536Mi"), which the stored and returned object shows; we write that form.

import { quantityFromJSON, QuantityError, type Quantity } from "../../../spec/semantics/quantity.ts";
import { isObject } from "./json.ts";

const MILLI_SCALE = -3;

export function defaultResourceList(list: unknown): void {
  if (!isObject(list)) return;
  for (const [name, raw] of Object.entries(list)) {
    const quantity = tryQuantity(raw);
    // Not a quantity: upstream's decoder rejects the body (400); validation reports it here.
    if (quantity === undefined) continue;
    list[name] = quantity.roundUp(MILLI_SCALE).quantity.toString();
  }
}

/** The requests and limits of a ResourceRequirements-shaped object. */
export function defaultResourceRequirements(requirements: unknown): void {
  if (!isObject(requirements)) return;
  defaultResourceList(requirements["limits"]);
  defaultResourceList(requirements["requests"]);
}

export function tryQuantity(raw: unknown): Quantity | undefined {
  try {
    return quantityFromJSON(raw);
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}
