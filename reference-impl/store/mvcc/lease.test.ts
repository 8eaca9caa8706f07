// Leases in the store: grant rules, attached keys, revoke in one revision.
import { describe, expect, it } from "vitest";
import { KvError, KvLimits } from "../../../spec/interfaces/kv.ts";
import { keySpan } from "./bytes.ts";
import { MvccStore } from "./store.ts";
import { b, str } from "./testing.ts";
import type { WatchBatch } from "./watch-hub.ts";

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return `${err.code} ${err.message}`;
    throw err;
  }
  return "ok";
}
const grant = (s: MvccStore, id: bigint, ttlSeconds: number) => s.apply({ op: "leaseGrant", id, ttlSeconds });
const put = (s: MvccStore, k: string, lease?: bigint) => s.apply({ op: "put", req: { key: b(k), value: b("v"), lease } });

describe("lease grant", () => {
  it("grants with the requested TTL and takes no revision", () => {
    const s = new MvccStore();
    expect(grant(s, 10n, 30)).toMatchObject({ ID: 10n, TTL: 30, header: { revision: 1 } });
    expect(s.leases()).toEqual([{ id: 10n, ttlSeconds: 30 }]);
  });

  it.each([1, 0, -5])("raises a TTL of %i to the minimum (2 s)", (ttl) => {
    expect(grant(new MvccStore(), 1n, ttl).TTL).toBe(KvLimits.minLeaseTtlSeconds);
  });

  it("rejects a TTL above the maximum, an existing ID and ID 0", () => {
    const s = new MvccStore();
    expect(errorOf(() => grant(s, 1n, KvLimits.maxLeaseTtlSeconds + 1))).toBe("OUT_OF_RANGE etcdserver: too large lease TTL");
    expect(errorOf(() => grant(s, 1n, KvLimits.maxLeaseTtlSeconds))).toBe("ok");
    expect(errorOf(() => grant(s, 1n, 10))).toBe("FAILED_PRECONDITION etcdserver: lease already exists");
    expect(errorOf(() => grant(s, 0n, 10))).toBe("NOT_FOUND etcdserver: requested lease not found");
  });
});

describe("attached keys", () => {
  it("a put with an unknown lease fails and changes nothing", () => {
    const s = new MvccStore();
    expect(errorOf(() => put(s, "k", 9n))).toBe("NOT_FOUND etcdserver: requested lease not found");
    expect(s.revision).toBe(1);
  });

  it("tracks keys as puts attach, move and detach them", () => {
    const s = new MvccStore();
    grant(s, 1n, 60);
    grant(s, 2n, 60);
    put(s, "a", 1n);
    put(s, "b", 1n);
    put(s, "c", 1n);
    expect(s.lease(1n)!.keys.map(str)).toEqual(["a", "b", "c"]);
    put(s, "a", 2n); // moves
    put(s, "b"); // detaches
    s.apply({ op: "deleteRange", req: { key: b("c") } }); // detaches
    expect(s.lease(1n)!.keys.map(str)).toEqual([]);
    expect(s.lease(2n)!.keys.map(str)).toEqual(["a"]);
  });

  it("revoke deletes the attached keys in key order, all at one revision, then forgets the lease", () => {
    const s = new MvccStore();
    grant(s, 1n, 60);
    for (const k of ["z", "a", "m"]) put(s, k, 1n);
    put(s, "other");
    const batches: WatchBatch[] = [];
    s.watch({ span: keySpan(Uint8Array.of(0), Uint8Array.of(0)), startRevision: s.revision + 1, prevKv: true }, (x) => batches.push(x));
    const res = s.apply({ op: "leaseRevoke", id: 1n });
    expect(res.header.revision).toBe(6);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.revision).toBe(6);
    expect(batches[0]!.events.map((e) => [e.type, str(e.kv.key), e.kv.modRevision, e.prevKv?.lease])).toEqual([
      ["DELETE", "a", 6, 1n],
      ["DELETE", "m", 6, 1n],
      ["DELETE", "z", 6, 1n],
    ]);
    expect(s.lease(1n)).toBeUndefined();
    expect(s.get(b("other"))).toBeDefined();
    expect(errorOf(() => s.apply({ op: "leaseRevoke", id: 1n }))).toBe("NOT_FOUND etcdserver: requested lease not found");
  });

  it("revoking a lease without keys takes no revision", () => {
    const s = new MvccStore();
    grant(s, 1n, 60);
    expect(s.apply({ op: "leaseRevoke", id: 1n }).header.revision).toBe(1);
  });
});
