// Random etcd KV operations for differential property tests: fast-check arbitraries over a small key
// space (so operations collide), a runner that applies one operation to any KV-shaped target, and
// a normal form of the outcome so two targets' answers compare with toEqual.
import fc from "fast-check";
import {
  KvError,
  prefixEnd,
  type Compare,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type RequestOp,
  type TxnRequest,
  type TxnResponse,
} from "../interfaces/kv.ts";

export type KvOp =
  | { kind: "range"; req: RangeRequest }
  | { kind: "put"; req: PutRequest }
  | { kind: "deleteRange"; req: DeleteRangeRequest }
  | { kind: "txn"; req: TxnRequest }
  | { kind: "compact"; revision: number };

type Awaitable<T> = T | Promise<T>;

/** What a target must answer: the KV interface's request methods, sync (the model) or async. */
export interface KvRequests {
  range(req: RangeRequest): Awaitable<RangeResponse>;
  put(req: PutRequest): Awaitable<PutResponse>;
  deleteRange(req: DeleteRangeRequest): Awaitable<DeleteRangeResponse>;
  txn(req: TxnRequest): Awaitable<TxnResponse>;
  compact(req: { revision: number }): Awaitable<CompactionResponse>;
}

/** A response in normal form (bytes as strings, header reduced to its revision), or an etcd error. */
export type Outcome = { ok: unknown } | { error: { code: string; message: string } };

/** Applies `op`; a KvError becomes an outcome, any other exception propagates (a crash is a bug). */
export async function runKvOp(target: KvRequests, op: KvOp): Promise<Outcome> {
  try {
    switch (op.kind) {
      case "range":
        return { ok: normalize(await target.range(op.req)) };
      case "put":
        return { ok: normalize(await target.put(op.req)) };
      case "deleteRange":
        return { ok: normalize(await target.deleteRange(op.req)) };
      case "txn":
        return { ok: normalize(await target.txn(op.req)) };
      case "compact":
        return { ok: normalize(await target.compact({ revision: op.revision })) };
    }
  } catch (err) {
    if (err instanceof KvError) return { error: { code: err.code, message: err.message } };
    throw err;
  }
}

/**
 * Normal form: Uint8Array → latin1 string, bigint → decimal string, undefined fields dropped, and
 * every `header` reduced to `{ revision }` (cluster and member IDs differ between servers).
 */
export function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return latin1(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = k === "header" && v !== null && typeof v === "object" ? { revision: (v as { revision: unknown }).revision } : normalize(v);
    }
    return out;
  }
  return value;
}

export function describeKvOp(op: KvOp): string {
  if (op.kind === "compact") return `compact(${op.revision})`;
  return `${op.kind}(${JSON.stringify(normalize(op.req))})`;
}

// ---- arbitraries -------------------------------------------------------------------------------

export interface KvOpArbitraryOptions {
  /** Keys to draw from; "" is drawn rarely to provoke "key is not provided". */
  keys?: string[];
  values?: string[];
  /** Largest revision drawn for ranges at a revision and for compactions. */
  maxRevision?: number;
  /**
   * Leave out the txns that crash etcd 3.4 (a "\0"-ranged delete followed by an ignoreValue or
   * ignoreLease put of a key it removed): set it when the target is real etcd.
   */
  excludeEtcdPanics?: boolean;
}

const defaults = { keys: ["a", "ab", "b", "c"], values: ["", "1", "2", "zz"], maxRevision: 12, excludeEtcdPanics: false };

/** One random KV operation. */
export function kvOpArbitrary(options: KvOpArbitraryOptions = {}): fc.Arbitrary<KvOp> {
  const o = { ...defaults, ...options };
  const key = fc.oneof({ arbitrary: fc.constantFrom(...o.keys), weight: 30 }, { arbitrary: fc.constant(""), weight: 1 });
  const value = fc.constantFrom(...o.values);
  const rev = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: o.maxRevision }), weight: 1 });
  const rare = fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 });
  // Absent (single key), "\0" (every key >= key), the key's prefix end, or another key (possibly inverted).
  const end = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.constant("\0"), weight: 1 },
    { arbitrary: fc.constant("<prefix>"), weight: 1 },
    { arbitrary: fc.constantFrom(...o.keys), weight: 1 },
  );
  const withEnd = <T extends { key: Uint8Array; rangeEnd?: Uint8Array }>(req: T, e: string | undefined): T => {
    if (e === undefined) return req;
    return { ...req, rangeEnd: e === "<prefix>" ? prefixEnd(req.key) : bytes(e) };
  };

  const range: fc.Arbitrary<RangeRequest> = fc
    .record({
      key,
      end,
      limit: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
      revision: rev,
      sortOrder: fc.constantFrom("NONE" as const, "NONE" as const, "ASCEND" as const, "DESCEND" as const),
      sortTarget: fc.constantFrom("KEY" as const, "KEY" as const, "VERSION" as const, "CREATE" as const, "MOD" as const, "VALUE" as const),
      keysOnly: rare,
      countOnly: rare,
      minModRevision: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.integer({ min: 1, max: o.maxRevision }), weight: 1 }),
      maxCreateRevision: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.integer({ min: 1, max: o.maxRevision }), weight: 1 }),
    })
    .map(({ key: k, end: e, ...rest }) => withEnd({ key: bytes(k), ...rest }, e));

  const put: fc.Arbitrary<PutRequest> = fc
    .record({ key, value, prevKv: fc.boolean(), ignoreValue: rare, ignoreLease: rare })
    .map((r) => ({ key: bytes(r.key), value: r.ignoreValue && r.value !== "zz" ? new Uint8Array(0) : bytes(r.value), prevKv: r.prevKv, ignoreValue: r.ignoreValue, ignoreLease: r.ignoreLease }));

  const del: fc.Arbitrary<DeleteRangeRequest> = fc
    .record({ key, end, prevKv: fc.boolean() })
    .map((r) => withEnd({ key: bytes(r.key), prevKv: r.prevKv }, r.end));

  const compare: fc.Arbitrary<Compare> = fc
    .record({
      key: fc.constantFrom(...o.keys),
      end: fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: fc.constant("<prefix>"), weight: 1 }),
      result: fc.constantFrom("EQUAL" as const, "NOT_EQUAL" as const, "GREATER" as const, "LESS" as const),
      target: fc.constantFrom("VALUE" as const, "VERSION" as const, "CREATE" as const, "MOD" as const),
      value,
      number: fc.integer({ min: 0, max: 6 }),
    })
    .map((r): Compare => {
      const base = withEnd({ key: bytes(r.key), result: r.result }, r.end);
      switch (r.target) {
        case "VALUE":
          return { ...base, target: "VALUE", value: bytes(r.value) };
        case "VERSION":
          return { ...base, target: "VERSION", version: r.number };
        case "CREATE":
          return { ...base, target: "CREATE", createRevision: r.number };
        case "MOD":
          return { ...base, target: "MOD", modRevision: r.number };
      }
    });

  const leafOp: fc.Arbitrary<RequestOp> = fc.oneof(
    range.map((r) => ({ requestRange: r })),
    put.map((r) => ({ requestPut: r })),
    del.map((r) => ({ requestDeleteRange: r })),
  );
  const txnOf = (op: fc.Arbitrary<RequestOp>): fc.Arbitrary<TxnRequest> =>
    fc.record({
      compare: fc.array(compare, { maxLength: 2 }),
      success: fc.array(op, { maxLength: 3 }),
      failure: fc.array(op, { maxLength: 2 }),
    });
  const nested = txnOf(leafOp).map((t): RequestOp => ({ requestTxn: t }));
  const txn = txnOf(fc.oneof({ arbitrary: leafOp, weight: 4 }, { arbitrary: nested, weight: 1 })).filter(
    (t) => !o.excludeEtcdPanics || !mayPanicEtcd(t),
  );

  const op: fc.Arbitrary<KvOp> = fc.oneof(
    { arbitrary: range.map((req) => ({ kind: "range" as const, req })), weight: 3 },
    { arbitrary: put.map((req) => ({ kind: "put" as const, req })), weight: 4 },
    { arbitrary: del.map((req) => ({ kind: "deleteRange" as const, req })), weight: 1 },
    { arbitrary: txn.map((req) => ({ kind: "txn" as const, req })), weight: 3 },
    { arbitrary: fc.integer({ min: 0, max: o.maxRevision }).map((revision) => ({ kind: "compact" as const, revision })), weight: 1 },
  );
  // Print operations readably in counterexamples.
  return op.map((x) => Object.assign(x, { [fc.toStringMethod]: () => describeKvOp(x) }));
}

/** Conservatively: a txn holding both a "\0"-ranged delete and an ignoreValue/ignoreLease put. */
function mayPanicEtcd(t: TxnRequest): boolean {
  const ops: RequestOp[] = [];
  const collect = (x: TxnRequest) => {
    for (const op of [...x.success, ...x.failure]) {
      ops.push(op);
      if ("requestTxn" in op) collect(op.requestTxn);
    }
  };
  collect(t);
  const gteDelete = ops.some((op) => "requestDeleteRange" in op && op.requestDeleteRange.rangeEnd?.length === 1 && op.requestDeleteRange.rangeEnd[0] === 0);
  const blindPut = ops.some((op) => "requestPut" in op && (op.requestPut.ignoreValue || op.requestPut.ignoreLease));
  return gteDelete && blindPut;
}

export function bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const byte of b) s += String.fromCharCode(byte);
  return s;
}
