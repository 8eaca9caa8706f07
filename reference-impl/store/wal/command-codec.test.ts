import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import type { PutRequest } from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";
import { decodeCommand, encodeCommand } from "./command-codec.ts";

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("WAL command codec", () => {
  it("round-trips puts in the compact form, keeping exactly the fields that were set", () => {
    const puts: PutRequest[] = [
      { key: b("k"), value: b("") },
      { key: b("/registry/pods/default/web"), value: new Uint8Array(300).fill(7), lease: 0n },
      { key: b("k"), value: b("v"), lease: (1n << 63n) - 1n, prevKv: true },
      { key: b("k"), value: b("v"), lease: -(1n << 63n), ignoreLease: false },
      { key: b("k"), value: b(""), ignoreValue: true, ignoreLease: true, prevKv: false },
      { key: new Uint8Array(200_000).fill(1), value: new Uint8Array(1_500_000).fill(2) },
    ];
    for (const req of puts) {
      const bytes = encodeCommand({ op: "put", req });
      expect(bytes[0]).toBe(0x01);
      expect(bytes.length).toBeLessThan(serialize({ op: "put", req }).length);
      expect(decodeCommand(bytes)).toEqual({ op: "put", req });
    }
  });

  it("stores every other command, and puts the compact form cannot hold exactly, with v8.serialize", () => {
    const others: WriteCommand[] = [
      { op: "deleteRange", req: { key: b("a"), rangeEnd: b("z"), prevKv: true } },
      { op: "txn", req: { compare: [], success: [{ requestPut: { key: b("a"), value: b("1") } }], failure: [] } },
      { op: "compact", revision: 9 },
      { op: "leaseGrant", id: 5n, ttlSeconds: 10 },
      { op: "leaseRevoke", id: 5n },
      { op: "put", req: { key: b("k"), value: b("v"), lease: 1n << 64n } },
      { op: "put", req: { key: b("k"), value: b("v"), extra: "field" } as PutRequest },
    ];
    for (const cmd of others) {
      const bytes = encodeCommand(cmd);
      expect(bytes[0]).toBe(0xff);
      expect(decodeCommand(bytes)).toEqual(cmd);
    }
  });

  it("refuses what v8.serialize refuses", () => {
    const bad = { op: "put", req: { key: b("k"), value: b("v"), fn: () => 1 } } as unknown as WriteCommand;
    expect(() => encodeCommand(bad)).toThrow();
  });

  it("throws on a compact put that is cut short or too long", () => {
    const bytes = encodeCommand({ op: "put", req: { key: b("key"), value: b("value"), lease: 3n } });
    for (let cut = 1; cut < bytes.length; cut++) expect(() => decodeCommand(bytes.subarray(0, cut))).toThrow(/bad put payload/);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decodeCommand(longer)).toThrow(/bad put payload/);
  });
});
