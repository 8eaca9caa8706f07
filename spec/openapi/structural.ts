// Structural decoding of a request body as kube-apiserver does it for built-in kinds: the body is
// unmarshalled into the kind's Go struct by sigs.k8s.io/json (case-sensitive; with fieldValidation
// Strict or Warn also DisallowUnknownFields and DisallowDuplicateFields), and the result is what gets
// stored. This module walks the body against the kind's OpenAPI definition and reproduces:
//
//   - strict errors: `unknown field "spec.containers[0].foo"`, `duplicate field "metadata.name"`, in
//     document order, deduplicated, at most 100 (sigs.k8s.io/json kubernetes_patch.go);
//   - decode errors, which fail the request whatever fieldValidation says: Go's UnmarshalTypeError
//     (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort
//     of type int32` — innermost struct, then the JSON path without indices), and the errors of the
//     custom unmarshalers (resource.Quantity, metav1.Time/MicroTime, base64 for []byte);
//   - the decoded object as Go re-encodes it: unknown fields dropped, quantities, times and bytes in
//     canonical form.
//
// The first type error is kept and decoding goes on (encoding/json's saveError); a custom unmarshaler's
// error stops decoding at once and wins (it is returned, not saved). Strict errors count only when there
// is no decode error. Go type names come from definition names (io.k8s.api.core.v1.Container →
// v1.Container). Not reproducible from OpenAPI, and so approximated: named string and integer types
// (v1.RestartPolicy, types.UID) print as their underlying type; a map of quantities prints as
// v1.ResourceList; a null prints nothing and is dropped from structs (Go keeps some zero values).
import { tryParseQuantity } from "../semantics/quantity.ts";
import { goQuote } from "../semantics/go-compat.ts";
import { decodeGoBase64, encodeGoBase64 } from "./go-base64.ts";
import {
  fromValue,
  JsonNumber,
  JsonObject,
  JsonSyntaxError,
  parseJson,
  setMember,
  toValue,
  type JsonNode,
} from "./go-json.ts";
import { formatGoTime, parseGoTime, RFC3339, RFC3339_MICRO } from "./go-time.ts";
import { generatedDefinitions, refName, type DefinitionSource, type SchemaObject } from "./definitions.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
export const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
export const TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
export const MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
export const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
/** Types whose UnmarshalJSON keeps the raw JSON: any value is accepted as is. */
const RAW_TYPES: ReadonlySet<string> = new Set([
  "io.k8s.apimachinery.pkg.runtime.RawExtension",
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
]);

/** sigs.k8s.io/json stops collecting strict errors at 100. */
export const MAX_STRICT_ERRORS = 100;

export interface DecodeResult {
  /** The decode error text; the request fails (400) whatever fieldValidation says. */
  readonly error?: string;
  /** Unknown and duplicate field errors (only when decoding strictly and without decode error). */
  readonly strictErrors: readonly string[];
  /** The object as Go re-encodes it; undefined when there is a decode error. */
  readonly object?: unknown;
}

export interface DecodeOptions {
  /** Collect unknown and duplicate fields (fieldValidation Strict or Warn). */
  readonly strict: boolean;
  readonly definitions?: DefinitionSource;
}

/** Decodes a plain value (from JSON.parse) as definition `typeName`; see decodeAs. */
export function decodeValue(value: unknown, typeName: string, options: DecodeOptions): DecodeResult {
  return decodeAs(fromValue(value), typeName, options);
}

/**
 * Decodes a JSON tree (from parseJson, which keeps duplicate keys and number literals) as definition
 * `typeName`, e.g. "io.k8s.api.core.v1.Pod".
 */
export function decodeAs(node: JsonNode, typeName: string, options: DecodeOptions): DecodeResult {
  const decoder = new StructDecoder(options.definitions ?? generatedDefinitions, options.strict);
  try {
    const object = decoder.decodeTop(node, typeName);
    if (decoder.savedError !== undefined) return { error: decoder.savedError, strictErrors: [] };
    return { object, strictErrors: decoder.strictErrors };
  } catch (e) {
    if (e instanceof Fatal) return { error: e.message, strictErrors: [] };
    throw e;
  }
}

/** The outcome of decoding a request body under a fieldValidation directive. */
export interface FieldValidationResult {
  /** The decoded object (before defaulting), when the body is accepted. */
  readonly object?: unknown;
  /** The BadRequest (400) message, as kube-apiserver's create/update handlers word it. */
  readonly error?: string;
  /** Warning header texts (fieldValidation=Warn), e.g. `unknown field "spec.foo"`. */
  readonly warnings: readonly string[];
}

export interface TargetKind {
  /** The kind the endpoint serves, e.g. { apiVersion: "apps/v1", kind: "Deployment" }. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Its definition name, e.g. "io.k8s.api.apps.v1.Deployment". */
  readonly typeName: string;
}

/**
 * A JSON request body decoded as the create and update handlers do (apiserver handlers/create.go,
 * update.go): version/kind read first (a failure there, or a syntax error, is "the object provided is
 * unrecognized"), then the typed decode; errors become `<Kind> in version "<v>" cannot be handled as a
 * <Kind>: <error>`. Strict turns unknown/duplicate fields into `strict decoding error: ...`; Warn turns them
 * into warnings; Ignore does not look for them. Upstream's default, when the request names no
 * fieldValidation, is Warn. Left to the caller: a body whose kind or version differs from the endpoint's
 * (upstream converts or refuses it before this point), and YAML bodies (convert to JSON first; upstream's
 * YAML duplicate-key errors are not produced here).
 */
export function decodeBody(
  body: string,
  target: TargetKind,
  mode: FieldValidation,
  definitions: DefinitionSource = generatedDefinitions,
): FieldValidationResult {
  let node: JsonNode;
  try {
    node = parseJson(body);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { error: unrecognized(target, `couldn't get version/kind; json parse error: ${e.message}`, body), warnings: [] };
  }
  const typeMeta = interpretTypeMeta(node);
  if ("error" in typeMeta) {
    return { error: unrecognized(target, `couldn't get version/kind; json parse error: ${typeMeta.error}`, body), warnings: [] };
  }
  if ((typeMeta.apiVersion.match(/\//g) ?? []).length > 1) {
    // schema.ParseGroupVersion's error is returned as is, without the "couldn't get version/kind" prefix.
    return { error: unrecognized(target, `unexpected GroupVersion string: ${typeMeta.apiVersion}`, body), warnings: [] };
  }
  const result = decodeAs(node, target.typeName, { strict: mode !== "Ignore", definitions });
  const kind = typeMeta.kind === "" ? target.kind : typeMeta.kind;
  const version = versionOf(typeMeta.apiVersion === "" ? target.apiVersion : typeMeta.apiVersion);
  const cannotHandle = (reason: string) => `${kind} in version ${goQuote(version)} cannot be handled as a ${target.kind}: ${reason}`;
  if (result.error !== undefined) return { error: cannotHandle(result.error), warnings: [] };
  if (result.strictErrors.length > 0 && mode === "Strict") {
    return { error: cannotHandle(`strict decoding error: ${result.strictErrors.join(", ")}`), warnings: [] };
  }
  return { object: result.object, warnings: mode === "Warn" ? result.strictErrors : [] };
}

/** The version of "group/version" or "version" (schema.ParseGroupVersion). */
function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf("/") + 1);
}

function unrecognized(target: TargetKind, reason: string, body: string): string {
  return `the object provided is unrecognized (must be of type ${target.kind}): ${reason} (${summarizeData(body, 30)})`;
}

/** apiserver's summarizeData: the start of a JSON object as text, anything else in hex. */
export function summarizeData(body: string, maxLength: number): string {
  const bytes = new TextEncoder().encode(body);
  if (bytes.length === 0) return "<empty>";
  const cut = bytes.length > maxLength;
  const head = cut ? bytes.subarray(0, maxLength) : bytes;
  const text = bytes[0] === 0x7b ? new TextDecoder().decode(head) : Array.from(head, (b) => b.toString(16).padStart(2, "0")).join("");
  return cut ? `${text} ...` : text;
}

/** Interpret's struct fields by lower-cased JSON key: encoding/json falls back to case-insensitive matches. */
const typeMetaFields: ReadonlyMap<string, "apiVersion" | "kind"> = new Map([
  ["apiversion", "apiVersion"],
  ["kind", "kind"],
]);

const TYPE_META_GO_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * The serializer's first look at a body (SimpleMetaFactory.Interpret): encoding/json into
 * struct{APIVersion, Kind string}, which matches keys case-insensitively and ignores the rest.
 */
export function interpretTypeMeta(node: JsonNode): { apiVersion: string; kind: string } | { error: string } {
  if (node === null) return { apiVersion: "", kind: "" };
  if (!(node instanceof JsonObject)) return { error: `json: cannot unmarshal ${jsonKind(node)} into Go value of type ${TYPE_META_GO_TYPE}` };
  const found = { apiVersion: "", kind: "" };
  for (const [key, value] of node.entries) {
    const field = typeMetaFields.get(key.toLowerCase());
    if (field === undefined || value === null) continue;
    if (typeof value !== "string") return { error: `json: cannot unmarshal ${jsonKind(value)} into Go struct field .${field} of type string` };
    found[field] = value;
  }
  return found;
}

class Fatal extends Error {}

/** What a schema decodes as. */
type Shape =
  | { kind: "struct"; name: string; schema: SchemaObject }
  | { kind: "list"; items: SchemaObject }
  | { kind: "map"; values: SchemaObject }
  | { kind: "scalar"; type: "string" | "bytes" | "integer" | "number" | "boolean"; format?: string }
  | { kind: "quantity" | "intOrString" | "time" | "microTime" | "raw" };

class StructDecoder {
  savedError: string | undefined;
  readonly strictErrors: string[] = [];
  private readonly seenStrict = new Set<string>();
  /** errorContext.Struct: the innermost struct's Go name. */
  private structName: string | undefined;
  /** errorContext.FieldStack: struct field names from the root. */
  private readonly fieldStack: string[] = [];
  /** sigs.k8s.io/json's strict field path: fields and map keys joined by ".", indices as [i]. */
  private strictPath = "";

  constructor(
    private readonly definitions: DefinitionSource,
    private readonly strict: boolean,
  ) {}

  decodeTop(node: JsonNode, typeName: string): unknown {
    if (node === null) return {};
    return this.decode(node, { $ref: `#/definitions/${typeName}` });
  }

  /** Returns the re-encoded value, or undefined for a value Go leaves unset (null). */
  private decode(node: JsonNode, schema: SchemaObject): unknown {
    const shape = this.shapeOf(schema);
    switch (shape.kind) {
      case "struct":
        return this.decodeStruct(node, shape.name, shape.schema);
      case "list":
        return this.decodeList(node, shape.items, schema);
      case "map":
        return this.decodeMap(node, shape.values, schema);
      case "scalar":
        return this.decodeScalar(node, shape.type, shape.format);
      case "quantity":
        return this.decodeQuantity(node);
      case "intOrString":
        return this.decodeIntOrString(node);
      case "time":
      case "microTime":
        return this.decodeTime(node, shape.kind === "time" ? RFC3339 : RFC3339_MICRO);
      case "raw":
        return node === null ? undefined : toValue(node);
    }
  }

  private shapeOf(schema: SchemaObject): Shape {
    if (schema.$ref !== undefined) {
      const name = refName(schema.$ref);
      if (name === QUANTITY) return { kind: "quantity" };
      if (name === INT_OR_STRING) return { kind: "intOrString" };
      if (name === TIME) return { kind: "time" };
      if (name === MICRO_TIME) return { kind: "microTime" };
      if (RAW_TYPES.has(name)) return { kind: "raw" };
      const target = this.definitions.definition(name);
      if (target === undefined) throw new Error(`structural: no definition ${name}`);
      if (target.properties !== undefined || target["x-kubernetes-embedded-resource"] === true) {
        return { kind: "struct", name, schema: target };
      }
      return this.shapeOf(target);
    }
    if (schema["x-kubernetes-int-or-string"] === true || schema.format === "int-or-string") return { kind: "intOrString" };
    if (schema["x-kubernetes-preserve-unknown-fields"] === true && schema.properties === undefined) return { kind: "raw" };
    switch (schema.type) {
      case "array":
        return { kind: "list", items: schema.items ?? {} };
      case "object":
        if (schema.properties !== undefined || schema["x-kubernetes-embedded-resource"] === true) {
          return { kind: "struct", name: "", schema };
        }
        if (typeof schema.additionalProperties === "object") return { kind: "map", values: schema.additionalProperties };
        return { kind: "raw" };
      case "string":
        return { kind: "scalar", type: schema.format === "byte" ? "bytes" : "string" };
      case "integer":
      case "number":
      case "boolean":
        return { kind: "scalar", type: schema.type, format: schema.format };
      default:
        return { kind: "raw" };
    }
  }

  private decodeStruct(node: JsonNode, name: string, schema: SchemaObject): unknown {
    if (node === null) return undefined;
    if (!(node instanceof JsonObject)) {
      this.typeError(jsonKind(node), goTypeName(name));
      return undefined;
    }
    const properties = { ...schema.properties, ...embeddedResourceFields(schema) };
    const preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] === true;
    const out: Record<string, unknown> = {};
    const seen = this.strict ? new Set<string>() : undefined;
    for (const [key, value] of node.entries) {
      const fieldSchema = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (fieldSchema === undefined) {
        if (preserveUnknown) setMember(out, key, toValue(value));
        else if (this.strict) this.strictError("unknown field", key);
        continue;
      }
      if (seen !== undefined) {
        if (seen.has(key)) this.strictError("duplicate field", key);
        seen.add(key);
      }
      const saved = { structName: this.structName, depth: this.fieldStack.length, path: this.strictPath };
      this.fieldStack.push(key);
      this.structName = name;
      this.strictPath = joinPath(this.strictPath, key);
      const decoded = this.decode(value, fieldSchema);
      this.fieldStack.length = saved.depth;
      this.structName = saved.structName;
      this.strictPath = saved.path;
      if (decoded === undefined) delete out[key];
      else setMember(out, key, decoded);
    }
    return out;
  }

  private decodeList(node: JsonNode, items: SchemaObject, schema: SchemaObject): unknown {
    if (node === null) return undefined;
    if (!Array.isArray(node)) {
      this.typeError(jsonKind(node), this.goType(schema));
      return undefined;
    }
    const saved = this.strictPath;
    const out = node.map((item, index) => {
      this.strictPath = `${saved}[${index}]`;
      return this.decode(item, items) ?? null;
    });
    this.strictPath = saved;
    return out;
  }

  private decodeMap(node: JsonNode, values: SchemaObject, schema: SchemaObject): unknown {
    if (node === null) return undefined;
    if (!(node instanceof JsonObject)) {
      this.typeError(jsonKind(node), this.goType(schema));
      return undefined;
    }
    const out: Record<string, unknown> = {};
    const seen = this.strict ? new Set<string>() : undefined;
    const saved = this.strictPath;
    for (const [key, value] of node.entries) {
      this.strictPath = saved;
      if (seen !== undefined) {
        if (seen.has(key)) this.strictError("duplicate field", key);
        seen.add(key);
      }
      this.strictPath = joinPath(saved, key);
      setMember(out, key, this.decode(value, values) ?? null);
    }
    this.strictPath = saved;
    return out;
  }

  private decodeScalar(node: JsonNode, type: "string" | "bytes" | "integer" | "number" | "boolean", format?: string): unknown {
    if (node === null) return undefined;
    const goType = scalarGoType(type, format);
    switch (type) {
      case "string":
        if (typeof node === "string") return node;
        break;
      case "bytes":
        if (typeof node === "string") {
          const decoded = decodeGoBase64(node);
          if (decoded.ok) return encodeGoBase64(decoded.bytes);
          this.save(decoded.message);
          return undefined;
        }
        break;
      case "boolean":
        if (typeof node === "boolean") return node;
        break;
      case "integer":
        if (node instanceof JsonNumber) {
          if (fitsInteger(node.text, goType)) return node.value;
          this.typeError(`number ${node.text}`, goType);
          return undefined;
        }
        break;
      case "number":
        if (node instanceof JsonNumber) {
          const value = node.value;
          if (Number.isFinite(value) && (goType !== "float32" || Math.abs(value) <= FLOAT32_MAX)) return value;
          this.typeError(`number ${node.text}`, goType);
          return undefined;
        }
        break;
    }
    this.typeError(jsonKind(node), goType);
    return undefined;
  }

  /** resource.Quantity.UnmarshalJSON: a string (quotes stripped) or any other raw JSON text, parsed. */
  private decodeQuantity(node: JsonNode): unknown {
    if (node === null) return undefined;
    const text = typeof node === "string" ? node : node instanceof JsonNumber ? node.text : "";
    const parsed = tryParseQuantity(text.trim());
    if (!parsed.ok) throw new Fatal(parsed.error.message);
    return parsed.quantity.toString();
  }

  /** intstr.IntOrString.UnmarshalJSON: a string, else json.Unmarshal into int32 (errors returned). */
  private decodeIntOrString(node: JsonNode): unknown {
    if (node === null) return undefined;
    if (typeof node === "string") return node;
    if (node instanceof JsonNumber) {
      if (fitsInteger(node.text, "int32")) return node.value;
      throw new Fatal(this.typeErrorText(`number ${node.text}`, "int32"));
    }
    throw new Fatal(this.typeErrorText(jsonKind(node), "int32"));
  }

  /** metav1.Time / MicroTime UnmarshalJSON: json.Unmarshal into string, then time.Parse. */
  private decodeTime(node: JsonNode, layout: typeof RFC3339 | typeof RFC3339_MICRO): unknown {
    if (node === null) return undefined;
    if (typeof node !== "string") throw new Fatal(this.typeErrorText(jsonKind(node), "string"));
    const parsed = parseGoTime(layout, node);
    if (!parsed.ok) throw new Fatal(parsed.message);
    return formatGoTime(layout, parsed.time) ?? undefined;
  }

  private goType(schema: SchemaObject): string {
    const shape = this.shapeOf(schema);
    switch (shape.kind) {
      case "struct":
        return goTypeName(shape.name);
      case "list":
        return `[]${this.goType(shape.items)}`;
      case "map": {
        const values = this.shapeOf(shape.values);
        return values.kind === "quantity" ? "v1.ResourceList" : `map[string]${this.goType(shape.values)}`;
      }
      case "scalar":
        return scalarGoType(shape.type, shape.format);
      case "quantity":
        return "resource.Quantity";
      case "intOrString":
        return "intstr.IntOrString";
      case "time":
        return "v1.Time";
      case "microTime":
        return "v1.MicroTime";
      case "raw":
        return "runtime.RawExtension";
    }
  }

  private typeError(value: string, goType: string): void {
    this.save(this.typeErrorText(value, goType));
  }

  /** UnmarshalTypeError.Error() with the decoder's error context added. */
  private typeErrorText(value: string, goType: string): string {
    if (this.structName === undefined && this.fieldStack.length === 0) {
      return `json: cannot unmarshal ${value} into Go value of type ${goType}`;
    }
    const struct = this.structName === undefined ? "" : shortName(this.structName);
    return `json: cannot unmarshal ${value} into Go struct field ${struct}.${this.fieldStack.join(".")} of type ${goType}`;
  }

  private save(message: string): void {
    if (this.savedError === undefined) this.savedError = message;
  }

  private strictError(what: "unknown field" | "duplicate field", key: string): void {
    if (this.strictErrors.length >= MAX_STRICT_ERRORS) return;
    const message = `${what} ${goQuote(joinPath(this.strictPath, key))}`;
    if (this.seenStrict.has(message)) return;
    this.seenStrict.add(message);
    this.strictErrors.push(message);
  }
}

const FLOAT32_MAX = 3.4028234663852886e38;

function joinPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/**
 * An x-kubernetes-embedded-resource object always has apiVersion and kind, and its metadata is decoded
 * as ObjectMeta whatever its schema says (as for custom resources' embedded objects upstream).
 */
function embeddedResourceFields(schema: SchemaObject): Record<string, SchemaObject> {
  if (schema["x-kubernetes-embedded-resource"] !== true) return {};
  return {
    apiVersion: schema.properties?.apiVersion ?? { type: "string" },
    kind: schema.properties?.kind ?? { type: "string" },
    metadata: { $ref: `#/definitions/${OBJECT_META}` },
  };
}

/** The struct's own name, as reflect.Type.Name() gives it: io.k8s.api.core.v1.Container → Container. */
function shortName(definitionName: string): string {
  return definitionName.slice(definitionName.lastIndexOf(".") + 1);
}

/** Go's reflect name for a definition: io.k8s.api.core.v1.Container → v1.Container. */
export function goTypeName(definitionName: string): string {
  const parts = definitionName.split(".");
  if (parts.length < 2) return definitionName;
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function scalarGoType(type: "string" | "bytes" | "integer" | "number" | "boolean", format?: string): string {
  switch (type) {
    case "string":
      return "string";
    case "bytes":
      return "[]uint8";
    case "boolean":
      return "bool";
    case "integer":
      return format === "int32" ? "int32" : "int64";
    case "number":
      return format === "float" ? "float32" : "float64";
  }
}

const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** strconv.ParseInt(text, 10, 64) succeeds and the value fits the Go type. */
function fitsInteger(text: string, goType: string): boolean {
  if (!/^-?\d+$/.test(text)) return false;
  const [min, max] = INTEGER_RANGES[goType] ?? (INTEGER_RANGES.int64 as readonly [bigint, bigint]);
  const value = BigInt(text);
  return value >= min && value <= max;
}

/** How encoding/json names a JSON value in UnmarshalTypeError. */
function jsonKind(node: JsonNode): string {
  if (node instanceof JsonObject) return "object";
  if (Array.isArray(node)) return "array";
  if (node instanceof JsonNumber) return "number";
  if (typeof node === "string") return "string";
  if (typeof node === "boolean") return "bool";
  return "null";
}
