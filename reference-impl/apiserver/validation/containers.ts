// Containers (pkg/apis/core/validation: validateContainers, validateInitContainers,
// validateEphemeralContainers, validateContainerCommon and everything it calls: ports, env,
// volume mounts and devices, resources, probes, lifecycle handlers, security context).

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
import { utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import { isValidPortName, isValidPortNum, nameIsDNSSubdomain } from "../../../spec/semantics/validation.ts";
import {
  arr,
  bool,
  dns1123Label,
  isConfigMapKey,
  isHTTPHeaderName,
  isHugePageResourceName,
  isOvercommitAllowed,
  isRelaxedEnvVarName,
  isValidID,
  type Json,
  nonnegative,
  notFound,
  num,
  numOrUndef,
  quantityDecodeError,
  quantityOf,
  rec,
  recOrUndef,
  sortedEntries,
  str,
  strOrUndef,
  validateContainerResourceName,
  validateResourceQuantityValue,
} from "./common.ts";
import {
  validateContainerResourceFieldSelector,
  validateLocalDescendingPath,
  validateObjectFieldSelector,
  validatePathNoBacksteps,
} from "./volumes.ts";

export interface ContainerOptions {
  /** Pod terminationGracePeriodSeconds (sleep handlers must fit inside it). */
  readonly gracePeriod: number | undefined;
  /** Pod restartPolicy (resize policies depend on it). */
  readonly podRestartPolicy: string;
  /** False when securityContext.hostUsers is false (user namespaces). */
  readonly hostUsers: boolean;
}

const PROTOCOLS = ["SCTP", "TCP", "UDP"];

// ---- ports ----

function validateContainerPorts(ports: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port = rec(raw);
    const idx = p.index(i);
    const name = str(port["name"]);
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(idx.child("name"), name, m)));
      else if (names.has(name)) errs.push(duplicate(idx.child("name"), name));
      else names.add(name);
    }
    const containerPort = num(port["containerPort"]);
    if (containerPort === 0) errs.push(required(idx.child("containerPort"), ""));
    else errs.push(...isValidPortNum(containerPort).map((m) => invalid(idx.child("containerPort"), containerPort, m)));
    const hostPort = num(port["hostPort"]);
    if (hostPort !== 0) errs.push(...isValidPortNum(hostPort).map((m) => invalid(idx.child("hostPort"), hostPort, m)));
    const protocol = str(port["protocol"]);
    if (protocol.length === 0) errs.push(required(idx.child("protocol"), ""));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(idx.child("protocol"), protocol, PROTOCOLS));
  });
  return errs;
}

/** ValidatePortNumOrName for an IntOrString port. */
export function validatePortNumOrName(port: unknown, p: FieldPath): FieldError[] {
  if (typeof port === "string") return isValidPortName(port).map((m) => invalid(p, port, m));
  const n = typeof port === "number" ? port : 0;
  return isValidPortNum(n).map((m) => invalid(p, n, m));
}

/** AccumulateUniqueHostPorts: protocol/hostIP/hostPort must be unique. */
function checkHostPortConflicts(containers: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((raw, ci) => {
    arr(rec(raw)["ports"]).forEach((portRaw, pi) => {
      const port = rec(portRaw);
      const hostPort = num(port["hostPort"]);
      if (hostPort === 0) return;
      const key = `${str(port["protocol"])}/${str(port["hostIP"])}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(p.index(ci).child("ports").index(pi).child("hostPort"), key));
      else seen.add(key);
    });
  });
  return errs;
}

// ---- env ----

const ENV_DOWNWARD_API_FIELDS: ReadonlySet<string> = new Set([
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
]);

function validateKeySelector(sel: Json, p: FieldPath): FieldError[] {
  const name = str(sel["name"]);
  const errs = nameIsDNSSubdomain(name, false).map((m) => invalid(p.child("name"), name, m));
  const key = str(sel["key"]);
  if (key.length === 0) errs.push(required(p.child("key"), ""));
  else errs.push(...isConfigMapKey(key).map((m) => invalid(p.child("key"), key, m)));
  return errs;
}

function validateEnvVarValueFrom(ev: Json, p: FieldPath): FieldError[] {
  const from = recOrUndef(ev["valueFrom"]);
  if (from === undefined) return [];
  const errs: FieldError[] = [];
  let numSources = 0;
  const fieldRef = recOrUndef(from["fieldRef"]);
  if (fieldRef !== undefined) {
    numSources++;
    errs.push(...validateObjectFieldSelector(fieldRef, ENV_DOWNWARD_API_FIELDS, p.child("fieldRef")));
  }
  const resourceFieldRef = recOrUndef(from["resourceFieldRef"]);
  if (resourceFieldRef !== undefined) {
    numSources++;
    errs.push(...validateContainerResourceFieldSelector(resourceFieldRef, p.child("resourceFieldRef"), false));
  }
  const configMapKeyRef = recOrUndef(from["configMapKeyRef"]);
  if (configMapKeyRef !== undefined) {
    numSources++;
    errs.push(...validateKeySelector(configMapKeyRef, p.child("configMapKeyRef")));
  }
  const secretKeyRef = recOrUndef(from["secretKeyRef"]);
  if (secretKeyRef !== undefined) {
    numSources++;
    errs.push(...validateKeySelector(secretKeyRef, p.child("secretKeyRef")));
  }
  if (numSources === 0) {
    errs.push(invalid(p, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
  } else if (str(ev["value"]).length !== 0) {
    errs.push(invalid(p, "", "may not be specified when `value` is not empty"));
  } else if (numSources > 1) {
    errs.push(invalid(p, "", "may not have more than one field specified at a time"));
  }
  return errs;
}

function validateEnv(vars: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((raw, i) => {
    const ev = rec(raw);
    const idx = p.index(i);
    const name = str(ev["name"]);
    if (name.length === 0) errs.push(required(idx.child("name"), ""));
    else errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(idx.child("name"), name, m)));
    errs.push(...validateEnvVarValueFrom(ev, idx.child("valueFrom")));
  });
  return errs;
}

function validateEnvFrom(sources: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  sources.forEach((raw, i) => {
    const ev = rec(raw);
    const idx = p.index(i);
    const prefix = str(ev["prefix"]);
    if (prefix.length > 0) errs.push(...isRelaxedEnvVarName(prefix).map((m) => invalid(idx.child("prefix"), prefix, m)));
    let numSources = 0;
    for (const kind of ["configMapRef", "secretRef"]) {
      const ref = recOrUndef(ev[kind]);
      if (ref === undefined) continue;
      numSources++;
      const name = str(ref["name"]);
      if (name.length === 0) errs.push(required(idx.child(kind).child("name"), ""));
      else errs.push(...nameIsDNSSubdomain(name, true).map((m) => invalid(idx.child(kind).child("name"), name, m)));
    }
    if (numSources === 0) errs.push(invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (numSources > 1) errs.push(invalid(p, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

// ---- volume mounts and devices ----

function validateMountPropagation(prop: string, privileged: boolean, p: FieldPath): FieldError[] {
  const supported = ["Bidirectional", "HostToContainer", "None"];
  const errs: FieldError[] = [];
  if (!supported.includes(prop)) errs.push(notSupported(p, prop, supported));
  if (prop === "Bidirectional" && !privileged) {
    errs.push(forbidden(p, "Bidirectional mount propagation is available only to privileged containers"));
  }
  return errs;
}

function validateRecursiveReadOnly(mount: Json, p: FieldPath): FieldError[] {
  const rro = strOrUndef(mount["recursiveReadOnly"]);
  if (rro === undefined || rro === "Disabled") return [];
  if (rro === "Enabled" || rro === "IfPossible") {
    const errs: FieldError[] = [];
    if (!bool(mount["readOnly"])) errs.push(forbidden(p, "may only be specified when readOnly is true"));
    const prop = strOrUndef(mount["mountPropagation"]);
    if (prop !== undefined && prop !== "None") {
      errs.push(forbidden(p, "may only be specified when mountPropagation is None or not specified"));
    }
    return errs;
  }
  return [notSupported(p, rro, ["Disabled", "Enabled", "IfPossible"])];
}

function validateVolumeMounts(
  mounts: readonly unknown[],
  devices: ReadonlyMap<string, string>,
  volumes: ReadonlyMap<string, Json>,
  privileged: boolean,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devicePaths = new Set(devices.values());
  mounts.forEach((raw, i) => {
    const mnt = rec(raw);
    const idx = p.index(i);
    const name = str(mnt["name"]);
    const mountPath = str(mnt["mountPath"]);
    if (name.length === 0) errs.push(required(idx.child("name"), ""));
    if (!volumes.has(name)) errs.push(notFound(idx.child("name"), name));
    if (mountPath.length === 0) errs.push(required(idx.child("mountPath"), ""));
    if (mountPoints.has(mountPath)) errs.push(invalid(idx.child("mountPath"), mountPath, "must be unique"));
    mountPoints.add(mountPath);
    if (devices.has(name)) errs.push(invalid(idx.child("name"), name, "must not already exist in volumeDevices"));
    if (devicePaths.has(mountPath)) {
      errs.push(invalid(idx.child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"));
    }
    const subPath = str(mnt["subPath"]);
    const subPathExpr = str(mnt["subPathExpr"]);
    if (recOrUndef(volumes.get(name)?.["image"]) !== undefined) {
      if (subPath.length !== 0) errs.push(invalid(idx.child("subPath"), subPath, "not allowed in image volume sources"));
      if (subPathExpr.length !== 0) {
        errs.push(invalid(idx.child("subPathExpr"), subPathExpr, "not allowed in image volume sources"));
      }
    }
    // Upstream reports these two at the list path, not the item (kept for identical output).
    if (subPath.length > 0) errs.push(...validateLocalDescendingPath(subPath, p.child("subPath")));
    if (subPathExpr.length > 0) {
      if (subPath.length > 0) {
        errs.push(invalid(idx.child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
      }
      errs.push(...validateLocalDescendingPath(subPathExpr, p.child("subPathExpr")));
    }
    const prop = strOrUndef(mnt["mountPropagation"]);
    if (prop !== undefined) errs.push(...validateMountPropagation(prop, privileged, p.child("mountPropagation")));
    errs.push(...validateRecursiveReadOnly(mnt, p.child("recursiveReadOnly")));
  });
  return errs;
}

function validateVolumeDevices(
  devices: readonly unknown[],
  mounts: ReadonlyMap<string, string>,
  volumes: ReadonlyMap<string, Json>,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const names = new Set<string>();
  const mountPaths = new Set(mounts.values());
  devices.forEach((raw, i) => {
    const dev = rec(raw);
    const idx = p.index(i);
    const name = str(dev["name"]);
    const devPath = str(dev["devicePath"]);
    const source = volumes.get(name);
    const isPVC = source !== undefined && (source["persistentVolumeClaim"] !== undefined || source["ephemeral"] !== undefined);
    if (name.length === 0) errs.push(required(idx.child("name"), ""));
    if (names.has(name)) errs.push(invalid(idx.child("name"), name, "must be unique"));
    if (source !== undefined && !isPVC) {
      errs.push(invalid(idx.child("name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"));
    }
    if (source === undefined) errs.push(notFound(idx.child("name"), name));
    if (devPath.length === 0) errs.push(required(idx.child("devicePath"), ""));
    if (paths.has(devPath)) errs.push(invalid(idx.child("devicePath"), devPath, "must be unique"));
    if (devPath.length > 0 && validatePathNoBacksteps(devPath, p.child("devicePath")).length > 0) {
      errs.push(invalid(idx.child("devicePath"), devPath, "can not contain backsteps ('..')"));
    } else paths.add(devPath);
    if (mounts.has(name)) errs.push(invalid(idx.child("name"), name, "must not already exist in volumeMounts"));
    if (mountPaths.has(devPath)) errs.push(invalid(idx.child("devicePath"), devPath, "must not already exist as a path in volumeMounts"));
    if (name.length > 0) names.add(name);
  });
  return errs;
}

// ---- resources ----

function hugePageDivisible(name: string, raw: unknown): boolean {
  const page = quantityOf(name.slice("hugepages-".length));
  const value = quantityOf(raw);
  if (!("q" in page) || !("q" in value)) return false;
  if (page.q.sign() <= 0 || page.q.milliValue() % 1000n !== 0n) return false;
  return value.q.value() % page.q.value() === 0n;
}

/** ValidateContainerResourceRequirements (resource names, quantities, requests ≤ limits). */
export function validateResourceRequirements(
  requirements: Json,
  p: FieldPath,
  nameFn: (name: string, p: FieldPath) => FieldError[] = validateContainerResourceName,
): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = p.child("limits");
  const reqPath = p.child("requests");
  const limits = rec(requirements["limits"]);
  let limCPUOrMemory = false;
  let reqCPUOrMemory = false;
  let limHugePages = false;
  let reqHugePages = false;
  const hugePageError = (name: string, raw: unknown, at: FieldPath): FieldError[] => {
    const q = quantityOf(raw);
    if (!("q" in q) || hugePageDivisible(name, raw)) return [];
    return [invalid(at, q.q.toString(), `${q.q.toString()} is not positive integer multiple of ${name}`)];
  };
  for (const [name, raw] of sortedEntries(limits)) {
    const at = limPath.key(name);
    errs.push(...nameFn(name, at));
    const q = quantityOf(raw);
    if ("error" in q) {
      errs.push(quantityDecodeError(at, raw, q.error));
      continue;
    }
    errs.push(...validateResourceQuantityValue(name, q.q, at));
    if (isHugePageResourceName(name)) {
      limHugePages = true;
      errs.push(...hugePageError(name, raw, at));
    }
    if (name === "cpu" || name === "memory") limCPUOrMemory = true;
  }
  for (const [name, raw] of sortedEntries(rec(requirements["requests"]))) {
    const at = reqPath.key(name);
    errs.push(...nameFn(name, at));
    const q = quantityOf(raw);
    if ("error" in q) {
      errs.push(quantityDecodeError(at, raw, q.error));
      continue;
    }
    errs.push(...validateResourceQuantityValue(name, q.q, at));
    const limitRaw = limits[name];
    const limit = limitRaw === undefined ? undefined : quantityOf(limitRaw);
    if (limit !== undefined && "q" in limit) {
      const cmp = q.q.cmp(limit.q);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.q.toString(), `must be equal to ${name} limit of ${limit.q.toString()}`));
      } else if (cmp > 0) {
        errs.push(invalid(reqPath, q.q.toString(), `must be less than or equal to ${name} limit of ${limit.q.toString()}`));
      }
    } else if (limit === undefined && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, "Limit must be set for non overcommitable resources"));
    }
    if (isHugePageResourceName(name)) {
      reqHugePages = true;
      errs.push(...hugePageError(name, raw, at));
    }
    if (name === "cpu" || name === "memory") reqCPUOrMemory = true;
  }
  if (!limCPUOrMemory && !reqCPUOrMemory && (reqHugePages || limHugePages)) {
    errs.push(forbidden(p, "HugePages require cpu or memory"));
  }
  arr(requirements["claims"]).forEach((raw, i) => {
    const name = str(rec(raw)["name"]);
    if (name === "") errs.push(required(p.child("claims").index(i), ""));
  });
  return errs;
}

function validateResizePolicy(policies: readonly unknown[], p: FieldPath, podRestartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  policies.forEach((raw, i) => {
    const policy = rec(raw);
    const name = str(policy["resourceName"]);
    const restart = str(policy["restartPolicy"]);
    if (seen.has(name)) errs.push(duplicate(p.index(i), name));
    seen.add(name);
    if (name === "") errs.push(required(p, ""));
    else if (name !== "cpu" && name !== "memory") errs.push(notSupported(p, name, ["cpu", "memory"]));
    if (restart === "") errs.push(required(p, ""));
    else if (restart !== "NotRequired" && restart !== "RestartContainer") {
      errs.push(notSupported(p, restart, ["NotRequired", "RestartContainer"]));
    }
    if (podRestartPolicy === "Never" && restart !== "NotRequired") {
      errs.push(invalid(p, restart, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

// ---- security context ----

function validateSeccompProfile(sp: Json | undefined, p: FieldPath): FieldError[] {
  if (sp === undefined) return [];
  const errs: FieldError[] = [];
  const type = str(sp["type"]);
  const types = ["Localhost", "RuntimeDefault", "Unconfined"];
  if (type === "") errs.push(required(p.child("type"), "type is required when seccompProfile is set"));
  else if (!types.includes(type)) errs.push(notSupported(p.child("type"), type, types));
  const localhost = strOrUndef(sp["localhostProfile"]);
  if (type === "Localhost") {
    if (localhost === undefined) errs.push(required(p.child("localhostProfile"), "must be set when seccomp type is Localhost"));
    else errs.push(...validateLocalDescendingPath(localhost, p.child("localhostProfile")));
  } else if (localhost !== undefined) {
    errs.push(invalid(p.child("localhostProfile"), { json: sp }, "can only be set when seccomp type is Localhost"));
  }
  return errs;
}

export function validateAppArmorProfile(profile: Json | undefined, p: FieldPath): FieldError[] {
  if (profile === undefined) return [];
  const type = str(profile["type"]);
  const localhost = strOrUndef(profile["localhostProfile"]);
  switch (type) {
    case "Localhost": {
      if (localhost === undefined) return [required(p.child("localhostProfile"), "must be set when AppArmor type is Localhost")];
      const errs: FieldError[] = [];
      if (localhost.trim() !== localhost) {
        errs.push(invalid(p.child("localhostProfile"), localhost, "must not be padded with whitespace"));
      } else if (localhost === "") {
        errs.push(required(p.child("localhostProfile"), "must be set when AppArmor type is Localhost"));
      }
      if (utf8ByteLength(localhost) > 4095) errs.push(tooLong(p.child("localhostProfile"), "", 4095));
      return errs;
    }
    case "RuntimeDefault":
    case "Unconfined":
      return localhost !== undefined
        ? [invalid(p.child("localhostProfile"), localhost, "can only be set when AppArmor type is Localhost")]
        : [];
    case "":
      return [required(p.child("type"), "type is required when appArmorProfile is set")];
    default:
      return [notSupported(p.child("type"), type, ["Localhost", "RuntimeDefault", "Unconfined"])];
  }
}

export function validateIDs(sc: Json, p: FieldPath, keys: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of keys) {
    const id = numOrUndef(sc[k]);
    if (id !== undefined) errs.push(...isValidID(id).map((m) => invalid(p.child(k), id, m)));
  }
  return errs;
}

/**
 * ValidateSecurityContext. Privileged containers are allowed: the reference server behaves like a
 * kube-apiserver started with --allow-privileged=true (kubeadm's and kind's setting).
 */
function validateSecurityContext(sc: Json | undefined, p: FieldPath, hostUsers: boolean): FieldError[] {
  if (sc === undefined) return [];
  const errs = validateIDs(sc, p, ["runAsUser", "runAsGroup"]);
  const procMount = strOrUndef(sc["procMount"]);
  if (procMount !== undefined) {
    if (procMount !== "Default" && procMount !== "Unmasked") {
      errs.push(notSupported(p.child("procMount"), procMount, ["Default", "Unmasked"]));
    }
    if (hostUsers && procMount === "Unmasked") {
      errs.push(invalid(p.child("procMount"), procMount, "`hostUsers` must be false to use `Unmasked`"));
    }
  }
  errs.push(...validateSeccompProfile(recOrUndef(sc["seccompProfile"]), p.child("seccompProfile")));
  if (sc["allowPrivilegeEscalation"] === false) {
    if (sc["privileged"] === true) {
      errs.push(invalid(p, { json: sc }, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
    }
    for (const cap of arr(rec(sc["capabilities"])["add"])) {
      if (cap === "CAP_SYS_ADMIN") {
        errs.push(invalid(p, { json: sc }, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
      }
    }
  }
  errs.push(...validateAppArmorProfile(recOrUndef(sc["appArmorProfile"]), p.child("appArmorProfile")));
  return errs;
}

// ---- probes and handlers ----

function validateHTTPGetAction(http: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(http["path"]).length === 0) errs.push(required(p.child("path"), ""));
  errs.push(...validatePortNumOrName(http["port"], p.child("port")));
  const scheme = str(http["scheme"]);
  if (scheme !== "HTTP" && scheme !== "HTTPS") errs.push(notSupported(p.child("scheme"), scheme, ["HTTP", "HTTPS"]));
  for (const header of arr(http["httpHeaders"])) {
    const name = str(rec(header)["name"]);
    errs.push(...isHTTPHeaderName(name).map((m) => invalid(p.child("httpHeaders"), name, m)));
  }
  return errs;
}

type HandlerKind = "exec" | "httpGet" | "tcpSocket" | "grpc" | "sleep";

function validateHandler(handler: Json, kinds: readonly HandlerKind[], gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let numHandlers = 0;
  for (const kind of kinds) {
    const h = recOrUndef(handler[kind]);
    if (h === undefined) continue;
    if (numHandlers > 0) {
      errs.push(forbidden(p.child(kind), "may not specify more than 1 handler type"));
      continue;
    }
    numHandlers++;
    const at = p.child(kind);
    if (kind === "exec" && arr(h["command"]).length === 0) errs.push(required(at.child("command"), ""));
    if (kind === "httpGet") errs.push(...validateHTTPGetAction(h, at));
    if (kind === "tcpSocket") errs.push(...validatePortNumOrName(h["port"], at.child("port")));
    if (kind === "grpc") errs.push(...validatePortNumOrName(num(h["port"]), at.child("port")));
    if (kind === "sleep") {
      const seconds = num(h["seconds"]);
      // PodLifecycleSleepActionAllowZero is on by default in 1.33: zero is allowed.
      if (gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod)) {
        errs.push(invalid(at, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
      }
    }
  }
  if (numHandlers === 0) errs.push(required(p, "must specify a handler type"));
  return errs;
}

const PROBE_HANDLERS: readonly HandlerKind[] = ["exec", "httpGet", "tcpSocket", "grpc"];
const LIFECYCLE_HANDLERS: readonly HandlerKind[] = ["exec", "httpGet", "tcpSocket", "sleep"];

function validateProbe(probe: Json, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  const errs = validateHandler(probe, PROBE_HANDLERS, gracePeriod, p);
  for (const k of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]) {
    errs.push(...nonnegative(num(probe[k]), p.child(k)));
  }
  const tgps = numOrUndef(probe["terminationGracePeriodSeconds"]);
  if (tgps !== undefined && tgps <= 0) errs.push(invalid(p.child("terminationGracePeriodSeconds"), tgps, "must be greater than 0"));
  return errs;
}

type ProbeKind = "livenessProbe" | "readinessProbe" | "startupProbe";

function validateNamedProbe(kind: ProbeKind, raw: unknown, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  const probe = recOrUndef(raw);
  if (probe === undefined) return [];
  const errs = validateProbe(probe, gracePeriod, p);
  if (kind === "readinessProbe") {
    const tgps = numOrUndef(probe["terminationGracePeriodSeconds"]);
    if (tgps !== undefined) errs.push(invalid(p.child("terminationGracePeriodSeconds"), tgps, "must not be set for readinessProbes"));
  } else {
    const threshold = num(probe["successThreshold"]);
    if (threshold !== 1) errs.push(invalid(p.child("successThreshold"), threshold, "must be 1"));
  }
  return errs;
}

function validateLifecycle(lifecycle: Json, gracePeriod: number | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ["postStart", "preStop"]) {
    const h = recOrUndef(lifecycle[hook]);
    if (h !== undefined) errs.push(...validateHandler(h, LIFECYCLE_HANDLERS, gracePeriod, p.child(hook)));
  }
  return errs;
}

function validateProbesAndLifecycle(ctr: Json, opts: ContainerOptions, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const lifecycle = recOrUndef(ctr["lifecycle"]);
  if (lifecycle !== undefined) errs.push(...validateLifecycle(lifecycle, opts.gracePeriod, p.child("lifecycle")));
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    errs.push(...validateNamedProbe(kind, ctr[kind], opts.gracePeriod, p.child(kind)));
  }
  return errs;
}

// ---- containers ----

function pullPolicyErrors(policy: string, p: FieldPath): FieldError[] {
  if (policy === "Always" || policy === "IfNotPresent" || policy === "Never") return [];
  if (policy === "") return [required(p, "")];
  return [notSupported(p, policy, ["Always", "IfNotPresent", "Never"])];
}

function namedPaths(items: readonly unknown[], pathKey: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of items) m.set(str(rec(raw)["name"]), str(rec(raw)[pathKey]));
  return m;
}

/** validateContainerCommon: what every kind of container must satisfy. */
function validateContainerCommon(ctr: Json, volumes: ReadonlyMap<string, Json>, p: FieldPath, opts: ContainerOptions): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr["name"]);
  if (name.length === 0) errs.push(required(p.child("name"), ""));
  else errs.push(...dns1123Label(name, p.child("name")));
  if (str(ctr["image"]).length === 0) errs.push(required(p.child("image"), ""));
  const tmp = str(ctr["terminationMessagePolicy"]);
  if (tmp === "") errs.push(required(p.child("terminationMessagePolicy"), ""));
  else if (tmp !== "File" && tmp !== "FallbackToLogsOnError") {
    errs.push(notSupported(p.child("terminationMessagePolicy"), tmp, ["File", "FallbackToLogsOnError"]));
  }
  const mounts = arr(ctr["volumeMounts"]);
  const devices = arr(ctr["volumeDevices"]);
  const privileged = rec(ctr["securityContext"])["privileged"] === true;
  errs.push(...validateContainerPorts(arr(ctr["ports"]), p.child("ports")));
  errs.push(...validateEnv(arr(ctr["env"]), p.child("env")));
  errs.push(...validateEnvFrom(arr(ctr["envFrom"]), p.child("envFrom")));
  errs.push(...validateVolumeMounts(mounts, namedPaths(devices, "devicePath"), volumes, privileged, p.child("volumeMounts")));
  errs.push(...validateVolumeDevices(devices, namedPaths(mounts, "mountPath"), volumes, p.child("volumeDevices")));
  errs.push(...pullPolicyErrors(str(ctr["imagePullPolicy"]), p.child("imagePullPolicy")));
  errs.push(...validateResourceRequirements(rec(ctr["resources"]), p.child("resources")));
  errs.push(...validateResizePolicy(arr(ctr["resizePolicy"]), p.child("resizePolicy"), opts.podRestartPolicy));
  errs.push(...validateSecurityContext(recOrUndef(ctr["securityContext"]), p.child("securityContext"), opts.hostUsers));
  return errs;
}

/** validateContainers: at least one, unique names, probes and lifecycle, no restartPolicy. */
export function validateContainers(
  containers: readonly unknown[],
  volumes: ReadonlyMap<string, Json>,
  p: FieldPath,
  opts: ContainerOptions,
): FieldError[] {
  if (containers.length === 0) return [required(p, "")];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const ctr = rec(raw);
    const at = p.index(i);
    const name = str(ctr["name"]);
    errs.push(...validateContainerCommon(ctr, volumes, at, opts));
    if (names.has(name)) errs.push(duplicate(at.child("name"), name));
    else names.add(name);
    errs.push(...validateProbesAndLifecycle(ctr, opts, at));
    if (ctr["restartPolicy"] !== undefined && ctr["restartPolicy"] !== null) {
      errs.push(forbidden(at.child("restartPolicy"), "may not be set for non-init containers"));
    }
  });
  errs.push(...checkHostPortConflicts(containers, p));
  return errs;
}

/** validateInitContainers: names unique across init and regular containers; sidecars may probe. */
export function validateInitContainers(
  containers: readonly unknown[],
  regular: readonly unknown[],
  volumes: ReadonlyMap<string, Json>,
  p: FieldPath,
  opts: ContainerOptions,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => str(rec(c)["name"])));
  containers.forEach((raw, i) => {
    const ctr = rec(raw);
    const at = p.index(i);
    const name = str(ctr["name"]);
    errs.push(...validateContainerCommon(ctr, volumes, at, opts));
    const restartPolicy = strOrUndef(ctr["restartPolicy"]);
    if (restartPolicy !== undefined && restartPolicy !== "Always") {
      errs.push(notSupported(at.child("restartPolicy"), restartPolicy, ["Always"]));
    }
    if (names.has(name)) errs.push(duplicate(at.child("name"), name));
    else if (name.length > 0) names.add(name);
    errs.push(...checkHostPortConflicts([ctr], p));
    if (restartPolicy === "Always") errs.push(...validateProbesAndLifecycle(ctr, opts, at));
    else {
      for (const k of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
        if (recOrUndef(ctr[k]) !== undefined) {
          errs.push(forbidden(at.child(k), "may not be set for init containers without restartPolicy=Always"));
        }
      }
    }
  });
  return errs;
}

/** EphemeralContainerCommon fields in declaration order, and whether they may be set. */
const EPHEMERAL_FIELDS: readonly [string, boolean][] = [
  ["name", true],
  ["image", true],
  ["command", true],
  ["args", true],
  ["workingDir", true],
  ["ports", false],
  ["envFrom", true],
  ["env", true],
  ["resources", false],
  ["resizePolicy", false],
  ["restartPolicy", false],
  ["volumeMounts", true],
  ["volumeDevices", true],
  ["livenessProbe", false],
  ["readinessProbe", false],
  ["startupProbe", false],
  ["lifecycle", false],
  ["terminationMessagePath", true],
  ["terminationMessagePolicy", true],
  ["imagePullPolicy", true],
  ["securityContext", true],
  ["stdin", true],
  ["stdinOnce", true],
  ["tty", true],
];

function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

export function validateEphemeralContainers(
  ephemeral: readonly unknown[],
  containers: readonly unknown[],
  initContainers: readonly unknown[],
  volumes: ReadonlyMap<string, Json>,
  p: FieldPath,
  opts: ContainerOptions,
): FieldError[] {
  if (ephemeral.length === 0) return [];
  const errs: FieldError[] = [];
  const other = new Set([...containers, ...initContainers].map((c) => str(rec(c)["name"])));
  const all = new Set(other);
  ephemeral.forEach((raw, i) => {
    const ec = rec(raw);
    const at = p.index(i);
    const name = str(ec["name"]);
    errs.push(...validateContainerCommon(ec, volumes, at, opts));
    errs.push(...imageWhitespace(ec, at));
    if (all.has(name)) errs.push(duplicate(at.child("name"), name));
    else all.add(name);
    const target = str(ec["targetContainerName"]);
    if (target !== "" && !other.has(target)) {
      errs.push(notFound(at.child("targetContainerName"), target));
    }
    for (const [field, allowed] of EPHEMERAL_FIELDS) {
      if (!allowed && isSet(ec[field])) errs.push(forbidden(at.child(field), "cannot be set for an Ephemeral Container"));
    }
    arr(ec["volumeMounts"]).forEach((vm, j) => {
      for (const k of ["subPath", "subPathExpr"]) {
        if (str(rec(vm)[k]) !== "") {
          errs.push(forbidden(at.child("volumeMounts").index(j).child(k), "cannot be set for an Ephemeral Container"));
        }
      }
    });
  });
  return errs;
}

/** validateContainerOnlyForPod: pods (not templates) may not pad the image with spaces. */
export function imageWhitespace(ctr: Json, p: FieldPath): FieldError[] {
  const image = str(ctr["image"]);
  return image.trim().length !== image.length
    ? [invalid(p.child("image"), image, "must not have leading or trailing whitespace")]
    : [];
}
