import { describe, expect, it } from "vitest";
import { crc32c } from "./crc32c.ts";

/** Bit-at-a-time CRC-32C straight from the definition, to check the table-driven one against. */
function crc32cSlow(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe("crc32c", () => {
  it("gives the standard check value for '123456789'", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
  });

  it("is 0 for no bytes and matches known vectors (RFC 3720 B.4)", () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });

  it("agrees with the bitwise definition on every length and alignment", () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let len = 0; start + len <= data.length; len += 13) {
        const slice = data.subarray(start, start + len);
        expect(crc32c(slice)).toBe(crc32cSlow(slice));
      }
    }
  });

  it("continues across chunks", () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    expect(crc32c(data.subarray(37), crc32c(data.subarray(0, 37)))).toBe(crc32c(data));
  });
});
