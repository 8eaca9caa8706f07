// Real etcd (3.4, Debian's etcd-server) as a child process on free loopback ports, for tests and
// benchmarks that compare the reference store with the real thing. Readiness is etcd's own log line,
// so no polling is needed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPort } from "./process-support.ts";

export interface EtcdProcessOptions {
  /** Reuse a data directory (restart after a kill); default: a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** Client port; default: a free one. */
  port?: number;
  /** The etcd binary; default `etcd` on the PATH. */
  binary?: string;
  /** Extra command-line flags. */
  extraArgs?: string[];
}

export interface EtcdProcess {
  /** `127.0.0.1:PORT`, what GrpcKv and etcdctl take. */
  endpoint: string;
  port: number;
  dataDir: string;
  pid: number;
  /** SIGTERM and wait for exit; removes the data dir if this helper created it. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit; keeps the data dir (restart with `startEtcd({ dataDir })`). */
  kill(): Promise<void>;
}

const READY_LINE = "ready to serve client requests";
/** Log kept for error messages; etcd logs a lot at start. */
const LOG_TAIL_CHARS = 4000;

/** True when an `etcd` binary runs on this machine. */
export function etcdAvailable(binary = "etcd"): boolean {
  return spawnSync(binary, ["--version"], { stdio: "ignore" }).status === 0;
}

/** A currently free TCP port on 127.0.0.1 (kept under this name for existing callers). */
export const freePort = freeLoopbackPort;

export async function startEtcd(opts: EtcdProcessOptions = {}): Promise<EtcdProcess> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "plumbline-etcd-")));
  const port = opts.port ?? (await freePort());
  let peerPort = await freePort();
  while (peerPort === port) peerPort = await freePort();
  const client = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    "--data-dir", dataDir,
    "--name", "default",
    "--listen-client-urls", client,
    "--advertise-client-urls", client,
    "--listen-peer-urls", peer,
    "--initial-advertise-peer-urls", peer,
    "--initial-cluster", `default=${peer}`,
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(opts.binary ?? "etcd", args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitReady(child, args);

  const endpoint = `127.0.0.1:${port}`;
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    endpoint,
    port,
    dataDir,
    pid: child.pid ?? -1,
    async stop() {
      await signal("SIGTERM");
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
    kill: () => signal("SIGKILL"),
  };
}

function waitReady(child: ChildProcess, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    let ready = false;
    const onData = (chunk: Buffer): void => {
      log = (log + chunk.toString("utf8")).slice(-LOG_TAIL_CHARS);
      if (!ready && log.includes(READY_LINE)) {
        ready = true;
        resolve();
      }
    };
    // Keep draining both pipes for the whole life of the process, or etcd blocks on a full pipe.
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => reject(new Error(`etcd did not start (${err.message}); install Debian's etcd-server`)));
    child.once("exit", (code, sig) => {
      if (!ready) reject(new Error(`etcd ${args.join(" ")} exited (${code ?? sig}) before it was ready:\n${log}`));
    });
  });
}
