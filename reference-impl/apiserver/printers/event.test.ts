// Cases from upstream printers_test.go TestPrintEvent and TestPrintEventsResultSorted, plus the
// events.k8s.io/v1 mapping onto core fields (Convert_v1_Event_To_core_Event).
import { describe, expect, it } from "vitest";
import type { Event as CoreEvent } from "kubernetes-types/core/v1.js";
import type { Event as EventsV1Event } from "kubernetes-types/events/v1.js";
import { eventsV1ToCore, printEvent, printEventsV1Event } from "./event.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
const daysAgo = (n: number): string => new Date(NOW - n * DAY).toISOString();
const normal = { wide: false, nowMs: NOW };
const wide = { wide: true, nowMs: NOW };

const deployment = { kind: "Deployment", name: "Deployment Name", fieldPath: "spec.containers{foo}" };

function event(name: string, extra: Partial<CoreEvent>): CoreEvent {
  return {
    metadata: { name },
    involvedObject: deployment,
    reason: "Event Reason",
    message: "Message Data",
    type: "Warning",
    ...extra,
  };
}

describe("printEvent (TestPrintEvent)", () => {
  it.each([
    [
      "basic event, not wide",
      event("event1", {
        source: { component: "kubelet" },
        involvedObject: { kind: "Pod", name: "Pod Name", fieldPath: "spec.containers{foo}" },
        firstTimestamp: daysAgo(3),
        lastTimestamp: daysAgo(2),
        count: 6,
        type: "Normal",
      }),
      normal,
      ["2d", "Normal", "Event Reason", "pod/Pod Name", "Message Data"],
    ],
    [
      "basic event, wide",
      event("event2", { source: { component: "kubelet", host: "Node1" }, firstTimestamp: daysAgo(3), lastTimestamp: daysAgo(2), count: 6 }),
      wide,
      ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 6, "event2"],
    ],
    [
      "without firstTimestamp: eventTime stands in",
      event("event3", { source: { component: "kubelet", host: "Node1" }, eventTime: daysAgo(3), lastTimestamp: daysAgo(3), count: 1 }),
      wide,
      ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 1, "event3"],
    ],
    [
      "without lastTimestamp: first seen stands in",
      event("event4", { source: { component: "kubelet", host: "Node1" }, eventTime: daysAgo(3), firstTimestamp: daysAgo(3), count: 1 }),
      wide,
      ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 1, "event4"],
    ],
    [
      "without first and last timestamps",
      event("event5", { source: { component: "kubelet", host: "Node1" }, eventTime: daysAgo(3), count: 1 }),
      wide,
      ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 1, "event5"],
    ],
    [
      "series: last observed time and series count",
      event("event6", {
        source: { component: "kubelet", host: "Node1" },
        series: { count: 2, lastObservedTime: daysAgo(2) },
        eventTime: daysAgo(3),
      }),
      wide,
      ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 2, "event6"],
    ],
    [
      "singleton without count counts 1",
      event("event7", { source: { component: "kubelet", host: "Node1" }, eventTime: daysAgo(3) }),
      wide,
      ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 1, "event7"],
    ],
    [
      "empty source: reporting controller and instance",
      event("event2", {
        reportingComponent: "kubelet",
        reportingInstance: "test",
        firstTimestamp: daysAgo(3),
        lastTimestamp: daysAgo(2),
        count: 6,
      }),
      wide,
      ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, test", "Message Data", "3d", 6, "event2"],
    ],
    [
      "message trimmed, kind-only target",
      event("e", { involvedObject: { kind: "Node" }, message: "\n  Starting kubelet.\u0085 ", lastTimestamp: daysAgo(0) }),
      normal,
      ["0s", "Warning", "Event Reason", "node", "Starting kubelet."],
    ],
  ])("%s", (_name, e, options, cells) => {
    expect(printEvent(e, options).cells).toEqual(cells);
  });

  it("keeps the list order (TestPrintEventsResultSorted)", () => {
    const items = [
      { message: "Item 1", at: "2014-01-15T00:00:00Z" },
      { message: "Item 2", at: "1987-06-17T00:00:00Z" },
      { message: "Item 3", at: "2002-12-25T00:00:00Z" },
    ].map((x) => event("", { message: x.message, firstTimestamp: x.at, lastTimestamp: x.at, count: 1, type: "Normal" }));
    expect(items.map((e) => printEvent(e, normal).cells[4])).toEqual(["Item 1", "Item 2", "Item 3"]);
  });
});

describe("events.k8s.io/v1 Event", () => {
  const v1: EventsV1Event = {
    metadata: { name: "web.17c", namespace: "default" },
    eventTime: daysAgo(1),
    reportingController: "default-scheduler",
    reportingInstance: "default-scheduler-node1",
    action: "Binding",
    reason: "Scheduled",
    regarding: { kind: "Pod", name: "web", namespace: "default" },
    note: "Successfully assigned default/web to node1",
    type: "Normal",
  };

  it("maps onto core field names", () => {
    expect(eventsV1ToCore(v1)).toEqual({
      metadata: v1.metadata,
      involvedObject: v1.regarding,
      eventTime: v1.eventTime,
      reason: "Scheduled",
      type: "Normal",
      action: "Binding",
      reportingComponent: "default-scheduler",
      reportingInstance: "default-scheduler-node1",
      message: "Successfully assigned default/web to node1",
    });
  });

  it("prints like the core Event it is stored as", () => {
    expect(printEventsV1Event(v1, wide).cells).toEqual([
      "24h",
      "Normal",
      "Scheduled",
      "pod/web",
      "",
      "default-scheduler, default-scheduler-node1",
      "Successfully assigned default/web to node1",
      "24h",
      1,
      "web.17c",
    ]);
    const deprecated: EventsV1Event = {
      ...v1,
      deprecatedSource: { component: "kubelet", host: "n1" },
      deprecatedFirstTimestamp: daysAgo(3),
      deprecatedLastTimestamp: daysAgo(2),
      deprecatedCount: 4,
    };
    expect(printEventsV1Event(deprecated, wide).cells.slice(5, 9)).toEqual(["kubelet, n1", "Successfully assigned default/web to node1", "3d", 4]);
  });
});
