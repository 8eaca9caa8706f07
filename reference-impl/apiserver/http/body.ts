// Request bodies: bytes in JSON or YAML (or a patch type) to the plain value the core takes, with
// kube-apiserver's answers for bodies it cannot read. JSON syntax errors carry Go's scanner messages
// (spec/openapi/go-json.ts), wrapped as each handler wraps them:
//   create/update  handlers.transformDecodeError: `the object provided is unrecognized (must be of
//                  type Pod): couldn't get version/kind; json parse error: <error> (<summary>)`
//   json/merge     patch.go applyJSPatch: `error decoding patch: <error>` (fieldValidation Ignore:
//                  the bare error)
//   strategic      strategicPatchObject: the bare error
//   apply          applyPatcher: `error decoding YAML: error converting YAML to JSON: yaml: ...`
// YAML is read as sigs.k8s.io/yaml reads it (YAML 1.1 scalars through go-yaml v2: yes/no/on/off/y/n
// are booleans, 0755 is octal; keys become strings; only the first document counts). The YAML error
// texts are this parser's, not go-yaml's. Pure: no I/O.
import { type Status } from "../../../spec/interfaces/api-client.ts";
import { JsonSyntaxError, parseJson, toValue } from "../../../spec/openapi/go-json.ts";
import { Parser as YamlParser, parseAllDocuments } from "yaml";
import { badRequest } from "../errors.ts";
import { decodeKubernetesProtobuf } from "./protobuf/decode.ts";

/** MaxRequestBodyBytes of kube-apiserver (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** What a body is read for: the handler decides how decode errors are worded. */
export type BodyPurpose =
  | { kind: "object"; objectKind: string }
  | { kind: "deleteOptions" }
  | { kind: "patch"; patchType: string; fieldValidation?: string };

export type DecodedBody = { value: unknown } | { status: Status };

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Decodes a body given its serializer (JSON, YAML or protobuf) or patch type. */
export function decodeBody(bytes: Uint8Array, format: "json" | "yaml" | "protobuf", purpose: BodyPurpose): DecodedBody {
  if (format === "protobuf") return decodeProtobuf(bytes, purpose);
  const text = utf8.decode(bytes);
  if (format === "yaml") {
    const yaml = yamlToValue(text);
    if ("value" in yaml) return purpose.kind === "object" ? checkTopLevel(yaml.value, bytes, purpose.objectKind) : yaml;
    return { status: badRequest(decodeFailure(purpose, `error converting YAML to JSON: ${yaml.error}`, bytes)) };
  }
  let value: unknown;
  try {
    value = toValue(parseJson(text));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    // Go's decoders read nothing from an empty body but EOF.
    const message = text.trim() === "" ? "unexpected end of JSON input" : err.message;
    return { status: badRequest(decodeFailure(purpose, message, bytes)) };
  }
  return purpose.kind === "object" ? checkTopLevel(value, bytes, purpose.objectKind) : { value };
}

/** A protobuf object body; the decoder's errors wrapped as transformDecodeError wraps them. */
function decodeProtobuf(bytes: Uint8Array, purpose: BodyPurpose): DecodedBody {
  const decoded = decodeKubernetesProtobuf(bytes);
  if ("value" in decoded) return { value: decoded.value };
  if (purpose.kind !== "object") return { status: badRequest(decoded.error) };
  if (decoded.kind !== undefined && decoded.kind !== "") {
    const version = (decoded.apiVersion ?? "").split("/").pop() ?? "";
    return { status: badRequest(`${decoded.kind} in version ${JSON.stringify(version)} cannot be handled as a ${purpose.objectKind}: ${decoded.error}`) };
  }
  return { status: badRequest(unrecognized(purpose.objectKind, decoded.error, bytes)) };
}

function decodeFailure(purpose: BodyPurpose, error: string, bytes: Uint8Array): string {
  switch (purpose.kind) {
    case "object":
      return unrecognized(purpose.objectKind, `couldn't get version/kind; json parse error: ${error}`, bytes);
    case "deleteOptions":
      // Upstream answers 500 (an error that is not a Status); a bad body is the client's fault here.
      return `couldn't get version/kind; json parse error: ${error}`;
    case "patch":
      if (purpose.patchType === "application/apply-patch+yaml") return `error decoding YAML: ${error}`;
      if (purpose.patchType === "application/strategic-merge-patch+json") return error;
      return purpose.fieldValidation === "Ignore" ? error : `error decoding patch: ${error}`;
  }
}

function unrecognized(kind: string, error: string, bytes: Uint8Array): string {
  return `the object provided is unrecognized (must be of type ${kind}): ${error} (${summarizeData(bytes, 30)})`;
}

/** The struct meta.Interpret decodes apiVersion and kind into, as reflect prints its type. */
const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** meta.Interpret refuses a top-level value that is not an object (null passes, as in Go). */
function checkTopLevel(value: unknown, bytes: Uint8Array, kind: string): DecodedBody {
  if (value === null || (typeof value === "object" && !Array.isArray(value))) return { value };
  const goType = Array.isArray(value) ? "array" : typeof value === "string" ? "string" : typeof value === "boolean" ? "bool" : "number";
  const error = `couldn't get version/kind; json parse error: json: cannot unmarshal ${goType} into Go value of type ${FIND_KIND_TYPE}`;
  return { status: badRequest(unrecognized(kind, error, bytes)) };
}

/** handlers.summarizeData: the start of a JSON object as text, anything else as hex. */
export function summarizeData(bytes: Uint8Array, maxLength: number): string {
  if (bytes.length === 0) return "<empty>";
  const head = bytes.subarray(0, maxLength);
  const more = bytes.length > maxLength ? " ..." : "";
  if (bytes[0] === 0x7b) return utf8.decode(head) + more;
  return Buffer.from(head).toString("hex") + more;
}

/**
 * YAML to the value sigs.k8s.io/yaml's YAMLToJSON gives: YAML 1.1 scalars, timestamps kept as text
 * (go-yaml v2 leaves them strings for interface{} targets), the first document only.
 */
export function yamlToValue(text: string): { value: unknown } | { error: string } {
  if (yamlNestingExceeds(text, MAX_YAML_DEPTH)) return { error: `yaml: exceeded max depth of ${MAX_YAML_DEPTH}` };
  let docs;
  try {
    docs = parseAllDocuments(text, {
      version: "1.1",
      merge: true,
      uniqueKeys: false,
      customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
    });
  } catch (err) {
    return { error: `yaml: ${err instanceof Error ? err.message : String(err)}` };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  if (first === undefined) return { value: null };
  const problem = first.errors[0];
  if (problem !== undefined) {
    const line = problem.linePos?.[0]?.line;
    const message = (problem.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { error: line === undefined ? `yaml: ${message}` : `yaml: line ${line}: ${message}` };
  }
  try {
    return { value: jsonValue(first.toJS({ maxAliasCount: 100 })) };
  } catch (err) {
    return { error: `yaml: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Deeper YAML is refused before the YAML library composes it (go-yaml refuses past 10000 with
 * "exceeded max depth of 10000"). The library's composer recurses per level and overflows the stack
 * near 1000 levels; an overflow that lands in V8's RegExp compiler is a fatal out-of-memory that
 * kills the process instead of a catchable RangeError.
 */
export const MAX_YAML_DEPTH = 500;

/** Characters every collection level needs one of: `[` `{` (flow), `-` (block sequence), `:` `?` (block mapping). */
const YAML_LEVEL_CHARS = new Set([0x5b, 0x7b, 0x2d, 0x3a, 0x3f]);

/**
 * Whether `text` nests collections deeper than `limit`. Counting the characters a level needs is a
 * cheap upper bound that settles ordinary documents; past it, the depth is read exactly from the
 * YAML library's concrete syntax tree, which it builds without recursion.
 */
export function yamlNestingExceeds(text: string, limit: number): boolean {
  let bound = 0;
  for (let i = 0; i < text.length && bound <= limit; i++) if (YAML_LEVEL_CHARS.has(text.charCodeAt(i))) bound++;
  if (bound <= limit) return false;
  type Node = { type?: string; value?: Node; items?: { key?: Node | null; value?: Node | null }[] } | null | undefined;
  for (const token of new YamlParser().parse(text)) {
    const stack: [Node, number][] = [[token as Node, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (node === null || node === undefined) continue;
      if (node.type === "document") stack.push([node.value, depth]);
      else if (node.items !== undefined && (node.type === "block-map" || node.type === "block-seq" || node.type === "flow-collection")) {
        if (depth + 1 > limit) return true;
        for (const item of node.items) stack.push([item.key, depth + 1], [item.value, depth + 1]);
      }
    }
  }
  return false;
}

/** The JSON value of a YAML value: what JSON cannot carry (NaN, Infinity) becomes an error. */
function jsonValue(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`json: unsupported value: ${value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN"}`);
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: jsonValue(v), writable: true, enumerable: true, configurable: true });
    return out;
  }
  return value;
}
