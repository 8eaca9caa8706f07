// Differential property: random put/delete/txn/range/compact sequences over a small key space, run
// in lockstep against real etcd (process) and the reference store over gRPC, give identical
// observable results — responses, revisions (relative to where the run started) and errors — and
// leave identical histories (the run's keys read back at every revision).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storeBackend } from "../targets/store/backends.ts";
import { diffOp, readHistory, runOp, type RunFrame } from "./differential-ops.ts";
import { b, useStoreBackend } from "./fixture.ts";

const NUM_RUNS = Number(process.env.PLUMBLINE_DIFF_RUNS ?? 100);
const SEED = process.env.PLUMBLINE_SEED === undefined ? undefined : Number(process.env.PLUMBLINE_SEED);
const REPLAY_PATH = process.env.PLUMBLINE_REPLAY_PATH;
const THIS_FILE = "harness/store-conformance/differential.integration.test.ts";

describe("store differential: real etcd (process) vs the reference store over gRPC", () => {
  const etcd = useStoreBackend(storeBackend("etcd-process"));
  const reference = useStoreBackend(storeBackend("reference-grpc"));

  it("random operation sequences give identical responses, revisions, errors and histories", async (ctx) => {
    const stores = { etcd: etcd.store(ctx).kv, reference: reference.store(ctx).kv };
    let run = 0;
    const property = fc.asyncProperty(fc.array(diffOp, { minLength: 1, maxLength: 25, size: "max" }), async (ops) => {
      // Every run (shrinking included) gets fresh keys; revisions are compared relative to the
      // revision each store had when the run began, so one divergence does not spill into the next run.
      const namespace = `diff/${++run}/`;
      const frameOf = async (kv: typeof stores.etcd): Promise<RunFrame> => ({
        namespace,
        baseRevision: (await kv.range({ key: b(namespace) })).header.revision,
      });
      const frames = { etcd: await frameOf(stores.etcd), reference: await frameOf(stores.reference) };
      for (const [i, op] of ops.entries()) {
        const fromEtcd = await runOp(stores.etcd, frames.etcd, op);
        const fromReference = await runOp(stores.reference, frames.reference, op);
        expect(fromReference, `op #${i} ${JSON.stringify(op)}: the reference store (actual) differs from etcd (expected)`).toEqual(fromEtcd);
      }
      const end = {
        etcd: (await stores.etcd.range({ key: b(namespace) })).header.revision,
        reference: (await stores.reference.range({ key: b(namespace) })).header.revision,
      };
      expect(end.reference - frames.reference.baseRevision, "revisions created by the run").toBe(end.etcd - frames.etcd.baseRevision);
      const history = {
        etcd: await readHistory(stores.etcd, frames.etcd, end.etcd),
        reference: await readHistory(stores.reference, frames.reference, end.reference),
      };
      expect(history.reference, "the run's keys at every revision since it began").toEqual(history.etcd);
    });
    const details = await fc.check(property, {
      numRuns: NUM_RUNS,
      ...(SEED !== undefined ? { seed: SEED } : {}),
      ...(REPLAY_PATH !== undefined ? { path: REPLAY_PATH, endOnFailure: true } : {}),
    });
    if (details.failed) {
      const replay = `PLUMBLINE_SEED=${details.seed} PLUMBLINE_REPLAY_PATH=${details.counterexamplePath ?? ""} npx vitest run ${THIS_FILE}`;
      const cause = details.errorInstance;
      const why = cause instanceof Error ? `${cause.message}${assertionDetail(cause)}` : String(cause);
      throw new Error(`${fc.defaultReportMessage(details)}\n${why}\nreplay: ${replay}`, { cause });
    }
  });
});

/** The two sides of a failed toEqual, as JSON (bounded), since fast-check's report shows only the message. */
function assertionDetail(err: Error): string {
  const { expected, actual } = err as Error & { expected?: unknown; actual?: unknown };
  if (expected === undefined && actual === undefined) return "";
  const json = (v: unknown) => JSON.stringify(v).slice(0, 4000);
  return `\n  etcd:      ${json(expected)}\n  reference: ${json(actual)}`;
}
