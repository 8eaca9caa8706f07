// Wire conversions and the request checks etcd's gRPC layer makes, without a network.
import { describe, expect, it } from "vitest";
import { KvError, type TxnRequest, type WatchResponse } from "../../../spec/interfaces/kv.ts";
import { methodDefinition } from "./proto.ts";
import { putRequestFromWire, rangeRequestFromWire, txnRequestFromWire, watchCreateFromWire } from "./requests.ts";
import { etcdSnapshotFile, readEtcdSnapshotFile } from "./snapshot-file.ts";
import {
  rangeRequestToWire,
  txnRequestToWire,
  watchResponseFromWire,
  watchResponseToWire,
} from "./wire.ts";

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Encodes with the client's serializer and decodes with the server's deserializer, as on the wire. */
function overTheWire<T>(service: "KV" | "Watch", method: string, msg: object): T {
  const def = methodDefinition(service, method);
  return def.requestDeserialize(def.requestSerialize(msg)) as T;
}

function kvError(fn: () => unknown): KvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return err;
    throw err;
  }
  throw new Error("expected a KvError");
}

describe("wire conversions", () => {
  it("round-trips a nested txn through protobuf unchanged", () => {
    const txn: TxnRequest = {
      compare: [
        { result: "EQUAL", target: "VALUE", key: b("a"), value: b("1") },
        { result: "GREATER", target: "MOD", key: b("b"), rangeEnd: b("c"), modRevision: 7 },
        { result: "NOT_EQUAL", target: "LEASE", key: b("d"), lease: 2n ** 62n + 5n },
      ],
      success: [
        { requestPut: { key: b("a"), value: b("2"), lease: 9_223_372_036_854_775_807n, prevKv: true } },
        { requestTxn: { compare: [], success: [{ requestRange: { key: b("z"), limit: 3, sortOrder: "DESCEND", sortTarget: "MOD" } }], failure: [] } },
      ],
      failure: [{ requestDeleteRange: { key: b("a"), rangeEnd: Uint8Array.of(0), prevKv: true } }],
    };
    const decoded = txnRequestFromWire(overTheWire("KV", "Txn", txnRequestToWire(txn)));
    expect(decoded.compare).toEqual([
      { result: "EQUAL", target: "VALUE", key: b("a"), rangeEnd: new Uint8Array(0), value: b("1") },
      { result: "GREATER", target: "MOD", key: b("b"), rangeEnd: b("c"), modRevision: 7 },
      { result: "NOT_EQUAL", target: "LEASE", key: b("d"), rangeEnd: new Uint8Array(0), lease: 2n ** 62n + 5n },
    ]);
    expect(decoded.success[0]).toEqual({
      requestPut: { key: b("a"), value: b("2"), lease: 9_223_372_036_854_775_807n, prevKv: true, ignoreValue: false, ignoreLease: false },
    });
    const nested = decoded.success[1];
    expect(nested && "requestTxn" in nested && nested.requestTxn.success[0]).toMatchObject({
      requestRange: { key: b("z"), limit: 3, sortOrder: "DESCEND", sortTarget: "MOD" },
    });
    expect(decoded.failure[0]).toEqual({ requestDeleteRange: { key: b("a"), rangeEnd: Uint8Array.of(0), prevKv: true } });
  });

  it("gives bytes as plain Uint8Arrays and int64 IDs exactly", () => {
    const res: WatchResponse = {
      header: { clusterId: 2n ** 64n - 1n, memberId: 1n, revision: 42, raftTerm: 3 },
      watchId: -1,
      created: false,
      canceled: false,
      compactRevision: 0,
      cancelReason: "",
      fragment: false,
      events: [
        {
          type: "DELETE",
          kv: { key: b("k"), createRevision: 0, modRevision: 42, version: 0, value: new Uint8Array(0), lease: 0n },
          prevKv: { key: b("k"), createRevision: 5, modRevision: 6, version: 2, value: b("v"), lease: -3n },
        },
      ],
    };
    const def = methodDefinition("Watch", "Watch");
    const decoded = watchResponseFromWire(def.responseDeserialize(def.responseSerialize(watchResponseToWire(res))) as object);
    expect(decoded).toEqual(res);
    expect(decoded.events[0]!.kv.key.constructor).toBe(Uint8Array);
  });

  it("leaves empty bytes fields out of requests (etcd reads a sent empty range_end as >= key)", () => {
    const bytes = methodDefinition("KV", "Range").requestSerialize(rangeRequestToWire({ key: b("a"), rangeEnd: new Uint8Array(0) }));
    // Field 1 (key) only: tag 0x0a, length 1, "a"; then varint fields, never field 2 (tag 0x12).
    expect([...bytes.subarray(0, 3)]).toEqual([0x0a, 1, 0x61]);
    expect(bytes.includes(0x12)).toBe(false);
  });
});

describe("etcd's request checks", () => {
  it("rejects an empty key, as etcd checkRangeRequest does", () => {
    const err = kvError(() => rangeRequestFromWire(overTheWire("KV", "Range", rangeRequestToWire({ key: new Uint8Array(0) }))));
    expect([err.code, err.message]).toEqual(["INVALID_ARGUMENT", "etcdserver: key is not provided"]);
  });

  it("rejects an unknown sort target with etcd's invalid sort option", () => {
    const err = kvError(() => rangeRequestFromWire(overTheWire("KV", "Range", { key: b("a"), sort_target: 9 })));
    expect([err.code, err.message]).toEqual(["INVALID_ARGUMENT", "etcdserver: invalid sort option"]);
  });

  it("reads an unknown sort order as etcd 3.4 does: no sorting", () => {
    expect(rangeRequestFromWire(overTheWire("KV", "Range", { key: b("a"), sort_order: 7 })).sortOrder).toBe("NONE");
  });

  it("reads a negative limit and revision as etcd does (no limit, current revision)", () => {
    const req = rangeRequestFromWire(overTheWire("KV", "Range", { key: b("a"), limit: -4, revision: "-9" }));
    expect([req.limit, req.revision]).toEqual([0, 0]);
  });

  it("rejects ignore_value with a value and ignore_lease with a lease", () => {
    expect(kvError(() => putRequestFromWire({ key: b("a"), value: b("x"), ignore_value: true })).message).toBe(
      "etcdserver: value is provided",
    );
    expect(kvError(() => putRequestFromWire({ key: b("a"), lease: "5", ignore_lease: true })).message).toBe(
      "etcdserver: lease is provided",
    );
  });

  it("rejects a txn over --max-txn-ops and an op with nothing set", () => {
    const put = { request_put: { key: b("k"), value: b("") } };
    const many = Array.from({ length: 129 }, (_, i) => ({ request_put: { key: b(`k${i}`) } }));
    expect(kvError(() => txnRequestFromWire({ success: many })).message).toBe("etcdserver: too many operations in txn request");
    expect(kvError(() => txnRequestFromWire({ success: [put, {}] })).message).toBe("etcdserver: key not found");
  });

  it("rejects duplicate puts and put/delete overlaps within a branch, but allows them across then/else", () => {
    const put = (k: string): object => ({ request_put: { key: b(k) } });
    const del = (k: string, end?: string): object => ({ request_delete_range: { key: b(k), range_end: end ? b(end) : undefined } });
    const dup = (ops: object[]): string | undefined => {
      try {
        txnRequestFromWire({ success: ops });
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const duplicate = "etcdserver: duplicate key given in txn request";
    expect(dup([put("a"), put("a")])).toBe(duplicate);
    expect(dup([del("a", "c"), put("b")])).toBe(duplicate);
    expect(dup([del("a"), put("a")])).toBe(duplicate);
    expect(dup([del("a", "b"), put("b")])).toBeUndefined();
    expect(dup([put("a"), { request_txn: { success: [put("a")] } }])).toBe(duplicate);
    expect(dup([{ request_txn: { success: [put("a")], failure: [put("a")] } }])).toBeUndefined();
    expect(dup([{ request_txn: { success: [del("a", "c")] } }, put("b")])).toBe(duplicate);
  });

  it("watches from \\x00 when the key is empty and ignores unknown filters", () => {
    const req = watchCreateFromWire({ key: new Uint8Array(0), range_end: Uint8Array.of(0), filters: [1, 7, 1] });
    expect(req.key).toEqual(Uint8Array.of(0));
    expect(req.rangeEnd).toEqual(Uint8Array.of(0));
    expect(req.filters).toEqual(["NODELETE"]);
  });
});

describe("snapshot file layout", () => {
  it("pads to 512 bytes, appends the SHA-256 (what etcdctl 3.4 checks) and reads back", () => {
    const file = etcdSnapshotFile(b("snapshot!"));
    expect(file.byteLength % 512).toBe(32);
    const body = readEtcdSnapshotFile(file);
    expect(body.subarray(0, 9)).toEqual(b("snapshot!"));
    expect(body.subarray(9).every((x) => x === 0)).toBe(true);
    file[3] = file[3]! ^ 1;
    expect(() => readEtcdSnapshotFile(file)).toThrow(/SHA-256 mismatch/);
  });
});
