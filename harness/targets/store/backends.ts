// The stores the conformance suite runs against: four ways of getting a `KV` that must behave
// identically. Real etcd is the arbiter: where the reference store differs from it, the reference
// is wrong. This is the one place the harness builds reference stores (DESIGN.md, "Layout").
import { rm } from "node:fs/promises";
import { RealClock } from "../../../reference-impl/runtime/real-clock.ts";
import { SeededRng } from "../../../reference-impl/runtime/rng.ts";
import { GrpcKv } from "../../../reference-impl/store/grpc/client.ts";
import { LocalKv } from "../../../reference-impl/store/local-kv.ts";
import type { KV } from "../../../spec/interfaces/kv.ts";
import { etcdAvailable, startEtcd } from "./etcd-process.ts";
import { dockerUnavailable, startEtcdContainer } from "./process-etcd-container.ts";
import { startReferenceStore } from "./process-reference-store.ts";

export type StoreBackendName = "in-process" | "reference-grpc" | "etcd-process" | "etcd-container";

export interface StoreBackendCapabilities {
  /** Requests cross etcd's gRPC API, so gRPC's own limits apply (e.g. the 2 MiB message cap). */
  grpc: boolean;
  /** Real etcd: where the reference store differs from it, the reference store is wrong. */
  realEtcd: boolean;
  /** `restart()` kills the store without grace and starts it again on the same data. */
  restart: boolean;
}

export interface RunningStore {
  /** The client. After `restart()` it is a new client (the old one is closed). */
  readonly kv: KV;
  /** `127.0.0.1:PORT` of the gRPC endpoint; undefined in-process. */
  readonly endpoint: string | undefined;
  /** Present when `capabilities.restart`. */
  restart?(): Promise<void>;
  /** Closes the client and stops the store (removing its temporary data). */
  stop(): Promise<void>;
}

export interface StoreBackend {
  readonly name: StoreBackendName;
  readonly capabilities: StoreBackendCapabilities;
  /** Undefined when the backend can run on this machine; otherwise what is missing and how to install it. */
  unavailable(): Promise<string | undefined>;
  start(): Promise<RunningStore>;
}

const INSTALL_HINT = "apt-get install etcd-server etcd-client docker.io";
/** Seed of the in-process store's Rng (lease IDs); any fixed value keeps runs repeatable. */
const IN_PROCESS_SEED = 20_240_601;

const inProcess: StoreBackend = {
  name: "in-process",
  capabilities: { grpc: false, realEtcd: false, restart: false },
  unavailable: async () => undefined,
  async start() {
    // Wall-clock time, so leases expire while the suite waits for them as they do on real etcd.
    const kv = new LocalKv({ clock: new RealClock(), rng: SeededRng.fromSeed(IN_PROCESS_SEED).fork("store") });
    return { kv, endpoint: undefined, stop: () => kv.close() };
  },
};

/** A RunningStore over gRPC whose client is replaced on restart. */
function overGrpc(endpoint: string, restartServer: (() => Promise<void>) | undefined, stopServer: () => Promise<void>): RunningStore {
  let kv: KV = connect(endpoint);
  const running: RunningStore = {
    get kv() {
      return kv;
    },
    endpoint,
    async stop() {
      await kv.close();
      await stopServer();
    },
  };
  if (restartServer) {
    running.restart = async () => {
      await kv.close();
      await restartServer();
      kv = connect(endpoint);
    };
  }
  return running;
}

function connect(endpoint: string): KV {
  return new GrpcKv({ endpoint });
}

const referenceGrpc: StoreBackend = {
  name: "reference-grpc",
  capabilities: { grpc: true, realEtcd: false, restart: true },
  unavailable: async () => undefined,
  async start() {
    const server = await startReferenceStore();
    return overGrpc(server.endpoint, () => server.restart(), () => server.stop());
  },
};

const etcdProcess: StoreBackend = {
  name: "etcd-process",
  capabilities: { grpc: true, realEtcd: true, restart: true },
  unavailable: async () => (etcdAvailable() ? undefined : `no etcd binary on the PATH (${INSTALL_HINT})`),
  async start() {
    let server = await startEtcd();
    const { dataDir, port } = server;
    let restarted = false;
    return overGrpc(
      server.endpoint,
      async () => {
        await server.kill();
        server = await startEtcd({ dataDir, port });
        restarted = true;
      },
      async () => {
        await server.stop();
        // A restarted etcd was given the data dir, so its stop() leaves the dir to us.
        if (restarted) await rm(dataDir, { recursive: true, force: true });
      },
    );
  },
};

const etcdContainer: StoreBackend = {
  name: "etcd-container",
  capabilities: { grpc: true, realEtcd: true, restart: true },
  async unavailable() {
    const docker = await dockerUnavailable();
    if (docker !== undefined) return `${docker} (${INSTALL_HINT})`;
    // The default image is built from the host's etcd binary.
    if (!process.env.PLUMBLINE_ETCD_IMAGE && !etcdAvailable()) return `no etcd binary to build the image from (${INSTALL_HINT})`;
    return undefined;
  },
  async start() {
    const container = await startEtcdContainer();
    return overGrpc(container.endpoint, () => container.restart(), () => container.stop());
  },
};

/** Every backend, in the order the suite runs them (fastest first). */
export const storeBackends: readonly StoreBackend[] = [inProcess, referenceGrpc, etcdProcess, etcdContainer];

export function storeBackend(name: StoreBackendName): StoreBackend {
  const backend = storeBackends.find((b) => b.name === name);
  if (!backend) throw new Error(`unknown store backend ${name}`);
  return backend;
}
