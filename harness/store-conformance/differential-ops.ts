// Random KV operations for the differential property (real etcd vs the reference store over gRPC):
// fast-check arbitraries over a small key space, and the observable outcome of running one op,
// normalised so that two stores can be compared — revisions relative to the run's starting
// revision, cluster/member/term dropped, errors as code + message.
import fc from "fast-check";
import {
  prefixEnd,
  type Compare,
  type CompareResult,
  type DeleteRangeRequest,
  type KeyValue,
  type KV,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  type ResponseHeader,
  type SortOrder,
  type SortTarget,
  type TxnRequest,
} from "../../spec/interfaces/kv.ts";

const KEY_NAMES = ["a", "b", "c", "d"] as const;
const VALUES = ["", "x", "y", "z"] as const;

/**
 * Key and revision operands are symbolic: a key is a name under the run's namespace, a revision
 * is an offset from the revision the run started at (0 stays "latest").
 */
export type KeySel = { key: string } | { from: string; to: string } | { prefix: true };

export type DiffOp =
  | { op: "put"; key: string; value: string; prevKv: boolean }
  | { op: "delete"; sel: KeySel; prevKv: boolean }
  | {
      op: "range";
      sel: KeySel;
      /** Read this many revisions back from the current one (clamped to the run's base); -1 = one in the future; null = latest. */
      revisionsBack: number | null;
      limit: number;
      sortOrder: SortOrder;
      sortTarget: SortTarget;
      countOnly: boolean;
      keysOnly: boolean;
    }
  | { op: "txn"; compare: DiffCompare[]; success: DiffOp[]; failure: DiffOp[] }
  /** Compact this many revisions back from the current one (clamped to base + 1); -1 = one in the future. */
  | { op: "compact"; revisionsBack: number };

export interface DiffCompare {
  key: string;
  result: CompareResult;
  target: "VERSION" | "CREATE" | "MOD" | "VALUE";
  /** VERSION: the version; CREATE/MOD: an offset from the base revision (0 = revision 0). */
  number: number;
  value: string;
}

const keyName = fc.constantFrom(...KEY_NAMES);
const keySel: fc.Arbitrary<KeySel> = fc.oneof(
  { weight: 4, arbitrary: keyName.map((key) => ({ key })) },
  { weight: 2, arbitrary: fc.tuple(keyName, keyName).map(([from, to]) => ({ from, to })) },
  { weight: 1, arbitrary: fc.constant({ prefix: true as const }) },
);

const putOp = fc.record({
  op: fc.constant("put" as const),
  key: keyName,
  value: fc.constantFrom(...VALUES),
  prevKv: fc.boolean(),
});
const deleteOp = fc.record({ op: fc.constant("delete" as const), sel: keySel, prevKv: fc.boolean() });
const rangeOp = fc.record({
  op: fc.constant("range" as const),
  sel: keySel,
  revisionsBack: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.integer({ min: -1, max: 6 }) }),
  limit: fc.constantFrom(0, 0, 1, 2),
  sortOrder: fc.constantFrom<SortOrder>("NONE", "NONE", "ASCEND", "DESCEND"),
  // VERSION and VALUE tie between keys. etcd orders ties as Go's sort.Sort leaves them, which for
  // at most 12 key-values is an insertion sort: stable, so ties stay in key order (DESCEND too,
  // through sort.Reverse). The key space here is 4 keys, so that order is well defined.
  sortTarget: fc.constantFrom<SortTarget>("KEY", "VERSION", "CREATE", "MOD", "VALUE"),
  countOnly: fc.boolean(),
  keysOnly: fc.boolean(),
});
const compareArb: fc.Arbitrary<DiffCompare> = fc.record({
  key: keyName,
  result: fc.constantFrom<CompareResult>("EQUAL", "NOT_EQUAL", "LESS", "GREATER"),
  target: fc.constantFrom("VERSION" as const, "CREATE" as const, "MOD" as const, "VALUE" as const),
  number: fc.integer({ min: 0, max: 6 }),
  value: fc.constantFrom(...VALUES),
});
/** Ops allowed inside a txn: etcd refuses a txn writing one key twice, which is also worth comparing. */
const txnLeafOp: fc.Arbitrary<DiffOp> = fc.oneof(putOp, deleteOp, rangeOp);
const txnOp = fc.record({
  op: fc.constant("txn" as const),
  compare: fc.array(compareArb, { maxLength: 2 }),
  success: fc.array(txnLeafOp, { maxLength: 3 }),
  failure: fc.array(txnLeafOp, { maxLength: 2 }),
});
const compactOp = fc.record({ op: fc.constant("compact" as const), revisionsBack: fc.integer({ min: -1, max: 6 }) });

export const diffOp: fc.Arbitrary<DiffOp> = fc.oneof(
  { weight: 5, arbitrary: putOp },
  { weight: 2, arbitrary: deleteOp },
  { weight: 3, arbitrary: rangeOp },
  { weight: 3, arbitrary: txnOp },
  { weight: 1, arbitrary: compactOp },
);

/** Where one run's keys live and which revision it started from, on one store. */
export interface RunFrame {
  namespace: string;
  baseRevision: number;
}

/** A frame plus the store's revision just before the op runs. */
interface OpFrame extends RunFrame {
  currentRevision: number;
}

/** `back` revisions before the current one, never below `floor`; -1 means one in the future. */
function revisionBack(frame: OpFrame, back: number, floor: number): number {
  if (back < 0) return frame.currentRevision + 1;
  return Math.max(frame.currentRevision - back, floor);
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function selToRange(frame: RunFrame, sel: KeySel): { key: Uint8Array; rangeEnd?: Uint8Array } {
  const k = (name: string) => utf8.encode(frame.namespace + name);
  if ("key" in sel) return { key: k(sel.key) };
  if ("from" in sel) return { key: k(sel.from), rangeEnd: k(sel.to) };
  return { key: k(""), rangeEnd: prefixEnd(k("")) };
}

function toRequestOp(frame: OpFrame, op: DiffOp): RequestOp {
  switch (op.op) {
    case "put":
      return { requestPut: putRequest(frame, op) };
    case "delete":
      return { requestDeleteRange: deleteRequest(frame, op) };
    case "range":
      return { requestRange: rangeRequest(frame, op) };
    case "txn":
      return { requestTxn: txnRequest(frame, op) };
    case "compact":
      throw new Error("compact is not a txn op");
  }
}

function putRequest(frame: RunFrame, op: Extract<DiffOp, { op: "put" }>): PutRequest {
  return { key: utf8.encode(frame.namespace + op.key), value: utf8.encode(op.value), prevKv: op.prevKv };
}
function deleteRequest(frame: RunFrame, op: Extract<DiffOp, { op: "delete" }>): DeleteRangeRequest {
  return { ...selToRange(frame, op.sel), prevKv: op.prevKv };
}
function rangeRequest(frame: OpFrame, op: Extract<DiffOp, { op: "range" }>): RangeRequest {
  return {
    ...selToRange(frame, op.sel),
    revision: op.revisionsBack === null ? 0 : revisionBack(frame, op.revisionsBack, frame.baseRevision),
    limit: op.limit,
    sortOrder: op.sortOrder,
    sortTarget: op.sortTarget,
    countOnly: op.countOnly,
    keysOnly: op.keysOnly,
  };
}
function compareToKv(frame: RunFrame, c: DiffCompare): Compare {
  const key = utf8.encode(frame.namespace + c.key);
  const rev = c.number === 0 ? 0 : frame.baseRevision + c.number;
  switch (c.target) {
    case "VERSION":
      return { key, result: c.result, target: "VERSION", version: c.number };
    case "CREATE":
      return { key, result: c.result, target: "CREATE", createRevision: rev };
    case "MOD":
      return { key, result: c.result, target: "MOD", modRevision: rev };
    case "VALUE":
      return { key, result: c.result, target: "VALUE", value: utf8.encode(c.value) };
  }
}
function txnRequest(frame: OpFrame, op: Extract<DiffOp, { op: "txn" }>): TxnRequest {
  return {
    compare: op.compare.map((c) => compareToKv(frame, c)),
    success: op.success.map((o) => toRequestOp(frame, o)),
    failure: op.failure.map((o) => toRequestOp(frame, o)),
  };
}

/** Runs one op and returns what a client can observe of it, normalised for comparison. */
export async function runOp(kv: KV, run: RunFrame, op: DiffOp): Promise<unknown> {
  // Revision operands are relative to this store's own revisions, so one store running ahead of
  // the other shows up as a difference in responses, not as a cascade of unrelated errors.
  const frame: OpFrame = { ...run, currentRevision: (await kv.range({ key: utf8.encode(run.namespace) })).header.revision };
  try {
    switch (op.op) {
      case "put":
        return normalize(frame, await kv.put(putRequest(frame, op)));
      case "delete":
        return normalize(frame, await kv.deleteRange(deleteRequest(frame, op)));
      case "range":
        return normalize(frame, await kv.range(rangeRequest(frame, op)));
      case "txn":
        return normalize(frame, await kv.txn(txnRequest(frame, op)));
      case "compact":
        return normalize(frame, await kv.compact({ revision: revisionBack(frame, op.revisionsBack, frame.baseRevision + 1) }));
    }
  } catch (err) {
    return { error: errorOf(err) };
  }
}

/** The run's keys at every revision from the base to `upTo`, as each store answers. */
export async function readHistory(kv: KV, frame: RunFrame, upTo: number): Promise<unknown[]> {
  const out: unknown[] = [];
  const all = selToRange(frame, { prefix: true });
  for (let rev = frame.baseRevision; rev <= upTo; rev++) {
    try {
      out.push(normalize(frame, await kv.range({ ...all, revision: rev })));
    } catch (err) {
      out.push({ error: errorOf(err) });
    }
  }
  return out;
}

function errorOf(err: unknown): string {
  if (err && typeof err === "object" && "code" in err && "message" in err) return `${String(err.code)}: ${String(err.message)}`;
  return `not a KvError: ${String(err)}`;
}

/**
 * Plain data for deep comparison: bytes as text, revisions relative to the base (0 stays 0: an
 * absent revision, e.g. a deleted key's createRevision), headers without cluster/member/term.
 */
export function normalize(frame: RunFrame, value: unknown): unknown {
  const rel = (r: number) => (r === 0 ? 0 : r - frame.baseRevision);
  if (value instanceof Uint8Array) {
    const text = utf8Decoder.decode(value);
    return text.startsWith(frame.namespace) ? `~${text.slice(frame.namespace.length)}` : text;
  }
  if (Array.isArray(value)) return value.map((v) => normalize(frame, v));
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (isHeader(value)) return { revision: rel(value.revision) };
  if (isKeyValue(value)) {
    return {
      key: normalize(frame, value.key),
      value: normalize(frame, value.value),
      createRevision: rel(value.createRevision),
      modRevision: rel(value.modRevision),
      version: value.version,
      lease: value.lease.toString(),
    };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = normalize(frame, v);
  }
  return out;
}

function isHeader(v: object): v is ResponseHeader {
  return "revision" in v && "raftTerm" in v;
}
function isKeyValue(v: object): v is KeyValue {
  return "createRevision" in v && "modRevision" in v && "key" in v;
}
