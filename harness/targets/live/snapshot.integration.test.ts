// Snapshot save and restore, as an operator does it: `etcdctl snapshot save` against a running
// reference store, `plumbline snapshot restore` into a new data dir, and a store started on that
// dir serves the same keys at the same revision.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { prefixEnd } from "../../../spec/interfaces/kv.ts";
import { GrpcKv } from "../../../reference-impl/store/grpc/client.ts";
import { startReferenceStore } from "../store/process-reference-store.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = join(ROOT, "bin", "plumbline.mjs");
const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const hasEtcdctl = spawnSync("etcdctl", ["version"], { env: { ...process.env, ETCDCTL_API: "3" }, stdio: "ignore" }).status === 0;
if (!hasEtcdctl) {
  const message = "etcdctl is not installed (apt-get install etcd-client)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[snapshot] skipping: ${message}`);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ETCDCTL_API: "3" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!hasEtcdctl)("etcdctl snapshot save + plumbline snapshot restore", () => {
  it("restores every key at the same revision into a new data dir, and refuses a dir that holds a store", async () => {
    const work = await mkdtemp(join(tmpdir(), "plumbline-snap-"));
    dirs.push(work);
    const source = await startReferenceStore();
    const file = join(work, "snap.db");
    let revision: number;
    try {
      const kv = new GrpcKv({ endpoint: source.endpoint });
      for (let i = 0; i < 50; i++) await kv.put({ key: enc.encode(`snap/${i}`), value: enc.encode(`v${i}`) });
      await kv.deleteRange({ key: enc.encode("snap/7") });
      revision = (await kv.range({ key: enc.encode("snap/0") })).header.revision;
      await kv.close();
      const save = await run("etcdctl", [`--endpoints=${source.endpoint}`, "snapshot", "save", file]);
      expect(save.out).toContain(`Snapshot saved at ${file}`);
      expect(save.code).toBe(0);
    } finally {
      await source.stop();
    }

    const restored = join(work, "restored");
    const restore = await run(process.execPath, [CLI, "snapshot", "restore", file, "--data-dir", restored]);
    expect(restore.out).toContain(`restored ${file} into ${restored}`);
    expect(restore.code).toBe(0);

    const again = await run(process.execPath, [CLI, "snapshot", "restore", file, "--data-dir", restored]);
    expect(again.code).toBe(1);
    expect(again.out).toContain("already holds a store");

    const copy = await startReferenceStore({ dataDir: restored });
    try {
      const kv = new GrpcKv({ endpoint: copy.endpoint });
      const prefix = enc.encode("snap/");
      const all = await kv.range({ key: prefix, rangeEnd: prefixEnd(prefix) });
      expect(all.header.revision).toBe(revision);
      expect(all.count).toBe(49);
      expect(all.kvs.map((k) => dec.decode(k.value))).not.toContain("v7");
      expect(dec.decode((await kv.range({ key: enc.encode("snap/42") })).kvs[0]!.value)).toBe("v42");
      await kv.close();
    } finally {
      await copy.stop();
    }
  });
});
