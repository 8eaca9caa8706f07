import { describe, expect, it } from "vitest";
import { compareBytes } from "./bytes.ts";

describe("compareBytes", () => {
  it("orders as Buffer.compare does (Go's bytes.Compare): bytewise, a prefix first, short and long keys", () => {
    const cases: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0xff), Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)];
    for (const n of [255, 256, 257, 1000]) {
      const base = new Uint8Array(n).fill(0x61);
      const lower = base.slice();
      lower[n - 1] = 0x60;
      cases.push(base, lower, base.subarray(0, n - 1), Uint8Array.of(...base, 0));
    }
    let seed = 1;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 3;
    for (let i = 0; i < 200; i++) cases.push(Uint8Array.from({ length: next() * 2 }, next));
    for (const a of cases) {
      for (const b of cases) expect(compareBytes(a, b)).toBe(Buffer.compare(a, b));
    }
  });
});
