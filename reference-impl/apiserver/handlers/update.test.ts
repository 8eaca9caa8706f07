import { describe, expect, it } from "vitest";
import { expectCode, makeConfigMap, makeDeployment, makePod, startTestServer, statusOf } from "../testing.ts";

const CONFLICT =
  'Operation cannot be fulfilled on deployments.apps "d": the object has been modified; please apply your changes to the latest version and try again';

describe("update", () => {
  it("is optimistic: a stale resourceVersion gets 409 Conflict with upstream's message", async () => {
    const { api } = await startTestServer();
    const d = await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d"));
    const fresh = expectCode(await api.update("apps/v1/deployments", "default", { ...d, spec: { ...(d.spec as object), replicas: 2 } }), 200);
    expect(Number(fresh.metadata?.resourceVersion)).toBeGreaterThan(Number(d.metadata?.resourceVersion));
    const stale = await api.update("apps/v1/deployments", "default", { ...d, spec: { ...(d.spec as object), replicas: 5 } });
    expect(stale.code).toBe(409);
    expect(statusOf(stale)).toMatchObject({ reason: "Conflict", message: CONFLICT, details: { name: "d", group: "apps", kind: "deployments" } });
    const core = await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    await api.update("configmaps", "default", { ...core, data: { a: "1" } });
    expect(statusOf(await api.update("configmaps", "default", { ...core, data: { a: "2" } })).message).toBe(
      'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("without a resourceVersion is unconditional", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c", { a: "1" }));
    const res = expectCode(await api.update("configmaps", "default", makeConfigMap("c", { a: "2" })), 200);
    expect(res.data).toEqual({ a: "2" });
  });

  it("of a missing object is 404, unless the kind creates on update (endpoints)", async () => {
    const { api } = await startTestServer();
    const missing = await api.update("configmaps", "default", makeConfigMap("nope"));
    expect(missing.code).toBe(404);
    expect(statusOf(missing).message).toBe('configmaps "nope" not found');
    const ep = await api.update("endpoints", "default", { apiVersion: "v1", kind: "Endpoints", metadata: { name: "svc" }, subsets: [] });
    expect(ep.code).toBe(201);
  });

  it("keeps the resourceVersion when nothing changes", async () => {
    const { api } = await startTestServer();
    const c = await api.mustCreate("configmaps", "default", makeConfigMap("c", { a: "1" }));
    const again = expectCode(await api.update("configmaps", "default", c), 200);
    expect(again.metadata?.resourceVersion).toBe(c.metadata?.resourceVersion);
  });

  it("must name the object of the URL", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    const res = await api.request("update", "configmaps", { namespace: "default", name: "c", body: makeConfigMap("other") });
    expect(statusOf(res)).toMatchObject({ code: 400, message: "the name of the object (other) does not match the name on the URL (c)" });
  });

  it("separates status: the main resource ignores .status, /status ignores the rest", async () => {
    const { api } = await startTestServer();
    const d = await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d", 1));
    const main = expectCode(
      await api.update("apps/v1/deployments", "default", { ...d, spec: { ...(d.spec as object), replicas: 3 }, status: { replicas: 9 } }),
      200,
    );
    expect(main.status).toEqual({});
    expect((main.spec as { replicas: number }).replicas).toBe(3);
    expect(main.metadata?.generation).toBe(2);
    const viaStatus = expectCode(
      await api.update(
        "apps/v1/deployments",
        "default",
        { ...main, metadata: { ...main.metadata, labels: { changed: "yes" } }, spec: { ...(main.spec as object), replicas: 10 }, status: { replicas: 3, observedGeneration: 2 } },
        {},
        "status",
      ),
      200,
    );
    expect(viaStatus.status).toEqual({ replicas: 3, observedGeneration: 2 });
    expect((viaStatus.spec as { replicas: number }).replicas).toBe(3);
    // Deployment status writes keep the old labels, and never move the generation.
    expect(viaStatus.metadata?.labels).toBeUndefined();
    expect(viaStatus.metadata?.generation).toBe(2);
    // Pod status writes may change labels but not spec or owner references.
    const pod = await api.mustCreate("pods", "default", makePod("p"));
    const ps = expectCode(
      await api.update("pods", "default", { ...pod, metadata: { ...pod.metadata, labels: { l: "1" } }, spec: { containers: [] }, status: { phase: "Running" } }, {}, "status"),
      200,
    );
    expect(ps.status).toEqual({ phase: "Running", qosClass: "BestEffort" });
    expect(ps.metadata?.labels).toEqual({ l: "1" });
    expect(ps.spec).toEqual(pod.spec);
  });

  it("moves generation on spec changes only (Deployments also on annotations)", async () => {
    const { api } = await startTestServer();
    const d = await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d"));
    const labelled = expectCode(await api.update("apps/v1/deployments", "default", { ...d, metadata: { ...d.metadata, labels: { a: "b" } } }), 200);
    expect(labelled.metadata?.generation).toBe(1);
    const annotated = expectCode(await api.update("apps/v1/deployments", "default", { ...labelled, metadata: { ...labelled.metadata, annotations: { a: "b" } } }), 200);
    expect(annotated.metadata?.generation).toBe(2);
    const rs = await api.mustCreate("apps/v1/replicasets", "default", { ...makeDeployment("r"), kind: "ReplicaSet" });
    const rsAnnotated = expectCode(await api.update("apps/v1/replicasets", "default", { ...rs, metadata: { ...rs.metadata, annotations: { a: "b" } } }), 200);
    expect(rsAnnotated.metadata?.generation).toBe(1);
    const rsScaled = expectCode(await api.update("apps/v1/replicasets", "default", { ...rsAnnotated, spec: { ...(rs.spec as object), replicas: 4 } }), 200);
    expect(rsScaled.metadata?.generation).toBe(2);
    // A client cannot set the generation.
    const forced = expectCode(await api.update("apps/v1/replicasets", "default", { ...rsScaled, metadata: { ...rsScaled.metadata, generation: 40 } }), 200);
    expect(forced.metadata?.generation).toBe(2);
  });

  it("keeps uid and creationTimestamp, refuses a changed uid, and never unsets deletionTimestamp", async () => {
    const { api } = await startTestServer();
    const c = await api.mustCreate("configmaps", "default", { ...makeConfigMap("c"), metadata: { name: "c", finalizers: ["example.com/keep"] } });
    const ts = expectCode(await api.update("configmaps", "default", { ...c, metadata: { ...c.metadata, creationTimestamp: "2001-01-01T00:00:00Z" } }), 200);
    expect(ts.metadata?.creationTimestamp).toBe(c.metadata?.creationTimestamp);
    const uid = await api.update("configmaps", "default", { ...ts, metadata: { ...ts.metadata, uid: "other" } });
    expect(statusOf(uid)).toMatchObject({ code: 422, message: 'ConfigMap "c" is invalid: metadata.uid: Invalid value: "other": field is immutable' });
    const deleting = expectCode(await api.delete("configmaps", "default", "c"), 200);
    expect(deleting.metadata?.deletionTimestamp).toBeDefined();
    const { deletionTimestamp: _dt, ...withoutTs } = deleting.metadata!;
    const kept = expectCode(await api.update("configmaps", "default", { ...deleting, metadata: withoutTs }), 200);
    expect(kept.metadata?.deletionTimestamp).toBe(deleting.metadata?.deletionTimestamp);
  });

  it("refuses new finalizers on an object being deleted; emptying them removes it", async () => {
    const { api, sim } = await startTestServer();
    await api.mustCreate("configmaps", "default", { ...makeConfigMap("c"), metadata: { name: "c", finalizers: ["example.com/a"] } });
    const deleting = expectCode(await api.delete("configmaps", "default", "c"), 200);
    expect(deleting.metadata?.deletionGracePeriodSeconds).toBe(0);
    const added = await api.update("configmaps", "default", { ...deleting, metadata: { ...deleting.metadata, finalizers: ["example.com/a", "example.com/b"] } });
    expect(statusOf(added)).toMatchObject({
      code: 422,
      message: 'ConfigMap "c" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b"}',
    });
    const { sink } = api.watch("configmaps", "default", { resourceVersion: deleting.metadata!.resourceVersion! });
    const emptied = expectCode(await api.update("configmaps", "default", { ...deleting, metadata: { ...deleting.metadata, finalizers: [] } }), 200);
    expect(emptied.metadata?.finalizers).toEqual([]);
    expect((await api.get("configmaps", "default", "c")).code).toBe(404);
    await sim.settle();
    expect(sink.summary()).toEqual(["DELETED c"]);

  });

  it("enforces the registry's immutable fields", async () => {
    const { api } = await startTestServer();
    const d = await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d"));
    const moved = structuredClone(d);
    (moved.spec as { selector: unknown }).selector = { matchLabels: { other: "x" } };
    (moved.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels = { other: "x" };
    const res = await api.update("apps/v1/deployments", "default", moved);
    expect(res.code).toBe(422);
    expect(statusOf(res).message).toMatch(/^Deployment\.apps "d" is invalid: spec\.selector: Invalid value: .*: field is immutable$/);
    // Without the kind's validation, the registry still refuses it.
    const { api: bare } = await startTestServer({ hooks: { validateUpdate: () => [] } });
    const d2 = await bare.mustCreate("apps/v1/deployments", "default", makeDeployment("d"));
    const moved2 = { ...moved, metadata: d2.metadata };
    expect(statusOf(await bare.update("apps/v1/deployments", "default", moved2)).message).toBe(
      'Deployment.apps "d" is invalid: spec.selector: Invalid value: {"matchLabels":{"other":"x"}}: field is immutable',
    );
    const pc = await api.mustCreate("scheduling.k8s.io/v1/priorityclasses", undefined, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 10 });
    const changed = await api.update("scheduling.k8s.io/v1/priorityclasses", undefined, { ...pc, value: 11 });
    expect(statusOf(changed).message).toBe('PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.');
  });

  it("keeps namespace spec.finalizers on main updates; namespaces/finalize changes only them", async () => {
    const { api } = await startTestServer();
    const ns = await api.mustCreate("namespaces", undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } });
    expect(ns.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(ns.status).toEqual({ phase: "Active" });
    expect(ns.metadata?.labels).toEqual({ "kubernetes.io/metadata.name": "n" });
    const main = expectCode(await api.update("namespaces", undefined, { ...ns, spec: { finalizers: [] } }), 200);
    expect(main.spec).toEqual({ finalizers: ["kubernetes"] });
    const fin = expectCode(await api.update("namespaces", undefined, { ...main, spec: { finalizers: [] }, status: { phase: "Terminating" } }, {}, "finalize"), 200);
    expect(fin.spec).toEqual({ finalizers: [] });
    expect(fin.status).toEqual({ phase: "Active" });
  });

  it("retries the transform when a concurrent write wins, and never loses either", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c", {}));
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) writes.push(api.patch("configmaps", "default", "c", "merge", { data: { [`k${i}`]: String(i) } }));
    const codes = (await Promise.all(writes)).map((r) => (r as { code: number }).code);
    expect(codes.every((c) => c === 200)).toBe(true);
    const final = await api.mustGet("configmaps", "default", "c");
    expect(Object.keys(final.data as object)).toHaveLength(20);
  });
});

