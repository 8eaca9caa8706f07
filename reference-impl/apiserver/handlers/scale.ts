// The scale subresource (deployments, replicasets, statefulsets): an autoscaling/v1 Scale view of
// the object — spec.replicas, status.replicas and status.selector as a label selector string —
// read with GET and written with PUT or PATCH, which change only the object's spec.replicas
// (through the object's own update strategy, so the generation moves).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { FieldPath, invalid as invalidField } from "../../../spec/semantics/field-errors.ts";
import { LabelSelectorError, labelSelectorAsSelector, type MetaLabelSelector } from "../../../spec/semantics/labels.ts";
import { IS_NEGATIVE_ERROR_MSG } from "../../../spec/semantics/validation.ts";
import { badRequest, conflict, fail, invalid } from "../errors.ts";
import { decodeBody, decodeJson, metaOf } from "../meta.ts";
import { parseDryRun } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { type Scope, type ServerContext, checkTypeMeta, respond } from "./context.ts";
import { getObject } from "./get.ts";
import { applyPatch, patchKindOf } from "./patch.ts";
import { checkName, fieldManagerOf } from "./rest.ts";
import { updateResource } from "./update.ts";

type Json = Record<string, unknown>;

/** scaleFromDeployment (and its ReplicaSet/StatefulSet twins). */
export function scaleOf(obj: KubeObject): KubeObject {
  const meta = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as Json;
  const status = (obj.status ?? {}) as Json;
  const scaleMeta: Json = { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp };
  for (const k of Object.keys(scaleMeta)) if (scaleMeta[k] === undefined) delete scaleMeta[k];
  const replicas = typeof spec.replicas === "number" ? spec.replicas : 0;
  const scaleStatus: Json = { replicas: typeof status.replicas === "number" ? status.replicas : 0 };
  const selector = selectorString(spec.selector as MetaLabelSelector | undefined);
  if (selector !== "") scaleStatus.selector = selector;
  return { kind: "Scale", apiVersion: "autoscaling/v1", metadata: scaleMeta, spec: replicas === 0 ? {} : { replicas }, status: scaleStatus };
}

function selectorString(selector: MetaLabelSelector | undefined): string {
  try {
    return labelSelectorAsSelector(selector).toString();
  } catch (err) {
    if (err instanceof LabelSelectorError) return "";
    throw err;
  }
}

export async function getScale(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  return respond(200, scaleOf(await getObject(ctx, scope, scope.req.query.resourceVersion)));
}

/** PUT (verb update) or PATCH of the scale subresource. */
export async function writeScale(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const isPatch = scope.req.verb === "patch";
  const kind = isPatch ? patchKindOf(scope.req.contentType) : undefined;
  if (kind === "apply") fail(badRequest("apply patches are not supported on the scale subresource"));
  const dryRun = parseDryRun(scope.req.query, isPatch ? "PatchOptions" : "UpdateOptions");
  const body = isPatch ? undefined : decodeBody(scope.req.body);
  const patchBody = isPatch ? decodeJson(scope.req.body, "the patch") : undefined;
  const manager = fieldManagerOf(scope, isPatch ? "PatchOptions" : "UpdateOptions");
  const result = await updateResource(ctx, scope, {
    mode: "main",
    dryRun,
    manager,
    allowCreate: false,
    updatedObject: (existing) => {
      const old = existing!;
      const requested = kind === undefined ? structuredClone(body!) : applyPatch(kind, scaleOf(old), patchBody);
      const scale = decodeBody(requested, "the Scale");
      checkTypeMeta(scale, "autoscaling/v1", "Scale");
      checkName(scope, scale);
      const replicas = validateScale(scale, old.metadata?.name ?? "");
      const uid = scale.metadata?.uid ?? "";
      if (uid !== "" && uid !== old.metadata?.uid) {
        fail(conflict({ group: scope.info.group, resource: `${scope.info.resource}/scale` }, scope.name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata?.uid ?? ""}`));
      }
      const obj = structuredClone(old);
      obj.spec = { ...((obj.spec as Json | undefined) ?? {}), replicas };
      const rv = scale.metadata?.resourceVersion;
      if (rv === undefined || rv === "") delete metaOf(obj).resourceVersion;
      else metaOf(obj).resourceVersion = rv;
      return obj;
    },
  });
  return respond(200, scaleOf(result.object));
}

/** ValidateScale: spec.replicas is a non-negative integer. */
function validateScale(scale: KubeObject, name: string): number {
  const spec = scale.spec;
  if (spec !== undefined && (spec === null || typeof spec !== "object" || Array.isArray(spec))) {
    fail(badRequest("json: cannot unmarshal into Go struct field Scale.spec of type v1.ScaleSpec"));
  }
  const replicas = (spec as Json | undefined)?.replicas ?? 0;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || Math.abs(replicas) > 2 ** 31 - 1) {
    fail(badRequest("json: cannot unmarshal into Go struct field ScaleSpec.spec.replicas of type int32"));
  }
  if (replicas < 0) {
    fail(invalid("autoscaling", "Scale", name, [invalidField(FieldPath.of("spec", "replicas"), replicas, IS_NEGATIVE_ERROR_MSG)]));
  }
  return replicas;
}
