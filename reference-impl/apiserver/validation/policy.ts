// policy/v1 PodDisruptionBudget (pkg/apis/policy/validation). Its metadata is checked by the
// generic registry code (rest.BeforeCreate/BeforeUpdate), not by ValidatePodDisruptionBudget.

import { type FieldError, invalid, notSupported } from "../../../spec/semantics/field-errors.ts";
import { type MetaLabelSelector, validateLabelSelector } from "../../../spec/semantics/labels.ts";
import { type Json, path, rec, recOrUndef, strOrUndef } from "./common.ts";
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from "./apps.ts";

/** ValidatePodDisruptionBudget (used on create and, since spec updates are allowed, on update). */
export function validatePodDisruptionBudget(pdb: Json): FieldError[] {
  const spec = rec(pdb["spec"]);
  const p = path("spec");
  const errs: FieldError[] = [];
  const minAvailable = spec["minAvailable"];
  const maxUnavailable = spec["maxUnavailable"];
  const set = (v: unknown): boolean => v !== undefined && v !== null;
  if (set(minAvailable) && set(maxUnavailable)) {
    // Upstream prints the spec struct with %#v (including pointer addresses); JSON is shown instead.
    errs.push(invalid(p, { json: spec }, "minAvailable and maxUnavailable cannot be both set"));
  }
  if (set(minAvailable)) {
    errs.push(...validatePositiveIntOrPercent(minAvailable, p.child("minAvailable")));
    errs.push(...isNotMoreThan100Percent(minAvailable, p.child("minAvailable")));
  }
  if (set(maxUnavailable)) {
    errs.push(...validatePositiveIntOrPercent(maxUnavailable, p.child("maxUnavailable")));
    errs.push(...isNotMoreThan100Percent(maxUnavailable, p.child("maxUnavailable")));
  }
  errs.push(...validateLabelSelector(recOrUndef(spec["selector"]) as MetaLabelSelector | undefined, p.child("selector")));
  const policy = strOrUndef(spec["unhealthyPodEvictionPolicy"]);
  if (policy !== undefined && policy !== "AlwaysAllow" && policy !== "IfHealthyBudget") {
    errs.push(notSupported(p.child("unhealthyPodEvictionPolicy"), policy, ["AlwaysAllow", "IfHealthyBudget"]));
  }
  return errs;
}
