// Cases from upstream printers_test.go: TestPrintDeployment, TestPrintDaemonSet(List),
// TestPrintReplicaSet(List), TestPrintStatefulSet, TestPrintJob(List), TestPrintCronJob(List),
// TestPrintControllerRevision.
import { describe, expect, it } from "vitest";
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import {
  PrintError,
  printControllerRevision,
  printCronJob,
  printDaemonSet,
  printDeployment,
  printJob,
  printReplicaSet,
  printStatefulSet,
} from "./workloads.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const MIN = 60_000;
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const normal = { wide: false, nowMs: NOW };
const wide = { wide: true, nowMs: NOW };
const justCreated = ago(-1900); // time.Now().Add(1.9e9): up to 2s ahead reads as "0s"

const template: PodTemplateSpec = {
  spec: {
    containers: [
      { name: "fake-container1", image: "fake-image1" },
      { name: "fake-container2", image: "fake-image2" },
    ],
  },
};
const jobTemplate: PodTemplateSpec = {
  spec: {
    containers: [
      { name: "fake-job-container1", image: "fake-job-image1" },
      { name: "fake-job-container2", image: "fake-job-image2" },
    ],
  },
};

describe("printDeployment (TestPrintDeployment)", () => {
  const d: Deployment = {
    metadata: { name: "test1", creationTimestamp: justCreated },
    spec: { replicas: 5, template, selector: { matchLabels: { foo: "bar" } } },
    status: { replicas: 10, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 4 },
  };
  it("prints READY, UP-TO-DATE, AVAILABLE, AGE", () => {
    expect(printDeployment(d, normal).cells).toEqual(["test1", "0/5", 2, 1, "0s"]);
  });
  it("adds containers, images and the selector when wide", () => {
    expect(printDeployment(d, wide).cells).toEqual([
      "test1",
      "0/5",
      2,
      1,
      "0s",
      "fake-container1,fake-container2",
      "fake-image1,fake-image2",
      "foo=bar",
    ]);
  });
  it("prints an invalid selector as <invalid> and a missing one as empty", () => {
    const bad: Deployment = { ...d, spec: { ...d.spec, template, selector: { matchExpressions: [{ key: "a", operator: "Bogus" }] } } };
    expect(printDeployment(bad, wide).cells[7]).toBe("<invalid>");
    const none: Deployment = { metadata: { name: "x" }, spec: { template, selector: { matchLabels: {} } } };
    expect(printDeployment(none, wide).cells.slice(1)).toEqual(["0/0", 0, 0, "<unknown>", "fake-container1,fake-container2", "fake-image1,fake-image2", ""]);
  });
  it("counts ready replicas", () => {
    const ready: Deployment = { metadata: { name: "web" }, spec: { replicas: 3, template, selector: {} }, status: { readyReplicas: 2 } };
    expect(printDeployment(ready, normal).cells[1]).toBe("2/3");
  });
});

describe("printDaemonSet (TestPrintDaemonSet, TestPrintDaemonSetList)", () => {
  const ds: DaemonSet = {
    metadata: { name: "test1", creationTimestamp: justCreated },
    spec: { template, selector: { matchLabels: { foo: "bar" } } },
    status: { currentNumberScheduled: 2, desiredNumberScheduled: 3, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 0, numberMisscheduled: 0 },
  };
  it("prints the counts and node selector", () => {
    expect(printDaemonSet(ds, normal).cells).toEqual(["test1", 3, 2, 1, 2, 0, "<none>", "0s"]);
  });
  it("adds containers, images and the selector when wide", () => {
    expect(printDaemonSet(ds, wide).cells).toEqual([
      "test1",
      3,
      2,
      1,
      2,
      0,
      "<none>",
      "0s",
      "fake-container1,fake-container2",
      "fake-image1,fake-image2",
      "foo=bar",
    ]);
  });
  it("prints a template's node selector", () => {
    const withSelector: DaemonSet = {
      metadata: { name: "daemonset2", creationTimestamp: justCreated },
      spec: { template: { spec: { containers: [], nodeSelector: { "kubernetes.io/os": "linux" } } }, selector: { matchLabels: { foo: "bar" } } },
      status: { currentNumberScheduled: 4, desiredNumberScheduled: 2, numberReady: 9, updatedNumberScheduled: 3, numberAvailable: 3, numberMisscheduled: 0 },
    };
    expect(printDaemonSet(withSelector, normal).cells).toEqual(["daemonset2", 2, 4, 9, 3, 3, "kubernetes.io/os=linux", "0s"]);
  });
});

describe("printReplicaSet (TestPrintReplicaSet)", () => {
  const rs: ReplicaSet = {
    metadata: { name: "test1", creationTimestamp: justCreated },
    spec: { replicas: 5, template, selector: { matchLabels: { foo: "bar" } } },
    status: { replicas: 5, readyReplicas: 2 },
  };
  it("prints DESIRED, CURRENT, READY, AGE", () => {
    expect(printReplicaSet(rs, normal).cells).toEqual(["test1", 5, 5, 2, "0s"]);
  });
  it("adds containers, images and the selector when wide", () => {
    expect(printReplicaSet(rs, wide).cells).toEqual([
      "test1",
      5,
      5,
      2,
      "0s",
      "fake-container1,fake-container2",
      "fake-image1,fake-image2",
      "foo=bar",
    ]);
  });
});

describe("printStatefulSet (TestPrintStatefulSet)", () => {
  const ss: StatefulSet = {
    metadata: { name: "test1", creationTimestamp: justCreated },
    spec: { replicas: 5, template, selector: {}, serviceName: "" },
    status: { replicas: 5, readyReplicas: 2 },
  };
  it("prints READY as ready/desired", () => {
    expect(printStatefulSet(ss, normal).cells).toEqual(["test1", "2/5", "0s"]);
    expect(printStatefulSet(ss, wide).cells).toEqual(["test1", "2/5", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2"]);
  });
});

describe("printJob (TestPrintJob, TestPrintJobList)", () => {
  const job = (name: string, extra: Partial<Job>): Job => ({ metadata: { name, creationTimestamp: justCreated }, ...extra });
  const tenYears = ago(10 * 365 * 24 * 60 * MIN);
  it.each([
    [
      job("job1", { spec: { completions: 2, template: jobTemplate, selector: { matchLabels: { "job-label": "job-lable-value" } } }, status: { succeeded: 1 } }),
      normal,
      ["job1", "Running", "1/2", "", "0s"],
    ],
    [
      job("job1", { spec: { completions: 2, template: jobTemplate, selector: { matchLabels: { "job-label": "job-label-value" } } }, status: { succeeded: 1 } }),
      wide,
      ["job1", "Running", "1/2", "", "0s", "fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "job-label=job-label-value"],
    ],
    [
      { metadata: { name: "job2", creationTimestamp: "2014-06-01T12:00:00Z" }, spec: { template: {} }, status: { succeeded: 0 } },
      normal,
      ["job2", "Running", "0/1", "", "10y"],
    ],
    [
      {
        metadata: { name: "job3", creationTimestamp: tenYears },
        spec: { template: {} },
        status: { startTime: ago(-MIN), completionTime: ago(-31 * MIN) },
      },
      normal,
      ["job3", "Running", "0/1", "30m", "10y"],
    ],
    [
      { metadata: { name: "job4", creationTimestamp: tenYears }, spec: { template: {} }, status: { startTime: ago(20 * MIN) } },
      normal,
      ["job4", "Running", "0/1", "20m", "10y"],
    ],
    [job("job5", { spec: { template: {} }, status: { conditions: [{ type: "Complete", status: "True" }] } }), normal, ["job5", "Complete", "0/1", "", "0s"]],
    [job("job6", { spec: { template: {} }, status: { conditions: [{ type: "Failed", status: "True" }] } }), normal, ["job6", "Failed", "0/1", "", "0s"]],
    [job("job7", { spec: { template: {} }, status: { conditions: [{ type: "Suspended", status: "True" }] } }), normal, ["job7", "Suspended", "0/1", "", "0s"]],
    [
      job("job8", { spec: { template: {} }, status: { conditions: [{ type: "FailureTarget", status: "True" }] } }),
      normal,
      ["job8", "FailureTarget", "0/1", "", "0s"],
    ],
    [
      { metadata: { name: "job9", creationTimestamp: justCreated, deletionTimestamp: justCreated }, spec: { template: {} } },
      normal,
      ["job9", "Terminating", "0/1", "", "0s"],
    ],
    [
      job("job2", { spec: { completions: 2, template: jobTemplate }, status: { succeeded: 2, startTime: ago(20 * MIN) } }),
      normal,
      ["job2", "Running", "2/2", "20m", "0s"],
    ],
    [job("parallel", { spec: { parallelism: 3, template: {} }, status: { succeeded: 1 } }), normal, ["parallel", "Running", "1/1 of 3", "", "0s"]],
    [
      job("first-condition-decides", {
        spec: { template: {} },
        status: { conditions: [{ type: "Complete", status: "False" }, { type: "Complete", status: "True" }] },
      }),
      normal,
      ["first-condition-decides", "Running", "0/1", "", "0s"],
    ],
  ] as Array<[Job, typeof normal, unknown[]]>)("%#", (j, options, cells) => {
    expect(printJob(j, options).cells).toEqual(cells);
  });
});

describe("printCronJob (TestPrintCronJob, TestPrintCronJobList)", () => {
  const spec = (extra: Partial<NonNullable<CronJob["spec"]>> = {}): NonNullable<CronJob["spec"]> => ({
    schedule: "0/5 * * * ?",
    suspend: false,
    jobTemplate: { spec: { completions: 2, template: jobTemplate, selector: { matchLabels: { a: "b" } } } },
    ...extra,
  });
  it.each([
    [
      { metadata: { name: "cronjob1", creationTimestamp: justCreated }, spec: spec(), status: { lastScheduleTime: justCreated } },
      normal,
      ["cronjob1", "0/5 * * * ?", "<none>", "False", 0, "0s", "0s"],
    ],
    [
      {
        metadata: { name: "cronjob1", creationTimestamp: justCreated },
        spec: spec({ timeZone: "LOCAL" }),
        status: { lastScheduleTime: justCreated },
      },
      normal,
      ["cronjob1", "0/5 * * * ?", "LOCAL", "False", 0, "0s", "0s"],
    ],
    [
      { metadata: { name: "cronjob1", creationTimestamp: justCreated }, spec: spec(), status: { lastScheduleTime: justCreated } },
      wide,
      ["cronjob1", "0/5 * * * ?", "<none>", "False", 0, "0s", "0s", "fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "a=b"],
    ],
    [
      { metadata: { name: "cronjob2", creationTimestamp: ago(5 * MIN) }, spec: spec(), status: { lastScheduleTime: ago(30_000) } },
      normal,
      ["cronjob2", "0/5 * * * ?", "<none>", "False", 0, "30s", "5m"],
    ],
    [
      { metadata: { name: "cronjob3", creationTimestamp: ago(5 * MIN) }, spec: spec(), status: {} },
      normal,
      ["cronjob3", "0/5 * * * ?", "<none>", "False", 0, "<none>", "5m"],
    ],
    [
      {
        metadata: { name: "cronjob2", creationTimestamp: justCreated },
        spec: spec({ schedule: "4/5 1 1 1 ?" }),
        status: { lastScheduleTime: ago(20 * MIN), active: [{ name: "cronjob2-1" }] },
      },
      normal,
      ["cronjob2", "4/5 1 1 1 ?", "<none>", "False", 1, "20m", "0s"],
    ],
    [
      { metadata: { name: "unset" }, spec: { schedule: "@daily", jobTemplate: {} } },
      normal,
      ["unset", "@daily", "<none>", "<unset>", 0, "<none>", "<unknown>"],
    ],
  ] as Array<[CronJob, typeof normal, unknown[]]>)("%#", (cj, options, cells) => {
    expect(printCronJob(cj, options).cells).toEqual(cells);
  });
});

describe("printControllerRevision (TestPrintControllerRevision)", () => {
  const cr = (name: string, revision: number, ownerReferences?: NonNullable<ControllerRevision["metadata"]>["ownerReferences"]): ControllerRevision => ({
    metadata: ownerReferences === undefined ? { name, creationTimestamp: justCreated } : { name, creationTimestamp: justCreated, ownerReferences },
    revision,
  });
  it.each([
    [cr("test1", 1, [{ controller: true, apiVersion: "apps/v1", kind: "DaemonSet", name: "foo", uid: "u" }]), ["test1", "daemonset.apps/foo", 1, "0s"]],
    [cr("test2", 2, [{ controller: false, apiVersion: "", kind: "ABC", name: "foo", uid: "u" }]), ["test2", "<none>", 2, "0s"]],
    [cr("test3", 3, []), ["test3", "<none>", 3, "0s"]],
    [cr("test4", 4), ["test4", "<none>", 4, "0s"]],
    [cr("core", 5, [{ controller: true, apiVersion: "v1", kind: "Pod", name: "p", uid: "u" }]), ["core", "pod/p", 5, "0s"]],
  ])("%#", (c, cells) => {
    expect(printControllerRevision(c, normal).cells).toEqual(cells);
  });

  it("fails as upstream does on an unparsable owner apiVersion", () => {
    const bad = cr("bad", 1, [{ controller: true, apiVersion: "a/b/c", kind: "X", name: "x", uid: "u" }]);
    expect(() => printControllerRevision(bad, normal)).toThrow(new PrintError("unexpected GroupVersion string: a/b/c"));
  });
});
