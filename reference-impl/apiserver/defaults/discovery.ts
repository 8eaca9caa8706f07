// discovery.k8s.io/v1 defaulting (pkg/apis/discovery/v1/defaults.go) and endpointSliceStrategy's
// PrepareForCreate (pkg/registry/discovery/endpointslice/strategy.go), Kubernetes v1.32.

import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { setGenerationOne } from "./strategy.ts";
import { ensureObject, isNil, objectOr, objectsOf, type JsonObject } from "./json.ts";

/** SetObjectDefaults_EndpointSlice: every port gets name "" and protocol TCP when nil. */
export function setObjectDefaultsEndpointSlice(slice: EndpointSlice): void {
  for (const port of objectsOf(slice.ports)) {
    if (isNil(port.name)) port.name = "";
    if (isNil(port.protocol)) port.protocol = "TCP";
  }
  // A struct in Go: always serialized, `conditions: {}` when empty.
  for (const endpoint of objectsOf(slice.endpoints)) ensureObject(endpoint, "conditions");
}

/**
 * endpointSliceStrategy.PrepareForCreate: generation 1; a v1 request cannot write the deprecated
 * topology (on create there is no previous node name to carry over); hints.forNodes is dropped while
 * PreferSameTrafficDistribution is off (it does not exist before v1.33).
 */
export function prepareEndpointSliceForCreate(slice: EndpointSlice): void {
  setGenerationOne(slice);
  for (const endpoint of objectsOf(slice.endpoints)) {
    delete endpoint.deprecatedTopology;
    const hints = objectOr(endpoint.hints) as JsonObject | undefined;
    if (hints !== undefined) delete hints["forNodes"];
  }
}
