import { describe, expect, it } from "vitest";
import type { Pod } from "kubernetes-types/core/v1.js";
import { groupKindOf, PRINTED_GROUP_KINDS, printTable } from "./table.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");

const web: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "web",
    namespace: "default",
    resourceVersion: "42",
    labels: { app: "web" },
    creationTimestamp: "2024-05-30T12:00:00Z",
  },
  spec: { containers: [{ name: "nginx", image: "nginx:1.27" }], nodeName: "node-1" },
  status: {
    phase: "Running",
    podIP: "10.244.0.5",
    containerStatuses: [{ name: "nginx", image: "nginx:1.27", imageID: "", ready: true, restartCount: 0, state: { running: {} } }],
  },
};

describe("printTable", () => {
  it("prints the normal columns only without wide", () => {
    const t = printTable("Pod", [web], { wide: false, nowMs: NOW, includeObject: "Metadata" });
    expect(t.kind).toBe("Table");
    expect(t.apiVersion).toBe("meta.k8s.io/v1");
    expect(t.metadata).toEqual({ resourceVersion: "42" });
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(["Name", "Ready", "Status", "Restarts", "Age"]);
    expect(t.columnDefinitions?.[0]).toMatchObject({ name: "Name", type: "string", format: "name", priority: 0 });
    expect(t.rows).toEqual([
      {
        cells: ["web", "1/1", "Running", "0", "2d"],
        object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: web.metadata },
      },
    ]);
  });

  it("prints every column with wide, priority 1 for the wide ones", () => {
    const t = printTable("Pod", [web], { wide: true, nowMs: NOW, includeObject: "None" });
    expect(t.columnDefinitions?.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0],
      ["Ready", 0],
      ["Status", 0],
      ["Restarts", 0],
      ["Age", 0],
      ["IP", 1],
      ["Node", 1],
      ["Nominated Node", 1],
      ["Readiness Gates", 1],
    ]);
    expect(t.rows?.[0]?.cells).toEqual(["web", "1/1", "Running", "0", "2d", "10.244.0.5", "node-1", "<none>", "<none>"]);
    expect(t.rows?.[0]?.object).toBeNull();
  });

  it("embeds the whole object with includeObject=Object", () => {
    const t = printTable("Pod", [web], { wide: true, nowMs: NOW, includeObject: "Object" });
    expect(t.rows?.[0]?.object).toBe(web);
  });

  it("copies list metadata and omits empty fields", () => {
    const t = printTable("Pod", [web, web], {
      wide: true,
      nowMs: NOW,
      includeObject: "Metadata",
      listMeta: { resourceVersion: "99", continue: "", remainingItemCount: 3 },
    });
    expect(t.metadata).toEqual({ resourceVersion: "99", remainingItemCount: 3 });
    expect(t.rows).toHaveLength(2);
    const empty = printTable("Pod", [], { wide: true, nowMs: NOW, includeObject: "Metadata", listMeta: { resourceVersion: "7" } });
    expect(empty.rows).toEqual([]);
    expect(empty.metadata).toEqual({ resourceVersion: "7" });
  });

  it("omits column definitions with noHeaders (watch events after the first)", () => {
    const t = printTable("Pod", [web], { wide: true, nowMs: NOW, includeObject: "Metadata", noHeaders: true });
    expect(t.columnDefinitions).toBeNull();
    expect(t.rows).toHaveLength(1);
  });

  it("types PartialObjectMetadata with the negotiated Table version", () => {
    const t = printTable("Pod", [web], { wide: true, nowMs: NOW, includeObject: "Metadata", tableApiVersion: "meta.k8s.io/v1beta1" });
    expect(t.apiVersion).toBe("meta.k8s.io/v1beta1");
    expect(t.rows?.[0]?.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1beta1" });
  });

  it("encodes as Go does: key order, row conditions before the object", () => {
    const done: Pod = { metadata: { name: "job-x", resourceVersion: "5" }, spec: { containers: [{ name: "c" }] }, status: { phase: "Succeeded" } };
    const json = JSON.stringify(printTable("Pod", [done], { wide: false, nowMs: NOW, includeObject: "None" }));
    expect(json.startsWith('{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"5"},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":')).toBe(true);
    expect(json).toContain(
      '"rows":[{"cells":["job-x","0/1","Succeeded","0","<unknown>"],"conditions":[{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}],"object":null}]',
    );
  });

  it("uses the default NAME / CREATED AT table for LimitRange and unknown kinds", () => {
    const lr = { apiVersion: "v1", kind: "LimitRange", metadata: { name: "limits", resourceVersion: "3", creationTimestamp: "2024-05-01T10:00:00Z" } };
    const t = printTable("LimitRange", [lr], { wide: true, nowMs: NOW, includeObject: "Object" });
    expect(t.columnDefinitions?.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Created At", "date", ""],
    ]);
    expect(t.rows).toEqual([{ cells: ["limits", "2024-05-01T10:00:00Z"], object: lr }]);
    expect(printTable("Widget.example.com", [], { wide: true, nowMs: NOW, includeObject: "Metadata" }).rows).toBeNull();
    expect(printTable("LimitRange", [{ metadata: { name: "x" } }], { wide: false, nowMs: NOW, includeObject: "None" }).rows?.[0]?.cells).toEqual([
      "x",
      "0001-01-01T00:00:00Z",
    ]);
  });

  it("prints events.k8s.io Events with the core Event columns", () => {
    const e = { metadata: { name: "e1" }, eventTime: "2024-06-01T11:59:00.000000Z", reason: "Pulled", regarding: { kind: "Pod", name: "web" }, note: "done", type: "Normal" };
    const t = printTable("Event.events.k8s.io", [e], { wide: false, nowMs: NOW, includeObject: "None" });
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(["Last Seen", "Type", "Reason", "Object", "Message"]);
    expect(t.rows?.[0]?.cells).toEqual(["60s", "Normal", "Pulled", "pod/web", "done"]);
  });
});

describe("every served kind", () => {
  const served = [
    ["v1", "Namespace"],
    ["v1", "Node"],
    ["v1", "Pod"],
    ["v1", "Service"],
    ["v1", "Endpoints"],
    ["v1", "Event"],
    ["v1", "ConfigMap"],
    ["v1", "Secret"],
    ["v1", "ServiceAccount"],
    ["v1", "LimitRange"],
    ["v1", "ResourceQuota"],
    ["apps/v1", "Deployment"],
    ["apps/v1", "ReplicaSet"],
    ["apps/v1", "DaemonSet"],
    ["apps/v1", "StatefulSet"],
    ["apps/v1", "ControllerRevision"],
    ["batch/v1", "Job"],
    ["batch/v1", "CronJob"],
    ["policy/v1", "PodDisruptionBudget"],
    ["coordination.k8s.io/v1", "Lease"],
    ["discovery.k8s.io/v1", "EndpointSlice"],
    ["scheduling.k8s.io/v1", "PriorityClass"],
    ["networking.k8s.io/v1", "Ingress"],
    ["events.k8s.io/v1", "Event"],
  ] as const;

  it("has a printer, except LimitRange (upstream's default table)", () => {
    const kinds = served.map(([v, k]) => groupKindOf(v, k));
    expect(kinds.filter((gk) => !PRINTED_GROUP_KINDS.includes(gk))).toEqual(["LimitRange"]);
    expect(groupKindOf("apps/v1", "Deployment")).toBe("Deployment.apps");
    expect(groupKindOf("v1", "Pod")).toBe("Pod");
  });

  it.each(served)("%s %s: one cell per column, wide or not, starting with the name", (apiVersion, kind) => {
    const obj = { apiVersion, kind, metadata: { name: "x", creationTimestamp: "2024-06-01T11:00:00Z" } };
    const groupKind = groupKindOf(apiVersion, kind);
    for (const wide of [true, false]) {
      const t = printTable(groupKind, [obj], { wide, nowMs: NOW, includeObject: "None" });
      const cells = t.rows?.[0]?.cells ?? [];
      // Upstream's PriorityClass prints PreemptionPolicy (priority 0) only with Wide.
      const missing = !wide && groupKind === "PriorityClass.scheduling.k8s.io" ? 1 : 0;
      expect(cells.length).toBe((t.columnDefinitions?.length ?? 0) - missing);
      const nameColumn = t.columnDefinitions?.findIndex((c) => c.format === "name") ?? -1;
      if (nameColumn >= 0 && nameColumn < cells.length) expect(cells[nameColumn]).toBe("x");
      for (const c of t.columnDefinitions ?? []) expect(c.description.length).toBeGreaterThan(0);
    }
  });
});
