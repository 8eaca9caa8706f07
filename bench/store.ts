// `plumbline bench store`: the reference store against real etcd 3.4, same client code (GrpcKv),
// same machine, fsync on for both, in one run; then in-process throughput and watch fan-out.
//
// Over gRPC each store runs as its own process with a fresh data dir; the phases are
//   1 client:   sequential puts (latency = one round trip incl. the disk sync)
//   64 clients: 64 concurrent put loops over 8 connections (group commit matters here)
// Both stores run side by side and take the load in turns, in short slices (ABBA order), so that
// both see the same background load: on a shared machine a single long phase per store measures
// mostly what else ran meanwhile. Each store first gets a warm-up (connections, the JIT of the
// reference's Node process, the first syncs). Server CPU per put is read from /proc.
// Then every acknowledged key is read back, each store is SIGKILLed and restarted on the same data
// dir, and every acknowledged key is read back again: "lost" must be 0 for both.
import { readFileSync } from "node:fs";
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
const PHASES = [
  { name: "1client", clients: 1, prefix: "one/" },
  { name: "64clients", clients: 64, prefix: "many/" },
] as const;

interface Running {
  endpoint: string;
  pid(): number | undefined;
  killAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

interface Target {
  name: "reference" | "etcd";
  start(): Promise<Running>;
}

const targets: Target[] = [
  {
    name: "reference",
    async start() {
      const p = await startReferenceStore();
      return { endpoint: p.endpoint, pid: () => p.pid(), killAndRestart: () => p.restart(), stop: () => p.stop() };
    },
  },
  {
    name: "etcd",
    async start() {
      let p = await startEtcd();
      const { dataDir, port } = p;
      return {
        endpoint: p.endpoint,
        pid: () => p.pid,
        async killAndRestart() {
          await p.kill();
          p = await startEtcd({ dataDir, port });
        },
        stop: () => p.stop(),
      };
    },
  },
];

/** What one store accumulated over its slices of a phase. */
class PhaseStats {
  readonly latenciesMs: number[] = [];
  elapsedMs = 0;
  serverCpuMs = 0;

  figures(): { opsPerSec: number; p50Ms: number; p99Ms: number; serverCpuUsPerPut: number } {
    const sorted = Float64Array.from(this.latenciesMs).sort();
    const n = sorted.length;
    return {
      opsPerSec: Math.round((n * 1000) / this.elapsedMs),
      p50Ms: round2(percentile(sorted, 0.5)),
      p99Ms: round2(percentile(sorted, 0.99)),
      serverCpuUsPerPut: n === 0 ? NaN : Math.round((this.serverCpuMs * 1000) / n),
    };
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** User + system CPU time of a process so far (Linux /proc; NaN elsewhere). */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}

/** `clients` concurrent loops of awaited puts for `durationMs` of wall time; keys `prefix<slice>/<client>/<i>`. */
async function putLoad(kvs: KV[], clients: number, durationMs: number, prefix: string, latenciesMs: number[]): Promise<number> {
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const kv = kvs[c % kvs.length]!;
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        await kv.put({ key: enc.encode(`${prefix}${c}/${i}`), value: VALUE });
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return performance.now() - start;
}

async function countPrefix(kv: KV, prefix: string): Promise<number> {
  const key = enc.encode(prefix);
  return (await kv.range({ key, rangeEnd: prefixEnd(key), countOnly: true })).count;
}

interface Served {
  target: Target;
  store: Running;
  kvs: GrpcKv[];
}

function connect(endpoint: string): GrpcKv[] {
  return Array.from({ length: CONNECTIONS }, () => new GrpcKv({ endpoint, callTimeoutMs: 30_000 }));
}

async function benchGrpc(durationMs: number, sliceMs: number, warmupMs: number, log: (l: string) => void): Promise<Figures> {
  const served: Served[] = [];
  try {
    for (const target of targets) {
      const store = await target.start();
      served.push({ target, store, kvs: connect(store.endpoint) });
    }
    for (const s of served) {
      await putLoad(s.kvs, 64, warmupMs, "warmup/many/", []);
      await putLoad(s.kvs, 1, Math.min(500, warmupMs / 4), "warmup/one/", []);
    }
    const stats = new Map<string, PhaseStats>();
    const slices = Math.max(2, Math.round(durationMs / sliceMs));
    for (const phase of PHASES) {
      for (let slice = 0; slice < slices; slice++) {
        // ABBA: who goes first alternates, so neither store always follows the other's load.
        const order = slice % 2 === 0 ? served : [...served].reverse();
        for (const s of order) {
          const st = stats.get(`${s.target.name}_${phase.name}`) ?? new PhaseStats();
          stats.set(`${s.target.name}_${phase.name}`, st);
          const cpu0 = processCpuMs(s.store.pid());
          st.elapsedMs += await putLoad(s.kvs, phase.clients, durationMs / slices, `${phase.prefix}${slice}/`, st.latenciesMs);
          st.serverCpuMs += processCpuMs(s.store.pid()) - cpu0;
        }
      }
    }

    const figures: Figures = {};
    for (const s of served) {
      const name = s.target.name;
      const parts: string[] = [];
      let acked = 0;
      for (const phase of PHASES) {
        const st = stats.get(`${name}_${phase.name}`)!;
        const f = st.figures();
        acked += st.latenciesMs.length;
        figures[`${name}_${phase.name}_puts_per_s`] = f.opsPerSec;
        figures[`${name}_${phase.name}_p50_ms`] = f.p50Ms;
        figures[`${name}_${phase.name}_p99_ms`] = f.p99Ms;
        figures[`${name}_${phase.name}_server_cpu_us_per_put`] = f.serverCpuUsPerPut;
        parts.push(`${phase.clients === 1 ? "1 client" : `${phase.clients} clients`}: ${f.opsPerSec} puts/s p50 ${f.p50Ms} ms p99 ${f.p99Ms} ms, server CPU ${f.serverCpuUsPerPut} µs/put`);
      }
      const count = async (): Promise<number> => {
        let n = 0;
        for (const phase of PHASES) n += await countPrefix(s.kvs[0]!, phase.prefix);
        return n;
      };
      const present = await count();
      await Promise.all(s.kvs.map((kv) => kv.close()));
      await s.store.killAndRestart();
      s.kvs = connect(s.store.endpoint);
      const afterKill = await count();
      const lost = Math.max(0, acked - present) + Math.max(0, acked - afterKill);
      figures[`${name}_acked`] = acked;
      figures[`${name}_lost_acked_writes`] = lost;
      log(`${name.padEnd(9)}  ${parts.join(" | ")} | acked ${acked}, present ${present}, after SIGKILL+restart ${afterKill}, lost ${lost}`);
    }
    return figures;
  } finally {
    for (const s of served) {
      await Promise.all(s.kvs.map((kv) => kv.close()));
      await s.store.stop();
    }
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
  const sliceMs = opts.quick ? 250 : 500;
  const warmupMs = opts.quick ? 500 : 3000;
  opts.log(
    `store benchmark: ${durationMs / 1000} s per phase and store in ${sliceMs} ms slices taken in turns, ` +
      `${warmupMs / 1000} s warm-up, 256-byte values, ${CONNECTIONS} connections, fsync on for both`,
  );
  const figures: Figures = {};
  Object.assign(figures, await benchGrpc(durationMs, sliceMs, warmupMs, opts.log));
  Object.assign(figures, await benchInProcess(opts.quick ? 20_000 : 200_000, opts.log));
  const ratio = (k: string): number => round2(Number(figures[`reference_${k}`]) / Number(figures[`etcd_${k}`]));
  figures.ratio_1client = ratio("1client_puts_per_s");
  figures.ratio_64clients = ratio("64clients_puts_per_s");
  opts.log(`reference / etcd put throughput: 1 client ${figures.ratio_1client}x, 64 clients ${figures.ratio_64clients}x`);
  return figures;
}
