// The protocol buffers wire format, read-only: varints, length-delimited fields, fixed 32/64-bit
// values (https://protobuf.dev/programming-guides/encoding/). Enough to read Kubernetes' protobuf
// bodies and the FileDescriptorProtos that describe them. Pure.

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtobufError";
  }
}

export type WireValue =
  | { wireType: 0; value: bigint }
  | { wireType: 1; value: Uint8Array }
  | { wireType: 2; value: Uint8Array }
  | { wireType: 5; value: Uint8Array };

export interface WireField {
  number: number;
  field: WireValue;
}

/** Largest field number protobuf allows. */
const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/** Reads the fields of one message, in wire order. Throws ProtobufError on malformed input. */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new ProtobufError("unexpected EOF");
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtobufError("proto: integer overflow");
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || pos + n > buf.length) throw new ProtobufError("unexpected EOF");
    const v = buf.subarray(pos, pos + n);
    pos += n;
    return v;
  };
  while (pos < buf.length) {
    const tag = varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (number <= 0 || number > MAX_FIELD_NUMBER) throw new ProtobufError(`proto: illegal tag ${number} (wire type ${wireType})`);
    switch (wireType) {
      case 0:
        out.push({ number, field: { wireType: 0, value: varint() } });
        break;
      case 1:
        out.push({ number, field: { wireType: 1, value: take(8) } });
        break;
      case 2: {
        const len = varint();
        if (len > BigInt(buf.length)) throw new ProtobufError("unexpected EOF");
        out.push({ number, field: { wireType: 2, value: take(Number(len)) } });
        break;
      }
      case 5:
        out.push({ number, field: { wireType: 5, value: take(4) } });
        break;
      default:
        throw new ProtobufError(`proto: illegal wireType ${wireType}`);
    }
  }
  return out;
}

/** The varints packed in a length-delimited field (packed repeated scalars). */
export function readPackedVarints(buf: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < buf.length) {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new ProtobufError("unexpected EOF");
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new ProtobufError("proto: integer overflow");
    }
    out.push(BigInt.asUintN(64, result));
  }
  return out;
}

const utf8 = new TextDecoder("utf-8");

export function utf8String(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
