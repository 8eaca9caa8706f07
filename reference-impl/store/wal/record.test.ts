import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { RECORD_HEADER_BYTES, encodeRecord, recordAt, scanRecords } from "./record.ts";

const payloads = [0, 1, 2, 3, 4].map((i) => serialize({ op: "put", i, value: new Uint8Array(10 + i * 7).fill(i) }));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const log = concat(payloads.map(encodeRecord));
const ends = payloads.reduce<number[]>((acc, p) => [...acc, (acc.at(-1) ?? 0) + RECORD_HEADER_BYTES + p.length], []);

describe("record framing", () => {
  it("round-trips payloads in order", () => {
    const scan = scanRecords(log, 0);
    expect(scan.damage).toBeUndefined();
    expect(scan.end).toBe(log.length);
    expect(scan.payloads.map((p) => Buffer.from(p).toString("hex"))).toEqual(payloads.map((p) => Buffer.from(p).toString("hex")));
  });

  it("reports a record cut anywhere as an incomplete tail, keeping every whole record before it", () => {
    for (let cut = 1; cut < log.length; cut++) {
      const scan = scanRecords(log.subarray(0, cut), 0);
      const whole = ends.filter((e) => e <= cut);
      expect(scan.payloads).toHaveLength(whole.length);
      expect(scan.end).toBe(whole.at(-1) ?? 0);
      if (scan.end < cut) {
        expect(scan.damage?.reason).toBe("incomplete");
        expect(scan.damage?.offset).toBe(scan.end);
        expect(scan.damage?.validRecordAfter).toBeUndefined();
      }
    }
  });

  it("flags a flipped payload byte as a checksum mismatch and finds the valid record after it", () => {
    const damaged = log.slice();
    damaged[ends[1]! + RECORD_HEADER_BYTES + 3]! ^= 0x40; // inside record 2's payload
    const scan = scanRecords(damaged, 0);
    expect(scan.payloads).toHaveLength(2);
    expect(scan.damage).toMatchObject({ offset: ends[1], reason: "bad-checksum", validRecordAfter: ends[2] });
  });

  it("catches a flipped length bit even when the new length fits", () => {
    const damaged = log.slice();
    damaged[ends[0]!]! ^= 0x01; // record 1's length, off by one
    const scan = scanRecords(damaged, 0);
    expect(scan.payloads).toHaveLength(1);
    expect(scan.damage?.offset).toBe(ends[0]);
    expect(scan.damage?.reason).toBe("bad-checksum");
    expect(scan.damage?.validRecordAfter).toBe(ends[1]);
  });

  it("reads zeros after the records (preallocated space) as the end of the log", () => {
    for (const zeros of [1, 3, 4, 8, 200_000]) {
      const scan = scanRecords(concat([log, new Uint8Array(zeros)]), 0);
      expect(scan.payloads).toHaveLength(payloads.length);
      expect(scan.end).toBe(log.length);
      expect(scan.damage).toBeUndefined();
    }
  });

  it("ends the log at a zero record length even when records follow, reporting the first stray byte", () => {
    // A torn batch into preallocated space: a later record landed, the header before it did not.
    const hole = log.slice();
    hole.fill(0, ends[2]!, ends[3]!);
    const scan = scanRecords(hole, 0);
    expect(scan.payloads).toHaveLength(3);
    expect(scan.end).toBe(ends[2]);
    expect(scan.damage).toMatchObject({ offset: ends[2], reason: "incomplete" });
    expect(scan.damage?.detail).toMatch(new RegExp(`byte at offset ${ends[3]} after it is not zero`));
    expect(scan.damage?.validRecordAfter).toBeUndefined();
  });

  it("decodes a single record and says why a bad one is bad", () => {
    const one = encodeRecord(payloads[0]!);
    const rec = recordAt(one, 0);
    expect(rec.ok && rec.next).toBe(one.length);
    const bad = one.slice();
    bad[5]! ^= 1; // the stored checksum
    const res = recordAt(bad, 0);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.detail).toMatch(/checksum mismatch/);
  });

  it("refuses to frame an empty payload", () => {
    expect(() => encodeRecord(new Uint8Array(0))).toThrow(RangeError);
  });
});
