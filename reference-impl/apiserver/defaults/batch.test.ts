// batch/v1 defaults and create preparation at v1.32 (pkg/apis/batch/v1/defaults.go and
// defaults_test.go, pkg/registry/batch/job/strategy.go). Manifests from the kubernetes.io tasks.

import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import { describe, expect, it } from "vitest";
import { created, defaulted } from "./testing.ts";

const UID = "863452e6-270d-420e-9b94-53a54146c223";

const POD_SPEC_DEFAULTS = {
  dnsPolicy: "ClusterFirst",
  schedulerName: "default-scheduler",
  securityContext: {},
  terminationGracePeriodSeconds: 30,
} as const;

const pi: Job = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "pi", uid: UID },
  spec: {
    template: {
      spec: {
        containers: [{ name: "pi", image: "perl:5.34.0", command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"] }],
        restartPolicy: "Never",
      },
    },
    backoffLimit: 4,
  },
};

describe("Job", () => {
  it("defaults and prepares the tutorial pi Job as upstream", () => {
    const selectorLabels = {
      "batch.kubernetes.io/controller-uid": UID,
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": UID,
      "job-name": "pi",
    };
    expect(created(pi).object).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      // Read back, a Job without labels shows its template's.
      metadata: { name: "pi", uid: UID, generation: 1, labels: selectorLabels },
      spec: {
        backoffLimit: 4,
        completionMode: "NonIndexed",
        completions: 1,
        manualSelector: false,
        parallelism: 1,
        podReplacementPolicy: "TerminatingOrFailed",
        selector: { matchLabels: { "batch.kubernetes.io/controller-uid": UID } },
        suspend: false,
        template: {
          metadata: { creationTimestamp: null, labels: selectorLabels },
          spec: {
            containers: [
              {
                name: "pi",
                image: "perl:5.34.0",
                command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"],
                imagePullPolicy: "IfNotPresent",
                resources: {},
                terminationMessagePath: "/dev/termination-log",
                terminationMessagePolicy: "File",
              },
            ],
            restartPolicy: "Never",
            ...POD_SPEC_DEFAULTS,
          },
        },
      },
      status: {},
    });
  });

  it("gives a Job without labels the template labels including the generated ones", () => {
    const labelled = structuredClone(pi);
    labelled.spec!.template.metadata = { labels: { app: "pi" } };
    const { object } = created(labelled);
    const expected = {
      app: "pi",
      "batch.kubernetes.io/controller-uid": UID,
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": UID,
      "job-name": "pi",
    };
    expect(object.spec!.template.metadata?.labels).toEqual(expected);
    expect(object.metadata?.labels).toEqual(expected);
  });

  it("keeps a Job's own labels", () => {
    const own = structuredClone(pi);
    own.metadata!.labels = { app: "pi" };
    own.spec!.template.metadata = { labels: { app: "pi" } };
    expect(created(own).object.metadata?.labels).toEqual({ app: "pi" });
  });

  it("leaves selector and labels alone with manualSelector", () => {
    const manual = structuredClone(pi);
    manual.spec!.manualSelector = true;
    manual.spec!.selector = { matchLabels: { app: "pi" } };
    manual.spec!.template.metadata = { labels: { app: "pi" } };
    const { object } = created(manual);
    expect(object.spec!.selector).toEqual({ matchLabels: { app: "pi" } });
    expect(object.spec!.template.metadata?.labels).toEqual({ app: "pi" });
  });

  it("defaults parallelism and completions as defaults_test.go's table", () => {
    const cases: ReadonlyArray<[Partial<NonNullable<Job["spec"]>>, { completions?: number; parallelism: number }]> = [
      [{}, { completions: 1, parallelism: 1 }],
      [{ completions: 5 }, { completions: 5, parallelism: 1 }],
      [{ parallelism: 3 }, { parallelism: 3 }],
      [{ completions: 2, parallelism: 4 }, { completions: 2, parallelism: 4 }],
    ];
    for (const [given, want] of cases) {
      const job: Job = { ...pi, spec: { ...pi.spec!, ...given } };
      const spec = defaulted(job).spec!;
      expect({ completions: spec.completions, parallelism: spec.parallelism }).toEqual({ completions: want.completions, parallelism: want.parallelism });
    }
  });

  it("uses MaxInt32 for backoffLimit with backoffLimitPerIndex, Failed replacement with a podFailurePolicy", () => {
    const indexed: Job = {
      ...pi,
      spec: {
        ...pi.spec!,
        backoffLimit: undefined,
        completionMode: "Indexed",
        completions: 10,
        backoffLimitPerIndex: 1,
        podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" } as never] }] },
      },
    };
    const spec = defaulted(indexed).spec!;
    expect(spec.backoffLimit).toBe(2147483647);
    expect(spec.podReplacementPolicy).toBe("Failed");
    expect(spec.podFailurePolicy?.rules[0]?.onPodConditions).toEqual([{ type: "DisruptionTarget", status: "True" }]);
    expect(spec.completionMode).toBe("Indexed");
  });
});

describe("CronJob", () => {
  const hello: CronJob = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "hello" },
    spec: {
      schedule: "* * * * *",
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: "hello",
                  image: "busybox:1.28",
                  imagePullPolicy: "IfNotPresent",
                  command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"],
                },
              ],
              restartPolicy: "OnFailure",
            },
          },
        },
      },
    },
  };

  it("defaults the tutorial hello CronJob as upstream; its job template gets no Job defaults", () => {
    expect(created(hello).object).toEqual({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "hello", generation: 1 },
      spec: {
        schedule: "* * * * *",
        concurrencyPolicy: "Allow",
        failedJobsHistoryLimit: 1,
        successfulJobsHistoryLimit: 3,
        suspend: false,
        jobTemplate: {
          metadata: { creationTimestamp: null },
          spec: {
            template: {
              metadata: { creationTimestamp: null },
              spec: {
                containers: [
                  {
                    name: "hello",
                    image: "busybox:1.28",
                    imagePullPolicy: "IfNotPresent",
                    command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"],
                    resources: {},
                    terminationMessagePath: "/dev/termination-log",
                    terminationMessagePolicy: "File",
                  },
                ],
                restartPolicy: "OnFailure",
                ...POD_SPEC_DEFAULTS,
              },
            },
          },
        },
      },
      status: {},
    });
  });

  it("keeps explicit policy and limits", () => {
    const explicit: CronJob = {
      ...hello,
      spec: { ...hello.spec!, concurrencyPolicy: "Forbid", suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 },
    };
    const spec = defaulted(explicit).spec!;
    expect([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit]).toEqual(["Forbid", true, 0, 5]);
  });
});
