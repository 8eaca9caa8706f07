// printEvent (pkg/printers/internalversion/printers.go). events.k8s.io/v1 Events share core Events'
// storage and printer upstream (pkg/registry/events/rest uses the core event store), so they are
// first mapped onto core field names as Convert_v1_Event_To_core_Event does.
import type { Event as CoreEvent, EventSource } from "kubernetes-types/core/v1.js";
import type { Event as EventsV1Event } from "kubernetes-types/events/v1.js";
import { isZeroTime, timeMs, translateTimestampSince } from "./duration.ts";
import { goTrimSpace, int } from "./format.ts";
import type { GenerateOptions, PrintedRow, TableCell } from "./types.ts";

/** Convert_v1_Event_To_core_Event, expressed in core/v1 JSON field names. */
export function eventsV1ToCore(e: EventsV1Event): CoreEvent {
  const core: CoreEvent = {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    eventTime: e.eventTime,
  };
  if (e.series !== undefined) core.series = { count: e.series.count, lastObservedTime: e.series.lastObservedTime };
  if (e.reason !== undefined) core.reason = e.reason;
  if (e.type !== undefined) core.type = e.type;
  if (e.action !== undefined) core.action = e.action;
  if (e.related !== undefined) core.related = e.related;
  if (e.reportingController !== undefined) core.reportingComponent = e.reportingController;
  if (e.reportingInstance !== undefined) core.reportingInstance = e.reportingInstance;
  if (e.note !== undefined) core.message = e.note;
  if (e.deprecatedSource !== undefined) core.source = e.deprecatedSource;
  if (e.deprecatedFirstTimestamp !== undefined) core.firstTimestamp = e.deprecatedFirstTimestamp;
  if (e.deprecatedLastTimestamp !== undefined) core.lastTimestamp = e.deprecatedLastTimestamp;
  if (e.deprecatedCount !== undefined) core.count = e.deprecatedCount;
  return core;
}

/**
 * formatEventSource: "component, host"; reportingController/reportingInstance stand in for an
 * empty source component/host.
 */
export function formatEventSource(es: EventSource | undefined, reportingController: string, reportingInstance: string): string {
  const component = es?.component || reportingController;
  const instance = es?.host || reportingInstance;
  return instance.length === 0 ? component : `${component}, ${instance}`;
}

export function printEvent(e: CoreEvent, options: GenerateOptions): PrintedRow {
  const now = options.nowMs;
  let firstTimestamp = translateTimestampSince(e.firstTimestamp, now);
  if (isZeroTime(timeMs(e.firstTimestamp))) firstTimestamp = translateTimestampSince(e.eventTime, now);
  let lastTimestamp = translateTimestampSince(e.lastTimestamp, now);
  if (isZeroTime(timeMs(e.lastTimestamp))) lastTimestamp = firstTimestamp;
  let count = int(e.count);
  if (e.series !== undefined && e.series !== null) {
    lastTimestamp = translateTimestampSince(e.series.lastObservedTime, now);
    count = int(e.series.count);
  } else if (count === 0) {
    // Singleton events don't have a count set in the new API.
    count = 1;
  }
  const kind = (e.involvedObject?.kind ?? "").toLowerCase();
  const objectName = e.involvedObject?.name ?? "";
  const target = objectName.length > 0 ? `${kind}/${objectName}` : kind;
  const message = goTrimSpace(e.message ?? "");
  const cells: TableCell[] = options.wide
    ? [
        lastTimestamp,
        e.type ?? "",
        e.reason ?? "",
        target,
        e.involvedObject?.fieldPath ?? "",
        formatEventSource(e.source, e.reportingComponent ?? "", e.reportingInstance ?? ""),
        message,
        firstTimestamp,
        count,
        e.metadata?.name ?? "",
      ]
    : [lastTimestamp, e.type ?? "", e.reason ?? "", target, message];
  return { cells };
}

export function printEventsV1Event(e: EventsV1Event, options: GenerateOptions): PrintedRow {
  return printEvent(eventsV1ToCore(e), options);
}
