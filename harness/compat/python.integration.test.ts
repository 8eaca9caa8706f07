// The official Python client (Debian's python3-kubernetes 22.6) against a live reference API server:
// python/list_watch.py loads the generated kubeconfig, lists pods by label selector and watches them
// from the list's resourceVersion with a timeout, printing `TYPE name` lines; the test writes
// objects and checks what the script saw.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServerProcess, startApiServer } from "../targets/live/apiserver-process.ts";
import { restJson } from "./live/rest.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const SCRIPT = fileURLToPath(new URL("./python/list_watch.py", import.meta.url));
const NS = "python";

/** A python3 that imports `kubernetes` (pyenv shims may shadow Debian's /usr/bin/python3). */
function findPython(): string | undefined {
  const candidates = [process.env.PLUMBLINE_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => c !== undefined && c !== "");
  return candidates.find((c) => spawnSync(c, ["-c", "import kubernetes"], { stdio: "ignore" }).status === 0);
}

const python = findPython();
if (python === undefined) {
  const message = "the Python Kubernetes client is not installed (apt-get install python3-kubernetes)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[compat/python] skipping: ${message}`);
}

let server: ApiServerProcess;
beforeAll(async () => {
  if (python === undefined) return;
  server = await startApiServer();
  await restJson(server, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
});
afterAll(async () => {
  await server?.stop();
});

const podBody = (name: string, labels: Record<string, string>): unknown => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27" }] },
});
const createPod = (name: string, labels: Record<string, string>): Promise<unknown> => restJson(server, "POST", `/api/v1/namespaces/${NS}/pods`, podBody(name, labels));

/** The script as a child process, with its stdout lines as they arrive. */
class Script {
  readonly lines: string[] = [];
  stderr = "";
  private readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[]) {
    this.child = spawn(python!, [SCRIPT, server.kubeconfig, ...args], { stdio: ["ignore", "pipe", "pipe"], timeout: 90_000 });
    let partial = "";
    this.child.stdout!.setEncoding("utf8").on("data", (s: string) => {
      const parts = (partial + s).split("\n");
      partial = parts.pop()!;
      this.lines.push(...parts);
    });
    this.child.stderr!.setEncoding("utf8").on("data", (s: string) => (this.stderr = (this.stderr + s).slice(-20_000)));
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
  }

  /** Waits for a line matching `pattern` (or the script's exit). */
  async line(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((l) => pattern.test(l));
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no line matching ${pattern}; stdout: ${JSON.stringify(this.lines)}; stderr: ${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async exit(): Promise<{ code: number | null; lines: string[] }> {
    const code = await this.exited;
    return { code, lines: this.lines };
  }
}

describe.skipIf(python === undefined)("python3-kubernetes against the reference API server", () => {
  it("lists pods by label selector, then watches ADDED, MODIFIED and DELETED from the list's resourceVersion", async () => {
    await createPod("py-a", { app: "py", role: "a" });
    await createPod("py-b", { app: "py", role: "b" });
    await createPod("py-other", { app: "other" });

    // ADDED py-c, MODIFIED py-a, then for py-b's deletion MODIFIED (deletionTimestamp) and DELETED.
    const script = new Script([NS, "app=py", "30", "4"]);
    const watching = await script.line(/^WATCHING /);
    expect(watching).toMatch(/^WATCHING \d+$/);
    expect(script.lines.slice(0, 2)).toEqual(["LISTED py-a", "LISTED py-b"]);

    await createPod("py-c", { app: "py", role: "c" });
    await createPod("py-other-2", { app: "other" });
    await restJson(server, "PATCH", `/api/v1/namespaces/${NS}/pods/py-a`, { metadata: { labels: { touched: "yes" } } }, "application/merge-patch+json");
    await restJson(server, "DELETE", `/api/v1/namespaces/${NS}/pods/py-b`);

    const { code, lines } = await script.exit();
    expect(code, script.stderr).toBe(0);
    expect(lines).toEqual(["LISTED py-a", "LISTED py-b", watching, "ADDED py-c", "MODIFIED py-a", "MODIFIED py-b", "DELETED py-b", "END"]);
  });

  it("ends the watch when the server's timeoutSeconds runs out", async () => {
    const script = new Script([NS, "app=py,role in (a, c)", "1"]);
    const { code, lines } = await script.exit();
    expect(code, script.stderr).toBe(0);
    expect(lines).toEqual(["LISTED py-a", "LISTED py-c", expect.stringMatching(/^WATCHING \d+$/), "END"]);
  });

  it("lists and watches pods of a namespace that does not exist: an empty list, as upstream", async () => {
    // Upstream lists in a namespace that does not exist answer an empty list, not an error.
    const script = new Script(["no-such-namespace", "", "1"]);
    const { code, lines } = await script.exit();
    expect(code, script.stderr).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^WATCHING \d+$/), "END"]);
  });
});
