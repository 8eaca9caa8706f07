import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RequestOp } from "../interfaces/kv.ts";
import { KvModel } from "./kv-model.ts";
import { bytes, describeKvOp, kvOpArbitrary, normalize, runKvOp } from "./kv-ops.ts";

describe("kv-ops", () => {
  it("normalizes bytes, bigints and headers", () => {
    const header = { clusterId: 7n, memberId: 8n, revision: 3, raftTerm: 2 };
    expect(normalize({ header, kvs: [{ key: bytes("a"), lease: 5n, prevKv: undefined }] })).toEqual({
      header: { revision: 3 },
      kvs: [{ key: "a", lease: "5" }],
    });
  });

  it("turns etcd errors into outcomes", async () => {
    const model = new KvModel();
    expect(await runKvOp(model, { kind: "range", req: { key: new Uint8Array(0) } })).toEqual({
      error: { code: "INVALID_ARGUMENT", message: "etcdserver: key is not provided" },
    });
    expect(await runKvOp(model, { kind: "compact", revision: 5 })).toEqual({
      error: { code: "OUT_OF_RANGE", message: "etcdserver: mvcc: required revision is a future revision" },
    });
    expect(await runKvOp(model, { kind: "put", req: { key: bytes("a"), value: bytes("1") } })).toEqual({ ok: { header: { revision: 2 } } });
  });

  it("describes operations readably and can leave out the txns that crash etcd", () => {
    expect(describeKvOp({ kind: "put", req: { key: bytes("a"), value: bytes("1") } })).toBe('put({"key":"a","value":"1"})');
    const gte = (o: RequestOp) => "requestDeleteRange" in o && o.requestDeleteRange.rangeEnd?.length === 1 && o.requestDeleteRange.rangeEnd[0] === 0;
    fc.assert(
      fc.property(kvOpArbitrary({ excludeEtcdPanics: true }), (op) => {
        if (op.kind !== "txn") return;
        const ops = [...op.req.success, ...op.req.failure].flatMap((o) => ("requestTxn" in o ? [o, ...o.requestTxn.success, ...o.requestTxn.failure] : [o]));
        const blind = ops.some((o) => "requestPut" in o && (o.requestPut.ignoreValue || o.requestPut.ignoreLease));
        expect(blind && ops.some(gte)).toBe(false);
      }),
    );
  });
});
