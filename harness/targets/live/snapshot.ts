// `plumbline snapshot restore`: the counterpart of `etcdctl snapshot restore` for the reference
// store. It takes a file that `etcdctl snapshot save` fetched from a reference store, checks its
// SHA-256 as etcdctl does, and makes a new data dir from it for `plumbline component store`.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";

export function registerSnapshot(program: Command): void {
  const cmd = program.command("snapshot").description("restore a reference store from a snapshot file (like etcdctl snapshot)");
  cmd
    .command("restore")
    .description("make a new data dir from a file `etcdctl snapshot save` took from a reference store")
    .argument("<file>", "the snapshot file")
    .requiredOption("--data-dir <dir>", "the new data dir (must not already hold a store)")
    .action(async (file: string, opts: { dataDir: string }) => {
      const { readEtcdSnapshotFile } = await import("../../../reference-impl/store/grpc/snapshot-file.ts");
      const { restoreSnapshot } = await import("../../../reference-impl/store/wal/snapshot.ts");
      const { RealDisk } = await import("../../../reference-impl/runtime/real-disk.ts");
      const disk = new RealDisk();
      try {
        await restoreSnapshot(readEtcdSnapshotFile(await readFile(file)), opts.dataDir, disk);
      } finally {
        await disk.close();
      }
      console.log(`restored ${file} into ${opts.dataDir}`);
    });
}
