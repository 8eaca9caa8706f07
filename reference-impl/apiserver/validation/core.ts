// The smaller core/v1 kinds (pkg/apis/core/validation): Namespace, Node, ConfigMap, Secret,
// ServiceAccount, Endpoints, LimitRange, ResourceQuota. Create and update validators return
// what the registry strategies return (rest.BeforeCreate/BeforeUpdate add the generic checks).

import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from "../../../spec/semantics/field-errors.ts";
import { goQuote, sortedGoStrings, utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import {
  isQualifiedName,
  isValidIP,
  isValidLabelValue,
  isValidPortNum,
  nameIsDNSSubdomain,
  validateLabelName,
  validateNamespaceName,
} from "../../../spec/semantics/validation.ts";
import { Quantity } from "../../../spec/semantics/quantity.ts";
import {
  arr,
  dns1123Label,
  FIELD_IMMUTABLE,
  isConfigMapKey,
  isOvercommitAllowed,
  isStandardQuotaResourceName,
  isValidCIDR,
  isDualStack,
  type Json,
  metaOf,
  num,
  path,
  qualifiedName,
  quantityDecodeError,
  quantityOf,
  rec,
  recOrUndef,
  sortedEntries,
  str,
  strMap,
  strOrUndef,
  validateContainerResourceName,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
  validateNonSpecialIP,
  validateResourceName,
  validateResourceQuantityValue,
} from "./common.ts";
import { strictEqual } from "./equality.ts";
import { goSyntax } from "./go-syntax.ts";
import { validateTaintEffect } from "./pod-spec.ts";

const MAX_SECRET_SIZE = 1024 * 1024;
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

// ---- Namespace ----

function validateFinalizerName(name: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(p, name, m));
  if (name.split("/").length === 1 && !["kubernetes", "orphan", "foregroundDeletion"].includes(name)) {
    errs.push(invalid(p, name, "name is neither a standard finalizer name nor is it fully qualified"));
  }
  return errs;
}

export function validateNamespace(ns: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(ns), false, validateNamespaceName);
  for (const f of arr(rec(ns["spec"])["finalizers"])) errs.push(...validateFinalizerName(String(f), path("spec", "finalizers")));
  return errs;
}

export function validateNamespaceUpdate(ns: Json, old: Json): FieldError[] {
  return [...validateNamespace(ns), ...validateCoreObjectMetaUpdate(metaOf(ns), metaOf(old))];
}

// ---- Node ----

function goTaint(t: Json): string {
  const added = t["timeAdded"] === undefined || t["timeAdded"] === null ? "(*v1.Time)(nil)" : `&v1.Time{${str(t["timeAdded"])}}`;
  return `core.Taint{Key:${goQuote(str(t["key"]))}, Value:${goQuote(str(t["value"]))}, Effect:${goQuote(str(t["effect"]))}, TimeAdded:${added}}`;
}

export function validateNodeTaints(taints: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Map<string, Set<string>>();
  taints.forEach((raw, i) => {
    const t = rec(raw);
    const idx = p.index(i);
    const key = str(t["key"]);
    const value = str(t["value"]);
    const effect = str(t["effect"]);
    errs.push(...validateLabelName(key, idx.child("key")));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length > 0) errs.push(invalid(idx.child("value"), value, valueErrs.join(";")));
    errs.push(...validateTaintEffect(effect, false, idx.child("effect")));
    if (unique.get(effect)?.has(key) === true) {
      errs.push({ ...duplicate(idx, goSyntax(goTaint(t))), detail: "taints must be unique by key and effect pair" });
      return;
    }
    if (!unique.has(effect)) unique.set(effect, new Set());
    unique.get(effect)?.add(key);
  });
  return errs;
}

function validateNodeSpecificAnnotations(annotations: Record<string, string>, p: FieldPath): FieldError[] {
  const text = annotations["scheduler.alpha.kubernetes.io/taints"] ?? "";
  if (text === "") return [];
  let taints: unknown;
  try {
    taints = JSON.parse(text);
  } catch (e) {
    return [invalid(p, "scheduler.alpha.kubernetes.io/taints", e instanceof Error ? e.message : String(e))];
  }
  return Array.isArray(taints) && taints.length > 0 ? validateNodeTaints(taints, p.child("scheduler.alpha.kubernetes.io/taints")) : [];
}

function validateNodeResources(node: Json): FieldError[] {
  const errs: FieldError[] = [];
  const status = rec(node["status"]);
  for (const kind of ["capacity", "allocatable"]) {
    for (const [k, raw] of sortedEntries(rec(status[kind]))) {
      const at = path("status", kind, k);
      const q = quantityOf(raw);
      errs.push(...("error" in q ? [quantityDecodeError(at, raw, q.error)] : validateResourceQuantityValue(k, q.q, at)));
    }
  }
  return errs;
}

export function validateNode(node: Json): FieldError[] {
  const metaPath = path("metadata");
  const meta = metaOf(node);
  const spec = rec(node["spec"]);
  const errs = validateCoreObjectMeta(meta, false, nameIsDNSSubdomain, metaPath);
  errs.push(...validateNodeSpecificAnnotations(strMap(meta.annotations) ?? {}, metaPath.child("annotations")));
  const taints = arr(spec["taints"]);
  // Upstream reports node taints under metadata.taints (sic).
  if (taints.length > 0) errs.push(...validateNodeTaints(taints, metaPath.child("taints")));
  errs.push(...validateNodeResources(node));
  const cidrs = arr(spec["podCIDRs"]).map(String);
  if (cidrs.length > 0) {
    const cidrsPath = path("spec", "podCIDRs");
    cidrs.forEach((c, i) => errs.push(...isValidCIDR(cidrsPath.index(i), c)));
    if (cidrs.length > 1) {
      const allValid = cidrs.every((c) => isValidCIDR(cidrsPath, c).length === 0);
      if (allValid && (!isDualStack(cidrs.map((c) => c.slice(0, c.indexOf("/")))) || cidrs.length > 2)) {
        errs.push(invalid(cidrsPath, cidrs, "may specify no more than one CIDR for each IP family"));
      }
      const seen = new Set<string>();
      cidrs.forEach((c, i) => {
        if (seen.has(c)) errs.push(duplicate(cidrsPath.index(i), c));
        seen.add(c);
      });
    }
  }
  return errs;
}

/** The node strategy validates the new node, then the update rules. */
export function validateNodeUpdate(node: Json, old: Json): FieldError[] {
  const metaPath = path("metadata");
  const spec = rec(node["spec"]);
  const oldSpec = rec(old["spec"]);
  const errs = validateNode(node);
  errs.push(...validateCoreObjectMetaUpdate(metaOf(node), metaOf(old), metaPath));
  errs.push(...validateNodeSpecificAnnotations(strMap(metaOf(node).annotations) ?? {}, metaPath.child("annotations")));
  errs.push(...validateNodeResources(node));
  const seen: Json[] = [];
  arr(rec(node["status"])["addresses"]).forEach((raw, i) => {
    const addr = rec(raw);
    if (seen.some((s) => strictEqual(s, addr))) {
      errs.push(duplicate(path("status", "addresses").index(i), goSyntax(`core.NodeAddress{Type:${goQuote(str(addr["type"]))}, Address:${goQuote(str(addr["address"]))}}`)));
    }
    seen.push(addr);
  });
  const oldCIDRs = arr(oldSpec["podCIDRs"]).map(String);
  const newCIDRs = arr(spec["podCIDRs"]).map(String);
  const cidrMessage = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(forbidden(path("spec", "podCIDRs"), cidrMessage));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(forbidden(path("spec", "podCIDRs"), cidrMessage)));
  }
  const oldProvider = str(oldSpec["providerID"]);
  if (oldProvider.length > 0 && oldProvider !== str(spec["providerID"])) {
    errs.push(forbidden(path("spec", "providerID"), 'node updates may not change providerID except from "" to valid'));
  }
  const taints = arr(spec["taints"]);
  if (taints.length > 0) errs.push(...validateNodeTaints(taints, metaPath.child("taints")));
  if (str(spec["externalID"]) !== str(oldSpec["externalID"])) errs.push(forbidden(path("spec", "externalID"), "may not be updated"));
  return errs;
}

// ---- ConfigMap and Secret ----

function base64Length(v: unknown): number {
  const s = str(v).replace(/=+$/, "");
  return Math.floor((s.length * 3) / 4);
}

export function validateConfigMap(cm: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(cm), true, nameIsDNSSubdomain);
  const data = rec(cm["data"]);
  const binary = rec(cm["binaryData"]);
  let total = 0;
  for (const [key, value] of sortedEntries(data)) {
    const at = path("data").key(key);
    errs.push(...isConfigMapKey(key).map((m) => invalid(at, key, m)));
    if (key in binary) errs.push(invalid(at, key, "duplicate of key present in binaryData"));
    total += utf8ByteLength(str(value));
  }
  for (const [key, value] of sortedEntries(binary)) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(path("binaryData").key(key), key, m)));
    total += base64Length(value);
  }
  // An empty path: the error refers to the whole object.
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(path(""), "", MAX_SECRET_SIZE));
  return errs;
}

function immutableFlagErrors(obj: Json, old: Json, fields: readonly string[]): FieldError[] {
  if (old["immutable"] !== true) return [];
  const errs: FieldError[] = [];
  if (obj["immutable"] !== true) errs.push(forbidden(path("immutable"), "field is immutable when `immutable` is set"));
  for (const f of fields) {
    if (!strictEqual(obj[f], old[f])) errs.push(forbidden(path(f), "field is immutable when `immutable` is set"));
  }
  return errs;
}

export function validateConfigMapUpdate(cm: Json, old: Json): FieldError[] {
  return [
    ...validateCoreObjectMetaUpdate(metaOf(cm), metaOf(old)),
    ...immutableFlagErrors(cm, old, ["data", "binaryData"]),
    ...validateConfigMap(cm),
  ];
}

/** v1 → internal conversion folds stringData into data before validation. */
function secretData(secret: Json): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [k, v] of Object.entries(rec(secret["data"]))) sizes.set(k, base64Length(v));
  for (const [k, v] of Object.entries(rec(secret["stringData"]))) sizes.set(k, utf8ByteLength(str(v)));
  return sizes;
}

function secretValue(secret: Json, key: string): string | undefined {
  const fromString = strOrUndef(rec(secret["stringData"])[key]);
  if (fromString !== undefined) return fromString;
  const b64 = strOrUndef(rec(secret["data"])[key]);
  return b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8");
}

function jsonObjectError(text: string): string | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "json: cannot unmarshal into Go value of type map[string]interface {}";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function validateSecret(secret: Json): FieldError[] {
  const meta = metaOf(secret);
  const errs = validateCoreObjectMeta(meta, true, nameIsDNSSubdomain);
  const dataPath = path("data");
  const sizes = secretData(secret);
  let total = 0;
  for (const key of sortedGoStrings(sizes.keys())) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(dataPath.key(key), key, m)));
    total += sizes.get(key) ?? 0;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(dataPath, "", MAX_SECRET_SIZE));
  const has = (k: string): boolean => sizes.has(k);
  switch (str(secret["type"])) {
    case "kubernetes.io/service-account-token":
      if ((strMap(meta.annotations)?.["kubernetes.io/service-account.name"] ?? "") === "") {
        errs.push(required(path("metadata", "annotations").key("kubernetes.io/service-account.name"), ""));
      }
      break;
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const key = str(secret["type"]) === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      const value = secretValue(secret, key);
      if (value === undefined) errs.push(required(dataPath.key(key), ""));
      else {
        const err = jsonObjectError(value);
        if (err !== undefined) errs.push(invalid(dataPath.key(key), "<secret contents redacted>", err));
      }
      break;
    }
    case "kubernetes.io/basic-auth":
      if (!has("username") && !has("password")) {
        errs.push(required(dataPath.key("username"), ""), required(dataPath.key("password"), ""));
      }
      break;
    case "kubernetes.io/ssh-auth":
      if ((sizes.get("ssh-privatekey") ?? 0) === 0) errs.push(required(dataPath.key("ssh-privatekey"), ""));
      break;
    case "kubernetes.io/tls":
      if (!has("tls.crt")) errs.push(required(dataPath.key("tls.crt"), ""));
      if (!has("tls.key")) errs.push(required(dataPath.key("tls.key"), ""));
      break;
    default:
  }
  return errs;
}

export function validateSecretUpdate(secret: Json, old: Json): FieldError[] {
  const errs = validateCoreObjectMetaUpdate(metaOf(secret), metaOf(old));
  if (str(secret["type"]) !== str(old["type"])) errs.push(invalid(path("type"), str(secret["type"]), FIELD_IMMUTABLE));
  errs.push(...immutableFlagErrors(secret, old, ["data"]));
  errs.push(...validateSecret(secret));
  return errs;
}

// ---- ServiceAccount ----

export function validateServiceAccount(sa: Json): FieldError[] {
  return validateCoreObjectMeta(metaOf(sa), true, nameIsDNSSubdomain);
}

export function validateServiceAccountUpdate(sa: Json, old: Json): FieldError[] {
  return [...validateCoreObjectMetaUpdate(metaOf(sa), metaOf(old)), ...validateServiceAccount(sa)];
}

// ---- Endpoints ----

function validateEndpointAddress(addr: Json, p: FieldPath): FieldError[] {
  const ip = str(addr["ip"]);
  const errs = isValidIP(p.child("ip"), ip);
  const hostname = str(addr["hostname"]);
  if (hostname.length > 0) errs.push(...dns1123Label(hostname, p.child("hostname")));
  const nodeName = strOrUndef(addr["nodeName"]);
  if (nodeName !== undefined) errs.push(...nameIsDNSSubdomain(nodeName, false).map((m) => invalid(p.child("nodeName"), nodeName, m)));
  errs.push(...validateNonSpecialIP(ip, p.child("ip")));
  return errs;
}

function validateEndpointPort(port: Json, requireName: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port["name"]);
  if (requireName && name.length === 0) errs.push(required(p.child("name"), ""));
  else if (name.length !== 0) errs.push(...dns1123Label(name, p.child("name")));
  const n = num(port["port"]);
  errs.push(...isValidPortNum(n).map((m) => invalid(p.child("port"), n, m)));
  const protocol = str(port["protocol"]);
  if (protocol.length === 0) errs.push(required(p.child("protocol"), ""));
  else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(p.child("protocol"), protocol, PROTOCOLS));
  const appProtocol = strOrUndef(port["appProtocol"]);
  if (appProtocol !== undefined) errs.push(...qualifiedName(appProtocol, p.child("appProtocol")));
  return errs;
}

export function validateEndpoints(ep: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(ep), true, nameIsDNSSubdomain);
  arr(ep["subsets"]).forEach((raw, i) => {
    const ss = rec(raw);
    const at = path("subsets").index(i);
    const addresses = arr(ss["addresses"]);
    const notReady = arr(ss["notReadyAddresses"]);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(at, "must specify `addresses` or `notReadyAddresses`"));
    addresses.forEach((a, j) => errs.push(...validateEndpointAddress(rec(a), at.child("addresses").index(j))));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(rec(a), at.child("notReadyAddresses").index(j))));
    const ports = arr(ss["ports"]);
    ports.forEach((pt, j) => errs.push(...validateEndpointPort(rec(pt), ports.length > 1, at.child("ports").index(j))));
  });
  return errs;
}

export function validateEndpointsUpdate(ep: Json, old: Json): FieldError[] {
  return [...validateCoreObjectMetaUpdate(metaOf(ep), metaOf(old)), ...validateEndpoints(ep)];
}

// ---- LimitRange ----

function validateLimitRangeTypeName(value: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(value).map((m) => invalid(p, value, m));
  if (errs.length > 0) return errs;
  if (value.split("/").length === 1 && !["Pod", "Container", "PersistentVolumeClaim"].includes(value)) {
    return [invalid(p, value, "must be a standard limit type or fully qualified")];
  }
  return [];
}

function validateLimitRangeResourceName(limitType: string, value: string, p: FieldPath): FieldError[] {
  return limitType === "Pod" || limitType === "Container" ? validateContainerResourceName(value, p) : validateResourceName(value, p);
}

function quantities(m: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, raw] of sortedEntries(rec(m))) {
    const q = quantityOf(raw);
    if ("q" in q) out.set(k, q.q);
  }
  return out;
}

const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;
const ONE = Quantity.fromInt(1);

function formatFloat6(v: number): string {
  return Number.isFinite(v) ? v.toFixed(6) : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
}

export function validateLimitRange(lr: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(lr), true, nameIsDNSSubdomain);
  const limitsPath = path("spec", "limits");
  const types = new Set<string>();
  arr(rec(lr["spec"])["limits"]).forEach((raw, i) => {
    const limit = rec(raw);
    const at = limitsPath.index(i);
    const type = str(limit["type"]);
    errs.push(...validateLimitRangeTypeName(type, at.child("type")));
    if (types.has(type)) errs.push(duplicate(at.child("type"), type));
    types.add(type);
    const keys = new Set<string>();
    const collect = (field: string): Map<string, Quantity> => {
      for (const [k] of sortedEntries(rec(limit[field]))) {
        errs.push(...validateLimitRangeResourceName(type, k, at.child(field).key(k)));
        keys.add(k);
      }
      return quantities(limit[field]);
    };
    const max = collect("max");
    const min = collect("min");
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === "Pod") {
      if (Object.keys(rec(limit["default"])).length > 0) errs.push(forbidden(at.child("default"), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(rec(limit["defaultRequest"])).length > 0) {
        errs.push(forbidden(at.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
      }
    } else {
      defaults = collect("default");
      defaultRequests = collect("defaultRequest");
    }
    if (type === "PersistentVolumeClaim" && !min.has("storage") && !max.has("storage")) {
      errs.push(required(at.child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
    }
    const ratios = collect("maxLimitRequestRatio");
    for (const k of sortedGoStrings(keys)) {
      const mn = min.get(k);
      const mx = max.get(k);
      const def = defaults.get(k);
      const defReq = defaultRequests.get(k);
      const ratio = ratios.get(k);
      const s = (q: Quantity): string => q.toString();
      if (mn && mx && mn.cmp(mx) > 0) errs.push(invalid(at.child("min").key(k), s(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (defReq && mn && mn.cmp(defReq) > 0) {
        errs.push(invalid(at.child("defaultRequest").key(k), s(defReq), `min value ${s(mn)} is greater than default request value ${s(defReq)}`));
      }
      if (defReq && mx && defReq.cmp(mx) > 0) {
        errs.push(invalid(at.child("defaultRequest").key(k), s(defReq), `default request value ${s(defReq)} is greater than max value ${s(mx)}`));
      }
      if (defReq && def && defReq.cmp(def) > 0) {
        errs.push(invalid(at.child("defaultRequest").key(k), s(defReq), `default request value ${s(defReq)} is greater than default limit value ${s(def)}`));
      }
      if (def && mn && mn.cmp(def) > 0) errs.push(invalid(at.child("default").key(k), s(mn), `min value ${s(mn)} is greater than default value ${s(def)}`));
      if (def && mx && def.cmp(mx) > 0) errs.push(invalid(at.child("default").key(k), s(mx), `default value ${s(def)} is greater than max value ${s(mx)}`));
      if (ratio && ratio.cmp(ONE) < 0) {
        errs.push(invalid(at.child("maxLimitRequestRatio").key(k), s(ratio), `ratio ${s(ratio)} is less than 1`));
      }
      if (ratio && mn && mx) {
        let ratioValue = Number(ratio.value());
        let minValue = Number(mn.value());
        let maxValue = Number(mx.value());
        if (ratio.value() < MAX_MILLI_VALUE && mn.value() < MAX_MILLI_VALUE && mx.value() < MAX_MILLI_VALUE) {
          ratioValue = Number(ratio.milliValue()) / 1000;
          minValue = Number(mn.milliValue());
          maxValue = Number(mx.milliValue());
        }
        const limitRatio = maxValue / minValue;
        if (ratioValue > limitRatio) {
          errs.push(invalid(at.child("maxLimitRequestRatio").key(k), s(ratio), `ratio ${s(ratio)} is greater than max/min = ${formatFloat6(limitRatio)}`));
        }
      }
      if (!isOvercommitAllowed(k) && def && defReq && def.cmp(defReq) !== 0) {
        errs.push(invalid(at.child("defaultRequest").key(k), s(defReq), `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`));
      }
    }
  });
  return errs;
}

// ---- ResourceQuota ----

const STANDARD_QUOTA_SCOPES = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"];
const POD_OBJECT_COUNT = new Set(["pods"]);
const POD_COMPUTE = new Set(["cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"]);

function scopeValidForResource(scope: string, resource: string): boolean {
  if (["Terminating", "NotTerminating", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"].includes(scope)) {
    return POD_OBJECT_COUNT.has(resource) || POD_COMPUTE.has(resource);
  }
  if (scope === "BestEffort") return POD_OBJECT_COUNT.has(resource);
  return true;
}

function validateQuotaResourceName(value: string, p: FieldPath): FieldError[] {
  const errs = validateResourceName(value, p);
  if (value.split("/").length === 1 && !isStandardQuotaResourceName(value)) {
    errs.push(invalid(p, value, "must be a standard resource for quota"));
  }
  return errs;
}

function validateQuotaResourceList(m: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, raw] of sortedEntries(rec(m))) {
    const at = p.key(k);
    errs.push(...validateQuotaResourceName(k, at));
    const q = quantityOf(raw);
    errs.push(...("error" in q ? [quantityDecodeError(at, raw, q.error)] : validateResourceQuantityValue(k, q.q, at)));
  }
  return errs;
}

function goScopes(scopes: readonly string[]): string {
  return `[]core.ResourceQuotaScope{${scopes.map(goQuote).join(", ")}}`;
}

function conflictingScopes(scopes: ReadonlySet<string>, p: FieldPath, bad: ReturnType<typeof goSyntax>): FieldError[] {
  const errs: FieldError[] = [];
  for (const [a, b] of [["BestEffort", "NotBestEffort"], ["Terminating", "NotTerminating"]] as const) {
    if (scopes.has(a) && scopes.has(b)) errs.push(invalid(p, bad, "conflicting scopes"));
  }
  return errs;
}

function validateQuotaSpec(spec: Json, p: FieldPath): FieldError[] {
  const errs = validateQuotaResourceList(spec["hard"], p.child("hard"));
  const hard = sortedGoStrings(Object.keys(rec(spec["hard"])));
  const scopes = arr(spec["scopes"]).map(String);
  const scopesValue = goSyntax(goScopes(scopes));
  if (scopes.length > 0) {
    const scopesPath = p.child("scopes");
    for (const scope of scopes) {
      if (!STANDARD_QUOTA_SCOPES.includes(scope)) errs.push(invalid(scopesPath, scopesValue, "unsupported scope"));
      for (const k of hard) {
        if (isStandardQuotaResourceName(k) && !scopeValidForResource(scope, k)) {
          errs.push(invalid(scopesPath, scopesValue, "unsupported scope applied to resource"));
        }
      }
    }
    errs.push(...conflictingScopes(new Set(scopes), scopesPath, scopesValue));
  }
  const selector = recOrUndef(spec["scopeSelector"]);
  if (selector !== undefined) {
    const exprPath = p.child("scopeSelector").child("matchExpressions");
    const names = new Set<string>();
    for (const raw of arr(selector["matchExpressions"])) {
      const req = rec(raw);
      const scope = str(req["scopeName"]);
      const op = str(req["operator"]);
      const values = arr(req["values"]).map(String);
      if (!STANDARD_QUOTA_SCOPES.includes(scope)) errs.push(invalid(exprPath.child("scopeName"), scope, "unsupported scope"));
      for (const k of hard) {
        if (isStandardQuotaResourceName(k) && !scopeValidForResource(scope, k)) {
          errs.push(invalid(exprPath, { json: selector }, "unsupported scope applied to resource"));
        }
      }
      if (["BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity"].includes(scope) && op !== "Exists") {
        errs.push(
          invalid(
            exprPath.child("operator"),
            op,
            "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
          ),
        );
      }
      if (op === "In" || op === "NotIn") {
        if (values.length === 0) {
          errs.push(required(exprPath.child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        }
      } else if (op === "Exists" || op === "DoesNotExist") {
        if (values.length !== 0) {
          errs.push(invalid(exprPath.child("values"), values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        }
      } else errs.push(invalid(exprPath.child("operator"), op, "not a valid selector operator"));
      names.add(scope);
    }
    errs.push(...conflictingScopes(names, exprPath, scopesValue));
  }
  return errs;
}

export function validateResourceQuota(rq: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(rq), true, nameIsDNSSubdomain);
  errs.push(...validateQuotaSpec(rec(rq["spec"]), path("spec")));
  const status = rec(rq["status"]);
  errs.push(...validateQuotaResourceList(status["hard"], path("status", "hard")));
  errs.push(...validateQuotaResourceList(status["used"], path("status", "used")));
  return errs;
}

export function validateResourceQuotaUpdate(rq: Json, old: Json): FieldError[] {
  const errs = validateCoreObjectMetaUpdate(metaOf(rq), metaOf(old));
  errs.push(...validateQuotaSpec(rec(rq["spec"]), path("spec")));
  const newScopes = new Set(arr(rec(rq["spec"])["scopes"]).map(String));
  const oldScopes = new Set(arr(rec(old["spec"])["scopes"]).map(String));
  const same = newScopes.size === oldScopes.size && [...newScopes].every((s) => oldScopes.has(s));
  if (!same) errs.push(invalid(path("spec", "scopes"), goSyntax(goScopes(arr(rec(rq["spec"])["scopes"]).map(String))), FIELD_IMMUTABLE));
  return errs;
}
