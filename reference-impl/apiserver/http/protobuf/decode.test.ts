import { describe, expect, it } from "vitest";
import { PROTOBUF_MAGIC, decodeKubernetesProtobuf } from "./decode.ts";
import { ProtobufError, readFields } from "./wire.ts";

// A little protobuf writer, to build bodies as gogo/protobuf marshals them.
type Bytes = number[];
function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}
const tag = (n: number, wt: number): Bytes => varint((n << 3) | wt);
const vint = (n: number, value: number | bigint | boolean): Bytes => [...tag(n, 0), ...varint(typeof value === "boolean" ? (value ? 1 : 0) : value)];
const bytes = (n: number, payload: Bytes): Bytes => [...tag(n, 2), ...varint(payload.length), ...payload];
const str = (n: number, s: string): Bytes => bytes(n, [...new TextEncoder().encode(s)]);
const msg = (...parts: Bytes[]): Bytes => parts.flat();
const entry = (n: number, key: string, value: Bytes): Bytes => bytes(n, msg(str(1, key), value));

/** The k8s envelope around an object's message. */
function envelope(apiVersion: string, kind: string, raw: Bytes): Uint8Array {
  return Uint8Array.from([...PROTOBUF_MAGIC, ...bytes(1, msg(str(1, apiVersion), str(2, kind))), ...bytes(2, raw), ...str(3, ""), ...str(4, "")]);
}

/** ObjectMeta as gogo writes it: every non-pointer field, zero or not. */
function objectMeta(name: string, extra: Bytes[] = []): Bytes {
  return msg(str(1, name), str(2, ""), str(3, ""), str(4, ""), str(5, ""), str(6, ""), vint(7, 0), bytes(8, []), ...extra);
}

describe("decodeKubernetesProtobuf", () => {
  it("decodes a Namespace as kubectl create namespace sends it, zero non-pointer fields left out", () => {
    const ns = msg(bytes(1, objectMeta("demo")), bytes(2, []), bytes(3, str(1, "")));
    expect(decodeKubernetesProtobuf(envelope("v1", "Namespace", ns))).toEqual({
      value: { apiVersion: "v1", kind: "Namespace", metadata: { name: "demo", creationTimestamp: null }, spec: {}, status: {} },
    });
  });

  it("keeps pointer fields set to zero (replicas: 0) and drops non-pointer zeros (minReadySeconds, paused)", () => {
    const selector = entry(1, "app", str(2, "web")); // matchLabels
    const container = msg(str(1, "c"), str(2, "nginx"));
    const template = msg(bytes(1, objectMeta("", [entry(11, "app", str(2, "web"))])), bytes(2, bytes(2, container)));
    const intOrString = (v: number | string): Bytes => (typeof v === "number" ? msg(vint(1, 0), vint(2, v), str(3, "")) : msg(vint(1, 1), vint(2, 0), str(3, v)));
    const strategy = msg(str(1, "RollingUpdate"), bytes(2, msg(bytes(1, intOrString("25%")), bytes(2, intOrString(2)))));
    const spec = msg(
      vint(1, 0), // replicas *int32
      bytes(2, selector),
      bytes(3, template),
      bytes(4, strategy),
      vint(5, 0), // minReadySeconds
      vint(7, false), // paused
    );
    const decoded = decodeKubernetesProtobuf(envelope("apps/v1", "Deployment", msg(bytes(1, objectMeta("web")), bytes(2, spec), bytes(3, []))));
    expect(decoded).toEqual({
      value: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", creationTimestamp: null },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { creationTimestamp: null, labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: 2 } },
        },
        status: {},
      },
    });
  });

  it("writes []byte as base64, quantities as text, times as RFC 3339 (MicroTime with microseconds)", () => {
    const secret = msg(bytes(1, objectMeta("s")), entry(2, "k", bytes(2, [0, 1, 2, 255])), str(3, "Opaque"));
    expect(decodeKubernetesProtobuf(envelope("v1", "Secret", secret))).toEqual({
      value: { apiVersion: "v1", kind: "Secret", metadata: { name: "s", creationTimestamp: null }, data: { k: "AAEC/w==" }, type: "Opaque" },
    });
    const quota = msg(bytes(1, objectMeta("q", [bytes(9, msg(vint(1, 1717243200), vint(2, 5)))])), bytes(2, entry(1, "cpu", bytes(2, str(1, "500m")))));
    expect(decodeKubernetesProtobuf(envelope("v1", "ResourceQuota", quota))).toEqual({
      value: { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", creationTimestamp: null, deletionTimestamp: "2024-06-01T12:00:00Z" }, spec: { hard: { cpu: "500m" } } },
    });
    const lease = msg(bytes(1, objectMeta("l")), bytes(2, msg(str(1, "me"), bytes(3, msg(vint(1, 1717243200), vint(2, 123456789))))));
    expect(decodeKubernetesProtobuf(envelope("coordination.k8s.io/v1", "Lease", lease))).toMatchObject({
      value: { spec: { holderIdentity: "me", acquireTime: "2024-06-01T12:00:00.123456Z" } },
    });
  });

  it("reads embedded JSON (RawExtension) and meta kinds such as DeleteOptions in any group", () => {
    const revision = msg(bytes(1, objectMeta("r")), bytes(2, str(1, '{"spec":{"x":1}}')), vint(3, 4));
    expect(decodeKubernetesProtobuf(envelope("apps/v1", "ControllerRevision", revision))).toMatchObject({ value: { data: { spec: { x: 1 } }, revision: 4 } });
    const options = msg(vint(1, 0), str(4, "Foreground"), str(5, "All"));
    expect(decodeKubernetesProtobuf(envelope("v1", "DeleteOptions", options))).toEqual({
      value: { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, propagationPolicy: "Foreground", dryRun: ["All"] },
    });
  });

  it("reports bodies it cannot read with the decoder's messages", () => {
    expect(decodeKubernetesProtobuf(new TextEncoder().encode('{"kind":"Pod"}'))).toEqual({
      error: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    });
    expect(decodeKubernetesProtobuf(envelope("v1", "Widget", []))).toEqual({
      error: 'no kind "Widget" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
      apiVersion: "v1",
      kind: "Widget",
    });
    expect(decodeKubernetesProtobuf(Uint8Array.from([...PROTOBUF_MAGIC, 0x0a, 0x05, 0x0a]))).toEqual({ error: "unexpected EOF" });
    expect(decodeKubernetesProtobuf(envelope("v1", "Namespace", [0x08, 0x01]))).toEqual({ error: "proto: wrong wireType = 0 for field metadata" });
  });
});

describe("readFields", () => {
  it("reads varint, fixed and length-delimited fields and refuses malformed ones", () => {
    expect(readFields(Uint8Array.from([0x08, 0x96, 0x01, 0x12, 0x01, 0x61]))).toEqual([
      { number: 1, field: { wireType: 0, value: 150n } },
      { number: 2, field: { wireType: 2, value: Uint8Array.of(0x61) } },
    ]);
    expect(() => readFields(Uint8Array.of(0x0b))).toThrow(ProtobufError);
    expect(() => readFields(Uint8Array.of(0x00))).toThrow(/illegal tag 0/);
    expect(() => readFields(Uint8Array.of(0x12, 0x05, 0x00))).toThrow(ProtobufError);
  });
});
