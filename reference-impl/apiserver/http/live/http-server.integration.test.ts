// The HTTP layer on a real socket: the core over an in-process store (LocalKv, wall clock), served
// on a free loopback port, spoken to with node's fetch and http. Discovery, a CRUD round trip, the
// error statuses, a chunked watch, a Table, and TLS with a generated CA.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../../../spec/interfaces/api-client.ts";
import { RealClock } from "../../../runtime/real-clock.ts";
import { SeededRng } from "../../../runtime/rng.ts";
import { LocalKv } from "../../../store/local-kv.ts";
import { OpenApiDocuments } from "../../openapi/index.ts";
import { ResourceRegistry } from "../../resources.ts";
import { ApiServer } from "../../server.ts";
import { TokenAuthenticator } from "../auth.ts";
import { servedGroupVersions } from "../discovery.ts";
import { HttpApi } from "../handler.ts";
import { versionInfo } from "../version.ts";
import { type RunningHttpServer, startHttpServer } from "./http-server.ts";
import { generateServerTls, opensslAvailable } from "./tls.ts";

const TOKEN = "integration-token";
const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const hasOpenssl = await opensslAvailable();
if (!hasOpenssl) {
  const message = "openssl is not installed (apt-get install openssl): skipping the TLS test";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[http-server] ${message}`);
}

const clock = new RealClock();
const registry = new ResourceRegistry();
const kv = new LocalKv({ clock, rng: SeededRng.fromSeed(1).fork("store") });
const core = new ApiServer({ kv, clock, rng: SeededRng.fromSeed(2), registry });
const openapi = new OpenApiDocuments(servedGroupVersions(registry));

function makeApi(): HttpApi {
  return new HttpApi({
    core,
    registry,
    clock,
    rng: SeededRng.fromSeed(3),
    authenticator: new TokenAuthenticator([{ token: TOKEN, user: "admin" }]),
    serverAddress: "127.0.0.1:0",
    openapi,
    version: versionInfo("linux/amd64", "node"),
  });
}

let server: RunningHttpServer;
beforeAll(async () => {
  await core.start();
  server = await startHttpServer({ api: makeApi(), host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await core.stop();
  await server.close();
  await kv.close();
});

const auth = { Authorization: `Bearer ${TOKEN}` };

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { ...auth, ...headers } });
}

async function send(method: string, path: string, body: string | Uint8Array, contentType = "application/json", headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, body, headers: { ...auth, "Content-Type": contentType, ...headers } });
}

describe("the API server over HTTP", () => {
  it("listens on loopback only", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startHttpServer({ api: makeApi(), host: "0.0.0.0", port: 0 })).rejects.toThrow(/only 127\.0\.0\.1 or ::1/);
  });

  it("serves discovery: /api, /apis (legacy and aggregated), /api/v1, /version", async () => {
    expect(await (await get("/api")).json()).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const groups = (await (await get("/apis")).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toContain("apps");
    const aggregated = await get("/api", { Accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json" });
    expect(aggregated.headers.get("content-type")).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    expect(await aggregated.json()).toMatchObject({ kind: "APIGroupDiscoveryList", items: [{ versions: [{ version: "v1" }] }] });
    const core = (await (await get("/api/v1")).json()) as { resources: { name: string }[] };
    expect(core.resources.map((r) => r.name)).toContain("pods/status");
    const version = await fetch(`${server.url}/version`);
    expect(await version.json()).toMatchObject({ major: "1", minor: "32" });
  });

  it("creates, reads, lists, patches and deletes a ConfigMap", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "round-trip" }, data: { a: "1" } };
    const created = await send("POST", "/api/v1/namespaces/default/configmaps", JSON.stringify(cm));
    expect(created.status).toBe(201);
    const got = (await (await get("/api/v1/namespaces/default/configmaps/round-trip")).json()) as KubeObject;
    expect(got).toMatchObject({ metadata: { name: "round-trip", namespace: "default" }, data: { a: "1" } });
    const list = (await (await get("/api/v1/configmaps?labelSelector=")).json()) as { kind: string; items: KubeObject[] };
    expect(list.kind).toBe("ConfigMapList");
    expect(list.items.map((i) => i.metadata?.name)).toContain("round-trip");
    const patched = await send("PATCH", "/api/v1/namespaces/default/configmaps/round-trip", '{"data":{"b":"2"}}', "application/strategic-merge-patch+json");
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ data: { a: "1", b: "2" } });
    const deleted = await fetch(`${server.url}/api/v1/namespaces/default/configmaps/round-trip`, { method: "DELETE", headers: auth });
    expect(deleted.status).toBe(200);
    expect((await get("/api/v1/namespaces/default/configmaps/round-trip")).status).toBe(404);
  });

  it("answers 401, 404, 405, 413, 415 and 400 with Status bodies", async () => {
    const expectStatus = async (res: Response, code: number, reason: string): Promise<void> => {
      expect(res.status).toBe(code);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason });
    };
    await expectStatus(await fetch(`${server.url}/api/v1/namespaces`), 401, "Unauthorized");
    await expectStatus(await fetch(`${server.url}/api/v1/namespaces`, { headers: { Authorization: "Bearer wrong" } }), 401, "Unauthorized");
    await expectStatus(await get("/api/v1/namespaces/default/widgets"), 404, "NotFound");
    await expectStatus(await send("PUT", "/api/v1/namespaces/default/configmaps", "{}"), 405, "MethodNotAllowed");
    const big = new Uint8Array(3 * 1024 * 1024 + 1).fill(0x20);
    const tooLarge = await send("POST", "/api/v1/namespaces/default/configmaps", big);
    await expectStatus(tooLarge.clone(), 413, "RequestEntityTooLarge");
    expect(((await tooLarge.json()) as { message: string }).message).toBe("Request entity too large: limit is 3145728");
    await expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", "{}", "text/plain"), 415, "UnsupportedMediaType");
    await expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", "{nope"), 400, "BadRequest");
    // The server still serves after all that.
    expect((await get("/api/v1/namespaces/default/configmaps")).status).toBe(200);
  });

  it("prints a Table for kubectl's Accept", async () => {
    await send("POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "tabled" }, data: { x: "y" } }));
    const res = await get("/api/v1/namespaces/default/configmaps/tabled", {
      Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
    });
    const table = (await res.json()) as { kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(table.rows[0]!.cells.slice(0, 2)).toEqual(["tabled", 1]);
  });

  it("streams a watch as chunked JSON lines, flushed per event, and stops it when the client goes away", async () => {
    const before = core.activeWatches;
    const lines: string[] = [];
    const req = httpRequest(`${server.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0`, { headers: auth });
    const opened = new Promise<IncomingMessage>((resolve, reject) => {
      req.on("response", resolve);
      req.on("error", reject);
    });
    req.end();
    const response = await opened;
    expect(response.statusCode).toBe(200);
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    expect(response.headers["content-type"]).toBe("application/json");
    let buffered = "";
    const seen = (name: string): boolean => lines.some((l) => l.includes(`"name":"${name}"`));
    response.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        lines.push(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    await send("POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "watched" } }));
    for (let i = 0; i < 200 && !seen("watched"); i++) await clock.sleep(10);
    const events = lines.map((l) => JSON.parse(l) as { type: string; object: KubeObject });
    expect(events.some((e) => e.type === "ADDED" && e.object.metadata?.name === "watched")).toBe(true);
    // The response is still open: events arrive as they happen.
    expect(response.complete).toBe(false);
    expect(core.activeWatches).toBe(before + 1);
    req.destroy();
    for (let i = 0; i < 100 && core.activeWatches > before; i++) await clock.sleep(20);
    expect(core.activeWatches).toBe(before);
  });

  it("ends a watch at timeoutSeconds with the end of the chunked response", async () => {
    const res = await get("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.split("\n").filter((l) => l !== "").every((l) => (JSON.parse(l) as { type: string }).type === "ADDED")).toBe(true);
  });
});

describe.skipIf(!hasOpenssl)("the API server over HTTPS", () => {
  it("serves TLS with a certificate its generated CA signed, for 127.0.0.1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plumbline-tls-"));
    try {
      const tls = await generateServerTls(dir);
      const secure = await startHttpServer({ api: makeApi(), host: "127.0.0.1", port: 0, tls: { cert: tls.cert, key: tls.key } });
      try {
        expect(secure.url).toMatch(/^https:\/\//);
        const body = await new Promise<string>((resolve, reject) => {
          const req = httpsRequest(`${secure.url}/api/v1/namespaces/default`, { ca: tls.caCert, headers: auth }, (res) => {
            let text = "";
            res.setEncoding("utf8").on("data", (c: string) => (text += c));
            res.on("end", () => resolve(text));
          });
          req.on("error", reject);
          req.end();
        });
        expect(JSON.parse(body)).toMatchObject({ kind: "Namespace", metadata: { name: "default" } });
        // Without the CA the certificate is not trusted.
        await expect(fetch(`${secure.url}/healthz`)).rejects.toThrow();
      } finally {
        await secure.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
