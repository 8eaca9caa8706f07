// `plumbline bench apiserver`: the reference API server as its own process, over HTTPS (HTTP when
// openssl is missing) with a bearer token, on the reference store process and on real etcd 3.4, in
// one run, driven by the same client code (HttpApiClient, one keep-alive client per simulated client).
//
// Phases, each with 1 and 32 concurrent clients:
//   create  awaited pod creates in a loop (the single-object mutating call the upstream SLO covers)
//   get     awaited gets of pods created before
//   list    a full list of LIST_PODS pods, paged with limit=500 (latency = all pages)
// then watch: N watchers of one namespace (N = 1, 32, and the fan-out case 100) while one writer
// creates pods back to back; figures are events/s delivered (summed over watchers) and the delivery
// latency from sending the create to the event arriving at a watcher.
// As in bench/store.ts both stacks run side by side and take the load in turns, in short slices
// (ABBA order), so that both see the same background load. Server CPU per operation is read from
// /proc for the API server and the store process.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { KubeObject, ResourceType, Watch } from "../spec/interfaces/api-client.ts";
import { HttpApiClient } from "../reference-impl/client/live/http.ts";
import { type ApiServerProcess, startApiServer } from "../harness/targets/live/apiserver-process.ts";
import { etcdAvailable, startEtcd } from "../harness/targets/store/etcd-process.ts";
import { startReferenceStore } from "../harness/targets/store/process-reference-store.ts";
import type { BenchOptions, Figures } from "./registry.ts";

const PODS: ResourceType = { group: "", version: "v1", resource: "pods" };
const NAMESPACES: ResourceType = { group: "", version: "v1", resource: "namespaces" };
const SERVICE_ACCOUNTS: ResourceType = { group: "", version: "v1", resource: "serviceaccounts" };
const CRUD_NS = "bench";
const LIST_NS = "bench-list";
const WATCH_NS = "bench-watch";
const LIST_PODS = 1000;
const LIST_PAGE = 500;
const MAX_CLIENTS = 32;
const WATCHERS = [1, 32, 100] as const;
/** Upstream API call latency SLO: p99 of single-object mutating calls ≤ 1 s (per 5 min). */
const SLO_P99_MS = 1000;
/** How long a slice may wait for its watch events after the writer stops. */
const WATCH_DRAIN_MS = 30_000;

interface Stack {
  name: "reference" | "etcd";
  api: ApiServerProcess;
  storePid(): number | undefined;
  stop(): Promise<void>;
  /** One client per concurrent request loop, so each loop keeps its own connection. */
  clients: HttpApiClient[];
  /** Holds the watch streams (one socket each). */
  watchClient: HttpApiClient;
  /** Pods made by the create phases, read back by the get phases. */
  created: string[];
}

async function startStack(name: Stack["name"]): Promise<Stack> {
  let storeEndpoint: string;
  let storePid: () => number | undefined;
  let stopStore: () => Promise<void>;
  if (name === "reference") {
    const store = await startReferenceStore();
    storeEndpoint = store.endpoint;
    storePid = () => store.pid();
    stopStore = () => store.stop();
  } else {
    const etcd = await startEtcd();
    storeEndpoint = etcd.endpoint;
    storePid = () => etcd.pid;
    stopStore = () => etcd.stop();
  }
  let api: ApiServerProcess;
  try {
    api = await startApiServer({ store: storeEndpoint });
  } catch (err) {
    await stopStore();
    throw err;
  }
  const connect = (maxSockets: number): HttpApiClient =>
    new HttpApiClient({ server: api.url, token: api.token, ...(api.caData === undefined ? {} : { caData: api.caData }), maxSockets });
  const clients = Array.from({ length: MAX_CLIENTS }, () => connect(4));
  const watchClient = connect(256);
  return {
    name,
    api,
    storePid,
    clients,
    watchClient,
    created: [],
    async stop() {
      for (const c of [...clients, watchClient]) c.close();
      await api.stop();
      await stopStore();
    },
  };
}

function pod(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "bench" } },
    spec: { containers: [{ name: "main", image: "registry.k8s.io/pause:3.9", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
  };
}

/** A namespace with the `default` service account, which the ServiceAccount admission plugin requires. */
async function createNamespace(client: HttpApiClient, name: string): Promise<void> {
  await client.create(NAMESPACES, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  await client.create(SERVICE_ACCOUNTS, name, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
}

/** What one stack accumulated over its slices of a phase. */
class PhaseStats {
  readonly latenciesMs: number[] = [];
  elapsedMs = 0;
  ops = 0;
  errors = 0;
  apiCpuMs = 0;
  storeCpuMs = 0;
  clientCpuMs = 0;
  /** Watch phases: creates sent by the writer. */
  writes = 0;
}

interface PhaseFigures {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  apiCpuUsPerOp: number;
  storeCpuUsPerOp: number;
  clientCpuUsPerOp: number;
}

function summarize(st: PhaseStats): PhaseFigures {
  const sorted = Float64Array.from(st.latenciesMs).sort();
  const perOp = (ms: number): number => (st.ops === 0 ? NaN : Math.round((ms * 1000) / st.ops));
  return {
    opsPerSec: Math.round((st.ops * 1000) / st.elapsedMs),
    p50Ms: round2(percentile(sorted, 0.5)),
    p99Ms: round2(percentile(sorted, 0.99)),
    apiCpuUsPerOp: perOp(st.apiCpuMs),
    storeCpuUsPerOp: perOp(st.storeCpuMs),
    clientCpuUsPerOp: perOp(st.clientCpuMs),
  };
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

function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

/** `clients` concurrent loops of `op` for `durationMs`; a failed call counts as an error, not a latency. */
async function loops(clients: number, durationMs: number, st: PhaseStats, op: (c: number, i: number) => Promise<void>): Promise<void> {
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await op(c, i);
          st.latenciesMs.push(performance.now() - t0);
          st.ops++;
        } catch {
          st.errors++;
        }
      }
    }),
  );
}

/** Every pod of `namespace`, `LIST_PAGE` at a time; the number of pods. */
async function listAll(client: HttpApiClient, namespace: string): Promise<number> {
  let n = 0;
  let cont: string | undefined;
  do {
    const page = await client.list(PODS, namespace, cont === undefined ? { limit: LIST_PAGE } : { limit: LIST_PAGE, continue: cont });
    n += page.items.length;
    cont = page.metadata.continue || undefined;
  } while (cont !== undefined);
  return n;
}

/** A phase, opened once per stack; its slices then run in turns with the other stack's. */
interface Phase {
  key: string;
  label: string;
  open(s: Stack, st: PhaseStats): Promise<{ slice(durationMs: number, index: number): Promise<void>; close(): Promise<void> }>;
}

const nothing = async (): Promise<void> => {};

function createPhase(clients: number): Phase {
  return {
    key: `create_${clients}c`,
    label: `create  ${String(clients).padStart(3)} clients`,
    async open(s, st) {
      return {
        slice: (ms, index) =>
          loops(clients, ms, st, async (c, i) => {
            const name = `c${clients}-${index}-${c}-${i}`;
            await s.clients[c]!.create(PODS, CRUD_NS, pod(name));
            s.created.push(name);
          }),
        close: nothing,
      };
    },
  };
}

function getPhase(clients: number): Phase {
  return {
    key: `get_${clients}c`,
    label: `get     ${String(clients).padStart(3)} clients`,
    async open(s, st) {
      return {
        slice: (ms, index) =>
          loops(clients, ms, st, async (c, i) => {
            // A spread of existing pods, different for every loop and slice.
            const name = s.created[(index * 7919 + c * 104_729 + i * 15_485_863) % s.created.length]!;
            await s.clients[c]!.get(PODS, CRUD_NS, name);
          }),
        close: nothing,
      };
    },
  };
}

function listPhase(clients: number): Phase {
  return {
    key: `list_${clients}c`,
    label: `list    ${String(clients).padStart(3)} clients`,
    async open(s, st) {
      return {
        slice: (ms) =>
          loops(clients, ms, st, async (c) => {
            const n = await listAll(s.clients[c]!, LIST_NS);
            if (n !== LIST_PODS) throw new Error(`listed ${n} pods, want ${LIST_PODS}`);
          }),
        close: nothing,
      };
    },
  };
}

function watchPhase(watchers: number): Phase {
  return {
    key: `watch_${watchers}w`,
    label: `watch   ${String(watchers).padStart(3)} watchers`,
    async open(s, st) {
      const writer = s.clients[0]!;
      // Watch from now: a watch without resourceVersion would first replay every existing pod.
      const rv = (await writer.list(PODS, WATCH_NS, { limit: 1 })).metadata.resourceVersion;
      const sentAt = new Map<string, number>();
      const probe = `w${watchers}-ready`;
      let probes = 0;
      let delivered = 0;
      let stopping = false;
      const streams: Watch[] = [];
      for (let w = 0; w < watchers; w++) {
        streams.push(
          s.watchClient.watch(PODS, WATCH_NS, rv === undefined ? {} : { resourceVersion: rv }, {
            onEvent(ev) {
              if (ev.type !== "ADDED") return;
              const name = ev.object.metadata?.name ?? "";
              if (name === probe) return void probes++;
              const t0 = sentAt.get(name);
              if (t0 === undefined) return;
              st.latenciesMs.push(performance.now() - t0);
              st.ops++;
              delivered++;
            },
            onClose() {
              if (!stopping) st.errors++;
            },
          }),
        );
      }
      // Every watcher is connected once it has seen the probe pod.
      await writer.create(PODS, WATCH_NS, pod(probe));
      if (!(await waitUntil(() => probes === watchers, WATCH_DRAIN_MS))) throw new Error(`${s.name}: only ${probes} of ${watchers} watchers started`);
      let expected = 0;
      return {
        async slice(ms, index) {
          const deadline = performance.now() + ms;
          for (let i = 0; performance.now() < deadline; i++) {
            const name = `w${watchers}-${index}-${i}`;
            sentAt.set(name, performance.now());
            try {
              await writer.create(PODS, WATCH_NS, pod(name));
              st.writes++;
              expected += watchers;
            } catch {
              st.errors++;
            }
          }
          // The slice ends when every watcher has every event (or the drain times out: counted lost).
          if (!(await waitUntil(() => delivered >= expected, WATCH_DRAIN_MS))) {
            st.errors += expected - delivered;
            expected = delivered;
          }
        },
        async close() {
          stopping = true;
          for (const w of streams) w.stop();
        },
      };
    },
  };
}

async function setUp(s: Stack, warmupMs: number): Promise<void> {
  const admin = s.clients[0]!;
  for (const ns of [CRUD_NS, LIST_NS, WATCH_NS]) await createNamespace(admin, ns);
  let next = 0;
  await Promise.all(
    s.clients.map(async (client) => {
      for (let i = next++; i < LIST_PODS; i = next++) await client.create(PODS, LIST_NS, pod(`l-${i}`));
    }),
  );
  // Warm-up: connections, TLS sessions, the JIT of both Node processes, the first syncs.
  const warm = new PhaseStats();
  await loops(MAX_CLIENTS, warmupMs, warm, (c, i) => s.clients[c]!.create(PODS, CRUD_NS, pod(`warm-${c}-${i}`)).then(() => undefined));
  await loops(MAX_CLIENTS, warmupMs / 2, warm, (c, i) => s.clients[c]!.get(PODS, LIST_NS, `l-${(c * 31 + i) % LIST_PODS}`).then(() => undefined));
  await loops(4, warmupMs / 2, warm, (c) => listAll(s.clients[c]!, LIST_NS).then(() => undefined));
  if (warm.errors > 0) throw new Error(`${s.name}: ${warm.errors} calls failed during the warm-up`);
}

async function runPhases(stacks: Stack[], phases: Phase[], durationMs: number, sliceMs: number): Promise<Map<string, PhaseStats>> {
  const stats = new Map<string, PhaseStats>();
  const slices = Math.max(2, Math.round(durationMs / sliceMs));
  for (const phase of phases) {
    const opened = [];
    for (const s of stacks) {
      const st = new PhaseStats();
      stats.set(`${s.name}_${phase.key}`, st);
      opened.push({ s, st, run: await phase.open(s, st) });
    }
    try {
      for (let slice = 0; slice < slices; slice++) {
        // ABBA: who goes first alternates, so neither stack always follows the other's load.
        for (const { s, st, run } of slice % 2 === 0 ? opened : [...opened].reverse()) {
          const api0 = processCpuMs(s.api.pid());
          const store0 = processCpuMs(s.storePid());
          const own0 = ownCpuMs();
          const t0 = performance.now();
          await run.slice(durationMs / slices, slice);
          st.elapsedMs += performance.now() - t0;
          st.apiCpuMs += processCpuMs(s.api.pid()) - api0;
          st.storeCpuMs += processCpuMs(s.storePid()) - store0;
          st.clientCpuMs += ownCpuMs() - own0;
        }
      }
    } finally {
      for (const { run } of opened) await run.close();
    }
  }
  return stats;
}

const loadavg = (): string => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

export async function run(opts: BenchOptions): Promise<Figures> {
  if (!etcdAvailable()) throw new Error("bench apiserver needs real etcd 3.4: apt-get install -y etcd-server etcd-client");
  const durationMs = opts.quick ? 1000 : 8000;
  const sliceMs = opts.quick ? 500 : 1000;
  const warmupMs = opts.quick ? 400 : 3000;
  const phases: Phase[] = [
    createPhase(1),
    createPhase(MAX_CLIENTS),
    getPhase(1),
    getPhase(MAX_CLIENTS),
    listPhase(1),
    listPhase(MAX_CLIENTS),
    ...WATCHERS.map(watchPhase),
  ];
  const figures: Figures = { loadavg_start: loadavg() };
  const stacks: Stack[] = [];
  try {
    // Start-up and set-up run for both stacks at once; only the measured phases take turns.
    const started = await Promise.allSettled((["reference", "etcd"] as const).map(startStack));
    for (const r of started) if (r.status === "fulfilled") stacks.push(r.value);
    for (const r of started) if (r.status === "rejected") throw r.reason;
    const scheme = new URL(stacks[0]!.api.url).protocol === "https:" ? "HTTPS" : "HTTP";
    opts.log(
      `apiserver benchmark: pods over ${scheme} (bearer token), ${durationMs / 1000} s per phase and stack in ${sliceMs} ms slices taken in turns, ` +
        `${warmupMs / 1000} s warm-up; list = ${LIST_PODS} pods in pages of ${LIST_PAGE}; watch = one writer, N watchers`,
    );
    await Promise.all(stacks.map((s) => setUp(s, warmupMs)));
    const stats = await runPhases(stacks, phases, durationMs, sliceMs);

    for (const s of stacks) {
      opts.log(`${s.name} store (API server CPU / store CPU / bench client CPU per op):`);
      for (const phase of phases) {
        const st = stats.get(`${s.name}_${phase.key}`)!;
        const f = summarize(st);
        const k = `${s.name}_${phase.key}`;
        const unit = phase.key.startsWith("watch") ? "events/s" : phase.key.startsWith("list") ? "lists/s " : "calls/s ";
        figures[`${k}_per_s`] = f.opsPerSec;
        figures[`${k}_p50_ms`] = f.p50Ms;
        figures[`${k}_p99_ms`] = f.p99Ms;
        figures[`${k}_apiserver_cpu_us_per_op`] = f.apiCpuUsPerOp;
        figures[`${k}_store_cpu_us_per_op`] = f.storeCpuUsPerOp;
        figures[`${k}_errors`] = st.errors;
        let extra = "";
        if (phase.key.startsWith("watch")) {
          const writesPerSec = Math.round((st.writes * 1000) / st.elapsedMs);
          figures[`${k}_writer_creates_per_s`] = writesPerSec;
          extra = `, writer ${writesPerSec} creates/s`;
        }
        opts.log(
          `  ${phase.label}: ${String(f.opsPerSec).padStart(6)} ${unit} p50 ${f.p50Ms} ms p99 ${f.p99Ms} ms` +
            `${extra}, CPU ${f.apiCpuUsPerOp} / ${f.storeCpuUsPerOp} / ${f.clientCpuUsPerOp} µs/op, errors ${st.errors}`,
        );
      }
      const worstCreateP99 = Math.max(Number(figures[`${s.name}_create_1c_p99_ms`]), Number(figures[`${s.name}_create_${MAX_CLIENTS}c_p99_ms`]));
      const within = worstCreateP99 <= SLO_P99_MS;
      figures[`${s.name}_create_p99_within_slo`] = within;
      opts.log(`  SLO (p99 ≤ ${SLO_P99_MS} ms for single-object mutating calls): create p99 ≤ ${worstCreateP99} ms → ${within ? "met" : "NOT met"}`);
    }
    figures.slo_p99_ms = SLO_P99_MS;
    const ratio = (k: string): number => round2(Number(figures[`reference_${k}`]) / Number(figures[`etcd_${k}`]));
    figures.ratio_create_32c = ratio(`create_${MAX_CLIENTS}c_per_s`);
    figures.ratio_get_32c = ratio(`get_${MAX_CLIENTS}c_per_s`);
    figures.ratio_list_32c = ratio(`list_${MAX_CLIENTS}c_per_s`);
    figures.ratio_watch_100w = ratio("watch_100w_per_s");
    figures.loadavg_end = loadavg();
    opts.log(
      `reference / etcd throughput (32 clients): create ${figures.ratio_create_32c}x, get ${figures.ratio_get_32c}x, list ${figures.ratio_list_32c}x; ` +
        `watch fan-out to 100: ${figures.ratio_watch_100w}x`,
    );
    opts.log(`load average (1/5/15 min): ${figures.loadavg_start} at the start, ${figures.loadavg_end} at the end`);
    return figures;
  } finally {
    for (const s of stacks) await s.stop();
  }
}
