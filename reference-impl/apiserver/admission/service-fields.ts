// The pure parts of the service REST layer (pkg/registry/core/service/storage): keeping clusterIP
// and clusterIPs in step, carrying allocated values over on update, defaulting the IP family
// fields on this single-stack IPv4 cluster, and dropping fields a type change made meaningless
// (the strategy's dropTypeDependentFields).
import { type FieldError, FieldPath, invalid as fieldInvalid } from "../../../spec/semantics/field-errors.ts";
import { type Json, arr, num, rec, records, str } from "./json.ts";
import { isIPv6, parseIPv4 } from "./ranges.ts";

export const CLUSTER_IP_NONE = "None";

export function serviceType(spec: Json): string {
  return str(spec.type) === "" ? "ClusterIP" : str(spec.type);
}

export function clusterIPsOf(spec: Json): string[] {
  return arr(spec.clusterIPs).map((v) => String(v));
}

export function needsClusterIP(spec: Json): boolean {
  return serviceType(spec) !== "ExternalName";
}

export function needsNodePort(spec: Json): boolean {
  const t = serviceType(spec);
  return t === "NodePort" || t === "LoadBalancer";
}

/** apiservice.NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheckNodePort(spec: Json): boolean {
  return serviceType(spec) === "LoadBalancer" && str(spec.externalTrafficPolicy) === "Local";
}

/** shouldAllocateNodePorts: NodePort always, LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function shouldAllocateNodePorts(spec: Json): boolean {
  const t = serviceType(spec);
  return t === "NodePort" || (t === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
}

export function isHeadless(spec: Json): boolean {
  const ips = clusterIPsOf(spec);
  return ips[0] === CLUSTER_IP_NONE || (ips.length === 0 && str(spec.clusterIP) === CLUSTER_IP_NONE);
}

/** The node ports a service holds (its ports' and its health check's). */
export function nodePortsOf(spec: Json): number[] {
  const out = records(spec.ports)
    .map((p) => num(p.nodePort) ?? 0)
    .filter((n) => n !== 0);
  const hc = num(spec.healthCheckNodePort) ?? 0;
  if (hc !== 0) out.push(hc);
  return out;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** normalizeClusterIPs: make clusterIP and clusterIPs agree before anyone reads them. */
export function normalizeClusterIPs(spec: Json, oldSpec: Json | undefined): void {
  const ip = str(spec.clusterIP);
  const ips = clusterIPsOf(spec);
  if (oldSpec === undefined) {
    if (ip !== "" && ips.length === 0) spec.clusterIPs = [ip];
    return;
  }
  const oldIPs = clusterIPsOf(oldSpec);
  const same = sameStrings(ips, oldIPs);
  // clusterIP was cleared and clusterIPs left as they were: clear clusterIPs too.
  if (ip === "" && oldIPs.length > 0 && same) delete spec.clusterIPs;
  // clusterIP was changed and clusterIPs left as they were: follow clusterIP.
  const oldIP = str(oldSpec.clusterIP);
  if (oldIP !== "" && ip !== oldIP && ips.length > 0 && same) spec.clusterIPs = [ip, ...ips.slice(1)];
}

/** patchAllocatedValues: values the client left out on update keep what was allocated. */
export function patchAllocatedValues(spec: Json, oldSpec: Json): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (str(spec.clusterIP) === "" && oldSpec.clusterIP !== undefined) spec.clusterIP = oldSpec.clusterIP;
    if (clusterIPsOf(spec).length === 0 && clusterIPsOf(oldSpec).length > 0) spec.clusterIPs = [...clusterIPsOf(oldSpec)];
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const portNumbers = (s: Json): Set<number> => new Set(records(s.ports).map((p) => num(p.nodePort) ?? 0).filter((n) => n !== 0));
    const oldUsed = portNumbers(oldSpec);
    const newUsed = portNumbers(spec);
    const byName = new Map(records(oldSpec.ports).map((p) => [str(p.name), num(p.nodePort) ?? 0]));
    for (const p of records(spec.ports)) {
      if ((num(p.nodePort) ?? 0) !== 0) continue;
      const old = byName.get(str(p.name)) ?? 0;
      // A value the new spec already uses elsewhere is not copied.
      if (old !== 0 && !(oldUsed.has(old) && newUsed.has(old))) p.nodePort = old;
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec) && (num(spec.healthCheckNodePort) ?? 0) === 0) {
    if (oldSpec.healthCheckNodePort !== undefined) spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/**
 * initIPFamilyFields for a cluster serving only IPv4: defaults ipFamilyPolicy and ipFamilies, or
 * returns the field errors upstream reports (422) for what this cluster cannot serve.
 */
export function initIPFamilyFields(spec: Json, oldSpec: Json | undefined): FieldError[] {
  if (!needsClusterIP(spec)) return [];
  const ips = clusterIPsOf(spec);
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    if (oldSpec !== undefined && typeof oldSpec.ipFamilyPolicy === "string") spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
    else if (str(spec.clusterIP) === CLUSTER_IP_NONE && Object.keys(rec(spec.selector)).length === 0) spec.ipFamilyPolicy = "RequireDualStack";
    else spec.ipFamilyPolicy = "SingleStack";
  }
  const policy = str(spec.ipFamilyPolicy);
  const families = arr(spec.ipFamilies).map((v) => String(v));
  const errs: FieldError[] = [];
  const policyPath = FieldPath.of("spec", "ipFamilyPolicy");
  if (oldSpec !== undefined && policy === "SingleStack") {
    if (sameStrings(ips, clusterIPsOf(oldSpec)) && ips.length > 1) spec.clusterIPs = ips.slice(0, 1);
    const oldFamilies = arr(oldSpec.ipFamilies).map((v) => String(v));
    if (sameStrings(families, oldFamilies) && families.length > 1) families.splice(1);
  }
  if (policy === "SingleStack") {
    if (clusterIPsOf(spec).length === 2) errs.push(fieldInvalid(policyPath, policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (families.length === 2) errs.push(fieldInvalid(policyPath, policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  clusterIPsOf(spec).forEach((ip, i) => {
    if (ip === CLUSTER_IP_NONE || i < families.length) return;
    if (isIPv6(ip)) errs.push(fieldInvalid(FieldPath.of("spec", "clusterIPs").index(i), clusterIPsOf(spec), "IPv6 is not configured on this cluster"));
    else families.push("IPv4");
  });
  if (errs.length > 0) return errs;
  if (str(spec.clusterIP) === CLUSTER_IP_NONE && Object.keys(rec(spec.selector)).length === 0) {
    // Headless and selectorless: any family may be asked for, even on a single-stack cluster.
    if (families.length === 0) families.push("IPv4");
    if (families.length < 2 && policy !== "SingleStack") families.push(families[0] === "IPv4" ? "IPv6" : "IPv4");
    spec.ipFamilies = families;
    return [];
  }
  if (policy === "RequireDualStack") errs.push(fieldInvalid(policyPath, policy, "this cluster is not configured for dual-stack services"));
  families.forEach((f, i) => {
    if (f !== "IPv4") errs.push(fieldInvalid(FieldPath.of("spec", "ipFamilies").index(i), f, "not configured on this cluster"));
  });
  if (errs.length > 0) return errs;
  spec.ipFamilies = families.length === 0 ? ["IPv4"] : families;
  return [];
}

/** Whether every clusterIP is "None" or a parseable address (otherwise validation reports it). */
export function clusterIPsWellFormed(spec: Json): boolean {
  const ips = clusterIPsOf(spec);
  const ip = str(spec.clusterIP);
  if (ip !== "" && ip !== CLUSTER_IP_NONE && parseIPv4(ip) === undefined && !isIPv6(ip)) return false;
  return ips.every((v) => v === CLUSTER_IP_NONE || parseIPv4(v) !== undefined || isIPv6(v));
}

/** dropTypeDependentFields: on a type change, fields the user did not touch and no longer need go. */
export function dropTypeDependentFields(spec: Json, oldSpec: Json): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (sameStrings(clusterIPsOf(spec), clusterIPsOf(oldSpec)) && str(spec.clusterIP) === str(oldSpec.clusterIP)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameStrings(arr(spec.ipFamilies).map(String), arr(oldSpec.ipFamilies).map(String))) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
    const newPorts = records(spec.ports).map((p) => num(p.nodePort) ?? 0);
    const oldPorts = records(oldSpec.ports).map((p) => num(p.nodePort) ?? 0);
    if (newPorts.length === oldPorts.length && newPorts.every((n, i) => n === oldPorts[i])) {
      for (const p of records(spec.ports)) delete p.nodePort;
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  const wasLB = serviceType(oldSpec) === "LoadBalancer";
  if (wasLB && serviceType(spec) !== "LoadBalancer") {
    if (typeof spec.allocateLoadBalancerNodePorts === "boolean" && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  const trafficPolicyApplies = (s: Json): boolean => needsNodePort(s) || (serviceType(s) === "ClusterIP" && arr(s.externalIPs).length > 0);
  if (trafficPolicyApplies(oldSpec) && !trafficPolicyApplies(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
}

