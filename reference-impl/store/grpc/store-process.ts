// `plumbline component store`: the reference store as its own process. A durable LocalKv (write-ahead
// log and snapshots in --data-dir, fsync before acknowledging) on the real disk and wall clock,
// served as etcd's v3 gRPC API on --listen. Stops on SIGINT/SIGTERM; a kill -9 loses no acknowledged
// write, since every acknowledged write is in the synced log.
import { randomBytes } from "node:crypto";
import { RealClock } from "../../runtime/real-clock.ts";
import { RealDisk } from "../../runtime/real-disk.ts";
import { SeededRng } from "../../runtime/rng.ts";
import { openDurableKv } from "../wal/durable-store.ts";
import { RealSegmentFiles } from "../wal/real-segment-files.ts";
import { saveSnapshot } from "../wal/snapshot.ts";
import { startEtcdServer } from "./server.ts";

export interface StoreProcessOptions {
  /** `HOST:PORT` to serve on, e.g. 127.0.0.1:2379. */
  listen: string;
  dataDir: string;
  /** Seed of lease-ID draws; default: a fresh random one, so IDs differ across restarts as in etcd. */
  seed?: bigint;
  log?: (line: string) => void;
}

export interface RunningStoreProcess {
  endpoint: string;
  /** Stops serving, then flushes and closes the store. */
  stop(): Promise<void>;
}

/** Grace given to a stop before the process exits anyway. */
const STOP_GRACE_MS = 10_000;

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`--listen ${JSON.stringify(listen)}: expected HOST:PORT, e.g. 127.0.0.1:2379`);
  return { host: m[1] ?? m[2]!, port };
}

export async function startStoreProcess(opts: StoreProcessOptions): Promise<RunningStoreProcess> {
  const { host, port } = parseListen(opts.listen);
  const clock = new RealClock();
  const seed = opts.seed ?? randomBytes(8).readBigUInt64BE();
  const kv = await openDurableKv({
    disk: new RealDisk(),
    dir: opts.dataDir,
    segmentFiles: new RealSegmentFiles(),
    clock,
    rng: SeededRng.fromSeed(seed).fork("store"),
  });
  let server;
  try {
    server = await startEtcdServer({ kv, host, port, snapshot: async () => saveSnapshot(kv) });
  } catch (err) {
    await kv.close();
    throw err;
  }
  const running = server;
  return {
    endpoint: running.endpoint,
    async stop() {
      await running.stop();
      await kv.close();
    },
  };
}

/**
 * Runs the store until SIGINT or SIGTERM, printing "plumbline store listening on HOST:PORT" once it
 * accepts connections. Resolves after a clean stop.
 */
export async function runStoreProcess(opts: StoreProcessOptions): Promise<void> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const store = await startStoreProcess(opts);
  log(`plumbline store listening on ${store.endpoint} (data dir ${opts.dataDir})`);
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log(`plumbline store: ${signal}, stopping`);
      // A stop that hangs (a client that never lets go) must not keep the process alive forever.
      const grace = new RealClock().setTimer(STOP_GRACE_MS, () => {
        log(`plumbline store: not stopped after ${STOP_GRACE_MS} ms, exiting`);
        process.exit(1);
      });
      store.stop().then(
        () => {
          grace.cancel();
          resolve();
        },
        (err: unknown) => {
          grace.cancel();
          reject(err);
        },
      );
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  log("plumbline store stopped");
}
