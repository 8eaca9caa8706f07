// create (POST to a collection): decode, default, system fields and generateName, NamespaceLifecycle,
// mutating admission, BeforeCreate (prepare + validate), validating admission, then a txn that
// succeeds only if the key does not exist. A generated name that collides is drawn again (upstream's
// RetryGenerateName, 8 attempts).
import { ApiError, type KubeObject } from "../../../spec/interfaces/api-client.ts";
import { generateName } from "../../../spec/semantics/validation.ts";
import { alreadyExists, badRequest, fail, generateNameConflict } from "../errors.ts";
import { decodeBody, metaOf } from "../meta.ts";
import { parseDryRun, parseFieldValidation } from "../query.ts";
import type { ApiResponse } from "../request.ts";
import { StorageError } from "../storage/errors.ts";
import { rethrowStorageError } from "../storage/interpret.ts";
import { type Scope, type ServerContext, checkResourceTypeMeta, grOf, keyOf, respond } from "./context.ts";
import {
  admissionAttributes,
  beforeCreate,
  checkNamespaceLifecycle,
  decodeAndDefault,
  ensureNamespaceMatches,
  fieldManagerOf,
  fillSystemFields,
  finishAdmission,
  trackManagedFields,
} from "./rest.ts";

/** maxNameGenerationCreateAttempts. */
export const MAX_NAME_GENERATION_ATTEMPTS = 8;

export async function create(ctx: ServerContext, scope: Scope): Promise<ApiResponse> {
  const query = scope.req.query;
  const dryRun = parseDryRun(query, "CreateOptions");
  const fieldValidation = parseFieldValidation(query, "CreateOptions");
  const manager = fieldManagerOf(scope, "CreateOptions");
  const body = decodeBody(scope.req.body);
  checkResourceTypeMeta(body, scope.info);
  const { object: obj, warnings } = decodeAndDefault(ctx, scope, body, fieldValidation);
  const meta = metaOf(obj);
  if (scope.name !== "" && (meta.name ?? "") !== scope.name) {
    fail(badRequest(`the name of the object (${meta.name ?? ""}) does not match the name on the URL (${scope.name})`));
  }
  // Upstream's store refuses this (with a 500); it is the client's mistake, so 400 here.
  if ((meta.resourceVersion ?? "") !== "") fail(badRequest("resourceVersion should not be set on objects to be created"));
  ensureNamespaceMatches(scope, obj);
  fillSystemFields(ctx, obj);
  const generateFrom = (meta.name ?? "") === "" ? (meta.generateName ?? "") : "";
  await checkNamespaceLifecycle(ctx, scope, generateFrom === "" ? (meta.name ?? "") : generateFrom);
  if (generateFrom !== "") meta.name = generateName(generateFrom, ctx.rng);
  trackManagedFields(ctx, scope, undefined, obj, manager);

  const attrs = admissionAttributes(scope, "CREATE", meta.name ?? "", obj, undefined, dryRun);
  await ctx.hooks.admission.admit(attrs);
  // From here admission may hold resources for this body (service IPs, node ports): settled below.
  let stored = false;
  try {
    warnings.push(...beforeCreate(ctx, scope, obj));
    await ctx.hooks.admission.validate(admissionAttributes(scope, "CREATE", meta.name ?? "", obj, undefined, dryRun));
    const created = await storeNew(ctx, scope, obj, generateFrom, dryRun);
    stored = true;
    return respond(201, created, warnings);
  } finally {
    await finishAdmission(ctx, attrs, stored);
  }
}

/** The txn that creates the key, drawing a generated name again when it collides. */
async function storeNew(ctx: ServerContext, scope: Scope, obj: KubeObject, generateFrom: string, dryRun: boolean): Promise<KubeObject> {
  const meta = metaOf(obj);
  const gr = grOf(scope);
  for (let attempt = 1; ; attempt++) {
    const name = meta.name ?? "";
    try {
      return await ctx.store.create(scope.info, keyOf(scope, name), obj, dryRun);
    } catch (err) {
      if (!(err instanceof StorageError && err.code === "KeyExists")) rethrowStorageError(err, gr, name);
      if (generateFrom === "") throw await alreadyExistsError(ctx, scope, name);
      if (attempt >= MAX_NAME_GENERATION_ATTEMPTS) fail(generateNameConflict(gr, name, 1));
      meta.name = generateName(generateFrom, ctx.rng);
    }
  }
}

/** AlreadyExists, prefixed "object is being deleted: " when the existing object is terminating. */
async function alreadyExistsError(ctx: ServerContext, scope: Scope, name: string): Promise<ApiError> {
  const status = alreadyExists(grOf(scope), name);
  const existing = await ctx.store.get(scope.info, keyOf(scope, name)).catch(() => undefined);
  if (existing?.metadata?.deletionTimestamp !== undefined) status.message = `object is being deleted: ${status.message ?? ""}`;
  return new ApiError(status);
}
