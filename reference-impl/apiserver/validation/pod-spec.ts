// ValidatePodSpec (pkg/apis/core/validation) for a defaulted v1 PodSpec, in upstream's order:
// volumes, containers, init and ephemeral containers, host network ports, restart and DNS
// policies, node selector, security context, affinity, DNS config, gates, topology spread,
// Windows host-process rules, user namespaces, names, deadlines, tolerations, host aliases,
// priority and runtime class, overhead, OS.
//
// Upstream validates the internal type, where hostNetwork/hostPID/hostIPC and
// shareProcessNamespace live under securityContext; error paths keep upstream's spelling.
// Options follow Kubernetes 1.33 defaults (relaxed env var names, relaxed DNS search, zero-second
// sleep hooks, sidecar resize policies allowed; pod-level resources off).

import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from "../../../spec/semantics/field-errors.ts";
import { utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import {
  isValidLabelValue,
  isValidIP,
  nameIsDNSSubdomain,
  validateLabelName,
  validateLabels,
  validateNamespaceName,
  inclusiveRangeError,
} from "../../../spec/semantics/validation.ts";
import { type MetaLabelSelector, validateLabelSelector } from "../../../spec/semantics/labels.ts";
import {
  arr,
  bool,
  dns1123Label,
  dns1123Subdomain,
  INT32_MAX,
  IS_NOT_POSITIVE,
  isDNS1123SubdomainWithUnderscore,
  isValidID,
  type Json,
  nameErrors,
  num,
  numOrUndef,
  qualifiedName,
  rec,
  recOrUndef,
  str,
  strMap,
  strOrUndef,
} from "./common.ts";
import {
  type ContainerOptions,
  validateAppArmorProfile,
  validateContainers,
  validateEphemeralContainers,
  validateIDs,
  validateInitContainers,
  validateResourceRequirements,
} from "./containers.ts";
import { validateLocalDescendingPath, validateVolumes } from "./volumes.ts";

export interface PodSpecOptions {
  /** The object is a Pod, not a template inside a workload. */
  readonly resourceIsPod: boolean;
  /** The pod's name (generic ephemeral volumes derive PVC names from it); "" for templates. */
  readonly podName: string;
}

const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;

// ---- tolerations and taints ----

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function validateTaintEffect(effect: string, allowEmpty: boolean, p: FieldPath): FieldError[] {
  if (!allowEmpty && effect.length === 0) return [required(p, "")];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(p, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((raw, i) => {
    const t = rec(raw);
    const idx = p.index(i);
    const key = str(t["key"]);
    const operator = str(t["operator"]);
    const effect = str(t["effect"]);
    const value = str(t["value"]);
    if (key.length > 0) errs.push(...validateLabelName(key, idx.child("key")));
    if (key.length === 0 && operator !== "Exists") {
      errs.push(
        invalid(idx.child("operator"), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    }
    if (numOrUndef(t["tolerationSeconds"]) !== undefined && effect !== "NoExecute") {
      errs.push(invalid(idx.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === "Equal" || operator === "") {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(invalid(idx.child("operator"), value, msgs.join(";")));
    } else if (operator === "Exists") {
      if (value.length > 0) errs.push(invalid(idx.child("operator"), value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(idx.child("operator"), operator, ["Equal", "Exists"]));
    }
    if (effect.length > 0) errs.push(...validateTaintEffect(effect, true, idx.child("effect")));
  });
  return errs;
}

// ---- affinity ----

function validateNodeSelectorRequirement(rq: Json, allowInvalidValues: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = arr(rq["values"]).map(String);
  const operator = str(rq["operator"]);
  switch (operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) errs.push(required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) {
        errs.push(forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) errs.push(required(p.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(p.child("operator"), operator, "not a valid selector operator"));
  }
  errs.push(...validateLabelName(str(rq["key"]), p.child("key")));
  if (!allowInvalidValues) {
    values.forEach((v, i) => errs.push(...isValidLabelValue(v).map((m) => invalid(p.child("values").index(i), v, m))));
  }
  return errs;
}

function validateNodeFieldSelectorRequirement(rq: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = arr(rq["values"]).map(String);
  const operator = str(rq["operator"]);
  if (operator === "In" || operator === "NotIn") {
    if (values.length !== 1) {
      errs.push(required(p.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else errs.push(invalid(p.child("operator"), operator, "not a valid selector operator"));
  const key = str(rq["key"]);
  if (key !== "metadata.name") errs.push(invalid(p.child("key"), key, "not a valid field selector key"));
  else values.forEach((v, i) => errs.push(...nameErrors(nameIsDNSSubdomain, v, p.child("values").index(i))));
  return errs;
}

export function validateNodeSelectorTerm(term: Json, allowInvalidValues: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  arr(term["matchExpressions"]).forEach((rq, j) =>
    errs.push(...validateNodeSelectorRequirement(rec(rq), allowInvalidValues, p.child("matchExpressions").index(j))),
  );
  arr(term["matchFields"]).forEach((rq, j) =>
    errs.push(...validateNodeFieldSelectorRequirement(rec(rq), p.child("matchFields").index(j))),
  );
  return errs;
}

function validateNodeAffinity(na: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const requiredSel = recOrUndef(na["requiredDuringSchedulingIgnoredDuringExecution"]);
  if (requiredSel !== undefined) {
    const termsPath = p.child("requiredDuringSchedulingIgnoredDuringExecution").child("nodeSelectorTerms");
    const terms = arr(requiredSel["nodeSelectorTerms"]);
    if (terms.length === 0) errs.push(required(termsPath, "must have at least one node selector term"));
    terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(rec(t), false, termsPath.index(i))));
  }
  arr(na["preferredDuringSchedulingIgnoredDuringExecution"]).forEach((raw, i) => {
    const term = rec(raw);
    const at = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
    const weight = num(term["weight"]);
    if (weight <= 0 || weight > 100) errs.push(invalid(at.child("weight"), weight, "must be in the range 1-100"));
    // Preferred terms always tolerate invalid label values (a single node may still match).
    errs.push(...validateNodeSelectorTerm(rec(term["preference"]), true, at.child("preference")));
  });
  return errs;
}

function selectorOf(v: unknown): MetaLabelSelector | undefined {
  return recOrUndef(v) as MetaLabelSelector | undefined;
}

function validateLabelKeys(p: FieldPath, keys: readonly string[], selector: MetaLabelSelector | undefined): FieldError[] {
  if (keys.length === 0) return [];
  if (selector === undefined) return [forbidden(p, "must not be specified when labelSelector is not set")];
  return keys.flatMap((k, i) => validateLabelName(k, p.index(i)));
}

function validateMatchLabelKeysAndMismatchLabelKeys(p: FieldPath, term: Json, selector: MetaLabelSelector | undefined): FieldError[] {
  const matchKeys = arr(term["matchLabelKeys"]).map(String);
  const mismatchKeys = arr(term["mismatchLabelKeys"]).map(String);
  const errs = [
    ...validateLabelKeys(p.child("matchLabelKeys"), matchKeys, selector),
    ...validateLabelKeys(p.child("mismatchLabelKeys"), mismatchKeys, selector),
  ];
  if (selector !== undefined) {
    const index = new Map(matchKeys.map((k, i) => [k, i] as const));
    const selectorKeys = new Set(Object.keys(selector.matchLabels ?? {}));
    for (const expr of selector.matchExpressions ?? []) {
      const i = index.get(expr.key);
      if (i !== undefined && selectorKeys.has(expr.key)) {
        errs.push(invalid(p.index(i), expr.key, "exists in both matchLabelKeys and labelSelector"));
      }
      selectorKeys.add(expr.key);
    }
  }
  const mismatch = new Set(mismatchKeys);
  matchKeys.forEach((k, i) => {
    if (mismatch.has(k)) errs.push(invalid(p.child("matchLabelKeys").index(i), k, "exists in both matchLabelKeys and mismatchLabelKeys"));
  });
  return errs;
}

function validatePodAffinityTerm(term: Json, p: FieldPath): FieldError[] {
  const selector = selectorOf(term["labelSelector"]);
  const errs = [
    ...validateLabelSelector(selector, p.child("labelSelector")),
    ...validateLabelSelector(selectorOf(term["namespaceSelector"]), p.child("namespaceSelector")),
  ];
  for (const ns of arr(term["namespaces"]).map(String)) {
    // Upstream reports these at `namespace` (singular).
    errs.push(...validateNamespaceName(ns, false).map((m) => invalid(p.child("namespace"), ns, m)));
  }
  errs.push(...validateMatchLabelKeysAndMismatchLabelKeys(p, term, selector));
  const topologyKey = str(term["topologyKey"]);
  if (topologyKey.length === 0) errs.push(required(p.child("topologyKey"), "can not be empty"));
  errs.push(...validateLabelName(topologyKey, p.child("topologyKey")));
  return errs;
}

function validatePodAffinity(pa: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const reqPath = p.child("requiredDuringSchedulingIgnoredDuringExecution");
  arr(pa["requiredDuringSchedulingIgnoredDuringExecution"]).forEach((t, i) =>
    errs.push(...validatePodAffinityTerm(rec(t), reqPath.index(i))),
  );
  const prefPath = p.child("preferredDuringSchedulingIgnoredDuringExecution");
  arr(pa["preferredDuringSchedulingIgnoredDuringExecution"]).forEach((raw, j) => {
    const wt = rec(raw);
    const weight = num(wt["weight"]);
    if (weight <= 0 || weight > 100) errs.push(invalid(prefPath.index(j).child("weight"), weight, "must be in the range 1-100"));
    errs.push(...validatePodAffinityTerm(rec(wt["podAffinityTerm"]), prefPath.index(j).child("podAffinityTerm")));
  });
  return errs;
}

function validateAffinity(affinity: Json | undefined, p: FieldPath): FieldError[] {
  if (affinity === undefined) return [];
  const errs: FieldError[] = [];
  const na = recOrUndef(affinity["nodeAffinity"]);
  if (na !== undefined) errs.push(...validateNodeAffinity(na, p.child("nodeAffinity")));
  const pa = recOrUndef(affinity["podAffinity"]);
  if (pa !== undefined) errs.push(...validatePodAffinity(pa, p.child("podAffinity")));
  const paa = recOrUndef(affinity["podAntiAffinity"]);
  if (paa !== undefined) errs.push(...validatePodAffinity(paa, p.child("podAntiAffinity")));
  return errs;
}

// ---- pod security context ----

/** utilsysctl.GetNamespace: which kernel namespace a sysctl belongs to. */
function sysctlNamespace(name: string): "net" | "ipc" | "" {
  const n = name.replaceAll("/", ".");
  if (n.startsWith("net.")) return "net";
  if (n === "kernel.sem" || n.startsWith("kernel.shm") || n.startsWith("kernel.msg") || n.startsWith("fs.mqueue.")) return "ipc";
  return "";
}

const SYSCTL_SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
const SYSCTL_REGEX_TEXT = `^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`;
const sysctlRegexp = new RegExp(SYSCTL_REGEX_TEXT);

function validateSysctls(sysctls: readonly unknown[], hostNetwork: boolean, hostIPC: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  sysctls.forEach((raw, i) => {
    const name = str(rec(raw)["name"]);
    const at = p.index(i).child("name");
    if (name.length === 0) errs.push(required(at, ""));
    else if (utf8ByteLength(name) > 253 || !sysctlRegexp.test(name)) {
      errs.push(invalid(at, name, `must have at most 253 characters and match regex ${SYSCTL_REGEX_TEXT}`));
    } else if (names.has(name)) errs.push(duplicate(at, name));
    const ns = sysctlNamespace(name);
    if (hostNetwork && ns === "net") errs.push(invalid(at, name, "may not be specified when 'hostNetwork' is true"));
    else if (hostIPC && ns === "ipc") errs.push(invalid(at, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errs;
}

function enumErrors(value: unknown, p: FieldPath, supported: readonly string[]): FieldError[] {
  const v = strOrUndef(value);
  return v !== undefined && !supported.includes(v) ? [notSupported(p, v, supported)] : [];
}

function validatePodSecurityContext(spec: Json, p: FieldPath): FieldError[] {
  const sc = rec(spec["securityContext"]);
  const errs = validateIDs(sc, p, ["fsGroup", "runAsUser", "runAsGroup"]);
  arr(sc["supplementalGroups"]).forEach((g, i) => {
    const gid = num(g);
    errs.push(...isValidID(gid).map((m) => invalid(p.child("supplementalGroups").index(i), gid, m)));
  });
  if (spec["shareProcessNamespace"] === true && bool(spec["hostPID"])) {
    errs.push(invalid(p.child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
  }
  const sysctls = arr(sc["sysctls"]);
  if (sysctls.length > 0) errs.push(...validateSysctls(sysctls, bool(spec["hostNetwork"]), bool(spec["hostIPC"]), p.child("sysctls")));
  errs.push(...enumErrors(sc["fsGroupChangePolicy"], p.child("fsGroupChangePolicy"), ["Always", "OnRootMismatch"]));
  errs.push(...validateSeccompProfileField(recOrUndef(sc["seccompProfile"]), p.child("seccompProfile")));
  errs.push(...validateAppArmorProfile(recOrUndef(sc["appArmorProfile"]), p.child("appArmorProfile")));
  errs.push(...enumErrors(sc["supplementalGroupsPolicy"], p.child("supplementalGroupsPolicy"), ["Merge", "Strict"]));
  errs.push(...enumErrors(sc["seLinuxChangePolicy"], p.child("seLinuxChangePolicy"), ["MountOption", "Recursive"]));
  return errs;
}

function validateSeccompProfileField(sp: Json | undefined, p: FieldPath): FieldError[] {
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

// ---- DNS, gates, topology spread ----

function validatePodDNSConfig(spec: Json, p: FieldPath): FieldError[] {
  const dnsConfig = recOrUndef(spec["dnsConfig"]);
  const errs: FieldError[] = [];
  if (str(spec["dnsPolicy"]) === "None") {
    if (dnsConfig === undefined) return [required(p, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (arr(dnsConfig["nameservers"]).length === 0) {
      return [required(p.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")];
    }
  }
  if (dnsConfig === undefined) return errs;
  const nameservers = arr(dnsConfig["nameservers"]).map(String);
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(invalid(p.child("nameservers"), nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => errs.push(...isValidIP(p.child("nameservers").index(i), ns)));
  const searches = arr(dnsConfig["searches"]).map(String);
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(invalid(p.child("searches"), searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  if (utf8ByteLength(searches.join(" ")) > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(
      invalid(p.child("searches"), searches, `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`),
    );
  }
  searches.forEach((search, i) => {
    // RelaxedDNSSearchValidation (on by default in 1.33): "." and underscores are allowed.
    if (search === ".") return;
    const trimmed = search.endsWith(".") ? search.slice(0, -1) : search;
    errs.push(...isDNS1123SubdomainWithUnderscore(trimmed).map((m) => invalid(p.child("searches").index(i), trimmed, m)));
  });
  arr(dnsConfig["options"]).forEach((o, i) => {
    if (str(rec(o)["name"]).length === 0) errs.push(required(p.child("options").index(i), "must not be empty"));
  });
  return errs;
}

function validateSchedulingGates(gates: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  gates.forEach((raw, i) => {
    const name = str(rec(raw)["name"]);
    errs.push(...qualifiedName(name, p.index(i)));
    if (seen.has(name)) errs.push(duplicate(p.index(i), name));
    seen.add(name);
  });
  return errs;
}

function validateTopologySpreadConstraints(constraints: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  constraints.forEach((raw, i) => {
    const c = rec(raw);
    const at = p.index(i);
    const maxSkew = num(c["maxSkew"]);
    if (maxSkew <= 0) errs.push(invalid(at.child("maxSkew"), maxSkew, IS_NOT_POSITIVE));
    const topologyKey = str(c["topologyKey"]);
    if (topologyKey.length === 0) errs.push(required(at.child("topologyKey"), "can not be empty"));
    const when = str(c["whenUnsatisfiable"]);
    if (when !== "DoNotSchedule" && when !== "ScheduleAnyway") {
      errs.push(notSupported(at.child("whenUnsatisfiable"), when, ["DoNotSchedule", "ScheduleAnyway"]));
    }
    const repeat = constraints
      .slice(i + 1)
      .some((other) => str(rec(other)["topologyKey"]) === topologyKey && str(rec(other)["whenUnsatisfiable"]) === when);
    if (repeat) errs.push(duplicate(at.child("{topologyKey, whenUnsatisfiable}"), `{${topologyKey}, ${when}}`));
    const minDomains = numOrUndef(c["minDomains"]);
    if (minDomains !== undefined) {
      if (minDomains <= 0) errs.push(invalid(at.child("minDomains"), minDomains, IS_NOT_POSITIVE));
      if (when !== "DoNotSchedule") {
        errs.push(invalid(at.child("minDomains"), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
      }
    }
    errs.push(...enumErrors(c["nodeAffinityPolicy"], at.child("nodeAffinityPolicy"), ["Honor", "Ignore"]));
    errs.push(...enumErrors(c["nodeTaintsPolicy"], at.child("nodeTaintsPolicy"), ["Honor", "Ignore"]));
    const selector = selectorOf(c["labelSelector"]);
    const matchLabelKeys = arr(c["matchLabelKeys"]).map(String);
    if (matchLabelKeys.length > 0) {
      const keysPath = at.child("matchLabelKeys");
      const selectorKeys = new Set<string>();
      if (selector !== undefined) {
        for (const k of Object.keys(selector.matchLabels ?? {})) selectorKeys.add(k);
        for (const e of selector.matchExpressions ?? []) selectorKeys.add(e.key);
      } else errs.push(forbidden(keysPath, "must not be specified when labelSelector is not set"));
      matchLabelKeys.forEach((k, j) => {
        errs.push(...validateLabelName(k, keysPath.index(j)));
        if (selectorKeys.has(k)) errs.push(invalid(keysPath.index(j), k, "exists in both matchLabelKeys and labelSelector"));
      });
    }
    errs.push(...validateLabelSelector(selector, at.child("labelSelector")));
  });
  return errs;
}

// ---- OS and Windows ----

interface VisitedContainer {
  readonly ctr: Json;
  readonly path: FieldPath;
}

/** podshelper.VisitContainersWithPath: init, regular, then ephemeral containers. */
function visitContainers(spec: Json, specPath: FieldPath): VisitedContainer[] {
  const out: VisitedContainer[] = [];
  for (const kind of ["initContainers", "containers", "ephemeralContainers"]) {
    arr(spec[kind]).forEach((c, i) => out.push({ ctr: rec(c), path: specPath.child(kind).index(i) }));
  }
  return out;
}

function validateWindowsHostProcessPod(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const podHostProcess = rec(rec(spec["securityContext"])["windowsOptions"])["hostProcess"];
  let count = 0;
  let hostProcessCount = 0;
  for (const { ctr, path: cp } of visitContainers(spec, p)) {
    count++;
    const ctrHostProcess = rec(rec(ctr["securityContext"])["windowsOptions"])["hostProcess"];
    if (typeof podHostProcess === "boolean" && typeof ctrHostProcess === "boolean" && podHostProcess !== ctrHostProcess) {
      errs.push(
        invalid(
          cp.child("securityContext", "windowsOptions", "hostProcess"),
          ctrHostProcess,
          `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`,
        ),
      );
    }
    if (ctrHostProcess === true || (ctrHostProcess === undefined && podHostProcess === true)) hostProcessCount++;
  }
  if (hostProcessCount > 0) {
    if (hostProcessCount !== count) {
      errs.push(invalid(p, "", "If pod contains any hostProcess containers then all containers must be HostProcess containers"));
    }
    if (!bool(spec["hostNetwork"])) {
      errs.push(invalid(p.child("hostNetwork"), false, "hostNetwork must be true if pod contains any hostProcess containers"));
    }
  }
  return errs;
}

const WINDOWS_POD_FORBIDDEN: readonly [string, boolean][] = [
  // [securityContext field, reported under securityContext (true) or directly under spec (false)]
  ["appArmorProfile", true],
  ["seLinuxOptions", true],
  ["hostUsers", false],
  ["hostPID", false],
  ["hostIPC", false],
  ["seccompProfile", true],
  ["fsGroup", true],
  ["fsGroupChangePolicy", true],
  ["sysctls", true],
  ["shareProcessNamespace", false],
  ["runAsUser", true],
  ["runAsGroup", true],
  ["supplementalGroups", true],
  ["supplementalGroupsPolicy", true],
  ["seLinuxChangePolicy", true],
];

const WINDOWS_CONTAINER_FORBIDDEN = [
  "appArmorProfile",
  "seLinuxOptions",
  "seccompProfile",
  "capabilities",
  "readOnlyRootFilesystem",
  "privileged",
  "allowPrivilegeEscalation",
  "procMount",
  "runAsUser",
  "runAsGroup",
];

function validateWindows(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const sc = rec(spec["securityContext"]);
  const internal: Json = {
    ...sc,
    hostUsers: spec["hostUsers"],
    hostPID: spec["hostPID"] === true ? true : undefined,
    hostIPC: spec["hostIPC"] === true ? true : undefined,
    shareProcessNamespace: spec["shareProcessNamespace"],
    sysctls: arr(sc["sysctls"]).length > 0 ? sc["sysctls"] : undefined,
  };
  for (const [field, nested] of WINDOWS_POD_FORBIDDEN) {
    const v = internal[field];
    if (v !== undefined && v !== null) {
      const at = nested ? p.child("securityContext").child(field) : p.child(field);
      errs.push(forbidden(at, "cannot be set for a windows pod"));
    }
  }
  for (const { ctr, path: cp } of visitContainers(spec, p)) {
    const csc = recOrUndef(ctr["securityContext"]);
    if (csc === undefined) continue;
    for (const field of WINDOWS_CONTAINER_FORBIDDEN) {
      if (csc[field] !== undefined && csc[field] !== null) {
        errs.push(forbidden(cp.child("securityContext").child(field), "cannot be set for a windows pod"));
      }
    }
  }
  return errs;
}

function validateLinux(spec: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (recOrUndef(rec(spec["securityContext"])["windowsOptions"]) !== undefined) {
    errs.push(forbidden(p.child("securityContext").child("windowsOptions"), "windows options cannot be set for a linux pod"));
  }
  for (const { ctr, path: cp } of visitContainers(spec, p)) {
    if (recOrUndef(rec(ctr["securityContext"])["windowsOptions"]) !== undefined) {
      errs.push(forbidden(cp.child("securityContext").child("windowsOptions"), "windows options cannot be set for a linux pod"));
    }
  }
  return errs;
}

function validateOS(spec: Json, p: FieldPath): FieldError[] {
  const os = recOrUndef(spec["os"]);
  if (os === undefined) return [];
  const name = str(os["name"]);
  if (name.length === 0) return [required(p.child("os").child("name"), "cannot be empty")];
  if (name !== "linux" && name !== "windows") return [notSupported(p.child("os"), name, ["linux", "windows"])];
  return name === "linux" ? validateLinux(spec, p) : validateWindows(spec, p);
}

// ---- the pod spec ----

function validateRestartPolicy(policy: string, p: FieldPath): FieldError[] {
  if (policy === "Always" || policy === "OnFailure" || policy === "Never") return [];
  if (policy === "") return [required(p, "")];
  return [notSupported(p, policy, ["Always", "OnFailure", "Never"])];
}

function validateDNSPolicy(policy: string, p: FieldPath): FieldError[] {
  const valid = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
  if (valid.includes(policy)) return [];
  if (policy === "") return [required(p, "")];
  return [notSupported(p, policy, valid)];
}

export function validatePreemptionPolicy(policy: string, p: FieldPath): FieldError[] {
  if (policy === "PreemptLowerPriority" || policy === "Never") return [];
  if (policy === "") return [required(p, "")];
  return [notSupported(p, policy, ["PreemptLowerPriority", "Never"])];
}

function validatePodHostNetworkDeps(spec: Json, p: FieldPath, opts: PodSpecOptions): FieldError[] {
  if (!bool(spec["hostNetwork"])) return [];
  const errs: FieldError[] = [];
  arr(spec["containers"]).forEach((c, i) => {
    arr(rec(c)["ports"]).forEach((portRaw, j) => {
      const port = rec(portRaw);
      const hp = num(port["hostPort"]);
      const cp = num(port["containerPort"]);
      if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
        errs.push(
          invalid(p.child("containers").index(i).child("ports").index(j).child("hostPort"), hp, "must match `containerPort` when `hostNetwork` is true"),
        );
      }
    });
  });
  return errs;
}

function validateHostUsers(spec: Json, p: FieldPath): FieldError[] {
  if (spec["hostUsers"] !== false) return [];
  const errs: FieldError[] = [];
  const detail = "when `pod.Spec.HostUsers` is false";
  if (bool(spec["hostNetwork"])) errs.push(forbidden(p.child("hostNetwork"), detail));
  if (bool(spec["hostPID"])) errs.push(forbidden(p.child("HostPID"), detail));
  if (bool(spec["hostIPC"])) errs.push(forbidden(p.child("HostIPC"), detail));
  return errs;
}

function validateHostAliases(aliases: readonly unknown[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  aliases.forEach((raw, i) => {
    const alias = rec(raw);
    errs.push(...isValidIP(p.index(i).child("ip"), str(alias["ip"])));
    arr(alias["hostnames"]).forEach((h, j) => errs.push(...dns1123Subdomain(String(h), p.index(i).child("hostnames").index(j))));
  });
  return errs;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: Json, p: FieldPath, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  const gracePeriod = numOrUndef(spec["terminationGracePeriodSeconds"]);
  if (gracePeriod === undefined) errs.push(required(p.child("terminationGracePeriodSeconds"), ""));
  const ctrOpts: ContainerOptions = {
    gracePeriod,
    podRestartPolicy: str(spec["restartPolicy"]),
    hostUsers: spec["hostUsers"] !== false,
  };
  const vols = validateVolumes(arr(spec["volumes"]), opts.podName, p.child("volumes"), { resourceIsPod: opts.resourceIsPod });
  errs.push(...vols.errors);
  errs.push(...validateContainers(arr(spec["containers"]), vols.volumes, p.child("containers"), ctrOpts));
  errs.push(...validateInitContainers(arr(spec["initContainers"]), arr(spec["containers"]), vols.volumes, p.child("initContainers"), ctrOpts));
  errs.push(
    ...validateEphemeralContainers(
      arr(spec["ephemeralContainers"]),
      arr(spec["containers"]),
      arr(spec["initContainers"]),
      vols.volumes,
      p.child("ephemeralContainers"),
      ctrOpts,
    ),
  );
  errs.push(...validatePodHostNetworkDeps(spec, p, opts));
  errs.push(...validateRestartPolicy(str(spec["restartPolicy"]), p.child("restartPolicy")));
  errs.push(...validateDNSPolicy(str(spec["dnsPolicy"]), p.child("dnsPolicy")));
  errs.push(...validateLabels(strMap(spec["nodeSelector"]), p.child("nodeSelector")));
  errs.push(...validatePodSecurityContext(spec, p.child("securityContext")));
  errs.push(...validateAffinity(recOrUndef(spec["affinity"]), p.child("affinity")));
  errs.push(...validatePodDNSConfig(spec, p.child("dnsConfig")));
  arr(spec["readinessGates"]).forEach((g, i) =>
    errs.push(...qualifiedName(str(rec(g)["conditionType"]), p.child("readinessGates").index(i).child("conditionType"))),
  );
  errs.push(...validateSchedulingGates(arr(spec["schedulingGates"]), p.child("schedulingGates")));
  errs.push(...validateTopologySpreadConstraints(arr(spec["topologySpreadConstraints"]), p.child("topologySpreadConstraints")));
  errs.push(...validateWindowsHostProcessPod(spec, p));
  errs.push(...validateHostUsers(spec, p));
  const serviceAccountName = str(spec["serviceAccountName"]);
  if (serviceAccountName.length > 0) errs.push(...nameErrors(nameIsDNSSubdomain, serviceAccountName, p.child("serviceAccountName")));
  const nodeName = str(spec["nodeName"]);
  if (nodeName.length > 0) errs.push(...nameErrors(nameIsDNSSubdomain, nodeName, p.child("nodeName")));
  const deadline = numOrUndef(spec["activeDeadlineSeconds"]);
  if (deadline !== undefined && (deadline < 1 || deadline > INT32_MAX)) {
    errs.push(invalid(p.child("activeDeadlineSeconds"), deadline, inclusiveRangeError(1, INT32_MAX)));
  }
  const hostname = str(spec["hostname"]);
  if (hostname.length > 0) errs.push(...dns1123Label(hostname, p.child("hostname")));
  const subdomain = str(spec["subdomain"]);
  if (subdomain.length > 0) errs.push(...dns1123Label(subdomain, p.child("subdomain")));
  const tolerations = arr(spec["tolerations"]);
  if (tolerations.length > 0) errs.push(...validateTolerations(tolerations, p.child("tolerations")));
  const aliases = arr(spec["hostAliases"]);
  if (aliases.length > 0) errs.push(...validateHostAliases(aliases, p.child("hostAliases")));
  const priorityClassName = str(spec["priorityClassName"]);
  if (priorityClassName.length > 0) errs.push(...nameErrors(nameIsDNSSubdomain, priorityClassName, p.child("priorityClassName")));
  const runtimeClassName = strOrUndef(spec["runtimeClassName"]);
  if (runtimeClassName !== undefined) errs.push(...nameErrors(nameIsDNSSubdomain, runtimeClassName, p.child("runtimeClassName")));
  const preemption = strOrUndef(spec["preemptionPolicy"]);
  if (preemption !== undefined) errs.push(...validatePreemptionPolicy(preemption, p.child("preemptionPolicy")));
  const overhead = recOrUndef(spec["overhead"]);
  if (overhead !== undefined) errs.push(...validateResourceRequirements({ limits: overhead }, p.child("overhead")));
  errs.push(...validateOS(spec, p));
  return errs;
}
