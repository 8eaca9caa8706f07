// Support for the kubectl compatibility tests: a live reference API server on a store backend (the
// reference store or real etcd) started once per describe block, kubectl output parsing (tables by
// their header columns), and `kubectl get -w` read line by line and then killed. Components that
// are missing skip the tests locally with what to install, and fail them under
// PLUMBLINE_REQUIRE_REAL=1 (as harness/store-conformance/fixture.ts does). Live code.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, type TestContext } from "vitest";
import { type ApiServerProcess, type KubectlResult, findKubectl, startApiServer } from "../../targets/live/apiserver-process.ts";
import { type RunningStore, type StoreBackendName, storeBackend } from "../../targets/store/backends.ts";

export const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";

const KUBECTL_HINT = "install kubectl 1.32 (and kubectl.1.27 / kubectl.1.33 beside it for the smoke tests)";

/** Why something the tests need cannot run here, or undefined. */
export function kubectlMissing(version?: string): string | undefined {
  return findKubectl(version) === undefined ? `kubectl${version === undefined ? "" : `.${version}`} not found: ${KUBECTL_HINT}` : undefined;
}

export interface KubectlServer {
  /** The running server (skips the test locally when a component is missing). */
  server(ctx: TestContext): ApiServerProcess;
  /** kubectl (1.32 by default, or `binary`); throws with its stderr unless it exits 0. */
  ok(ctx: TestContext, args: string[], opts?: { binary?: string; input?: string }): Promise<string>;
  /** kubectl expected to fail: its result (throws if it exits 0). */
  fails(ctx: TestContext, args: string[], opts?: { binary?: string; input?: string }): Promise<KubectlResult>;
}

/**
 * Starts the store backend and a reference API server on it for the enclosing describe block
 * (beforeAll), stopped afterwards. Call it at the top of a `describe`.
 */
export function useKubectlServer(backendName: StoreBackendName): KubectlServer {
  let store: RunningStore | undefined;
  let api: ApiServerProcess | undefined;
  let skipReason: string | undefined;
  let failure: Error | undefined;

  beforeAll(async () => {
    const backend = storeBackend(backendName);
    const missing = kubectlMissing() ?? (await backend.unavailable());
    if (missing !== undefined) {
      if (REQUIRE_REAL) failure = new Error(`${missing} (PLUMBLINE_REQUIRE_REAL=1: real components are required)`);
      else {
        skipReason = missing;
        console.warn(`[kubectl compat] skipping ${backendName}: ${missing}`);
      }
      return;
    }
    try {
      store = await backend.start();
      if (store.endpoint === undefined) throw new Error(`${backendName} has no endpoint for the API server`);
      api = await startApiServer({ store: store.endpoint });
    } catch (err) {
      // Reported by every test rather than by the hook, so each one counts as failed.
      failure = new Error(`the API server on ${backendName} did not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });

  afterAll(async () => {
    await api?.stop();
    await store?.stop();
  });

  const server = (ctx: TestContext): ApiServerProcess => {
    if (failure) throw failure;
    if (skipReason !== undefined) ctx.skip(skipReason);
    if (!api) throw new Error(`the API server on ${backendName} did not start`);
    return api;
  };
  return {
    server,
    async ok(ctx, args, opts = {}) {
      const res = await server(ctx).kubectl(args, opts);
      if (res.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${String(res.code)}:\n${res.stderr}${res.stdout}`);
      return res.stdout;
    },
    async fails(ctx, args, opts = {}) {
      const res = await server(ctx).kubectl(args, opts);
      if (res.code === 0) throw new Error(`kubectl ${args.join(" ")} succeeded, expected a failure:\n${res.stdout}`);
      return res;
    },
  };
}

/**
 * The rows of a kubectl table, each cell keyed by its column header. Columns are found from the
 * header line (kubectl left-aligns every cell at its header's offset; headers may hold one space,
 * as in "NOMINATED NODE").
 */
export function parseTable(stdout: string): Record<string, string>[] {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0];
  if (header === undefined) return [];
  const columns: { name: string; start: number }[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) columns.push({ name: m[0], start: m.index });
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    columns.forEach((c, i) => {
      const end = columns[i + 1]?.start ?? line.length;
      row[c.name] = line.slice(c.start, end).trim();
    });
    return row;
  });
}

/** The table row whose NAME is `name` (throws when missing, with the table). */
export function rowNamed(stdout: string, name: string): Record<string, string> {
  const row = parseTable(stdout).find((r) => r.NAME === name);
  if (row === undefined) throw new Error(`no row ${name} in:\n${stdout}`);
  return row;
}

export interface KubectlWatch {
  /** Lines printed so far. */
  readonly lines: readonly string[];
  /** Resolves once a printed line matches (throws after `timeoutMs`, with the output). */
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Kills kubectl; its temp HOME is removed. */
  stop(): Promise<void>;
}

/** At most this much of a watch's output is kept. */
const MAX_WATCH_LINES = 10_000;

/** `kubectl <args>` (a `get -w`) left running, its stdout collected line by line. */
export async function startKubectlWatch(server: ApiServerProcess, args: string[], binary?: string): Promise<KubectlWatch> {
  const home = await mkdtemp(join(tmpdir(), "plumbline-kubectl-watch-"));
  const child = spawn(binary ?? findKubectl() ?? "kubectl", args, {
    env: { ...process.env, KUBECONFIG: server.kubeconfig, HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  let exited = false;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...waiters]) w();
  };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const p of parts) if (lines.length < MAX_WATCH_LINES) lines.push(p);
    notify();
  });
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(-4000)));
  const closed = new Promise<void>((resolve) =>
    child.on("close", () => {
      exited = true;
      notify();
      resolve();
    }),
  );
  return {
    lines,
    waitFor(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match);
          if (found !== undefined || exited) {
            clearTimeout(timer);
            waiters.delete(check);
            if (found !== undefined) resolve(found);
            else reject(new Error(`kubectl ${args.join(" ")} exited before the expected line:\n${lines.join("\n")}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`kubectl ${args.join(" ")}: no expected line within ${timeoutMs} ms:\n${lines.join("\n")}\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (!exited) child.kill("SIGKILL");
      await closed;
      await rm(home, { recursive: true, force: true });
    },
  };
}
