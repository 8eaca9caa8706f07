// Small formatting helpers the upstream printers share (pkg/printers/internalversion/printers.go and
// the apimachinery functions it calls), with Go's string semantics where they show.
import type { Container } from "kubernetes-types/core/v1.js";
import { compareGoStrings, sortedGoStrings } from "../../../spec/semantics/go-compat.ts";

/** labels.FormatLabels: "k=v" pairs sorted as whole strings, comma-joined; "<none>" when empty. */
export function formatLabels(labelMap: Readonly<Record<string, string>> | null | undefined): string {
  // Upstream sorts the "key=value" strings, not the keys: "a.b=x" sorts before "a=y".
  const pairs = Object.entries(labelMap ?? {}).map(([k, v]) => `${k}=${v}`);
  const s = pairs.sort(compareGoStrings).join(",");
  return s === "" ? "<none>" : s;
}

/** layoutContainerCells: container names and images, each comma-joined in spec order. */
export function layoutContainerCells(containers: readonly Container[] | null | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? "").join(","), list.map((c) => c.image ?? "").join(",")];
}

/** printBoolPtr: "True"/"False", "<unset>" for nil. */
export function printBoolPtr(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return "<unset>";
  return value ? "True" : "False";
}

/** intstr.IntOrString.String(). */
export function intOrStringToString(value: number | string): string {
  return typeof value === "number" ? String(Math.trunc(value)) : value;
}

/** net.JoinHostPort: brackets a host that contains a colon (an IPv6 address). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

// unicode.IsSpace: the White_Space property (includes U+0085, unlike String.prototype.trim, which
// instead trims U+FEFF).
const goSpace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && goSpace.test(chars[start] ?? "")) start++;
  while (end > start && goSpace.test(chars[end - 1] ?? "")) end--;
  return chars.slice(start, end).join("");
}

/** s[0:n] on Go's UTF-8 bytes (a cut through a character decodes to U+FFFD, as Go's JSON encoder shows it). */
export function goByteSlice(s: string, n: number): string {
  return Buffer.from(s, "utf8").subarray(0, n).toString("utf8");
}

/** sets.NewString(values...).List(): de-duplicated, in Go string order. */
export function sortedSet(values: Iterable<string>): string[] {
  return sortedGoStrings(new Set(values));
}

/** listWithMoreString: "a,b,c + N more...", "<unset>" for an empty list. */
export function listWithMoreString(list: readonly string[], more: boolean, count: number, max: number): string {
  const ret = list.join(",");
  if (more) return `${ret} + ${count - max} more...`;
  return ret === "" ? "<unset>" : ret;
}

/** A JSON number field that Go decodes into an int32/int64 (absent is 0). */
export function int(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : 0;
}
