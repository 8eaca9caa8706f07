import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { Status } from "../../spec/interfaces/api-client.ts";
import type { ApiRequest, ApiResponse } from "./request.ts";
import { RESOURCES } from "./resources.ts";
import { RecordingSink, startTestServer } from "./testing.ts";

const resources = ["pods", "namespaces", "configmaps", "nodes", "deployments", "events", "priorityclasses", "bogus", ""];
const groups = ["", "apps", "scheduling.k8s.io", "events.k8s.io", "nope"];

/** Mostly plausible values (so requests get deep into the handlers), sometimes anything at all. */
function mostly<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: plausible }, { weight: 1, arbitrary: fc.anything() });
}

const metadata = fc.record(
  {
    name: mostly(fc.constantFrom("a", "b", "default")),
    generateName: mostly(fc.constantFrom("g-", "")),
    namespace: mostly(fc.constantFrom("default", "kube-system")),
    resourceVersion: mostly(fc.constantFrom("1", "5", "999999", "x")),
    labels: mostly(fc.dictionary(fc.constantFrom("app", "tier", "bad key"), fc.string({ maxLength: 5 }))),
    finalizers: mostly(fc.array(fc.constantFrom("example.com/f", "orphan", "foregroundDeletion"), { maxLength: 2 })),
    uid: fc.string({ maxLength: 4 }),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.record(
    {
      apiVersion: mostly(fc.constantFrom("v1", "apps/v1", "scheduling.k8s.io/v1", "events.k8s.io/v1")),
      kind: mostly(fc.constantFrom("Pod", "ConfigMap", "Namespace", "Node", "Deployment", "Event", "PriorityClass", "Binding", "Scale")),
      metadata: mostly(metadata),
      spec: mostly(fc.record({ replicas: mostly(fc.integer({ min: -2, max: 3 })), nodeName: mostly(fc.constantFrom("n1", "")), selector: fc.anything(), finalizers: fc.anything() }, { requiredKeys: [] })),
      status: fc.anything(),
      data: fc.anything(),
      target: mostly(fc.record({ kind: fc.constantFrom("Node", "Pod"), name: fc.constantFrom("n1", "") })),
      value: fc.anything(),
      preconditions: fc.anything(),
      propagationPolicy: fc.anything(),
      gracePeriodSeconds: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.array(fc.record({ op: fc.constantFrom("add", "remove", "replace", "test", "move"), path: fc.constantFrom("/metadata/labels", "/spec", "/data/a", "", "/metadata/name"), value: fc.anything() }), { maxLength: 3 }),
  fc.anything(),
);

const verb = fc.constantFrom("get", "list", "create", "update", "patch", "delete", "deletecollection", "watch");

/** A well-formed request (so it gets deep into the handlers) with random names, queries and bodies. */
const served = fc.constantFrom(...RESOURCES.map((r) => ({ group: r.group, version: r.version, resource: r.resource })), { group: "x", version: "v1", resource: "bogus" });

const plausibleRequest = fc.tuple(served, fc.record(
  {
    verb,
    subresource: fc.constantFrom("status", "scale", "binding", "finalize", "eviction", "x"),
    namespace: fc.constantFrom("default", "kube-system", "missing"),
    name: fc.constantFrom("a", "b", "default", "kube-system"),
    query: fc.dictionary(
      fc.constantFrom("labelSelector", "fieldSelector", "resourceVersion", "limit", "continue", "dryRun", "resourceVersionMatch", "gracePeriodSeconds", "propagationPolicy", "timeoutSeconds", "fieldManager", "force"),
      fc.oneof(fc.constantFrom("1", "0", "All", "true", "Exact", "NotOlderThan", "app=a", "spec.nodeName=n1", "Orphan"), fc.string()),
    ),
    body,
    contentType: fc.constantFrom("application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml", "text/plain"),
    user: fc.constant("admin"),
  },
  { requiredKeys: ["verb", "query", "user", "namespace", "body"] },
)).map(([ref, rest]) => ({ ...ref, ...rest, ...(rest.subresource !== undefined && rest.name === "a" ? {} : { subresource: undefined }) }));

/** Requests shaped like the real ones, with garbage everywhere a client can put it. */
const garbageRequest = fc.record(
  {
    verb: mostly(verb),
    group: mostly(fc.constantFrom(...groups)),
    version: mostly(fc.constantFrom("v1")),
    resource: mostly(fc.constantFrom(...resources)),
    subresource: mostly(fc.constantFrom("status", "scale", "binding", "finalize", "eviction", "x")),
    namespace: mostly(fc.constantFrom("default", "kube-system", "missing")),
    name: mostly(fc.constantFrom("a", "b", "default")),
    query: mostly(
      fc.dictionary(
        fc.constantFrom("labelSelector", "fieldSelector", "resourceVersion", "limit", "continue", "dryRun", "resourceVersionMatch", "gracePeriodSeconds", "propagationPolicy", "timeoutSeconds", "fieldManager", "force", "allowWatchBookmarks", "sendInitialEvents"),
        fc.oneof(fc.constantFrom("1", "0", "All", "true", "Exact", "NotOlderThan", "app=a", "spec.nodeName=n1", "Orphan"), fc.string()),
      ),
    ),
    body,
    contentType: mostly(fc.constantFrom("application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml")),
    user: fc.string(),
  },
  { requiredKeys: ["verb", "group", "version", "resource"] },
);

function isTooLargeResourceVersion(res: ApiResponse): boolean {
  const status = res.body as Status;
  return res.code === 504 && status.details?.causes?.[0]?.reason === "ResourceVersionTooLarge";
}

describe("ApiServer with garbage", () => {
  test.prop([fc.array(fc.oneof({ weight: 4, arbitrary: plausibleRequest }, { weight: 1, arbitrary: garbageRequest }), { maxLength: 20 })], { numRuns: 150 })("never throws and never answers 5xx for bad input", async (reqs) => {
    const { server, sim } = await startTestServer({ compactionIntervalMs: 0 });
    for (const req of reqs) {
      const res = await server.handle(req as unknown as ApiRequest);
      expect(res.code).toBeGreaterThanOrEqual(200);
      // A resourceVersion from the future is upstream's 504 (retry later), not a server failure.
      if (!isTooLargeResourceVersion(res)) expect(res.code, JSON.stringify(res.body)).toBeLessThan(500);
      const watch = server.watch(req as unknown as ApiRequest, new RecordingSink());
      if ("stop" in watch) watch.stop();
      else if (!isTooLargeResourceVersion(watch)) expect(watch.code).toBeLessThan(500);
    }
    await sim.settle();
    // Still serving.
    expect((await server.handle({ verb: "get", group: "", version: "v1", resource: "namespaces", name: "default", query: {}, user: "admin" })).code).toBe(200);
  });
});
