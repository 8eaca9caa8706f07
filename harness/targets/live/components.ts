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

const apiserver: ComponentEntry = {
  description: "the Kubernetes API server over a store (in-process, the reference store or real etcd), for kubectl and client libraries",
  configure(cmd) {
    cmd
      .requiredOption("--store <endpoint|memory>", "an etcd v3 endpoint (127.0.0.1:2379: the reference store or real etcd), or memory for an in-process store")
      .option("--listen <host:port>", "loopback address to serve the Kubernetes API on", "127.0.0.1:6443")
      .option("--kubeconfig-out <file>", "write a kubeconfig with the admin token here")
      .option("--data-dir <dir>", "with --store memory: keep the store durably here; TLS files go here too")
      .option("--token <token>", "the admin bearer token (default: a random one, written to the kubeconfig)")
      .option("--token-auth-file <file>", "more bearer tokens, one `token,user[,uid[,groups]]` per line")
      .option("--tls", "serve HTTPS with a generated CA and certificate (needs openssl); kubectl sends tokens only over HTTPS", false)
      .option("--anonymous-auth", "serve requests without a token as system:anonymous instead of 401 (for kubectl on plain HTTP)", false)
      .action(async (opts: { store: string; listen: string; kubeconfigOut?: string; dataDir?: string; token?: string; tokenAuthFile?: string; tls: boolean; anonymousAuth: boolean }) => {
        const { runApiServerProcess } = await import("../../../reference-impl/apiserver/http/live/apiserver-process.ts");
        await runApiServerProcess({
          store: opts.store,
          listen: opts.listen,
          tls: opts.tls,
          anonymousAuth: opts.anonymousAuth,
          ...(opts.kubeconfigOut === undefined ? {} : { kubeconfigOut: opts.kubeconfigOut }),
          ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
          ...(opts.token === undefined ? {} : { token: opts.token }),
          ...(opts.tokenAuthFile === undefined ? {} : { tokenAuthFile: opts.tokenAuthFile }),
        });
      });
  },
};

export const components: Record<string, ComponentEntry> = { store, apiserver };
