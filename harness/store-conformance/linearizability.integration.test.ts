// Linearizability of the store under concurrent clients, with a SIGKILL and restart of the store
// process in the middle of the run. Every client records its calls (harness/oracles/linearizability);
// calls cut by the kill are ambiguous — they may or may not have taken effect — and the checker must
// still find one sequential order that explains every completed call. Real etcd runs the same test
// as the control: a failure on etcd would mean the test, not the store, is wrong.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import type { KV, TxnRequest } from "../../spec/interfaces/kv.ts";
import { checkLinearizable } from "../oracles/linearizability/checker.ts";
import { History, HistoryRecorder } from "../oracles/linearizability/history.ts";
import { kvModel } from "../oracles/linearizability/kv-model.ts";
import { storeBackend } from "../targets/store/backends.ts";
import { GrpcKv } from "../../reference-impl/store/grpc/client.ts";
import { b, useStoreBackend } from "./fixture.ts";

const CLIENTS = 6;
const KEYS = 3;
const RUN_MS = 3000;
const KILL_AT_MS = 1200;

/** A small deterministic generator per client, so failures are reproducible from the client id. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function oneOp(kv: KV, rand: () => number, client: number, i: number, prefix: string): Promise<void> {
  const key = b(`${prefix}k${Math.floor(rand() * KEYS)}`);
  const value = b(`c${client}-${i}`);
  const dice = rand();
  if (dice < 0.4) await kv.range({ key });
  else if (dice < 0.7) await kv.put({ key, value });
  else if (dice < 0.8) await kv.deleteRange({ key });
  else {
    // Compare-and-swap on the value just read (or on absence).
    const seen = (await kv.range({ key })).kvs[0];
    const txn: TxnRequest = {
      compare: [seen ? { key, target: "VALUE", result: "EQUAL", value: seen.value } : { key, target: "VERSION", result: "EQUAL", version: 0 }],
      success: [{ requestPut: { key, value } }],
      failure: [{ requestRange: { key } }],
    };
    await kv.txn(txn);
  }
}

describe.each([storeBackend("reference-grpc"), storeBackend("etcd-process")])("linearizability under SIGKILL: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("every history of concurrent get/put/delete/compare-and-swap, cut by a kill -9 and restart, is linearizable", async (ctx) => {
    const store = fixture.store(ctx);
    const { keys } = fixture.use(ctx);
    const history = new History();
    const now = (): number => performance.now();
    const connect = (): KV[] =>
      Array.from({ length: CLIENTS }, (_, c) => new HistoryRecorder(new GrpcKv({ endpoint: store.endpoint!, callTimeoutMs: 2000 }), { clientId: c, now, history }));
    let clients = connect();

    const start = now();
    let failedCalls = 0;
    const workers = Array.from({ length: CLIENTS }, async (_, c) => {
      const rand = lcg(c + 1);
      for (let i = 0; now() - start < RUN_MS; i++) {
        try {
          await oneOp(clients[c]!, rand, c, i, keys.prefix);
        } catch {
          failedCalls++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    const chaos = (async () => {
      await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
      const old = clients;
      await store.restart!();
      clients = connect();
      await Promise.all(old.map((kv) => kv.close()));
    })();
    await Promise.all([...workers, chaos]);
    await Promise.all(clients.map((kv) => kv.close()));

    const ops = history.operations();
    const completed = ops.filter((op) => op.return !== undefined).length;
    console.log(`${backend.name}: ${completed} completed, ${ops.length - completed} ambiguous, ${failedCalls} failed calls`);
    // The run must have exercised both sides of the kill.
    expect(completed).toBeGreaterThan(100);
    expect(failedCalls + (ops.length - completed)).toBeGreaterThan(0);

    const result = checkLinearizable(ops, kvModel, { deadline: { now: () => performance.now(), budgetMs: 60_000 } });
    expect(result.ok ? "linearizable" : result.message).toBe("linearizable");
  });
});
