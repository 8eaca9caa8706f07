// Services (pkg/apis/core/validation: ValidateService, ValidateServiceUpdate and the dual-stack
// cluster IP rules). Validation sees the object after the service REST layer has synced
// clusterIP into clusterIPs, allocated IPs and node ports, and carried allocated values over on
// update; `normalizeClusterIPs` does the first of these for callers that have not.

import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  NIL_STRING_SLICE,
  notSupported,
  required,
} from "../../../spec/semantics/field-errors.ts";
import { goQuote } from "../../../spec/semantics/go-compat.ts";
import { isValidIP, isValidPortNum, nameIsDNS1035Label, validateLabels } from "../../../spec/semantics/validation.ts";
import {
  arr,
  dns1123Label,
  dns1123Subdomain,
  isDualStack,
  isIPv6String,
  isValidCIDR,
  type Json,
  metaOf,
  num,
  numOrUndef,
  path,
  qualifiedName,
  rec,
  recOrUndef,
  str,
  strMap,
  strOrUndef,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
  validateNonSpecialIP,
} from "./common.ts";
import { validatePortNumOrName } from "./containers.ts";
import { goIntOrString, goSyntax, pointerBadValue } from "./go-syntax.ts";

const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const TOPOLOGY_MODE = "service.kubernetes.io/topology-mode";
const TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints";
const LB_SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

interface Svc {
  readonly meta: Json;
  readonly spec: Json;
  readonly type: string;
  readonly clusterIPs: readonly string[];
  /** Whether clusterIPs is set at all (nil and empty print differently). */
  readonly hasClusterIPs: boolean;
}

/** The service REST layer keeps clusterIPs[0] == clusterIP; an unset list follows clusterIP. */
export function normalizeClusterIPs(spec: Json): string[] | undefined {
  const list = arr(spec["clusterIPs"]).map(String);
  if (list.length > 0) return list;
  const ip = str(spec["clusterIP"]);
  return ip !== "" ? [ip] : spec["clusterIPs"] === undefined ? undefined : [];
}

function svcOf(obj: Json): Svc {
  const spec = rec(obj["spec"]);
  const ips = normalizeClusterIPs(spec);
  return { meta: rec(obj["metadata"]), spec, type: str(spec["type"]), clusterIPs: ips ?? [], hasClusterIPs: ips !== undefined };
}

function ipsBadValue(s: Svc): readonly string[] | typeof NIL_STRING_SLICE {
  return s.hasClusterIPs ? s.clusterIPs : NIL_STRING_SLICE;
}

function isHeadless(s: Svc): boolean {
  return s.clusterIPs.length === 1 && s.clusterIPs[0] === "None";
}

function externallyAccessible(s: Svc): boolean {
  return s.type === "LoadBalancer" || s.type === "NodePort" || (s.type === "ClusterIP" && arr(s.spec["externalIPs"]).length > 0);
}

function needsHealthCheck(s: Svc): boolean {
  return s.type === "LoadBalancer" && str(s.spec["externalTrafficPolicy"]) === "Local";
}

function goIPFamilies(families: readonly string[]): string {
  return `[]core.IPFamily{${families.map(goQuote).join(", ")}}`;
}

/** core.ServicePort{Protocol, Port} as %#v prints the duplicate-port key. */
function goServicePortKey(protocol: string, port: number): string {
  return (
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
    `TargetPort:${goIntOrString(0)}, NodePort:0}`
  );
}

function validateServicePort(sp: Json, requireName: boolean, names: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp["name"]);
  if (requireName && name.length === 0) errs.push(required(p.child("name"), ""));
  else if (name.length !== 0) {
    errs.push(...dns1123Label(name, p.child("name")));
    if (names.has(name)) errs.push(duplicate(p.child("name"), name));
    else names.add(name);
  }
  const port = num(sp["port"]);
  errs.push(...isValidPortNum(port).map((m) => invalid(p.child("port"), port, m)));
  const protocol = str(sp["protocol"]);
  if (protocol.length === 0) errs.push(required(p.child("protocol"), ""));
  else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(p.child("protocol"), protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(sp["targetPort"], p.child("targetPort")));
  const appProtocol = strOrUndef(sp["appProtocol"]);
  if (appProtocol !== undefined) errs.push(...qualifiedName(appProtocol, p.child("appProtocol")));
  return errs;
}

function validateClusterIPsRelatedFields(s: Svc): FieldError[] {
  if (s.type === "ExternalName") return [];
  const errs: FieldError[] = [];
  const specPath = path("spec");
  const ipsPath = specPath.child("clusterIPs");
  const familiesPath = specPath.child("ipFamilies");
  const clusterIP = str(s.spec["clusterIP"]);
  if (clusterIP.length !== 0) {
    if (s.clusterIPs.length === 0) errs.push(required(ipsPath, ""));
    else if (s.clusterIPs[0] !== clusterIP) errs.push(invalid(ipsPath, ipsBadValue(s), "first value must match `clusterIP`"));
  } else if (s.clusterIPs.length !== 0) {
    errs.push(invalid(ipsPath, ipsBadValue(s), "must be empty when `clusterIP` is not specified"));
  }
  const families = arr(s.spec["ipFamilies"]).map(String);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== "IPv4" && f !== "IPv6") errs.push(notSupported(familiesPath.index(i), f, ["IPv4", "IPv6"]));
    if (seen.has(f)) errs.push(duplicate(familiesPath.index(i), f));
    seen.add(f);
  });
  const policy = strOrUndef(s.spec["ipFamilyPolicy"]);
  const policies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
  if (policy !== undefined && !policies.includes(policy)) errs.push(notSupported(specPath.child("ipFamilyPolicy"), policy, policies));
  let hasInvalidIPs = false;
  s.clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (s.clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(invalid(ipsPath, ipsBadValue(s), "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = isValidIP(ipsPath.index(i), ip);
    hasInvalidIPs = hasInvalidIPs || ipErrs.length > 0;
    errs.push(...ipErrs);
  });
  if (s.clusterIPs.length > 2) errs.push(invalid(ipsPath, ipsBadValue(s), "may only hold up to 2 values"));
  if (hasInvalidIPs) return errs;
  if (s.clusterIPs.length > 1 && !isDualStack(s.clusterIPs)) {
    errs.push(invalid(ipsPath, ipsBadValue(s), "may specify no more than one IP for each IP family"));
  }
  if (!isHeadless(s) && s.clusterIPs.length > 0 && families.length > 0) {
    s.clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === "IPv4" && isIPv6String(ip)) {
        errs.push(invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === "IPv6" && !isIPv6String(ip)) {
        errs.push(invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

function validateLoadBalancerClass(s: Svc, old: Svc | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const p = path("spec", "loadBalancerClass");
  const cls = strOrUndef(s.spec["loadBalancerClass"]);
  if (old !== undefined && old.type === "LoadBalancer" && s.type === "LoadBalancer") {
    if (strOrUndef(old.spec["loadBalancerClass"]) !== cls) errs.push(invalid(p, pointerBadValue(cls), "may not change once set"));
  }
  if (s.type === "LoadBalancer") {
    if (cls !== undefined) errs.push(...qualifiedName(cls, p));
  } else if (cls !== undefined) {
    errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateTrafficPolicies(s: Svc): FieldError[] {
  const errs: FieldError[] = [];
  const specPath = path("spec");
  const etp = str(s.spec["externalTrafficPolicy"]);
  if (!externallyAccessible(s)) {
    if (etp !== "") errs.push(invalid(specPath.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
  } else if (etp === "") {
    errs.push(required(specPath.child("externalTrafficPolicy"), ""));
  } else if (etp !== "Cluster" && etp !== "Local") {
    errs.push(notSupported(specPath.child("externalTrafficPolicy"), etp, ["Cluster", "Local"]));
  }
  const hcnp = num(s.spec["healthCheckNodePort"]);
  const hcPath = specPath.child("healthCheckNodePort");
  if (!needsHealthCheck(s)) {
    if (hcnp !== 0) {
      errs.push(invalid(hcPath, hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (hcnp === 0) errs.push(required(hcPath, ""));
  else errs.push(...isValidPortNum(hcnp).map((m) => invalid(hcPath, hcnp, m)));
  const itp = strOrUndef(s.spec["internalTrafficPolicy"]);
  if (itp === undefined) {
    if (s.type === "NodePort" || s.type === "LoadBalancer" || s.type === "ClusterIP") {
      errs.push(required(specPath.child("internalTrafficPolicy"), ""));
    }
  } else if (itp !== "Cluster" && itp !== "Local") {
    errs.push(notSupported(specPath.child("internalTrafficPolicy"), itp, ["Cluster", "Local"]));
  }
  const distribution = strOrUndef(s.spec["trafficDistribution"]);
  if (distribution !== undefined && distribution !== "PreferClose") {
    errs.push(notSupported(specPath.child("trafficDistribution"), distribution, ["PreferClose"]));
  }
  return errs;
}

function validateServiceBody(s: Svc, old: Svc | undefined): FieldError[] {
  const metaPath = path("metadata");
  const specPath = path("spec");
  const errs = validateCoreObjectMeta(metaOf({ metadata: s.meta }), true, nameIsDNS1035Label, metaPath);
  const annotations = strMap(s.meta["annotations"]) ?? {};
  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(invalid(metaPath.child("annotations").key(TOPOLOGY_MODE), mode, `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));
  }
  const ports = arr(s.spec["ports"]).map(rec);
  if (ports.length === 0 && !isHeadless(s) && s.type !== "ExternalName") errs.push(required(specPath.child("ports"), ""));
  if ((s.type === "LoadBalancer" || s.type === "NodePort") && isHeadless(s)) {
    errs.push(invalid(specPath.child("clusterIPs").index(0), s.clusterIPs[0] ?? "", `may not be set to 'None' for ${s.type} services`));
  }
  if (s.type === "ExternalName") {
    if (s.clusterIPs.length > 0) errs.push(forbidden(specPath.child("clusterIPs"), "may not be set for ExternalName services"));
    if (arr(s.spec["ipFamilies"]).length > 0) errs.push(forbidden(specPath.child("ipFamilies"), "may not be set for ExternalName services"));
    if (s.spec["ipFamilyPolicy"] !== undefined && s.spec["ipFamilyPolicy"] !== null) {
      errs.push(forbidden(specPath.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
    }
    const externalName = str(s.spec["externalName"]);
    const cname = externalName.endsWith(".") ? externalName.slice(0, -1) : externalName;
    if (cname.length > 0) errs.push(...dns1123Subdomain(cname, specPath.child("externalName")));
    else errs.push(required(specPath.child("externalName"), ""));
  }
  const names = new Set<string>();
  ports.forEach((sp, i) => errs.push(...validateServicePort(sp, ports.length > 1, names, specPath.child("ports").index(i))));
  const selector = strMap(s.spec["selector"]);
  if (selector !== undefined) errs.push(...validateLabels(selector, specPath.child("selector")));
  const affinity = str(s.spec["sessionAffinity"]);
  if (affinity.length === 0) errs.push(required(specPath.child("sessionAffinity"), ""));
  else if (affinity !== "ClientIP" && affinity !== "None") errs.push(notSupported(specPath.child("sessionAffinity"), affinity, ["ClientIP", "None"]));
  const affinityConfig = recOrUndef(s.spec["sessionAffinityConfig"]);
  const configPath = specPath.child("sessionAffinityConfig");
  if (affinity === "ClientIP") {
    const clientIP = recOrUndef(affinityConfig?.["clientIP"]);
    const timeout = numOrUndef(clientIP?.["timeoutSeconds"]);
    if (affinityConfig === undefined) errs.push(required(configPath, "when session affinity type is ClientIP"));
    else if (clientIP === undefined) errs.push(required(configPath.child("clientIP"), "when session affinity type is ClientIP"));
    else if (timeout === undefined) {
      errs.push(required(configPath.child("clientIP").child("timeoutSeconds"), "when session affinity type is ClientIP"));
    } else if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
      errs.push(
        invalid(configPath.child("clientIP").child("timeoutSeconds"), timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`),
      );
    }
  } else if (affinity === "None" && affinityConfig !== undefined) {
    errs.push(forbidden(configPath, "must not be set when session affinity is None"));
  }
  errs.push(...validateClusterIPsRelatedFields(s));
  arr(s.spec["externalIPs"]).forEach((raw, i) => {
    const ip = String(raw);
    const at = specPath.child("externalIPs").index(i);
    const ipErrs = isValidIP(at, ip);
    errs.push(...(ipErrs.length > 0 ? ipErrs : validateNonSpecialIP(ip, at)));
  });
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (s.type.length === 0) errs.push(required(specPath.child("type"), ""));
  else if (!types.includes(s.type)) errs.push(notSupported(specPath.child("type"), s.type, types));
  if (s.type === "ClusterIP") {
    ports.forEach((sp, i) => {
      if (num(sp["nodePort"]) !== 0) {
        errs.push(forbidden(specPath.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
      }
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((sp, i) => {
    const nodePort = num(sp["nodePort"]);
    if (nodePort === 0) return;
    const key = `${str(sp["protocol"])}/${nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(specPath.child("ports").index(i).child("nodePort"), nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((sp, i) => {
    const key = `${str(sp["protocol"])}/${num(sp["port"])}`;
    if (portKeys.has(key)) {
      errs.push(duplicate(specPath.child("ports").index(i), goSyntax(goServicePortKey(str(sp["protocol"]), num(sp["port"])))));
    }
    portKeys.add(key);
  });
  const ranges = arr(s.spec["loadBalancerSourceRanges"]).map(String);
  const annotationRanges = annotations[LB_SOURCE_RANGES_ANNOTATION];
  if (ranges.length > 0) {
    // Upstream spells this path with a capital L.
    const rangesPath = specPath.child("LoadBalancerSourceRanges");
    if (s.type !== "LoadBalancer") errs.push(forbidden(rangesPath, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...isValidCIDR(rangesPath.index(i), r.trim())));
  } else if (annotationRanges !== undefined) {
    const annPath = path("metadata", "annotations").key(LB_SOURCE_RANGES_ANNOTATION);
    if (s.type !== "LoadBalancer") errs.push(forbidden(annPath, "may only be used when `type` is 'LoadBalancer'"));
    const val = annotationRanges.trim();
    if (val !== "") for (const cidr of val.split(",")) errs.push(...isValidCIDR(annPath, cidr.trim()));
  }
  const allocate = s.spec["allocateLoadBalancerNodePorts"];
  const hasAllocate = allocate !== undefined && allocate !== null;
  if (hasAllocate && s.type !== "LoadBalancer") {
    errs.push(forbidden(specPath.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.type === "LoadBalancer" && !hasAllocate) errs.push(required(path("allocateLoadBalancerNodePorts"), ""));
  errs.push(...validateLoadBalancerClass(s, old));
  errs.push(...validateTrafficPolicies(s));
  return errs;
}

/** ValidateServiceCreate. */
export function validateServiceCreate(obj: Json): FieldError[] {
  return validateServiceBody(svcOf(obj), undefined);
}

function validateUpgradeDowngradeClusterIPs(old: Svc, s: Svc): FieldError[] {
  if (s.type === "ExternalName" || old.type === "ExternalName") return [];
  if (isHeadless(old) && isHeadless(s)) return [];
  const errs: FieldError[] = [];
  const ipsPath = path("spec", "clusterIPs");
  const value = ipsBadValue(s);
  if (old.clusterIPs.length === s.clusterIPs.length) {
    old.clusterIPs.forEach((ip, i) => {
      if (ip !== s.clusterIPs[i]) errs.push(invalid(ipsPath.index(i), value, "may not change once set"));
    });
  } else if (old.clusterIPs.length > s.clusterIPs.length) {
    if (s.clusterIPs.length === 0) errs.push(invalid(ipsPath.index(0), value, "primary clusterIP can not be unset"));
    if (old.clusterIPs.length > 0 && s.clusterIPs.length > 0 && s.clusterIPs[0] !== old.clusterIPs[0]) {
      errs.push(invalid(ipsPath.index(0), value, "may not change once set"));
    }
    const policy = strOrUndef(s.spec["ipFamilyPolicy"]);
    if (s.clusterIPs.length === 1 && policy !== "SingleStack") {
      errs.push(invalid(path("spec", "ipFamilyPolicy"), pointerBadValue(policy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (old.clusterIPs.length > 0 && s.clusterIPs[0] !== old.clusterIPs[0]) {
    errs.push(invalid(ipsPath.index(0), value, "may not change once set"));
  }
  return errs;
}

function validateUpgradeDowngradeIPFamilies(old: Svc, s: Svc): FieldError[] {
  if (s.type === "ExternalName" || old.type === "ExternalName") return [];
  if (isHeadless(old) !== isHeadless(s) || isHeadless(s)) return [];
  const errs: FieldError[] = [];
  const familiesPath = path("spec", "ipFamilies").index(0);
  const oldFamilies = arr(old.spec["ipFamilies"]).map(String);
  const newFamilies = arr(s.spec["ipFamilies"]).map(String);
  const familiesValue = goSyntax(goIPFamilies(newFamilies));
  if (oldFamilies.length === newFamilies.length) {
    oldFamilies.forEach((f, i) => {
      if (f !== newFamilies[i]) errs.push(invalid(familiesPath, familiesValue, "may not change once set"));
    });
  } else if (oldFamilies.length > newFamilies.length) {
    if (s.clusterIPs.length === 0) errs.push(invalid(familiesPath, familiesValue, "primary ipFamily can not be unset"));
    if (newFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) errs.push(invalid(familiesPath, ipsBadValue(s), "may not change once set"));
    const policy = strOrUndef(s.spec["ipFamilyPolicy"]);
    if (newFamilies.length === 1 && policy !== "SingleStack") {
      errs.push(invalid(path("spec", "ipFamilyPolicy"), pointerBadValue(policy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFamilies.length > 0 && newFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) {
    errs.push(invalid(familiesPath, ipsBadValue(s), "may not change once set"));
  }
  return errs;
}

/** ValidateServiceUpdate: cluster IPs and families may only be upgraded/downgraded, then ValidateService. */
export function validateServiceUpdate(newObj: Json, oldObj: Json): FieldError[] {
  const s = svcOf(newObj);
  const old = svcOf(oldObj);
  const errs = validateCoreObjectMetaUpdate(metaOf(newObj), metaOf(oldObj));
  errs.push(...validateUpgradeDowngradeClusterIPs(old, s));
  errs.push(...validateUpgradeDowngradeIPFamilies(old, s));
  errs.push(...validateLoadBalancerClass(s, old));
  if (needsHealthCheck(old) && needsHealthCheck(s) && num(s.spec["healthCheckNodePort"]) !== num(old.spec["healthCheckNodePort"])) {
    errs.push(forbidden(path("spec", "healthCheckNodePort"), "field is immutable"));
  }
  errs.push(...validateServiceBody(s, undefined));
  return errs;
}
