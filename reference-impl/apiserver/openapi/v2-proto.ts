// The OpenAPI v2 document in protobuf: gnostic's openapi_v2.Document
// (github.com/google/gnostic/openapiv2/OpenAPIv2.proto), what kube-openapi serves for
// `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`. kubectl before 1.28 asks
// only for this form (apply, explain, validation) and fails on a 406. Only what clients read is
// encoded: swagger, info and the definitions (schemas with their x-kubernetes-* extensions); paths
// are left empty. Values gnostic keeps as `Any` (default, enum, example, extensions) carry their
// YAML text, JSON here (JSON is YAML), which is what kube-openapi's proto reader parses. Pure.

/** The Accept subtypes kube-openapi answers with the protobuf document (old clients send the first). */
export const OPENAPI_V2_PROTOBUF_SUBTYPES: readonly string[] = ["com.github.proto-openapi.spec.v2@v1.0+protobuf", "com.github.proto-openapi.spec.v2.v1.0+protobuf"];
/** Its Content-Type: kube-openapi labels it application/octet-stream (Go's mime parser refuses the "@"). */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = "application/octet-stream";

type Json = Record<string, unknown>;

/** A protobuf message under construction: fields appended in order. */
class Writer {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  #push(bytes: Uint8Array): void {
    this.#parts.push(bytes);
    this.#length += bytes.length;
  }

  #varint(value: bigint): void {
    const out: number[] = [];
    let v = BigInt.asUintN(64, value);
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      out.push(b);
    } while (v !== 0n);
    this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wireType: number): void {
    this.#varint(BigInt((field << 3) | wireType));
  }

  bytes(field: number, payload: Uint8Array): void {
    this.#tag(field, 2);
    this.#varint(BigInt(payload.length));
    this.#push(payload);
  }

  string(field: number, value: unknown): void {
    if (typeof value === "string" && value !== "") this.bytes(field, new TextEncoder().encode(value));
  }

  strings(field: number, values: unknown): void {
    if (!Array.isArray(values)) return;
    for (const v of values) if (typeof v === "string") this.bytes(field, new TextEncoder().encode(v));
  }

  varintField(field: number, value: bigint): void {
    this.#tag(field, 0);
    this.#varint(value);
  }

  bool(field: number, value: unknown): void {
    if (value !== true) return;
    this.#tag(field, 0);
    this.#varint(1n);
  }

  int64(field: number, value: unknown): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value === 0) return;
    this.#tag(field, 0);
    this.#varint(BigInt(value));
  }

  double(field: number, value: unknown): void {
    if (typeof value !== "number" || value === 0) return;
    this.#tag(field, 1);
    const buf = new Uint8Array(8);
    new DataView(buf.buffer).setFloat64(0, value, true);
    this.#push(buf);
  }

  message(field: number, build: (w: Writer) => void): void {
    const w = new Writer();
    build(w);
    this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function isRecord(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** openapi_v2.Any: the value's YAML text (field 2). */
function anyValue(w: Writer, field: number, value: unknown): void {
  if (value === undefined) return;
  w.message(field, (a) => a.string(2, `${JSON.stringify(value)}\n`));
}

/** NamedAny entries for the x- keys of an object. */
function vendorExtensions(w: Writer, field: number, obj: Json): void {
  for (const [name, value] of Object.entries(obj)) {
    if (!name.startsWith("x-")) continue;
    w.message(field, (n) => {
      n.string(1, name);
      anyValue(n, 2, value);
    });
  }
}

/** openapi_v2.Schema. */
function schema(w: Writer, s: Json): void {
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(3, s.title);
  w.string(4, s.description);
  anyValue(w, 5, s.default);
  w.double(6, s.multipleOf);
  w.double(7, s.maximum);
  w.bool(8, s.exclusiveMaximum);
  w.double(9, s.minimum);
  w.bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength);
  w.int64(12, s.minLength);
  w.string(13, s.pattern);
  w.int64(14, s.maxItems);
  w.int64(15, s.minItems);
  w.bool(16, s.uniqueItems);
  w.int64(17, s.maxProperties);
  w.int64(18, s.minProperties);
  w.strings(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) anyValue(w, 20, e);
  const additional = s.additionalProperties;
  if (isRecord(additional)) w.message(21, (a) => a.message(1, (inner) => schema(inner, additional)));
  // A oneof member is written even at its zero value (false), or it would read as unset.
  else if (typeof additional === "boolean") w.message(21, (a) => a.varintField(2, additional ? 1n : 0n));
  if (typeof s.type === "string") w.message(22, (t) => t.string(1, s.type));
  else if (Array.isArray(s.type)) w.message(22, (t) => t.strings(1, s.type));
  const items = s.items;
  if (isRecord(items)) w.message(23, (i) => i.message(1, (inner) => schema(inner, items)));
  else if (Array.isArray(items)) w.message(23, (i) => items.filter(isRecord).forEach((it) => i.message(1, (inner) => schema(inner, it))));
  if (Array.isArray(s.allOf)) for (const sub of s.allOf.filter(isRecord)) w.message(24, (inner) => schema(inner, sub));
  const props = s.properties;
  if (isRecord(props)) w.message(25, (p) => namedSchemas(p, 1, props));
  w.string(26, s.discriminator);
  w.bool(27, s.readOnly);
  anyValue(w, 30, s.example);
  vendorExtensions(w, 31, s);
}

function namedSchemas(w: Writer, field: number, schemas: Json): void {
  for (const [name, value] of Object.entries(schemas)) {
    if (!isRecord(value)) continue;
    w.message(field, (n) => {
      n.string(1, name);
      n.message(2, (inner) => schema(inner, value));
    });
  }
}

/** The protobuf form of an OpenAPI v2 (swagger 2.0) document given as JSON. */
export function openApiV2Protobuf(doc: Json): Uint8Array {
  const w = new Writer();
  w.string(1, doc.swagger);
  const info = doc.info;
  if (isRecord(info)) {
    w.message(2, (i) => {
      i.string(1, info.title);
      i.string(2, info.version);
      i.string(3, info.description);
    });
  }
  w.message(8, () => {});
  const definitions = doc.definitions;
  if (isRecord(definitions)) w.message(9, (d) => namedSchemas(d, 1, definitions));
  return w.finish();
}
