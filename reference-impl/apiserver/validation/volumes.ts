// Pod volumes (pkg/apis/core/validation: ValidateVolumes, validateVolumeSource and the per-source
// validators, validateKeyToPath, projected and downward API sources). Each in-tree source gets its
// upstream checks; PersistentVolumeClaim templates inside `ephemeral` get only the basic ones.

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
import { goQuote, utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import { validateLabels, validateAnnotations, nameIsDNSSubdomain, inclusiveRangeError } from "../../../spec/semantics/validation.ts";
import { isDNS1123Subdomain } from "../../../spec/semantics/validation.ts";
import {
  arr,
  dns1123Label,
  dns1123Subdomain,
  type Json,
  num,
  numOrUndef,
  qualifiedName,
  quantityOf,
  rec,
  recOrUndef,
  str,
  strOrUndef,
  bool,
} from "./common.ts";

export const FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive";
const PD_PARTITION_ERROR = inclusiveRangeError(1, 255);

export interface VolumeOptions {
  /** The top-level object is a Pod (not a template): image volumes must name an image. */
  readonly resourceIsPod: boolean;
}

// ---- paths ----

/** validatePathNoBacksteps: one error however many `..` elements. */
export function validatePathNoBacksteps(target: string, p: FieldPath): FieldError[] {
  return target.replaceAll("\\", "/").split("/").includes("..") ? [invalid(p, target, "must not contain '..'")] : [];
}

export function validateLocalDescendingPath(target: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith("/")) errs.push(invalid(p, target, "must be a relative path"));
  return [...errs, ...validatePathNoBacksteps(target, p)];
}

export function validateLocalNonReservedPath(target: string, p: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, p);
  if (target.startsWith("..") && !target.startsWith("../")) errs.push(invalid(p, target, "must not start with '..'"));
  return errs;
}

function validateMode(mode: unknown, p: FieldPath): FieldError[] {
  const m = numOrUndef(mode);
  return m !== undefined && (m > 0o777 || m < 0) ? [invalid(p, m, FILE_MODE_ERROR)] : [];
}

function validateKeyToPath(kp: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(kp["key"]).length === 0) errs.push(required(p.child("key"), ""));
  if (str(kp["path"]).length === 0) errs.push(required(p.child("path"), ""));
  errs.push(...validateLocalNonReservedPath(str(kp["path"]), p.child("path")));
  errs.push(...validateMode(kp["mode"], p.child("mode")));
  return errs;
}

// ---- downward API selectors (shared with env valueFrom) ----

const DOWNWARD_API_V1_FIELDS = new Set([
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.restartPolicy",
  "spec.serviceAccountName",
  "spec.schedulerName",
  "status.phase",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
]);

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['key']`. */
function splitSubscripted(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return { path: s.slice(0, at), subscript: s.slice(at + 2) };
}

/** podshelper.ConvertDownwardAPIFieldLabel for version v1. */
function convertDownwardAPIFieldLabel(version: string, label: string): { label: string } | { error: string } {
  if (version !== "v1") return { error: `unsupported pod version: ${version}` };
  const sub = splitSubscripted(label);
  if (sub !== undefined) {
    return sub.path === "metadata.annotations" || sub.path === "metadata.labels"
      ? { label }
      : { error: `field label does not support subscript: ${label}` };
  }
  if (DOWNWARD_API_V1_FIELDS.has(label)) return { label };
  if (label === "spec.host") return { label: "spec.nodeName" };
  return { error: `field label not supported: ${label}` };
}

export function validateObjectFieldSelector(fs: Json, expressions: ReadonlySet<string>, p: FieldPath): FieldError[] {
  const apiVersion = str(fs["apiVersion"]);
  const fieldPath = str(fs["fieldPath"]);
  if (apiVersion.length === 0) return [required(p.child("apiVersion"), "")];
  if (fieldPath.length === 0) return [required(p.child("fieldPath"), "")];
  const converted = convertDownwardAPIFieldLabel(apiVersion, fieldPath);
  if ("error" in converted) {
    return [invalid(p.child("fieldPath"), fieldPath, `error converting fieldPath: ${converted.error}`)];
  }
  const sub = splitSubscripted(converted.label);
  if (sub !== undefined) {
    if (sub.path === "metadata.annotations") return qualifiedName(sub.subscript.toLowerCase(), p);
    if (sub.path === "metadata.labels") return qualifiedName(sub.subscript, p);
    return [invalid(p, sub.path, "does not support subscript")];
  }
  if (!expressions.has(converted.label)) {
    return [notSupported(p.child("fieldPath"), converted.label, [...expressions].sort())];
  }
  return [];
}

export const CONTAINER_RESOURCE_FIELDS: ReadonlySet<string> = new Set([
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
]);
const HUGEPAGES_PREFIXES = ["limits.hugepages-", "requests.hugepages-"];
const CPU_DIVISORS = new Set(["1m", "1"]);
const BYTE_DIVISORS = new Set(["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]);
const BYTE_DIVISOR_LIST = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

function validateContainerResourceDivisor(resource: string, raw: unknown, p: FieldPath): FieldError[] {
  if (raw === undefined || raw === null) return [];
  const parsed = quantityOf(raw);
  if ("error" in parsed || parsed.q.isZero()) return [];
  const text = parsed.q.toString();
  const errs: FieldError[] = [];
  const bad = (detail: string): FieldError => invalid(p.child("divisor"), resource, detail);
  if ((resource === "limits.cpu" || resource === "requests.cpu") && !CPU_DIVISORS.has(text)) {
    errs.push(bad("only divisor's values 1m and 1 are supported with the cpu resource"));
  }
  if ((resource === "limits.memory" || resource === "requests.memory") && !BYTE_DIVISORS.has(text)) {
    errs.push(bad(`only divisor's values ${BYTE_DIVISOR_LIST} are supported with the memory resource`));
  }
  if ((resource === "limits.ephemeral-storage" || resource === "requests.ephemeral-storage") && !BYTE_DIVISORS.has(text)) {
    errs.push(bad(`only divisor's values ${BYTE_DIVISOR_LIST} are supported with the local ephemeral storage resource`));
  }
  if (HUGEPAGES_PREFIXES.some((pre) => resource.startsWith(pre)) && !BYTE_DIVISORS.has(text)) {
    errs.push(bad(`only divisor's values ${BYTE_DIVISOR_LIST} are supported with the hugepages resource`));
  }
  return errs;
}

export function validateContainerResourceFieldSelector(fs: Json, p: FieldPath, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs["resource"]);
  if (volume && str(fs["containerName"]).length === 0) errs.push(required(p.child("containerName"), ""));
  else if (resource.length === 0) errs.push(required(p.child("resource"), ""));
  else if (!CONTAINER_RESOURCE_FIELDS.has(resource) && !HUGEPAGES_PREFIXES.some((pre) => resource.startsWith(pre))) {
    errs.push(notSupported(p.child("resource"), resource, [...CONTAINER_RESOURCE_FIELDS].sort()));
  }
  errs.push(...validateContainerResourceDivisor(resource, fs["divisor"], p));
  return errs;
}

const VOLUME_DOWNWARD_API_FIELDS: ReadonlySet<string> = new Set([
  "metadata.name",
  "metadata.namespace",
  "metadata.labels",
  "metadata.annotations",
  "metadata.uid",
]);

function validateDownwardAPIVolumeFile(file: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const filePath = str(file["path"]);
  if (filePath.length === 0) errs.push(required(p.child("path"), ""));
  errs.push(...validateLocalNonReservedPath(filePath, p.child("path")));
  const fieldRef = recOrUndef(file["fieldRef"]);
  const resourceFieldRef = recOrUndef(file["resourceFieldRef"]);
  if (fieldRef !== undefined) {
    errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_DOWNWARD_API_FIELDS, p.child("fieldRef")));
    if (resourceFieldRef !== undefined) {
      errs.push(invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
    }
  } else if (resourceFieldRef !== undefined) {
    errs.push(...validateContainerResourceFieldSelector(resourceFieldRef, p.child("resourceFieldRef"), true));
  } else {
    errs.push(required(p, "one of fieldRef and resourceFieldRef is required"));
  }
  errs.push(...validateMode(file["mode"], p.child("mode")));
  return errs;
}

// ---- sources ----

function requiredFields(src: Json, p: FieldPath, fields: readonly string[]): FieldError[] {
  return fields.filter((f) => str(src[f]).length === 0 && arr(src[f]).length === 0).map((f) => required(p.child(f), ""));
}

function partition(src: Json, p: FieldPath): FieldError[] {
  const part = num(src["partition"]);
  return part < 0 || part > 255 ? [invalid(p.child("partition"), part, PD_PARTITION_ERROR)] : [];
}

function validateHostPath(src: Json, p: FieldPath): FieldError[] {
  const hostPath = str(src["path"]);
  if (hostPath.length === 0) return [required(p.child("path"), "")];
  const errs = validatePathNoBacksteps(hostPath, p.child("path"));
  const type = strOrUndef(src["type"]);
  const supported = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];
  if (type !== undefined && !supported.includes(type)) errs.push(notSupported(p.child("type"), type, supported));
  return errs;
}

function validateSecretSource(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(src["secretName"]).length === 0) errs.push(required(p.child("secretName"), ""));
  errs.push(...validateMode(src["defaultMode"], p.child("defaultMode")));
  arr(src["items"]).forEach((kp, i) => errs.push(...validateKeyToPath(rec(kp), p.child("items").index(i))));
  return errs;
}

function validateConfigMapSource(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(src["name"]).length === 0) errs.push(required(p.child("name"), ""));
  errs.push(...validateMode(src["defaultMode"], p.child("defaultMode")));
  arr(src["items"]).forEach((kp, i) => errs.push(...validateKeyToPath(rec(kp), p.child("items").index(i))));
  return errs;
}

function validateNFS(src: Json, p: FieldPath): FieldError[] {
  const errs = requiredFields(src, p, ["server", "path"]);
  if (!str(src["path"]).startsWith("/")) errs.push(invalid(p.child("path"), str(src["path"]), "must be an absolute path"));
  return errs;
}

const iqnRegex = /iqn\.\d{4}-\d{2}\.([A-Za-z0-9\-.]+)(:[^,;*&$|\s]+)$/;
const euiRegex = /^eui.[A-Za-z0-9]{16}$/;
const naaRegex = /^naa.[A-Za-z0-9]{32}$/;

function iscsiNameErrors(value: string, p: FieldPath, startMsg: string): FieldError[] {
  if (!value.startsWith("iqn") && !value.startsWith("eui") && !value.startsWith("naa")) return [invalid(p, value, startMsg)];
  const ok = value.startsWith("iqn") ? iqnRegex.test(value) : value.startsWith("eui") ? euiRegex.test(value) : naaRegex.test(value);
  return ok ? [] : [invalid(p, value, "must be valid format")];
}

function validateISCSI(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(src["targetPortal"]).length === 0) errs.push(required(p.child("targetPortal"), ""));
  const iqn = str(src["iqn"]);
  if (iqn.length === 0) errs.push(required(p.child("iqn"), ""));
  else errs.push(...iscsiNameErrors(iqn, p.child("iqn"), "must be valid format starting with iqn, eui, or naa"));
  const lun = num(src["lun"]);
  if (lun < 0 || lun > 255) errs.push(invalid(p.child("lun"), lun, inclusiveRangeError(0, 255)));
  if ((bool(src["chapAuthDiscovery"]) || bool(src["chapAuthSession"])) && recOrUndef(src["secretRef"]) === undefined) {
    errs.push(required(p.child("secretRef"), ""));
  }
  const initiator = strOrUndef(src["initiatorName"]);
  if (initiator !== undefined) {
    errs.push(...iscsiNameErrors(initiator, p.child("initiatorname"), "must be valid format starting with iqn, eui, or naa"));
  }
  return errs;
}

/** Checked even when iscsi is a second, forbidden source. */
function iscsiNameLength(iscsi: Json, p: FieldPath, volName: string): FieldError[] {
  if (iscsi["initiatorName"] === undefined || utf8ByteLength(volName + ":" + str(iscsi["targetPortal"])) <= 64) return [];
  return [
    invalid(
      p.child("name"),
      volName,
      "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.",
    ),
  ];
}

function validateFlocker(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(src["datasetName"]);
  const uuid = str(src["datasetUUID"]);
  if (name.length === 0 && uuid.length === 0) errs.push(required(p, "one of datasetName and datasetUUID is required"));
  if (name.length > 0 && uuid.length > 0) {
    errs.push(invalid(p, "resource", "datasetName and datasetUUID can not be specified simultaneously"));
  }
  if (name.includes("/")) errs.push(invalid(p.child("datasetName"), name, "must not contain '/'"));
  return errs;
}

function validateDownwardAPISource(src: Json, p: FieldPath): FieldError[] {
  const errs = validateMode(src["defaultMode"], p.child("defaultMode"));
  for (const file of arr(src["items"])) errs.push(...validateDownwardAPIVolumeFile(rec(file), p));
  return errs;
}

function validateFC(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const wwns = arr(src["targetWWNs"]).map(String);
  const wwids = arr(src["wwids"]);
  if (wwns.length < 1 && wwids.length < 1) {
    errs.push(required(p.child("targetWWNs"), "must specify either targetWWNs or wwids, but not both"));
  }
  if (wwns.length !== 0 && wwids.length !== 0) {
    errs.push(invalid(p.child("targetWWNs"), wwns, "targetWWNs and wwids can not be specified simultaneously"));
  }
  if (wwns.length !== 0) {
    const lun = numOrUndef(src["lun"]);
    if (lun === undefined) errs.push(required(p.child("lun"), "lun is required if targetWWNs is specified"));
    else if (lun < 0 || lun > 255) errs.push(invalid(p.child("lun"), lun, inclusiveRangeError(0, 255)));
  }
  return errs;
}

function validateFlexVolume(src: Json, p: FieldPath): FieldError[] {
  const errs = requiredFields(src, p, ["driver"]);
  for (const k of Object.keys(rec(src["options"])).sort()) {
    const ns = k.includes("/") ? k.slice(0, k.indexOf("/")) : k;
    const normalized = "." + ns.toLowerCase();
    if (normalized.endsWith(".kubernetes.io") || normalized.endsWith(".k8s.io")) {
      errs.push(invalid(p.child("options").key(k), k, "kubernetes.io and k8s.io namespaces are reserved"));
    }
  }
  return errs;
}

function validateQuobyte(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const registry = str(src["registry"]);
  if (registry.length === 0) {
    errs.push(required(p.child("registry"), "must be a host:port pair or multiple pairs separated by commas"));
  } else if (str(src["tenant"]).length >= 65) {
    errs.push(required(p.child("tenant"), "must be a UUID and may not exceed a length of 64 characters"));
  } else {
    for (const pair of registry.split(",")) {
      if (!/^[^:]*:[^:]*$|^\[[^\]]*\]:[^:]*$/.test(pair)) {
        errs.push(invalid(p.child("registry"), registry, "must be a host:port pair or multiple pairs separated by commas"));
      }
    }
  }
  if (str(src["volume"]).length === 0) errs.push(required(p.child("volume"), ""));
  return errs;
}

function validateAzureDisk(src: Json, p: FieldPath): FieldError[] {
  const errs = requiredFields(src, p, ["diskName", "diskURI"]);
  const caching = strOrUndef(src["cachingMode"]);
  if (caching !== undefined && !["None", "ReadOnly", "ReadWrite"].includes(caching)) {
    errs.push(notSupported(p.child("cachingMode"), caching, ["None", "ReadOnly", "ReadWrite"]));
  }
  const kind = strOrUndef(src["kind"]);
  if (kind !== undefined && !["Dedicated", "Managed", "Shared"].includes(kind)) {
    errs.push(notSupported(p.child("kind"), kind, ["Dedicated", "Managed", "Shared"]));
  }
  const uri = str(src["diskURI"]);
  if (kind === "Managed" && !uri.startsWith("/subscriptions/")) {
    errs.push(
      notSupported(p.child("diskURI"), uri, [
        "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}",
      ]),
    );
  }
  if (kind !== undefined && kind !== "Managed" && !uri.startsWith("https://")) {
    errs.push(notSupported(p.child("diskURI"), uri, ["https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"]));
  }
  return errs;
}

function validateStorageOS(src: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(src["volumeName"]);
  if (name.length === 0) errs.push(required(p.child("volumeName"), ""));
  else errs.push(...dns1123Label(name, p.child("volumeName")));
  const ns = str(src["volumeNamespace"]);
  if (ns.length > 0) errs.push(...dns1123Label(ns, p.child("volumeNamespace")));
  const secretRef = recOrUndef(src["secretRef"]);
  if (secretRef !== undefined && str(secretRef["name"]).length === 0) errs.push(required(p.child("secretRef", "name"), ""));
  return errs;
}

function validateCinder(src: Json, p: FieldPath): FieldError[] {
  const errs = requiredFields(src, p, ["volumeID"]);
  const secretRef = recOrUndef(src["secretRef"]);
  if (secretRef !== undefined && str(secretRef["name"]).length === 0) errs.push(required(p.child("secretRef", "name"), ""));
  return errs;
}

export function validateCSIDriverName(driver: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (driver.length === 0) errs.push(required(p, ""));
  if (utf8ByteLength(driver) > 63) errs.push(tooLong(p, "", 63));
  errs.push(...isDNS1123Subdomain(driver.toLowerCase()).map((m) => invalid(p, driver, m)));
  return errs;
}

function validateCSI(src: Json, p: FieldPath): FieldError[] {
  const errs = validateCSIDriverName(str(src["driver"]), p.child("driver"));
  const ref = recOrUndef(src["nodePublishSecretRef"]);
  if (ref !== undefined) {
    const name = str(ref["name"]);
    if (name.length === 0) errs.push(required(p.child("nodePublishSecretRef", "name"), ""));
    else errs.push(...nameIsDNSSubdomain(name, false).map((m) => invalid(p.child("name"), name, m)));
  }
  return errs;
}

function validateEphemeral(src: Json, p: FieldPath, volIdxPath: FieldPath, volName: string, podName: string): FieldError[] {
  const tmpl = recOrUndef(src["volumeClaimTemplate"]);
  const errs: FieldError[] = [];
  if (tmpl === undefined) errs.push(required(p.child("volumeClaimTemplate"), ""));
  else errs.push(...validatePVCTemplate(tmpl, p.child("volumeClaimTemplate")));
  if (podName !== "" && volName !== "") {
    const pvcName = `${podName}-${volName}`;
    for (const m of nameIsDNSSubdomain(pvcName, false)) {
      errs.push(invalid(volIdxPath.child("name"), volName, `PVC name ${goQuote(pvcName)}: ${m}`));
    }
  }
  return errs;
}

/**
 * ValidatePersistentVolumeClaimTemplate, reduced: template metadata labels/annotations, access
 * modes, and the storage request. (Data sources, selectors and classes are not checked here.)
 */
function validatePVCTemplate(tmpl: Json, p: FieldPath): FieldError[] {
  const meta = rec(tmpl["metadata"]);
  const errs = validateAnnotations(meta["annotations"] as Record<string, string> | undefined, p.child("metadata", "annotations"));
  errs.push(...validateLabels(meta["labels"] as Record<string, string> | undefined, p.child("metadata", "labels")));
  const spec = rec(tmpl["spec"]);
  const specPath = p.child("spec");
  const modes = arr(spec["accessModes"]).map(String);
  if (modes.length === 0) errs.push(required(specPath.child("accessModes"), "at least 1 access mode is required"));
  const supportedModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
  for (const m of modes) if (!supportedModes.includes(m)) errs.push(notSupported(specPath.child("accessModes"), m, supportedModes));
  const storage = rec(rec(spec["resources"])["requests"])["storage"];
  const storagePath = specPath.child("resources").key("storage");
  if (storage === undefined) errs.push(required(storagePath, ""));
  else {
    const q = quantityOf(storage);
    if ("q" in q && q.q.sign() <= 0) errs.push(invalid(storagePath, q.q.toString(), "must be greater than zero"));
  }
  return errs;
}

function validatePullPolicyValue(policy: string, p: FieldPath): FieldError[] {
  if (policy === "Always" || policy === "IfNotPresent" || policy === "Never") return [];
  if (policy === "") return [required(p, "")];
  return [notSupported(p, policy, ["Always", "IfNotPresent", "Never"])];
}

function validateImageSource(src: Json, p: FieldPath, opts: VolumeOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (opts.resourceIsPod && str(src["reference"]).length === 0) errs.push(required(p.child("reference"), ""));
  errs.push(...validatePullPolicyValue(str(src["pullPolicy"]), p.child("pullPolicy")));
  return errs;
}

function validateProjected(src: Json, p: FieldPath): FieldError[] {
  const errs = validateMode(src["defaultMode"], p.child("defaultMode"));
  const allPaths = new Set<string>();
  const claimPath = (candidate: string, bad: string | undefined): void => {
    if (!allPaths.has(candidate)) allPaths.add(candidate);
    else errs.push(invalid(p, bad ?? candidate, "conflicting duplicate paths"));
  };
  arr(src["sources"]).forEach((raw, i) => {
    const source = rec(raw);
    const srcPath = p.child("sources").index(i);
    let numSources = 0;
    for (const kind of ["secret", "configMap"] as const) {
      const s = recOrUndef(source[kind]);
      if (s === undefined) continue;
      numSources++;
      const projPath = srcPath.child(kind);
      if (str(s["name"]).length === 0) errs.push(required(projPath.child("name"), ""));
      arr(s["items"]).forEach((kpRaw, j) => {
        const kp = rec(kpRaw);
        errs.push(...validateKeyToPath(kp, projPath.child("items").index(j)));
        if (str(kp["path"]).length > 0) claimPath(str(kp["path"]), str(s["name"]));
      });
    }
    const downward = recOrUndef(source["downwardAPI"]);
    if (downward !== undefined) {
      numSources++;
      for (const fileRaw of arr(downward["items"])) {
        const file = rec(fileRaw);
        errs.push(...validateDownwardAPIVolumeFile(file, srcPath.child("downwardAPI")));
        if (str(file["path"]).length > 0) claimPath(str(file["path"]), undefined);
      }
    }
    const token = recOrUndef(source["serviceAccountToken"]);
    if (token !== undefined) {
      numSources++;
      const expiration = num(token["expirationSeconds"]);
      const expPath = srcPath.child("serviceAccountToken").child("expirationSeconds");
      if (expiration < 600) errs.push(invalid(expPath, expiration, "may not specify a duration less than 10 minutes"));
      if (expiration > 2 ** 32) errs.push(invalid(expPath, expiration, "may not specify a duration larger than 2^32 seconds"));
      const tokenPath = str(token["path"]);
      if (tokenPath === "") errs.push(required(p.child("path"), ""));
      else errs.push(...validateLocalNonReservedPath(tokenPath, p.child("path")));
    }
    const bundle = recOrUndef(source["clusterTrustBundle"]);
    if (bundle !== undefined) {
      numSources++;
      errs.push(...validateClusterTrustBundleProjection(bundle, srcPath.child("clusterTrustBundle")));
      claimPath(str(bundle["path"]), undefined);
    }
    if (numSources > 1) errs.push(forbidden(srcPath, "may not specify more than 1 volume type per source"));
  });
  return errs;
}

/** Reduced: name vs signerName and the path (signer-name format rules are not checked). */
function validateClusterTrustBundleProjection(bundle: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = strOrUndef(bundle["name"]);
  const signer = strOrUndef(bundle["signerName"]);
  if (name !== undefined && signer !== undefined) {
    errs.push(invalid(p, { json: bundle }, "only one of name and signerName may be used"));
  } else if (name !== undefined) {
    if (name === "") errs.push(required(p.child("name"), "must be a valid object name"));
  } else if (signer !== undefined) {
    if (signer === "") errs.push(required(p.child("signerName"), "must be a valid signer name"));
  } else {
    errs.push(required(p, "either name or signerName must be specified"));
  }
  const bundlePath = str(bundle["path"]);
  if (bundlePath === "") errs.push(required(p.child("path"), ""));
  errs.push(...validateLocalNonReservedPath(bundlePath, p.child("path")));
  return errs;
}

interface SourceRule {
  /** The v1 JSON key of the source. */
  readonly key: string;
  /** The path upstream reports "may not specify more than 1 volume type" at (sometimes misspelt). */
  readonly forbiddenAt: string;
  readonly validate: (src: Json, p: FieldPath) => FieldError[];
}

function childRule(key: string, detailAt: string, validate: (src: Json, p: FieldPath) => FieldError[], forbiddenAt = key): SourceRule {
  return { key, forbiddenAt, validate: (src, p) => validate(src, p.child(detailAt)) };
}

function simple(...fields: string[]): (src: Json, p: FieldPath) => FieldError[] {
  return (src, p) => requiredFields(src, p, fields);
}

/** The in-tree sources in upstream's order (the order decides which one is "more than 1"). */
const SOURCE_RULES: readonly SourceRule[] = [
  childRule("emptyDir", "emptyDir", (src, p) => {
    const size = src["sizeLimit"];
    if (size === undefined || size === null) return [];
    const q = quantityOf(size);
    return "q" in q && q.q.sign() < 0 ? [forbidden(p.child("sizeLimit"), "SizeLimit field must be a valid resource quantity")] : [];
  }),
  childRule("hostPath", "hostPath", validateHostPath),
  childRule("gitRepo", "gitRepo", (src, p) => [
    ...requiredFields(src, p, ["repository"]),
    ...validateLocalDescendingPath(str(src["directory"]), p.child("directory")),
  ]),
  childRule("gcePersistentDisk", "persistentDisk", (src, p) => [...requiredFields(src, p, ["pdName"]), ...partition(src, p)]),
  childRule("awsElasticBlockStore", "awsElasticBlockStore", (src, p) => [
    ...requiredFields(src, p, ["volumeID"]),
    ...partition(src, p),
  ]),
  childRule("secret", "secret", validateSecretSource),
  childRule("nfs", "nfs", validateNFS),
  childRule("iscsi", "iscsi", validateISCSI),
  childRule("glusterfs", "glusterfs", simple("endpoints", "path")),
  childRule("flocker", "flocker", validateFlocker),
  childRule("persistentVolumeClaim", "persistentVolumeClaim", simple("claimName")),
  childRule("rbd", "rbd", (src, p) => [
    ...(arr(src["monitors"]).length === 0 ? [required(p.child("monitors"), "")] : []),
    ...requiredFields(src, p, ["image"]),
  ]),
  childRule("cinder", "cinder", validateCinder),
  childRule("cephfs", "cephfs", (src, p) => (arr(src["monitors"]).length === 0 ? [required(p.child("monitors"), "")] : []), "cephFS"),
  childRule("quobyte", "quobyte", validateQuobyte),
  childRule("downwardAPI", "downwardAPI", validateDownwardAPISource, "downwarAPI"),
  childRule("fc", "fc", validateFC),
  childRule("flexVolume", "flexVolume", validateFlexVolume),
  childRule("configMap", "configMap", validateConfigMapSource),
  childRule("azureFile", "azureFile", simple("secretName", "shareName")),
  childRule("vsphereVolume", "vsphereVolume", simple("volumePath")),
  childRule("photonPersistentDisk", "photonPersistentDisk", simple("pdID")),
  childRule("portworxVolume", "portworxVolume", simple("volumeID")),
  childRule("azureDisk", "azureDisk", validateAzureDisk),
  childRule("storageos", "storageos", validateStorageOS),
  childRule("projected", "projected", validateProjected),
  childRule("scaleIO", "scaleIO", simple("gateway", "system", "volumeName")),
  childRule("csi", "csi", validateCSI),
];

function validateVolumeSource(vol: Json, p: FieldPath, volName: string, podName: string, opts: VolumeOptions): FieldError[] {
  let numVolumes = 0;
  const errs: FieldError[] = [];
  const visit = (key: string, forbiddenAt: string, check: () => FieldError[]): void => {
    if (recOrUndef(vol[key]) === undefined) return;
    if (numVolumes > 0) errs.push(forbidden(p.child(forbiddenAt), "may not specify more than 1 volume type"));
    else {
      numVolumes++;
      errs.push(...check());
    }
  };
  for (const rule of SOURCE_RULES) {
    visit(rule.key, rule.forbiddenAt, () => rule.validate(rec(vol[rule.key]), p));
    if (rule.key === "iscsi" && recOrUndef(vol["iscsi"]) !== undefined) errs.push(...iscsiNameLength(rec(vol["iscsi"]), p, volName));
  }
  visit("ephemeral", "ephemeral", () => validateEphemeral(rec(vol["ephemeral"]), p.child("ephemeral"), p, volName, podName));
  visit("image", "image", () => validateImageSource(rec(vol["image"]), p.child("image"), opts));
  if (numVolumes === 0) errs.push(required(p, "must specify a volume type"));
  return errs;
}

export interface ValidatedVolumes {
  /** Valid volumes by name (what volume mounts and devices may refer to). */
  readonly volumes: ReadonlyMap<string, Json>;
  readonly errors: FieldError[];
}

/** ValidateVolumes: a volume with any error is left out of the returned map. */
export function validateVolumes(volumes: readonly unknown[], podName: string, p: FieldPath, opts: VolumeOptions): ValidatedVolumes {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const valid = new Map<string, Json>();
  const createdPVCs = new Set<string>();
  if (podName !== "") {
    for (const raw of volumes) {
      const vol = rec(raw);
      if (recOrUndef(vol["ephemeral"]) !== undefined) createdPVCs.add(`${podName}-${str(vol["name"])}`);
    }
  }
  volumes.forEach((raw, i) => {
    const vol = rec(raw);
    const name = str(vol["name"]);
    const idxPath = p.index(i);
    const el = validateVolumeSource(vol, idxPath, name, podName, opts);
    if (name.length === 0) el.push(required(idxPath.child("name"), ""));
    else el.push(...dns1123Label(name, idxPath.child("name")));
    if (names.has(name)) el.push(duplicate(idxPath.child("name"), name));
    if (el.length === 0) {
      names.add(name);
      valid.set(name, vol);
    } else errors.push(...el);
    const claim = recOrUndef(vol["persistentVolumeClaim"]);
    if (claim !== undefined && createdPVCs.has(str(claim["claimName"]))) {
      errors.push(
        invalid(
          idxPath.child("persistentVolumeClaim").child("claimName"),
          str(claim["claimName"]),
          "must not reference a PVC that gets created for an ephemeral volume",
        ),
      );
    }
  });
  return { volumes: valid, errors };
}

export { dns1123Subdomain };
