// An ordered index of records by key bytes: the role etcd's in-memory btree (mvcc/index.go) plays.
// A sorted list of sorted blocks: lookups are two binary searches, inserts shift at most one block
// (and the short block list on a split), and ordered scans walk blocks in place. Simpler than a
// B-tree and within a small factor of it for the sizes a control plane holds (up to a few million
// keys).
import type { Bytes } from "../../../spec/interfaces/kv.ts";
import { compareBytes } from "./bytes.ts";

/** Blocks split when they reach this many records; half-full after a split. */
const BLOCK_MAX = 512;

export interface Keyed {
  readonly key: Bytes;
}

export class KeyIndex<R extends Keyed> {
  #blocks: R[][] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: Bytes): R | undefined {
    const bi = this.#blockFor(key);
    if (bi === this.#blocks.length) return undefined;
    const block = this.#blocks[bi]!;
    const i = lowerBound(block, key);
    const r = block[i];
    return r !== undefined && compareBytes(r.key, key) === 0 ? r : undefined;
  }

  /** Inserts `rec`; the caller guarantees its key is not present. */
  insert(rec: R): void {
    this.#size++;
    if (this.#blocks.length === 0) {
      this.#blocks.push([rec]);
      return;
    }
    let bi = this.#blockFor(rec.key);
    if (bi === this.#blocks.length) bi--; // past every key: append to the last block
    const block = this.#blocks[bi]!;
    block.splice(lowerBound(block, rec.key), 0, rec);
    if (block.length >= BLOCK_MAX) this.#blocks.splice(bi + 1, 0, block.splice(block.length >> 1));
  }

  /** Removes the record with `key`; returns whether one was there. */
  remove(key: Bytes): boolean {
    const bi = this.#blockFor(key);
    if (bi === this.#blocks.length) return false;
    const block = this.#blocks[bi]!;
    const i = lowerBound(block, key);
    const r = block[i];
    if (r === undefined || compareBytes(r.key, key) !== 0) return false;
    block.splice(i, 1);
    if (block.length === 0) this.#blocks.splice(bi, 1);
    this.#size--;
    return true;
  }

  /**
   * Calls `fn` for each record with from <= key (< end when `end` is given), in key order, until
   * `fn` returns false.
   */
  scan(from: Bytes, end: Bytes | undefined, fn: (r: R) => boolean | void): void {
    const blocks = this.#blocks;
    let bi = this.#blockFor(from);
    if (bi === blocks.length) return;
    let i = lowerBound(blocks[bi]!, from);
    for (; bi < blocks.length; bi++, i = 0) {
      const block = blocks[bi]!;
      for (; i < block.length; i++) {
        const r = block[i]!;
        if (end !== undefined && compareBytes(r.key, end) >= 0) return;
        if (fn(r) === false) return;
      }
    }
  }

  /** Every record in key order. */
  forEach(fn: (r: R) => void): void {
    for (const block of this.#blocks) for (const r of block) fn(r);
  }

  /** Removes every record for which `drop` returns true (one pass, blocks rebuilt in place). */
  removeWhere(drop: (r: R) => boolean): void {
    const kept: R[][] = [];
    let size = 0;
    for (const block of this.#blocks) {
      const b = block.filter((r) => !drop(r));
      if (b.length > 0) {
        kept.push(b);
        size += b.length;
      }
    }
    this.#blocks = kept;
    this.#size = size;
  }

  /** Index of the first block whose last key >= key (blocks.length when none). */
  #blockFor(key: Bytes): number {
    const blocks = this.#blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid]!;
      if (compareBytes(b[b.length - 1]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Index of the first record with key >= `key`. */
function lowerBound<R extends Keyed>(block: R[], key: Bytes): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(block[mid]!.key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
