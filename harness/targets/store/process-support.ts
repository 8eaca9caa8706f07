// Helpers for store backends that run as OS processes: free loopback ports, waiting for a line of
// output, stopping a whole process group. Live code (wall time is fine here).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address for a loopback listener");
  return address.port;
}

/** Keeps the last `maxLines` lines of a process's output, for error messages. */
export class OutputTail {
  private readonly lines: string[] = [];
  constructor(private readonly maxLines = 40) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
  toString(): string {
    return this.lines.join("\n");
  }
}

/**
 * Resolves when a line of the child's stdout or stderr matches `pattern`; rejects when the child
 * exits first or `timeoutMs` passes. Every line also goes to `tail`.
 */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, tail: OutputTail): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, line?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off("close", onExit);
      if (err) reject(err);
      else resolve(line ?? "");
    };
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${tail.toString()}`)),
      timeoutMs,
    );
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`exited (code ${code}, signal ${signal}) before printing ${pattern}; output:\n${tail.toString()}`));
    // "close", not "exit": by then every line the child printed has been read.
    child.once("close", onExit);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      let buffered = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf("\n");
        while (newline >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          tail.push(line);
          if (pattern.test(line)) finish(undefined, line);
          newline = buffered.indexOf("\n");
        }
        // A process that never prints a newline must not grow this buffer without bound.
        if (buffered.length > 64 * 1024) buffered = buffered.slice(-1024);
      });
    }
  });
}

/**
 * Stops a child started with `detached: true` by signalling its whole process group (so its own
 * children die too): `signal` first, SIGKILL after `graceMs`. Resolves once the child exited.
 */
export async function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Runs a command to completion; resolves with its exit code and output (never rejects on exit code). */
export function runCommand(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    // Output is for parsing and error messages: keep at most the first MiB of each stream.
    const maxChars = 1024 * 1024;
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout = (stdout + s).slice(0, maxChars)));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(0, maxChars)));
    child.on("error", (err) => resolve({ code: null, stdout, stderr: stderr + String(err) }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
