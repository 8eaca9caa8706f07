// Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) to the JSON value the
// same object has, so the core sees what it would have seen as JSON. client-go's typed clients send
// protobuf by default since 1.31 (kubectl create namespace, kubectl run, drain's evictions, ...).
//
// The body is the "k8s\0" magic and a runtime.Unknown envelope {typeMeta{apiVersion, kind}, raw}
// (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). `raw` is the object's message, read with
// the field table of schema.generated.json (from the generated.proto descriptors). Go's JSON
// encoding of the decoded struct is reproduced: fields in declaration order; a Go non-pointer scalar
// at its zero value is left out unless the OpenAPI definition lists it as required (those fields
// lack omitempty); Time/MicroTime as RFC 3339 text (a zero Time is null), Quantity and IntOrString
// as their JSON forms, []byte as base64, RawExtension and FieldsV1 as the JSON they carry. Pure.
import { definition, definitionForKind } from "../../../../spec/openapi/definitions.ts";
import schema from "./schema.generated.json" with { type: "json" };
import { ProtobufError, type WireField, type WireValue, readFields, readPackedVarints, utf8String } from "./wire.ts";

/** [number, name, type, flags, typeName]: flags 1 repeated, 2 Go non-pointer, 4 map. */
type SchemaField = [number, string, string, number, string?];
const MESSAGES = (schema as unknown as { messages: Record<string, SchemaField[]> }).messages;

const REPEATED = 1;
const NON_POINTER = 2;
const MAP = 4;

/** The protobuf serializer's magic prefix: "k8s" and a zero byte. */
export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const META = "k8s.io.apimachinery.pkg.apis.meta.v1";
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const FIELDS_V1 = `${META}.FieldsV1`;
const QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
const RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

/** Nesting deeper than this is refused (Go's protobuf decoder has a limit too). */
const MAX_DEPTH = 100;

/** A decoded object, or the decoder's error (with the envelope's type when it was read). */
export type ProtobufDecoded = { value: Record<string, unknown> } | { error: string; apiVersion?: string; kind?: string };

/**
 * Decodes a protobuf body. Errors are worded as the upstream decoder words them, for the caller to
 * wrap (transformDecodeError).
 */
export function decodeKubernetesProtobuf(body: Uint8Array): ProtobufDecoded {
  if (body.length < 4 || !PROTOBUF_MAGIC.every((b, i) => body[i] === b)) {
    return { error: `provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(" ")}]` };
  }
  try {
    const unknown = readFields(body.subarray(4));
    const typeMeta = lastBytes(unknown, 1);
    const raw = lastBytes(unknown, 2) ?? new Uint8Array();
    const tm = typeMeta === undefined ? [] : readFields(typeMeta);
    const apiVersion = stringOf(lastBytes(tm, 1));
    const kind = stringOf(lastBytes(tm, 2));
    if (kind === "") return { error: "Object 'Kind' is missing in protobuf data" };
    const found = definitionForKind(apiVersion, kind);
    const message = found === undefined ? undefined : protoName(found.name);
    if (message === undefined || !Object.hasOwn(MESSAGES, message)) {
      return { error: `no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`, apiVersion, kind };
    }
    return { value: { apiVersion, kind, ...decodeMessage(message, raw, 0) } };
  } catch (err) {
    if (err instanceof ProtobufError) return { error: err.message };
    throw err;
  }
}

/** OpenAPI definition name ↔ proto message name: io.k8s.api.core.v1.Pod ↔ k8s.io.api.core.v1.Pod. */
function protoName(openApiName: string): string | undefined {
  return openApiName.startsWith("io.k8s.") ? `k8s.io.${openApiName.slice("io.k8s.".length)}` : undefined;
}

function openApiName(message: string): string {
  return `io.k8s.${message.slice("k8s.io.".length)}`;
}

function lastBytes(fields: WireField[], n: number): Uint8Array | undefined {
  let out: Uint8Array | undefined;
  for (const f of fields) if (f.number === n && f.field.wireType === 2) out = f.field.value;
  return out;
}

function stringOf(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "" : utf8String(bytes);
}

const requiredCache = new Map<string, ReadonlySet<string>>();

function requiredOf(message: string): ReadonlySet<string> {
  let set = requiredCache.get(message);
  if (set === undefined) {
    set = new Set(definition(openApiName(message))?.required ?? []);
    requiredCache.set(message, set);
  }
  return set;
}

function decodeMessage(message: string, bytes: Uint8Array, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ProtobufError("proto: exceeded maximum recursion depth");
  const table = MESSAGES[message];
  if (table === undefined) throw new ProtobufError(`proto: no schema for ${message}`);
  const wire = readFields(bytes);
  const out: Record<string, unknown> = {};
  const required = requiredOf(message);
  for (const [number, name, type, flags, typeName] of table) {
    const values = wire.filter((w) => w.number === number).map((w) => w.field);
    if (values.length === 0) continue;
    if ((flags & MAP) !== 0) {
      const map: Record<string, unknown> = {};
      for (const v of values) {
        const entry = decodeMapEntry(typeName!, bytesOf(v, name), depth + 1);
        Object.defineProperty(map, entry.key, { value: entry.value, writable: true, enumerable: true, configurable: true });
      }
      set(out, name, map);
    } else if ((flags & REPEATED) !== 0) {
      const items: unknown[] = [];
      for (const v of values) {
        if (type !== "message" && type !== "string" && type !== "bytes" && v.wireType === 2) {
          for (const n of readPackedVarints(v.value)) items.push(scalarFromVarint(type, n, name));
        } else {
          items.push(decodeValue(type, typeName, v, name, depth + 1));
        }
      }
      set(out, name, items);
    } else {
      // The last occurrence of a non-repeated field wins.
      const value = decodeValue(type, typeName, values[values.length - 1]!, name, depth + 1);
      if ((flags & NON_POINTER) !== 0 && type !== "message" && isZero(value) && !required.has(name)) continue;
      set(out, name, value);
    }
  }
  return out;
}

function set(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

function decodeMapEntry(entryType: string, bytes: Uint8Array, depth: number): { key: string; value: unknown } {
  const table = MESSAGES[entryType];
  if (table === undefined) throw new ProtobufError(`proto: no schema for ${entryType}`);
  const wire = readFields(bytes);
  let key = "";
  let value: unknown;
  for (const [number, name, type, , typeName] of table) {
    const last = wire.filter((w) => w.number === number).pop();
    if (number === 1) key = last === undefined ? "" : String(decodeValue(type, typeName, last.field, name, depth));
    else if (number === 2) value = last === undefined ? zeroOf(type, typeName, depth) : decodeValue(type, typeName, last.field, name, depth);
  }
  return { key, value };
}

/** The value of a map entry that has no value field on the wire. */
function zeroOf(type: string, typeName: string | undefined, depth: number): unknown {
  if (type === "message") return decodeValue(type, typeName, { wireType: 2, value: new Uint8Array() }, "value", depth);
  if (type === "string" || type === "bytes") return "";
  if (type === "bool") return false;
  return 0;
}

function bytesOf(v: WireValue, name: string): Uint8Array {
  if (v.wireType !== 2) throw new ProtobufError(`proto: wrong wireType = ${v.wireType} for field ${name}`);
  return v.value;
}

function decodeValue(type: string, typeName: string | undefined, v: WireValue, name: string, depth: number): unknown {
  switch (type) {
    case "string":
      return utf8String(bytesOf(v, name));
    case "bytes":
      return Buffer.from(bytesOf(v, name)).toString("base64");
    case "message":
      return decodeSpecial(typeName!, bytesOf(v, name), depth);
    case "double":
      if (v.wireType !== 1) throw new ProtobufError(`proto: wrong wireType = ${v.wireType} for field ${name}`);
      return Buffer.from(v.value).readDoubleLE(0);
    case "float":
      if (v.wireType !== 5) throw new ProtobufError(`proto: wrong wireType = ${v.wireType} for field ${name}`);
      return Buffer.from(v.value).readFloatLE(0);
    case "fixed64":
    case "sfixed64":
      if (v.wireType !== 1) throw new ProtobufError(`proto: wrong wireType = ${v.wireType} for field ${name}`);
      return Number(type === "fixed64" ? Buffer.from(v.value).readBigUInt64LE(0) : Buffer.from(v.value).readBigInt64LE(0));
    case "fixed32":
    case "sfixed32":
      if (v.wireType !== 5) throw new ProtobufError(`proto: wrong wireType = ${v.wireType} for field ${name}`);
      return type === "fixed32" ? Buffer.from(v.value).readUInt32LE(0) : Buffer.from(v.value).readInt32LE(0);
    default:
      if (v.wireType !== 0) throw new ProtobufError(`proto: wrong wireType = ${v.wireType} for field ${name}`);
      return scalarFromVarint(type, v.value, name);
  }
}

function scalarFromVarint(type: string, n: bigint, name: string): number | boolean {
  switch (type) {
    case "bool":
      return n !== 0n;
    case "int32":
    case "enum":
      return Number(BigInt.asIntN(32, n));
    case "uint32":
      return Number(BigInt.asUintN(32, n));
    case "int64":
      return Number(BigInt.asIntN(64, n));
    case "uint64":
      return Number(n);
    case "sint32":
    case "sint64":
      return Number((n >> 1n) ^ -(n & 1n));
    default:
      throw new ProtobufError(`proto: unsupported type ${type} for field ${name}`);
  }
}

/** Messages with their own JSON form; anything else is an object of its fields. */
function decodeSpecial(typeName: string, bytes: Uint8Array, depth: number): unknown {
  switch (typeName) {
    case TIME: {
      // metav1.Time reads only seconds (its JSON has no fractions); no data is the zero time.
      if (bytes.length === 0) return null;
      const t = decodeMessage(typeName, bytes, depth);
      return rfc3339(Number(t.seconds ?? 0), undefined);
    }
    case MICRO_TIME: {
      if (bytes.length === 0) return null;
      const t = decodeMessage(typeName, bytes, depth);
      return rfc3339(Number(t.seconds ?? 0), Number(t.nanos ?? 0));
    }
    case QUANTITY:
      return String(decodeMessage(typeName, bytes, depth).string ?? "");
    case INT_OR_STRING: {
      const v = decodeMessage(typeName, bytes, depth);
      return Number(v.type ?? 0) === 1 ? String(v.strVal ?? "") : Number(v.intVal ?? 0);
    }
    case RAW_EXTENSION:
    case FIELDS_V1: {
      const raw = readFields(bytes).filter((w) => w.number === 1).pop();
      if (raw === undefined || raw.field.wireType !== 2 || raw.field.value.length === 0) return null;
      try {
        return JSON.parse(utf8String(raw.field.value)) as unknown;
      } catch {
        throw new ProtobufError(`the embedded ${typeName === FIELDS_V1 ? "FieldsV1" : "RawExtension"} is not JSON`);
      }
    }
    default:
      return decodeMessage(typeName, bytes, depth);
  }
}

/** RFC 3339 in UTC: whole seconds (Time), or with microseconds (MicroTime, `nanos` given). */
function rfc3339(seconds: number, nanos: number | undefined): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "");
  if (nanos === undefined) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`;
}
