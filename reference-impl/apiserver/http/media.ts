// Content negotiation, after k8s.io/apiserver/pkg/endpoints/handlers/negotiation and the Accept parser
// it uses (github.com/munnerz/goautoneg). The server reads JSON, YAML and protobuf bodies (client-go's
// typed clients send protobuf) and writes JSON and YAML: protobuf in Accept (client-go lists it
// first) is answered with JSON, which clients decode by the response's Content-Type. Conversions (`as=Table`,
// `as=PartialObjectMetadata[List]`, `as=APIGroupDiscoveryList`) are allowed per endpoint.

/** One clause of an Accept header. */
export interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Record<string, string>;
}

/** goautoneg.ParseAccept: clauses sorted by quality, then concrete types before wildcards. */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const rawPart of header.split(",")) {
    const part = rawPart.trim();
    const [range = "", ...params] = part.split(";");
    const sp = range.split("/");
    const type = (sp[0] ?? "").trim();
    let subType: string;
    if (sp.length === 1 && type === "*") subType = "*";
    else if (sp.length === 2) subType = (sp[1] ?? "").trim();
    else continue;
    const clause: AcceptClause = { type, subType, q: 1, params: {} };
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0) continue;
      const token = param.slice(0, eq).trim();
      const value = param.slice(eq + 1);
      // strconv.ParseFloat failing leaves 0, as goautoneg does.
      if (token === "q") clause.q = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : 0;
      else clause.params[token] = value.trim();
    }
    clauses.push(clause);
  }
  const less = (a: AcceptClause, b: AcceptClause): boolean =>
    a.q > b.q || (a.type !== "*" && b.type === "*") || (a.subType !== "*" && b.subType === "*");
  // sort.Sort on the few clauses of a real header is an insertion sort, i.e. stable.
  return clauses
    .map((c, i) => ({ c, i }))
    .sort((x, y) => (less(x.c, y.c) ? -1 : less(y.c, x.c) ? 1 : x.i - y.i))
    .map((x) => x.c);
}

export type SerializerName = "json" | "yaml" | "protobuf";

interface SerializerInfo {
  readonly name: SerializerName;
  readonly type: string;
  readonly subType: string;
  readonly mediaType: string;
  readonly streaming: boolean;
}

/** kube-apiserver's serializers, in its order (CBOR is off by default in 1.32). */
const SERIALIZERS: readonly SerializerInfo[] = [
  { name: "json", type: "application", subType: "json", mediaType: "application/json", streaming: true },
  { name: "yaml", type: "application", subType: "yaml", mediaType: "application/yaml", streaming: false },
  { name: "protobuf", type: "application", subType: "vnd.kubernetes.protobuf", mediaType: "application/vnd.kubernetes.protobuf", streaming: true },
];

/** The media types of the server's serializers, as error messages list them. */
export const SUPPORTED_MEDIA_TYPES: readonly string[] = SERIALIZERS.map((s) => s.mediaType);
/** The streaming media types (watch), as error messages list them. */
export const SUPPORTED_STREAM_MEDIA_TYPES: readonly string[] = SERIALIZERS.filter((s) => s.streaming).map((s) => `${s.mediaType};stream=watch`);

/** A conversion asked for with as=/g=/v= parameters. */
export interface ConvertTarget {
  group: string;
  version: string;
  kind: string;
}

/** NegotiationOptions' answer: the serializer, an optional conversion, pretty printing. */
export interface Negotiated {
  serializer: SerializerName;
  convert?: ConvertTarget;
  pretty: boolean;
  stream?: string;
}

/** What an endpoint allows beyond plain serialization (EndpointRestrictions). */
export interface EndpointRestrictions {
  allowsTransform(serializer: SerializerName, target: ConvertTarget | undefined): boolean;
  /** The `sv` parameter (server version); default: never. */
  allowsServerVersion?(version: string): boolean;
}

/** negotiation.DefaultEndpointRestrictions: no conversions. */
export const DEFAULT_RESTRICTIONS: EndpointRestrictions = { allowsTransform: (_s, target) => target === undefined };

const META_GROUP = "meta.k8s.io";

/**
 * A resource endpoint (RequestScope.AllowsMediaTypeTransform): Table (JSON or YAML, where the
 * storage has a table convertor) and PartialObjectMetadata[List] in meta.k8s.io v1 or v1beta1.
 */
export function resourceRestrictions(tableAllowed: boolean): EndpointRestrictions {
  return {
    allowsTransform(serializer, target) {
      if (target === undefined) return true;
      if (target.group !== META_GROUP || (target.version !== "v1" && target.version !== "v1beta1")) return false;
      switch (target.kind) {
        case "Table":
          return tableAllowed && (serializer === "json" || serializer === "yaml");
        case "PartialObjectMetadata":
        case "PartialObjectMetadataList":
          return true;
        default:
          return false;
      }
    },
    // RequestScope.AllowsServerVersion: the meta group version.
    allowsServerVersion: (version) => version === "v1",
  };
}

export const AGGREGATED_DISCOVERY_GROUP = "apidiscovery.k8s.io";
export const AGGREGATED_DISCOVERY_KIND = "APIGroupDiscoveryList";

/** The aggregated discovery handler's restrictions: only APIGroupDiscoveryList v2 or v2beta1. */
export const DISCOVERY_RESTRICTIONS: EndpointRestrictions = {
  allowsTransform: (_s, target) =>
    target !== undefined &&
    target.group === AGGREGATED_DISCOVERY_GROUP &&
    (target.version === "v2" || target.version === "v2beta1") &&
    target.kind === AGGREGATED_DISCOVERY_KIND,
};

/**
 * NegotiateMediaTypeOptions: the first clause (in Accept order) that a serializer and the endpoint
 * accept; an empty header means JSON. `streaming` asks for a watch serializer.
 */
export function negotiate(accept: string | undefined, restrictions: EndpointRestrictions, streaming = false): Negotiated | undefined {
  if (accept === undefined || accept === "") return { serializer: "json", pretty: false };
  for (const clause of parseAccept(accept)) {
    for (const s of SERIALIZERS) {
      const matches =
        (clause.type === s.type && clause.subType === s.subType) ||
        (clause.type === s.type && clause.subType === "*") ||
        (clause.type === "*" && clause.subType === "*");
      if (!matches) continue;
      const options = acceptOptions(clause.params, s, restrictions);
      if (options === undefined) continue;
      // NegotiateOutputMediaTypeStream: the chosen serializer must stream.
      if (streaming && !s.streaming) return undefined;
      return options;
    }
  }
  return undefined;
}

function acceptOptions(params: Record<string, string>, s: SerializerInfo, restrictions: EndpointRestrictions): Negotiated | undefined {
  let convert: ConvertTarget | undefined;
  const out: Negotiated = { serializer: s.name, pretty: false };
  for (const [k, v] of Object.entries(params)) {
    switch (k) {
      case "as":
        convert = { ...(convert ?? { group: "", version: "", kind: "" }), kind: v };
        break;
      case "g":
        convert = { ...(convert ?? { group: "", version: "", kind: "" }), group: v };
        break;
      case "v":
        convert = { ...(convert ?? { group: "", version: "", kind: "" }), version: v };
        break;
      case "stream":
        if (v !== "" && (!s.streaming || v !== "watch")) return undefined;
        out.stream = v;
        break;
      case "sv":
        if (v !== "" && !(restrictions.allowsServerVersion?.(v) ?? false)) return undefined;
        break;
      case "pretty":
        out.pretty = v === "1";
        break;
      default:
        // export, profile and unknown parameters change nothing here.
        break;
    }
  }
  if (!restrictions.allowsTransform(s.name, convert)) return undefined;
  if (convert !== undefined) out.convert = convert;
  return out;
}

/** The bare media type of a Content-Type (mime.ParseMediaType: lower-cased, parameters dropped). */
export function bareMediaType(contentType: string): string | undefined {
  const base = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  // mime.ParseMediaType wants type/subtype tokens.
  return /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(base) ? base : undefined;
}

/** NegotiateInputSerializer: the body's serializer; an empty Content-Type means JSON. */
export function inputSerializer(contentType: string | undefined): SerializerName | undefined {
  if (contentType === undefined || contentType === "") return "json";
  const base = bareMediaType(contentType);
  return SERIALIZERS.find((s) => s.mediaType === base)?.name;
}

/** The patch types of PATCH routes (go-restful's Consumes), in upstream's order. */
export const PATCH_CONTENT_TYPES: readonly string[] = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

/**
 * go-restful's Route.matchesContentType for a PATCH route: the media type of each comma-separated
 * entry, parameters dropped, must be one the route consumes; a missing type counts as octet-stream.
 */
export function patchContentTypeMatches(contentType: string | undefined): boolean {
  const value = contentType === undefined || contentType === "" ? "application/octet-stream" : contentType;
  for (const entry of value.split(",")) {
    const mediaType = (entry.split(";")[0] ?? "").trim();
    if (mediaType === "") return false;
    if (PATCH_CONTENT_TYPES.includes(mediaType)) return true;
  }
  return false;
}

/** isPrettyPrint: ?pretty=<true> or a browser or command-line User-Agent. */
export function isPrettyPrint(query: Readonly<Record<string, string>>, userAgent: string | undefined): boolean {
  const pretty = query.pretty;
  if (pretty !== undefined && pretty !== "") return ["1", "t", "T", "TRUE", "true", "True"].includes(pretty);
  const ua = userAgent ?? "";
  return ua.startsWith("curl") || ua.startsWith("Wget") || ua.startsWith("Mozilla/5.0");
}

/** The Content-Type of a response: the serializer's type, protobuf answered as JSON. */
export function responseMediaType(serializer: SerializerName): string {
  return serializer === "yaml" ? "application/yaml" : "application/json";
}
