// LimitRanger (plugin/pkg/admission/limitranger), for pods on CREATE. Admit: containers and init
// containers without a request or limit get the defaultRequest / default of each Container item of
// the namespace's LimitRanges (the first LimitRange to set a value wins), and the pod is annotated
// with what was set. Validate: min, max and maxLimitRequestRatio of Container items per container,
// of Pod items on the pod totals; the violations of one LimitRange are aggregated into a 403.
// Pod updates are not checked (containers' resources cannot change on update).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { aggregateMessage } from "../../../spec/semantics/field-errors.ts";
import { sortedGoStrings } from "../../../spec/semantics/go-compat.ts";
import type { Quantity } from "../../../spec/semantics/quantity.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import { type AdmissionClient, LIMIT_RANGES } from "./client.ts";
import { type Json, child, rec, records, str } from "./json.ts";
import { type AdmissionPlugin, admissionForbidden, podSpec } from "./plugin.ts";
import { type ResourceList, podLimits, podRequests, resourceList } from "./resource-list.ts";

export const LIMIT_RANGER = "LimitRanger";
export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

export function limitRanger(client: AdmissionClient): AdmissionPlugin {
  const limitRanges = async (attrs: AdmissionAttributes): Promise<KubeObject[]> => client.list(LIMIT_RANGES, attrs.namespace);
  return {
    name: LIMIT_RANGER,
    async admit(attrs) {
      const pod = podOf(attrs);
      if (pod === undefined) return;
      for (const lr of await limitRanges(attrs)) mergePodResourceRequirements(pod, defaultRequirements(lr));
    },
    async validate(attrs) {
      const pod = podOf(attrs);
      if (pod === undefined) return;
      for (const lr of await limitRanges(attrs)) {
        const errs = podValidateLimit(lr, pod);
        if (errs.length > 0) throw admissionForbidden(attrs, aggregateMessage(errs));
      }
    },
  };
}

function podOf(attrs: AdmissionAttributes): KubeObject | undefined {
  if (attrs.operation !== "CREATE" || attrs.subresource !== undefined) return undefined;
  if (attrs.info.group !== "" || attrs.info.kind !== "Pod") return undefined;
  return attrs.object;
}

function limitItems(lr: KubeObject): Json[] {
  return records(rec(lr.spec).limits);
}

interface Requirements {
  requests: ResourceList;
  limits: ResourceList;
}

/** defaultContainerResourceRequirements: defaultRequest and default of the Container items. */
export function defaultRequirements(lr: KubeObject): Requirements {
  const out: Requirements = { requests: new Map(), limits: new Map() };
  for (const item of limitItems(lr)) {
    if (str(item.type) !== "Container") continue;
    for (const [k, q] of resourceList(item.defaultRequest)) out.requests.set(k, q);
    for (const [k, q] of resourceList(item.default)) out.limits.set(k, q);
  }
  return out;
}

/** mergePodResourceRequirements: fill in missing values and record them in the annotation. */
export function mergePodResourceRequirements(pod: KubeObject, defaults: Requirements): void {
  const spec = podSpec(pod);
  const notes: string[] = [];
  for (const [key, prefix] of [["containers", "container"], ["initContainers", "init container"]] as const) {
    for (const c of records(spec[key])) notes.push(...mergeContainer(c, defaults, prefix));
  }
  if (notes.length === 0) return;
  const meta = pod.metadata ?? (pod.metadata = {});
  meta.annotations = { ...(meta.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}` };
}

function mergeContainer(c: Json, defaults: Requirements, prefix: string): string[] {
  const resources = child(c, "resources");
  const setLimits = fillMissing(resources, "limits", defaults.limits);
  const setRequests = fillMissing(resources, "requests", defaults.requests);
  const notes: string[] = [];
  const name = str(c.name);
  if (setRequests.length > 0) notes.push(`${sortedGoStrings(setRequests).join(", ")} request for ${prefix} ${name}`);
  if (setLimits.length > 0) notes.push(`${sortedGoStrings(setLimits).join(", ")} limit for ${prefix} ${name}`);
  return notes;
}

function fillMissing(resources: Json, key: "limits" | "requests", defaults: ResourceList): string[] {
  const current = rec(resources[key]);
  const set: string[] = [];
  for (const [name, q] of defaults) {
    if (Object.hasOwn(current, name)) continue;
    current[name] = q.toString();
    set.push(name);
  }
  if (set.length > 0) resources[key] = current;
  return set;
}

/** PodValidateLimitFunc: the violations of one LimitRange, as upstream words them. */
export function podValidateLimit(lr: KubeObject, pod: KubeObject): string[] {
  const errs: string[] = [];
  const spec = rec(pod.spec);
  for (const item of limitItems(lr)) {
    const type = str(item.type);
    if (type === "Container") {
      for (const c of [...records(spec.containers), ...records(spec.initContainers)]) {
        const res = rec(c.resources);
        errs.push(...checkItem(item, type, resourceList(res.requests), resourceList(res.limits)));
      }
    }
    if (type === "Pod") errs.push(...checkItem(item, type, podRequests(pod), podLimits(pod)));
  }
  return errs;
}

function checkItem(item: Json, type: string, requests: ResourceList, limits: ResourceList): string[] {
  const errs: string[] = [];
  for (const [name, q] of resourceList(item.min)) push(errs, minConstraint(type, name, q, requests, limits));
  for (const [name, q] of resourceList(item.max)) push(errs, maxConstraint(type, name, q, requests, limits));
  for (const [name, q] of resourceList(item.maxLimitRequestRatio)) push(errs, ratioConstraint(type, name, q, requests, limits));
  return errs;
}

function push(errs: string[], err: string | undefined): void {
  if (err !== undefined) errs.push(err);
}

export function minConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (req === undefined) return `minimum ${name} usage per ${type} is ${enforced.toString()}.  No request is specified`;
  if (enforced.cmp(req) > 0) return `minimum ${name} usage per ${type} is ${enforced.toString()}, but request is ${req.toString()}`;
  if (lim !== undefined && enforced.cmp(lim) > 0) return `minimum ${name} usage per ${type} is ${enforced.toString()}, but limit is ${lim.toString()}`;
  return undefined;
}

export function maxConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (lim === undefined) return `maximum ${name} usage per ${type} is ${enforced.toString()}.  No limit is specified`;
  if (lim.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced.toString()}, but limit is ${lim.toString()}`;
  if (req !== undefined && req.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced.toString()}, but request is ${req.toString()}`;
  return undefined;
}

/** limitRequestRatioConstraint, compared in milli-units; the ratio printed as Go's %f. */
export function ratioConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const head = `${name} max limit to request ratio per ${type} is ${enforced.toString()}`;
  if (req === undefined || req.sign() === 0) return `${head}, but no request is specified or request is 0`;
  if (lim === undefined || lim.sign() === 0) return `${head}, but no limit is specified or limit is 0`;
  const reqMilli = req.milliValue();
  const limMilli = lim.milliValue();
  // lim/req > ratio  ⇔  lim·1000 > req·ratio(milli)
  if (limMilli * 1000n > reqMilli * enforced.milliValue()) {
    return `${head}, but provided ratio is ${(Number(limMilli) / Number(reqMilli)).toFixed(6)}`;
  }
  return undefined;
}
