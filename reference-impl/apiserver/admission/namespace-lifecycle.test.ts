import { describe, expect, it } from "vitest";
import { ApiError, type Status } from "../../../spec/interfaces/api-client.ts";
import { makeConfigMap, makeNamespace, statusOf } from "../testing.ts";
import { namespaceLifecycle } from "./namespace-lifecycle.ts";
import { FakeClient, attrs, startAdmissionServer } from "./testing.ts";

async function statusOfCall(p: Promise<void>): Promise<Status | "admitted"> {
  try {
    await p;
    return "admitted";
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

function setup() {
  const client = new FakeClient();
  client.add("namespaces", makeNamespace("default"));
  client.add("namespaces", { ...makeNamespace("dying"), status: { phase: "Terminating" } });
  return { client, plugin: namespaceLifecycle(client) };
}

describe("NamespaceLifecycle", () => {
  it.each(["default", "kube-system", "kube-public"])("refuses to delete the immortal namespace %s", async (name) => {
    const { plugin } = setup();
    const status = await statusOfCall(plugin.admit!(attrs("DELETE", "namespaces", { name })));
    expect(status).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      details: { name, kind: "namespaces" },
    });
  });

  it("lets other namespaces, kube-node-lease included, be deleted", async () => {
    const { plugin } = setup();
    expect(await statusOfCall(plugin.admit!(attrs("DELETE", "namespaces", { name: "kube-node-lease" })))).toBe("admitted");
    expect(await statusOfCall(plugin.admit!(attrs("DELETE", "namespaces", { name: "dying" })))).toBe("admitted");
  });

  it("refuses creates and updates in a namespace that does not exist (404)", async () => {
    const { plugin } = setup();
    for (const op of ["CREATE", "UPDATE"] as const) {
      const status = await statusOfCall(plugin.admit!(attrs(op, "configmaps", { namespace: "nope", object: makeConfigMap("c") })));
      expect(status).toMatchObject({ code: 404, reason: "NotFound", message: 'namespaces "nope" not found', details: { name: "nope", kind: "namespaces" } });
    }
  });

  it("refuses new content in a terminating namespace, with the NamespaceTerminating cause", async () => {
    const { plugin } = setup();
    const status = await statusOfCall(plugin.admit!(attrs("CREATE", "configmaps", { namespace: "dying", object: makeConfigMap("c") })));
    expect(status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'configmaps "c" is forbidden: unable to create new content in namespace dying because it is being terminated',
      reason: "Forbidden",
      details: {
        name: "c",
        kind: "configmaps",
        causes: [{ reason: "NamespaceTerminating", message: "namespace dying is being terminated", field: "metadata.namespace" }],
      },
      code: 403,
    });
  });

  it("allows updates and deletes in a terminating namespace, and anything cluster-scoped", async () => {
    const { plugin } = setup();
    expect(await statusOfCall(plugin.admit!(attrs("UPDATE", "configmaps", { namespace: "dying", object: makeConfigMap("c") })))).toBe("admitted");
    expect(await statusOfCall(plugin.admit!(attrs("DELETE", "configmaps", { namespace: "nope", name: "c" })))).toBe("admitted");
    expect(await statusOfCall(plugin.admit!(attrs("CREATE", "namespaces", { object: makeNamespace("new") })))).toBe("admitted");
    expect(await statusOfCall(plugin.admit!(attrs("CREATE", "nodes", { object: { apiVersion: "v1", kind: "Node", metadata: { name: "n" } } })))).toBe("admitted");
  });

  it("protects the system namespaces on a real server", async () => {
    const { api } = await startAdmissionServer();
    const res = await api.delete("namespaces", undefined, "kube-system");
    expect(res.code).toBe(403);
    expect(statusOf(res).message).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
    expect((await api.delete("namespaces", undefined, "kube-node-lease")).code).toBe(200);
  });
});
