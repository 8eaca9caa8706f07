// Priority (plugin/pkg/admission/priority). Admit: a new pod's spec.priority and
// spec.preemptionPolicy come from its PriorityClass (or from the globalDefault class, else priority 0
// and PreemptLowerPriority); a pod naming a missing class, or setting a priority or policy that
// differs from the class's, is refused (403). Updates keep the stored priority and policy when the
// body leaves them out. Validate: at most one PriorityClass may be globalDefault.
// Since 1.17 the system-*-critical classes may be used in any namespace (limiting them is left to
// ResourceQuota configuration), so no namespace check is made here.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import { type AdmissionClient, PRIORITY_CLASSES } from "./client.ts";
import { rec, str } from "./json.ts";
import { type AdmissionPlugin, admissionForbidden, isMainResource, podSpec } from "./plugin.ts";

export const PRIORITY = "Priority";

/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0;

interface ResolvedPriority {
  className: string;
  value: number;
  preemptionPolicy: string | undefined;
}

export function priority(client: AdmissionClient): AdmissionPlugin {
  return {
    name: PRIORITY,
    async admit(attrs) {
      if (!isMainResource(attrs, "", "pods") || attrs.object === undefined) return;
      if (attrs.operation === "UPDATE") keepStoredPriority(attrs.object, attrs.oldObject);
      if (attrs.operation === "CREATE") await admitNewPod(client, attrs, attrs.object);
    },
    async validate(attrs) {
      if (!isMainResource(attrs, "scheduling.k8s.io", "priorityclasses") || attrs.object === undefined) return;
      if (attrs.operation !== "CREATE" && attrs.operation !== "UPDATE") return;
      if (attrs.object.globalDefault !== true) return;
      const current = await defaultPriorityClass(client);
      if (current === undefined) return;
      const currentName = current.metadata?.name ?? "";
      if (attrs.operation === "CREATE" || currentName !== (attrs.object.metadata?.name ?? "")) {
        throw admissionForbidden(attrs, `PriorityClass ${currentName} is already marked as default. Only one default can exist`);
      }
    },
  };
}

/** The validation forbids changing priority; a body that omits it keeps the stored value. */
function keepStoredPriority(pod: KubeObject, old: KubeObject | undefined): void {
  const spec = podSpec(pod);
  const oldSpec = rec(old?.spec);
  if (spec.priority === undefined && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
  if (spec.preemptionPolicy === undefined && oldSpec.preemptionPolicy !== undefined) spec.preemptionPolicy = oldSpec.preemptionPolicy;
}

async function admitNewPod(client: AdmissionClient, attrs: AdmissionAttributes, pod: KubeObject): Promise<void> {
  const spec = podSpec(pod);
  const resolved = await resolve(client, attrs, str(spec.priorityClassName));
  if (resolved.className !== "") spec.priorityClassName = resolved.className;
  const given = spec.priority;
  if (given !== undefined && given !== null && given !== resolved.value) {
    throw admissionForbidden(
      attrs,
      `the integer value of priority (${String(given)}) must not be provided in pod spec; priority admission controller computed ${resolved.value} from the given PriorityClass name`,
    );
  }
  spec.priority = resolved.value;
  const policy = resolved.preemptionPolicy;
  if (policy === undefined) return;
  const givenPolicy = spec.preemptionPolicy;
  if (givenPolicy !== undefined && givenPolicy !== null && givenPolicy !== policy) {
    throw admissionForbidden(
      attrs,
      `the string value of PreemptionPolicy (${String(givenPolicy)}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
    );
  }
  spec.preemptionPolicy = policy;
}

async function resolve(client: AdmissionClient, attrs: AdmissionAttributes, className: string): Promise<ResolvedPriority> {
  if (className === "") {
    const dpc = await defaultPriorityClass(client);
    if (dpc === undefined) return { className: "", value: DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS, preemptionPolicy: "PreemptLowerPriority" };
    return fromClass(dpc);
  }
  const pc = await client.get(PRIORITY_CLASSES, "", className);
  if (pc === undefined) throw admissionForbidden(attrs, `no PriorityClass with name ${className} was found`);
  return fromClass(pc);
}

function fromClass(pc: KubeObject): ResolvedPriority {
  const policy = pc.preemptionPolicy;
  return {
    className: pc.metadata?.name ?? "",
    value: typeof pc.value === "number" ? pc.value : 0,
    preemptionPolicy: typeof policy === "string" ? policy : undefined,
  };
}

/** getDefaultPriorityClass: of several globalDefault classes (a race), the lowest value wins. */
async function defaultPriorityClass(client: AdmissionClient): Promise<KubeObject | undefined> {
  let best: KubeObject | undefined;
  for (const pc of await client.list(PRIORITY_CLASSES, "")) {
    if (pc.globalDefault !== true) continue;
    if (best === undefined || valueOf(best) > valueOf(pc)) best = pc;
  }
  return best;
}

function valueOf(pc: KubeObject): number {
  return typeof pc.value === "number" ? pc.value : 0;
}
