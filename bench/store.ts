// `plumbline bench store`: the reference store against real etcd 3.4, same client code (GrpcKv),
// same machine, fsync on for both, in one run; then in-process throughput and watch fan-out.
//
// Over gRPC each store runs as its own process with a fresh data dir; the phases are
//   1 client:   sequential puts for a fixed time (latency = one round trip incl. fsync)
//   64 clients: 64 concurrent put loops over 8 connections (group commit matters here)
// then every acknowledged key is read back, the store is SIGKILLed and restarted on the same data
// dir, and every acknowledged key is read back again: "lost" must be 0 for both.
import { performance } from "node:perf_hooks";
import { prefixEnd, type KV } from "../spec/interfaces/kv.ts";
import { GrpcKv } from "../reference-impl/store/grpc/client.ts";
import { LocalKv } from "../reference-impl/store/local-kv.ts";
import { RealClock, SeededRng } from "../reference-impl/runtime/index.ts";
import { etcdAvailable, startEtcd } from "../harness/targets/store/etcd-process.ts";
import { startReferenceStore } from "../harness/targets/store/process-reference-store.ts";
import type { BenchOptions, Figures } from "./registry.ts";

const enc = new TextEncoder();
const VALUE = new Uint8Array(256).fill(0x61);
const CONNECTIONS = 8;

interface PutFigures {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  acked: number;
}

interface Target {
  name: "reference" | "etcd";
  start(): Promise<{ endpoint: string; killAndRestart(): Promise<void>; stop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "reference",
    async start() {
      const p = await startReferenceStore();
      return { endpoint: p.endpoint, killAndRestart: () => p.restart(), stop: () => p.stop() };
    },
  },
  {
    name: "etcd",
    async start() {
      let p = await startEtcd();
      const { dataDir, port } = p;
      return {
        endpoint: p.endpoint,
        async killAndRestart() {
          await p.kill();
          p = await startEtcd({ dataDir, port });
        },
        stop: async () => {
          await p.stop();
        },
      };
    },
  },
];

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** `clients` concurrent loops of awaited puts, for `durationMs` of wall time. */
async function putLoad(kvs: KV[], clients: number, durationMs: number, prefix: string): Promise<PutFigures> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const kv = kvs[c % kvs.length]!;
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        await kv.put({ key: enc.encode(`${prefix}${c}/${i}`), value: VALUE });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  const sorted = Float64Array.from(latencies).sort();
  return {
    opsPerSec: Math.round((latencies.length * 1000) / elapsedMs),
    p50Ms: round2(percentile(sorted, 0.5)),
    p99Ms: round2(percentile(sorted, 0.99)),
    acked: latencies.length,
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

async function countPrefix(kv: KV, prefix: string): Promise<number> {
  const key = enc.encode(prefix);
  return (await kv.range({ key, rangeEnd: prefixEnd(key), countOnly: true })).count;
}

async function benchGrpcTarget(target: Target, durationMs: number, log: (l: string) => void): Promise<Figures> {
  const store = await target.start();
  const connect = (): GrpcKv[] => Array.from({ length: CONNECTIONS }, () => new GrpcKv({ endpoint: store.endpoint, callTimeoutMs: 30_000 }));
  let kvs = connect();
  try {
    // Warm-up: connections, JIT, the store's first fsyncs.
    await putLoad(kvs, 4, Math.min(500, durationMs / 4), "warmup/");
    const one = await putLoad(kvs, 1, durationMs, "one/");
    const many = await putLoad(kvs, 64, durationMs, "many/");
    const acked = one.acked + many.acked;
    const present = (await countPrefix(kvs[0]!, "one/")) + (await countPrefix(kvs[0]!, "many/"));
    await Promise.all(kvs.map((kv) => kv.close()));
    await store.killAndRestart();
    kvs = connect();
    const afterKill = (await countPrefix(kvs[0]!, "one/")) + (await countPrefix(kvs[0]!, "many/"));
    const lost = Math.max(0, acked - present) + Math.max(0, acked - afterKill);
    log(
      `${target.name.padEnd(9)}  1 client: ${one.opsPerSec} puts/s p50 ${one.p50Ms} ms p99 ${one.p99Ms} ms | ` +
        `64 clients: ${many.opsPerSec} puts/s p50 ${many.p50Ms} ms p99 ${many.p99Ms} ms | ` +
        `acked ${acked}, present ${present}, after SIGKILL+restart ${afterKill}, lost ${lost}`,
    );
    return {
      [`${target.name}_1client_puts_per_s`]: one.opsPerSec,
      [`${target.name}_1client_p50_ms`]: one.p50Ms,
      [`${target.name}_1client_p99_ms`]: one.p99Ms,
      [`${target.name}_64clients_puts_per_s`]: many.opsPerSec,
      [`${target.name}_64clients_p50_ms`]: many.p50Ms,
      [`${target.name}_64clients_p99_ms`]: many.p99Ms,
      [`${target.name}_acked`]: acked,
      [`${target.name}_lost_acked_writes`]: lost,
    };
  } finally {
    await Promise.all(kvs.map((kv) => kv.close()));
    await store.stop();
  }
}

async function benchInProcess(n: number, log: (l: string) => void): Promise<Figures> {
  const kv = new LocalKv({ clock: new RealClock(), rng: SeededRng.fromSeed(1) });
  try {
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await kv.put({ key: enc.encode(`k/${i}`), value: VALUE });
    const putsPerSec = Math.round((n * 1000) / (performance.now() - t0));

    t0 = performance.now();
    for (let i = 0; i < n; i++) await kv.range({ key: enc.encode(`k/${(i * 7919) % n}`) });
    const getsPerSec = Math.round((n * 1000) / (performance.now() - t0));

    // Watch fan-out: 100 watchers on one prefix, each on its own stream.
    const watchers = 100;
    const events = Math.max(100, Math.floor(n / 10));
    let delivered = 0;
    let allDelivered!: () => void;
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    const prefix = enc.encode("w/");
    const streams = Array.from({ length: watchers }, () =>
      kv.openWatchStream((res) => {
        delivered += res.events.length;
        if (delivered === watchers * events) allDelivered();
      }),
    );
    for (const s of streams) s.create({ key: prefix, rangeEnd: prefixEnd(prefix) });
    await kv.range({ key: prefix }); // let the creates land before the first put
    t0 = performance.now();
    for (let i = 0; i < events; i++) await kv.put({ key: enc.encode(`w/${i}`), value: VALUE });
    await done;
    const watchEventsPerSec = Math.round((delivered * 1000) / (performance.now() - t0));
    for (const s of streams) s.close();

    log(`in-process  puts ${putsPerSec}/s, point ranges ${getsPerSec}/s, watch fan-out ${watchEventsPerSec} events/s to ${watchers} watchers`);
    return { inprocess_puts_per_s: putsPerSec, inprocess_ranges_per_s: getsPerSec, inprocess_watch_events_per_s: watchEventsPerSec };
  } finally {
    await kv.close();
  }
}

export async function run(opts: BenchOptions): Promise<Figures> {
  if (!etcdAvailable()) throw new Error("bench store needs real etcd 3.4: apt-get install -y etcd-server etcd-client");
  const durationMs = opts.quick ? 1500 : 10_000;
  opts.log(`store benchmark: ${durationMs / 1000} s per phase, 256-byte values, ${CONNECTIONS} connections, fsync on for both`);
  const figures: Figures = {};
  for (const target of targets) Object.assign(figures, await benchGrpcTarget(target, durationMs, opts.log));
  Object.assign(figures, await benchInProcess(opts.quick ? 20_000 : 200_000, opts.log));
  const ratio = (k: string): number => round2(Number(figures[`reference_${k}`]) / Number(figures[`etcd_${k}`]));
  figures.ratio_1client = ratio("1client_puts_per_s");
  figures.ratio_64clients = ratio("64clients_puts_per_s");
  opts.log(`reference / etcd put throughput: 1 client ${figures.ratio_1client}x, 64 clients ${figures.ratio_64clients}x`);
  return figures;
}
