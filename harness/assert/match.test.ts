import { describe, expect, test } from "vitest";
import { ExpectationError, match, matchAny, type Mismatch } from "./match.ts";
import { makeNode, makePod } from "./testing.ts";

function mismatchesOf(expected: unknown, actual: unknown): readonly Mismatch[] {
  const result = match(expected, actual);
  return result.ok ? [] : result.mismatches;
}

function paths(expected: unknown, actual: unknown): string[] {
  return mismatchesOf(expected, actual).map((m) => `${m.path} ${m.reason}`);
}

describe("partial objects", () => {
  test("fields the expectation leaves out are ignored", () => {
    expect(match({ kind: "Pod", status: { phase: "Running" } }, makePod("web", "Running"))).toEqual({ ok: true });
  });

  test("scalars compare strictly: 3 is not \"3\"", () => {
    const [m] = mismatchesOf({ spec: { replicas: "3" } }, { spec: { replicas: 3 } });
    expect(m).toMatchObject({ path: ".spec.replicas", reason: "value", expected: "3", actual: 3 });
    expect(m?.message).toBe('expected "3", got 3 (string vs number)');
  });

  test("a missing field is reported with what was expected", () => {
    const [m] = mismatchesOf({ status: { podIP: "10.0.0.1" } }, makePod("web", "Running"));
    expect(m).toMatchObject({ path: ".status.podIP", reason: "missing", actualPresent: false });
    expect(m?.message).toBe('expected "10.0.0.1", but the field is absent');
  });

  test("an object where a scalar was expected is a type mismatch", () => {
    expect(paths({ spec: "x" }, { spec: { a: 1 } })).toEqual([".spec type"]);
    expect(paths({ spec: { a: 1 } }, { spec: "x" })).toEqual([".spec type"]);
  });

  test("label keys that are not identifiers are quoted in paths", () => {
    expect(paths({ metadata: { labels: { "app.kubernetes.io/name": "api" } } }, makePod("web", "Running"))).toEqual([
      '.metadata.labels["app.kubernetes.io/name"] value',
    ]);
  });

  test("a whole-value mismatch at the root has the path .", () => {
    expect(paths(3, 4)).toEqual([". value"]);
  });
});

describe("keyed lists", () => {
  test("containers match by name whatever their order", () => {
    const expected = { spec: { containers: [{ name: "web", image: "nginx:1.25" }, { name: "sidecar" }] } };
    expect(match(expected, makePod("web", "Running"))).toEqual({ ok: true });
  });

  test("a difference inside a keyed element names the key in the path", () => {
    const expected = { spec: { containers: [{ name: "web", image: "nginx:1.26" }] } };
    expect(paths(expected, makePod("web", "Running"))).toEqual([".spec.containers[name=web].image value"]);
  });

  test("conditions match by type", () => {
    const pending = makePod("web", "Pending", null);
    const expected = { status: { phase: "Pending", conditions: [{ type: "PodScheduled", reason: "Unschedulable" }] } };
    expect(match(expected, pending)).toEqual({ ok: true });
    const wrong = { status: { conditions: [{ type: "PodScheduled", reason: "SchedulerError" }] } };
    const [m] = mismatchesOf(wrong, pending);
    expect(m).toMatchObject({
      path: ".status.conditions[type=PodScheduled].reason",
      expected: "SchedulerError",
      actual: "Unschedulable",
    });
  });

  test("a missing keyed element lists the keys that are there", () => {
    const [m] = mismatchesOf({ status: { conditions: [{ type: "ContainersReady" }] } }, makePod("web", "Running"));
    expect(m).toMatchObject({ path: ".status.conditions[type=ContainersReady]", reason: "missing-element" });
    expect(m?.message).toBe("no element with type=ContainersReady (present: Initialized, PodScheduled, Ready)");
  });

  test("keys come from the kind's schema, and work without it from the built-in table", () => {
    const node = makeNode("gpu-1");
    const expected = { spec: { taints: [{ key: "gpu", effect: "NoSchedule", value: "false" }] } };
    expect(paths(expected, node)).toEqual([".spec.taints[key=gpu,effect=NoSchedule].value value"]);
    const { apiVersion: _a, kind: _k, ...unknownKind } = makePod("web", "Running");
    const containers = { spec: { containers: [{ name: "web", image: "x" }] } };
    expect(paths(containers, unknownKind)).toEqual([".spec.containers[name=web].image value"]);
  });

  test("container ports match by containerPort without protocol, or by name", () => {
    const pod = makePod("web", "Running");
    const byPort = { spec: { containers: [{ name: "web", ports: [{ containerPort: 8080, name: "web" }] }] } };
    expect(paths(byPort, pod)).toEqual([".spec.containers[name=web].ports[containerPort=8080].name value"]);
    const byName = { spec: { containers: [{ name: "web", ports: [{ name: "http", containerPort: 80 }] }] } };
    // containerPort+protocol is the first key, but protocol is not given: containerPort alone picks the port.
    expect(paths(byName, pod)).toEqual([".spec.containers[name=web].ports[containerPort=80] missing-element"]);
    expect(match({ spec: { containers: [{ name: "web", ports: [{ name: "http" }] }] } }, pod)).toEqual({ ok: true });
  });

  test("List items match by kind, namespace and name", () => {
    const list = { kind: "List", items: [makePod("a", "Running"), makePod("b", "Pending")] };
    const expected = { items: [{ kind: "Pod", metadata: { namespace: "default", name: "b" }, status: { phase: "Running" } }] };
    expect(paths(expected, list)).toEqual([".items[kind=Pod,metadata.namespace=default,metadata.name=b].status.phase value"]);
  });

  test("$key names the key explicitly", () => {
    const actual = { widgets: [{ id: 1, size: 3 }, { id: 2, size: 5 }] };
    expect(match({ widgets: [{ $key: "id", id: 2, size: 5 }] }, actual)).toEqual({ ok: true });
    expect(paths({ widgets: [{ $key: "id", id: 2, size: 3 }] }, actual)).toEqual([".widgets[id=2].size value"]);
    expect(paths({ widgets: [{ $key: ["id", "size"], id: 2, size: 3 }] }, actual)).toEqual([".widgets[id=2,size=3] missing-element"]);
  });

  test("$key naming a field the element does not give is a bad expectation", () => {
    expect(() => match({ widgets: [{ $key: "id", size: 5 }] }, { widgets: [] })).toThrow(ExpectationError);
    expect(() => match({ widgets: [{ $key: "id", size: 5 }] }, { widgets: [] })).toThrow(
      "bad expectation at .widgets: $key names id but the element does not give a value for each",
    );
  });
});

describe("unkeyed lists: unordered containment", () => {
  test("an element without a key matches some element, in any position", () => {
    expect(match({ spec: { tolerations: [{ key: "gpu", effect: "NoSchedule" }] } }, makePod("web", "Running"))).toEqual({ ok: true });
    expect(match({ spec: { containers: [{ name: "web", args: ["8080", "--port"] }] } }, makePod("web", "Running"))).toEqual({ ok: true });
  });

  test("when no element matches, the closest one is reported with its differences", () => {
    const [m] = mismatchesOf({ spec: { tolerations: [{ key: "gpu", operator: "Equal", effect: "NoExecute" }] } }, makePod("web", "Running"));
    expect(m).toMatchObject({ path: ".spec.tolerations", reason: "no-match" });
    expect(m?.message).toBe("no element matches; closest is [1] (1 difference)");
    expect(m?.closest?.index).toBe(1);
    expect(m?.closest?.mismatches.map((c) => c.path)).toEqual([".spec.tolerations[1].effect"]);
  });

  test("an empty list expects an empty or absent list", () => {
    expect(match({ metadata: { finalizers: [] } }, { metadata: {} })).toEqual({ ok: true });
    expect(paths({ metadata: { finalizers: [] } }, { metadata: { finalizers: ["x"] } })).toEqual([".metadata.finalizers exact"]);
  });
});

describe("operators", () => {
  const pod = makePod("web-7d4f", "Running");

  test("$exact: the whole list, in order", () => {
    expect(match({ spec: { containers: [{ name: "web", args: { $exact: ["--port", "8080"] } }] } }, pod)).toEqual({ ok: true });
    const [m] = mismatchesOf({ spec: { containers: [{ name: "web", args: { $exact: ["8080", "--port"] } }] } }, pod);
    expect(m).toMatchObject({ path: ".spec.containers[name=web].args", reason: "exact", actual: ["--port", "8080"] });
    expect(paths({ metadata: { labels: { $exact: { app: "web" } } } }, pod)).toEqual([".metadata.labels exact"]);
  });

  test("$absent and null", () => {
    expect(match({ spec: { nodeName: { $absent: true } } }, makePod("p", "Pending", null))).toEqual({ ok: true });
    expect(match({ spec: { nodeName: null } }, makePod("p", "Pending", null))).toEqual({ ok: true });
    expect(paths({ spec: { nodeName: { $absent: true } } }, pod)).toEqual([".spec.nodeName absent"]);
    expect(paths({ spec: { nodeName: { $absent: false } } }, makePod("p", "Pending", null))).toEqual([".spec.nodeName missing"]);
  });

  test("$not", () => {
    expect(match({ status: { phase: { $not: "Failed" } } }, pod)).toEqual({ ok: true });
    expect(match({ spec: { tolerations: { $not: [{ key: "dedicated" }] } } }, pod)).toEqual({ ok: true });
    const [m] = mismatchesOf({ status: { phase: { $not: "Running" } } }, pod);
    expect(m).toMatchObject({ path: ".status.phase", reason: "not", expected: "Running" });
  });

  test("$regex is unanchored Go syntax", () => {
    expect(match({ metadata: { name: { $regex: "^web-[0-9a-f]{4}$" } } }, pod)).toEqual({ ok: true });
    expect(match({ spec: { containers: [{ image: { $regex: "(?i)NGINX" } }] } }, pod)).toEqual({ ok: true });
    const [m] = mismatchesOf({ metadata: { name: { $regex: "^api-" } } }, pod);
    expect(m?.message).toBe('expected a string matching /^api-/, got "web-7d4f"');
    expect(() => match({ metadata: { name: { $regex: "(" } } }, pod)).toThrow(ExpectationError);
  });

  test("quantities compare by value under resource maps, and anywhere with $quantity", () => {
    const requests = (cpu: unknown, memory: unknown) => ({ spec: { containers: [{ name: "web", resources: { requests: { cpu, memory } } }] } });
    expect(match(requests("0.5", "64Mi"), pod)).toEqual({ ok: true });
    expect(match(requests(0.5, "65536Ki"), pod)).toEqual({ ok: true });
    expect(mismatchesOf(requests("1", "64Mi"), pod)[0]?.message).toBe("expected the quantity 1, got 500m");
    expect(match({ metadata: { annotations: { size: { $quantity: "1Gi" } } } }, { metadata: { annotations: { size: "1024Mi" } } })).toEqual({ ok: true });
    expect(paths({ metadata: { annotations: { size: "1Gi" } } }, { metadata: { annotations: { size: "1024Mi" } } })).toEqual([
      ".metadata.annotations.size value",
    ]);
  });

  test("$gt, $gte, $lt, $lte on numbers", () => {
    const status = { status: { restartCount: 2 } };
    expect(match({ status: { restartCount: { $gte: 2, $lt: 3 } } }, status)).toEqual({ ok: true });
    const [m] = mismatchesOf({ status: { restartCount: { $gt: 2 } } }, status);
    expect(m).toMatchObject({ reason: "compare", message: "expected a number > 2, got 2" });
  });

  test("$size counts list elements or map entries; absent counts as 0", () => {
    expect(match({ spec: { containers: { $size: 2 } } }, pod)).toEqual({ ok: true });
    expect(match({ metadata: { finalizers: { $size: 0 } } }, pod)).toEqual({ ok: true });
    expect(match({ status: { conditions: { $size: { $gte: 3 } } } }, pod)).toEqual({ ok: true });
    const [m] = mismatchesOf({ spec: { containers: { $size: 3 } } }, pod);
    expect(m).toMatchObject({ path: ".spec.containers", reason: "size", expected: 3, actual: 2 });
  });

  test("$all: every element", () => {
    expect(match({ status: { conditions: { $all: { status: "True" } } } }, pod)).toEqual({ ok: true });
    const pending = makePod("p", "Pending");
    expect(paths({ status: { conditions: { $all: { status: "True" } } } }, pending)).toEqual([".status.conditions[2].status value"]);
  });

  test("unknown operators are bad expectations; $$ writes a literal $ field", () => {
    expect(() => match({ spec: { $regx: "a" } }, pod)).toThrow(/unknown operator \$regx/);
    expect(match({ data: { $$ref: "x" } }, { data: { $ref: "x" } })).toEqual({ ok: true });
    expect(() => match({ spec: { $key: "name" } }, pod)).toThrow("bad expectation at .spec: $key belongs in an element of an expected list");
  });
});

describe("matchAny", () => {
  const pods = [makePod("web-1", "Pending"), makePod("web-2", "Running"), makePod("web-3", "Failed")];

  test("lists every matching candidate", () => {
    const result = matchAny({ metadata: { labels: { app: "web" } } }, pods);
    expect(result.ok).toBe(true);
    expect(result.matching).toEqual([0, 1, 2]);
    expect(result.closest).toBeUndefined();
  });

  test("without a match, the candidate with the fewest failed expectations is closest", () => {
    const expected = { status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }, { type: "PodScheduled", status: "True" }] } };
    const result = matchAny(expected, [pods[0], pods[2], makePod("web-4", "Running", null)]);
    expect(result.ok).toBe(false);
    expect(result.closest?.index).toBe(0);
    expect(result.candidates.map((c) => c.weight)).toEqual([2, 2, 3]);
  });
});
