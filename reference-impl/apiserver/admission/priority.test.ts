import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import { SYSTEM_PRIORITY_CLASSES } from "../bootstrap.ts";
import { makePod } from "../testing.ts";
import { priority } from "./priority.ts";
import { FakeClient, attrs } from "./testing.ts";

function pc(name: string, value: number, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, preemptionPolicy: "PreemptLowerPriority", ...extra };
}

function podWith(spec: Record<string, unknown> = {}, name = "p"): KubeObject {
  const pod = makePod(name);
  pod.spec = { ...(pod.spec as object), ...spec };
  return pod;
}

async function outcome(p: Promise<void>): Promise<Status | "admitted"> {
  try {
    await p;
    return "admitted";
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

function setup(...classes: KubeObject[]) {
  const client = new FakeClient();
  for (const c of [...SYSTEM_PRIORITY_CLASSES, ...classes]) client.add("scheduling.k8s.io/v1/priorityclasses", c);
  return { client, plugin: priority(client) };
}

describe("Priority: pods", () => {
  it("gives priority 0 and PreemptLowerPriority when there is no default class", async () => {
    const { plugin } = setup();
    const pod = podWith();
    await plugin.admit!(attrs("CREATE", "pods", { object: pod }));
    expect(pod.spec).toMatchObject({ priority: 0, preemptionPolicy: "PreemptLowerPriority" });
    expect((pod.spec as Record<string, unknown>).priorityClassName).toBeUndefined();
  });

  it("applies the globalDefault class (its name too); of two defaults the lower value wins", async () => {
    const { plugin } = setup(pc("high-default", 2000, { globalDefault: true }), pc("low-default", 1000, { globalDefault: true, preemptionPolicy: "Never" }));
    const pod = podWith();
    await plugin.admit!(attrs("CREATE", "pods", { object: pod }));
    expect(pod.spec).toMatchObject({ priorityClassName: "low-default", priority: 1000, preemptionPolicy: "Never" });
  });

  it("resolves a named class, system classes in any namespace included", async () => {
    const { plugin } = setup(pc("batch", 500, { preemptionPolicy: "Never" }));
    const pod = podWith({ priorityClassName: "batch" });
    await plugin.admit!(attrs("CREATE", "pods", { object: pod }));
    expect(pod.spec).toMatchObject({ priority: 500, preemptionPolicy: "Never" });
    const critical = podWith({ priorityClassName: "system-node-critical" });
    await plugin.admit!(attrs("CREATE", "pods", { namespace: "team-a", object: critical }));
    expect(critical.spec).toMatchObject({ priority: 2_000_001_000, preemptionPolicy: "PreemptLowerPriority" });
  });

  it("refuses a pod naming a class that does not exist", async () => {
    const { plugin } = setup();
    const status = await outcome(plugin.admit!(attrs("CREATE", "pods", { object: podWith({ priorityClassName: "missing" }, "web") })));
    expect(status).toMatchObject({ code: 403, reason: "Forbidden", message: 'pods "web" is forbidden: no PriorityClass with name missing was found' });
  });

  it("refuses a pod that sets a different priority or preemptionPolicy itself, and accepts equal ones", async () => {
    const { plugin } = setup(pc("batch", 500));
    const wrong = await outcome(plugin.admit!(attrs("CREATE", "pods", { object: podWith({ priorityClassName: "batch", priority: 7 }, "web") })));
    expect(wrong).toMatchObject({
      code: 403,
      message:
        'pods "web" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 500 from the given PriorityClass name',
    });
    const noClass = await outcome(plugin.admit!(attrs("CREATE", "pods", { object: podWith({ priority: 10 }, "web") })));
    expect(noClass).toMatchObject({
      message:
        'pods "web" is forbidden: the integer value of priority (10) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    });
    const policy = await outcome(plugin.admit!(attrs("CREATE", "pods", { object: podWith({ priorityClassName: "batch", preemptionPolicy: "Never" }, "web") })));
    expect(policy).toMatchObject({
      message:
        'pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    });
    expect(await outcome(plugin.admit!(attrs("CREATE", "pods", { object: podWith({ priorityClassName: "batch", priority: 500 }) })))).toBe("admitted");
  });

  it("keeps the stored priority and policy on updates that leave them out, and ignores subresources", async () => {
    const { plugin } = setup();
    const old = podWith({ priority: 42, preemptionPolicy: "Never" });
    const pod = podWith();
    await plugin.admit!(attrs("UPDATE", "pods", { object: pod, oldObject: old }));
    expect(pod.spec).toMatchObject({ priority: 42, preemptionPolicy: "Never" });
    const status = podWith({ priority: 99 });
    await plugin.admit!(attrs("CREATE", "pods", { object: status, subresource: "binding" }));
    expect((status.spec as Record<string, unknown>).priority).toBe(99);
  });
});

describe("Priority: PriorityClasses", () => {
  it("allows only one globalDefault class", async () => {
    const { plugin } = setup(pc("default-a", 100, { globalDefault: true }));
    const second = await outcome(plugin.validate!(attrs("CREATE", "scheduling.k8s.io/v1/priorityclasses", { object: pc("default-b", 5, { globalDefault: true }) })));
    expect(second).toMatchObject({
      code: 403,
      message: 'priorityclasses.scheduling.k8s.io "default-b" is forbidden: PriorityClass default-a is already marked as default. Only one default can exist',
      details: { name: "default-b", group: "scheduling.k8s.io", kind: "priorityclasses" },
    });
    const same = pc("default-a", 100, { globalDefault: true, description: "changed" });
    expect(await outcome(plugin.validate!(attrs("UPDATE", "scheduling.k8s.io/v1/priorityclasses", { object: same, oldObject: same })))).toBe("admitted");
    const other = pc("other", 1, { globalDefault: true });
    expect(await outcome(plugin.validate!(attrs("UPDATE", "scheduling.k8s.io/v1/priorityclasses", { object: other, oldObject: pc("other", 1) })))).toMatchObject({ code: 403 });
    expect(await outcome(plugin.validate!(attrs("CREATE", "scheduling.k8s.io/v1/priorityclasses", { object: pc("plain", 1) })))).toBe("admitted");
  });
});
