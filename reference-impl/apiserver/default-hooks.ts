// The hooks ApiServer uses by default: the modules written beside the core, adapted to hooks.ts.
//   defaults/       applyDefaults, prepareForCreate (pod QoS, Job selector, ...)
//   validation/     validateCreate, validateUpdate (the kinds' semantic validation)
//   openapi         spec/openapi/structural.ts: typed decoding and fieldValidation
//   ssa/            server-side apply, managedFields of every write
//   printers/       server-side Table printing
// Admission plugins and the eviction/log subresources are not here: they need a client of the
// server and are passed in by whoever assembles it.
import { ApiError, type KubeObject } from "../../spec/interfaces/api-client.ts";
import { definitionForKind } from "../../spec/openapi/definitions.ts";
import { decodeValue } from "../../spec/openapi/structural.ts";
import { schemaFor } from "../../spec/patch/index.ts";
import { applyDefaults, prepareForCreate } from "./defaults/index.ts";
import { badRequest, internalError } from "./errors.ts";
import { type ApiServerHooks, type ApplyPatchRequest, bareHooks, type DecodedObject } from "./hooks.ts";
import { groupKindOf, printTable } from "./printers/index.ts";
import type { ApiRequest } from "./request.ts";
import { type ResourceInfo, apiVersionOf } from "./resources.ts";
import { SsaError, applyPatch, updateManagedFields } from "./ssa/index.ts";
import { validateCreate, validateUpdate } from "./validation/index.ts";

export function defaultHooks(): ApiServerHooks {
  return {
    ...bareHooks(),
    applyDefaults: (obj) => applyDefaults(obj),
    prepareForCreate: (obj, _info, nowMs) => prepareForCreate(obj, { nowMs }),
    validateCreate: (obj) => validateCreate(obj),
    validateUpdate: (obj, old) => validateUpdate(obj, old),
    decode: structuralDecode,
    managedFields: (u) =>
      ssaCall(() =>
        updateManagedFields({
          oldObj: u.oldObj,
          newObj: u.newObj,
          manager: u.manager,
          subresource: u.subresource,
          apiVersion: apiVersionOf(u.info),
          now: u.nowMs,
        }),
      ),
    applyPatch: serverSideApply,
    printTable: printAsTable,
  };
}

/** The body decoded as the kind's Go struct would decode it (unknown fields dropped, canonical values). */
function structuralDecode(body: KubeObject, info: ResourceInfo, mode: "Strict" | "Warn" | "Ignore"): DecodedObject {
  const apiVersion = apiVersionOf(info);
  const definition = definitionForKind(apiVersion, info.kind);
  if (definition === undefined) return { object: body, warnings: [] };
  const result = decodeValue(body, definition.name, { strict: mode !== "Ignore" });
  const cannotHandle = (why: string): never => {
    throw new ApiError(badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${why}`));
  };
  if (result.error !== undefined) cannotHandle(result.error);
  if (mode === "Strict" && result.strictErrors.length > 0) cannotHandle(`strict decoding error: ${result.strictErrors.join(", ")}`);
  return { object: result.object as KubeObject, warnings: mode === "Warn" ? [...result.strictErrors] : [] };
}

function serverSideApply(req: ApplyPatchRequest): KubeObject {
  const result = ssaCall(() =>
    applyPatch({
      live: req.live,
      applied: req.patch,
      manager: req.fieldManager,
      force: req.force,
      apiVersion: apiVersionOf(req.info),
      kind: req.info.kind,
      subresource: req.subresource,
      now: req.nowMs,
      schema: schemaFor(apiVersionOf(req.info), req.info.kind),
    }),
  );
  if ("status" in result) throw new ApiError(result.status);
  return result.object;
}

/** SsaError 400 is the client's; 500 (unreadable stored managedFields) is ours. */
function ssaCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SsaError) throw new ApiError(err.code === 400 ? badRequest(err.message) : internalError(err.message));
    throw err;
  }
}

/** as=Table: a Table of the object or list items; the server prints every column (kubectl hides wide ones). */
function printAsTable(info: ResourceInfo, body: KubeObject, req: ApiRequest, nowMs: number): KubeObject {
  const items = Array.isArray(body.items) ? (body.items as KubeObject[]).map((i) => ({ apiVersion: apiVersionOf(info), kind: info.kind, ...i })) : undefined;
  const include = req.query.includeObject;
  const table = printTable(groupKindOf(apiVersionOf(info), info.kind), items ?? [body], {
    wide: true,
    nowMs,
    includeObject: include === "None" || include === "Object" ? include : "Metadata",
    ...(items !== undefined ? { listMeta: (body.metadata ?? {}) as object } : {}),
  });
  return table as unknown as KubeObject;
}
