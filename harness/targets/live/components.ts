// The reference components that can run as processes. Each entry declares its flags and starts the
// component; the process runs until SIGINT/SIGTERM. Components load only when run, so `--help` stays
// fast.
import type { Command } from "commander";

export interface ComponentEntry {
  description: string;
  /** Adds the component's flags and action to its subcommand. */
  configure(cmd: Command): void;
}

const store: ComponentEntry = {
  description: "the etcd-compatible store, serving etcd's v3 gRPC API (etcdctl and etcd clients work against it)",
  configure(cmd) {
    cmd
      .option("--listen <host:port>", "address to serve etcd's v3 gRPC API on", "127.0.0.1:2379")
      .option("--data-dir <dir>", "directory of the write-ahead log and snapshots", "./plumbline-store.data")
      .action(async (opts: { listen: string; dataDir: string }) => {
        const { runStoreProcess } = await import("../../../reference-impl/store/grpc/store-process.ts");
        await runStoreProcess({ listen: opts.listen, dataDir: opts.dataDir });
      });
  },
};

export const components: Record<string, ComponentEntry> = { store };
