// Events (pkg/apis/core/validation/events.go). Both core/v1 and events.k8s.io/v1 Events are the
// internal core.Event; core/v1 requests get only the legacy checks (for old clients), while
// events.k8s.io/v1 adds metadata, series, type and "deprecated fields unset" checks. Error paths
// use the internal field names (involvedObject, message, source, ...) as upstream reports them.

import { type FieldError, invalid, required } from "../../../spec/semantics/field-errors.ts";
import { goQuote, utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import { isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain } from "../../../spec/semantics/validation.ts";
import {
  FIELD_IMMUTABLE,
  type Json,
  num,
  path,
  rec,
  recOrUndef,
  str,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
} from "./common.ts";
import { semanticEqual, strictEqual } from "./equality.ts";
import { goSyntax } from "./go-syntax.ts";
import type { BadValue } from "../../../spec/semantics/field-errors.ts";
import type { ObjectMetaLike } from "../../../spec/semantics/validation.ts";

const REPORTING_INSTANCE_MAX = 128;
const ACTION_MAX = 128;
const REASON_MAX = 128;
const NOTE_MAX = 1024;

/** The internal core.Event fields validation reads. */
interface InternalEvent {
  readonly meta: ObjectMetaLike;
  readonly involvedObject: Json;
  readonly reason: string;
  readonly message: string;
  readonly source: Json;
  readonly firstTimestamp: unknown;
  readonly lastTimestamp: unknown;
  readonly count: number;
  readonly type: string;
  readonly eventTime: unknown;
  readonly series: Json | undefined;
  readonly action: string;
  readonly related: Json | undefined;
  readonly reportingController: string;
  readonly reportingInstance: string;
}

export function isEventsV1(obj: Json): boolean {
  return str(obj["apiVersion"]) === "events.k8s.io/v1";
}

function toInternal(obj: Json): InternalEvent {
  const v1 = isEventsV1(obj);
  return {
    meta: rec(obj["metadata"]) as ObjectMetaLike,
    involvedObject: rec(obj[v1 ? "regarding" : "involvedObject"]),
    reason: str(obj["reason"]),
    message: str(obj[v1 ? "note" : "message"]),
    source: rec(obj[v1 ? "deprecatedSource" : "source"]),
    firstTimestamp: obj[v1 ? "deprecatedFirstTimestamp" : "firstTimestamp"],
    lastTimestamp: obj[v1 ? "deprecatedLastTimestamp" : "lastTimestamp"],
    count: num(obj[v1 ? "deprecatedCount" : "count"]),
    type: str(obj["type"]),
    eventTime: obj["eventTime"],
    series: recOrUndef(obj["series"]),
    action: str(obj["action"]),
    related: recOrUndef(obj["related"]),
    reportingController: str(obj[v1 ? "reportingController" : "reportingComponent"]),
    reportingInstance: str(obj["reportingInstance"]),
  };
}

function isZeroTime(t: unknown): boolean {
  return t === undefined || t === null || t === "" || t === "0001-01-01T00:00:00Z";
}

function legacyValidateEvent(e: InternalEvent): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = e.meta.namespace ?? "";
  const involvedNamespace = str(e.involvedObject["namespace"]);
  const mismatch = invalid(path("involvedObject", "namespace"), involvedNamespace, "does not match event.namespace");
  if (isZeroTime(e.eventTime)) {
    if (involvedNamespace.length === 0) {
      if (namespace !== "" && namespace !== "default") errs.push(mismatch);
    } else if (namespace !== involvedNamespace) errs.push(mismatch);
  } else {
    if (involvedNamespace.length === 0 && namespace !== "default" && namespace !== "kube-system") errs.push(mismatch);
    if (e.reportingController.length === 0) errs.push(required(path("reportingController"), ""));
    errs.push(...isQualifiedName(e.reportingController).map((m) => invalid(path("reportingController"), e.reportingController, m)));
    if (e.reportingInstance.length === 0) errs.push(required(path("reportingInstance"), ""));
    if (utf8ByteLength(e.reportingInstance) > REPORTING_INSTANCE_MAX) {
      errs.push(invalid(path("reportingInstance"), "", `can have at most ${REPORTING_INSTANCE_MAX} characters`));
    }
    if (e.action.length === 0) errs.push(required(path("action"), ""));
    if (utf8ByteLength(e.action) > ACTION_MAX) errs.push(invalid(path("action"), "", `can have at most ${ACTION_MAX} characters`));
    if (e.reason.length === 0) errs.push(required(path("reason"), ""));
    if (utf8ByteLength(e.reason) > REASON_MAX) errs.push(invalid(path("reason"), "", `can have at most ${REASON_MAX} characters`));
    if (utf8ByteLength(e.message) > NOTE_MAX) errs.push(invalid(path("message"), "", `can have at most ${NOTE_MAX} characters`));
  }
  errs.push(...isDNS1123Subdomain(namespace).map((m) => invalid(path("namespace"), namespace, m)));
  return errs;
}

function validateV1EventSeries(e: InternalEvent): FieldError[] {
  if (e.series === undefined) return [];
  const errs: FieldError[] = [];
  if (num(e.series["count"]) < 2) errs.push(invalid(path("series.count"), "", "should be at least 2"));
  if (isZeroTime(e.series["lastObservedTime"])) errs.push(required(path("series.lastObservedTime"), ""));
  return errs;
}

/** ValidateEventCreate for the request's group version. */
export function validateEventCreate(obj: Json): FieldError[] {
  const e = toInternal(obj);
  const errs = legacyValidateEvent(e);
  if (!isEventsV1(obj)) return errs;
  errs.push(...validateCoreObjectMeta(e.meta, true, nameIsDNSSubdomain));
  errs.push(...validateV1EventSeries(e));
  if (isZeroTime(e.eventTime)) errs.push(required(path("eventTime"), ""));
  if (e.type !== "Normal" && e.type !== "Warning") errs.push(invalid(path("type"), "", `has invalid value: ${e.type}`));
  if (!isZeroTime(e.firstTimestamp)) errs.push(invalid(path("firstTimestamp"), "", "needs to be unset"));
  if (!isZeroTime(e.lastTimestamp)) errs.push(invalid(path("lastTimestamp"), "", "needs to be unset"));
  if (e.count !== 0) errs.push(invalid(path("count"), "", "needs to be unset"));
  if (str(e.source["component"]) !== "" || str(e.source["host"]) !== "") errs.push(invalid(path("source"), "", "needs to be unset"));
  return errs;
}

function goObjectReference(ref: Json): string {
  const field = (k: string): string => goQuote(str(ref[k]));
  return (
    `core.ObjectReference{Kind:${field("kind")}, Namespace:${field("namespace")}, Name:${field("name")}, UID:${field("uid")}, ` +
    `APIVersion:${field("apiVersion")}, ResourceVersion:${field("resourceVersion")}, FieldPath:${field("fieldPath")}}`
  );
}

function immutable(newV: unknown, oldV: unknown, field: string, bad: BadValue): FieldError[] {
  return semanticEqual(newV, oldV) ? [] : [invalid(path(field), bad, FIELD_IMMUTABLE)];
}

/** ValidateEventUpdate for the request's group version. */
export function validateEventUpdate(obj: Json, oldObj: Json): FieldError[] {
  const e = toInternal(obj);
  const old = toInternal(oldObj);
  const errs = legacyValidateEvent(e);
  if (!isEventsV1(obj)) return errs;
  errs.push(...validateCoreObjectMetaUpdate(e.meta, old.meta));
  if (!strictEqual(e.series, old.series)) errs.push(...validateV1EventSeries(e));
  const json = (v: unknown): BadValue => (v === undefined || v === null ? "null" : { json: v });
  errs.push(...immutable(e.involvedObject, old.involvedObject, "involvedObject", goSyntax(goObjectReference(e.involvedObject))));
  errs.push(...immutable(e.reason, old.reason, "reason", e.reason));
  errs.push(...immutable(e.message, old.message, "message", e.message));
  errs.push(...immutable(e.source, old.source, "source", goSyntax(`core.EventSource{Component:${goQuote(str(e.source["component"]))}, Host:${goQuote(str(e.source["host"]))}}`)));
  errs.push(...immutable(e.firstTimestamp, old.firstTimestamp, "firstTimestamp", json(e.firstTimestamp)));
  errs.push(...immutable(e.lastTimestamp, old.lastTimestamp, "lastTimestamp", json(e.lastTimestamp)));
  errs.push(...immutable(e.count, old.count, "count", e.count));
  errs.push(...immutable(e.reason, old.reason, "reason", e.reason));
  errs.push(...immutable(e.type, old.type, "type", e.type));
  errs.push(...immutable(e.eventTime, old.eventTime, "eventTime", json(e.eventTime)));
  errs.push(...immutable(e.action, old.action, "action", e.action));
  errs.push(
    ...immutable(e.related, old.related, "related", e.related === undefined ? "null" : goSyntax(goObjectReference(e.related))),
  );
  errs.push(...immutable(e.reportingController, old.reportingController, "reportingController", e.reportingController));
  errs.push(...immutable(e.reportingInstance, old.reportingInstance, "reportingInstance", e.reportingInstance));
  return errs;
}
