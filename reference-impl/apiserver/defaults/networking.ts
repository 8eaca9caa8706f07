// networking.k8s.io/v1: Ingress has no defaulter (pkg/apis/networking/v1/defaults.go defaults only
// NetworkPolicy and IngressClass, which are not served here); ingressStrategy clears status and
// starts the generation on create.

import type { Ingress } from "kubernetes-types/networking/v1.js";
import { setGenerationOne } from "./strategy.ts";
import { ensureObject, resetStatus } from "./json.ts";

/** No defaulter; the spec is a Go struct, so it is always serialized. */
export function setObjectDefaultsIngress(ingress: Ingress): void {
  ensureObject(ingress, "spec");
}

/** ingressStrategy.PrepareForCreate; Go's empty IngressStatus carries loadBalancer: {}. */
export function prepareIngressForCreate(ingress: Ingress): void {
  resetStatus(ingress, { loadBalancer: {} });
  setGenerationOne(ingress);
}
