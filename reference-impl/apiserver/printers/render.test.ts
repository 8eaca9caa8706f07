import { describe, expect, it } from "vitest";
import type { Pod } from "kubernetes-types/core/v1.js";
import { renderTable, tabwriterLayout } from "./render.ts";
import { printTable } from "./table.ts";
import type { Table, TableCell, TableColumnDefinition } from "./types.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");

function column(name: string, priority = 0, format = ""): TableColumnDefinition {
  return { name, type: "string", format, description: "", priority };
}

function table(columns: TableColumnDefinition[], rows: Array<{ cells: TableCell[]; object?: unknown }>): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {},
    columnDefinitions: columns,
    rows: rows.map((r) => ({ cells: r.cells, object: r.object ?? null })),
  };
}

const podColumns = [column("Name", 0, "name"), column("Ready"), column("Status"), column("Restarts"), column("Age")];

describe("renderTable", () => {
  it("aligns columns like kubectl: widest cell + 3 spaces, last column unpadded", () => {
    const t = table(podColumns, [
      { cells: ["web", "1/1", "Running", "3 (5m ago)", "2d"] },
      { cells: ["nginx-7854ff8877-abcde", "0/1", "ContainerCreating", "0", "5s"] },
    ]);
    expect(renderTable(t)).toBe(
      "NAME                     READY   STATUS              RESTARTS     AGE\n" +
        "web                      1/1     Running             3 (5m ago)   2d\n" +
        "nginx-7854ff8877-abcde   0/1     ContainerCreating   0            5s\n",
    );
  });

  it("shows priority-1 columns only with wide (kubectl get -o wide)", () => {
    const web: Pod = {
      metadata: { name: "web", creationTimestamp: "2024-05-30T12:00:00Z" },
      spec: { containers: [{ name: "nginx" }], nodeName: "node-1" },
      status: {
        phase: "Running",
        podIP: "10.244.0.5",
        containerStatuses: [{ name: "nginx", image: "", imageID: "", ready: true, restartCount: 0, state: { running: {} } }],
      },
    };
    // The API server always prints wide; kubectl drops the priority-1 columns itself.
    const t = printTable("Pod", [web], { wide: true, nowMs: NOW, includeObject: "Metadata" });
    expect(renderTable(t)).toBe("NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          2d\n");
    expect(renderTable(t, { wide: true })).toBe(
      "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n" +
        "web    1/1     Running   0          2d    10.244.0.5   node-1   <none>           <none>\n",
    );
  });

  it("adds NAMESPACE and LABELS from the row objects (-A --show-labels)", () => {
    const t = table(podColumns, [
      {
        cells: ["web", "1/1", "Running", "0", "2d"],
        object: { kind: "PartialObjectMetadata", metadata: { name: "web", namespace: "default", labels: { tier: "fe", app: "web" } } },
      },
      // Without an object kubectl leaves the extra cells empty.
      { cells: ["ghost", "0/1", "Pending", "0", "1s"] },
    ]);
    expect(renderTable(t, { withNamespace: true, showLabels: true })).toBe(
      "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE   LABELS\n" +
        "default     web     1/1     Running   0          2d    app=web,tier=fe\n" +
        "            ghost   0/1     Pending   0          1s    \n",
    );
  });

  it("adds one column per -L label, headed by the key's last segment", () => {
    const t = table([column("Name", 0, "name")], [
      { cells: ["a"], object: { metadata: { labels: { "app.kubernetes.io/name": "shop" } } } },
      { cells: ["b"], object: { metadata: {} } },
    ]);
    expect(renderTable(t, { columnLabels: ["app.kubernetes.io/name"] })).toBe("NAME   NAME\na      shop\nb      \n");
  });

  it("prefixes names with the kind (--show-kind)", () => {
    const t = table([column("Name", 0, "name"), column("Ready")], [{ cells: ["web", "2/3"], object: { metadata: {} } }]);
    expect(renderTable(t, { withKind: "Deployment.apps" })).toBe("NAME                  READY\ndeployment.apps/web   2/3\n");
  });

  it("prints nothing for an empty table unless headers are off", () => {
    expect(renderTable(table(podColumns, []))).toBe("");
    expect(renderTable(table(podColumns, []), { noHeaders: true })).toBe("");
    expect(renderTable(table(podColumns, [{ cells: ["web", "1/1", "Running", "0", "2d"] }]), { noHeaders: true })).toBe(
      "web   1/1   Running   0     2d\n",
    );
  });

  it("keeps columns at least 6 wide", () => {
    expect(renderTable(table([column("A"), column("B")], [{ cells: ["x", "y"] }]))).toBe("A     B\nx     y\n");
  });

  it("cuts cells at a line break, escapes terminal control characters, prints numbers, bools and null", () => {
    const t = table([column("Message"), column("Count"), column("Flag"), column("Empty"), column("End")], [
      { cells: ["first line\nsecond line", 6, true, null, "\x1b[31mred"] },
    ]);
    expect(renderTable(t)).toBe("MESSAGE         COUNT   FLAG   EMPTY   END\nfirst line...   6       true           ^[[31mred\n");
  });

  it("drops cells beyond the column definitions", () => {
    const t = table([column("Name")], [{ cells: ["a", "extra"] }]);
    expect(renderTable(t)).toBe("NAME\na\n");
  });

  it("measures widths in characters, not bytes", () => {
    expect(renderTable(table([column("Name"), column("X")], [{ cells: ["héllo", "1"] }]))).toBe("NAME    X\nhéllo   1\n");
  });
});

describe("tabwriterLayout", () => {
  it("lays out column blocks: a line with fewer cells ends the block", () => {
    expect(tabwriterLayout(["a\tb\tc", "aaaaaaa\tb", "x", "yy\tz"])).toEqual(["a         b     c", "aaaaaaa   b", "x", "yy    z"]);
  });
});
