// HttpApiClient and SharedInformer end to end over real HTTP on 127.0.0.1, against the reference API
// server (HTTP layer + core + in-memory store) started in this process, through its kubeconfig.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type ResourceType, type WatchEvent } from "../../../spec/interfaces/api-client.ts";
import { type RunningApiServer, startApiServerProcess } from "../../apiserver/http/live/apiserver-process.ts";
import { RealClock } from "../../runtime/index.ts";
import { SharedInformer } from "../informer.ts";
import { HttpApiClient } from "./http.ts";

const configmaps: ResourceType = { group: "", version: "v1", resource: "configmaps" };
const deployments: ResourceType = { group: "apps", version: "v1", resource: "deployments" };

let dir: string;
let running: RunningApiServer;
let client: HttpApiClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plumbline-http-client-"));
  running = await startApiServerProcess({ store: "memory", listen: "127.0.0.1:0", kubeconfigOut: join(dir, "kubeconfig"), log: () => undefined });
  client = await HttpApiClient.fromKubeconfig(join(dir, "kubeconfig"));
});
afterAll(async () => {
  client?.close();
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });

describe("HttpApiClient against the reference API server", () => {
  it("does CRUD over the real REST paths and gets upstream's errors", async () => {
    const created = await client.create(configmaps, "default", cm("http-crud", { a: "1" }));
    expect(created.metadata?.uid).toBeDefined();
    const patched = await client.patch(configmaps, "default", "http-crud", "strategic", { data: { b: "2" } });
    expect(patched.data).toEqual({ a: "1", b: "2" });
    const stale = await client.update(configmaps, "default", created).catch((e: unknown) => e);
    expect((stale as ApiError).status).toMatchObject({ code: 409, reason: "Conflict" });
    await client.delete(configmaps, "default", "http-crud");
    const gone = await client.get(configmaps, "default", "http-crud").catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiError);
    expect((gone as ApiError).message).toBe('configmaps "http-crud" not found');

    const d = await client.create<KubeObject>(deployments, "default", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
    });
    expect(d.metadata?.generation).toBe(1);
    const scale = await client.getSubresource(deployments, "default", "web", "scale");
    expect(scale).toMatchObject({ kind: "Scale", spec: { replicas: 1 } });
  });

  it("watches a stream of events", async () => {
    const list = await client.list(configmaps, "default");
    const events: WatchEvent[] = [];
    const w = client.watch(configmaps, "default", { resourceVersion: list.metadata.resourceVersion! }, { onEvent: (e) => events.push(e), onClose: () => undefined });
    await client.create(configmaps, "default", cm("w1", {}));
    await client.delete(configmaps, "default", "w1");
    for (let i = 0; i < 200 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    w.stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED w1", "DELETED w1"]);
  });

  it("feeds an informer in wall time", async () => {
    await client.create(configmaps, "default", cm("inf-a", {}));
    const informer = new SharedInformer({ client, clock: new RealClock(), type: configmaps, namespace: "default" });
    const added: string[] = [];
    informer.addEventHandler({ onAdd: (o) => added.push(o.metadata?.name ?? "") });
    informer.start();
    await informer.waitForSync();
    expect(added).toContain("inf-a");
    await client.create(configmaps, "default", cm("inf-b", {}));
    for (let i = 0; i < 200 && !added.includes("inf-b"); i++) await new Promise((r) => setTimeout(r, 10));
    informer.stop();
    expect(informer.get("default", "inf-b")?.metadata?.name).toBe("inf-b");
  });
});
