// Benchmarks known to `plumbline bench`. Each module is loaded only when its benchmark runs.

export type Figures = Record<string, number | string | boolean>;

export interface BenchOptions {
  /** A smaller run (smoke tests); figures from it are not comparable. */
  quick: boolean;
  /** Human-readable output. */
  log: (line: string) => void;
}

export interface Benchmark {
  run(opts: BenchOptions): Promise<Figures>;
}

export const benchmarks: Record<string, { description: string; load: () => Promise<Benchmark> }> = {
  sim: {
    description: "simulation loop: a simulated hour with 10k and 100k timers (wall time, timers/s)",
    load: () => import("./sim.ts"),
  },
  store: {
    description: "store: reference vs real etcd 3.4 over gRPC (1 and 64 clients, fsync on), in-process throughput, watch fan-out",
    load: () => import("./store.ts"),
  },
  apiserver: {
    description: "API server over HTTP on the reference store vs real etcd 3.4: pod create/get/list/watch (1 and 32 clients), watch fan-out to 100",
    load: () => import("./apiserver.ts"),
  },
};
