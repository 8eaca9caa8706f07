import { describe, expect, it } from "vitest";
import { expectCode, makeConfigMap, makeDeployment, makePod, startTestServer, statusOf } from "../testing.ts";

describe("patch", () => {
  it("applies JSON patch, merge patch and strategic merge patch", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c", { a: "1", b: "2" }));
    const json = expectCode(await api.patch("configmaps", "default", "c", "json", [{ op: "replace", path: "/data/a", value: "x" }]), 200);
    expect(json.data).toEqual({ a: "x", b: "2" });
    const merge = expectCode(await api.patch("configmaps", "default", "c", "merge", { data: { b: null, c: "3" } }), 200);
    expect(merge.data).toEqual({ a: "x", c: "3" });
    await api.mustCreate("pods", "default", {
      ...makePod("p"),
      spec: { containers: [{ name: "a", image: "nginx" }, { name: "b", image: "busybox" }] },
    });
    // Containers merge by name under strategic merge patch; a merge patch would replace the list.
    const smp = expectCode(await api.patch("pods", "default", "p", "strategic", { spec: { containers: [{ name: "b", image: "busybox:2" }] } }), 200);
    expect((smp.spec as { containers: { name: string; image: string }[] }).containers.map((c) => [c.name, c.image])).toEqual([
      ["a", "nginx"],
      ["b", "busybox:2"],
    ]);
    expect(smp.metadata?.generation).toBe(2);
  });

  it("of a missing object is 404", async () => {
    const { api } = await startTestServer();
    const res = await api.patch("apps/v1/deployments", "default", "nope", "merge", { spec: { replicas: 2 } });
    expect(res.code).toBe(404);
    expect(statusOf(res).message).toBe('deployments.apps "nope" not found');
  });

  it("turns malformed patches into 400, unappliable ones into 422 and oversized ones into 413", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c", { a: "1" }));
    expect((await api.patch("configmaps", "default", "c", "json", { op: "add" })).code).toBe(400);
    expect((await api.patch("configmaps", "default", "c", "merge", [1, 2])).code).toBe(400);
    const failedTest = await api.patch("configmaps", "default", "c", "json", [{ op: "test", path: "/data/a", value: "2" }]);
    expect(failedTest.code).toBe(422);
    expect(statusOf(failedTest)).toMatchObject({ reason: "Invalid", message: "the server rejected our request due to an error in our request" });
    const many = Array.from({ length: 10_001 }, () => ({ op: "test", path: "/data/a", value: "1" }));
    const tooMany = await api.patch("configmaps", "default", "c", "json", many);
    expect(statusOf(tooMany)).toMatchObject({ code: 413, reason: "RequestEntityTooLarge" });
    expect(statusOf(tooMany).message).toBe("Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001");
  });

  it("with a resourceVersion in the patch is a precondition", async () => {
    const { api } = await startTestServer();
    const c = await api.mustCreate("configmaps", "default", makeConfigMap("c", { a: "1" }));
    await api.patch("configmaps", "default", "c", "merge", { data: { a: "2" } });
    const stale = await api.patch("configmaps", "default", "c", "merge", { metadata: { resourceVersion: c.metadata?.resourceVersion }, data: { a: "3" } });
    expect(statusOf(stale)).toMatchObject({ code: 409, reason: "Conflict" });
  });

  it("cannot rename the object", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    const res = await api.patch("configmaps", "default", "c", "merge", { metadata: { name: "d" } });
    expect(statusOf(res)).toMatchObject({ code: 400, message: "the name of the object (d) does not match the name on the URL (c)" });
  });

  it("of /status changes only the status", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d", 1));
    const res = expectCode(
      await api.patch("apps/v1/deployments", "default", "d", "merge", { spec: { replicas: 5 }, status: { readyReplicas: 1 } }, {}, "status"),
      200,
    );
    expect(res.status).toEqual({ readyReplicas: 1 });
    expect((res.spec as { replicas: number }).replicas).toBe(1);
  });

  it("answers unknown content types, and apply patches when no server-side apply is installed, with 415", async () => {
    const { api } = await startTestServer({ hooks: { applyPatch: undefined } });
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    const unknown = await api.request("patch", "configmaps", { namespace: "default", name: "c", body: {}, contentType: "text/plain" });
    expect(statusOf(unknown)).toMatchObject({
      code: 415,
      reason: "UnsupportedMediaType",
      message:
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml",
    });
    const apply = await api.patch("configmaps", "default", "c", "apply", { data: { a: "1" } }, { fieldManager: "me" });
    expect(statusOf(apply)).toMatchObject({ code: 415, reason: "UnsupportedMediaType" });
    const charset = await api.request("patch", "configmaps", { namespace: "default", name: "c", body: { data: { z: "1" } }, contentType: "application/merge-patch+json; charset=utf-8" });
    expect(charset.code).toBe(200);
  });

  it("applies server-side: creates, tracks managedFields per manager, and answers conflicts with 409", async () => {
    const { api } = await startTestServer();
    const applied = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } };
    const created = expectCode(await api.patch("configmaps", "default", "c", "apply", applied, { fieldManager: "kubectl" }), 201);
    expect(created.data).toEqual({ a: "1" });
    expect(created.metadata?.managedFields).toMatchObject([{ manager: "kubectl", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1" }]);
    // Another manager's non-apply write is tracked as an Update.
    const updated = expectCode(await api.patch("configmaps", "default", "c", "merge", { data: { b: "2" } }, { fieldManager: "editor" }), 200);
    expect((updated.metadata?.managedFields as { manager: string; operation: string }[]).map((m) => [m.manager, m.operation])).toEqual([
      ["kubectl", "Apply"],
      ["editor", "Update"],
    ]);
    const other = { ...applied, data: { b: "3" } };
    const conflict = await api.patch("configmaps", "default", "c", "apply", other, { fieldManager: "other" });
    expect(statusOf(conflict)).toMatchObject({ code: 409, reason: "Conflict" });
    const forced = expectCode(await api.patch("configmaps", "default", "c", "apply", other, { fieldManager: "other", force: "true" }), 200);
    expect(forced.data).toEqual({ a: "1", b: "3" });
  });

  it("hands apply patches to the server-side apply hook, creating missing objects", async () => {
    const { api } = await startTestServer({
      hooks: {
        applyPatch: ({ live, patch, fieldManager }) => ({
          ...(live ?? {}),
          ...(patch as object),
          metadata: { ...(live?.metadata ?? (patch as { metadata: object }).metadata), annotations: { manager: fieldManager } },
        }),
      },
    });
    const created = await api.patch("configmaps", "default", "c", "apply", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } }, { fieldManager: "kubectl" });
    expect(created.code).toBe(201);
    expect(expectCode(created, 201).metadata?.annotations).toEqual({ manager: "kubectl" });
    const noManager = await api.patch("configmaps", "default", "c", "apply", { data: {} });
    expect(statusOf(noManager).message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });
});
