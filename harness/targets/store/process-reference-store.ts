// The reference store as its own OS process (`plumbline component store`), on a free loopback port
// with its own data directory: what a live cluster runs, and what the conformance suite tests over
// gRPC. Started detached so that stopping it stops its whole process group.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freeLoopbackPort, OutputTail, stopProcessGroup, waitForLine } from "./process-support.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = join(REPO_ROOT, "bin", "plumbline.mjs");
/** The store prints a line containing this once its gRPC server accepts connections. */
const READY_PATTERN = /listening/i;

export interface ReferenceStoreOptions {
  /** Reuse a data directory; default: a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** Default: a free port. */
  port?: number;
  startTimeoutMs?: number;
  /** Extra flags for `plumbline component store`. */
  extraArgs?: string[];
}

export interface ReferenceStoreProcess {
  /** `127.0.0.1:PORT`. */
  endpoint: string;
  dataDir: string;
  pid(): number | undefined;
  /** SIGKILL to the process group; the data dir stays. */
  kill(): Promise<void>;
  /** Kills the store if it runs, then starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after a grace period); removes the data dir if it was created here. */
  stop(): Promise<void>;
}

export async function startReferenceStore(opts: ReferenceStoreOptions = {}): Promise<ReferenceStoreProcess> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "plumbline-store-")));
  const port = opts.port ?? (await freeLoopbackPort());
  const endpoint = `127.0.0.1:${port}`;
  const args = [CLI, "component", "store", "--listen", endpoint, "--data-dir", dataDir, ...(opts.extraArgs ?? [])];
  const timeoutMs = opts.startTimeoutMs ?? 30_000;

  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const tail = new OutputTail();
    try {
      await waitForLine(child, READY_PATTERN, timeoutMs, tail);
    } catch (err) {
      await stopProcessGroup(child, "SIGKILL");
      throw new Error(`plumbline component store on ${endpoint}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return child;
  };

  let child: ChildProcess | undefined;
  try {
    child = await launch();
  } catch (err) {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint,
    dataDir,
    pid: () => child?.pid,
    async kill() {
      if (child) await stopProcessGroup(child, "SIGKILL");
    },
    async restart() {
      if (child) await stopProcessGroup(child, "SIGKILL");
      child = undefined;
      child = await launch();
    },
    async stop() {
      if (child) await stopProcessGroup(child, "SIGTERM");
      child = undefined;
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
