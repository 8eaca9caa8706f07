// HTTP fuzz of a live reference API server on 127.0.0.1 (see http-fuzz.ts for what is sent): zero
// 5xx apart from the documented ones, every error body a Status with the HTTP code, no stack trace,
// no crash, and the server still serves afterwards (health, a CRUD round trip). Bounded to
// PLUMBLINE_FUZZ_RUNS requests (default 1500); PLUMBLINE_FUZZ_SEED replays a run.
import { connect as tlsConnect } from "node:tls";
import { connect as netConnect, type Socket } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServerProcess, startApiServer } from "../targets/live/apiserver-process.ts";
import { type Credentials, type FuzzRequest, PROTOCOL_GARBAGE, describeRequest, fuzzRequest, target, verdict } from "./http-fuzz.ts";
import { type RestResponse, rest, restJson } from "./live/rest.ts";

const RUNS = Number(process.env.PLUMBLINE_FUZZ_RUNS ?? 1500);
const SEED = process.env.PLUMBLINE_FUZZ_SEED === undefined ? undefined : Number(process.env.PLUMBLINE_FUZZ_SEED);

let server: ApiServerProcess;
beforeAll(async () => {
  server = await startApiServer();
  // Objects for item paths to find: the fuzz mixes requests on existing and missing names.
  await restJson(server, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "fuzz" } });
  for (const ns of ["default", "fuzz"]) {
    await restJson(server, "POST", `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { a: "b" } }, data: { k: "v" } });
    await restJson(server, "POST", `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", labels: { app: "web" } },
      spec: { containers: [{ name: "c", image: "nginx" }] },
    });
    await restJson(server, "POST", `/apis/apps/v1/namespaces/${ns}/deployments`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } },
    });
  }
});
afterAll(async () => {
  await server?.stop();
});

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A watch stays open: read what arrives for a moment, then hang up. */
function looksLikeWatch(r: FuzzRequest): boolean {
  return /(^|&)watch=/i.test(r.query) || r.query === "watch" || r.path.includes("/watch");
}

/** Writes `head` (as Latin-1 bytes) on a fresh connection and returns what comes back until the server closes it. */
function rawExchange(head: string): Promise<string> {
  const url = new URL(server.url);
  const port = Number(url.port);
  return new Promise((resolve, reject) => {
    const socket: Socket = url.protocol === "https:" ? tlsConnect({ host: "127.0.0.1", port, ca: server.caData }) : netConnect({ host: "127.0.0.1", port });
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(head.slice(0, 60))}`)));
    socket.on(url.protocol === "https:" ? "secureConnect" : "connect", () => socket.write(Buffer.from(head, "latin1")));
    socket.on("data", (d: Buffer) => (answer += d.toString("latin1")));
    socket.on("end", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.on("error", (err) => (answer === "" ? reject(err) : resolve(answer)));
  });
}

function send(r: FuzzRequest & { credentials: Credentials }): Promise<RestResponse> {
  const headers = { ...r.headers };
  if (r.credentials === "bad") headers.authorization = "Bearer not-the-token";
  return rest(server, {
    method: r.method,
    path: target(r),
    headers,
    anonymous: r.credentials !== "token",
    ...(r.body === undefined ? {} : { body: r.body }),
    timeoutMs: 30_000,
    ...(looksLikeWatch(r) ? { streamCutoffMs: 300 } : {}),
  });
}

describe("HTTP fuzz of the reference API server", () => {
  it("refuses protocol garbage no HTTP client sends with a 4xx, and goes on serving", async () => {
    for (const head of PROTOCOL_GARBAGE) {
      const answer = await rawExchange(head);
      const statusLine = answer.split("\r\n")[0] ?? "";
      expect(statusLine, JSON.stringify(head.slice(0, 80))).toMatch(/^HTTP\/1\.1 4\d\d /);
      const health = await rest(server, { method: "GET", path: "/healthz" });
      expect(health.status).toBe(200);
    }
  });

  it("refuses deeply nested bodies in every format with a 400 Status, and lives", async () => {
    // Regression: an apply patch nested 6000 deep once overflowed the stack inside V8's RegExp
    // compiler, a fatal out-of-memory that killed the server. Twice over, since whether an overflow
    // lands there depends on which regular expressions V8 has compiled already.
    await restJson(server, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "deep" } });
    await restJson(server, "POST", "/api/v1/namespaces/deep/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
    await restJson(server, "POST", "/api/v1/namespaces/deep/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    const nest = (d: number): string => `${'{"a":'.repeat(d)}1${"}".repeat(d)}`;
    const cases: [string, string, string, (d: number) => string][] = [
      ["POST", "/api/v1/namespaces/deep/configmaps", "application/json", (d) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","labels":${nest(d)}}}`],
      ["POST", "/api/v1/namespaces/deep/configmaps", "application/yaml", (d) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${"[".repeat(d)}${"]".repeat(d)}}`],
      ["POST", "/api/v1/namespaces/deep/configmaps?fieldValidation=Strict", "application/json", (d) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"zz":${nest(d)}}`],
      ["PATCH", "/api/v1/namespaces/deep/configmaps/x?fieldManager=fuzz", "application/apply-patch+yaml", (d) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":${nest(d)}}}`],
      ["PATCH", "/api/v1/namespaces/deep/configmaps/x", "application/merge-patch+json", (d) => `{"metadata":{"labels":${nest(d)}}}`],
      ["PATCH", "/api/v1/namespaces/deep/configmaps/x", "application/strategic-merge-patch+json", (d) => `{"metadata":{"labels":${nest(d)}}}`],
      ["PATCH", "/api/v1/namespaces/deep/pods/web?fieldManager=fuzz", "application/apply-patch+yaml", (d) => `${"- ".repeat(d)}1`],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [method, path, contentType, body] of cases) {
        for (const depth of [900, 6000, 12_000]) {
          const res = await rest(server, { method, path, headers: { "content-type": contentType }, body: body(depth) });
          const req: FuzzRequest = { method, path, query: "", headers: { "content-type": contentType }, bodyShape: "deep" };
          expect(verdict(req, { status: res.status, contentType: String(res.headers["content-type"] ?? ""), body: res.body, truncated: res.truncated }), `${method} ${path} ${contentType} depth ${depth}`).toBeUndefined();
          expect(res.status, `${method} ${path} ${contentType} depth ${depth}: ${res.body.slice(0, 200)}`).toBe(400);
        }
      }
    }
    expect((await rest(server, { method: "GET", path: "/healthz" })).status).toBe(200);
  });

  it(`answers ${RUNS} random and malformed requests without a 5xx, with a Status for every error`, async () => {
    const codes = new Map<number, number>();
    const shapes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const res = await send(r);
        codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
        const shape = r.bodyShape.split(":")[0]!;
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
        const problem = verdict(r, { status: res.status, contentType: String(res.headers["content-type"] ?? ""), body: res.body, truncated: res.truncated });
        expect(problem, `${describeRequest(r)}\n→ ${res.status} ${res.body.slice(0, 300)}`).toBeUndefined();
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), verbose: 1 },
    );
    const summary = [...codes].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(" ");
    console.info(`[http-fuzz] ${RUNS} requests: ${summary}; bodies: ${[...shapes].map(([s, n]) => `${s}×${n}`).join(" ")}`);
    // The requests reach every layer: routing, authentication, negotiation, decoding and the core.
    for (const code of [200, 201, 400, 401, 404, 405, 409, 413, 415, 422]) expect(codes.get(code) ?? 0, `no ${code} among ${summary}`).toBeGreaterThan(0);
    expect((codes.get(201) ?? 0) + (codes.get(200) ?? 0)).toBeGreaterThan(RUNS / 50);
  });

  it("answers concurrent bursts of random requests without a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest, { minLength: 8, maxLength: 8 }), async (batch) => {
        const answers = await Promise.all(batch.map((r) => send(r)));
        answers.forEach((res, i) => {
          const r = batch[i]!;
          const problem = verdict(r, { status: res.status, contentType: String(res.headers["content-type"] ?? ""), body: res.body, truncated: res.truncated });
          expect(problem, `${describeRequest(r)}\n→ ${res.status} ${res.body.slice(0, 300)}`).toBeUndefined();
        });
      }),
      { numRuns: Math.ceil(RUNS / 30), ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  });

  it("keeps serving afterwards: the process lives, health checks pass, a CRUD round trip works", async () => {
    expect(isAlive(server.pid())).toBe(true);
    for (const path of ["/healthz", "/livez", "/readyz"]) {
      const res = await rest(server, { method: "GET", path });
      expect([path, res.status, res.body]).toEqual([path, 200, "ok"]);
    }
    const ns = `after-fuzz`;
    await restJson(server, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    const created = await restJson(server, "POST", `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "check" }, data: { k: "1" } });
    expect(created).toMatchObject({ kind: "ConfigMap", metadata: { name: "check", namespace: ns }, data: { k: "1" } });
    const patched = await restJson(server, "PATCH", `/api/v1/namespaces/${ns}/configmaps/check`, { data: { k: "2" } }, "application/merge-patch+json");
    expect(patched.data).toEqual({ k: "2" });
    const list = await restJson(server, "GET", `/api/v1/namespaces/${ns}/configmaps`);
    expect((list.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual(["check"]);
    await restJson(server, "DELETE", `/api/v1/namespaces/${ns}/configmaps/check`);
    const gone = await rest(server, { method: "GET", path: `/api/v1/namespaces/${ns}/configmaps/check` });
    expect(gone.status).toBe(404);
  });
});
