// Recording a history for the linearizability checker: `HistoryRecorder` wraps a KV and notes every
// range/put/deleteRange/txn call — who called, when, what was asked and what came back — on a clock
// the caller passes in (virtual time in simulation, a monotonic clock in live runs).
//
// A call that fails or never returns (timeout, connection lost, process killed) is ambiguous: it
// may or may not have taken effect, so it is recorded without a return time. That is sound even for
// errors that prove nothing happened; it only gives the checker one more possibility.
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  KV,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
} from "../../../spec/interfaces/kv.ts";
import type { KvAt, KvInput, KvOperation, KvOutput } from "./kv-model.ts";

export type RecordedRequest =
  | { range: RangeRequest }
  | { put: PutRequest }
  | { deleteRange: DeleteRangeRequest }
  | { txn: TxnRequest };

export type RecordedResponse = RangeResponse | PutResponse | DeleteRangeResponse | TxnResponse;

export interface RecordedCall {
  clientId: number | string;
  call: number;
  /** Absent while pending, and for good when the call failed: the outcome is unknown. */
  return?: number;
  request: RecordedRequest;
  response?: RecordedResponse;
  error?: unknown;
}

/** The shared record of every client's calls, in call order. */
export class History {
  private readonly calls: RecordedCall[] = [];

  /** `maxCalls` bounds memory; a call beyond it fails before reaching the store. */
  constructor(readonly maxCalls = 100_000) {}

  /** Starts a record; the caller fills in `return` and `response` when the call succeeds. */
  begin(clientId: number | string, call: number, request: RecordedRequest): RecordedCall {
    if (this.calls.length >= this.maxCalls) throw new Error(`history is full (${this.maxCalls} calls): raise maxCalls or record less`);
    const record: RecordedCall = { clientId, call, request };
    this.calls.push(record);
    return record;
  }

  records(): readonly RecordedCall[] {
    return this.calls;
  }

  /** The history as operations of the single-key KV model (see `toKvOperations`). */
  operations(): KvOperation[] {
    return toKvOperations(this.calls);
  }
}

export interface HistoryRecorderOptions {
  clientId: number | string;
  /** A monotonic clock shared by every recorder of one history. */
  now: () => number;
  history: History;
}

/** A KV that records the range/put/deleteRange/txn calls made through it; everything else passes through. */
export class HistoryRecorder implements KV {
  readonly history: History;
  private readonly clientId: number | string;
  private readonly now: () => number;

  constructor(
    private readonly inner: KV,
    options: HistoryRecorderOptions,
  ) {
    this.history = options.history;
    this.clientId = options.clientId;
    this.now = options.now;
  }

  range(req: RangeRequest): Promise<RangeResponse> {
    return this.record({ range: req }, () => this.inner.range(req));
  }
  put(req: PutRequest): Promise<PutResponse> {
    return this.record({ put: req }, () => this.inner.put(req));
  }
  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    return this.record({ deleteRange: req }, () => this.inner.deleteRange(req));
  }
  txn(req: TxnRequest): Promise<TxnResponse> {
    return this.record({ txn: req }, () => this.inner.txn(req));
  }

  compact: KV["compact"] = (req) => this.inner.compact(req);
  openWatchStream: KV["openWatchStream"] = (onResponse, onError) => this.inner.openWatchStream(onResponse, onError);
  leaseGrant: KV["leaseGrant"] = (req) => this.inner.leaseGrant(req);
  leaseRevoke: KV["leaseRevoke"] = (id) => this.inner.leaseRevoke(id);
  leaseKeepAlive: KV["leaseKeepAlive"] = (id) => this.inner.leaseKeepAlive(id);
  leaseTimeToLive: KV["leaseTimeToLive"] = (id, keys) => this.inner.leaseTimeToLive(id, keys);
  leaseLeases: KV["leaseLeases"] = () => this.inner.leaseLeases();
  status: KV["status"] = () => this.inner.status();
  close: KV["close"] = () => this.inner.close();

  private async record<T extends RecordedResponse>(request: RecordedRequest, invoke: () => Promise<T>): Promise<T> {
    const record = this.history.begin(this.clientId, this.now(), request);
    try {
      const response = await invoke();
      record.return = this.now();
      record.response = response;
      return response;
    } catch (err) {
      record.error = err;
      throw err;
    }
  }
}

// ---- conversion to the single-key model --------------------------------------------------------

/** A write the single-key model cannot express; checking without it would be unsound. */
export class UnsupportedOperationError extends Error {
  constructor(
    readonly record: RecordedCall,
    reason: string,
  ) {
    super(`cannot check this call with the single-key KV model (${reason}): ${describeRequest(record.request)}`);
    this.name = "UnsupportedOperationError";
  }
}

/**
 * Maps recorded calls onto the single-key KV model. Reads it cannot express (ranges over several
 * keys, reads at a past revision, serializable or count-only reads, read-only txns) and reads that
 * failed are left out, which only removes constraints. Writes it cannot express throw
 * UnsupportedOperationError. Supported txns are compare-and-swaps: one EQUAL compare on the key's
 * value, modRevision, or version/createRevision 0 (absent); success = one put of that key; failure =
 * nothing or one single-key range of it.
 */
export function toKvOperations(records: readonly RecordedCall[]): KvOperation[] {
  const ops: KvOperation[] = [];
  for (const r of records) {
    const converted = convert(r);
    if (converted === undefined) continue;
    const done = r.return !== undefined && r.response !== undefined && r.error === undefined;
    ops.push(done ? { clientId: r.clientId, call: r.call, return: r.return, input: converted.input, output: converted.output } : { clientId: r.clientId, call: r.call, input: converted.input });
  }
  return ops;
}

function convert(r: RecordedCall): { input: KvInput; output: KvOutput | undefined } | undefined {
  const req = r.request;
  if ("range" in req) {
    if (r.response === undefined || !isPlainGet(req.range)) return undefined;
    const res = r.response as RangeResponse;
    return { input: { op: "get", key: str(req.range.key) }, output: { op: "get", kv: kvAt(res.kvs[0]), revision: res.header.revision } };
  }
  if ("put" in req) {
    if (req.put.ignoreValue) throw new UnsupportedOperationError(r, "put with ignoreValue writes a value it does not state");
    if ((req.put.lease ?? 0n) !== 0n) throw new UnsupportedOperationError(r, "a lease's expiry deletes the key outside the history");
    const res = r.response as PutResponse | undefined;
    const output: KvOutput | undefined = res && { op: "put", revision: res.header.revision, ...(req.put.prevKv ? { prev: kvAt(res.prevKv) } : {}) };
    return { input: { op: "put", key: str(req.put.key), value: str(req.put.value) }, output };
  }
  if ("deleteRange" in req) {
    if (!isSingleKey(req.deleteRange.rangeEnd)) throw new UnsupportedOperationError(r, "deleteRange over several keys");
    const res = r.response as DeleteRangeResponse | undefined;
    return { input: { op: "delete", key: str(req.deleteRange.key) }, output: res && { op: "delete", revision: res.header.revision, deleted: res.deleted } };
  }
  return convertTxn(r, req.txn);
}

function convertTxn(r: RecordedCall, txn: TxnRequest): { input: KvInput; output: KvOutput | undefined } | undefined {
  const ops = [...txn.success, ...txn.failure];
  if (ops.every((op) => "requestRange" in op)) return undefined; // read-only: leaving it out is sound
  const [c, ...more] = txn.compare;
  const put = txn.success.length === 1 && "requestPut" in txn.success[0]! ? txn.success[0].requestPut : undefined;
  const read = txn.failure.length === 1 && "requestRange" in txn.failure[0]! ? txn.failure[0].requestRange : undefined;
  const key = c ? str(c.key) : "";
  const compare = c && more.length === 0 && c.result === "EQUAL" && isSingleKey(c.rangeEnd) ? casCompare(c) : undefined;
  const sameKey = (k: Uint8Array) => str(k) === key;
  if (
    compare === undefined ||
    put === undefined ||
    put.ignoreValue ||
    (put.lease ?? 0n) !== 0n ||
    !sameKey(put.key) ||
    (txn.failure.length > 0 && (read === undefined || !isPlainGet(read) || !sameKey(read.key)))
  ) {
    throw new UnsupportedOperationError(r, "only compare-and-swap txns on one key are supported");
  }
  const input: KvInput = { op: "cas", key, compare, value: str(put.value) };
  const res = r.response as TxnResponse | undefined;
  if (res === undefined) return { input, output: undefined };
  const current = !res.succeeded && read ? { current: kvAt(rangeOf(res.responses[0])?.kvs[0]) } : {};
  return { input, output: { op: "cas", revision: res.header.revision, succeeded: res.succeeded, ...current } };
}

function casCompare(c: TxnRequest["compare"][number]): { value: string } | { modRevision: number } | undefined {
  switch (c.target) {
    case "VALUE":
      return { value: str(c.value) };
    case "MOD":
      return { modRevision: c.modRevision };
    case "VERSION":
      return c.version === 0 ? { modRevision: 0 } : undefined;
    case "CREATE":
      return c.createRevision === 0 ? { modRevision: 0 } : undefined;
    default:
      return undefined;
  }
}

function rangeOf(op: TxnResponse["responses"][number] | undefined): RangeResponse | undefined {
  return op && "responseRange" in op ? op.responseRange : undefined;
}

/** A linearizable read of exactly one key's current value. */
function isPlainGet(req: RangeRequest): boolean {
  return (
    isSingleKey(req.rangeEnd) &&
    !req.revision &&
    !req.serializable &&
    !req.countOnly &&
    !req.keysOnly &&
    !req.minModRevision &&
    !req.maxModRevision &&
    !req.minCreateRevision &&
    !req.maxCreateRevision
  );
}

function isSingleKey(rangeEnd: Uint8Array | undefined): boolean {
  return rangeEnd === undefined || rangeEnd.length === 0;
}

function kvAt(kv: { value: Uint8Array; modRevision: number } | undefined): KvAt | null {
  return kv ? { value: str(kv.value), modRevision: kv.modRevision } : null;
}

function str(b: Uint8Array): string {
  let s = "";
  for (const byte of b) s += String.fromCharCode(byte);
  return s;
}

function describeRequest(req: RecordedRequest): string {
  const [kind, body] = Object.entries(req)[0]!;
  return `${kind} ${JSON.stringify(body, (_k, v: unknown) => (v instanceof Uint8Array ? str(v) : typeof v === "bigint" ? v.toString() : v))}`;
}
