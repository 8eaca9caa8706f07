import { describe, expect, it } from "vitest";
import type { Status } from "../../../spec/interfaces/api-client.ts";
import type { WatchResponse } from "../request.ts";
import { expectCode, makeConfigMap, makePod, startTestServer, statusOf } from "../testing.ts";

function isStream(res: unknown): res is WatchResponse {
  return typeof (res as WatchResponse).stop === "function";
}

describe("watch", () => {
  it("from a resourceVersion sends every later change in order, DELETED carrying the last state", async () => {
    const { api, sim } = await startTestServer();
    const a = await api.mustCreate("configmaps", "default", makeConfigMap("a", { v: "1" }));
    const { sink, res } = api.watch("configmaps", "default", { resourceVersion: a.metadata!.resourceVersion! });
    expect(isStream(res)).toBe(true);
    await api.patch("configmaps", "default", "a", "merge", { data: { v: "2" } });
    await api.mustCreate("configmaps", "default", makeConfigMap("b"));
    expectCode(await api.delete("configmaps", "default", "a"), 200);
    await sim.settle();
    expect(sink.summary()).toEqual(["MODIFIED a", "ADDED b", "DELETED a"]);
    const deleted = sink.events[2]!.object;
    expect(deleted.data).toEqual({ v: "2" });
    expect(Number(deleted.metadata?.resourceVersion)).toBeGreaterThan(Number(sink.events[1]!.object.metadata?.resourceVersion));
    expect(deleted.kind).toBe("ConfigMap");
  });

  it("without a resourceVersion (or \"0\") first sends the current state as ADDED", async () => {
    const { api, sim } = await startTestServer();
    await api.mustCreate("configmaps", "default", makeConfigMap("a"));
    await api.mustCreate("configmaps", "default", makeConfigMap("b"));
    const queries: Record<string, string>[] = [{}, { resourceVersion: "0" }];
    for (const query of queries) {
      const { sink } = api.watch("configmaps", "default", query);
      await sim.settle();
      expect(sink.summary()).toEqual(["ADDED a", "ADDED b"]);
    }
    const { sink } = api.watch("configmaps", "default");
    await sim.settle();
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    await sim.settle();
    expect(sink.summary()).toEqual(["ADDED a", "ADDED b", "ADDED c"]);
  });

  it("resumes from any seen resourceVersion without gaps or duplicates", async () => {
    const { api, sim } = await startTestServer();
    const { sink: full } = api.watch("configmaps", "default", { resourceVersion: "1" });
    for (let i = 0; i < 30; i++) {
      if (i % 3 === 2) await api.delete("configmaps", "default", `c${i - 1}`);
      else await api.mustCreate("configmaps", "default", makeConfigMap(`c${i}`));
    }
    await sim.settle();
    const revisions = full.events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);
    expect(new Set(revisions).size).toBe(revisions.length);
    for (const cut of [0, 5, 11, 19]) {
      const from = full.events[cut]!.object.metadata!.resourceVersion!;
      const { sink } = api.watch("configmaps", "default", { resourceVersion: from });
      await sim.settle();
      expect(sink.events.map((e) => e.object.metadata?.resourceVersion)).toEqual(full.events.slice(cut + 1).map((e) => e.object.metadata?.resourceVersion));
    }
  });

  it("turns selector transitions into ADDED and DELETED", async () => {
    const { api, sim } = await startTestServer();
    const p = await api.mustCreate("pods", "default", makePod("p", { labels: { app: "web" } }));
    const { sink } = api.watch("pods", "default", { resourceVersion: p.metadata!.resourceVersion!, labelSelector: "tier=front" });
    const { sink: byNode } = api.watch("pods", undefined, { resourceVersion: p.metadata!.resourceVersion!, fieldSelector: "spec.nodeName=n1" });
    await api.patch("pods", "default", "p", "merge", { metadata: { labels: { tier: "front" } } });
    await api.patch("pods", "default", "p", "merge", { metadata: { labels: { tier: "front", x: "1" } } });
    await api.patch("pods", "default", "p", "merge", { metadata: { labels: { tier: "back" } } });
    await api.request("create", "pods", { namespace: "default", name: "p", subresource: "binding", body: { apiVersion: "v1", kind: "Binding", metadata: { name: "p" }, target: { kind: "Node", name: "n1" } } });
    await sim.settle();
    expect(sink.summary()).toEqual(["ADDED p", "MODIFIED p", "DELETED p"]);
    expect(sink.events[2]!.object.metadata?.labels).toEqual({ app: "web", tier: "front", x: "1" });
    expect(byNode.summary()).toEqual(["ADDED p"]);
  });

  it("sends BOOKMARKs with only kind, apiVersion and resourceVersion, about every minute", async () => {
    const { api, sim } = await startTestServer();
    const { sink } = api.watch("configmaps", "default", { allowWatchBookmarks: "true" });
    await sim.settle();
    const c = await api.mustCreate("configmaps", "kube-system", makeConfigMap("elsewhere"));
    await sim.runFor(61_000);
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toEqual({ type: "BOOKMARK", object: { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: c.metadata!.resourceVersion } } });
    const { sink: none } = api.watch("configmaps", "default", {});
    await sim.runFor(120_000);
    expect(none.events).toEqual([]);
  });

  it("with sendInitialEvents ends the initial state with an annotated BOOKMARK", async () => {
    const { api, sim } = await startTestServer();
    const a = await api.mustCreate("configmaps", "default", makeConfigMap("a"));
    const { sink } = api.watch("configmaps", "default", { sendInitialEvents: "true", resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: "true" });
    await sim.settle();
    expect(sink.summary()).toEqual(["ADDED a", `BOOKMARK ${a.metadata!.resourceVersion}`]);
    expect(sink.events[1]!.object.metadata?.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
    const invalid = api.watch("configmaps", "default", { sendInitialEvents: "true" }).res;
    expect(isStream(invalid)).toBe(false);
    expect(statusOf(invalid as { code: number; body: Status })).toMatchObject({ code: 422 });
  });

  it("closes after timeoutSeconds of virtual time", async () => {
    const { api, sim, server } = await startTestServer();
    const { sink } = api.watch("configmaps", "default", { timeoutSeconds: "30" });
    await sim.runFor(29_000);
    expect(sink.closed).toBe(false);
    await sim.runFor(1_000);
    expect(sink.closed).toBe(true);
    expect(server.activeWatches).toBe(0);
  });

  it("without timeoutSeconds ends after 1–2× the minimum request timeout, as upstream spreads reconnects", async () => {
    const { api, sim } = await startTestServer({ minRequestTimeoutMs: 60_000 });
    const { sink } = api.watch("configmaps", "default");
    await sim.runFor(59_000);
    expect(sink.closed).toBe(false);
    await sim.runFor(61_000);
    expect(sink.closed).toBe(true);
  });

  it("from a compacted resourceVersion sends one 410 ERROR event and closes", async () => {
    const { api, sim, server } = await startTestServer();
    const a = await api.mustCreate("configmaps", "default", makeConfigMap("a"));
    await api.mustCreate("configmaps", "default", makeConfigMap("b"));
    await server.compactNow();
    await api.mustCreate("configmaps", "default", makeConfigMap("c"));
    await server.compactNow();
    const { sink } = api.watch("configmaps", "default", { resourceVersion: a.metadata!.resourceVersion! });
    await sim.settle();
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]!.type).toBe("ERROR");
    const status = sink.events[0]!.object as unknown as Status;
    expect(status).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    expect(status.message).toMatch(new RegExp(`^too old resource version: ${a.metadata!.resourceVersion} \\(\\d+\\)$`));
    expect(sink.closed).toBe(true);
  });

  it("stops on request and on server stop", async () => {
    const { api, sim, server } = await startTestServer();
    const first = api.watch("configmaps", "default");
    const second = api.watch("pods", undefined);
    await sim.settle();
    (first.res as WatchResponse).stop();
    expect(first.sink.closed).toBe(true);
    await server.stop();
    expect(second.sink.closed).toBe(true);
    await api.mustCreate("configmaps", "default", makeConfigMap("late"));
    await sim.settle();
    expect(first.sink.events).toEqual([]);
  });

  it("refuses bad requests synchronously with a Status", async () => {
    const { api } = await startTestServer();
    const queries: Record<string, string>[] = [{ labelSelector: "a in (" }, { resourceVersion: "x" }, { fieldSelector: "spec.nope=1" }, { timeoutSeconds: "soon" }];
    for (const query of queries) {
      const { res } = api.watch("pods", "default", query);
      expect(isStream(res), JSON.stringify(query)).toBe(false);
      expect((res as { code: number }).code).toBe(400);
    }
  });
});
