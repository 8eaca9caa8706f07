import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type ResourceType, type WatchEvent } from "../../../spec/interfaces/api-client.ts";
import { ConnectionError } from "../errors.ts";
import { HttpApiClient } from "./http.ts";

// A tiny API server on 127.0.0.1 answering with canned responses, recording every request.

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Route = (req: Seen, res: http.ServerResponse) => void;

const pods: ResourceType = { group: "", version: "v1", resource: "pods" };
const deployments: ResourceType = { group: "apps", version: "v1", resource: "deployments" };
const nodes: ResourceType = { group: "", version: "v1", resource: "nodes" };
const TOKEN = "t0ken";

const seen: Seen[] = [];
let route: Route = (_req, res) => res.writeHead(500).end();
let server: http.Server;
let base: string;
const clients: HttpApiClient[] = [];

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  req.on("data", (c: Buffer) => parts.push(c));
  req.on("end", () => {
    const s: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(parts).toString("utf8") };
    seen.push(s);
    route(s, res);
  });
}

function json(res: http.ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(code, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
}

function client(opts: Partial<ConstructorParameters<typeof HttpApiClient>[0]> = {}): HttpApiClient {
  const c = new HttpApiClient({ server: base, token: TOKEN, ...opts });
  clients.push(c);
  return c;
}

const pod = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", resourceVersion: "5" } });
const notFound = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: 'pods "web" not found',
  reason: "NotFound",
  details: { name: "web", kind: "pods" },
  code: 404,
};

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen.length = 0;
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Collects a watch's events and resolves when it closes. */
function collect(c: HttpApiClient, type: ResourceType, ns: string | undefined, opts = {}) {
  const events: WatchEvent[] = [];
  let closes = 0;
  let stop = (): void => undefined;
  const closed = new Promise<ApiError | undefined>((resolve) => {
    stop = c.watch(type, ns, opts, {
      onEvent: (e) => events.push(e),
      onClose: (err) => {
        closes++;
        resolve(err);
      },
    }).stop;
  });
  return { events, closed, stop: () => stop(), closes: () => closes };
}

describe("HttpApiClient requests", () => {
  it("uses the real REST paths, query strings, token and JSON", async () => {
    route = (req, res) => (req.method === "GET" && req.url.includes("/pods/") ? json(res, 200, pod("web")) : json(res, 200, { kind: "List", apiVersion: "v1", metadata: { resourceVersion: "9" }, items: [] }));
    const c = client();
    expect(await c.get(pods, "default", "web")).toEqual(pod("web"));
    await c.list(deployments, undefined, { labelSelector: "app in (a,b)", limit: 10 });
    await c.list(nodes, undefined, { fieldSelector: "metadata.name=n1" });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /api/v1/namespaces/default/pods/web",
      "GET /apis/apps/v1/deployments?labelSelector=app+in+%28a%2Cb%29&limit=10",
      "GET /api/v1/nodes?fieldSelector=metadata.name%3Dn1",
    ]);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers.accept).toBe("application/json, */*");
  });

  it("sends bodies with the right content types: create, update status, patches, delete options", async () => {
    route = (req, res) => json(res, req.method === "POST" ? 201 : 200, pod("web"));
    const c = client();
    await c.create(pods, "default", pod("web"), { fieldManager: "me", dryRun: true });
    await c.update(pods, "default", pod("web"), { subresource: "status" });
    await c.patch(pods, "default", "web", "strategic", { metadata: { labels: { a: "b" } } });
    await c.patch(pods, "default", "web", "json", [{ op: "remove", path: "/metadata/labels/a" }]);
    await c.patch(deployments, "default", "web", "apply", "apiVersion: apps/v1\nkind: Deployment\n", { fieldManager: "kubectl", force: true });
    await c.delete(pods, "default", "web", { gracePeriodSeconds: 0 });
    await c.deleteCollection(pods, "default", { labelSelector: "app=web", propagationPolicy: "Background" });
    await c.createSubresource(pods, "default", "web", "binding", { apiVersion: "v1", kind: "Binding", target: { kind: "Node", name: "n1" } });
    const lines = seen.map((s) => `${s.method} ${s.url} ${s.headers["content-type"]} ${s.body}`);
    expect(lines).toEqual([
      `POST /api/v1/namespaces/default/pods?dryRun=All&fieldManager=me application/json ${JSON.stringify(pod("web"))}`,
      `PUT /api/v1/namespaces/default/pods/web/status application/json ${JSON.stringify(pod("web"))}`,
      'PATCH /api/v1/namespaces/default/pods/web application/strategic-merge-patch+json {"metadata":{"labels":{"a":"b"}}}',
      'PATCH /api/v1/namespaces/default/pods/web application/json-patch+json [{"op":"remove","path":"/metadata/labels/a"}]',
      "PATCH /apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl&force=true application/apply-patch+yaml apiVersion: apps/v1\nkind: Deployment\n",
      'DELETE /api/v1/namespaces/default/pods/web application/json {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0}',
      'DELETE /api/v1/namespaces/default/pods?labelSelector=app%3Dweb application/json {"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}',
      'POST /api/v1/namespaces/default/pods/web/binding application/json {"apiVersion":"v1","kind":"Binding","target":{"kind":"Node","name":"n1"}}',
    ]);
  });

  it("reads a subresource as an object or as text", async () => {
    route = (req, res) => (req.url.includes("/log") ? res.writeHead(200, { "Content-Type": "text/plain" }).end("line 1\nline 2\n") : json(res, 200, { kind: "Scale", spec: { replicas: 3 } }));
    const c = client();
    expect(await c.getSubresource(pods, "default", "web", "log", { container: "app", tailLines: "2" })).toBe("line 1\nline 2\n");
    expect(await c.getSubresource(deployments, "default", "web", "scale")).toEqual({ kind: "Scale", spec: { replicas: 3 } });
    expect(seen[0]!.url).toBe("/api/v1/namespaces/default/pods/web/log?container=app&tailLines=2");
  });

  it("throws the server's Status as an ApiError", async () => {
    route = (_req, res) => json(res, 404, notFound);
    const err = await client().get(pods, "default", "web").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toEqual(notFound);
    expect((err as ApiError).message).toBe('pods "web" not found');
  });

  it("synthesizes a Status for an error answer that is not one", async () => {
    route = (_req, res) => res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("boom\n");
    const text = (await client().get(pods, "default", "web").catch((e: unknown) => e)) as ApiError;
    expect(text.status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'an error on the server ("boom") has prevented the request from succeeding (get pods web)',
      reason: "InternalError",
      details: { name: "web", kind: "pods", causes: [{ reason: "UnexpectedServerResponse", message: "boom" }] },
      code: 500,
    });
    route = (_req, res) => json(res, 429, { error: "slow down" }, { "Retry-After": "7" });
    const throttled = (await client().list(deployments, "ns").catch((e: unknown) => e)) as ApiError;
    expect(throttled.status).toMatchObject({
      code: 429,
      reason: "TooManyRequests",
      message: "the server has received too many requests and has asked us to try again later (get deployments.apps)",
      details: { group: "apps", kind: "deployments", causes: [{ reason: "UnexpectedServerResponse", message: "unknown" }], retryAfterSeconds: 7 },
    });
  });

  it("fails with a connection error when nothing listens, and when the answer is late", async () => {
    const closedPort = http.createServer();
    await new Promise<void>((resolve) => closedPort.listen(0, "127.0.0.1", resolve));
    const port = (closedPort.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closedPort.close(() => resolve()));
    const refused = await client({ server: `http://127.0.0.1:${port}` }).get(pods, "default", "web").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as ConnectionError).kind).toBe("refused");

    route = () => undefined; // never answers
    const late = await client({ requestTimeoutMs: 100 }).get(pods, "default", "web").catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ConnectionError);
    expect((late as ConnectionError).kind).toBe("timeout");
  });

  it("reads its server, token and namespace-independent settings from a kubeconfig", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plumbline-kubeconfig-"));
    try {
      writeFileSync(join(dir, "token"), "from-file\n");
      const path = join(dir, "config");
      writeFileSync(
        path,
        `current-context: c\nclusters: [{name: k, cluster: {server: "${base}"}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {tokenFile: token}}]\n`,
      );
      route = (_req, res) => json(res, 200, pod("web"));
      const c = await HttpApiClient.fromKubeconfig(path);
      clients.push(c);
      await c.get(pods, "default", "web");
      expect(seen[0]!.headers.authorization).toBe("Bearer from-file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("HttpApiClient watches", () => {
  const events = [
    { type: "ADDED", object: { kind: "Pod", apiVersion: "v1", metadata: { name: "crème-brûlée", resourceVersion: "6" } } },
    { type: "MODIFIED", object: { kind: "Pod", apiVersion: "v1", metadata: { name: "日本", resourceVersion: "7" } } },
    { type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: "8" } } },
    { type: "DELETED", object: { kind: "Pod", apiVersion: "v1", metadata: { name: "日本", resourceVersion: "9" } } },
  ];
  const stream = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(""), "utf8");

  /** Writes `bytes` in pieces of the given sizes, pausing so each arrives as its own chunk. */
  async function writeInPieces(res: http.ServerResponse, bytes: Buffer, sizes: number[]): Promise<void> {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = sizes[i % sizes.length]!;
      res.write(bytes.subarray(at, at + n));
      at += n;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  it("reads chunked events split at awkward byte boundaries, in order, then closes without error", async () => {
    route = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
      // Splits inside JSON tokens, inside multi-byte characters and right before newlines.
      void writeInPieces(res, stream, [1, 7, 3, 64, 2, 5, 11]).then(() => res.end());
    };
    const w = collect(client(), pods, "default", { resourceVersion: "5", allowWatchBookmarks: true, timeoutSeconds: 300 });
    expect(await w.closed).toBeUndefined();
    expect(w.events).toEqual(events);
    expect(w.closes()).toBe(1);
    expect(seen[0]!.url).toBe("/api/v1/namespaces/default/pods?allowWatchBookmarks=true&resourceVersion=5&timeoutSeconds=300&watch=true");
  });

  it("closes with the ApiError of an error answer, and passes ERROR events through", async () => {
    const gone = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "too old resource version: 1 (5)", reason: "Expired", code: 410 };
    route = (_req, res) => json(res, 410, gone);
    const refused = collect(client(), pods, undefined);
    expect((await refused.closed)?.status).toEqual(gone);

    route = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`${JSON.stringify({ type: "ERROR", object: gone })}\n`);
    };
    const erroring = collect(client(), pods, undefined);
    expect(await erroring.closed).toBeUndefined();
    expect(erroring.events).toEqual([{ type: "ERROR", object: gone }]);
  });

  it("closes with a decoding error on a malformed line", async () => {
    route = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(`${JSON.stringify(events[0])}\n{"type":"ADDED","obj`);
      res.end("ect\n");
    };
    const w = collect(client(), pods, undefined);
    const err = await w.closed;
    expect(w.events).toEqual([events[0]]);
    expect(err?.status.code).toBe(500);
    expect(err?.status.details?.causes?.[1]?.reason).toBe("ClientWatchDecoding");
  });

  it("closes with a decoding error when an event passes the line bound", async () => {
    route = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`${JSON.stringify(events[0])}\n`);
    };
    const w = collect(client({ maxWatchLineBytes: 20 }), pods, undefined);
    expect((await w.closed)?.message).toContain("watch event longer than 20 bytes");
  });

  it("closes with a connection error when the stream is cut", async () => {
    route = (req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(`${JSON.stringify(events[0])}\n`);
      setTimeout(() => res.socket?.destroy(), 20);
      void req;
    };
    const w = collect(client(), pods, undefined);
    const err = await w.closed;
    expect(w.events).toEqual([events[0]]);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(w.closes()).toBe(1);
  });

  it("stops: onClose once without error, and the server sees the connection go", async () => {
    let serverSawClose!: () => void;
    const gone = new Promise<void>((r) => (serverSawClose = r));
    route = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(`${JSON.stringify(events[0])}\n`);
      res.on("close", () => serverSawClose());
    };
    const c = client();
    const w = collect(c, pods, undefined);
    while (w.events.length === 0) await new Promise((r) => setTimeout(r, 5));
    w.stop();
    w.stop();
    expect(await w.closed).toBeUndefined();
    await gone;
    expect(w.closes()).toBe(1);
  });
});
