// The core tells admission how each write ended (AdmissionChain.finish) and what was removed
// (afterDelete), so service IPs and node ports come back at once — not after the allocator's
// stale-record reclaim, which the virtual clock never reaches in these tests.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { startAdmissionServer } from "../admission/testing.ts";
import { expectCode, statusOf } from "../testing.ts";

type Json = Record<string, unknown>;

function svc(name: string, spec: Json, metadata: Json = {}): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, ...metadata }, spec: { selector: { app: name }, ...spec } };
}

const nodePortSpec = (clusterIP: string, nodePort: number): Json => ({
  type: "NodePort",
  clusterIP,
  ports: [{ port: 80, nodePort }],
});

describe("admission settles what a write held", () => {
  it("releases the IP and node port of a create refused by validation after admission", async () => {
    const { api, admission } = await startAdmissionServer();
    const refused = await api.create("services", "default", svc("web", nodePortSpec("10.96.0.50", 30080), { labels: { "bad label!": "x" } }));
    expect(refused.code).toBe(422);
    expect(await admission.services.ips.has("10.96.0.50")).toBe(false);
    expect(await admission.services.ports.has("30080")).toBe(false);
    // Another service gets both straight away.
    const ok = expectCode(await api.create("services", "default", svc("web2", nodePortSpec("10.96.0.50", 30080))), 201);
    expect(ok.spec).toMatchObject({ clusterIP: "10.96.0.50", ports: [{ nodePort: 30080 }] });
  });

  it("releases what a create refused by the store (AlreadyExists) allocated", async () => {
    const { api, admission } = await startAdmissionServer();
    await api.mustCreate("services", "default", svc("web", nodePortSpec("10.96.0.60", 30081)));
    const dup = await api.create("services", "default", svc("web", nodePortSpec("10.96.0.61", 30082)));
    expect(statusOf(dup)).toMatchObject({ code: 409, reason: "AlreadyExists" });
    expect(await admission.services.ips.has("10.96.0.61")).toBe(false);
    expect(await admission.services.ports.has("30082")).toBe(false);
    // The stored service keeps its own.
    expect(await admission.services.ips.has("10.96.0.60")).toBe(true);
    expect(await admission.services.ports.has("30081")).toBe(true);
  });

  it("releases everything a deleted service held", async () => {
    const { api, admission } = await startAdmissionServer();
    await api.mustCreate("services", "default", svc("web", nodePortSpec("10.96.0.70", 30090)));
    expectCode(await api.delete("services", "default", "web"), 200);
    expect(await admission.services.ips.has("10.96.0.70")).toBe(false);
    expect(await admission.services.ports.has("30090")).toBe(false);
    expectCode(await api.create("services", "default", svc("other", nodePortSpec("10.96.0.70", 30090))), 201);
  });

  it("releases the services a deletecollection removes", async () => {
    const { api, admission } = await startAdmissionServer();
    await api.mustCreate("services", "default", svc("a", nodePortSpec("10.96.0.80", 30100), { labels: { tier: "x" } }));
    await api.mustCreate("services", "default", svc("b", nodePortSpec("10.96.0.81", 30101), { labels: { tier: "x" } }));
    expectCode(await api.deleteCollection("services", "default", { labelSelector: "tier=x" }), 200);
    for (const ip of ["10.96.0.80", "10.96.0.81"]) expect(await admission.services.ips.has(ip)).toBe(false);
    for (const port of ["30100", "30101"]) expect(await admission.services.ports.has(port)).toBe(false);
  });

  it("releases what a service held when the update emptying its finalizers removes it", async () => {
    const { api, admission } = await startAdmissionServer();
    await api.mustCreate("services", "default", svc("web", nodePortSpec("10.96.0.90", 30110), { finalizers: ["example.com/hold"] }));
    const marked = expectCode(await api.delete("services", "default", "web"), 200);
    expect(marked.metadata?.deletionTimestamp).toBeDefined();
    expect(await admission.services.ports.has("30110")).toBe(true);
    const current = await api.mustGet("services", "default", "web");
    expectCode(await api.update("services", "default", { ...current, metadata: { ...current.metadata, finalizers: [] } }), 200);
    expect((await api.get("services", "default", "web")).code).toBe(404);
    expect(await admission.services.ips.has("10.96.0.90")).toBe(false);
    expect(await admission.services.ports.has("30110")).toBe(false);
  });

  it("releases the node port at once when the type changes from NodePort to ClusterIP", async () => {
    const { api, admission } = await startAdmissionServer();
    const created = await api.mustCreate("services", "default", svc("web", nodePortSpec("10.96.0.100", 30120)));
    const spec = created.spec as Json;
    const changed = { ...created, spec: { ...spec, type: "ClusterIP", ports: [{ port: 80, protocol: "TCP", targetPort: 80 }] } };
    const updated = expectCode(await api.update("services", "default", changed), 200);
    expect((updated.spec as Json).ports).toEqual([{ port: 80, protocol: "TCP", targetPort: 80 }]);
    expect(await admission.services.ports.has("30120")).toBe(false);
    expect(await admission.services.ips.has("10.96.0.100")).toBe(true);
    expectCode(await api.create("services", "default", svc("other", nodePortSpec("10.96.0.101", 30120))), 201);
  });

  it("gives back a node port an update allocated when the update is refused", async () => {
    const { api, admission } = await startAdmissionServer();
    const created = await api.mustCreate("services", "default", svc("web", { clusterIP: "10.96.0.110", ports: [{ port: 80 }] }));
    const spec = created.spec as Json;
    // ClusterIP → NodePort allocates 30130; the stale resourceVersion then makes the update fail (409).
    const stale = { ...created, metadata: { ...created.metadata, resourceVersion: "1" }, spec: { ...spec, type: "NodePort", ports: [{ port: 80, nodePort: 30130 }] } };
    expect((await api.update("services", "default", stale)).code).toBe(409);
    expect(await admission.services.ports.has("30130")).toBe(false);
    expect(await admission.services.ips.has("10.96.0.110")).toBe(true);
  });

  it("holds nothing for a dry-run create", async () => {
    const { api, admission } = await startAdmissionServer();
    expectCode(await api.create("services", "default", svc("web", nodePortSpec("10.96.0.120", 30140)), { dryRun: "All" }), 201);
    expect(await admission.services.ips.has("10.96.0.120")).toBe(false);
    expect(await admission.services.ports.has("30140")).toBe(false);
  });
});
