// Real etcdctl 3.4 (Debian etcd-client) against the reference server: the commands an operator uses,
// checked by their output, not only their exit codes.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealClock } from "../../runtime/real-clock.ts";
import { SeededRng } from "../../runtime/rng.ts";
import { LocalKv } from "../local-kv.ts";
import { saveSnapshot, SNAPSHOT_MAGIC } from "../wal/snapshot.ts";
import { startEtcdServer, type EtcdServer } from "./server.ts";
import { readEtcdSnapshotFile } from "./snapshot-file.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const hasEtcdctl = spawnSync("etcdctl", ["version"], { env: { ...process.env, ETCDCTL_API: "3" }, stdio: "ignore" }).status === 0;
if (!hasEtcdctl) {
  const message = "etcdctl is not installed (apt-get install etcd-client)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[etcdctl] skipping: ${message}`);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.skipIf(!hasEtcdctl)("etcdctl 3.4 against the reference server", () => {
  let kv: LocalKv;
  let server: EtcdServer;
  let dir: string;

  /** Runs etcdctl against the server, optionally feeding stdin. */
  const etcdctl = (args: string[], stdin?: string): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn("etcdctl", [`--endpoints=${server.endpoint}`, "--command-timeout=10s", ...args], {
        env: { ...process.env, ETCDCTL_API: "3" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
      child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? "");
    });

  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await etcdctl(args, stdin);
    if (r.code !== 0) throw new Error(`etcdctl ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  /** Starts `etcdctl watch ...`, resolves with the first `lines` lines of its output, then kills it. */
  const watchLines = (args: string[], lines: number, whileWatching: () => Promise<void>): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const child = spawn("etcdctl", [`--endpoints=${server.endpoint}`, "watch", ...args], {
        env: { ...process.env, ETCDCTL_API: "3" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let stderr = "";
      let started = false;
      child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
      child.stdout.setEncoding("utf8").on("data", (s: string) => {
        out += s;
        const got = out.split("\n").filter((l) => l !== "");
        if (got.length >= lines) {
          child.kill("SIGKILL");
          resolve(got.slice(0, lines));
        }
      });
      child.on("spawn", () => {
        if (started) return;
        started = true;
        whileWatching().catch(reject);
      });
      child.on("close", (code) => reject(new Error(`etcdctl watch ended (${code}) after ${JSON.stringify(out)}: ${stderr}`)));
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "plumbline-etcdctl-"));
    kv = new LocalKv({ clock: new RealClock(), rng: SeededRng.fromSeed(11).fork("store") });
    server = await startEtcdServer({ kv, snapshot: async () => saveSnapshot(kv) });
  });
  afterAll(async () => {
    await server?.stop();
    await kv?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("put, get (--prefix, --rev, --limit, -w json) and del", async () => {
    expect(await ok(["put", "foo", "bar"])).toBe("OK\n");
    const rev = (await kv.status()).header.revision;
    expect(await ok(["put", "foo", "bar2"])).toBe("OK\n");
    expect(await ok(["put", "foo2", "baz"])).toBe("OK\n");
    expect(await ok(["get", "foo", "--prefix"])).toBe("foo\nbar2\nfoo2\nbaz\n");
    expect(await ok(["get", "foo", `--rev=${rev}`])).toBe("foo\nbar\n");
    expect(await ok(["get", "foo", "--prefix", "--limit=1"])).toBe("foo\nbar2\n");
    expect(await ok(["get", "foo", "--prefix", "--keys-only"])).toBe("foo\n\nfoo2\n\n");

    const json = JSON.parse(await ok(["get", "foo", "--prefix", "-w", "json"])) as {
      header: { revision: number };
      kvs: { key: string; value: string; version: number; create_revision: number }[];
      count: number;
    };
    expect(json.count).toBe(2);
    expect(json.header.revision).toBe(rev + 2);
    expect(json.kvs.map((x) => [Buffer.from(x.key, "base64").toString(), Buffer.from(x.value, "base64").toString(), x.version])).toEqual([
      ["foo", "bar2", 2],
      ["foo2", "baz", 1],
    ]);

    expect(await ok(["del", "foo2"])).toBe("1\n");
    expect(await ok(["del", "nothing-here"])).toBe("0\n");
    expect(await ok(["get", "foo2"])).toBe("");
  });

  it("txn -i with compares takes the branch the compares choose", async () => {
    await ok(["put", "tx", "v1"]);
    const success = await ok(["txn", "-i"], 'value("tx") = "v1"\n\nput tx v2\n\nput tx never\n\n');
    expect(success).toContain("SUCCESS");
    expect(await ok(["get", "tx", "--print-value-only"])).toBe("v2\n");
    const failure = await ok(["txn", "-i"], 'mod("tx") > "100000"\nversion("tx") = "2"\n\nput tx never\n\nget tx\n\n');
    expect(failure).toContain("FAILURE");
    expect(failure).toContain("tx\nv2");
  });

  it("watch --prefix and watch --rev replay history, then follow live changes", async () => {
    const start = (await kv.put({ key: new TextEncoder().encode("wa/1"), value: new TextEncoder().encode("one") })).header.revision;
    const replay = await watchLines(["--prefix", "wa/", `--rev=${start}`], 6, async () => {
      await ok(["put", "wa/2", "two"]);
      await ok(["del", "wa/1"]);
    });
    expect(replay).toEqual(["PUT", "wa/1", "one", "PUT", "wa/2", "two"]);

    // etcdctl may connect between a put and its delete, so the first event it shows may be a
    // DELETE (2 lines); 7 lines always hold a whole PUT (3 lines) followed by its DELETE.
    const live = await watchLines(["wb"], 7, async () => {
      for (let i = 0; i < 50; i++) {
        await ok(["put", "wb", `v${i}`]);
        await ok(["del", "wb"]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    const put = live.indexOf("PUT");
    expect(put === 0 || (put === 2 && live.slice(0, 2).join(" ") === "DELETE wb")).toBe(true);
    expect(live.slice(put, put + 2)).toEqual(["PUT", "wb"]);
    expect(live[put + 2]).toMatch(/^v\d+$/);
    expect(live.slice(put + 3, put + 5)).toEqual(["DELETE", "wb"]);
  });

  it("lease grant, put --lease, keep-alive --once, timetolive --keys, list, revoke", async () => {
    const granted = await ok(["lease", "grant", "60"]);
    const m = /^lease ([0-9a-f]+) granted with TTL\(60s\)$/.exec(granted.trim());
    expect(m).not.toBeNull();
    const id = m![1]!;
    await ok(["put", "leased", "v", `--lease=${id}`]);
    expect((await ok(["lease", "keep-alive", "--once", id])).trim()).toBe(`lease ${id} keepalived with TTL(60)`);
    expect((await ok(["lease", "timetolive", "--keys", id])).trim()).toMatch(
      new RegExp(`^lease ${id} granted with TTL\\(60s\\), remaining\\((59|60)s\\), attached keys\\(\\[leased\\]\\)$`),
    );
    expect(await ok(["lease", "list"])).toContain(id);
    expect((await ok(["lease", "revoke", id])).trim()).toBe(`lease ${id} revoked`);
    expect(await ok(["get", "leased"])).toBe("");
    expect((await ok(["lease", "timetolive", id])).trim()).toBe(`lease ${id} already expired`);
  });

  it("compaction makes older revisions unreadable with etcd's error", async () => {
    await ok(["put", "cmp", "1"]);
    const old = (await kv.status()).header.revision;
    await ok(["put", "cmp", "2"]);
    const now = (await kv.status()).header.revision;
    expect((await ok(["compaction", String(now)])).trim()).toBe(`compacted revision ${now}`);
    const r = await etcdctl(["get", "cmp", `--rev=${old}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("etcdserver: mvcc: required revision has been compacted");
    expect(await ok(["get", "cmp", "--print-value-only"])).toBe("2\n");
  });

  it("snapshot save writes the store's snapshot with etcd's SHA-256 trailer", async () => {
    const file = join(dir, "snap.db");
    expect(await ok(["snapshot", "save", file])).toContain(`Snapshot saved at ${file}`);
    const bytes = new Uint8Array(await readFile(file));
    const body = readEtcdSnapshotFile(bytes);
    expect([...body.subarray(0, SNAPSHOT_MAGIC.length)]).toEqual([...SNAPSHOT_MAGIC]);
  });

  it("endpoint status -w json, endpoint health and member list describe this one member", async () => {
    const [status] = JSON.parse(await ok(["endpoint", "status", "-w", "json"])) as {
      Endpoint: string;
      Status: { header: { member_id: number | string }; version: string; leader: number | string; raftTerm: number };
    }[];
    expect(status!.Endpoint).toBe(server.endpoint);
    expect(status!.Status.version).toBe("3.4.23");
    // JSON numbers above 2^53 lose precision in JSON.parse: compare the raw text instead.
    const raw = await ok(["endpoint", "status", "-w", "json"]);
    const member = /"member_id":(\d+)/.exec(raw)![1];
    expect(/"leader":(\d+)/.exec(raw)![1]).toBe(member);
    expect(await ok(["endpoint", "status"])).toContain(`${server.endpoint}, ${BigInt(member!).toString(16)}, 3.4.23`);

    // etcdctl prints health to stderr.
    const health = await etcdctl(["endpoint", "health"]);
    expect([health.code, health.stderr + health.stdout]).toEqual([0, expect.stringContaining(`${server.endpoint} is healthy`)]);
    expect((await ok(["member", "list"])).trim()).toBe(`${BigInt(member!).toString(16)}, started, default, , http://${server.endpoint}, false`);
  });
});
