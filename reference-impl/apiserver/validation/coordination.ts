// coordination.k8s.io/v1 Lease (pkg/apis/coordination/validation). Leases use apimachinery's
// ValidateObjectMeta directly, so finalizer names are not checked against the kube list.

import { type FieldError, type FieldPath, forbidden, invalid, notSupported } from "../../../spec/semantics/field-errors.ts";
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from "../../../spec/semantics/validation.ts";
import { type Json, metaOf, numOrUndef, path, qualifiedName, rec, strOrUndef } from "./common.ts";

const LEASE_STRATEGIES = ["OldestEmulationVersion"];

function validateLeaseSpec(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const duration = numOrUndef(spec["leaseDurationSeconds"]);
  if (duration !== undefined && duration <= 0) errs.push(invalid(p.child("leaseDurationSeconds"), duration, "must be greater than 0"));
  const transitions = numOrUndef(spec["leaseTransitions"]);
  if (transitions !== undefined && transitions < 0) {
    errs.push(invalid(p.child("leaseTransitions"), transitions, "must be greater than or equal to 0"));
  }
  const strategy = strOrUndef(spec["strategy"]);
  if (strategy !== undefined) {
    // A Kubernetes-defined strategy, or a domain-qualified custom one.
    if (!strategy.includes("/")) {
      if (!LEASE_STRATEGIES.includes(strategy)) errs.push(notSupported(p.child("strategy"), strategy, LEASE_STRATEGIES));
    } else errs.push(...qualifiedName(strategy, p.child("strategy")));
  }
  const preferred = strOrUndef(spec["preferredHolder"]);
  if (preferred !== undefined && preferred !== "" && (strategy === undefined || strategy === "")) {
    errs.push(forbidden(p.child("preferredHolder"), "may only be specified if `strategy` is defined"));
  }
  return errs;
}

export function validateLease(lease: Json): FieldError[] {
  return [
    ...validateObjectMeta(metaOf(lease), { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateLeaseSpec(rec(lease["spec"]), path("spec")),
  ];
}

export function validateLeaseUpdate(lease: Json, old: Json): FieldError[] {
  return [...validateObjectMetaUpdate(metaOf(lease), metaOf(old), path("metadata")), ...validateLeaseSpec(rec(lease["spec"]), path("spec"))];
}
