// Name, label, annotation and metadata validation with upstream's exact messages (Kubernetes 1.33):
//   k8s.io/apimachinery/pkg/util/validation/validation.go and ip.go (Is* functions),
//   k8s.io/apimachinery/pkg/api/validation/{generic,objectmeta}.go (names, ObjectMeta),
//   k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go (ValidateLabels),
//   k8s.io/apiserver/pkg/storage/names/generate.go (generateName).
// Lengths are Go lengths (UTF-8 bytes). Maps are walked in sorted key order so error lists are
// deterministic (upstream walks Go maps in random order).

import type { Rng } from "../interfaces/rng.ts";
import { type FieldError, FieldPath, forbidden, invalid, required, tooLong } from "./field-errors.ts";
import { goQuote, sortedGoStrings, utf8ByteLength } from "./go-compat.ts";

// ---- message builders (validation.go) ----

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = msg + " (e.g. ";
  examples.forEach((ex, i) => {
    if (i > 0) out += " or ";
    out += `'${ex}', `;
  });
  return out + `regex used for validation is '${fmt}')`;
}

export function emptyError(): string {
  return "must be non-empty";
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

// ---- qualified names and label values ----

const qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = new RegExp(`^${qualifiedNameFmt}$`);

/**
 * IsQualifiedName: label and annotation keys, finalizers, condition types. An optional DNS
 * subdomain prefix and "/", then a name of at most 63 characters.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? "";
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix.length === 0) errs.push("prefix part " + emptyError());
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => "prefix part " + m));
  } else {
    return [
      "a qualified name " +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc") +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part " + emptyError());
  else if (utf8ByteLength(name) > qualifiedNameMaxLength) errs.push("name part " + maxLenError(qualifiedNameMaxLength));
  if (!qualifiedNameRegexp.test(name)) {
    errs.push("name part " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc"));
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

/** IsValidLabelValue: empty, or a qualified-name-like value of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) {
    errs.push(regexError(labelValueErrMsg, labelValueFmt, "MyValue", "my_value", "12345"));
  }
  return errs;
}

// ---- DNS names ----

const dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRegexp = new RegExp(`^${dns1123LabelFmt}$`);

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRegexp = new RegExp(`^${dns1123SubdomainFmt}$`);

/** IsDNS1123Label: names of namespaces, services' ports, most label-like names. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    if (dns1123SubdomainRegexp.test(value)) errs.push("must not contain dots");
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, "my-name", "123-abc"));
  }
  return errs;
}

/** IsDNS1123Subdomain: names of most objects (pods, configmaps, deployments, nodes...). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) {
    errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, "example.com"));
  }
  return errs;
}

const dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRegexp = new RegExp(`^${dns1035LabelFmt}$`);

/** IsDNS1035Label: service names (they become DNS labels that must not start with a digit). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) {
    errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, "my-name", "abc-123"));
  }
  return errs;
}

// ---- ports ----

/** IsValidPortNum: 1..65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsInRange: an inclusive integer range. */
export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

/** IsValidPortName (IANA_SVC_NAME): at most 15 of [-a-z0-9], a letter, no "--", no edge hyphen. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (utf8ByteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(port)) errs.push("must contain at least one letter (a-z)");
  if (port.includes("--")) errs.push("must not contain consecutive hyphens");
  if (port.length > 0 && (port.startsWith("-") || port.endsWith("-"))) errs.push("must not begin or end with a hyphen");
  return errs;
}

// ---- IP addresses (k8s.io/utils/net ParseIPSloppy: Go's pre-1.17 net.ParseIP) ----

const IPV6_LEN = 16;
const IPV4_LEN = 4;
const v4InV6Prefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Leading digits as a number; `undefined` when there are none or the value reaches 0xFFFFFF. */
function scanNumber(s: string, radix: 10 | 16): { n: number; used: number } | undefined {
  const digits = radix === 10 ? /^[0-9]*/ : /^[0-9a-fA-F]*/;
  const run = digits.exec(s)?.[0] ?? "";
  let n = 0;
  for (let i = 0; i < run.length; i++) {
    n = n * radix + parseInt(run.charAt(i), radix);
    if (n >= 0xffffff) return undefined;
  }
  return run.length === 0 ? undefined : { n, used: run.length };
}

/** Sloppy IPv4: leading zeros are accepted and read as decimal (k8s.io/issues/100895). */
function parseIPv4(s: string): Uint8Array | undefined {
  const ip = new Uint8Array(IPV6_LEN);
  ip.set(v4InV6Prefix);
  let rest = s;
  for (let i = 0; i < IPV4_LEN; i++) {
    if (rest.length === 0) return undefined;
    if (i > 0) {
      if (!rest.startsWith(".")) return undefined;
      rest = rest.slice(1);
    }
    const part = scanNumber(rest, 10);
    if (part === undefined || part.n > 0xff) return undefined;
    rest = rest.slice(part.used);
    ip[12 + i] = part.n;
  }
  return rest.length === 0 ? ip : undefined;
}

function parseIPv6(input: string): Uint8Array | undefined {
  const ip = new Uint8Array(IPV6_LEN);
  let s = input;
  let ellipsis = -1;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < IPV6_LEN) {
    const group = scanNumber(s, 16);
    if (group === undefined || group.n > 0xffff) return undefined;
    if (s.charAt(group.used) === ".") {
      // A trailing dotted IPv4 fills the last four bytes.
      if (ellipsis < 0 && i !== IPV6_LEN - IPV4_LEN) return undefined;
      if (i + IPV4_LEN > IPV6_LEN) return undefined;
      const v4 = parseIPv4(s);
      if (v4 === undefined) return undefined;
      ip.set(v4.subarray(12), i);
      i += IPV4_LEN;
      s = "";
      break;
    }
    ip[i] = group.n >> 8;
    ip[i + 1] = group.n & 0xff;
    i += 2;
    s = s.slice(group.used);
    if (s.length === 0) break;
    if (!s.startsWith(":") || s.length === 1) return undefined;
    s = s.slice(1);
    if (s.startsWith(":")) {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < IPV6_LEN) {
    if (ellipsis < 0) return undefined;
    const shift = IPV6_LEN - i;
    ip.copyWithin(ellipsis + shift, ellipsis, i);
    ip.fill(0, ellipsis, ellipsis + shift);
  } else if (ellipsis >= 0) {
    return undefined; // "::" must stand for at least one zero group
  }
  return ip;
}

/** ParseIPSloppy: the 16-byte address, or `undefined`. IPv4 comes back IPv4-mapped. */
export function parseIPSloppy(value: string): Uint8Array | undefined {
  for (const ch of value) {
    if (ch === ".") return parseIPv4(value);
    if (ch === ":") return parseIPv6(value);
  }
  return undefined;
}

/** net.IP.To4() != nil: IPv4, including IPv4-mapped IPv6 such as "::ffff:1.2.3.4". */
function isIPv4Bytes(ip: Uint8Array): boolean {
  return v4InV6Prefix.every((b, i) => ip[i] === b);
}

export function isValidIP(path: FieldPath | null, value: string): FieldError[] {
  return parseIPSloppy(value) === undefined
    ? [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    : [];
}

export function isValidIPv4Address(path: FieldPath | null, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip === undefined || !isIPv4Bytes(ip) ? [invalid(path, value, "must be a valid IPv4 address")] : [];
}

export function isValidIPv6Address(path: FieldPath | null, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip === undefined || isIPv4Bytes(ip) ? [invalid(path, value, "must be a valid IPv6 address")] : [];
}

// ---- object names (api/validation/generic.go) ----

/** ValidateNameFunc: `prefix` is true when validating a generateName. */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

/** A generateName may end in "-": check it as if that last character were a letter. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? name.slice(0, -2) + "a" : name;
}

export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;

// ---- generateName (apiserver storage/names SimpleNameGenerator) ----

export const MAX_NAME_LENGTH = 63;
export const GENERATED_SUFFIX_LENGTH = 5;
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - GENERATED_SUFFIX_LENGTH;
/** utilrand's alphabet: no vowels (no words) and no confusable 0/1/3. */
export const GENERATED_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** The name for `metadata.generateName`: the base cut to 58 characters plus 5 random characters. */
export function generateName(base: string, rng: Rng): string {
  let suffix = "";
  for (let i = 0; i < GENERATED_SUFFIX_LENGTH; i++) {
    suffix += GENERATED_NAME_ALPHABET.charAt(rng.int(0, GENERATED_NAME_ALPHABET.length - 1));
  }
  return base.slice(0, MAX_GENERATED_NAME_LENGTH) + suffix;
}

// ---- labels, annotations, finalizers, owner references ----

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
export const FIELD_IMMUTABLE_ERROR_MSG = "field is immutable";
export const IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0";
export const FINALIZER_ORPHAN_DEPENDENTS = "orphan";
export const FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion";

/** ValidateLabelName: one error per IsQualifiedName message, all at `path`. */
export function validateLabelName(name: string, path: FieldPath | null): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(path, name, msg));
}

/** metav1 validation.ValidateLabels: keys and values, errors at the map's path. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of sortedGoStrings(Object.keys(labels ?? {}))) {
    const v = labels?.[k] ?? "";
    errs.push(...validateLabelName(k, path));
    errs.push(...isValidLabelValue(v).map((msg) => invalid(path, v, msg)));
  }
  return errs;
}

/** Total bytes of keys and values; upstream's limit is TOTAL_ANNOTATION_SIZE_LIMIT_B. */
export function annotationsSize(annotations: Readonly<Record<string, string>> | undefined): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) total += utf8ByteLength(k) + utf8ByteLength(v);
  return total;
}

/** ValidateAnnotations: keys are qualified names compared case-insensitively; total size ≤ 256 KiB. */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of sortedGoStrings(Object.keys(annotations ?? {}))) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((msg) => invalid(path, k, msg)));
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    errs.push(tooLong(path, "", TOTAL_ANNOTATION_SIZE_LIMIT_B));
  }
  return errs;
}

/** ValidateFinalizers: qualified names, and not both `orphan` and `foregroundDeletion`. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const list = finalizers ?? [];
  const errs: FieldError[] = [];
  for (const f of list) errs.push(...validateLabelName(f, path));
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      invalid(
        path,
        list,
        `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`,
      ),
    );
  }
  return errs;
}

export interface OwnerReferenceLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** schema.ParseGroupVersion as FromAPIVersionAndKind uses it: unparsable → empty group/version. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion.length === 0 || apiVersion === "/") return { group: "", version: "" };
  const slashes = apiVersion.split("/").length - 1;
  if (slashes === 0) return { group: "", version: apiVersion };
  if (slashes === 1) {
    const [group = "", version = ""] = apiVersion.split("/");
    return { group, version };
  }
  return { group: "", version: "" };
}

function validateOwnerReference(ref: OwnerReferenceLike, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const gv = parseGroupVersion(ref.apiVersion ?? "");
  const kind = ref.kind ?? "";
  if (gv.version.length === 0) errs.push(invalid(path.child("apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
  if (kind.length === 0) errs.push(invalid(path.child("kind"), kind, "must not be empty"));
  if ((ref.name ?? "").length === 0) errs.push(invalid(path.child("name"), ref.name ?? "", "must not be empty"));
  if ((ref.uid ?? "").length === 0) errs.push(invalid(path.child("uid"), ref.uid ?? "", "must not be empty"));
  // BannedOwners: core/v1 Event may not own anything.
  if (gv.group === "" && gv.version === "v1" && kind === "Event") {
    errs.push(invalid(path, { json: ref }, `${gv.group}/${gv.version}, Kind=${kind} is disallowed from being an owner`));
  }
  return errs;
}

/** ValidateOwnerReferences: each reference complete, at most one with controller=true. */
export function validateOwnerReferences(refs: readonly OwnerReferenceLike[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = "";
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller !== true) continue;
    const current = `${ref.kind ?? ""}/${ref.name ?? ""}`;
    if (firstController !== "") {
      errs.push(
        invalid(
          path,
          { json: refs },
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
        ),
      );
    } else firstController = current;
  }
  return errs;
}

// ---- ObjectMeta ----

export interface ObjectMetaLike {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string | null;
  readonly deletionTimestamp?: string | null;
  readonly deletionGracePeriodSeconds?: number | null;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReferenceLike[];
  readonly finalizers?: readonly string[];
}

export interface ObjectMetaValidationOptions {
  /** Whether the kind is namespaced (namespace required) or cluster-scoped (namespace forbidden). */
  readonly namespaced: boolean;
  /** The kind's name rule; most kinds use nameIsDNSSubdomain. */
  readonly nameFn: ValidateNameFunc;
  /** Defaults to `metadata`. */
  readonly path?: FieldPath;
}

/**
 * ValidateObjectMeta (ValidateObjectMetaAccessor) for a create, after name generation: generateName
 * and name by `nameFn`, namespace, generation, labels, annotations, owner references, finalizers.
 * managedFields is not checked here.
 */
export function validateObjectMeta(meta: ObjectMetaLike, opts: ObjectMetaValidationOptions): FieldError[] {
  const path = opts.path ?? FieldPath.of("metadata");
  const errs: FieldError[] = [];
  const generateNameValue = meta.generateName ?? "";
  if (generateNameValue.length > 0) {
    for (const msg of opts.nameFn(generateNameValue, true)) {
      errs.push(invalid(path.child("generateName"), generateNameValue, msg));
    }
  }
  const name = meta.name ?? "";
  if (name.length === 0) errs.push(required(path.child("name"), "name or generateName is required"));
  else errs.push(...opts.nameFn(name, false).map((msg) => invalid(path.child("name"), name, msg)));
  errs.push(...validateObjectMetaCommon(meta, opts.namespaced, path));
  return errs;
}

function validateObjectMetaCommon(meta: ObjectMetaLike, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = meta.namespace ?? "";
  if (namespaced) {
    if (namespace.length === 0) errs.push(required(path.child("namespace"), ""));
    else {
      for (const msg of validateNamespaceName(namespace, false)) {
        errs.push(invalid(path.child("namespace"), namespace, msg));
      }
    }
  } else if (namespace.length > 0) {
    errs.push(forbidden(path.child("namespace"), "not allowed on this type"));
  }
  errs.push(...validateNonnegativeField(meta.generation ?? 0, path.child("generation")));
  errs.push(...validateLabels(meta.labels, path.child("labels")));
  errs.push(...validateAnnotations(meta.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child("ownerReferences")));
  errs.push(...validateFinalizers(meta.finalizers, path.child("finalizers")));
  return errs;
}

export function validateNonnegativeField(value: number, path: FieldPath): FieldError[] {
  return value < 0 ? [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** ValidateImmutableField for scalar metadata fields (null and undefined are both "unset"). */
export function validateImmutableField(
  newValue: string | number | null | undefined,
  oldValue: string | number | null | undefined,
  path: FieldPath,
): FieldError[] {
  if ((newValue ?? null) === (oldValue ?? null)) return [];
  return [invalid(path, newValue ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/**
 * ValidateObjectMetaAccessorUpdate: no new finalizers once deleting, resourceVersion present,
 * generation not decremented, identity fields immutable, then labels/annotations/ownerReferences.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMetaLike,
  oldMeta: ObjectMetaLike,
  path: FieldPath = FieldPath.of("metadata"),
): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp !== undefined && oldMeta.deletionTimestamp !== null) {
    const old = new Set(oldMeta.finalizers ?? []);
    const extra = sortedGoStrings(new Set((newMeta.finalizers ?? []).filter((f) => !old.has(f))));
    if (extra.length > 0) {
      const list = "[]string{" + extra.map(goQuote).join(", ") + "}";
      errs.push(
        forbidden(
          path.child("finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`,
        ),
      );
    }
  }
  if ((newMeta.resourceVersion ?? "").length === 0) {
    errs.push(invalid(path.child("resourceVersion"), newMeta.resourceVersion ?? "", "must be specified for an update"));
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(invalid(path.child("generation"), newMeta.generation ?? 0, "must not be decremented"));
  }
  errs.push(...validateImmutableField(newMeta.name ?? "", oldMeta.name ?? "", path.child("name")));
  errs.push(...validateImmutableField(newMeta.namespace ?? "", oldMeta.namespace ?? "", path.child("namespace")));
  errs.push(...validateImmutableField(newMeta.uid ?? "", oldMeta.uid ?? "", path.child("uid")));
  errs.push(...validateImmutableField(newMeta.creationTimestamp, oldMeta.creationTimestamp, path.child("creationTimestamp")));
  errs.push(...validateImmutableField(newMeta.deletionTimestamp, oldMeta.deletionTimestamp, path.child("deletionTimestamp")));
  errs.push(
    ...validateImmutableField(
      newMeta.deletionGracePeriodSeconds,
      oldMeta.deletionGracePeriodSeconds,
      path.child("deletionGracePeriodSeconds"),
    ),
  );
  errs.push(...validateLabels(newMeta.labels, path.child("labels")));
  errs.push(...validateAnnotations(newMeta.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, path.child("ownerReferences")));
  return errs;
}
