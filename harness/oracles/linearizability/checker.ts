// A linearizability checker in the style of Porcupine (https://github.com/anishathalye/porcupine):
// Wing & Gong's search for a linearization, with Lowe's memoisation of (set of linearized
// operations, model state) and P-compositionality (each partition of the history — for a KV model,
// each key — is checked on its own).
//
// The search walks a list of call and return events in time order. At a call it tries to linearize
// that operation next (the model must accept its output from the current state); at a return it
// has failed to linearize that operation before it returned, so it backtracks. A configuration
// already explored is never explored again, which keeps real histories tractable. Two additions:
// operations of unknown outcome are tried only after every completed candidate failed, and a model
// may declare an operation dead in a state (e.g. its revision is already behind) so that the
// search abandons that branch at once instead of at the operation's return.
//
// An operation whose outcome is unknown (timed out, connection lost, process killed) has no return:
// its return is taken as +∞ and the model accepts any output. Linearizing it last is the same as
// it never having taken effect, so both possibilities are covered.

export interface Operation<I, O> {
  clientId: number | string;
  /** When the client invoked the operation, on a clock shared by all clients. */
  call: number;
  /** When the client received the result; absent when the outcome is unknown. */
  return?: number;
  input: I;
  /** The result; ignored when `return` is absent. */
  output?: O;
}

/**
 * A sequential specification. `step` lists the states the operation can lead to from `state`
 * given that it answered `output` (undefined: unknown, so any answer is acceptable); an empty list
 * means the answer is impossible from that state. Most models return zero or one state; several
 * are allowed (e.g. an ambiguous compare-and-swap whose compare cannot be decided).
 */
export interface Model<S, I, O> {
  init(): S;
  step(state: S, input: I, output: O | undefined): S[];
  /** A canonical string for a state: equal states, equal keys (used for memoisation). */
  key(state: S): string;
  /**
   * Optional pruning: true when an operation with this known output can be linearized neither from
   * `state` nor from any state reachable from it (e.g. its revision is below one already seen).
   * The search then abandons a branch as soon as a pending operation is dead in it.
   */
  neverLinearizable?(state: S, input: I, output: O): boolean;
  /** Independent sub-histories (P-compositionality); default: the whole history. */
  partition?(history: Operation<I, O>[]): Operation<I, O>[][];
  describeOperation?(op: Operation<I, O>): string;
  describeState?(state: S): string;
}

export interface CheckOptions {
  /** Search steps per partition before answering "unknown" (default 5,000,000). */
  maxSteps?: number;
  /** A time budget, on a clock the caller provides (the harness stays deterministic). */
  deadline?: { now: () => number; budgetMs: number };
}

export interface PartialLinearization<I, O> {
  /** Which partition failed, and its operations. */
  partition: number;
  operations: Operation<I, O>[];
  /** The longest prefix of a linearization the search found, with the state after each step. */
  linearized: { op: Operation<I, O>; stateAfter: string }[];
  /** An operation that had already returned yet could not be linearized after that prefix. */
  stuck?: Operation<I, O>;
}

export type CheckResult<I, O> =
  | { ok: true; status: "linearizable" }
  | { ok: false; status: "not-linearizable"; message: string; partial: PartialLinearization<I, O> }
  | { ok: false; status: "unknown"; message: string };

const defaultMaxSteps = 5_000_000;

export function checkLinearizable<S, I, O>(
  history: Operation<I, O>[],
  model: Model<S, I, O>,
  options: CheckOptions = {},
): CheckResult<I, O> {
  for (const op of history) {
    if (op.return !== undefined && op.return < op.call) {
      throw new Error(`operation of client ${op.clientId} returns (${op.return}) before its call (${op.call})`);
    }
  }
  const deadline = options.deadline ? { now: options.deadline.now, at: options.deadline.now() + options.deadline.budgetMs } : undefined;
  const partitions = model.partition ? model.partition(history) : [history];
  let unknown: string | undefined;
  for (const [index, ops] of partitions.entries()) {
    // Each partition gets its own step budget, so one hard partition does not hide a violation in another.
    const result = checkPartition(ops, model, { stepsLeft: options.maxSteps ?? defaultMaxSteps, deadline });
    if (result.status === "not-linearizable") {
      return {
        ok: false,
        status: "not-linearizable",
        message: failureMessage(model, index, partitions.length, result),
        partial: { partition: index, operations: ops, linearized: result.linearized, ...(result.stuck ? { stuck: result.stuck } : {}) },
      };
    }
    if (result.status === "unknown") unknown ??= `search budget exhausted in partition ${index + 1} of ${partitions.length} (${ops.length} operations)`;
  }
  return unknown === undefined ? { ok: true, status: "linearizable" } : { ok: false, status: "unknown", message: unknown };
}

// ---- the search --------------------------------------------------------------------------------

interface Budget {
  stepsLeft: number;
  deadline: { now: () => number; at: number } | undefined;
}

interface Entry {
  kind: "call" | "return";
  time: number;
  op: number;
  /** For a call: its return entry. */
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

type PartitionResult<I, O> =
  | { status: "linearizable" }
  | { status: "unknown" }
  | { status: "not-linearizable"; linearized: { op: Operation<I, O>; stateAfter: string }[]; stuck: Operation<I, O> | undefined };

function checkPartition<S, I, O>(ops: Operation<I, O>[], model: Model<S, I, O>, budget: Budget): PartitionResult<I, O> {
  const head = buildEntries(ops);
  // The search state is the set of states the model may be in (a singleton for deterministic steps).
  let states: S[] = [model.init()];
  // Each choice made: the call lifted, the states before it, and the pass it was made in.
  const stack: { entry: Entry; states: S[]; pass: Pass }[] = [];
  const linearized = new Bitset(ops.length);
  const seen = new Set<string>();
  let completedLeft = ops.filter((op) => op.return !== undefined).length;
  let bestDepth = 0;
  let best: { op: number; states: S[] }[] = [];
  let stuck: number | undefined;
  let snapshotDue = false; // a new deepest prefix was reached and not yet recorded
  // Candidates are the calls before the first remaining return. Completed operations are tried
  // first; operations of unknown outcome only when none of those fits, which keeps them from
  // being linearized early and explored everywhere.
  let pass: Pass = "completed";
  let entry = head.next;

  while (completedLeft > 0 && entry !== undefined) {
    if (--budget.stepsLeft < 0) return { status: "unknown" };
    if (budget.deadline && (budget.stepsLeft & 0x3ff) === 0 && budget.deadline.now() > budget.deadline.at) return { status: "unknown" };

    if (entry.kind === "call") {
      const op = ops[entry.op]!;
      if ((op.return === undefined) !== (pass === "unknown")) {
        entry = entry.next;
        continue;
      }
      const next = stepAll(model, states, op);
      if (next.length > 0 && !deadOperationAhead(model, ops, head, entry, next)) {
        linearized.set(entry.op);
        const memo = linearized.key() + "\u0000" + next.map((s) => model.key(s)).join("\u0001");
        if (!seen.has(memo)) {
          seen.add(memo);
          stack.push({ entry, states, pass });
          states = next;
          if (op.return !== undefined) completedLeft--;
          lift(entry);
          if (stack.length > bestDepth) {
            bestDepth = stack.length;
            snapshotDue = true;
          }
          pass = "completed";
          entry = head.next;
          continue;
        }
        linearized.clear(entry.op);
      }
      entry = entry.next;
    } else if (pass === "completed") {
      pass = "unknown";
      entry = head.next;
    } else {
      // This operation returned before anything could be linearized: undo the last choice.
      if (snapshotDue) {
        best = stack.map((f, i) => ({ op: f.entry.op, states: i + 1 < stack.length ? stack[i + 1]!.states : states }));
        stuck = entry.op;
        snapshotDue = false;
      }
      const top = stack.pop();
      if (top === undefined) {
        return {
          status: "not-linearizable",
          linearized: best.map((b) => ({ op: ops[b.op]!, stateAfter: describeStates(model, b.states) })),
          stuck: stuck === undefined ? undefined : ops[stuck],
        };
      }
      entry = top.entry;
      states = top.states;
      pass = top.pass;
      linearized.clear(entry.op);
      if (ops[entry.op]!.return !== undefined) completedLeft++;
      unlift(entry);
      entry = entry.next;
    }
  }
  // What is left has unknown outcomes: it may never have taken effect.
  return { status: "linearizable" };
}

type Pass = "completed" | "unknown";

/**
 * Whether, after linearizing `chosen` into `states`, an operation that must come before the next
 * return (a call before it, or that return's own operation) can never be linearized.
 */
function deadOperationAhead<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], head: Entry, chosen: Entry, states: S[]): boolean {
  const dead = model.neverLinearizable;
  if (!dead) return false;
  const isDead = (op: Operation<I, O>) => op.return !== undefined && op.output !== undefined && states.every((st) => dead(st, op.input, op.output!));
  for (let e = head.next; e !== undefined; e = e.next) {
    if (e.op === chosen.op) continue;
    if (isDead(ops[e.op]!)) return true;
    if (e.kind === "return") return false;
  }
  return false;
}

function stepAll<S, I, O>(model: Model<S, I, O>, states: S[], op: Operation<I, O>): S[] {
  const output = op.return === undefined ? undefined : op.output;
  const byKey = new Map<string, S>();
  for (const s of states) for (const n of model.step(s, op.input, output)) byKey.set(model.key(n), n);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** A doubly linked list of call and return events, in time order, behind a sentinel head. */
function buildEntries<I, O>(ops: Operation<I, O>[]): Entry {
  const entries: Entry[] = [];
  ops.forEach((op, i) => {
    const ret: Entry = { kind: "return", time: op.return ?? Infinity, op: i, match: undefined, prev: undefined, next: undefined };
    entries.push({ kind: "call", time: op.call, op: i, match: ret, prev: undefined, next: undefined }, ret);
  });
  // At equal times calls come first, so operations that touch in time count as concurrent.
  entries.sort((a, b) => a.time - b.time || (a.kind === b.kind ? a.op - b.op : a.kind === "call" ? -1 : 1));
  const head: Entry = { kind: "call", time: -Infinity, op: -1, match: undefined, prev: undefined, next: undefined };
  let prev = head;
  for (const e of entries) {
    prev.next = e;
    e.prev = prev;
    prev = e;
  }
  return head;
}

/** Removes a call and its return from the list. */
function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts back what `lift` removed (in reverse order of lifting). */
function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

class Bitset {
  private readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }
  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }
  key(): string {
    let s = "";
    for (const w of this.words) s += String.fromCharCode(w & 0xffff, w >>> 16);
    return s;
  }
}

// ---- messages ----------------------------------------------------------------------------------

function describeStates<S, I, O>(model: Model<S, I, O>, states: S[]): string {
  const one = (s: S) => (model.describeState ? model.describeState(s) : model.key(s));
  return states.length === 1 ? one(states[0]!) : `one of {${states.map(one).join(", ")}}`;
}

export function describeOperation<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  const body = model.describeOperation ? model.describeOperation(op) : `${JSON.stringify(op.input)} → ${op.return === undefined ? "?" : JSON.stringify(op.output)}`;
  const span = `[${op.call}, ${op.return ?? "∞"}]`;
  return `client ${op.clientId} ${span} ${body}`;
}

function failureMessage<S, I, O>(model: Model<S, I, O>, index: number, count: number, r: Extract<PartitionResult<I, O>, { status: "not-linearizable" }>): string {
  const lines = [`not linearizable (partition ${index + 1} of ${count}): no order of the operations is consistent with both their real-time order and the model.`];
  if (r.linearized.length > 0) {
    lines.push(`Longest linearizable prefix (${r.linearized.length} operations):`);
    for (const l of r.linearized) lines.push(`  ${describeOperation(model, l.op)}   ⇒ ${l.stateAfter}`);
  } else {
    lines.push("Not even the first operation can be linearized.");
  }
  if (r.stuck) lines.push(`then this operation had returned but cannot be linearized next: ${describeOperation(model, r.stuck)}`);
  return lines.join("\n");
}
