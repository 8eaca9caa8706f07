// Generator of protobuf/schema.generated.json: the protobuf messages of the served kinds, with their
// field numbers, types and Go pointer-ness, as Kubernetes' generated.proto files define them. Go
// binaries built against k8s.io/api (kubectl) carry those files' FileDescriptorProtos, gzipped, for
// gogo/protobuf's registry; this reads them out of such a binary, keeps the messages reachable from
// the request-body kinds, and writes the table the decoder uses. Facts only (numbers and names).
//
//   npx tsx reference-impl/apiserver/http/protobuf/gen/extract-descriptors.ts [path/to/kubectl]
//
// Dev tool: reads a file, writes a file.
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { constants, gunzipSync } from "node:zlib";
import { type WireField, readFields, utf8String } from "../wire.ts";

/** The messages kubectl and client-go send as request bodies for the served kinds. */
export const ROOT_MESSAGES: readonly string[] = [
  ...["Namespace", "Node", "Pod", "Service", "Endpoints", "Event", "ConfigMap", "Secret", "ServiceAccount", "LimitRange", "ResourceQuota", "Binding"].map(
    (k) => `k8s.io.api.core.v1.${k}`,
  ),
  ...["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"].map((k) => `k8s.io.api.apps.v1.${k}`),
  "k8s.io.api.batch.v1.Job",
  "k8s.io.api.batch.v1.CronJob",
  "k8s.io.api.policy.v1.PodDisruptionBudget",
  "k8s.io.api.policy.v1.Eviction",
  "k8s.io.api.coordination.v1.Lease",
  "k8s.io.api.discovery.v1.EndpointSlice",
  "k8s.io.api.scheduling.v1.PriorityClass",
  "k8s.io.api.networking.v1.Ingress",
  "k8s.io.api.events.v1.Event",
  "k8s.io.api.autoscaling.v1.Scale",
  "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
];

/** google.protobuf.FieldDescriptorProto.Type numbers → names. */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool", 9: "string",
  11: "message", 12: "bytes", 13: "uint32", 14: "enum", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64",
};

/** gogoproto.nullable (FieldOptions extension 65001): false marks a Go non-pointer field. */
const GOGO_NULLABLE = 65001;

/** One field: [number, name, type, flags, typeName]; flags: 1 repeated, 2 Go non-pointer, 4 map. */
export type SchemaField = [number, string, string, number, string?];

interface RawField {
  number: number;
  name: string;
  type: string;
  repeated: boolean;
  nonNullable: boolean;
  typeName: string;
}

interface RawMessage {
  fields: RawField[];
  mapEntry: boolean;
}

function str(fields: WireField[], n: number): string | undefined {
  const f = fields.find((x) => x.number === n);
  return f !== undefined && f.field.wireType === 2 ? utf8String(f.field.value) : undefined;
}

function num(fields: WireField[], n: number): number | undefined {
  const f = fields.find((x) => x.number === n);
  return f !== undefined && f.field.wireType === 0 ? Number(f.field.value) : undefined;
}

function parseField(bytes: Uint8Array): RawField {
  const f = readFields(bytes);
  const options = f.find((x) => x.number === 8);
  let nonNullable = false;
  if (options !== undefined && options.field.wireType === 2) {
    const nullable = readFields(options.field.value).find((x) => x.number === GOGO_NULLABLE);
    nonNullable = nullable !== undefined && nullable.field.wireType === 0 && nullable.field.value === 0n;
  }
  const type = TYPE_NAMES[num(f, 5) ?? 0];
  if (type === undefined) throw new Error(`field ${str(f, 1)}: unknown type ${num(f, 5)}`);
  return { number: num(f, 3) ?? 0, name: str(f, 1) ?? "", type, repeated: num(f, 4) === 3, nonNullable, typeName: (str(f, 6) ?? "").replace(/^\./, "") };
}

function collectMessages(bytes: Uint8Array, prefix: string, out: Map<string, RawMessage>): void {
  const m = readFields(bytes);
  const name = `${prefix}.${str(m, 1) ?? ""}`;
  const options = m.find((x) => x.number === 7);
  const mapEntry = options !== undefined && options.field.wireType === 2 && readFields(options.field.value).some((x) => x.number === 7 && x.field.wireType === 0 && x.field.value === 1n);
  const fields: RawField[] = [];
  for (const x of m) {
    if (x.field.wireType !== 2) continue;
    if (x.number === 2) fields.push(parseField(x.field.value));
    if (x.number === 3) collectMessages(x.field.value, name, out);
  }
  out.set(name, { fields, mapEntry });
}

/** Every FileDescriptorProto gzipped inside `binary`, by file name. */
export function descriptorsIn(binary: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i + 3 < binary.length; i++) {
    if (binary[i] !== 0x1f || binary[i + 1] !== 0x8b || binary[i + 2] !== 0x08) continue;
    let data: Buffer;
    try {
      data = gunzipSync(binary.subarray(i, Math.min(binary.length, i + 4 * 1024 * 1024)), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    try {
      const name = str(readFields(data), 1);
      if (name !== undefined && name.endsWith(".proto") && !files.has(name)) files.set(name, data);
    } catch {
      // Not a descriptor.
    }
  }
  return files;
}

/** The messages reachable from ROOT_MESSAGES, as the decoder's table. */
export function schemaFrom(files: Map<string, Uint8Array>): Record<string, SchemaField[]> {
  const all = new Map<string, RawMessage>();
  for (const data of files.values()) {
    const f = readFields(data);
    const pkg = str(f, 2) ?? "";
    for (const x of f) if (x.number === 4 && x.field.wireType === 2) collectMessages(x.field.value, pkg, all);
  }
  const out: Record<string, SchemaField[]> = {};
  const queue = [...ROOT_MESSAGES];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (Object.hasOwn(out, name)) continue;
    const msg = all.get(name);
    if (msg === undefined) throw new Error(`message ${name} not found in the binary's descriptors`);
    out[name] = msg.fields.map((f) => {
      const isMap = f.type === "message" && all.get(f.typeName)?.mapEntry === true;
      const flags = (f.repeated ? 1 : 0) | (f.nonNullable ? 2 : 0) | (isMap ? 4 : 0);
      if (f.type === "message") queue.push(f.typeName);
      return f.type === "message" ? [f.number, f.name, f.type, flags, f.typeName] : [f.number, f.name, f.type, flags];
    });
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function main(): void {
  const binary = process.argv[2] ?? realpathSync(execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim());
  const version = execFileSync(binary, ["version", "--client", "-o", "json"], { encoding: "utf8" });
  const gitVersion = (JSON.parse(version) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? "unknown";
  const messages = schemaFrom(descriptorsIn(readFileSync(binary)));
  const target = fileURLToPath(new URL("../schema.generated.json", import.meta.url));
  const lines = Object.entries(messages).map(([name, fields]) => `    ${JSON.stringify(name)}: ${JSON.stringify(fields)}`);
  writeFileSync(target, `{\n  "source": ${JSON.stringify(`generated.proto descriptors in kubectl ${gitVersion}`)},\n  "messages": {\n${lines.join(",\n")}\n  }\n}\n`);
  console.log(`wrote ${Object.keys(messages).length} messages to ${target}`);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
