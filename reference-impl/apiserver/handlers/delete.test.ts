import { describe, expect, it } from "vitest";
import type { KubeList } from "../../../spec/interfaces/api-client.ts";
import { formatTimestamp } from "../meta.ts";
import { expectCode, makeConfigMap, makeDeployment, makeNamespace, makePod, startTestServer, statusOf } from "../testing.ts";

describe("delete", () => {
  it("removes an object at once, answering a Success Status (or the object, for pods)", async () => {
    const { api } = await startTestServer();
    const c = await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    const res = expectCode(await api.delete("configmaps", "default", "c"), 200);
    expect(res).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: "c", kind: "configmaps", uid: c.metadata?.uid }, code: 200 });
    expect((await api.get("configmaps", "default", "c")).code).toBe(404);
    const again = await api.delete("configmaps", "default", "c");
    expect(statusOf(again)).toMatchObject({ code: 404, message: 'configmaps "c" not found' });
    await api.mustCreate("pods", "default", makePod("unscheduled"));
    const pod = expectCode(await api.delete("pods", "default", "unscheduled"), 200);
    expect(pod.kind).toBe("Pod");
    expect((await api.get("pods", "default", "unscheduled")).code).toBe(404);
  });

  it("checks uid and resourceVersion preconditions", async () => {
    const { api } = await startTestServer();
    const c = await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    const uid = await api.delete("configmaps", "default", "c", {}, { preconditions: { uid: "not-it" } });
    expect(statusOf(uid)).toMatchObject({
      code: 409,
      reason: "Conflict",
      message: `Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: not-it, UID in object meta: ${c.metadata?.uid}`,
    });
    const rv = await api.delete("configmaps", "default", "c", {}, { preconditions: { resourceVersion: "1" } });
    expect(statusOf(rv).message).toBe(
      `Operation cannot be fulfilled on configmaps "c": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${c.metadata?.resourceVersion}`,
    );
    expect(expectCode(await api.delete("configmaps", "default", "c", {}, { preconditions: { uid: c.metadata?.uid, resourceVersion: c.metadata?.resourceVersion } }), 200).status).toBe("Success");
  });

  it("deletes scheduled pods gracefully: deletionTimestamp = now + grace, and only shortens it", async () => {
    const { api, sim } = await startTestServer();
    await api.mustCreate("pods", "default", makePod("p", { nodeName: "n1" }));
    const t0 = sim.now();
    const marked = expectCode(await api.delete("pods", "default", "p"), 200);
    expect(marked.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(marked.metadata?.deletionTimestamp).toBe(formatTimestamp(t0 + 30_000));
    expect(marked.metadata?.generation).toBe(2);
    await sim.runFor(5_000);
    const longer = expectCode(await api.delete("pods", "default", "p", { gracePeriodSeconds: "60" }), 200);
    expect(longer.metadata?.deletionGracePeriodSeconds).toBe(30);
    const shorter = expectCode(await api.delete("pods", "default", "p", { gracePeriodSeconds: "10" }), 200);
    expect(shorter.metadata?.deletionGracePeriodSeconds).toBe(10);
    expect(shorter.metadata?.deletionTimestamp).toBe(formatTimestamp(t0 + 10_000));
    // The pod's own terminationGracePeriodSeconds is used when the request names none.
    await api.mustCreate("pods", "default", makePod("q", { nodeName: "n1", terminationGracePeriodSeconds: 5 }));
    expect(expectCode(await api.delete("pods", "default", "q"), 200).metadata?.deletionGracePeriodSeconds).toBe(5);
    // Grace 0 (the kubelet's final delete, or --force): written, then removed.
    const { sink } = api.watch("pods", "default", { resourceVersion: shorter.metadata!.resourceVersion! });
    const gone = expectCode(await api.delete("pods", "default", "p", { gracePeriodSeconds: "0" }), 200);
    expect(gone.metadata?.name).toBe("p");
    expect((await api.get("pods", "default", "p")).code).toBe(404);
    await sim.settle();
    expect(sink.summary()).toEqual(["ADDED q", "MODIFIED q", "MODIFIED p", "DELETED p"]);
  });

  it("blocks removal while finalizers remain, and adds the GC finalizers for Orphan and Foreground", async () => {
    const { api, sim } = await startTestServer();
    await api.mustCreate("configmaps", "default", { ...makeConfigMap("c"), metadata: { name: "c", finalizers: ["example.com/hold"] } });
    const held = expectCode(await api.delete("configmaps", "default", "c"), 200);
    expect(held.metadata?.deletionTimestamp).toBe(formatTimestamp(sim.now()));
    expect(held.metadata?.deletionGracePeriodSeconds).toBe(0);
    expect((await api.get("configmaps", "default", "c")).code).toBe(200);
    await api.mustCreate("apps/v1/deployments", "default", makeDeployment("orphan-me"));
    const orphan = expectCode(await api.delete("apps/v1/deployments", "default", "orphan-me", { propagationPolicy: "Orphan" }), 200);
    expect(orphan.metadata?.finalizers).toEqual(["orphan"]);
    expect(orphan.metadata?.generation).toBe(2);
    await api.mustCreate("apps/v1/deployments", "default", makeDeployment("fg"));
    const fg = expectCode(await api.delete("apps/v1/deployments", "default", "fg", {}, { propagationPolicy: "Foreground" }), 200);
    expect(fg.metadata?.finalizers).toEqual(["foregroundDeletion"]);
    // The GC removes its finalizer: the object goes.
    expectCode(await api.patch("apps/v1/deployments", "default", "fg", "merge", { metadata: { finalizers: null } }), 200);
    expect((await api.get("apps/v1/deployments", "default", "fg")).code).toBe(404);
    await api.mustCreate("apps/v1/deployments", "default", makeDeployment("bg"));
    expect(expectCode(await api.delete("apps/v1/deployments", "default", "bg", { propagationPolicy: "Background" }), 200).status).toBe("Success");
    const legacy = await api.delete("configmaps", "default", "c", { orphanDependents: "false" });
    expect(legacy.code).toBe(202);
    const invalid = await api.delete("configmaps", "default", "c", { propagationPolicy: "Sometimes" });
    expect(statusOf(invalid)).toMatchObject({ code: 422, reason: "Invalid" });
  });

  it("with dryRun=All changes nothing", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    expect((await api.delete("configmaps", "default", "c", { dryRun: "All" })).code).toBe(200);
    expect((await api.get("configmaps", "default", "c")).code).toBe(200);
  });

  it("of a namespace starts termination; the namespace controller finishes it", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("namespaces", undefined, makeNamespace("n"));
    const terminating = expectCode(await api.delete("namespaces", undefined, "n"), 200);
    expect(terminating.status).toEqual({ phase: "Terminating" });
    expect(terminating.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    // Still there while spec.finalizers holds it.
    expect(expectCode(await api.delete("namespaces", undefined, "n"), 200).kind).toBe("Namespace");
    expect((await api.get("namespaces", undefined, "n")).code).toBe(200);
    const finalized = expectCode(await api.update("namespaces", undefined, { ...terminating, spec: { finalizers: [] } }, {}, "finalize"), 200);
    expect(finalized.spec).toEqual({ finalizers: [] });
    const gone = expectCode(await api.delete("namespaces", undefined, "n"), 200);
    expect(gone.kind).toBe("Namespace");
    expect((await api.get("namespaces", undefined, "n")).code).toBe(404);
    expect(statusOf(await api.deleteCollection("namespaces", undefined)).code).toBe(405);
  });

  it("deletecollection deletes what the selectors match and answers the list", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("a", {}, { drop: "yes" }));
    await api.mustCreate("configmaps", "default", makeConfigMap("b", {}, { drop: "no" }));
    await api.mustCreate("configmaps", "default", { ...makeConfigMap("c", {}, { drop: "yes" }), metadata: { name: "c", labels: { drop: "yes" }, finalizers: ["x.io/y"] } });
    const res = expectCode(await api.deleteCollection("configmaps", "default", { labelSelector: "drop=yes" }), 200) as unknown as KubeList;
    expect(res.kind).toBe("ConfigMapList");
    expect(res.items.map((i) => i.metadata?.name)).toEqual(["a", "c"]);
    const left = expectCode(await api.list("configmaps", "default"), 200) as unknown as KubeList;
    expect(left.items.map((i) => [i.metadata?.name, i.metadata?.deletionTimestamp !== undefined])).toEqual([
      ["b", false],
      ["c", true],
    ]);
  });
});
