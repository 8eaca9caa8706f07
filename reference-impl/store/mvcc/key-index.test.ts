// KeyIndex against a plain sorted array, across block splits and removals.
import { describe, expect, it } from "vitest";
import { compareBytes } from "./bytes.ts";
import { KeyIndex } from "./key-index.ts";

interface Rec {
  key: Uint8Array;
  n: number;
}

function keyOf(n: number): Uint8Array {
  // variable-length keys with shared prefixes, so byte order differs from numeric order
  return new TextEncoder().encode(`k${(n * 7919) % 5003}/${n % 3 === 0 ? "" : "x"}`);
}

describe("KeyIndex", () => {
  it("keeps records in byte order through inserts and removals, and finds each", () => {
    const idx = new KeyIndex<Rec>();
    const model = new Map<string, Rec>();
    let x = 1;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 48271) % 2147483647;
      const n = x % 6000;
      const key = keyOf(n);
      const id = Buffer.from(key).toString("latin1");
      if (x % 5 === 0) {
        expect(idx.remove(key)).toBe(model.delete(id));
      } else if (!model.has(id)) {
        const r = { key, n };
        idx.insert(r);
        model.set(id, r);
      }
    }
    expect(idx.size).toBe(model.size);
    const want = [...model.values()].sort((a, b) => compareBytes(a.key, b.key));
    const got: Rec[] = [];
    idx.forEach((r) => got.push(r));
    expect(got).toEqual(want);
    for (const r of want) expect(idx.get(r.key)).toBe(r);
    expect(idx.get(new TextEncoder().encode("nope"))).toBeUndefined();
  });

  it("scans [from, end) in order and stops when asked", () => {
    const idx = new KeyIndex<Rec>();
    const all: Rec[] = [];
    for (let n = 0; n < 3000; n++) {
      const r = { key: keyOf(n), n };
      idx.insert(r);
      all.push(r);
    }
    all.sort((a, b) => compareBytes(a.key, b.key));
    const from = all[1000]!.key;
    const end = all[2500]!.key;
    const got: Rec[] = [];
    idx.scan(from, end, (r) => void got.push(r));
    expect(got).toEqual(all.slice(1000, 2500));
    const open: Rec[] = [];
    idx.scan(from, undefined, (r) => void open.push(r));
    expect(open).toEqual(all.slice(1000));
    const first3: Rec[] = [];
    idx.scan(new Uint8Array(), undefined, (r) => (first3.push(r), first3.length < 3));
    expect(first3).toEqual(all.slice(0, 3));
    const none: Rec[] = [];
    idx.scan(end, from, (r) => void none.push(r));
    expect(none).toEqual([]);
  });

  it("removeWhere drops matching records and keeps the rest ordered", () => {
    const idx = new KeyIndex<Rec>();
    for (let n = 0; n < 2000; n++) idx.insert({ key: keyOf(n), n });
    idx.removeWhere((r) => r.n % 2 === 0);
    expect(idx.size).toBe(1000);
    const got: Rec[] = [];
    idx.forEach((r) => got.push(r));
    expect(got.every((r) => r.n % 2 === 1)).toBe(true);
    for (let i = 1; i < got.length; i++) expect(compareBytes(got[i - 1]!.key, got[i]!.key)).toBeLessThan(0);
  });
});
