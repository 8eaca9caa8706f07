import { describe, expect, test } from "vitest";
import { formatClosest, formatDiff, formatMismatches } from "./diff.ts";
import { match, matchAny } from "./match.ts";
import { makeNode, makePod } from "./testing.ts";

function diff(expected: unknown, actual: unknown): string {
  const result = match(expected, actual);
  return result.ok ? "" : formatDiff(result.mismatches);
}

describe("formatDiff", () => {
  test("nothing to show when the object matches", () => {
    expect(formatDiff([])).toBe("");
  });

  test("a keyed element's field, inside just enough of the object to find it", () => {
    const pending = makePod("web", "Pending", null);
    expect(diff({ status: { conditions: [{ type: "PodScheduled", reason: "SchedulerError" }] } }, pending)).toBe(
      [
        "--- expected",
        "+++ actual",
        "  status:",
        "    conditions:",
        "      - type: PodScheduled",
        "-       reason: SchedulerError",
        "+       reason: Unschedulable",
        "",
      ].join("\n"),
    );
  });

  test("absent fields, operators, quantities and a missing keyed element", () => {
    const expected = {
      metadata: { labels: { "app.kubernetes.io/name": "api", tier: "frontend" } },
      spec: {
        nodeName: { $absent: true },
        containers: [
          { name: "web", image: { $regex: "^nginx:1\\.26" }, resources: { requests: { cpu: "1" } } },
          { name: "db", image: "postgres:16" },
        ],
      },
      status: { phase: { $not: "Running" }, podIP: "10.0.0.5" },
    };
    expect(diff(expected, makePod("web", "Running"))).toBe(
      [
        "--- expected",
        "+++ actual",
        "  metadata:",
        "    labels:",
        "-     app.kubernetes.io/name: api",
        "+     app.kubernetes.io/name: web",
        "-     tier: frontend",
        "+     tier: # absent",
        "  spec:",
        "-   nodeName: # absent",
        "+   nodeName: node-1",
        "    containers:",
        "      - name: web",
        "-       image: # matches /^nginx:1\\.26/",
        "+       image: nginx:1.25",
        "        resources:",
        "          requests:",
        '-           cpu: "1"',
        "+           cpu: 500m",
        "-     - name: db",
        "-       image: postgres:16",
        "+     # no element with name=db (present: sidecar, web)",
        "  status:",
        "-   phase: # not Running",
        "+   phase: Running",
        "-   podIP: 10.0.0.5",
        "+   podIP: # absent",
        "",
      ].join("\n"),
    );
  });

  test("an unkeyed element that matches nothing, with the closest element's differences; sizes; $all", () => {
    const expected = {
      spec: { tolerations: [{ key: "gpu", operator: "Equal", effect: "NoExecute" }], containers: { $size: 3 } },
      status: { conditions: { $all: { status: "True" } } },
    };
    expect(diff(expected, makePod("web", "Pending"))).toBe(
      [
        "--- expected",
        "+++ actual",
        "  spec:",
        "    tolerations:",
        "-     - key: gpu",
        "-       operator: Equal",
        "-       effect: NoExecute",
        "+     # no element matches; closest is [1] (1 difference)",
        "      - # [1]",
        "-       effect: NoExecute",
        "+       effect: NoSchedule",
        "-   containers: # size 3",
        "+   containers: # size 2",
        "  status:",
        "    conditions:",
        "      - # [2]",
        '-       status: "True"',
        '+       status: "False"',
        "",
      ].join("\n"),
    );
  });

  test("comparisons, exact lists and missing structures", () => {
    const expected = { status: { restartCount: { $gte: 1 } }, spec: { containers: [{ name: "web", args: { $exact: ["--port", "9090"] } }] } };
    expect(diff(expected, makePod("web", "Running"))).toBe(
      [
        "--- expected",
        "+++ actual",
        "  status:",
        "-   restartCount: # >= 1",
        "+   restartCount: # absent",
        "  spec:",
        "    containers:",
        "      - name: web",
        "-       args:",
        "-         - --port",
        '-         - "9090"',
        "+       args:",
        "+         - --port",
        '+         - "8080"',
        "",
      ].join("\n"),
    );
    expect(diff({ status: { addresses: [{ type: "InternalIP", address: "10.0.0.1" }] } }, makeNode("n"))).toBe(
      [
        "--- expected",
        "+++ actual",
        "  status:",
        "-   addresses:",
        "-     - type: InternalIP",
        "-       address: 10.0.0.1",
        "+   addresses: # absent",
        "",
      ].join("\n"),
    );
  });

  test("type mismatches and the root", () => {
    expect(diff({ a: { b: 1 } }, { a: "x" })).toBe(["--- expected", "+++ actual", "- a:", "-   b: 1", "+ a: x", ""].join("\n"));
    expect(diff(3, 4)).toBe(["--- expected", "+++ actual", "- 3", "+ 4", ""].join("\n"));
  });

  test("one line per mismatch for logs", () => {
    const result = match({ status: { phase: "Running", podIP: "10.0.0.5" } }, makePod("web", "Pending"));
    expect(result.ok ? "" : formatMismatches(result.mismatches)).toBe(
      ['.status.phase: expected "Running", got "Pending"', '.status.podIP: expected "10.0.0.5", but the field is absent'].join("\n"),
    );
  });
});

describe("formatClosest", () => {
  const pods = [makePod("web-1", "Pending", null), makePod("web-2", "Running"), makePod("web-3", "Failed")];

  test("names the closest candidate, shows why it failed, and ranks the others", () => {
    const expected = { status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] }, spec: { nodeName: "node-2" } };
    expect(formatClosest(matchAny(expected, pods), pods, { noun: "pod" })).toBe(
      [
        "no pod matches among 3 candidates; closest is default/web-2 (1 difference):",
        "--- expected",
        "+++ actual",
        "  spec:",
        "-   nodeName: node-2",
        "+   nodeName: node-1",
        "other candidates: default/web-3 (3 differences), default/web-1 (3 differences)",
        "",
      ].join("\n"),
    );
  });

  test("says which candidates match, or that there were none", () => {
    expect(formatClosest(matchAny({ status: { phase: "Running" } }, pods), pods)).toBe("1 of 3 candidates matches: default/web-2\n");
    expect(formatClosest(matchAny({ status: { phase: "Running" } }, []), [], { noun: "pod" })).toBe("no pod to match: there are no candidates\n");
  });

  test("caps the list of other candidates", () => {
    const many = Array.from({ length: 8 }, (_, i) => makePod(`web-${i}`, "Pending"));
    const text = formatClosest(matchAny({ status: { phase: "Running" } }, many), many, { othersShownMax: 2 });
    expect(text.split("\n").at(-2)).toBe("other candidates: default/web-1 (1 difference), default/web-2 (1 difference), and 5 more");
  });
});
