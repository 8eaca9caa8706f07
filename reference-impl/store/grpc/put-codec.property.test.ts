// The hand-written Put codec must answer exactly as the general path (protobufjs + wire.ts) does:
// same PutRequest or same error for any bytes it accepts, and the same response bytes.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import type { PutRequest, PutResponse } from "../../../spec/interfaces/kv.ts";
import { methodDefinition, type WirePutRequest } from "./proto.ts";
import { decodePutRequest, encodePutResponse } from "./put-codec.ts";
import { putRequestFromWire } from "./requests.ts";
import { putResponseToWire } from "./wire.ts";

const put = methodDefinition("KV", "Put");

/** The general path's answer: the request, or the error it throws. */
function general(raw: Uint8Array): PutRequest | { error: string } {
  try {
    return putRequestFromWire(put.requestDeserialize(Buffer.from(raw)) as WirePutRequest);
  } catch (err) {
    return { error: String(err) };
  }
}

function fast(raw: Uint8Array): PutRequest | { error: string } | undefined {
  try {
    return decodePutRequest(raw);
  } catch (err) {
    return { error: String(err) };
  }
}

const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const wirePut = fc.record(
  {
    key: fc.uint8Array({ maxLength: 40 }),
    value: fc.uint8Array({ maxLength: 300 }),
    lease: fc.oneof(fc.constant(0n), int64).map(String),
    prev_kv: fc.boolean(),
    ignore_value: fc.boolean(),
    ignore_lease: fc.boolean(),
  },
  { requiredKeys: [] },
);

test.prop([wirePut])("decodes every well-formed PutRequest as the general path does", (msg) => {
  const raw = put.requestSerialize(msg);
  const mine = fast(raw);
  expect(mine, "the fast path takes every well-formed request").toBeDefined();
  expect(mine).toEqual(general(raw));
});

test.prop([wirePut, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat()])(
  "on damaged bytes it gives the general path's answer or steps aside",
  (msg, flips, cut) => {
    const raw = Uint8Array.from(put.requestSerialize(msg));
    for (const [at, byte] of flips) if (raw.length > 0) raw[at % raw.length] = byte;
    const bytes = raw.subarray(0, raw.length === 0 ? 0 : cut % (raw.length + 1));
    const mine = fast(bytes);
    if (mine !== undefined) expect(mine).toEqual(general(bytes));
  },
);

test.prop([fc.uint8Array({ maxLength: 60 })])("on arbitrary bytes it gives the general path's answer or steps aside", (bytes) => {
  const mine = fast(bytes);
  if (mine !== undefined) expect(mine).toEqual(general(bytes));
});

const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const header = fc.record({
  clusterId: uint64,
  memberId: uint64,
  revision: fc.oneof(fc.nat(), fc.maxSafeNat()),
  raftTerm: fc.oneof(fc.nat(), fc.maxSafeNat()),
});

test.prop([header])("encodes a PutResponse to the general path's bytes", (h) => {
  const res: PutResponse = { header: h };
  const mine = encodePutResponse(res);
  expect(mine).toBeDefined();
  expect(Buffer.from(mine!).toString("hex")).toBe(put.responseSerialize(putResponseToWire(res)).toString("hex"));
});

test.prop([header])("steps aside for a response with prev_kv", (h) => {
  const prevKv = { key: Uint8Array.of(1), value: Uint8Array.of(2), createRevision: 1, modRevision: 1, version: 1, lease: 0n };
  expect(encodePutResponse({ header: h, prevKv })).toBeUndefined();
});
