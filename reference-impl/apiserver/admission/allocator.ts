// Allocation of service IPs and node ports, kept in the KV: one key per allocated item
// (`<prefix><item>`, e.g. /registry/ranges/serviceips/10.96.0.10) holding its owner. An item is
// taken with a txn that succeeds only if the key does not exist, so two API servers (or two
// concurrent requests) never hand out the same item. Random allocation follows upstream's bitmap
// strategy: a random start in the upper band, then the first free item after it, then the same in
// the static band.
//
// A record whose owner no longer holds the item (a create that failed after allocating, a service
// deleted while nobody released its items) is stale once it is older than `staleAfterMs` — the
// window protects a create still in flight — and is reclaimed when its item is asked for, when the
// range is full, or by `repair()` (upstream's repair controllers do the same job).
import type { Clock } from "../../../spec/interfaces/clock.ts";
import { type KV, prefixEnd } from "../../../spec/interfaces/kv.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";
import { isRecord, num, str } from "./json.ts";
import type { AllocationRange } from "./ranges.ts";

export type AllocationErrorCode = "NotInRange" | "Allocated" | "Full";

/** ErrNotInRange, ErrAllocated, ErrFull with upstream's messages. */
export class AllocationError extends Error {
  constructor(
    readonly code: AllocationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AllocationError";
  }
}

/** The object an item is allocated to. */
export interface AllocationOwner {
  namespace: string;
  name: string;
  uid: string;
}

export interface AllocationRecord extends AllocationOwner {
  allocatedAtMs: number;
}

/** Whether `owner` still holds `item` (its object exists, with that uid, and uses the item). */
export type HoldsCheck = (item: string, owner: AllocationOwner) => Promise<boolean>;

export interface RangeAllocatorOptions {
  kv: KV;
  clock: Clock;
  rng: Rng;
  /** Key prefix, ending in "/". */
  prefix: string;
  range: AllocationRange;
  holds: HoldsCheck;
  staleAfterMs: number;
  /** ErrAllocated and ErrNotInRange texts of the kind of item. */
  allocatedMessage: string;
  notInRangeMessage: (item: string) => string;
}

/** Allocations that lose a txn race this many times in a row give up (500). */
export const MAX_ALLOCATION_ATTEMPTS = 32;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class RangeAllocator {
  readonly range: AllocationRange;
  readonly #o: RangeAllocatorOptions;

  constructor(opts: RangeAllocatorOptions) {
    this.#o = opts;
    this.range = opts.range;
  }

  /** ErrNotInRange unless `item` belongs to the range. */
  assertInRange(item: string): void {
    if (this.range.indexOf(item) === undefined) throw new AllocationError("NotInRange", this.#o.notInRangeMessage(item));
  }

  /** Allocate: reserve `item` for `owner` (already the owner's: fine). */
  async allocate(item: string, owner: AllocationOwner): Promise<void> {
    this.assertInRange(item);
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
      if (await this.#create(item, owner)) return;
      const current = await this.#read(item);
      if (current === undefined) continue;
      if (current.record?.uid === owner.uid) return;
      if (!(await this.#isStale(item, current.record))) throw new AllocationError("Allocated", this.#o.allocatedMessage);
      if (await this.#replace(item, current.modRevision, owner)) return;
    }
    throw new Error(`could not allocate ${item}: too many conflicting allocations`);
  }

  /** AllocateNext: a random free item, reclaiming a stale one when the range is full. */
  async allocateNext(owner: AllocationOwner): Promise<string> {
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
      const taken = await this.allocated();
      const index = this.#pickFree(new Set([...taken.keys()].map((i) => this.range.indexOf(i) ?? -1)));
      if (index === undefined) {
        const reclaimed = await this.#reclaimAny(taken, owner);
        if (reclaimed !== undefined) return reclaimed;
        throw new AllocationError("Full", "range is full");
      }
      const item = this.range.itemAt(index);
      if (await this.#create(item, owner)) return item;
    }
    throw new Error(`could not allocate from ${this.range.description}: too many conflicting allocations`);
  }

  /** Release: free `item` if it is `owner`'s (any owner's when none is given). */
  async release(item: string, owner?: AllocationOwner): Promise<boolean> {
    const current = await this.#read(item);
    if (current === undefined) return false;
    if (owner !== undefined && current.record !== undefined && current.record.uid !== owner.uid) return false;
    const res = await this.#o.kv.txn({
      compare: [{ key: this.#key(item), target: "MOD", result: "EQUAL", modRevision: current.modRevision }],
      success: [{ requestDeleteRange: { key: this.#key(item) } }],
      failure: [],
    });
    return res.succeeded;
  }

  async has(item: string): Promise<boolean> {
    return (await this.#read(item)) !== undefined;
  }

  /** Every allocated item with its record. */
  async allocated(): Promise<Map<string, AllocationRecord | undefined>> {
    const prefix = encoder.encode(this.#o.prefix);
    const res = await this.#o.kv.range({ key: prefix, rangeEnd: prefixEnd(prefix) });
    const out = new Map<string, AllocationRecord | undefined>();
    for (const kv of res.kvs) out.set(decoder.decode(kv.key).slice(this.#o.prefix.length), decodeRecord(kv.value));
    return out;
  }

  /** Releases every stale allocation; returns the items freed. */
  async repair(): Promise<string[]> {
    const freed: string[] = [];
    for (const [item, record] of await this.allocated()) {
      if (!(await this.#isStale(item, record))) continue;
      const current = await this.#read(item);
      if (current !== undefined && current.record?.uid === record?.uid && (await this.release(item, record))) freed.push(item);
    }
    return freed;
  }

  /** randomScanStrategyWithOffset over the taken indexes. */
  #pickFree(taken: ReadonlySet<number>): number | undefined {
    const { size, offset } = this.range;
    const band = (lo: number, hi: number): number | undefined => {
      const n = hi - lo;
      if (n <= 0) return undefined;
      const start = this.#o.rng.int(0, n - 1);
      for (let i = 0; i < n; i++) {
        const at = lo + ((start + i) % n);
        if (!taken.has(at)) return at;
      }
      return undefined;
    };
    const lowEnd = Math.min(offset, size);
    return band(lowEnd, size) ?? band(0, lowEnd);
  }

  async #reclaimAny(taken: Map<string, AllocationRecord | undefined>, owner: AllocationOwner): Promise<string | undefined> {
    for (const [item, record] of taken) {
      if (!(await this.#isStale(item, record))) continue;
      const current = await this.#read(item);
      if (current === undefined || current.record?.uid !== record?.uid) continue;
      if (await this.#replace(item, current.modRevision, owner)) return item;
    }
    return undefined;
  }

  async #isStale(item: string, record: AllocationRecord | undefined): Promise<boolean> {
    // A record that cannot be read belongs to nobody.
    if (record === undefined) return true;
    if (this.#o.clock.now() - record.allocatedAtMs < this.#o.staleAfterMs) return false;
    return !(await this.#o.holds(item, record));
  }

  async #create(item: string, owner: AllocationOwner): Promise<boolean> {
    const key = this.#key(item);
    const res = await this.#o.kv.txn({
      compare: [{ key, target: "CREATE", result: "EQUAL", createRevision: 0 }],
      success: [{ requestPut: { key, value: this.#value(owner) } }],
      failure: [],
    });
    return res.succeeded;
  }

  async #replace(item: string, modRevision: number, owner: AllocationOwner): Promise<boolean> {
    const key = this.#key(item);
    const res = await this.#o.kv.txn({
      compare: [{ key, target: "MOD", result: "EQUAL", modRevision }],
      success: [{ requestPut: { key, value: this.#value(owner) } }],
      failure: [],
    });
    return res.succeeded;
  }

  async #read(item: string): Promise<{ record: AllocationRecord | undefined; modRevision: number } | undefined> {
    const kv = (await this.#o.kv.range({ key: this.#key(item) })).kvs[0];
    return kv === undefined ? undefined : { record: decodeRecord(kv.value), modRevision: kv.modRevision };
  }

  #key(item: string): Uint8Array {
    return encoder.encode(this.#o.prefix + item);
  }

  #value(owner: AllocationOwner): Uint8Array {
    const record: AllocationRecord = { namespace: owner.namespace, name: owner.name, uid: owner.uid, allocatedAtMs: this.#o.clock.now() };
    return encoder.encode(JSON.stringify(record));
  }
}

function decodeRecord(value: Uint8Array): AllocationRecord | undefined {
  try {
    const v: unknown = JSON.parse(decoder.decode(value));
    if (!isRecord(v)) return undefined;
    return { namespace: str(v.namespace), name: str(v.name), uid: str(v.uid), allocatedAtMs: num(v.allocatedAtMs) ?? 0 };
  } catch {
    return undefined;
  }
}
