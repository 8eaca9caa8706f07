// Go's `%#v` rendering of the few values upstream passes as a field error's bad value. The API
// server prints struct-valued bad values with %#v (field.Error.ErrorBody), so an error such as a
// changed Deployment selector reads `v1.LabelSelector{MatchLabels:map[string]string{"app":"a"},
// MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`. Go's fmt sorts map keys; JSON `null` or an
// absent field is a nil map/slice, while `{}`/`[]` is an empty one.

import type { BadValue } from "../../../spec/semantics/field-errors.ts";
import { goQuote, sortedGoStrings } from "../../../spec/semantics/go-compat.ts";

export function goSyntax(text: string): BadValue {
  return { goSyntax: text };
}

/** `map[string]string{"a":"b"}`, or `map[string]string(nil)` for an absent map. */
export function goStringMap(m: Readonly<Record<string, string>> | null | undefined): string {
  if (m === undefined || m === null) return "map[string]string(nil)";
  const entries = sortedGoStrings(Object.keys(m)).map((k) => `${goQuote(k)}:${goQuote(m[k] ?? "")}`);
  return `map[string]string{${entries.join(", ")}}`;
}

/** `[]string{"a", "b"}`, or `[]string(nil)`. */
export function goStringSlice(values: readonly string[] | null | undefined): string {
  if (values === undefined || values === null) return "[]string(nil)";
  return `[]string{${values.map(goQuote).join(", ")}}`;
}

export interface LabelSelectorValue {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly { key?: string; operator?: string; values?: readonly string[] | null }[] | null;
}

/** metav1.LabelSelector by value (a pointer is dereferenced by ErrorBody). */
export function goLabelSelector(sel: LabelSelectorValue): string {
  const exprs = sel.matchExpressions;
  const exprText =
    exprs === undefined || exprs === null
      ? "[]v1.LabelSelectorRequirement(nil)"
      : "[]v1.LabelSelectorRequirement{" +
        exprs
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? "")}, Operator:${goQuote(e.operator ?? "")}, ` +
              `Values:${goStringSlice(e.values)}}`,
          )
          .join(", ") +
        "}";
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** A *metav1.LabelSelector bad value: nil prints as the quoted string "null". */
export function labelSelectorBadValue(sel: LabelSelectorValue | null | undefined): BadValue {
  return sel === undefined || sel === null ? "null" : goSyntax(goLabelSelector(sel));
}

/** intstr.IntOrString by value: `intstr.IntOrString{Type:0, IntVal:5, StrVal:""}`. */
export function goIntOrString(v: number | string | null | undefined): string {
  if (typeof v === "string") return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}

export function intOrStringBadValue(v: number | string | null | undefined): BadValue {
  return goSyntax(goIntOrString(v));
}

/** `map[string]string` bad values (template labels, node selectors). */
export function stringMapBadValue(m: Readonly<Record<string, string>> | null | undefined): BadValue {
  return goSyntax(goStringMap(m));
}

/** A Go pointer to a scalar: nil prints as "null" (quoted, as ErrorBody substitutes the string). */
export function pointerBadValue(v: string | number | boolean | null | undefined): BadValue {
  return v === undefined || v === null ? "null" : v;
}
