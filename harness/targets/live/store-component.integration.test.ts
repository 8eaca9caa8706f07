// `plumbline component store` as a real process: its flags, its ready line, a clean SIGTERM, and a
// kill -9 in the middle of concurrent puts that loses no acknowledged put.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { GrpcKv } from "../../../reference-impl/store/grpc/client.ts";
import { freeLoopbackPort, OutputTail, stopProcessGroup, waitForLine } from "../store/process-support.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = join(ROOT, "bin", "plumbline.mjs");
const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (u: Uint8Array): string => new TextDecoder().decode(u);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "plumbline-store-test-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts the store as its own process group; resolves once it prints its ready line. */
async function startStore(endpoint: string, dataDir: string): Promise<{ child: ChildProcess; tail: OutputTail; line: string }> {
  const child = spawn(process.execPath, [CLI, "component", "store", "--listen", endpoint, "--data-dir", dataDir], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => stopProcessGroup(child, "SIGKILL"));
  const tail = new OutputTail();
  const line = await waitForLine(child, /plumbline store listening on/, 60_000, tail);
  return { child, tail, line };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

describe("plumbline component store", () => {
  it("prints its flags with --help", async () => {
    const { code, stdout } = await run(["component", "store", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--listen <host:port>");
    expect(stdout).toMatch(/\(default:\s+"127\.0\.0\.1:2379"\)/);
    expect(stdout).toContain("--data-dir <dir>");
    expect(stdout).toMatch(/\(default:\s+"\.\/plumbline-store\.data"\)/);
  });

  it("serves etcd's API on --listen, keeps its data across a SIGTERM restart", async () => {
    const dir = await tempDir();
    const endpoint = `127.0.0.1:${await freeLoopbackPort()}`;
    const first = await startStore(endpoint, dir);
    expect(first.line).toBe(`plumbline store listening on ${endpoint} (data dir ${dir})`);
    const kv = new GrpcKv({ endpoint });
    cleanups.push(() => kv.close());
    await kv.put({ key: b("k"), value: b("v") });

    const exited = new Promise<number | null>((resolve) => first.child.once("exit", (code) => resolve(code)));
    process.kill(-first.child.pid!, "SIGTERM");
    expect(await exited).toBe(0);
    expect(first.tail.toString()).toContain("plumbline store stopped");

    await startStore(endpoint, dir);
    const again = new GrpcKv({ endpoint });
    cleanups.push(() => again.close());
    expect((await again.range({ key: b("k") })).kvs.map((x) => str(x.value))).toEqual(["v"]);
  });

  it("loses no acknowledged put when killed with SIGKILL in the middle of concurrent puts", async () => {
    const dir = await tempDir();
    const endpoint = `127.0.0.1:${await freeLoopbackPort()}`;
    const { child } = await startStore(endpoint, dir);

    const writers = 16;
    const acked = new Map<string, number>(); // key -> revision of its acknowledgement
    let failures = 0;
    let killed = false;
    let kill: () => void = () => {};
    const killedNow = new Promise<void>((resolve) => (kill = resolve));
    const clients = Array.from({ length: writers }, () => new GrpcKv({ endpoint, callTimeoutMs: 5000 }));
    cleanups.push(async () => void (await Promise.all(clients.map((c) => c.close()))));

    const write = async (client: GrpcKv, w: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const key = `kill/${w}/${i}`;
        try {
          const res = await client.put({ key: b(key), value: b(`value-${w}-${i}`) });
          acked.set(key, res.header.revision);
          if (acked.size >= 400) kill();
        } catch {
          // A put without an answer is ambiguous: it may or may not have been applied.
          failures++;
        }
      }
    };
    const writing = Promise.all(clients.map((c, w) => write(c, w)));
    await killedNow;
    killed = true;
    await stopProcessGroup(child, "SIGKILL");
    await writing;
    expect(acked.size).toBeGreaterThanOrEqual(400);
    expect(failures).toBeGreaterThan(0);

    await startStore(endpoint, dir);
    const reader = new GrpcKv({ endpoint });
    cleanups.push(() => reader.close());
    const all = await reader.range({ key: b("kill/"), rangeEnd: b("kill0") });
    const found = new Map(all.kvs.map((x) => [str(x.key), x]));
    const lost = [...acked.keys()].filter((k) => !found.has(k));
    expect(lost).toEqual([]);
    for (const [key, revision] of acked) {
      const kv = found.get(key)!;
      const [, w, i] = key.split("/");
      expect([str(kv.value), kv.modRevision]).toEqual([`value-${w}-${i}`, revision]);
    }
  });
});
