// Bodies reach the defaulter before validation: for any JSON under any served kind, defaulting and
// create preparation must not throw, and defaulting must be idempotent (objects are defaulted again
// on every read from storage).

import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { applyDefaults, KIND_TABLE, prepareForCreate } from "./index.ts";

const kinds = [...KIND_TABLE.values()].map((e) => ({ apiVersion: e.apiVersion, kind: e.kind }));
const keys = fc.constantFrom(
  "metadata", "spec", "status", "template", "containers", "initContainers", "volumes", "ports", "resources",
  "limits", "requests", "strategy", "rollingUpdate", "updateStrategy", "labels", "annotations", "name", "type",
  "jobTemplate", "selector", "matchLabels", "affinity", "podAffinity", "livenessProbe", "httpGet", "subsets",
  "endpoints", "volumeClaimTemplates", "finalizers", "securityContext", "hostNetwork", "schedulingGates", "cpu",
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, 1, -1, "", "1", "0.5", "nginx", "RollingUpdate", "ClientIP", "LoadBalancer"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(keys, fc.string({ maxLength: 4 })), tie("value"), { maxKeys: 5 }),
  ),
})).value;

test.prop([fc.constantFrom(...kinds), fc.dictionary(keys, json, { maxKeys: 4 })], { numRuns: 300 })(
  "defaulting arbitrary bodies never throws and is idempotent",
  ({ apiVersion, kind }, body) => {
    const object = { ...body, apiVersion, kind };
    applyDefaults(object);
    const once = structuredClone(object);
    applyDefaults(object);
    expect(object).toEqual(once);
    prepareForCreate(object, { nowMs: 0 });
  },
);
