// Real kubectl 1.32 against a live reference API server, on the reference store and on real etcd
// 3.4: every command checked by what it prints (tables read by their columns, -o json/yaml parsed),
// not only by its exit status. No controllers run, so nothing reconciles: deployments stay at 0
// ready, deletions with finalizers stay pending. A smoke subset runs with kubectl 1.27 and 1.33.
import { describe, expect, it, type TestContext } from "vitest";
import { parse as parseYaml } from "yaml";
import { findKubectl } from "../targets/live/apiserver-process.ts";
import type { StoreBackendName } from "../targets/store/backends.ts";
import { REQUIRE_REAL, kubectlMissing, parseTable, rowNamed, startKubectlWatch, useKubectlServer } from "./live/kubectl.ts";

type Json = Record<string, unknown>;

const pod = (ns: string, name: string, labels: Record<string, string>, nodeName?: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${JSON.stringify(labels)}
spec:
  ${nodeName === undefined ? "" : `nodeName: ${nodeName}`}
  containers:
  - name: app
    image: nginx:1.25
`;

const configMap = (ns: string, name: string, data: Record<string, string>): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
data: ${JSON.stringify(data)}
`;

const backends: { name: string; backend: StoreBackendName }[] = [
  { name: "the reference store", backend: "reference-grpc" },
  { name: "etcd 3.4", backend: "etcd-process" },
];

describe.each(backends)("kubectl 1.32 on $name", ({ backend }) => {
  const k = useKubectlServer(backend);
  const ns = async (ctx: TestContext, name: string): Promise<void> => {
    expect(await k.ok(ctx, ["create", "namespace", name])).toBe(`namespace/${name} created\n`);
  };

  it("version shows the server version", async (ctx) => {
    const out = await k.ok(ctx, ["version"]);
    expect(out).toMatch(/^Client Version: v1\.32\./m);
    expect(out).toMatch(/^Server Version: v1\.\d+\.\d+\S*$/m);
  });

  it("api-versions and api-resources list what is served", async (ctx) => {
    const versions = (await k.ok(ctx, ["api-versions"])).trim().split("\n");
    expect(versions).toEqual(expect.arrayContaining(["v1", "apps/v1", "batch/v1", "policy/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "scheduling.k8s.io/v1"]));
    const rows = parseTable(await k.ok(ctx, ["api-resources"]));
    const byName = (name: string, apiVersion: string) => rows.find((r) => r.NAME === name && r.APIVERSION === apiVersion);
    expect(byName("pods", "v1")).toEqual({ NAME: "pods", SHORTNAMES: "po", APIVERSION: "v1", NAMESPACED: "true", KIND: "Pod" });
    expect(byName("nodes", "v1")).toEqual({ NAME: "nodes", SHORTNAMES: "no", APIVERSION: "v1", NAMESPACED: "false", KIND: "Node" });
    expect(byName("deployments", "apps/v1")).toEqual({ NAME: "deployments", SHORTNAMES: "deploy", APIVERSION: "apps/v1", NAMESPACED: "true", KIND: "Deployment" });
    expect(byName("secrets", "v1")).toEqual({ NAME: "secrets", SHORTNAMES: "", APIVERSION: "v1", NAMESPACED: "true", KIND: "Secret" });
    expect(byName("priorityclasses", "scheduling.k8s.io/v1")).toMatchObject({ SHORTNAMES: "pc", NAMESPACED: "false", KIND: "PriorityClass" });
  });

  it("the `kubernetes` service is bootstrapped at the first service IP", async (ctx) => {
    const row = rowNamed(await k.ok(ctx, ["get", "services", "-n", "default"]), "kubernetes");
    expect(row).toMatchObject({ TYPE: "ClusterIP", "CLUSTER-IP": "10.96.0.1", "EXTERNAL-IP": "<none>", "PORT(S)": "443/TCP" });
  });

  it("apply -f (client-side): created, configured, unchanged", async (ctx) => {
    await ns(ctx, "csa");
    expect(await k.ok(ctx, ["apply", "-f", "-"], { input: configMap("csa", "app", { color: "blue" }) })).toBe("configmap/app created\n");
    expect(await k.ok(ctx, ["apply", "-f", "-"], { input: configMap("csa", "app", { color: "red" }) })).toBe("configmap/app configured\n");
    expect(await k.ok(ctx, ["apply", "-f", "-"], { input: configMap("csa", "app", { color: "red" }) })).toBe("configmap/app unchanged\n");
    const cm = JSON.parse(await k.ok(ctx, ["get", "configmap", "app", "-n", "csa", "-o", "json"])) as { data: Json; metadata: { annotations: Record<string, string> } };
    expect(cm.data).toEqual({ color: "red" });
    expect(JSON.parse(cm.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? "{}")).toMatchObject({ data: { color: "red" } });
  });

  it("apply --server-side: owner kubectl, a conflict with upstream's text, --force-conflicts", async (ctx) => {
    await ns(ctx, "ssa");
    expect(await k.ok(ctx, ["apply", "--server-side", "-f", "-"], { input: configMap("ssa", "cfg", { key: "one" }) })).toBe("configmap/cfg serverside-applied\n");
    const managers = await k.ok(ctx, ["get", "configmap", "cfg", "-n", "ssa", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}"]);
    expect(managers.trim()).toBe("kubectl/Apply");
    const conflict = await k.fails(ctx, ["apply", "--server-side", "--field-manager=other", "-f", "-"], { input: configMap("ssa", "cfg", { key: "two" }) });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('error: Apply failed with 1 conflict: conflict with "kubectl": .data.key');
    expect(conflict.stderr).toContain("--force-conflicts");
    expect(await k.ok(ctx, ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], { input: configMap("ssa", "cfg", { key: "two" }) })).toBe(
      "configmap/cfg serverside-applied\n",
    );
    const after = await k.ok(ctx, ["get", "configmap", "cfg", "-n", "ssa", "-o", "jsonpath={.data.key} {.metadata.managedFields[*].manager}"]);
    expect(after).toBe("two other");
  });

  it("create deployment, namespace and configmap --from-literal", async (ctx) => {
    await ns(ctx, "create");
    expect(await k.ok(ctx, ["create", "deployment", "web", "--image=nginx:1.25", "-n", "create"])).toBe("deployment.apps/web created\n");
    expect(await k.ok(ctx, ["create", "configmap", "cfg", "--from-literal=a=1", "--from-literal=b=two", "-n", "create"])).toBe("configmap/cfg created\n");
    const cm = parseYaml(await k.ok(ctx, ["get", "configmap", "cfg", "-n", "create", "-o", "yaml"])) as { data: Json };
    expect(cm.data).toEqual({ a: "1", b: "two" });
    const deploy = JSON.parse(await k.ok(ctx, ["get", "deployment", "web", "-n", "create", "-o", "json"])) as { spec: Json };
    expect(deploy.spec).toMatchObject({
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: { spec: { containers: [{ name: "nginx", image: "nginx:1.25" }] } },
    });
    expect(rowNamed(await k.ok(ctx, ["get", "namespaces"]), "create")).toMatchObject({ STATUS: "Active" });
    expect((await k.fails(ctx, ["create", "namespace", "create"])).stderr).toContain('Error from server (AlreadyExists): namespaces "create" already exists');
  });

  it("get: tables, -o wide/yaml/json/jsonpath/name, -l, --field-selector, -A", async (ctx) => {
    await ns(ctx, "get");
    await k.ok(ctx, ["apply", "-f", "-"], { input: [pod("get", "web", { app: "web", tier: "front" }), pod("get", "db", { app: "db", tier: "back" }, "node-a")].join("---\n") });
    await k.ok(ctx, ["patch", "pod", "db", "-n", "get", "--subresource=status", "--type=merge", "-p", '{"status":{"phase":"Running","podIP":"10.244.0.7"}}']);

    const table = await k.ok(ctx, ["get", "pods", "-n", "get"]);
    expect(table.split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(rowNamed(table, "web")).toMatchObject({ READY: "0/1", STATUS: "Pending", RESTARTS: "0" });
    expect(rowNamed(table, "db")).toMatchObject({ READY: "0/1", STATUS: "Running" });
    const wide = await k.ok(ctx, ["get", "pods", "-n", "get", "-o", "wide"]);
    expect(wide.split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(rowNamed(wide, "db")).toMatchObject({ IP: "10.244.0.7", NODE: "node-a", "NOMINATED NODE": "<none>", "READINESS GATES": "<none>" });
    expect(rowNamed(wide, "web")).toMatchObject({ IP: "<none>", NODE: "<none>" });

    const yaml = parseYaml(await k.ok(ctx, ["get", "pod", "web", "-n", "get", "-o", "yaml"])) as { kind: string; metadata: Json; spec: Json };
    expect(yaml).toMatchObject({ kind: "Pod", metadata: { name: "web", namespace: "get", labels: { app: "web", tier: "front" } } });
    // Defaults and admission as upstream: restartPolicy, default service account, DefaultTolerationSeconds.
    expect(yaml.spec).toMatchObject({ restartPolicy: "Always", dnsPolicy: "ClusterFirst", serviceAccountName: "default", terminationGracePeriodSeconds: 30 });
    expect(yaml.spec.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    const list = JSON.parse(await k.ok(ctx, ["get", "pods", "-n", "get", "-o", "json"])) as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe("List");
    expect(list.items.map((p) => p.metadata.name).sort()).toEqual(["db", "web"]);
    expect(await k.ok(ctx, ["get", "pods", "-n", "get", "-o", "jsonpath={.items[*].metadata.name}"])).toBe("db web");
    expect(await k.ok(ctx, ["get", "pods", "-n", "get", "-o", "name"])).toBe("pod/db\npod/web\n");

    const names = async (args: string[]): Promise<string> => (await k.ok(ctx, ["get", "pods", "-n", "get", "-o", "name", ...args])).trim();
    expect(await names(["-l", "app=web"])).toBe("pod/web");
    expect(await names(["-l", "app!=web"])).toBe("pod/db");
    expect(await names(["-l", "tier in (back,middle)"])).toBe("pod/db");
    expect(await names(["-l", "app=web,tier=back"])).toBe("");
    expect(await names(["--field-selector", "status.phase=Pending"])).toBe("pod/web");
    expect(await names(["--field-selector", "metadata.name=db"])).toBe("pod/db");
    expect(await names(["--field-selector", "spec.nodeName=node-a"])).toBe("pod/db");
    const none = await k.server(ctx).kubectl(["get", "pods", "-n", "get", "-l", "app=nothing"]);
    expect(none.stderr).toContain("No resources found in get namespace.");

    const all = await k.ok(ctx, ["get", "pods", "-A"]);
    expect(all.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    expect(parseTable(all).filter((r) => r.NAMESPACE === "get").map((r) => r.NAME).sort()).toEqual(["db", "web"]);
  });

  it("get -w prints the current objects, then changes as they happen", async (ctx) => {
    await ns(ctx, "watch");
    await k.ok(ctx, ["apply", "-f", "-"], { input: pod("watch", "first", { app: "w" }) });
    const watch = await startKubectlWatch(k.server(ctx), ["get", "pods", "-n", "watch", "-w"]);
    try {
      expect(await watch.waitFor((l) => /^NAME\s+READY\s+STATUS/.test(l))).toBeTruthy();
      expect(await watch.waitFor((l) => l.startsWith("first "))).toMatch(/^first\s+0\/1\s+Pending\s+0\s+\S+$/);
      await k.ok(ctx, ["apply", "-f", "-"], { input: pod("watch", "second", { app: "w" }) });
      expect(await watch.waitFor((l) => l.startsWith("second "))).toMatch(/^second\s+0\/1\s+Pending\s+0\s+\S+$/);
      await k.ok(ctx, ["label", "pod", "second", "-n", "watch", "seen=yes"]);
      await watch.waitFor(() => watch.lines.filter((l) => l.startsWith("second ")).length >= 2);
    } finally {
      await watch.stop();
    }
  });

  it("describe pod and describe deployment show the key lines", async (ctx) => {
    await ns(ctx, "describe");
    await k.ok(ctx, ["apply", "-f", "-"], { input: pod("describe", "web", { app: "web" }, "node-a") });
    const d = await k.ok(ctx, ["describe", "pod", "web", "-n", "describe"]);
    expect(d).toMatch(/^Name:\s+web$/m);
    expect(d).toMatch(/^Namespace:\s+describe$/m);
    expect(d).toMatch(/^Service Account:\s+default$/m);
    expect(d).toMatch(/^Node:\s+node-a\/$/m);
    expect(d).toMatch(/^Labels:\s+app=web$/m);
    expect(d).toMatch(/^Status:\s+Pending$/m);
    expect(d).toMatch(/^ {4}Image:\s+nginx:1\.25$/m);
    expect(d).toMatch(/^QoS Class:\s+BestEffort$/m);
    expect(d).toMatch(/^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s$/m);
    expect(d).toMatch(/^Events:\s+<none>$/m);

    await k.ok(ctx, ["create", "deployment", "api", "--image=nginx:1.25", "--replicas=2", "-n", "describe"]);
    const dd = await k.ok(ctx, ["describe", "deployment", "api", "-n", "describe"]);
    expect(dd).toMatch(/^Name:\s+api$/m);
    expect(dd).toMatch(/^Selector:\s+app=api$/m);
    expect(dd).toMatch(/^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m);
    expect(dd).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(dd).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(dd).toMatch(/^Pod Template:$/m);
  });

  it("label and annotate: add, refuse without --overwrite, overwrite, remove", async (ctx) => {
    await ns(ctx, "label");
    await k.ok(ctx, ["apply", "-f", "-"], { input: pod("label", "p", { app: "p" }) });
    const labels = async (): Promise<string> => await k.ok(ctx, ["get", "pod", "p", "-n", "label", "-o", "jsonpath={.metadata.labels}"]);
    expect(await k.ok(ctx, ["label", "pod", "p", "-n", "label", "env=prod"])).toBe("pod/p labeled\n");
    expect(JSON.parse(await labels())).toEqual({ app: "p", env: "prod" });
    expect((await k.fails(ctx, ["label", "pod", "p", "-n", "label", "env=dev"])).stderr).toContain("'env' already has a value (prod), and --overwrite is false");
    expect(await k.ok(ctx, ["label", "pod", "p", "-n", "label", "env=dev", "--overwrite"])).toBe("pod/p labeled\n");
    expect(rowNamed(await k.ok(ctx, ["get", "pod", "p", "-n", "label", "--show-labels"]), "p").LABELS).toBe("app=p,env=dev");
    expect(await k.ok(ctx, ["label", "pod", "p", "-n", "label", "env-"])).toBe("pod/p unlabeled\n");
    expect(JSON.parse(await labels())).toEqual({ app: "p" });

    const note = async (): Promise<string> => await k.ok(ctx, ["get", "pod", "p", "-n", "label", "-o", "jsonpath={.metadata.annotations.note}"]);
    expect(await k.ok(ctx, ["annotate", "pod", "p", "-n", "label", "note=hello"])).toBe("pod/p annotated\n");
    expect(await note()).toBe("hello");
    expect((await k.fails(ctx, ["annotate", "pod", "p", "-n", "label", "note=bye"])).stderr).toContain("'note' already has a value (hello)");
    expect(await k.ok(ctx, ["annotate", "pod", "p", "-n", "label", "note=bye", "--overwrite"])).toBe("pod/p annotated\n");
    expect(await note()).toBe("bye");
    expect(await k.ok(ctx, ["annotate", "pod", "p", "-n", "label", "note-"])).toBe("pod/p annotated\n");
    expect(await note()).toBe("");
  });

  it("scale deployment: desired replicas change, none ready without controllers", async (ctx) => {
    await ns(ctx, "scale");
    await k.ok(ctx, ["create", "deployment", "web", "--image=nginx:1.25", "-n", "scale"]);
    expect(await k.ok(ctx, ["scale", "deployment", "web", "--replicas=3", "-n", "scale"])).toBe("deployment.apps/web scaled\n");
    expect(rowNamed(await k.ok(ctx, ["get", "deploy", "-n", "scale"]), "web")).toMatchObject({ READY: "0/3", "UP-TO-DATE": "0", AVAILABLE: "0" });
    expect(await k.ok(ctx, ["get", "deploy", "web", "-n", "scale", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"])).toBe("3 2");
  });

  it("patch --type strategic, merge and json", async (ctx) => {
    await ns(ctx, "patch");
    await k.ok(ctx, ["create", "deployment", "web", "--image=nginx:1.25", "-n", "patch"]);
    const get = (path: string): Promise<string> => k.ok(ctx, ["get", "deploy", "web", "-n", "patch", "-o", `jsonpath=${path}`]);
    // Strategic: containers merge by name, so the sidecar is added beside the existing container.
    const strategic = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}';
    expect(await k.ok(ctx, ["patch", "deployment", "web", "-n", "patch", "--type", "strategic", "-p", strategic])).toBe("deployment.apps/web patched\n");
    expect(await get("{.spec.template.spec.containers[*].name}")).toBe("sidecar nginx");
    // Merge: lists are replaced whole.
    const merge = '{"metadata":{"labels":{"team":"blue"}},"spec":{"template":{"spec":{"containers":[{"name":"only","image":"nginx:1.26"}]}}}}';
    expect(await k.ok(ctx, ["patch", "deployment", "web", "-n", "patch", "--type", "merge", "-p", merge])).toBe("deployment.apps/web patched\n");
    expect(await get("{.metadata.labels.team} {.spec.template.spec.containers[*].name}")).toBe("blue only");
    const json = '[{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/annotations","value":{"a":"b"}}]';
    expect(await k.ok(ctx, ["patch", "deployment", "web", "-n", "patch", "--type", "json", "-p", json])).toBe("deployment.apps/web patched\n");
    expect(await get("{.spec.replicas} {.metadata.annotations.a}")).toBe("4 b");
    expect(await k.ok(ctx, ["patch", "deployment", "web", "-n", "patch", "--type", "json", "-p", json])).toBe("deployment.apps/web patched (no change)\n");
    const bad = await k.fails(ctx, ["patch", "deployment", "web", "-n", "patch", "--type", "json", "-p", '[{"op":"test","path":"/spec/replicas","value":9}]']);
    // Refused as Invalid (422). The wording differs from upstream's (see the report): not checked.
    expect(bad.stderr).toMatch(/^The request is invalid: .*\/spec\/replicas/m);
    expect(await get("{.spec.replicas}")).toBe("4");
  });

  it("delete: cascade background/foreground/orphan, --wait=false Terminating, --grace-period=0 --force", async (ctx) => {
    await ns(ctx, "delete");
    for (const cascade of ["background", "foreground", "orphan"]) {
      await k.ok(ctx, ["create", "deployment", cascade, "--image=nginx:1.25", "-n", "delete"]);
      expect(await k.ok(ctx, ["delete", "deployment", cascade, "-n", "delete", `--cascade=${cascade}`, "--wait=false"])).toBe(`deployment.apps "${cascade}" deleted\n`);
    }
    // Background removes it now; foreground and orphan leave it with the GC's finalizer (no GC runs).
    const remaining = JSON.parse(await k.ok(ctx, ["get", "deployments", "-n", "delete", "-o", "json"])) as { items: { metadata: { name: string; finalizers?: string[]; deletionTimestamp?: string } }[] };
    expect(remaining.items.map((d) => [d.metadata.name, d.metadata.finalizers, d.metadata.deletionTimestamp !== undefined])).toEqual([
      ["foreground", ["foregroundDeletion"], true],
      ["orphan", ["orphan"], true],
    ]);

    await k.ok(ctx, ["apply", "-f", "-"], { input: [pod("delete", "bound", { app: "b" }, "node-a"), pod("delete", "unbound", { app: "u" })].join("---\n") });
    expect(await k.ok(ctx, ["delete", "pod", "bound", "-n", "delete", "--wait=false"])).toBe('pod "bound" deleted\n');
    expect(rowNamed(await k.ok(ctx, ["get", "pods", "-n", "delete"]), "bound").STATUS).toBe("Terminating");
    expect(await k.ok(ctx, ["get", "pod", "bound", "-n", "delete", "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"])).toBe("30");
    const forced = await k.server(ctx).kubectl(["delete", "pod", "bound", "-n", "delete", "--grace-period=0", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('pod "bound" force deleted\n');
    expect(forced.stderr).toContain("Immediate deletion does not wait for confirmation");
    // A pod never scheduled is removed at once, even with the default grace period.
    expect(await k.ok(ctx, ["delete", "pod", "unbound", "-n", "delete"])).toBe('pod "unbound" deleted\n');
    const left = await k.server(ctx).kubectl(["get", "pods", "-n", "delete"]);
    expect(left.stderr).toContain("No resources found in delete namespace.");
  });

  it("a NodePort taken by a service is refused to another, and free again once it is deleted", async (ctx) => {
    await ns(ctx, "svc");
    expect(await k.ok(ctx, ["create", "service", "nodeport", "a", "--tcp=80:8080", "--node-port=30777", "-n", "svc"])).toBe("service/a created\n");
    expect(rowNamed(await k.ok(ctx, ["get", "svc", "-n", "svc"]), "a")).toMatchObject({ TYPE: "NodePort", "PORT(S)": "80:30777/TCP" });
    const taken = await k.fails(ctx, ["create", "service", "nodeport", "b", "--tcp=80:8080", "--node-port=30777", "-n", "svc"]);
    expect(taken.stderr).toContain("provided port is already allocated");
    expect(await k.ok(ctx, ["delete", "service", "a", "-n", "svc"])).toBe('service "a" deleted\n');
    expect(await k.ok(ctx, ["create", "service", "nodeport", "b", "--tcp=80:8080", "--node-port=30777", "-n", "svc"])).toBe("service/b created\n");
  });

  it("cordon, uncordon and taint a node created from a manifest", async (ctx) => {
    const node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-1\n  labels: {kubernetes.io/hostname: worker-1}\n";
    expect(await k.ok(ctx, ["apply", "-f", "-"], { input: node })).toBe("node/worker-1 created\n");
    expect(rowNamed(await k.ok(ctx, ["get", "nodes"]), "worker-1")).toMatchObject({ STATUS: "Unknown", ROLES: "<none>" });
    expect(await k.ok(ctx, ["cordon", "worker-1"])).toBe("node/worker-1 cordoned\n");
    expect(rowNamed(await k.ok(ctx, ["get", "nodes"]), "worker-1").STATUS).toBe("Unknown,SchedulingDisabled");
    expect(await k.ok(ctx, ["cordon", "worker-1"])).toBe("node/worker-1 already cordoned\n");
    expect(await k.ok(ctx, ["uncordon", "worker-1"])).toBe("node/worker-1 uncordoned\n");
    expect(rowNamed(await k.ok(ctx, ["get", "nodes"]), "worker-1").STATUS).toBe("Unknown");

    expect(await k.ok(ctx, ["taint", "nodes", "worker-1", "dedicated=gpu:NoSchedule"])).toBe("node/worker-1 tainted\n");
    const taints = async (): Promise<string> => await k.ok(ctx, ["get", "node", "worker-1", "-o", "jsonpath={.spec.taints}"]);
    expect(JSON.parse(await taints())).toEqual([{ key: "dedicated", value: "gpu", effect: "NoSchedule" }]);
    expect(await k.ok(ctx, ["describe", "node", "worker-1"])).toMatch(/^Taints:\s+dedicated=gpu:NoSchedule$/m);
    expect(await k.ok(ctx, ["taint", "nodes", "worker-1", "dedicated-"])).toBe("node/worker-1 untainted\n");
    expect(await taints()).toBe("");
  });

  describe.each(["1.27", "1.33"])("smoke with kubectl %s", (version) => {
    const binary = findKubectl(version);
    const opts = (input?: string) => ({ ...(binary === undefined ? {} : { binary }), ...(input === undefined ? {} : { input }) });
    const need = (ctx: TestContext): void => {
      const missing = kubectlMissing(version);
      if (missing === undefined) return;
      if (REQUIRE_REAL) throw new Error(`${missing} (PLUMBLINE_REQUIRE_REAL=1: real components are required)`);
      ctx.skip(missing);
    };
    const space = `smoke-${version.replace(".", "-")}`;

    it("api-resources, apply, get and delete", async (ctx) => {
      need(ctx);
      expect(await k.ok(ctx, ["version"], opts())).toMatch(new RegExp(`^Client Version: .*v${version.replace(".", "\\.")}\\.`, "m"));
      const rows = parseTable(await k.ok(ctx, ["api-resources"], opts()));
      expect(rows.find((r) => r.NAME === "pods")).toEqual({ NAME: "pods", SHORTNAMES: "po", APIVERSION: "v1", NAMESPACED: "true", KIND: "Pod" });
      expect(await k.ok(ctx, ["create", "namespace", space], opts())).toBe(`namespace/${space} created\n`);
      expect(await k.ok(ctx, ["apply", "-f", "-"], opts(configMap(space, "cfg", { v: "1" })))).toBe("configmap/cfg created\n");
      expect(await k.ok(ctx, ["apply", "-f", "-"], opts(configMap(space, "cfg", { v: "2" })))).toBe("configmap/cfg configured\n");
      expect(await k.ok(ctx, ["apply", "-f", "-"], opts(pod(space, "web", { app: "web" })))).toBe("pod/web created\n");
      expect(rowNamed(await k.ok(ctx, ["get", "pods", "-n", space], opts()), "web")).toMatchObject({ READY: "0/1", STATUS: "Pending" });
      expect(await k.ok(ctx, ["get", "configmap", "cfg", "-n", space, "-o", "jsonpath={.data.v}"], opts())).toBe("2");
      // 1.33 names the namespace: `pod "web" deleted from <ns> namespace`.
      expect(await k.ok(ctx, ["delete", "pod", "web", "-n", space], opts())).toMatch(/^pod "web" deleted( from \S+ namespace)?\n$/);
      expect((await k.server(ctx).kubectl(["get", "pods", "-n", space], opts())).stderr).toContain(`No resources found in ${space} namespace.`);
    });
  });
});
