// Helpers shared by the per-kind validators: the core ObjectMeta wrapper, string-format checks that
// spec/semantics does not cover (apimachinery util/validation: env var names, config map keys, HTTP
// header names, percents, UIDs, CIDRs, wildcard DNS, path segments), IP classification, and the
// resource-name helpers of pkg/apis/core/helper. Messages are upstream's, Kubernetes 1.33.

import {
  type BadValue,
  type FieldError,
  FieldPath,
  invalid,
  required,
} from "../../../spec/semantics/field-errors.ts";
import { sortedGoStrings, utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import { tryParseQuantity, type Quantity } from "../../../spec/semantics/quantity.ts";
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  type ObjectMetaLike,
  parseIPSloppy,
  regexError,
  maxLenError,
  emptyError,
  inclusiveRangeError,
  type ValidateNameFunc,
  validateObjectMeta,
  validateObjectMetaUpdate,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
} from "../../../spec/semantics/validation.ts";

export const FIELD_IMMUTABLE = "field is immutable";
export const IS_NEGATIVE = "must be greater than or equal to 0";
export const IS_NOT_POSITIVE = "must be greater than zero";
export const INT32_MAX = 2147483647;

export function path(name: string, ...more: string[]): FieldPath {
  return FieldPath.of(name, ...more);
}

// ---- untyped JSON access (objects arrive as decoded JSON) ----

export type Json = Readonly<Record<string, unknown>>;

export function rec(v: unknown): Json {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

export function recOrUndef(v: unknown): Json | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function strOrUndef(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

export function numOrUndef(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

export function bool(v: unknown): boolean {
  return v === true;
}

export function strMap(v: unknown): Record<string, string> | undefined {
  const r = recOrUndef(v);
  if (r === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(r)) out[k] = typeof val === "string" ? val : String(val);
  return out;
}

export function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : String(x))) : undefined;
}

// ---- ObjectMeta (pkg/apis/core/validation ValidateObjectMeta adds the kube finalizer check) ----

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

function validateKubeFinalizerName(name: string, p: FieldPath): FieldError[] {
  if (name.split("/").length === 1 && !STANDARD_FINALIZERS.has(name)) {
    return [invalid(p, name, "name is neither a standard finalizer name nor is it fully qualified")];
  }
  return [];
}

export function metaOf(obj: Json): ObjectMetaLike {
  return rec(obj["metadata"]) as ObjectMetaLike;
}

/** core ValidateObjectMeta: apimachinery's checks, then each finalizer against the kube names. */
export function validateCoreObjectMeta(
  meta: ObjectMetaLike,
  namespaced: boolean,
  nameFn: ValidateNameFunc,
  p: FieldPath = path("metadata"),
): FieldError[] {
  const errs = validateObjectMeta(meta, { namespaced, nameFn, path: p });
  (meta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, p.child("finalizers").index(i))));
  return errs;
}

/** core ValidateObjectMetaUpdate. */
export function validateCoreObjectMetaUpdate(
  newMeta: ObjectMetaLike,
  oldMeta: ObjectMetaLike,
  p: FieldPath = path("metadata"),
): FieldError[] {
  const errs = validateObjectMetaUpdate(newMeta, oldMeta, p);
  (newMeta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, p.child("finalizers").index(i))));
  return errs;
}

// ---- path segment names (apimachinery api/validation/path) ----

export function isValidPathSegmentName(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  return isValidPathSegmentPrefix(name);
}

function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const bad of ["/", "%"]) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** path.ValidatePathSegmentName: the name rule rest.BeforeCreate applies to every kind. */
export const validatePathSegmentName: ValidateNameFunc = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

// ---- simple field checks ----

/** field.NotFound (spec/semantics has no builder for it). */
export function notFound(p: FieldPath, value: string): FieldError {
  return { type: "FieldValueNotFound", field: p.toString(), badValue: value, detail: "" };
}

export function nonnegative(value: number | undefined, p: FieldPath): FieldError[] {
  return (value ?? 0) < 0 ? [invalid(p, value ?? 0, IS_NEGATIVE)] : [];
}

export function dns1123Label(value: string, p: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(p, value, m));
}

export function dns1123Subdomain(value: string, p: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(p, value, m));
}

export function qualifiedName(value: string, p: FieldPath): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(p, value, m));
}

export function nameErrors(fn: ValidateNameFunc, value: string, p: FieldPath): FieldError[] {
  return fn(value, false).map((m) => invalid(p, value, m));
}

// ---- apimachinery util/validation string formats ----

const envVarNameFmt = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const envVarNameRegexp = new RegExp(`^${envVarNameFmt}$`);

function hasChDirPrefix(value: string): string[] {
  if (value === ".") return ["must not be '.'"];
  if (value === "..") return ["must not be '..'"];
  if (value.startsWith("..")) return ["must not start with '..'"];
  return [];
}

export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRegexp.test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        envVarNameFmt,
        "my.env-name",
        "MY_ENV.NAME",
        "MyEnvName1",
      ),
    );
  }
  return [...errs, ...hasChDirPrefix(value)];
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on by default since 1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push("environment variable name " + emptyError());
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > 0x7f || cp < 0x20 || cp === 0x7f || ch === "=") {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const configMapKeyFmt = "[-._a-zA-Z0-9]+";
const configMapKeyRegexp = new RegExp(`^${configMapKeyFmt}$`);

export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRegexp.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        configMapKeyFmt,
        "key.name",
        "KEY_NAME",
        "key-name",
      ),
    );
  }
  return [...errs, ...hasChDirPrefix(value)];
}

const httpHeaderNameFmt = "[-A-Za-z0-9]+";

export function isHTTPHeaderName(value: string): string[] {
  return new RegExp(`^${httpHeaderNameFmt}$`).test(value)
    ? []
    : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", httpHeaderNameFmt, "X-Header-Name")];
}

const percentFmt = "[0-9]+%";

export function isValidPercent(value: string): string[] {
  return new RegExp(`^${percentFmt}$`).test(value)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFmt, "1%", "93%")];
}

/** IsValidUserID / IsValidGroupID: 0..MaxInt32. */
export function isValidID(id: number): string[] {
  return id >= 0 && id <= INT32_MAX ? [] : [inclusiveRangeError(0, INT32_MAX)];
}

const dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const wildcardFmt = "\\*\\." + dns1123SubdomainFmt;

export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!new RegExp(`^${wildcardFmt}$`).test(value)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        wildcardFmt,
        "*.example.com",
      ),
    );
  }
  return errs;
}

const underscoreLabelFmt = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
const underscoreSubdomainFmt = `${underscoreLabelFmt}(\\.${underscoreLabelFmt})*`;

export function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!new RegExp(`^${underscoreSubdomainFmt}$`).test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
        underscoreSubdomainFmt,
        "example.com",
      ),
    );
  }
  return errs;
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** IsDomainPrefixedPath (e.g. Job spec.managedBy). */
export function isDomainPrefixedPath(p: FieldPath, value: string): FieldError[] {
  if (value.length === 0) return [required(p, "")];
  const slash = value.indexOf("/");
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? "" : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [invalid(p, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDNS1123Subdomain(host).map((m) => invalid(p, host, m));
  if (!new RegExp(`^${httpPathFmt}$`).test(rest)) errs.push(invalid(p, rest, regexError("Invalid path", httpPathFmt)));
  return errs;
}

/** IsFullyQualifiedDomainName (EndpointSlice FQDN addresses). */
export function isFullyQualifiedDomainName(p: FieldPath, value: string): FieldError[] {
  if (value.length === 0) return [required(p, "")];
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length > 0) return [invalid(p, name, sub.join(","))];
  const labels = name.split(".");
  if (labels.length < 2) return [invalid(p, name, "should be a domain with at least two segments separated by dots")];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return [invalid(p, label, errs.join(","))];
  }
  return [];
}

// ---- IP addresses ----

export function isIPv4Bytes(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** netutils.IsIPv6String: parses and is not IPv4 (or IPv4-mapped). */
export function isIPv6String(value: string): boolean {
  const ip = parseIPSloppy(value);
  return ip !== undefined && !isIPv4Bytes(ip);
}

/** netutils.IsDualStackIPStrings (all inputs already known to parse). */
export function isDualStack(values: readonly string[]): boolean {
  let v4 = false;
  let v6 = false;
  for (const v of values) {
    if (isIPv6String(v)) v6 = true;
    else v4 = true;
  }
  return v4 && v6;
}

/** ParseCIDRSloppy: the address bytes and prefix length, or undefined. */
export function parseCIDRSloppy(value: string): { ip: Uint8Array; bits: number; v4: boolean } | undefined {
  const slash = value.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIPSloppy(value.slice(0, slash));
  const mask = value.slice(slash + 1);
  if (ip === undefined || !/^[0-9]+$/.test(mask) || mask.length > 8) return undefined;
  const v4 = value.slice(0, slash).includes(".") && !value.slice(0, slash).includes(":");
  const bits = Number(mask);
  if (bits > (v4 ? 32 : 128)) return undefined;
  return { ip, bits, v4 };
}

export function isValidCIDR(p: FieldPath, value: string): FieldError[] {
  return parseCIDRSloppy(value) === undefined
    ? [invalid(p, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    : [];
}

/** ValidateNonSpecialIP: endpoints and external IPs may not be unspecified, loopback or link-local. */
export function validateNonSpecialIP(value: string, p: FieldPath): FieldError[] {
  const ip = parseIPSloppy(value);
  if (ip === undefined) return [invalid(p, value, "must be a valid IP address")];
  const errs: FieldError[] = [];
  const v4 = isIPv4Bytes(ip);
  const b = (i: number): number => ip[i] ?? 0;
  const unspecified = v4 ? b(12) === 0 && b(13) === 0 && b(14) === 0 && b(15) === 0 : ip.every((x) => x === 0);
  const loopback = v4 ? b(12) === 127 : ip.slice(0, 15).every((x) => x === 0) && b(15) === 1;
  const linkLocalUnicast = v4 ? b(12) === 169 && b(13) === 254 : b(0) === 0xfe && (b(1) & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? b(12) === 224 && b(13) === 0 && b(14) === 0 : b(0) === 0xff && (b(1) & 0x0f) === 0x02;
  if (unspecified) errs.push(invalid(p, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(invalid(p, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
  if (linkLocalUnicast) errs.push(invalid(p, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
  if (linkLocalMulticast) {
    errs.push(invalid(p, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
  }
  return errs;
}

// ---- quantities ----

/** A quantity field's value: JSON strings and numbers both decode as resource.Quantity. */
export function quantityOf(raw: unknown): { q: Quantity } | { error: string } {
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw : "";
  const r = tryParseQuantity(text.trim());
  return r.ok ? { q: r.quantity } : { error: r.error.message };
}

/**
 * Upstream rejects an unparsable quantity while decoding the body (400), before validation runs.
 * Here the caller gets it as a field error so a bad value is never silently accepted.
 */
export function quantityDecodeError(p: FieldPath, raw: unknown, message: string): FieldError {
  return invalid(p, typeof raw === "string" ? raw : String(raw), message);
}

// ---- resource names (pkg/apis/core/helper) ----

const standardResources = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
  "resourcequotas",
  "services",
  "replicationcontrollers",
  "secrets",
  "configmaps",
  "persistentvolumeclaims",
  "storage",
  "requests.storage",
  "services.nodeports",
  "services.loadbalancers",
]);

const standardQuotaResources = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.storage",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
  "resourcequotas",
  "services",
  "replicationcontrollers",
  "secrets",
  "persistentvolumeclaims",
  "configmaps",
  "services.nodeports",
  "services.loadbalancers",
]);

const integerResources = new Set([
  "pods",
  "resourcequotas",
  "services",
  "replicationcontrollers",
  "secrets",
  "configmaps",
  "persistentvolumeclaims",
  "services.nodeports",
  "services.loadbalancers",
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith("hugepages-");
}

function isQuotaHugePageResourceName(name: string): boolean {
  return name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
}

export function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith("requests.")) return false;
  return isQualifiedName("requests." + name).length === 0;
}

export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

export function isStandardResourceName(name: string): boolean {
  return standardResources.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardQuotaResourceName(name: string): boolean {
  return standardQuotaResources.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardContainerResourceName(name: string): boolean {
  return name === "cpu" || name === "memory" || name === "ephemeral-storage" || isHugePageResourceName(name);
}

export function isIntegerResourceName(name: string): boolean {
  return integerResources.has(name) || isExtendedResourceName(name);
}

/** validateResourceName: a qualified name, standard unless fully qualified. */
export function validateResourceName(value: string, p: FieldPath): FieldError[] {
  const errs = qualifiedName(value, p);
  if (errs.length > 0) return errs;
  if (value.split("/").length === 1 && !isStandardResourceName(value)) {
    return [invalid(p, value, "must be a standard resource type or fully qualified")];
  }
  return [];
}

/** validateContainerResourceName. */
export function validateContainerResourceName(value: string, p: FieldPath): FieldError[] {
  const errs = validateResourceName(value, p);
  if (value.split("/").length === 1) {
    if (!isStandardContainerResourceName(value)) {
      errs.push(invalid(p, value, "must be a standard resource for containers"));
    }
  } else if (!isNativeResource(value) && !isExtendedResourceName(value)) {
    errs.push(invalid(p, value, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/**
 * ValidateResourceQuantityValue: not negative, and whole for integer resources. The integer
 * error's bad value is a resource.Quantity that Go prints with %#v (internal fields); the
 * canonical string is shown instead.
 */
export function validateResourceQuantityValue(resource: string, q: Quantity, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(p, q.toString(), IS_NEGATIVE));
  if (isIntegerResourceName(resource) && q.milliValue() % 1000n !== 0n) {
    errs.push(invalid(p, q.toString(), "must be an integer"));
  }
  return errs;
}

/** Iterate a JSON map in Go-sorted key order (upstream walks maps randomly; sorted is stable). */
export function sortedEntries(m: Json | undefined): [string, unknown][] {
  return sortedGoStrings(Object.keys(m ?? {})).map((k) => [k, (m ?? {})[k]]);
}

export type { BadValue, FieldError };
export { FieldPath, inclusiveRangeError };
