// A sequential specification of single-key etcd operations for the linearizability checker:
// get, put, delete and compare-and-swap (a txn comparing the key's value or modRevision, putting on
// success and optionally reading on failure). Every operation touches one key, so the history is
// checked key by key (P-compositionality).
//
// The state of a key is its value and modRevision, plus the highest response revision seen so far:
// etcd's revision only grows, so in linearization order a write that changed the key must carry a
// revision above every earlier response's, and any response one at least as high. A write whose
// outcome is unknown leaves the modRevision unknown until a later read or write reveals it.
import type { Model, Operation } from "./checker.ts";

/** Keys and values as strings (the recorder decodes bytes as latin1, so any bytes fit). */
export type KvInput =
  | { op: "get"; key: string }
  | { op: "put"; key: string; value: string }
  | { op: "delete"; key: string }
  | {
      op: "cas";
      key: string;
      /** Value compare: the key exists with this value. modRevision compare: 0 means "absent". */
      compare: { value: string } | { modRevision: number };
      /** Put on success. */
      value: string;
    };

/** A key's value and modRevision as a response shows it; null = absent. */
export interface KvAt {
  value: string;
  modRevision: number;
}

export type KvOutput =
  | { op: "get"; kv: KvAt | null; revision?: number }
  /** `prev` only when the put asked for prevKv (null: the key was absent). */
  | { op: "put"; revision: number; prev?: KvAt | null }
  | { op: "delete"; revision: number; deleted: number }
  /** `current` only when the failure branch read the key. */
  | { op: "cas"; revision: number; succeeded: boolean; current?: KvAt | null };

export type KvOperation = Operation<KvInput, KvOutput>;

const unknownRevision = -1;

export interface KvState {
  value: string | null;
  /** 0 when absent; -1 when a write of unknown outcome set the value. */
  modRevision: number;
  /** With an unknown modRevision: it is above this (the floor when that write was linearized). */
  above: number;
  /** The highest revision any response linearized so far carried. */
  floor: number;
}

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => ({ value: null, modRevision: 0, above: 0, floor: 0 }),

  step(s, input, output) {
    if (output !== undefined && output.op !== input.op) return [];
    switch (input.op) {
      case "get": {
        if (output?.op !== "get") return output === undefined ? [s] : [];
        return readMatches(s, output.kv, output.revision);
      }
      case "put": {
        const applied = (modRevision: number, floor: number): KvState => ({ value: input.value, modRevision, above: floor, floor });
        if (output?.op !== "put") return [applied(unknownRevision, s.floor)];
        if (output.revision <= s.floor) return [];
        if (output.prev !== undefined && readMatches(s, output.prev, undefined).length === 0) return [];
        return [applied(output.revision, output.revision)];
      }
      case "delete": {
        if (output?.op !== "delete") return [{ value: null, modRevision: 0, above: 0, floor: s.floor }];
        if (s.value === null) return output.deleted === 0 && output.revision >= s.floor ? [{ ...s, floor: output.revision }] : [];
        return output.deleted === 1 && output.revision > s.floor ? [{ value: null, modRevision: 0, above: 0, floor: output.revision }] : [];
      }
      case "cas": {
        const holds = compareHolds(s, input.compare);
        const applied = (modRevision: number, floor: number): KvState => ({ value: input.value, modRevision, above: floor, floor });
        if (output?.op !== "cas") {
          if (holds === undefined) return [s, applied(unknownRevision, s.floor)];
          return holds ? [applied(unknownRevision, s.floor)] : [s];
        }
        if (holds !== undefined && holds !== output.succeeded) return [];
        if (output.succeeded) return output.revision > s.floor ? [applied(output.revision, output.revision)] : [];
        if (output.revision < s.floor) return [];
        const after = { ...s, floor: output.revision };
        return output.current === undefined ? [after] : readMatches(after, output.current, undefined);
      }
    }
  },

  // The floor only rises, so an answer carrying a revision under it can never fit again.
  neverLinearizable(s, _input, output) {
    const changed = output.op === "put" || (output.op === "cas" && output.succeeded) || (output.op === "delete" && output.deleted > 0);
    if (output.revision === undefined) return false;
    return changed ? output.revision <= s.floor : output.revision < s.floor;
  },

  key: (s) => JSON.stringify([s.value, s.modRevision, s.modRevision === unknownRevision ? s.above : 0, s.floor]),

  partition(history) {
    const byKey = new Map<string, KvOperation[]>();
    for (const op of history) {
      const list = byKey.get(op.input.key);
      if (list) list.push(op);
      else byKey.set(op.input.key, [op]);
    }
    return [...byKey.values()];
  },

  describeOperation(op) {
    const i = op.input;
    const call =
      i.op === "get"
        ? `get(${q(i.key)})`
        : i.op === "put"
          ? `put(${q(i.key)}, ${q(i.value)})`
          : i.op === "delete"
            ? `delete(${q(i.key)})`
            : `cas(${q(i.key)}, ${"value" in i.compare ? `value == ${q(i.compare.value)}` : `modRevision == ${i.compare.modRevision}`} → ${q(i.value)})`;
    const o = op.return === undefined ? undefined : op.output;
    if (o === undefined) return `${call} → unknown outcome`;
    switch (o.op) {
      case "get":
        return `${call} → ${describeKv(o.kv)}`;
      case "put":
        return `${call} → revision ${o.revision}${o.prev !== undefined ? `, prev ${describeKv(o.prev)}` : ""}`;
      case "delete":
        return `${call} → deleted ${o.deleted} at revision ${o.revision}`;
      case "cas":
        return `${call} → ${o.succeeded ? "succeeded" : "failed"} at revision ${o.revision}${o.current !== undefined ? `, current ${describeKv(o.current)}` : ""}`;
    }
  },

  describeState: (s) =>
    s.value === null ? "absent" : `${q(s.value)}@${s.modRevision === unknownRevision ? "?" : s.modRevision}`,
};

/** The states in which a read showing `kv` (at response revision `revision`) is possible. */
function readMatches(s: KvState, kv: KvAt | null, revision: number | undefined): KvState[] {
  if (revision !== undefined && revision < s.floor) return [];
  const floor = revision ?? s.floor;
  if (kv === null) return s.value === null ? [{ ...s, floor }] : [];
  if (s.value !== kv.value) return [];
  if (revision !== undefined && kv.modRevision > revision) return [];
  if (s.modRevision === unknownRevision) {
    return kv.modRevision > s.above ? [{ ...s, modRevision: kv.modRevision, above: 0, floor: Math.max(floor, kv.modRevision) }] : [];
  }
  return s.modRevision === kv.modRevision ? [{ ...s, floor }] : [];
}

/** Whether the compare holds, or undefined when the state does not tell (modRevision unknown). */
function compareHolds(s: KvState, c: Extract<KvInput, { op: "cas" }>["compare"]): boolean | undefined {
  if ("value" in c) return s.value !== null && s.value === c.value;
  if (s.value === null) return c.modRevision === 0;
  if (s.modRevision === unknownRevision) return c.modRevision <= s.above ? false : undefined;
  return s.modRevision === c.modRevision;
}

function describeKv(kv: KvAt | null): string {
  return kv === null ? "absent" : `${q(kv.value)}@${kv.modRevision}`;
}

function q(s: string): string {
  return JSON.stringify(s);
}
