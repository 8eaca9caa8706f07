// kill -9 at the storage level: a child process writes acknowledged puts to the durable store on
// the real disk and prints each acknowledged key; the test SIGKILLs it mid-stream, recovers the
// data dir in this process and checks that every acknowledged key is there. Twice, on the same dir.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RealDisk } from "../../runtime/real-disk.ts";
import { openDurableStore } from "./durable-store.ts";

const WRITER = fileURLToPath(new URL("./process/crash-writer.ts", import.meta.url));
const dec = new TextDecoder();
let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "plumbline-crash-"));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it acknowledged `killAfter` keys, then SIGKILLs it; returns the keys it printed. */
function writeThenKill(prefix: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir, prefix, "16"], {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    let err = "";
    let killed = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (!killed && out.split("\n").length > killAfter) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") {
        reject(new Error(`writer exited with code ${code} before it was killed:\n${err}`));
        return;
      }
      // Only whole lines: a key is acknowledged once its line is complete.
      const lines = out.split("\n");
      resolve(lines.slice(0, -1));
    });
  });
}

async function recoveredKeys(): Promise<{ keys: Set<string>; revision: number }> {
  const disk = new RealDisk();
  const durable = await openDurableStore({ disk, dir });
  const store = durable.store;
  const res = store.range({ key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0) });
  await durable.close();
  await disk.close();
  return { keys: new Set(res.kvs.map((kv) => dec.decode(kv.key))), revision: store.revision };
}

describe("kill -9 of a process writing to the durable store", () => {
  it("loses no acknowledged put, across two kills on the same data dir", async () => {
    const first = await writeThenKill("a/", 3000);
    expect(first.length).toBeGreaterThanOrEqual(3000);
    const afterFirst = await recoveredKeys();
    const lostFirst = first.filter((k) => !afterFirst.keys.has(k));
    expect(lostFirst, "acknowledged keys missing after the first kill").toEqual([]);

    const second = await writeThenKill("b/", 3000);
    const afterSecond = await recoveredKeys();
    const lost = [...first, ...second].filter((k) => !afterSecond.keys.has(k));
    expect(lost, "acknowledged keys missing after the second kill").toEqual([]);
    // Revisions went on from where the first run stopped: every put took a new revision.
    expect(afterSecond.revision).toBeGreaterThanOrEqual(afterFirst.revision + second.length);
    // The run was long enough to exercise snapshots and segment removal.
    const names = await readdir(dir);
    expect(names.some((n) => n.endsWith(".snap"))).toBe(true);
    expect(names.includes("0000000000000001.wal")).toBe(false);
  });
});
