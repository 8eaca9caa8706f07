// Real kubectl against a minimal HTTP server (127.0.0.1) that answers discovery and serves our
// Tables: kubectl must accept the Table JSON, and renderTable must print exactly what kubectl
// prints from it.
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderTable, type RenderOptions } from "./render.ts";
import { printTable } from "./table.ts";
import type { Table } from "./types.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const KUBECTL = process.env.PLUMBLINE_KUBECTL ?? "kubectl";
const hasKubectl = spawnSync(KUBECTL, ["version", "--client"], { stdio: "ignore" }).status === 0;
if (!hasKubectl) {
  const message = `${KUBECTL} is not installed (install kubectl 1.32, e.g. apt-get install kubectl)`;
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[printers] skipping: ${message}`);
}

const NOW = Date.parse("2024-06-01T12:00:00Z");
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const MIN = 60_000;

interface Served {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  items: unknown[];
}

const served: Served[] = [
  {
    group: "",
    version: "v1",
    resource: "pods",
    kind: "Pod",
    namespaced: true,
    items: [
      {
        metadata: { name: "web-7d4b9c-x2x9q", namespace: "default", labels: { app: "web", "pod-template-hash": "7d4b9c" }, creationTimestamp: ago(3 * 24 * 60 * MIN) },
        spec: { containers: [{ name: "nginx" }, { name: "sidecar" }], nodeName: "node-1", readinessGates: [{ conditionType: "example.com/lb" }] },
        status: {
          phase: "Running",
          podIP: "10.244.1.7",
          conditions: [{ type: "example.com/lb", status: "True" }],
          containerStatuses: [
            { name: "nginx", image: "", imageID: "", ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MIN) } } },
            { name: "sidecar", image: "", imageID: "", ready: true, restartCount: 0, state: { running: {} } },
          ],
        },
      },
      {
        metadata: { name: "db-0", namespace: "prod", labels: { app: "db" }, creationTimestamp: ago(45_000) },
        spec: { initContainers: [{ name: "init" }], containers: [{ name: "postgres" }] },
        status: {
          phase: "Pending",
          initContainerStatuses: [{ name: "init", image: "", imageID: "", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(20_000) } } }],
        },
      },
    ],
  },
  {
    group: "",
    version: "v1",
    resource: "nodes",
    kind: "Node",
    namespaced: false,
    items: [
      {
        metadata: { name: "control-plane", labels: { "node-role.kubernetes.io/control-plane": "" }, creationTimestamp: ago(400 * 24 * 60 * MIN) },
        spec: { unschedulable: true },
        status: {
          conditions: [{ type: "Ready", status: "True" }],
          addresses: [{ type: "InternalIP", address: "172.18.0.2" }],
          nodeInfo: { kubeletVersion: "v1.30.0", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0-18-amd64", containerRuntimeVersion: "containerd://1.7.13" },
        },
      },
    ],
  },
  {
    group: "",
    version: "v1",
    resource: "services",
    kind: "Service",
    namespaced: true,
    items: [
      {
        metadata: { name: "kubernetes", namespace: "default", creationTimestamp: ago(10 * MIN) },
        spec: { type: "ClusterIP", clusterIPs: ["10.96.0.1"], ports: [{ port: 443, protocol: "TCP" }] },
      },
      {
        metadata: { name: "web", namespace: "default", creationTimestamp: ago(2 * MIN) },
        spec: { type: "NodePort", clusterIPs: ["10.96.14.3"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }], selector: { app: "web" } },
      },
    ],
  },
  { group: "", version: "v1", resource: "limitranges", kind: "LimitRange", namespaced: true, items: [{ metadata: { name: "limits", namespace: "default", creationTimestamp: "2024-05-01T10:00:00Z" } }] },
  { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true, items: [] },
  {
    group: "apps",
    version: "v1",
    resource: "deployments",
    kind: "Deployment",
    namespaced: true,
    items: [
      {
        metadata: { name: "web", namespace: "default", creationTimestamp: ago(3 * 24 * 60 * MIN) },
        spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } },
        status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      },
    ],
  },
];

function groupVersion(s: Served): string {
  return s.group === "" ? s.version : `${s.group}/${s.version}`;
}

function resourceList(gv: string): unknown {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: served
      .filter((s) => groupVersion(s) === gv)
      .map((s) => ({ name: s.resource, singularName: s.kind.toLowerCase(), namespaced: s.namespaced, kind: s.kind, verbs: ["get", "list"] })),
  };
}

/** The Table for a list request, or undefined for a path we do not serve. */
function tableFor(path: string): Table | undefined {
  for (const s of served) {
    const prefix = s.group === "" ? "/api/v1" : `/apis/${s.group}/${s.version}`;
    const all = `${prefix}/${s.resource}`;
    const namespaced = new RegExp(`^${prefix}/namespaces/([^/]+)/${s.resource}$`).exec(path);
    if (path !== all && namespaced === null) continue;
    const items = namespaced === null ? s.items : s.items.filter((o) => (o as { metadata: { namespace?: string } }).metadata.namespace === namespaced[1]);
    const groupKind = s.group === "" ? s.kind : `${s.kind}.${s.group}`;
    // As kube-apiserver: always wide, PartialObjectMetadata rows unless asked otherwise.
    return printTable(groupKind, items, { wide: true, nowMs: NOW, includeObject: "Metadata", listMeta: { resourceVersion: "100" } });
  }
  return undefined;
}

describe.skipIf(!hasKubectl)("kubectl renders our Tables as renderTable does", () => {
  let server: Server;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "plumbline-printers-"));
    await writeFile(join(dir, "kubeconfig"), "");
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      const send = (code: number, body: unknown): void => {
        res.writeHead(code, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (path === "/api") return send(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
      if (path === "/apis") {
        const groups = [...new Set(served.filter((s) => s.group !== "").map((s) => s.group))].map((g) => ({
          name: g,
          versions: [{ groupVersion: `${g}/v1`, version: "v1" }],
          preferredVersion: { groupVersion: `${g}/v1`, version: "v1" },
        }));
        return send(200, { kind: "APIGroupList", apiVersion: "v1", groups });
      }
      if (path === "/api/v1") return send(200, resourceList("v1"));
      const groupPath = /^\/apis\/([^/]+)\/v1$/.exec(path);
      if (groupPath !== null) return send(200, resourceList(`${groupPath[1]}/v1`));
      const table = tableFor(path);
      if (table !== undefined) return send(200, table);
      send(404, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", code: 404 });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const kubectl = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      execFile(
        KUBECTL,
        [`--server=${base}`, `--cache-dir=${join(dir, "cache")}`, "--request-timeout=20s", ...args],
        { env: { ...process.env, KUBECONFIG: join(dir, "kubeconfig") }, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(" ")}: ${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
      );
    });

  const cases: Array<[string[], string, RenderOptions]> = [
    [["get", "pods"], "/api/v1/namespaces/default/pods", {}],
    [["get", "pods", "-o", "wide"], "/api/v1/namespaces/default/pods", { wide: true }],
    [["get", "pods", "-A", "--show-labels"], "/api/v1/pods", { withNamespace: true, showLabels: true }],
    [["get", "pods", "-A", "-L", "app", "--no-headers"], "/api/v1/pods", { withNamespace: true, columnLabels: ["app"], noHeaders: true }],
    [["get", "pods", "-n", "prod", "--show-kind"], "/api/v1/namespaces/prod/pods", { withKind: "Pod" }],
    [["get", "nodes"], "/api/v1/nodes", {}],
    [["get", "nodes", "-o", "wide"], "/api/v1/nodes", { wide: true }],
    [["get", "services", "-o", "wide"], "/api/v1/namespaces/default/services", { wide: true }],
    [["get", "limitranges"], "/api/v1/namespaces/default/limitranges", {}],
    [["get", "deployments", "-o", "wide"], "/apis/apps/v1/namespaces/default/deployments", { wide: true }],
    [["get", "deployments", "--show-kind"], "/apis/apps/v1/namespaces/default/deployments", { withKind: "Deployment.apps" }],
    [["get", "configmaps"], "/api/v1/namespaces/default/configmaps", {}],
  ];

  it.each(cases)("kubectl %j", async (args, path, options) => {
    const table = tableFor(path);
    if (table === undefined) throw new Error(`no table for ${path}`);
    const { stdout } = await kubectl(args);
    expect(renderTable(table, options)).toBe(stdout);
  });

  it("reports an empty list on stderr, not as a table", async () => {
    const { stdout, stderr } = await kubectl(["get", "configmaps"]);
    expect(stdout).toBe("");
    expect(stderr).toContain("No resources found in default namespace.");
  });
});
