// The reference API server as its own OS process (`plumbline component apiserver`), on a free
// loopback port with a kubeconfig in a temp dir: what a live cluster runs, and what the kubectl and
// client-library compatibility tests talk to. Started detached so that stopping it stops its whole
// process group. kubectl sends bearer tokens only over HTTPS, so the server serves TLS when openssl
// is there, and plain HTTP with --anonymous-auth otherwise.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freeLoopbackPort, OutputTail, stopProcessGroup, waitForLine } from "../store/process-support.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = join(REPO_ROOT, "bin", "plumbline.mjs");
/** The line the server prints once it serves: `plumbline apiserver listening on <url> ...`. */
const READY_PATTERN = /plumbline apiserver listening on (https?:\/\/\S+)/;

export interface ApiServerProcessOptions {
  /** `memory` (default) or an etcd v3 endpoint (`127.0.0.1:PORT`: the reference store or real etcd). */
  store?: string;
  /** TLS: "auto" (default) when openssl is installed; true requires it; false serves plain HTTP. */
  tls?: boolean | "auto";
  /** Requests without a token are system:anonymous (default: only when serving plain HTTP). */
  anonymousAuth?: boolean;
  /** Default: a free port. */
  port?: number;
  /** With store `memory`: keep the store (and the TLS files) durably here; kept by stop(). */
  dataDir?: string;
  /** A fixed admin token; default: the server draws one. */
  token?: string;
  startTimeoutMs?: number;
  extraArgs?: string[];
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ApiServerProcess {
  /** `https://127.0.0.1:PORT` or `http://...`. */
  url: string;
  /** The kubeconfig file (admin token, CA data with TLS). */
  kubeconfig: string;
  /** The admin bearer token from the kubeconfig. */
  token: string;
  /** PEM of the server's CA, with TLS. */
  caData?: string;
  tls: boolean;
  pid(): number | undefined;
  /**
   * Runs kubectl against the server with its own discovery cache. `binary` picks another kubectl
   * (see findKubectl); stdin is closed unless `input` is given.
   */
  kubectl(args: string[], opts?: { binary?: string; input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** SIGKILL to the process group. */
  kill(): Promise<void>;
  /**
   * Kills the server if it runs, then starts it again on the same port, store and token (an
   * in-memory store without dataDir starts empty; without dataDir the CA is new, in the kubeconfig).
   */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after a grace period); removes the temp dir. */
  stop(): Promise<void>;
}

/** Whether the openssl command runs here. */
export function hasOpenssl(): boolean {
  return spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;
}

/**
 * The kubectl to run: `kubectl` on the PATH, or a versioned binary beside the real file
 * (`kubectl.1.27` ... `kubectl.1.33`, as the machines have them). undefined when missing.
 */
export function findKubectl(version?: string): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" });
  if (found.status !== 0 || found.stdout.trim() === "") return undefined;
  const onPath = found.stdout.trim();
  if (version === undefined) return onPath;
  const candidate = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  return existsSync(candidate) ? candidate : undefined;
}

export async function startApiServer(opts: ApiServerProcessOptions = {}): Promise<ApiServerProcess> {
  const openssl = hasOpenssl();
  if (opts.tls === true && !openssl) throw new Error("TLS needs the openssl command (apt-get install openssl)");
  const tls = opts.tls === "auto" || opts.tls === undefined ? openssl : opts.tls;
  const anonymousAuth = opts.anonymousAuth ?? !tls;
  const work = await mkdtemp(join(tmpdir(), "plumbline-apiserver-"));
  const kubeconfig = join(work, "kubeconfig");
  const port = opts.port ?? (await freeLoopbackPort());
  const args = [CLI, "component", "apiserver", "--store", opts.store ?? "memory", "--listen", `127.0.0.1:${port}`, "--kubeconfig-out", kubeconfig];
  if (tls) args.push("--tls");
  if (opts.dataDir !== undefined) args.push("--data-dir", opts.dataDir);
  if (anonymousAuth) args.push("--anonymous-auth");
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  let token = opts.token;

  const launch = async (): Promise<{ child: ChildProcess; url: string }> => {
    const withToken = token === undefined ? args : [...args, "--token", token];
    const child = spawn(process.execPath, [...withToken, ...(opts.extraArgs ?? [])], { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const tail = new OutputTail();
    try {
      const line = await waitForLine(child, READY_PATTERN, timeoutMs, tail);
      // Keep draining the output so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      return { child, url: READY_PATTERN.exec(line)![1]! };
    } catch (err) {
      await stopProcessGroup(child, "SIGKILL");
      throw new Error(`plumbline component apiserver on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };

  let child: ChildProcess | undefined;
  let url: string;
  try {
    ({ child, url } = await launch());
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
  const config = await readFile(kubeconfig, "utf8");
  // A restart must keep the token the kubeconfig holds.
  token ??= /token: (\S+)/.exec(config)?.[1];
  const caBase64 = /certificate-authority-data: (\S+)/.exec(config)?.[1];
  const cacheHome = join(work, "home");
  await mkdir(cacheHome, { recursive: true });

  return {
    url,
    kubeconfig,
    token: token ?? "",
    ...(caBase64 === undefined ? {} : { caData: Buffer.from(caBase64, "base64").toString("utf8") }),
    tls,
    pid: () => child?.pid,
    kubectl: (kubectlArgs, o = {}) => runKubectl(o.binary ?? findKubectl() ?? "kubectl", kubectlArgs, kubeconfig, cacheHome, o.input, o.timeoutMs ?? 60_000),
    async kill() {
      if (child) await stopProcessGroup(child, "SIGKILL");
    },
    async restart() {
      if (child) await stopProcessGroup(child, "SIGKILL");
      child = undefined;
      ({ child } = await launch());
    },
    async stop() {
      if (child) await stopProcessGroup(child, "SIGTERM");
      child = undefined;
      await rm(work, { recursive: true, force: true });
    },
  };
}

function runKubectl(binary: string, args: string[], kubeconfig: string, home: string, input: string | undefined, timeoutMs: number): Promise<KubectlResult> {
  return new Promise((resolve) => {
    // HOME holds kubectl's discovery and http caches, private to this server.
    const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: home };
    const child = spawn(binary, args, { env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    const maxChars = 4 * 1024 * 1024;
    child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout = (stdout + s).slice(0, maxChars)));
    child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(0, maxChars)));
    if (input !== undefined) child.stdin?.end(input);
    child.on("error", (err) => resolve({ code: null, stdout, stderr: stderr + String(err) }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
