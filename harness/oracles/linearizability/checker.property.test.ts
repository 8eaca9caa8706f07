import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkLinearizable } from "./checker.ts";
import { kvModel, type KvAt, type KvInput, type KvOperation, type KvOutput, type KvState } from "./kv-model.ts";

// Histories from real executions: a sequential etcd-like store runs the inputs one at a time (the
// linearization), operation i taking effect at time 10·i; each operation's [call, return] interval
// is drawn around that point, so the history is linearizable by construction.

const keys = ["x", "y"];
const values = ["a", "b", "c"];
const neverWritten = "never-written";

const inputArb: fc.Arbitrary<KvInput> = fc.oneof(
  fc.record({ op: fc.constant("get" as const), key: fc.constantFrom(...keys) }),
  fc.record({ op: fc.constant("put" as const), key: fc.constantFrom(...keys), value: fc.constantFrom(...values) }),
  fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom(...keys) }),
  fc.record({
    op: fc.constant("cas" as const),
    key: fc.constantFrom(...keys),
    compare: fc.oneof(fc.record({ value: fc.constantFrom(...values) }), fc.record({ modRevision: fc.integer({ min: 0, max: 6 }) })),
    value: fc.constantFrom(...values),
  }),
);

/** Runs inputs sequentially against a tiny store; returns each output. */
function execute(inputs: KvInput[]): KvOutput[] {
  const store = new Map<string, KvAt>();
  let revision = 1;
  return inputs.map((i): KvOutput => {
    const cur = store.get(i.key) ?? null;
    switch (i.op) {
      case "get":
        return { op: "get", kv: cur, revision };
      case "put":
        store.set(i.key, { value: i.value, modRevision: ++revision });
        return { op: "put", revision };
      case "delete":
        if (!cur) return { op: "delete", revision, deleted: 0 };
        store.delete(i.key);
        return { op: "delete", revision: ++revision, deleted: 1 };
      case "cas": {
        const holds = "value" in i.compare ? cur?.value === i.compare.value : (cur?.modRevision ?? 0) === i.compare.modRevision;
        if (!holds) return { op: "cas", revision, succeeded: false };
        store.set(i.key, { value: i.value, modRevision: ++revision });
        return { op: "cas", revision, succeeded: true };
      }
    }
  });
}

interface Shape {
  callSlack: number;
  returnSlack: number;
  client: number;
  /** Drop the result: the client never learned the outcome (reads then carry no information). */
  ambiguous: boolean;
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  callSlack: fc.integer({ min: 0, max: 35 }),
  returnSlack: fc.integer({ min: 0, max: 35 }),
  client: fc.integer({ min: 1, max: 4 }),
  ambiguous: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

/** A write that never took effect and whose client never heard back. */
const phantomArb = fc.record({ key: fc.constantFrom(...keys), value: fc.constantFrom(...values), call: fc.integer({ min: 0, max: 400 }) });

const linearizableHistoryArb: fc.Arbitrary<KvOperation[]> = fc
  .tuple(fc.array(fc.tuple(inputArb, shapeArb), { minLength: 1, maxLength: 40 }), fc.array(phantomArb, { maxLength: 3 }))
  .map(([steps, phantoms]) => {
    const outputs = execute(steps.map(([i]) => i));
    const ops: KvOperation[] = steps.map(([input, s], n) => {
      const point = 10 * (n + 1);
      const call = Math.max(0, point - s.callSlack);
      return s.ambiguous ? { clientId: s.client, call, input } : { clientId: s.client, call, return: point + s.returnSlack, input, output: outputs[n]! };
    });
    for (const p of phantoms) ops.push({ clientId: 9, call: p.call, input: { op: "put", key: p.key, value: p.value } });
    return ops;
  });

describe("checkLinearizable properties", () => {
  it("accepts every history produced by a real linearization", () => {
    fc.assert(
      fc.property(linearizableHistoryArb, (history) => {
        const r = checkLinearizable(history, kvModel);
        expect(r.status, r.ok ? "" : r.message).toBe("linearizable");
      }),
      { numRuns: 300 },
    );
  });

  it("rejects such a history once a completed read returns a value nobody wrote", () => {
    fc.assert(
      fc.property(linearizableHistoryArb, fc.nat(), (history, pick) => {
        const reads = history.filter((op) => op.return !== undefined && op.input.op === "get");
        fc.pre(reads.length > 0);
        const victim = reads[pick % reads.length]!;
        const output = victim.output as Extract<KvOutput, { op: "get" }>;
        const mutated = history.map((op) =>
          op === victim ? { ...op, output: { ...output, kv: { value: neverWritten, modRevision: output.kv?.modRevision ?? 1 } } } : op,
        );
        // Sound: no operation, ambiguous or not, writes `neverWritten`, so no state can hold it.
        expect(checkLinearizable(mutated, kvModel).status).toBe("not-linearizable");
      }),
      { numRuns: 200 },
    );
  });

  it("agrees with a brute-force search over every order on small histories", () => {
    // Outputs are sometimes replaced by arbitrary ones, so both verdicts occur.
    const outputArb: fc.Arbitrary<KvOutput> = fc.oneof(
      fc.record({ op: fc.constant("get" as const), kv: fc.option(fc.record({ value: fc.constantFrom(...values), modRevision: fc.integer({ min: 1, max: 5 }) }), { nil: null }) }),
      fc.record({ op: fc.constant("put" as const), revision: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ op: fc.constant("delete" as const), revision: fc.integer({ min: 1, max: 5 }), deleted: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ op: fc.constant("cas" as const), revision: fc.integer({ min: 1, max: 5 }), succeeded: fc.boolean() }),
    );
    const smallArb = fc
      .tuple(
        fc.array(fc.tuple(inputArb.map((i) => ({ ...i, key: "x" })), shapeArb, fc.option(outputArb, { freq: 3 })), { minLength: 1, maxLength: 6 }),
      )
      .map(([steps]) => {
        const outputs = execute(steps.map(([i]) => i));
        return steps.map(([input, s, replaced], n): KvOperation => {
          const point = 10 * (n + 1);
          const call = Math.max(0, point - s.callSlack);
          if (s.ambiguous) return { clientId: s.client, call, input };
          const output = replaced && replaced.op === input.op ? replaced : outputs[n]!;
          return { clientId: s.client, call, return: point + s.returnSlack, input, output };
        });
      });
    let rejected = 0;
    fc.assert(
      fc.property(smallArb, (history) => {
        const expected = bruteForce(history);
        const r = checkLinearizable(history, kvModel);
        if (!expected) rejected++;
        expect(r.status).toBe(expected ? "linearizable" : "not-linearizable");
      }),
      { numRuns: 400 },
    );
    expect(rejected).toBeGreaterThan(20);
  });
});

/** Tries every order consistent with real time; an operation of unknown outcome may also be left out. */
function bruteForce(history: KvOperation[]): boolean {
  const precedes = (a: KvOperation, b: KvOperation) => a.return !== undefined && a.return < b.call;
  const search = (done: Set<number>, states: KvState[]): boolean => {
    const pending = history.map((_, i) => i).filter((i) => !done.has(i));
    if (pending.every((i) => history[i]!.return === undefined)) return true; // the rest never took effect
    for (const i of pending) {
      const op = history[i]!;
      if (pending.some((j) => j !== i && precedes(history[j]!, op))) continue;
      const next = states.flatMap((s) => kvModel.step(s, op.input, op.return === undefined ? undefined : op.output));
      if (next.length > 0 && search(new Set([...done, i]), next)) return true;
    }
    return false;
  };
  return search(new Set(), [kvModel.init()]);
}
