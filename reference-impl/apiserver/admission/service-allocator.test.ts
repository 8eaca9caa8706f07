import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { expectCode, statusOf } from "../testing.ts";
import { startAdmissionServer } from "./testing.ts";

type Json = Record<string, unknown>;

function svc(name: string, spec: Json): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

function specOf(obj: KubeObject): Json {
  return obj.spec as Json;
}

describe("service ClusterIP allocation", () => {
  it("creates the `kubernetes` service at the first address, 443 forwarding to 6443", async () => {
    const { api } = await startAdmissionServer({ bootstrap: true });
    const k = await api.mustGet("services", "default", "kubernetes");
    expect(k.metadata?.labels).toEqual({ component: "apiserver", provider: "kubernetes" });
    expect(specOf(k)).toMatchObject({
      clusterIP: "10.96.0.1",
      clusterIPs: ["10.96.0.1"],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      type: "ClusterIP",
      ports: [{ name: "https", protocol: "TCP", port: 443, targetPort: 6443 }],
    });
  });

  it("writes the `kubernetes` Endpoints when an address is advertised, and bootstraps idempotently", async () => {
    // An address in an object only (nothing is sent to it); loopback ones are skipped, as validation refuses them.
    const { api, admission } = await startAdmissionServer({ bootstrap: true, advertiseAddress: "192.0.2.10", securePort: 8443 });
    await admission.bootstrap();
    const ep = await api.mustGet("endpoints", "default", "kubernetes");
    expect(ep.subsets).toEqual([{ addresses: [{ ip: "192.0.2.10" }], ports: [{ name: "https", port: 8443, protocol: "TCP" }] }]);
    const loopback = await startAdmissionServer({ bootstrap: true, advertiseAddress: "127.0.0.1" });
    expect((await loopback.api.get("endpoints", "default", "kubernetes")).code).toBe(404);
    expect((specOf(await api.mustGet("services", "default", "kubernetes")).ports as Json[])[0]).toMatchObject({ port: 443, targetPort: 8443 });
  });

  it("allocates a free address from the CIDR and fills clusterIPs, ipFamilies and ipFamilyPolicy", async () => {
    const { api, admission } = await startAdmissionServer();
    const s = await api.mustCreate("services", "default", svc("web", {}));
    const ip = specOf(s).clusterIP as string;
    expect(admission.services.ipRange.indexOf(ip)).toBeGreaterThanOrEqual(256);
    expect(specOf(s)).toMatchObject({ clusterIPs: [ip], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack" });
    expect(await admission.services.ips.has(ip)).toBe(true);
  });

  it("honours a requested address, and refuses one that is taken or outside the range (422)", async () => {
    const { api } = await startAdmissionServer({ bootstrap: true });
    const s = await api.mustCreate("services", "default", svc("dns", { clusterIP: "10.96.0.10" }));
    expect(specOf(s).clusterIPs).toEqual(["10.96.0.10"]);
    const taken = await api.create("services", "default", svc("dns2", { clusterIP: "10.96.0.10" }));
    expect(taken.code).toBe(422);
    expect(statusOf(taken)).toMatchObject({
      reason: "Invalid",
      message: 'Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
      details: { name: "dns2", kind: "Service", causes: [{ reason: "FieldValueInvalid", field: "spec.clusterIPs" }] },
    });
    const outside = await api.create("services", "default", svc("far", { clusterIP: "10.0.0.10" }));
    expect(statusOf(outside).message).toBe(
      'Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it("gives headless and ExternalName services no address", async () => {
    const { api, admission } = await startAdmissionServer();
    const headless = await api.mustCreate("services", "default", svc("db", { clusterIP: "None" }));
    expect(specOf(headless)).toMatchObject({ clusterIP: "None", clusterIPs: ["None"], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack" });
    const selectorless: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "ext" }, spec: { clusterIP: "None", ports: [{ port: 80 }] } };
    const s2 = await api.mustCreate("services", "default", selectorless);
    expect(specOf(s2)).toMatchObject({ ipFamilies: ["IPv4", "IPv6"], ipFamilyPolicy: "RequireDualStack" });
    const ext = await api.mustCreate("services", "default", { apiVersion: "v1", kind: "Service", metadata: { name: "name" }, spec: { type: "ExternalName", externalName: "example.com" } });
    expect(specOf(ext).clusterIP).toBeUndefined();
    expect(specOf(ext).ipFamilies).toBeUndefined();
    expect((await admission.services.ips.allocated()).size).toBe(0);
  });

  it("refuses what a single-stack IPv4 cluster cannot serve", async () => {
    const { api } = await startAdmissionServer();
    const v6 = await api.create("services", "default", svc("v6", { clusterIP: "fd00::10" }));
    expect(statusOf(v6).message).toBe('Service "v6" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster');
    const dual = await api.create("services", "default", svc("dual", { ipFamilyPolicy: "RequireDualStack" }));
    expect(statusOf(dual).message).toBe('Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
    const fam = await api.create("services", "default", svc("fam", { ipFamilies: ["IPv6"] }));
    expect(statusOf(fam).message).toBe('Service "fam" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
  });

  it("answers a dry run with upstream's placeholder and allocates nothing", async () => {
    const { api, admission } = await startAdmissionServer();
    const s = expectCode(await api.create("services", "default", svc("web", { type: "NodePort" }), { dryRun: "All" }), 201);
    expect(specOf(s).clusterIP).toBe("10.96.0.0");
    expect((specOf(s).ports as Json[])[0]!.nodePort).toBe(32769);
    expect((await admission.services.ips.allocated()).size).toBe(0);
    expect((await admission.services.ports.allocated()).size).toBe(0);
  });

  it("hands out unique addresses to many concurrent creates", async () => {
    const { api, admission } = await startAdmissionServer({ serviceClusterIPRange: "10.0.0.0/26" });
    const results = await Promise.all(Array.from({ length: 70 }, (_, i) => api.create("services", "default", svc(`s${i}`, {}))));
    const created = results.filter((r) => r.code === 201).map((r) => specOf(r.body as KubeObject).clusterIP as string);
    expect(created.length).toBe(62);
    expect(new Set(created).size).toBe(62);
    const failures = results.filter((r) => r.code !== 201).map((r) => statusOf(r).message);
    expect(new Set(failures)).toEqual(new Set(["Internal error occurred: failed to allocate a serviceIP: range is full"]));
    expect((await admission.services.ips.allocated()).size).toBe(62);
  });

  it("releases a deleted service's address (afterDelete), so it can be asked for again", async () => {
    const { api, admission, server } = await startAdmissionServer();
    const s = await api.mustCreate("services", "default", svc("web", { clusterIP: "10.96.0.50" }));
    expectCode(await api.delete("services", "default", "web"), 200);
    await admission.chain.afterDelete(server.registry.lookup("", "v1", "services")!, s, false);
    expect(await admission.services.ips.has("10.96.0.50")).toBe(false);
    await api.mustCreate("services", "default", svc("web2", { clusterIP: "10.96.0.50" }));
  });

  it("reclaims a deleted service's address once stale even when the registry did not report the delete", async () => {
    const { api, sim, kv } = await startAdmissionServer();
    await api.mustCreate("services", "default", svc("web", { clusterIP: "10.96.0.60" }));
    // Removed behind the registry's back (so no afterDelete): only the stale reclaim frees it.
    await kv.deleteRange({ key: new TextEncoder().encode("/registry/services/specs/default/web") });
    expect((await api.create("services", "default", svc("next", { clusterIP: "10.96.0.60" }))).code).toBe(422);
    await sim.runFor(60_000);
    await api.mustCreate("services", "default", svc("next", { clusterIP: "10.96.0.60" }));
  });

  it("gives back what a create allocated when a later step refuses it", async () => {
    const { api, admission } = await startAdmissionServer({ serviceAccount: { requireServiceAccount: false } });
    await api.mustCreate("resourcequotas", "default", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { services: "0" } } });
    const res = await api.create("services", "default", svc("web", { clusterIP: "10.96.0.70", type: "NodePort", ports: [{ port: 80, nodePort: 30070 }] }));
    expect(statusOf(res).message).toBe('services "web" is forbidden: exceeded quota: q, requested: services=1, used: services=0, limited: services=0');
    expect(await admission.services.ips.has("10.96.0.70")).toBe(false);
    expect(await admission.services.ports.has("30070")).toBe(false);
  });
});

describe("service NodePort allocation", () => {
  it("allocates node ports above the static band for NodePort and LoadBalancer services", async () => {
    const { api } = await startAdmissionServer();
    const np = await api.mustCreate("services", "default", svc("np", { type: "NodePort", ports: [{ name: "a", port: 80 }, { name: "b", port: 81 }] }));
    const lb = await api.mustCreate("services", "default", svc("lb", { type: "LoadBalancer", externalTrafficPolicy: "Local" }));
    const ports = [...(specOf(np).ports as Json[]), ...(specOf(lb).ports as Json[])].map((p) => p.nodePort as number);
    ports.push(specOf(lb).healthCheckNodePort as number);
    expect(new Set(ports).size).toBe(4);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(30086);
      expect(p).toBeLessThanOrEqual(32767);
    }
    const cip = await api.mustCreate("services", "default", svc("cip", {}));
    expect((specOf(cip).ports as Json[])[0]!.nodePort).toBeUndefined();
  });

  it("shares one node port between the TCP and UDP ports of one number", async () => {
    const { api } = await startAdmissionServer();
    const dns = await api.mustCreate("services", "default", svc("dns", { type: "NodePort", ports: [{ name: "udp", port: 53, protocol: "UDP" }, { name: "tcp", port: 53, protocol: "TCP" }] }));
    const [a, b] = (specOf(dns).ports as Json[]).map((p) => p.nodePort);
    expect(a).toBe(b);
  });

  it("honours a requested node port and refuses a taken or out-of-range one (422)", async () => {
    const { api } = await startAdmissionServer();
    await api.mustCreate("services", "default", svc("a", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    const taken = await api.create("services", "default", svc("b", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    expect(taken.code).toBe(422);
    expect(statusOf(taken).message).toBe('Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const low = await api.create("services", "default", svc("c", { type: "NodePort", ports: [{ port: 80, nodePort: 8080 }] }));
    expect(statusOf(low).message).toContain("provided port is not in the valid range. The range of valid ports is 30000-32767");
  });

  it("keeps allocated values on an update that leaves them out, and frees node ports on a change to ClusterIP", async () => {
    const { api, admission, sim } = await startAdmissionServer();
    const s = await api.mustCreate("services", "default", svc("web", { type: "NodePort", ports: [{ port: 80, nodePort: 30090 }] }));
    const ip = specOf(s).clusterIP;
    // kubectl apply's view of the object: no clusterIP, no nodePort.
    const applied = await api.patch("services", "default", "web", "merge", { spec: { clusterIP: null, clusterIPs: null, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(applied.code).toBe(200);
    expect(specOf(applied.body as KubeObject)).toMatchObject({ clusterIP: ip, clusterIPs: [ip], ports: [{ port: 80, targetPort: 8080, nodePort: 30090 }] });
    const current = await api.mustGet("services", "default", "web");
    specOf(current).type = "ClusterIP";
    const changed = expectCode(await api.update("services", "default", current), 200);
    expect((specOf(changed).ports as Json[])[0]!.nodePort).toBeUndefined();
    expect(specOf(changed).externalTrafficPolicy).toBeUndefined();
    // The registry's finish() commits the update, which releases the port at once.
    expect(await admission.services.ports.has("30090")).toBe(false);
    await sim.runFor(60_000);
    expect(await admission.services.ports.repair()).toEqual([]);
  });

  it("releases on commit what an update no longer uses, and gives back on revert what it took", async () => {
    const { api, admission } = await startAdmissionServer();
    const old = await api.mustCreate("services", "default", svc("web", { type: "NodePort", ports: [{ port: 80, nodePort: 30091 }] }));
    const toClusterIP = structuredClone(old);
    specOf(toClusterIP).type = "ClusterIP";
    const txn = await admission.services.allocateUpdate(toClusterIP, old, false);
    expect(await admission.services.ports.has("30091")).toBe(true);
    await txn.commit();
    expect(await admission.services.ports.has("30091")).toBe(false);
    const moved = structuredClone(old);
    (specOf(moved).ports as Json[])[0]!.nodePort = 30092;
    const revert = await admission.services.allocateUpdate(moved, old, false);
    expect(await admission.services.ports.has("30092")).toBe(true);
    await revert.revert();
    expect(await admission.services.ports.has("30092")).toBe(false);
  });
});
