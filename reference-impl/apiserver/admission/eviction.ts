// The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): POST a policy/v1
// Eviction to delete a pod only if its PodDisruptionBudget allows it.
//   - A pod that is Succeeded, Failed, Pending or already being deleted is deleted without a look at
//     budgets (with a resourceVersion precondition for non-terminal pods, so a pod that just became
//     ready is not lost to a race).
//   - No matching budget: the pod is deleted. Several: 500, as upstream does not support it.
//   - An unready pod is deleted without spending the budget when the budget says AlwaysAllow, or
//     when the application is healthy anyway (currentHealthy >= desiredHealthy > 0).
//   - Otherwise disruptionsAllowed is decremented and the pod recorded in status.disruptedPods (an
//     optimistic-concurrency status write, retried on conflict); 0 allowed gives 429 with a
//     DisruptionBudget cause; a budget whose status is older than its spec gives 429 as well.
//   - Before deleting, the pod gets a DisruptionTarget condition (PodDisruptionConditions, GA in 1.31).
// Success answers 201 with a Success Status. Upstream waits 500 ms between conflict retries; here
// they are immediate (there is nothing to wait for in one process).
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import type { Clock } from "../../../spec/interfaces/clock.ts";
import { goQuote } from "../../../spec/semantics/go-compat.ts";
import { labelSelectorAsSelector, matches, type MetaLabelSelector } from "../../../spec/semantics/labels.ts";
import { badRequest, forbidden, success } from "../errors.ts";
import type { SubresourceHandler } from "../hooks.ts";
import { decodeBody, formatTimestamp } from "../meta.ts";
import { parseDryRun } from "../query.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";
import { ADMISSION_USER, type ApiHandler, POD_DISRUPTION_BUDGETS, bodyOf } from "./client.ts";
import { type Json, arr, isRecord, num, rec, records, str } from "./json.ts";
import { plainFailure } from "./plugin.ts";

/** EvictionsRetry.Steps. */
export const EVICTION_RETRIES = 20;
/** MaxDisruptedPodSize. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
export const DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";
const TOO_MANY_REQUESTS_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

export function evictionHandler(api: () => ApiHandler, clock: Clock): SubresourceHandler {
  return async (req) => {
    try {
      return await new Eviction(api(), clock, req).run();
    } catch (err) {
      if (err instanceof ApiError) return { code: err.status.code, body: err.status };
      throw err;
    }
  };
}

interface DeleteOptions extends Json {
  dryRun?: string[];
  preconditions?: { uid?: string; resourceVersion?: string };
}

class Eviction {
  readonly #namespace: string;
  readonly #name: string;

  constructor(
    readonly api: ApiHandler,
    readonly clock: Clock,
    readonly req: ApiRequest,
  ) {
    this.#namespace = req.namespace ?? "";
    this.#name = req.name ?? "";
  }

  async run(): Promise<ApiResponse> {
    const options = this.#decode();
    const dryRun = (options.dryRun ?? []).length > 0;
    const rvGiven = options.preconditions?.resourceVersion !== undefined;
    let pod: KubeObject | undefined;
    // Pods whose budgets do not matter are deleted at once; conflicts are retried unless the
    // client pinned a resourceVersion.
    for (let attempt = 1; ; attempt++) {
      pod = await this.#getPod();
      if (!canIgnorePDB(pod)) break;
      const opts = shouldEnforceResourceVersion(pod) && !rvGiven ? withResourceVersion(options, pod) : options;
      try {
        await this.#deleteWithCondition(opts);
        return created();
      } catch (err) {
        if (!isConflict(err) || rvGiven || attempt >= EVICTION_RETRIES) throw err;
      }
    }
    const pdbs = await this.#matchingBudgets(pod);
    if (pdbs.length > 1) {
      return { code: 500, body: plainFailure(500, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.") };
    }
    let pinToPod = false;
    const pdb = pdbs[0];
    if (pdb !== undefined) {
      pinToPod = !isPodReady(pod) && unhealthyPodMayGo(pdb);
      if (!pinToPod) await this.#checkAndDecrement(pdb, dryRun);
    }
    const opts = pinToPod ? withResourceVersion(options, pod) : options;
    try {
      await this.#deleteWithCondition(opts);
    } catch (err) {
      // The pod changed since it was found unready: let the client try again.
      if (isConflict(err) && pinToPod && !rvGiven) throw tooManyRequests(pdb?.metadata?.name ?? "");
      throw err;
    }
    return created();
  }

  /** The Eviction body: kind, name, and DeleteOptions with the request's dryRun folded in. */
  #decode(): DeleteOptions {
    const eviction = decodeBody(this.req.body);
    const apiVersion = str(eviction.apiVersion) === "" ? "policy/v1" : str(eviction.apiVersion);
    const kind = str(eviction.kind) === "" ? "Eviction" : str(eviction.kind);
    if (apiVersion !== "policy/v1" && apiVersion !== "policy/v1beta1") {
      throw new ApiError(badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (policy/v1)`));
    }
    if (kind !== "Eviction") throw new ApiError(badRequest(`not a Eviction object: ${kind}`));
    if ((eviction.metadata?.name ?? "") !== this.#name) throw new ApiError(badRequest("name in URL does not match name in Eviction object"));
    const ns = eviction.metadata?.namespace ?? "";
    if (ns !== "" && ns !== this.#namespace) {
      throw new ApiError(badRequest("the namespace of the provided object does not match the namespace sent on the request"));
    }
    const requested = parseDryRun(this.req.query, "CreateOptions") ? ["All"] : [];
    const raw = eviction.deleteOptions;
    const options: DeleteOptions = isRecord(raw) ? structuredClone(raw) : {};
    const own = arr(options.dryRun).map(String);
    if (own.length === 0) {
      if (requested.length > 0) options.dryRun = requested;
      else delete options.dryRun;
    } else if (requested.length > 0 && own.join("\x00") !== requested.join("\x00")) {
      throw new ApiError(plainFailure(500, `Non-matching dry-run options in request and content: [${requested.join(" ")}] and [${own.join(" ")}]`));
    }
    return options;
  }

  async #getPod(): Promise<KubeObject> {
    return bodyOf(await this.#call({ verb: "get", name: this.#name }));
  }

  async #matchingBudgets(pod: KubeObject): Promise<KubeObject[]> {
    const res = await this.#call({ verb: "list", ...POD_DISRUPTION_BUDGETS, name: undefined, user: ADMISSION_USER });
    const labels = pod.metadata?.labels ?? {};
    return records((bodyOf(res) as Json).items).filter((pdb) => {
      try {
        return matches(labelSelectorAsSelector(rec(pdb.spec).selector as MetaLabelSelector | undefined), labels);
      } catch {
        // A budget with an invalid selector matches no pod.
        return false;
      }
    }) as KubeObject[];
  }

  /** checkAndDecrement, retried against a fresh budget on conflict. */
  async #checkAndDecrement(first: KubeObject, dryRun: boolean): Promise<void> {
    let pdb = first;
    for (let attempt = 1; ; attempt++) {
      const status = rec(pdb.status);
      const name = pdb.metadata?.name ?? "";
      if ((num(status.observedGeneration) ?? 0) < (pdb.metadata?.generation ?? 0)) throw tooManyRequests(name);
      const allowed = num(status.disruptionsAllowed) ?? 0;
      const pdbResource = { group: "policy", resource: "poddisruptionbudget" };
      if (allowed < 0) throw new ApiError(forbidden(pdbResource, name, "pdb disruptions allowed is negative"));
      if (Object.keys(rec(status.disruptedPods)).length > MAX_DISRUPTED_POD_SIZE) {
        throw new ApiError(forbidden(pdbResource, name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller"));
      }
      if (allowed === 0) {
        const cause = `The disruption budget ${name} needs ${num(status.desiredHealthy) ?? 0} healthy pods and has ${num(status.currentHealthy) ?? 0} currently`;
        throw new ApiError(tooManyRequestsStatus(cause, 0));
      }
      if (dryRun) return;
      const updated = this.#decremented(pdb, allowed - 1);
      const res = await this.#call({ verb: "update", ...POD_DISRUPTION_BUDGETS, name, subresource: "status", body: updated, user: ADMISSION_USER });
      if (res.code === 200) return;
      if (res.code !== 409 || attempt >= EVICTION_RETRIES) bodyOf(res);
      pdb = bodyOf(await this.#call({ verb: "get", ...POD_DISRUPTION_BUDGETS, name, user: ADMISSION_USER }));
    }
  }

  #decremented(pdb: KubeObject, allowed: number): KubeObject {
    const status: Json = { ...rec(pdb.status), disruptionsAllowed: allowed };
    const now = formatTimestamp(this.clock.now());
    if (allowed === 0) status.conditions = setCondition(records(status.conditions), "DisruptionAllowed", "False", "InsufficientPods", num(status.observedGeneration) ?? 0, now);
    const disrupted: Record<string, unknown> = { ...rec(status.disruptedPods), [this.#name]: now };
    status.disruptedPods = Object.fromEntries(Object.keys(disrupted).sort().map((k) => [k, disrupted[k]]));
    return { ...pdb, status };
  }

  /** addConditionAndDeletePod: a DisruptionTarget condition on the latest pod, then the delete. */
  async #deleteWithCondition(options: DeleteOptions): Promise<void> {
    let opts = options;
    if ((options.dryRun ?? []).length === 0) {
      const rv = await this.#markDisruptionTarget(options);
      if (options.preconditions?.resourceVersion !== undefined) opts = { ...options, preconditions: { ...options.preconditions, resourceVersion: rv } };
    }
    bodyOf(await this.#call({ verb: "delete", name: this.#name, body: { apiVersion: "v1", kind: "DeleteOptions", ...opts } }));
  }

  /** The pod's status with the condition, written at the pod's current resourceVersion; returns the new one. */
  async #markDisruptionTarget(options: DeleteOptions): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const pod = await this.#getPod();
      checkPodPreconditions(pod, options);
      const status = rec(pod.status);
      const now = formatTimestamp(this.clock.now());
      const body = { ...pod, status: { ...status, conditions: updatePodCondition(records(status.conditions), now) } };
      const res = await this.#call({ verb: "update", name: this.#name, subresource: "status", body });
      if (res.code === 200) return bodyOf(res).metadata?.resourceVersion ?? "";
      if (res.code !== 409 || attempt >= EVICTION_RETRIES) bodyOf(res);
    }
  }

  #call(fields: Partial<ApiRequest>): Promise<ApiResponse> {
    const req: ApiRequest = { group: "", version: "v1", resource: "pods", verb: "get", query: {}, user: this.req.user, namespace: this.#namespace, ...fields };
    if (req.name === undefined) delete req.name;
    return this.api.handle(req);
  }
}

/** canIgnorePDB: a pod that is done, not yet running, or already going causes no new disruption. */
function canIgnorePDB(pod: KubeObject): boolean {
  const phase = str(rec(pod.status).phase);
  return phase === "Succeeded" || phase === "Failed" || phase === "Pending" || pod.metadata?.deletionTimestamp !== undefined;
}

function shouldEnforceResourceVersion(pod: KubeObject): boolean {
  const phase = str(rec(pod.status).phase);
  return !(phase === "Succeeded" || phase === "Failed" || pod.metadata?.deletionTimestamp !== undefined);
}

/** podutil.IsPodReady. */
function isPodReady(pod: KubeObject): boolean {
  return records(rec(pod.status).conditions).some((c) => str(c.type) === "Ready" && str(c.status) === "True");
}

/** An unready pod needs no budget under AlwaysAllow, or while the application is healthy anyway. */
function unhealthyPodMayGo(pdb: KubeObject): boolean {
  if (str(rec(pdb.spec).unhealthyPodEvictionPolicy) === "AlwaysAllow") return true;
  const status = rec(pdb.status);
  const desired = num(status.desiredHealthy) ?? 0;
  return (num(status.currentHealthy) ?? 0) >= desired && desired > 0;
}

function withResourceVersion(options: DeleteOptions, pod: KubeObject): DeleteOptions {
  return { ...options, preconditions: { ...(options.preconditions ?? {}), resourceVersion: pod.metadata?.resourceVersion ?? "" } };
}

function checkPodPreconditions(pod: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions ?? {};
  const name = pod.metadata?.name ?? "";
  const uid = pod.metadata?.uid ?? "";
  const rv = pod.metadata?.resourceVersion ?? "";
  const conflict = (why: string): ApiError =>
    new ApiError({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `Operation cannot be fulfilled on Pod ${goQuote(name)}: ${why}`,
      reason: "Conflict",
      details: { name, kind: "Pod" },
      code: 409,
    });
  if (pre.uid !== undefined && pre.uid !== "" && pre.uid !== uid) {
    throw conflict(`the UID in the precondition (${pre.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== "" && pre.resourceVersion !== rv) {
    throw conflict(`the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${rv}). The object might have been modified`);
  }
}

/** podutil.UpdatePodCondition with the DisruptionTarget condition. */
function updatePodCondition(conditions: Json[], now: string): Json[] {
  const condition: Json = {
    type: "DisruptionTarget",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: now,
    reason: "EvictionByEvictionAPI",
    message: "Eviction API: evicting",
  };
  const i = conditions.findIndex((c) => str(c.type) === "DisruptionTarget");
  if (i < 0) return [...conditions, condition];
  const old = conditions[i] as Json;
  if (str(old.status) === "True") condition.lastTransitionTime = old.lastTransitionTime;
  return conditions.map((c, j) => (j === i ? condition : c));
}

/** apimeta.SetStatusCondition. */
function setCondition(conditions: Json[], type: string, status: string, reason: string, observedGeneration: number, now: string): Json[] {
  const i = conditions.findIndex((c) => str(c.type) === type);
  if (i < 0) return [...conditions, { type, status, observedGeneration, lastTransitionTime: now, reason, message: "" }];
  const old = conditions[i] as Json;
  const next: Json = { ...old, status, reason, observedGeneration };
  if (str(old.status) !== status) next.lastTransitionTime = now;
  if (next.message === undefined) next.message = "";
  return conditions.map((c, j) => (j === i ? next : c));
}

function tooManyRequestsStatus(cause: string, retryAfterSeconds: number): Status {
  const details: NonNullable<Status["details"]> = { causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }] };
  if (retryAfterSeconds > 0) details.retryAfterSeconds = retryAfterSeconds;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: TOO_MANY_REQUESTS_MESSAGE, reason: "TooManyRequests", details, code: 429 };
}

/** createTooManyRequestsError: the budget (or this pod) is still being processed; retry in 10 s. */
function tooManyRequests(pdbName: string): ApiError {
  return new ApiError(tooManyRequestsStatus(`The disruption budget ${pdbName} is still being processed by the server.`, 10));
}

function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.status.code === 409;
}

function created(): ApiResponse {
  return { code: 201, body: success(201) };
}

