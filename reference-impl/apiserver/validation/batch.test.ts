import { describe, expect, it } from "vitest";
import { type FieldError, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from "./batch.ts";
import { cronJob, job, template, updated } from "./fixtures.ts";

type Obj = Record<string, unknown>;

function messages(errs: readonly FieldError[]): string[] {
  return errs.map(fieldErrorString);
}

const UID = "0f4c0b8e-0000-4000-8000-000000000001";
const jobLabels = {
  "batch.kubernetes.io/controller-uid": UID,
  "batch.kubernetes.io/job-name": "pi",
  "controller-uid": UID,
  "job-name": "pi",
};

describe("Job", () => {
  it.each<[string, Obj, string[]]>([
    ["valid", {}, []],
    ["negative parallelism", { parallelism: -1 }, ["spec.parallelism: Invalid value: -1: must be greater than or equal to 0"]],
    ["negative completions", { completions: -2 }, ["spec.completions: Invalid value: -2: must be greater than or equal to 0"]],
    ["negative backoffLimit", { backoffLimit: -1 }, ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"]],
    [
      "restartPolicy Always",
      { template: template(jobLabels, { restartPolicy: "Always" }) },
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ],
    [
      "indexed without completions",
      { completionMode: "Indexed", completions: undefined },
      ["spec.completions: Required value: when completion mode is Indexed"],
    ],
    [
      "backoffLimitPerIndex without indexed mode",
      { backoffLimitPerIndex: 1 },
      ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
    ],
    [
      "pod failure policy with OnFailure pods",
      {
        podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [1] } }] },
        podReplacementPolicy: "Failed",
        template: template(jobLabels, { restartPolicy: "OnFailure" }),
      },
      ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ],
    [
      "pod failure rule without a requirement",
      { podFailurePolicy: { rules: [{ action: "Ignore" }] }, podReplacementPolicy: "Failed" },
      ["spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"],
    ],
    [
      "template missing the generated labels",
      { template: template({ "controller-uid": UID, "job-name": "pi" }, { restartPolicy: "Never" }) },
      [
        "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Required value: must be '0f4c0b8e-0000-4000-8000-000000000001'",
        "spec.template.metadata.labels[batch.kubernetes.io/job-name]: Required value: must be 'pi'",
        'spec.template.metadata.labels: Invalid value: map[string]string{"controller-uid":"0f4c0b8e-0000-4000-8000-000000000001", "job-name":"pi"}: `selector` does not match template `labels`',
      ],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateJob(job(spec)))).toEqual(expected);
  });

  it("makes the template immutable unless suspended and never started", () => {
    const old = job();
    const next = updated(old, (o) => (((o["spec"] as Obj)["template"] as Obj)["spec"] as Obj)["nodeSelector"] = { zone: "a" });
    const errs = validateJobUpdate(next, old);
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual(["spec.template: field is immutable"]);
    const suspended = job({ suspend: true });
    const moved = updated(suspended, (o) => (((o["spec"] as Obj)["template"] as Obj)["spec"] as Obj)["nodeSelector"] = { zone: "a" });
    expect(messages(validateJobUpdate(moved, suspended))).toEqual([]);
  });

  it("makes completions immutable for non-indexed jobs", () => {
    const old = job();
    const next = updated(old, (o) => ((o["spec"] as Obj)["completions"] = 3));
    expect(messages(validateJobUpdate(next, old))).toEqual(["spec.completions: Invalid value: 3: field is immutable"]);
  });
});

describe("CronJob", () => {
  it.each<[string, Obj, string[]]>([
    ["valid", {}, []],
    ["valid descriptor", { schedule: "@every 1h" }, []],
    ["valid time zone", { timeZone: "America/New_York" }, []],
    ["missing schedule", { schedule: "" }, ["spec.schedule: Required value"]],
    [
      "bad schedule",
      { schedule: "* * *" },
      ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
    ],
    [
      "TZ in schedule",
      { schedule: "TZ=UTC 0 * * * *" },
      ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ],
    ["unknown time zone", { timeZone: "Mars/Base" }, ['spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base']],
    ["empty time zone", { timeZone: "" }, ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']],
    [
      "Local time zone",
      { timeZone: "Local" },
      ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
    ],
    [
      "concurrency policy",
      { concurrencyPolicy: "Sometimes" },
      ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    ],
    [
      "selector in the job template",
      {
        jobTemplate: {
          spec: { selector: { matchLabels: { a: "b" } }, template: template({ app: "x" }, { restartPolicy: "Never" }) },
        },
      },
      [
        'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
      ],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateCronJob(cronJob(spec)))).toEqual(expected);
  });

  it("limits names to 52 characters on create only", () => {
    const long = cronJob();
    (long["metadata"] as Obj)["name"] = "a".repeat(53);
    expect(messages(validateCronJob(long))).toEqual([`metadata.name: Invalid value: "${"a".repeat(53)}": must be no more than 52 characters`]);
    expect(messages(validateCronJobUpdate(updated(long, () => undefined), long))).toEqual([]);
  });
});
