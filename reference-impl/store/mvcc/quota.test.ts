// The backend quota: etcd's NOSPACE alarm, as its quota check and capped applier combine.
import { describe, expect, it } from "vitest";
import { KvError } from "../../../spec/interfaces/kv.ts";
import { EMPTY_DB_BYTES } from "./size.ts";
import { MvccStore } from "./store.ts";
import { b } from "./testing.ts";

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return `${err.code} ${err.message}`;
    throw err;
  }
  return "ok";
}
const noSpace = "RESOURCE_EXHAUSTED etcdserver: mvcc: database space exceeded";

function fullStore(): MvccStore {
  const s = new MvccStore({ limits: { quotaBackendBytes: EMPTY_DB_BYTES + 10_000 } });
  s.apply({ op: "leaseGrant", id: 1n, ttlSeconds: 60 });
  let i = 0;
  while (errorOf(() => s.apply({ op: "put", req: { key: b(`k${i}`), value: new Uint8Array(1000) } })) === "ok") i++;
  expect(i).toBeGreaterThan(5);
  return s;
}

describe("backend quota", () => {
  it("refuses the write that would pass the quota and raises the alarm", () => {
    const s = fullStore();
    expect(s.noSpaceAlarm).toBe(true);
    expect(s.dbSizeBytes).toBeLessThan(s.limits.quotaBackendBytes);
  });

  it("with the alarm raised, refuses puts, txns with puts and lease grants, even small ones", () => {
    const s = fullStore();
    const rev = s.revision;
    expect(errorOf(() => s.apply({ op: "put", req: { key: b("tiny"), value: b("1") } }))).toBe(noSpace);
    const txnPut = { compare: [], success: [{ requestPut: { key: b("t"), value: b("1") } }], failure: [] };
    expect(errorOf(() => s.apply({ op: "txn", req: txnPut }))).toBe(noSpace);
    expect(errorOf(() => s.apply({ op: "leaseGrant", id: 2n, ttlSeconds: 10 }))).toBe(noSpace);
    expect(s.revision).toBe(rev);
  });

  it("still allows deletes, txns without puts, compaction and revokes; the alarm stays", () => {
    const s = fullStore();
    expect(errorOf(() => s.apply({ op: "deleteRange", req: { key: b("k0") } }))).toBe("ok");
    const txnDel = { compare: [], success: [{ requestDeleteRange: { key: b("k1") } }, { requestRange: { key: b("k2") } }], failure: [] };
    expect(errorOf(() => s.apply({ op: "txn", req: txnDel }))).toBe("ok");
    expect(errorOf(() => s.apply({ op: "compact", revision: s.revision }))).toBe("ok");
    expect(errorOf(() => s.apply({ op: "leaseRevoke", id: 1n }))).toBe("ok");
    expect(s.range({ key: b("k2") }).kvs).toHaveLength(1);
    expect(s.noSpaceAlarm).toBe(true);
    expect(errorOf(() => s.apply({ op: "put", req: { key: b("tiny"), value: b("1") } }))).toBe(noSpace);
  });
});
