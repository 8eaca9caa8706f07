// `plumbline component apiserver` as a real process, and real kubectl 1.32 against it: version,
// api-resources, api-versions, create namespace (a protobuf body), apply -f, get -o wide / -o yaml,
// delete. Plus its 401 for a missing token, and the same on the reference store and real etcd.
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdAvailable, startEtcd } from "../store/etcd-process.ts";
import { startReferenceStore } from "../store/process-reference-store.ts";
import { type ApiServerProcess, findKubectl, startApiServer } from "./apiserver-process.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const kubectl = findKubectl();
if (kubectl === undefined) {
  const message = "kubectl is not installed (kubectl 1.32 on the PATH)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[apiserver-process] skipping the kubectl tests: ${message}`);
}

const POD_MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
`;

let server: ApiServerProcess;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

/** GET without credentials (trusting the server's CA when it serves TLS). */
function getAnonymously(path: string): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: import("node:http").IncomingMessage): void => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    };
    const req = server.tls ? httpsRequest(`${server.url}${path}`, { ca: server.caData }, onResponse) : httpRequest(`${server.url}${path}`, onResponse);
    req.on("error", reject);
    req.end();
  });
}

describe("plumbline component apiserver", () => {
  it("serves on loopback with the kubeconfig it wrote", () => {
    expect(server.url).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/);
    expect(server.token).not.toBe("");
  });

  it("answers 401 to a request without a token (when it requires one) and serves /healthz to anyone", async () => {
    const health = await getAnonymously("/healthz");
    expect([health.status, health.body]).toEqual([200, "ok"]);
    const api = await getAnonymously("/api/v1/namespaces");
    if (server.tls) {
      expect(api.status).toBe(401);
      expect(JSON.parse(api.body)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    } else {
      // Without openssl the server runs plain HTTP with --anonymous-auth, so that kubectl works.
      expect(api.status).toBe(200);
    }
  });
});

describe.skipIf(kubectl === undefined)("kubectl 1.32 against the reference API server", () => {
  const run = async (args: string[], input?: string): Promise<string> => {
    const res = await server.kubectl(args, input === undefined ? {} : { input });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${res.code}: ${res.stderr}${res.stdout}`);
    return res.stdout;
  };

  it("kubectl version sees a 1.32 server", async () => {
    const out = await run(["version"]);
    expect(out).toMatch(/^Client Version: v1\.32\./m);
    expect(out).toContain("Server Version: v1.32.0+plumbline");
  });

  it("kubectl api-versions lists every served group-version", async () => {
    expect((await run(["api-versions"])).trim().split("\n")).toEqual([
      "apps/v1",
      "batch/v1",
      "coordination.k8s.io/v1",
      "discovery.k8s.io/v1",
      "events.k8s.io/v1",
      "networking.k8s.io/v1",
      "policy/v1",
      "scheduling.k8s.io/v1",
      "v1",
    ]);
  });

  it("kubectl api-resources lists names, short names, versions, scope and kinds", async () => {
    const lines = (await run(["api-resources"])).trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
    expect(rows).toContainEqual(["pods", "po", "v1", "true", "Pod"]);
    expect(rows).toContainEqual(["namespaces", "ns", "v1", "false", "Namespace"]);
    expect(rows).toContainEqual(["deployments", "deploy", "apps/v1", "true", "Deployment"]);
    expect(rows).toContainEqual(["secrets", "v1", "true", "Secret"]);
    expect(rows).toContainEqual(["priorityclasses", "pc", "scheduling.k8s.io/v1", "false", "PriorityClass"]);
    expect(rows).toHaveLength(24);
  });

  it("kubectl create namespace, apply -f, get -o wide, get -o yaml, delete", async () => {
    expect(await run(["create", "namespace", "demo"])).toBe("namespace/demo created\n");
    expect(await run(["get", "namespace", "demo", "-o", "jsonpath={.status.phase}"])).toBe("Active");

    expect(await run(["apply", "-f", "-"], POD_MANIFEST)).toBe("pod/web created\n");

    const wide = (await run(["get", "pods", "-n", "demo", "-o", "wide"])).trim().split("\n");
    expect(wide[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(wide[1]).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/);

    const yaml = await run(["get", "pod", "web", "-n", "demo", "-o", "yaml"]);
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    expect(yaml).toContain("  name: web\n  namespace: demo\n");
    expect(yaml).toContain("kubectl.kubernetes.io/last-applied-configuration");
    expect(yaml).toContain("  - image: nginx:1.27\n");
    // Defaulted by the server, as upstream defaults a pod.
    expect(yaml).toContain("  restartPolicy: Always\n");
    expect(yaml).toContain("status:\n  phase: Pending\n");

    expect(await run(["apply", "-f", "-"], POD_MANIFEST)).toBe("pod/web unchanged\n");
    expect(await run(["delete", "pod", "web", "-n", "demo", "--timeout=60s"])).toBe('pod "web" deleted\n');
    const after = await server.kubectl(["get", "pods", "-n", "demo"]);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain("No resources found in demo namespace.");
  });
});

const hasEtcd = etcdAvailable();
if (!hasEtcd) {
  const message = "etcd is not installed (apt-get install etcd-server)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[apiserver-process] skipping the real-etcd store: ${message}`);
}

describe.skipIf(kubectl === undefined)("the API server process on a store over gRPC", () => {
  const stores: { name: string; available: boolean; start: () => Promise<{ endpoint: string; stop(): Promise<void> }> }[] = [
    { name: "the reference store", available: true, start: () => startReferenceStore() },
    { name: "real etcd 3.4", available: hasEtcd, start: () => startEtcd() },
  ];
  for (const store of stores) {
    it.skipIf(!store.available)(`serves kubectl on ${store.name}, and keeps its objects across an API server restart`, async () => {
      const backend = await store.start();
      try {
        const api = await startApiServer({ store: backend.endpoint });
        try {
          const run = async (args: string[], input?: string): Promise<string> => {
            const res = await api.kubectl(args, input === undefined ? {} : { input });
            if (res.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${res.code}: ${res.stderr}${res.stdout}`);
            return res.stdout;
          };
          expect(await run(["create", "namespace", "demo"])).toBe("namespace/demo created\n");
          expect(await run(["apply", "-f", "-"], POD_MANIFEST)).toBe("pod/web created\n");
          await api.restart();
          expect(await run(["get", "pod", "web", "-n", "demo", "-o", "jsonpath={.metadata.name} {.spec.containers[0].image}"])).toBe("web nginx:1.27");
        } finally {
          await api.stop();
        }
      } finally {
        await backend.stop();
      }
    });
  }
});
