import type { Event } from "kubernetes-types/events/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

describe("events.k8s.io/v1 Event", () => {
  it("has no defaults and nothing to prepare; Go's always-serialized members are filled", () => {
    const event: Event = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "web.17c5d1a2", namespace: "default" },
      eventTime: "2024-05-01T10:00:00.000000Z",
      reportingController: "default-scheduler",
      reportingInstance: "default-scheduler-node-1",
      action: "Binding",
      reason: "Scheduled",
      regarding: { kind: "Pod", namespace: "default", name: "web" },
      note: "Successfully assigned default/web to node-1",
      type: "Normal",
    };
    expect(created(event).object).toEqual({
      ...event,
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
  });
});
