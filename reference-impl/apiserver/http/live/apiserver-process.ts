// `plumbline component apiserver`: the reference API server as its own process. The core (ApiServer)
// on a KV — in-process (`memory`, durable when given a data dir) or any etcd v3 endpoint over gRPC
// (the reference store or real etcd) — served over HTTP(S) on a loopback address with bearer-token
// authentication, and a kubeconfig for kubectl. Stops on SIGINT/SIGTERM. Live code.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KV } from "../../../../spec/interfaces/kv.ts";
import { RealClock } from "../../../runtime/real-clock.ts";
import { RealDisk } from "../../../runtime/real-disk.ts";
import { SeededRng } from "../../../runtime/rng.ts";
import { GrpcKv } from "../../../store/grpc/client.ts";
import { LocalKv } from "../../../store/local-kv.ts";
import { openDurableKv } from "../../../store/wal/durable-store.ts";
import { buildAdmission } from "../../admission/index.ts";
import type { ApiServerHooks } from "../../hooks.ts";
import { OpenApiDocuments } from "../../openapi/index.ts";
import { ResourceRegistry } from "../../resources.ts";
import { ApiServer } from "../../server.ts";
import { type TokenUser, TokenAuthenticator, parseTokenAuthFile } from "../auth.ts";
import { servedGroupVersions } from "../discovery.ts";
import type { HealthCheckResult } from "../endpoints.ts";
import { HttpApi } from "../handler.ts";
import { goPlatform, versionInfo } from "../version.ts";
import { type RunningHttpServer, assertLoopback, startHttpServer } from "./http-server.ts";
import { writeKubeconfig } from "./kubeconfig-file.ts";
import { type ServerTls, loadOrGenerateServerTls } from "./tls.ts";

export interface ApiServerProcessOptions {
  /** `memory` (in-process store) or an etcd v3 endpoint such as `127.0.0.1:2379`. */
  store: string;
  /** `HOST:PORT` on a loopback address; port 0 picks a free one. */
  listen: string;
  /** Where to write a kubeconfig for the admin token. */
  kubeconfigOut?: string;
  /** With `memory`: keep the store durably here (write-ahead log). Also where TLS files go. */
  dataDir?: string;
  /** The admin bearer token; default: a fresh random one. */
  token?: string;
  /** More users: a token-auth-file (`token,user[,uid[,groups]]`). */
  tokenAuthFile?: string;
  /** Serve HTTPS with a generated CA (needs openssl). Default off. */
  tls?: boolean;
  /**
   * Treat requests without a token as system:anonymous (upstream's --anonymous-auth, with no
   * authorization behind it) instead of answering 401. kubectl sends tokens only over HTTPS, so
   * kubectl on plain HTTP needs this. Default off.
   */
  anonymousAuth?: boolean;
  /** Seed of uids and generated names; default random. */
  seed?: bigint;
  /** Hooks replacing ApiServer's defaults and the admission chain built here (extra subresources are added). */
  hooks?: Partial<ApiServerHooks>;
  /** How long to keep retrying a store that is not up yet (default 30 s). */
  storeWaitMs?: number;
  log?: (line: string) => void;
}

export interface RunningApiServer {
  /** `http://127.0.0.1:PORT` (https with TLS). */
  url: string;
  /** The admin token. */
  token: string;
  /** PEM of the CA, with TLS. */
  caData?: string;
  server: ApiServer;
  /** Stops serving, ends watches, closes the store. */
  stop(): Promise<void>;
}

/** The admin user of the generated kubeconfig. */
export const ADMIN_USER = "admin";

export function parseListenAddress(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`--listen ${JSON.stringify(listen)}: expected HOST:PORT, e.g. 127.0.0.1:6443`);
  const host = m[1] ?? m[2]!;
  assertLoopback(host);
  return { host, port };
}

interface OpenedStore {
  kv: KV;
  close(): Promise<void>;
}

async function openStore(opts: ApiServerProcessOptions, clock: RealClock, rng: SeededRng): Promise<OpenedStore> {
  if (opts.store !== "memory") {
    const kv = new GrpcKv({ endpoint: opts.store, callTimeoutMs: 30_000 });
    return { kv, close: () => kv.close() };
  }
  if (opts.dataDir === undefined) {
    const kv = new LocalKv({ clock, rng: rng.fork("store") });
    return { kv, close: () => kv.close() };
  }
  const disk = new RealDisk();
  const kv = await openDurableKv({ disk, dir: join(opts.dataDir, "store"), clock, rng: rng.fork("store") });
  return {
    kv,
    async close() {
      await kv.close();
      await disk.close();
    },
  };
}

/** ApiServer.start against a store that may still be starting: retried until `waitMs` passes. */
async function startCore(server: ApiServer, clock: RealClock, waitMs: number, log: (line: string) => void): Promise<void> {
  const deadline = clock.now() + waitMs;
  let delayMs = 100;
  for (;;) {
    try {
      await server.start();
      return;
    } catch (err) {
      if (clock.now() + delayMs > deadline) throw new Error(`the store did not answer: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      log(`plumbline apiserver: store not ready (${err instanceof Error ? err.message : String(err)}), retrying`);
      await clock.sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 2000);
    }
  }
}

/** etcd's health check: a read of the store within a few seconds. */
function storeHealth(kv: KV): () => Promise<HealthCheckResult[]> {
  return async () => {
    const probe = kv.range({ key: new TextEncoder().encode("/registry/health"), countOnly: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), 2000);
    });
    try {
      await Promise.race([probe, timeout]);
      return [{ name: "etcd" }];
    } catch (err) {
      return [{ name: "etcd", error: err instanceof Error ? err.message : String(err) }];
    } finally {
      clearTimeout(timer);
    }
  };
}

export async function startApiServerProcess(opts: ApiServerProcessOptions): Promise<RunningApiServer> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const { host, port } = parseListenAddress(opts.listen);
  const clock = new RealClock();
  const rng = SeededRng.fromSeed(opts.seed ?? randomBytes(8).readBigUInt64BE());
  const token = opts.token ?? randomBytes(32).toString("base64url");
  const users: TokenUser[] = [{ token, user: ADMIN_USER }];
  if (opts.tokenAuthFile !== undefined) users.push(...parseTokenAuthFile(await readFile(opts.tokenAuthFile, "utf8")));

  let tls: ServerTls | undefined;
  let tlsTmp: string | undefined;
  if (opts.tls === true) {
    const dir = opts.dataDir !== undefined ? join(opts.dataDir, "tls") : (tlsTmp = await mkdtemp(join(tmpdir(), "plumbline-apiserver-tls-")));
    tls = await loadOrGenerateServerTls(dir);
  }

  const store = await openStore(opts, clock, rng);
  const registry = new ResourceRegistry();
  const admission = buildAdmission({
    kv: store.kv,
    clock,
    rng: rng.fork("admission"),
    // No service account controller runs yet, so no namespace has a "default" ServiceAccount and
    // upstream's rule (refuse the pod) would refuse every pod. Admit them until that controller
    // exists; its issue flips this back to upstream's behaviour.
    serviceAccount: { requireServiceAccount: false },
    // The `kubernetes` service forwards to our port (with port 0 the real one is only known later).
    ...(port === 0 ? {} : { securePort: port }),
  });
  const server = new ApiServer({
    kv: store.kv,
    clock,
    rng: rng.fork("apiserver"),
    registry,
    hooks: {
      ...admission.hooks,
      ...opts.hooks,
      subresources: { ...admission.hooks.subresources, ...opts.hooks?.subresources },
    },
    onError: (err) => log(`plumbline apiserver: ${err instanceof Error ? err.message : String(err)}`),
  });
  admission.attach(server);
  let http: RunningHttpServer | undefined;
  try {
    await startCore(server, clock, opts.storeWaitMs ?? 30_000, log);
    // After start: the default namespace the `kubernetes` service lives in exists by then.
    await admission.bootstrap();
    const api = new HttpApi({
      core: server,
      registry,
      clock,
      rng: rng.fork("http"),
      authenticator: new TokenAuthenticator(users),
      anonymousAuth: opts.anonymousAuth === true,
      // The real port (for --listen HOST:0), known once the server listens.
      serverAddress: () => `${host.includes(":") ? `[${host}]` : host}:${http?.port ?? port}`,
      openapi: new OpenApiDocuments(servedGroupVersions(registry)),
      version: versionInfo(goPlatform(process.platform, process.arch), `node${process.versions.node}`),
      healthChecks: storeHealth(store.kv),
    });
    http = await startHttpServer({ api, host, port, ...(tls === undefined ? {} : { tls: { cert: tls.cert, key: tls.key } }), log });
  } catch (err) {
    await server.stop();
    await store.close();
    throw err;
  }
  const running = http;
  if (opts.kubeconfigOut !== undefined) {
    await writeKubeconfig(opts.kubeconfigOut, { server: running.url, token, ...(tls === undefined ? {} : { caData: tls.caCert }) });
  }
  return {
    url: running.url,
    token,
    ...(tls === undefined ? {} : { caData: tls.caCert }),
    server,
    async stop() {
      await server.stop();
      await running.close();
      await store.close();
      if (tlsTmp !== undefined) await rm(tlsTmp, { recursive: true, force: true });
    },
  };
}

/** Grace given to a stop before the process exits anyway. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs the API server until SIGINT or SIGTERM, printing `plumbline apiserver listening on <url>`
 * once it serves. Resolves after a clean stop.
 */
export async function runApiServerProcess(opts: ApiServerProcessOptions): Promise<void> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const running = await startApiServerProcess({ ...opts, log });
  if (opts.tls !== true && opts.anonymousAuth !== true) {
    log("plumbline apiserver: note: kubectl sends tokens only over https; use --tls (or --anonymous-auth) for kubectl");
  }
  if (opts.kubeconfigOut !== undefined) log(`plumbline apiserver: kubeconfig written to ${opts.kubeconfigOut}`);
  log(`plumbline apiserver listening on ${running.url}`);
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log(`plumbline apiserver: ${signal}, stopping`);
      const grace = setTimeout(() => {
        log(`plumbline apiserver: not stopped after ${STOP_GRACE_MS} ms, exiting`);
        process.exit(1);
      }, STOP_GRACE_MS);
      running.stop().then(
        () => {
          clearTimeout(grace);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(grace);
          reject(err);
        },
      );
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  log("plumbline apiserver stopped");
}
