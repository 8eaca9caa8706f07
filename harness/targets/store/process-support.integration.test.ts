import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freeLoopbackPort, OutputTail, runCommand, stopProcessGroup, waitForLine } from "./process-support.ts";

/** Whether a process runs (a zombie waiting for its reaper counts as gone). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

describe("process support for store backends", () => {
  it("freeLoopbackPort returns a usable port", async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });

  it("waitForLine resolves with the first matching line, from stdout or stderr", async () => {
    const child = spawn("sh", ["-c", "echo starting; echo 'server listening on 1' >&2; sleep 30"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const tail = new OutputTail();
    try {
      expect(await waitForLine(child, /listening/, 10_000, tail)).toBe("server listening on 1");
      expect(tail.toString()).toContain("starting");
    } finally {
      await stopProcessGroup(child);
    }
  });

  it("waitForLine rejects with the output when the process exits first", async () => {
    const child = spawn("sh", ["-c", "echo 'bad flag' >&2; exit 3"], { stdio: ["ignore", "pipe", "pipe"] });
    await expect(waitForLine(child, /listening/, 10_000, new OutputTail())).rejects.toThrow(/exited \(code 3.*bad flag/s);
  });

  it("waitForLine rejects after the timeout", async () => {
    const child = spawn("sh", ["-c", "sleep 30"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    try {
      await expect(waitForLine(child, /listening/, 200, new OutputTail())).rejects.toThrow(/within 200 ms/);
    } finally {
      await stopProcessGroup(child, "SIGKILL");
    }
  });

  it("stopProcessGroup stops the child's own children too", async () => {
    const child = spawn("sh", ["-c", "sleep 60 & echo $!; wait"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const grandchild = Number(await waitForLine(child, /^\d+$/, 10_000, new OutputTail()));
    expect(alive(grandchild)).toBe(true);
    await stopProcessGroup(child, "SIGTERM");
    await expect.poll(() => alive(grandchild), { timeout: 5000 }).toBe(false);
  });

  it("runCommand reports the exit code and output without throwing", async () => {
    expect(await runCommand("sh", ["-c", "echo out; echo err >&2; exit 2"])).toEqual({ code: 2, stdout: "out\n", stderr: "err\n" });
    expect((await runCommand("/nonexistent/binary", [])).code).toBeNull();
  });
});
