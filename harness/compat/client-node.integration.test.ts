// The official JavaScript client, @kubernetes/client-node 1.4.0, against a live reference API server
// (TLS when openssl is there; the library sends its bearer token over plain HTTP too): CRUD of
// ConfigMaps, Pods and a Deployment with the returned objects checked, a 409 surfacing as the
// library's ApiException carrying our Status, list + Watch, and an informer that converges.
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
  type V1Pod,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServerProcess, startApiServer } from "../targets/live/apiserver-process.ts";

const NS = "client-node";

let server: ApiServerProcess;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  server = await startApiServer();
  kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(async () => {
  await server?.stop();
});

/** Polls `check` until it returns true (a bounded wait for asynchronous delivery, not a timing assertion). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The Status body an ApiException carries (the library keeps the body as text). */
function statusOf(err: unknown): Record<string, unknown> {
  if (!(err instanceof ApiException)) throw new Error(`expected an ApiException, got ${String(err)}`, { cause: err });
  const body: unknown = err.body;
  return (typeof body === "string" ? JSON.parse(body) : body) as Record<string, unknown>;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

const pod = (name: string, labels: Record<string, string>): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
});

describe("@kubernetes/client-node 1.4.0 against the reference API server", () => {
  it("creates, reads, lists by label, patches, replaces and deletes ConfigMaps", async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: "settings", labels: { tier: "web" } }, data: { mode: "fast" } },
    });
    expect(created.metadata?.name).toBe("settings");
    expect(created.metadata?.namespace).toBe(NS);
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.data).toEqual({ mode: "fast" });
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "other", labels: { tier: "db" } }, data: { a: "1" } } });

    const read = await core.readNamespacedConfigMap({ name: "settings", namespace: NS });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    expect(read.data).toEqual({ mode: "fast" });

    const web = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: "tier=web" });
    expect(web.items.map((c) => c.metadata?.name)).toEqual(["settings"]);
    expect(web.metadata?.resourceVersion).toMatch(/^\d+$/);
    const notWeb = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: "tier notin (web)" });
    expect(notWeb.items.map((c) => c.metadata?.name)).toEqual(["other"]);

    // The library sends patches as JSON patch unless told otherwise.
    const jsonPatched = await core.patchNamespacedConfigMap({ name: "settings", namespace: NS, body: [{ op: "add", path: "/data/size", value: "big" }] });
    expect(jsonPatched.data).toEqual({ mode: "fast", size: "big" });
    const merged = await core.patchNamespacedConfigMap(
      { name: "settings", namespace: NS, body: { data: { mode: null, color: "blue" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ size: "big", color: "blue" });
    expect(Number(merged.metadata?.resourceVersion)).toBeGreaterThan(Number(jsonPatched.metadata?.resourceVersion));

    const replaced = await core.replaceNamespacedConfigMap({ name: "settings", namespace: NS, body: { ...merged, data: { only: "this" } } });
    expect(replaced.data).toEqual({ only: "this" });
    expect(replaced.metadata?.uid).toBe(created.metadata?.uid);

    const deleted = await core.deleteNamespacedConfigMap({ name: "settings", namespace: NS });
    expect(deleted.status).toBe("Success");
    const gone = statusOf(await rejection(core.readNamespacedConfigMap({ name: "settings", namespace: NS })));
    expect(gone).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", code: 404, message: 'configmaps "settings" not found' });
    expect(gone.details).toMatchObject({ name: "settings", kind: "configmaps" });
    await core.deleteNamespacedConfigMap({ name: "other", namespace: NS });
  });

  it("surfaces a 409 conflict (stale resourceVersion) and AlreadyExists as ApiException with our Status", async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "contended" }, data: { v: "1" } } });
    await core.replaceNamespacedConfigMap({ name: "contended", namespace: NS, body: { ...cm, data: { v: "2" } } });
    // The first write moved the resourceVersion on: replacing with the old one conflicts.
    const err = await rejection(core.replaceNamespacedConfigMap({ name: "contended", namespace: NS, body: { ...cm, data: { v: "3" } } }));
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(409);
    expect(statusOf(err)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'Operation cannot be fulfilled on configmaps "contended": the object has been modified; please apply your changes to the latest version and try again',
      reason: "Conflict",
      details: { name: "contended", kind: "configmaps" },
      code: 409,
    });

    const exists = await rejection(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "contended" } } }));
    expect((exists as ApiException<unknown>).code).toBe(409);
    expect(statusOf(exists)).toMatchObject({ reason: "AlreadyExists", message: 'configmaps "contended" already exists', code: 409 });
    expect((await core.readNamespacedConfigMap({ name: "contended", namespace: NS })).data).toEqual({ v: "2" });
  });

  it("creates Pods with server defaults, lists them by label, patches and replaces them, and deletes them", async () => {
    const created = await core.createNamespacedPod({ namespace: NS, body: pod("crud-a", { app: "crud", role: "a" }) });
    expect(created.metadata?.name).toBe("crud-a");
    // Defaults as upstream applies them.
    expect(created.spec?.restartPolicy).toBe("Always");
    expect(created.spec?.dnsPolicy).toBe("ClusterFirst");
    expect(created.spec?.terminationGracePeriodSeconds).toBe(30);
    expect(created.spec?.schedulerName).toBe("default-scheduler");
    expect(created.spec?.containers[0]?.imagePullPolicy).toBe("IfNotPresent");
    expect(created.spec?.containers[0]?.ports?.[0]).toEqual({ containerPort: 80, protocol: "TCP" });
    expect(created.status?.phase).toBe("Pending");
    await core.createNamespacedPod({ namespace: NS, body: pod("crud-b", { app: "crud", role: "b" }) });

    const all = await core.listNamespacedPod({ namespace: NS, labelSelector: "app=crud" });
    expect(all.items.map((p) => p.metadata?.name).sort()).toEqual(["crud-a", "crud-b"]);
    const onlyB = await core.listNamespacedPod({ namespace: NS, labelSelector: "app=crud,role!=a" });
    expect(onlyB.items.map((p) => p.metadata?.name)).toEqual(["crud-b"]);
    const byName = await core.listNamespacedPod({ namespace: NS, fieldSelector: "metadata.name=crud-a" });
    expect(byName.items.map((p) => p.metadata?.name)).toEqual(["crud-a"]);

    // Strategic merge: containers merge by name, so the image changes and the container stays.
    const patched = await core.patchNamespacedPod(
      { name: "crud-a", namespace: NS, body: { metadata: { labels: { patched: "yes" } }, spec: { containers: [{ name: "app", image: "nginx:1.28" }] } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ app: "crud", role: "a", patched: "yes" });
    expect(patched.spec?.containers.map((c) => [c.name, c.image])).toEqual([["app", "nginx:1.28"]]);

    const replaced = await core.replaceNamespacedPod({ name: "crud-a", namespace: NS, body: { ...patched, metadata: { ...patched.metadata, annotations: { note: "replaced" } } } });
    expect(replaced.metadata?.annotations).toEqual({ note: "replaced" });

    // Pod spec is immutable apart from a few fields: a 422 with field causes.
    const invalid = await rejection(
      core.replaceNamespacedPod({ name: "crud-a", namespace: NS, body: { ...replaced, spec: { ...replaced.spec!, restartPolicy: "Never" } } }),
    );
    expect((invalid as ApiException<unknown>).code).toBe(422);
    expect(statusOf(invalid)).toMatchObject({ kind: "Status", reason: "Invalid", code: 422 });

    // An unscheduled pod goes at once, as upstream: its grace period drops to 0.
    const immediate = (await core.deleteNamespacedPod({ name: "crud-a", namespace: NS })) as V1Pod;
    expect(immediate.metadata?.name).toBe("crud-a");
    expect(immediate.metadata?.deletionGracePeriodSeconds).toBe(0);
    expect(statusOf(await rejection(core.readNamespacedPod({ name: "crud-a", namespace: NS })))).toMatchObject({ reason: "NotFound", code: 404 });

    // A pod bound to a node is deleted gracefully: it waits for its kubelet (none here) for 30 s.
    await core.createNamespacedPod({ namespace: NS, body: { ...pod("crud-c", { app: "crud", role: "c" }), spec: { ...pod("", {}).spec!, nodeName: "node-1" } } });
    const deleting = (await core.deleteNamespacedPod({ name: "crud-c", namespace: NS })) as V1Pod;
    expect(deleting.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(deleting.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect((await core.readNamespacedPod({ name: "crud-c", namespace: NS })).metadata?.deletionGracePeriodSeconds).toBe(30);
    // A shorter grace period (0: force) finishes it.
    await core.deleteNamespacedPod({ name: "crud-c", namespace: NS, gracePeriodSeconds: 0 });
    await core.deleteNamespacedPod({ name: "crud-b", namespace: NS, gracePeriodSeconds: 0 });
    expect((await core.listNamespacedPod({ namespace: NS, labelSelector: "app=crud" })).items).toEqual([]);
  });

  it("creates, scales, patches, replaces and deletes a Deployment", async () => {
    const body: V1Deployment = {
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace: NS, body });
    expect(created.apiVersion).toBe("apps/v1");
    expect(created.kind).toBe("Deployment");
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.replicas).toBe(2);
    expect(created.spec?.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    expect(created.spec?.revisionHistoryLimit).toBe(10);
    expect(created.spec?.progressDeadlineSeconds).toBe(600);

    const listed = await apps.listNamespacedDeployment({ namespace: NS, labelSelector: "app in (web, api)" });
    expect(listed.items.map((d) => d.metadata?.name)).toEqual(["web"]);

    const scale = await apps.readNamespacedDeploymentScale({ name: "web", namespace: NS });
    expect(scale.spec?.replicas).toBe(2);
    const scaled = await apps.replaceNamespacedDeploymentScale({ name: "web", namespace: NS, body: { ...scale, spec: { replicas: 5 } } });
    expect(scaled.spec?.replicas).toBe(5);

    const patched = await apps.patchNamespacedDeployment(
      { name: "web", namespace: NS, body: { spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.28" }] } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.replicas).toBe(5);
    expect(patched.spec?.template.spec?.containers[0]?.image).toBe("nginx:1.28");
    // A template change is a spec change: the generation moves on (scale moved it too).
    expect(patched.metadata?.generation).toBe(3);

    const replaced = await apps.replaceNamespacedDeployment({ name: "web", namespace: NS, body: { ...patched, metadata: { ...patched.metadata, labels: { app: "web", v: "2" } } } });
    expect(replaced.metadata?.labels).toEqual({ app: "web", v: "2" });
    expect(replaced.metadata?.generation).toBe(3);

    // The selector is immutable in apps/v1.
    const immutable = await rejection(
      apps.replaceNamespacedDeployment({ name: "web", namespace: NS, body: { ...replaced, spec: { ...replaced.spec!, selector: { matchLabels: { app: "other" } } } } }),
    );
    expect(statusOf(immutable)).toMatchObject({ reason: "Invalid", code: 422 });

    await apps.deleteNamespacedDeployment({ name: "web", namespace: NS, propagationPolicy: "Background" });
    const gone = statusOf(await rejection(apps.readNamespacedDeployment({ name: "web", namespace: NS })));
    expect(gone).toMatchObject({ reason: "NotFound", code: 404, details: { name: "web", group: "apps", kind: "deployments" } });
  });

  it("lists, then watches pods from the list's resourceVersion: ADDED, MODIFIED, DELETED", async () => {
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: "app=watched" });
    expect(list.items).toEqual([]);
    const events: string[] = [];
    let ended: unknown = "open";
    const watch = new Watch(kc);
    const controller = await watch.watch(
      `/api/v1/namespaces/${NS}/pods`,
      { labelSelector: "app=watched", resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (phase, obj: V1Pod) => {
        if (phase !== "BOOKMARK") events.push(`${phase} ${obj.metadata?.name} ${obj.metadata?.labels?.step ?? "-"}${obj.metadata?.deletionTimestamp === undefined ? "" : " terminating"}`);
      },
      (err: unknown) => (ended = err),
    );
    try {
      // Not matched by the selector: never seen.
      await core.createNamespacedPod({ namespace: NS, body: pod("ignored", { app: "other" }) });
      await core.createNamespacedPod({ namespace: NS, body: pod("w1", { app: "watched", step: "1" }) });
      await core.patchNamespacedPod(
        { name: "w1", namespace: NS, body: { metadata: { labels: { step: "2" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedPod({ name: "w1", namespace: NS, gracePeriodSeconds: 0 });
      await eventually("four watch events", () => events.length >= 4);
      // As upstream, a pod's deletion first writes its deletionTimestamp (even with grace 0): MODIFIED, then DELETED.
      expect(events).toEqual(["ADDED w1 1", "MODIFIED w1 2", "MODIFIED w1 2 terminating", "DELETED w1 2 terminating"]);
      expect(ended).toBe("open");
    } finally {
      controller.abort();
    }
    await core.deleteNamespacedPod({ name: "ignored", namespace: NS, gracePeriodSeconds: 0 });
  });

  it("runs an informer whose cache converges to the server's state after a series of writes", async () => {
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    // Objects that exist before the informer starts arrive through its initial list.
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "inf-0", labels: { set: "inf" } }, data: { n: "0" } } });
    const informer = makeInformer<V1ConfigMap>(kc, path, () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: "set=inf" }), "set=inf");
    const seen: string[] = [];
    informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update ${o.metadata?.name}`));
    informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
    const errors: unknown[] = [];
    informer.on("error", (err) => errors.push(err));
    await informer.start();
    try {
      for (let i = 1; i <= 6; i++) {
        await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: `inf-${i}`, labels: { set: "inf" } }, data: { n: String(i) } } });
      }
      for (const i of [1, 2, 3]) {
        await core.patchNamespacedConfigMap(
          { name: `inf-${i}`, namespace: NS, body: { data: { n: `${i}-updated` } } },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        );
      }
      await core.deleteNamespacedConfigMap({ name: "inf-0", namespace: NS });
      await core.deleteNamespacedConfigMap({ name: "inf-4", namespace: NS });
      // Relabelled out of the selector: the informer sees it leave.
      await core.patchNamespacedConfigMap(
        { name: "inf-5", namespace: NS, body: { metadata: { labels: { set: "gone" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );

      const truth = async (): Promise<string[]> =>
        (await core.listNamespacedConfigMap({ namespace: NS, labelSelector: "set=inf" })).items.map((c) => `${c.metadata?.name}@${c.metadata?.resourceVersion}`).sort();
      const cached = (): string[] => informer.list(NS).map((c) => `${c.metadata?.name}@${c.metadata?.resourceVersion}`).sort();
      const expected = await truth();
      expect(expected.map((s) => s.split("@")[0])).toEqual(["inf-1", "inf-2", "inf-3", "inf-6"]);
      await eventually("the informer cache to converge", () => JSON.stringify(cached()) === JSON.stringify(expected));
      expect(informer.get("inf-2", NS)?.data).toEqual({ n: "2-updated" });
      expect(informer.get("inf-4", NS)).toBeUndefined();
      await eventually("the delete handlers", () => seen.includes("delete inf-5"));
      expect(seen).toContain("add inf-0");
      expect(seen).toContain("add inf-6");
      expect(seen).toContain("update inf-1");
      expect(seen).toContain("delete inf-0");
      expect(seen).toContain("delete inf-4");
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
