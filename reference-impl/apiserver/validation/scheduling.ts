// scheduling.k8s.io/v1 PriorityClass (pkg/apis/scheduling/validation): user classes may not exceed
// one billion, and the "system-" prefix is reserved for the two built-in classes.

import { type FieldError, forbidden, invalid } from "../../../spec/semantics/field-errors.ts";
import { nameIsDNSSubdomain } from "../../../spec/semantics/validation.ts";
import { type Json, metaOf, num, path, strOrUndef, validateCoreObjectMeta, validateCoreObjectMetaUpdate } from "./common.ts";
import { pointerBadValue } from "./go-syntax.ts";
import { validatePreemptionPolicy } from "./pod-spec.ts";

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
const SYSTEM_PREFIX = "system-";

/** The built-in classes: system-node-critical and system-cluster-critical. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  "system-node-critical": SYSTEM_CRITICAL_PRIORITY + 1000,
  "system-cluster-critical": SYSTEM_CRITICAL_PRIORITY,
};

function knownSystemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const expected = SYSTEM_PRIORITY_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (expected !== value) return `value of ${name} PriorityClass must be ${expected}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: Json): FieldError[] {
  const meta = metaOf(pc);
  const name = meta.name ?? "";
  const value = num(pc["value"]);
  const errs = validateCoreObjectMeta(meta, false, nameIsDNSSubdomain);
  if (name.startsWith(SYSTEM_PREFIX)) {
    const err = knownSystemClassError(name, value, pc["globalDefault"] === true);
    if (err !== undefined) {
      errs.push(
        forbidden(path("metadata", "name"), `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${err}`),
      );
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden(path("value"), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = strOrUndef(pc["preemptionPolicy"]);
  if (policy !== undefined) errs.push(...validatePreemptionPolicy(policy, path("preemptionPolicy")));
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are immutable. */
export function validatePriorityClassUpdate(pc: Json, old: Json): FieldError[] {
  const errs = validateCoreObjectMetaUpdate(metaOf(pc), metaOf(old));
  if (num(pc["value"]) !== num(old["value"])) errs.push(forbidden(path("value"), "may not be changed in an update."));
  const policy = strOrUndef(pc["preemptionPolicy"]);
  if (policy !== strOrUndef(old["preemptionPolicy"])) errs.push(invalid(path("preemptionPolicy"), pointerBadValue(policy), "field is immutable"));
  return errs;
}
