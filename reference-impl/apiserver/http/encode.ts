// Response encoding as apimachinery's JSON serializer writes it: compact JSON with a trailing newline
// (json.Encoder), or indented without one (the pretty serializer); Go escapes <, >, & and U+2028/9.
// YAML is JSONToYAML's: keys sorted. Warning headers as net.NewWarningHeader formats them. Pure.
import { stringify as stringifyYaml } from "yaml";
import type { SerializerName } from "./media.ts";

/** Go's HTML-safe escaping; these characters only ever occur inside JSON strings. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** json.Encoder.Encode: compact, newline-terminated. */
export function encodeJson(value: unknown): string {
  return `${goEscape(JSON.stringify(value))}\n`;
}

/** json.MarshalIndent(v, "", "  "): no trailing newline. */
export function encodeJsonPretty(value: unknown): string {
  return goEscape(JSON.stringify(value, null, 2));
}

/** yaml.JSONToYAML: block style, keys sorted. */
export function encodeYaml(value: unknown): string {
  return stringifyYaml(value, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}

/** An object in the negotiated serializer (protobuf is answered as JSON). */
export function encodeObject(value: unknown, serializer: SerializerName, pretty: boolean): string {
  if (serializer === "yaml") return encodeYaml(value);
  return pretty ? encodeJsonPretty(value) : encodeJson(value);
}

/** Largest warning text kept, after the recorder's per-warning truncation (4 KiB). */
const MAX_WARNING_TEXT_BYTES = 4 * 1024;

/** net.NewWarningHeader(299, "-", text): `299 - "text"` with `"` and `\` escaped. */
export function warningHeader(text: string): string {
  let t = text;
  if (Buffer.byteLength(t, "utf8") > MAX_WARNING_TEXT_BYTES) t = t.slice(0, MAX_WARNING_TEXT_BYTES);
  return `299 - "${t.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The Warning headers of a response: duplicates dropped, as the warning recorder does. */
export function warningHeaders(warnings: readonly string[] | undefined): string[] {
  return [...new Set(warnings ?? [])].filter((w) => w !== "").map(warningHeader);
}
