// Query parameters and options of the verbs, decoded and validated as upstream's parameter codec and
// k8s.io/apimachinery/pkg/apis/meta/v1/validation do: malformed values are 400s, invalid
// combinations 422 Invalid on the options kind (`ListOptions.meta.k8s.io "" is invalid: ...`).
import type { DeleteOptions, KubeObject } from "../../spec/interfaces/api-client.ts";
import { type FieldError, FieldPath, forbidden, invalid as invalidField, notSupported } from "../../spec/semantics/field-errors.ts";
import { FieldSelectorError, parseAndTransformFieldSelector } from "../../spec/semantics/fields.ts";
import { LabelSelectorError, parseLabelSelector } from "../../spec/semantics/labels.ts";
import { badRequest, fail, invalid } from "./errors.ts";
import { decodeBody } from "./meta.ts";
import { type ResourceInfo, fieldsOf } from "./resources.ts";
import { convertFieldLabel } from "./selectable-fields.ts";
import type { Predicate } from "./storage/list.ts";

type Query = Readonly<Record<string, string>>;

/** strconv.ParseBool. */
export function parseBool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  fail(badRequest(`${name}: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`));
}

/** strconv.ParseInt(value, 10, 64), kept to safe integers. */
export function parseInt64(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^[+-]?[0-9]+$/.test(value)) fail(badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`));
  const n = Number(value);
  if (!Number.isSafeInteger(n)) fail(badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`));
  return n;
}

function optionsInvalid(kind: string, errs: FieldError[]): void {
  if (errs.length > 0) fail(invalid("meta.k8s.io", kind, "", errs));
}

/** dryRun: only "All" is supported (ValidateDryRun). */
export function parseDryRun(query: Query, optionsKind: string): boolean {
  const v = query.dryRun;
  if (v === undefined || v === "") return false;
  if (v !== "All") optionsInvalid(optionsKind, [notSupported(FieldPath.of("dryRun"), [v], ["All"])]);
  return true;
}

export type FieldValidationMode = "Strict" | "Warn" | "Ignore";

/** fieldValidation: Strict, Warn (default for most clients), Ignore. */
export function parseFieldValidation(query: Query, optionsKind: string): FieldValidationMode {
  const v = query.fieldValidation;
  if (v === undefined || v === "") return "Warn";
  if (v !== "Strict" && v !== "Warn" && v !== "Ignore") {
    optionsInvalid(optionsKind, [notSupported(FieldPath.of("fieldValidation"), v, ["", "Ignore", "Warn", "Strict"])]);
  }
  return v as FieldValidationMode;
}

/** The label and field selectors of a request as one predicate over objects of `info`. */
export function selectionPredicate(info: ResourceInfo, query: Query): Predicate {
  let label;
  let field;
  try {
    label = parseLabelSelector(query.labelSelector ?? "");
  } catch (err) {
    if (err instanceof LabelSelectorError) fail(badRequest(err.message));
    throw err;
  }
  try {
    field = parseAndTransformFieldSelector(query.fieldSelector ?? "", (f, v) => convertFieldLabel(info.fieldLabels, f, v));
  } catch (err) {
    if (err instanceof FieldSelectorError) fail(badRequest(err.message));
    throw err;
  }
  const empty = label.empty() && field.empty();
  return {
    empty,
    matches: (obj: KubeObject) => empty || (label.matches(obj.metadata?.labels ?? {}) && field.matches(fieldsOf(info, obj))),
  };
}

export interface ListQuery {
  resourceVersion?: string;
  resourceVersionMatch?: "" | "Exact" | "NotOlderThan";
  limit?: number;
  continue?: string;
  predicate: Predicate;
}

/** ListOptions of a list request (ValidateListOptions). */
export function parseListQuery(info: ResourceInfo, query: Query): ListQuery {
  const predicate = selectionPredicate(info, query);
  const limit = parseInt64("limit", query.limit);
  const rv = query.resourceVersion ?? "";
  const match = query.resourceVersionMatch ?? "";
  const cont = query.continue ?? "";
  const path = FieldPath.of("resourceVersionMatch");
  const errs: FieldError[] = [];
  if (match !== "") {
    if (rv === "") errs.push(forbidden(path, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
    if (cont !== "") errs.push(forbidden(path, "resourceVersionMatch is forbidden when continue is provided"));
    if (match !== "Exact" && match !== "NotOlderThan") errs.push(notSupported(path, match, ["Exact", "NotOlderThan", ""]));
    if (match === "Exact" && rv === "0") errs.push(forbidden(path, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (query.sendInitialEvents !== undefined) errs.push(forbidden(FieldPath.of("sendInitialEvents"), "sendInitialEvents is forbidden for list"));
  optionsInvalid("ListOptions", errs);
  if (cont !== "" && rv !== "" && rv !== "0") fail(badRequest("specifying resource version is not allowed when using continue"));
  const out: ListQuery = { predicate, resourceVersion: rv, resourceVersionMatch: match as ListQuery["resourceVersionMatch"] };
  if (limit !== undefined && limit > 0) out.limit = limit;
  if (cont !== "") out.continue = cont;
  return out;
}

export interface WatchQuery {
  resourceVersion: string;
  predicate: Predicate;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

/** ListOptions of a watch request (validateWatchOptions). */
export function parseWatchQuery(info: ResourceInfo, query: Query): WatchQuery {
  const predicate = selectionPredicate(info, query);
  const allowWatchBookmarks = parseBool("allowWatchBookmarks", query.allowWatchBookmarks) ?? false;
  const sendInitialEvents = parseBool("sendInitialEvents", query.sendInitialEvents);
  const timeoutSeconds = parseInt64("timeoutSeconds", query.timeoutSeconds);
  const match = query.resourceVersionMatch ?? "";
  const path = FieldPath.of("resourceVersionMatch");
  const errs: FieldError[] = [];
  if (sendInitialEvents !== undefined) {
    if (match !== "NotOlderThan") errs.push(forbidden(path, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    if (sendInitialEvents && !allowWatchBookmarks) {
      errs.push(forbidden(FieldPath.of("allowWatchBookmarks"), "allowWatchBookmarks must be set to true when sendInitialEvents is true"));
    }
  }
  if (match !== "") {
    if (sendInitialEvents === undefined) errs.push(forbidden(path, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
    if (match !== "NotOlderThan") errs.push(notSupported(path, match, ["NotOlderThan"]));
    if ((query.continue ?? "") !== "") errs.push(forbidden(path, "resourceVersionMatch is forbidden when continue is provided"));
  }
  optionsInvalid("ListOptions", errs);
  const out: WatchQuery = { resourceVersion: query.resourceVersion ?? "", predicate, allowWatchBookmarks };
  if (sendInitialEvents !== undefined) out.sendInitialEvents = sendInitialEvents;
  if (timeoutSeconds !== undefined && timeoutSeconds > 0) out.timeoutSeconds = timeoutSeconds;
  return out;
}

export interface ParsedDeleteOptions extends DeleteOptions {
  orphanDependents?: boolean;
}

const propagationPolicies = ["Foreground", "Background", "Orphan"];

/** DeleteOptions from the body when there is one, else from the query (as upstream), validated. */
export function parseDeleteOptions(query: Query, rawBody: unknown): ParsedDeleteOptions {
  const body = rawBody !== null && typeof rawBody === "object" && !Array.isArray(rawBody) ? decodeBody(rawBody, "the DeleteOptions") : undefined;
  const src: Record<string, unknown> = body ?? queryDeleteOptions(query);
  const opts: ParsedDeleteOptions = {};
  const grace = src.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== "number" || !Number.isSafeInteger(grace)) fail(badRequest("json: cannot unmarshal into Go struct field DeleteOptions.gracePeriodSeconds of type int64"));
    opts.gracePeriodSeconds = grace;
  }
  const policy = src.propagationPolicy;
  if (policy !== undefined && policy !== null) {
    if (typeof policy !== "string") fail(badRequest("json: cannot unmarshal into Go struct field DeleteOptions.propagationPolicy of type string"));
    opts.propagationPolicy = policy as DeleteOptions["propagationPolicy"];
  }
  const orphan = src.orphanDependents;
  if (orphan !== undefined && orphan !== null) {
    if (typeof orphan !== "boolean") fail(badRequest("json: cannot unmarshal into Go struct field DeleteOptions.orphanDependents of type bool"));
    opts.orphanDependents = orphan;
  }
  const pre = src.preconditions;
  if (pre !== undefined && pre !== null) {
    if (typeof pre !== "object" || Array.isArray(pre)) fail(badRequest("json: cannot unmarshal into Go struct field DeleteOptions.preconditions of type v1.Preconditions"));
    const { uid, resourceVersion } = pre as Record<string, unknown>;
    if ((uid !== undefined && uid !== null && typeof uid !== "string") || (resourceVersion !== undefined && resourceVersion !== null && typeof resourceVersion !== "string")) {
      fail(badRequest("json: cannot unmarshal into Go struct field Preconditions.preconditions of type string"));
    }
    opts.preconditions = {};
    if (typeof uid === "string") opts.preconditions.uid = uid;
    if (typeof resourceVersion === "string") opts.preconditions.resourceVersion = resourceVersion;
  }
  const dryRun = src.dryRun;
  const errs: FieldError[] = [];
  if (dryRun !== undefined && dryRun !== null) {
    const values = Array.isArray(dryRun) ? dryRun : [dryRun];
    if (values.some((v) => v !== "All")) errs.push(notSupported(FieldPath.of("dryRun"), values.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? typeof v))), ["All"]));
    opts.dryRun = values.length > 0;
  }
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errs.push(invalidField(FieldPath.of("propagationPolicy"), opts.propagationPolicy, "orphanDependents and deletionPropagation cannot be both set"));
  }
  if (opts.propagationPolicy !== undefined && !propagationPolicies.includes(opts.propagationPolicy)) {
    errs.push(notSupported(FieldPath.of("propagationPolicy"), opts.propagationPolicy, [...propagationPolicies, "nil"]));
  }
  optionsInvalid("DeleteOptions", errs);
  return opts;
}

function queryDeleteOptions(query: Query): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const grace = parseInt64("gracePeriodSeconds", query.gracePeriodSeconds);
  if (grace !== undefined) out.gracePeriodSeconds = grace;
  if (query.propagationPolicy !== undefined) out.propagationPolicy = query.propagationPolicy;
  const orphan = parseBool("orphanDependents", query.orphanDependents);
  if (orphan !== undefined) out.orphanDependents = orphan;
  if (query.dryRun !== undefined && query.dryRun !== "") out.dryRun = [query.dryRun];
  return out;
}
