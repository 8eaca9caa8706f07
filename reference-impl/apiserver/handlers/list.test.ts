import { describe, expect, it } from "vitest";
import type { KubeList } from "../../../spec/interfaces/api-client.ts";
import { type TestClient, expectCode, makeConfigMap, makePod, minimalObject, startTestServer, statusOf } from "../testing.ts";

async function names(api: TestClient, resource: string, ns: string | undefined, query: Record<string, string>): Promise<string[]> {
  const list = expectCode(await api.list(resource, ns, query), 200) as unknown as KubeList;
  return list.items.map((i) => i.metadata?.name ?? "");
}

describe("list", () => {
  it("answers a <Kind>List with the list's resourceVersion and items without type meta", async () => {
    const { api } = await startTestServer();
    const c = await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    const list = expectCode(await api.list("configmaps", "default"), 200) as unknown as KubeList;
    expect(list.kind).toBe("ConfigMapList");
    expect(list.apiVersion).toBe("v1");
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(c.metadata?.resourceVersion));
    expect(list.items[0]).toEqual({ metadata: c.metadata, data: {} });
    const all = await names(api, "namespaces", undefined, {});
    expect(all).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
  });

  it("lists one namespace, or all of them", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("a"));
    await api.mustCreate("configmaps", "kube-system", makeConfigMap("b"));
    expect(await names(api, "configmaps", "default", {})).toEqual(["a"]);
    expect(await names(api, "configmaps", undefined, {})).toEqual(["a", "b"]);
  });

  it("filters by label selectors: =, ==, !=, in, notin, exists, !key", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("a", {}, { app: "web", tier: "front" }));
    await api.mustCreate("configmaps", "default", makeConfigMap("b", {}, { app: "db" }));
    await api.mustCreate("configmaps", "default", makeConfigMap("c", {}, {}));
    const cases: [string, string[]][] = [
      ["app=web", ["a"]],
      ["app==db", ["b"]],
      ["app!=web", ["b", "c"]],
      ["app in (web,db)", ["a", "b"]],
      ["app notin (web)", ["b", "c"]],
      ["tier", ["a"]],
      ["!tier", ["b", "c"]],
      ["app=web,tier=front", ["a"]],
    ];
    for (const [selector, want] of cases) expect(await names(api, "configmaps", "default", { labelSelector: selector }), selector).toEqual(want);
    const bad = await api.list("configmaps", "default", { labelSelector: "app in (" });
    expect(bad.code).toBe(400);
  });

  it("filters by the field selectors each kind supports", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("pods", "default", makePod("on-a", { nodeName: "a" }));
    await api.mustCreate("pods", "default", makePod("on-b", { nodeName: "b" }));
    await api.mustCreate("pods", "default", makePod("pending"));
    expect(await names(api, "pods", undefined, { fieldSelector: "spec.nodeName=a" })).toEqual(["on-a"]);
    expect(await names(api, "pods", undefined, { fieldSelector: "spec.nodeName=" })).toEqual(["pending"]);
    expect(await names(api, "pods", undefined, { fieldSelector: "spec.nodeName!=,status.phase=Pending" })).toEqual(["on-a", "on-b"]);
    expect(await names(api, "pods", "default", { fieldSelector: "metadata.name=on-b" })).toEqual(["on-b"]);
    expect(await names(api, "pods", undefined, { fieldSelector: "metadata.namespace=kube-system" })).toEqual([]);
    expect(await names(api, "pods", undefined, { fieldSelector: "spec.hostNetwork=false" })).toHaveLength(3);
    expect(await names(api, "namespaces", undefined, { fieldSelector: "status.phase=Active,metadata.name=default" })).toEqual(["default"]);
    const unsupported = await api.list("pods", undefined, { fieldSelector: "spec.foo=bar" });
    expect(statusOf(unsupported)).toMatchObject({ code: 400, message: "field label not supported: spec.foo" });
    const metaOnly = await api.list("configmaps", undefined, { fieldSelector: "data.a=1" });
    expect(statusOf(metaOnly).message).toBe('"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { unschedulable: true } };
    await api.mustCreate("nodes", undefined, node);
    await api.mustCreate("nodes", undefined, { ...node, metadata: { name: "n2" }, spec: {} });
    expect(await names(api, "nodes", undefined, { fieldSelector: "spec.unschedulable=false" })).toEqual(["n2"]);
    await api.mustCreate("secrets", "default", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "example.com/custom" });
    expect(await names(api, "secrets", "default", { fieldSelector: "type=example.com/custom" })).toEqual(["s"]);
    await api.mustCreate("batch/v1/jobs", "default", minimalObject("batch", "Job", "j"));
    expect(await names(api, "batch/v1/jobs", "default", { fieldSelector: "status.successful=0" })).toEqual(["j"]);
  });

  it("pages with limit/continue over one consistent snapshot while writes happen", async () => {
    const { api } = await startTestServer();
    for (let i = 0; i < 10; i++) await api.mustCreate("configmaps", "default", makeConfigMap(`c${i}`));
    const first = expectCode(await api.list("configmaps", "default", { limit: "4" }), 200) as unknown as KubeList;
    expect(first.items.map((i) => i.metadata?.name)).toEqual(["c0", "c1", "c2", "c3"]);
    expect(first.metadata.remainingItemCount).toBe(6);
    const snapshotRv = first.metadata.resourceVersion;
    // Writes between pages: a delete, an update, a create.
    await api.delete("configmaps", "default", "c5");
    await api.patch("configmaps", "default", "c6", "merge", { data: { changed: "yes" } });
    await api.mustCreate("configmaps", "default", makeConfigMap("c55"));
    const seen = [...first.items];
    let token = first.metadata.continue;
    while (token !== undefined) {
      const page = expectCode(await api.list("configmaps", "default", { limit: "4", continue: token }), 200) as unknown as KubeList;
      expect(page.metadata.resourceVersion).toBe(snapshotRv);
      seen.push(...page.items);
      token = page.metadata.continue;
    }
    expect(seen.map((i) => i.metadata?.name)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"]);
    expect(seen.find((i) => i.metadata?.name === "c6")?.data).toEqual({});
  });

  it("keeps pages full when a selector filters, without remainingItemCount", async () => {
    const { api } = await startTestServer();
    for (let i = 0; i < 12; i++) await api.mustCreate("configmaps", "default", makeConfigMap(`c${String(i).padStart(2, "0")}`, {}, { even: String(i % 2 === 0) }));
    const page = expectCode(await api.list("configmaps", "default", { limit: "3", labelSelector: "even=true" }), 200) as unknown as KubeList;
    expect(page.items.map((i) => i.metadata?.name)).toEqual(["c00", "c02", "c04"]);
    expect(page.metadata.continue).toBeDefined();
    expect(page.metadata.remainingItemCount).toBeUndefined();
  });

  it("answers 410 Expired with a fresh continue token once the snapshot is compacted", async () => {
    const { api, server } = await startTestServer();
    for (let i = 0; i < 5; i++) await api.mustCreate("configmaps", "default", makeConfigMap(`c${i}`));
    const first = expectCode(await api.list("configmaps", "default", { limit: "2" }), 200) as unknown as KubeList;
    await api.mustCreate("configmaps", "default", makeConfigMap("later"));
    // Two compaction rounds: the second compacts to the revision seen by the first.
    await server.compactNow();
    await api.mustCreate("configmaps", "default", makeConfigMap("later2"));
    await server.compactNow();
    const res = await api.list("configmaps", "default", { limit: "2", continue: first.metadata.continue! });
    expect(res.code).toBe(410);
    const status = statusOf(res);
    expect(status.reason).toBe("Expired");
    expect(status.message).toBe(
      "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    );
    const fresh = status.metadata.continue as string;
    const rest = expectCode(await api.list("configmaps", "default", { limit: "10", continue: fresh }), 200) as unknown as KubeList;
    expect(rest.items.map((i) => i.metadata?.name)).toEqual(["c2", "c3", "c4", "later", "later2"]);
  });

  it("honours resourceVersion and resourceVersionMatch", async () => {
    const { api, server } = await startTestServer();
    const a = await api.mustCreate("configmaps", "default", makeConfigMap("a"));
    await api.mustCreate("configmaps", "default", makeConfigMap("b"));
    const rvA = a.metadata!.resourceVersion!;
    expect(await names(api, "configmaps", "default", { resourceVersion: rvA, resourceVersionMatch: "Exact" })).toEqual(["a"]);
    expect(await names(api, "configmaps", "default", { resourceVersion: rvA, resourceVersionMatch: "NotOlderThan" })).toEqual(["a", "b"]);
    expect(await names(api, "configmaps", "default", { resourceVersion: "0" })).toEqual(["a", "b"]);
    // Legacy: limit with a resourceVersion reads exactly that revision.
    expect(await names(api, "configmaps", "default", { resourceVersion: rvA, limit: "5" })).toEqual(["a"]);
    const future = await api.list("configmaps", "default", { resourceVersion: "999999", resourceVersionMatch: "NotOlderThan" });
    expect(statusOf(future)).toMatchObject({ code: 504, reason: "Timeout", details: { causes: [{ reason: "ResourceVersionTooLarge" }] } });
    const forbidden = await api.list("configmaps", "default", { resourceVersionMatch: "Exact" });
    expect(statusOf(forbidden)).toMatchObject({
      code: 422,
      message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    });
    expect(statusOf(await api.list("configmaps", "default", { resourceVersion: "abc" })).code).toBe(400);
    await server.compactNow();
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    await server.compactNow();
    const expired = await api.list("configmaps", "default", { resourceVersion: rvA, resourceVersionMatch: "Exact" });
    expect(statusOf(expired)).toMatchObject({ code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old." });
  });

  it("rejects invalid continue tokens with 400", async () => {
    const { api } = await startTestServer();
    const token = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
    for (const bad of ["!!!", token({ v: "meta.k8s.io/v1", rv: 5, start: "../kube-system/x" }), token({ v: "x", rv: 1, start: "a" }), token({ v: "meta.k8s.io/v1", rv: 0, start: "a" })]) {
      const res = await api.list("configmaps", "default", { limit: "1", continue: bad });
      expect(res.code, bad).toBe(400);
      expect(statusOf(res).message).toMatch(/^invalid continue token: continue key is not valid/);
    }
    const withRv = await api.list("configmaps", "default", { continue: token({ v: "meta.k8s.io/v1", rv: 5, start: "a" }), resourceVersion: "5" });
    expect(statusOf(withRv).message).toBe("specifying resource version is not allowed when using continue");
  });
});
