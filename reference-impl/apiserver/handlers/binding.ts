// pods/binding (POST): assigns a pod to a node, as the scheduler does (pkg/registry/core/pod/storage
// BindingREST.assignPod). The pod gets spec.nodeName, the binding's annotations and the condition
// PodScheduled=True, written straight to storage (no pod update strategy, so no generation bump). A
// pod already assigned, being deleted or gated answers 409 on pods/binding.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { FieldPath, notSupported, required, type FieldError } from "../../../spec/semantics/field-errors.ts";
import { badRequest, conflict, fail, invalid, success } from "../errors.ts";
import { decodeBody, metaOf, nowTimestamp } from "../meta.ts";
import { parseDryRun } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import type { Preconditions } from "../storage/store.ts";
import { type Scope, type ServerContext, checkTypeMeta, grOf, keyOf, respond } from "./context.ts";
import { admissionAttributes, ensureNamespaceMatches } from "./rest.ts";

type Json = Record<string, unknown>;

export async function bind(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const dryRun = parseDryRun(scope.req.query, "CreateOptions");
  const binding = decodeBody(scope.req.body);
  checkTypeMeta(binding, "v1", "Binding");
  const meta = metaOf(binding);
  if ((meta.name ?? "") !== scope.name) fail(badRequest("name in URL does not match name in Binding object"));
  ensureNamespaceMatches(scope, binding);
  const target = (binding.target ?? {}) as Json;
  const nodeName = typeof target.name === "string" ? target.name : "";
  const errs = validatePodBinding(target, nodeName);
  if (errs.length > 0) fail(invalid("", "Binding", scope.name, errs));
  await ctx.hooks.admission.admit(admissionAttributes(scope, "CREATE", scope.name, binding, undefined, dryRun));
  await ctx.hooks.admission.validate(admissionAttributes(scope, "CREATE", scope.name, binding, undefined, dryRun));

  const pre: Preconditions = {};
  if ((meta.uid ?? "") !== "") pre.uid = meta.uid;
  if ((meta.resourceVersion ?? "") !== "") pre.resourceVersion = meta.resourceVersion;
  const bindingGr = { group: "", resource: "pods/binding" };
  try {
    await ctx.store.guaranteedUpdate(scope.info, keyOf(scope), { preconditions: pre, dryRun }, (existing) => {
      const pod = existing!;
      const spec = (pod.spec ?? {}) as Json;
      if (pod.metadata?.deletionTimestamp !== undefined) {
        fail(conflict(bindingGr, scope.name, `pod ${scope.name} is being deleted, cannot be assigned to a host`));
      }
      if (typeof spec.nodeName === "string" && spec.nodeName !== "") {
        fail(conflict(bindingGr, scope.name, `pod ${scope.name} is already assigned to node "${spec.nodeName}"`));
      }
      if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) {
        fail(conflict(bindingGr, scope.name, `pod ${scope.name} has non-empty .spec.schedulingGates`));
      }
      pod.spec = { ...spec, nodeName };
      if (meta.annotations !== undefined) metaOf(pod).annotations = { ...(pod.metadata?.annotations ?? {}), ...meta.annotations };
      setPodScheduled(pod, nowTimestamp(ctx.clock));
      return pod;
    });
  } catch (err) {
    rethrowStorageError(err, grOf(scope), scope.name);
  }
  return respond(201, success(201) as unknown as KubeObject);
}

/** ValidatePodBinding. */
function validatePodBinding(target: Json, nodeName: string): FieldError[] {
  const errs: FieldError[] = [];
  const kind = typeof target.kind === "string" ? target.kind : "";
  if (kind !== "" && kind !== "Node") errs.push(notSupported(FieldPath.of("target", "kind"), kind, ["Node", "<empty>"]));
  if (nodeName === "") errs.push(required(FieldPath.of("target", "name"), ""));
  return errs;
}

/** podutil.UpdatePodCondition with PodScheduled=True: keeps the transition time if it was already True. */
function setPodScheduled(pod: KubeObject, now: string): void {
  const status = (pod.status ?? {}) as Json;
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Json[]) : [];
  const i = conditions.findIndex((c) => c !== null && typeof c === "object" && c.type === "PodScheduled");
  const old = i >= 0 ? conditions[i] : undefined;
  const lastTransitionTime = old !== undefined && old.status === "True" && typeof old.lastTransitionTime === "string" ? old.lastTransitionTime : now;
  const condition: Json = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime };
  const next = [...conditions];
  if (i >= 0) next[i] = condition;
  else next.push(condition);
  pod.status = { ...status, conditions: next };
}
