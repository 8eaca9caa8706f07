// String functions Kubernetes enables (cel-go's ext.Strings, and Kubernetes' regex library
// k8s.io/apiserver/pkg/cel/library/regex.go) that cel-js lacks: charAt(), replace(), find(),
// findAll(). cel-js already provides indexOf, lastIndexOf, lowerAscii, upperAscii, split, join,
// substring and trim; its lowerAscii/upperAscii also change the case of non-ASCII letters, which
// upstream leaves alone. Regular expressions are Go syntax compiled as described in regex.ts.
import { EvaluationError, type Environment } from "@marcbachmann/cel-js";
import { findAll, findFirst, RegexError } from "./regex.ts";

/** The code point at `index` ("" at the end), as cel-go counts positions. */
function charAt(text: string, index: bigint): string {
  const chars = [...text];
  if (index < 0n || index > BigInt(chars.length)) throw new EvaluationError(`index out of range: ${index}`);
  return chars[Number(index)] ?? "";
}

/** Go's strings.Replace: at most `limit` replacements when limit ≥ 0. */
function replace(text: string, old: string, replacement: string, limit: bigint): string {
  if (limit === 0n || old === replacement) return text;
  const within = (count: number): boolean => limit < 0n || BigInt(count) < limit;
  const out: string[] = [];
  let count = 0;
  if (old === "") {
    // An empty pattern matches before every code point and at the end.
    const chars = [...text];
    for (let i = 0; i <= chars.length; i++) {
      if (within(count)) {
        out.push(replacement);
        count++;
      }
      if (i < chars.length) out.push(chars[i] as string);
    }
    return out.join("");
  }
  let from = 0;
  while (within(count)) {
    const at = text.indexOf(old, from);
    if (at < 0) break;
    out.push(text.slice(from, at), replacement);
    from = at + old.length;
    count++;
  }
  out.push(text.slice(from));
  return out.join("");
}

function withRegex<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof RegexError) throw new EvaluationError(e.message);
    throw e;
  }
}

export function registerStringsLibrary(env: Environment): void {
  env
    .registerFunction("string.charAt(int): string", charAt)
    .registerFunction("string.replace(string, string): string", (s: string, o: string, r: string) => replace(s, o, r, -1n))
    .registerFunction("string.replace(string, string, int): string", replace)
    .registerFunction("string.find(string): string", (s: string, re: string) => withRegex(() => findFirst(s, re)))
    .registerFunction("string.findAll(string): list<string>", (s: string, re: string) => withRegex(() => findAll(s, re)))
    .registerFunction("string.findAll(string, int): list<string>", (s: string, re: string, n: bigint) =>
      withRegex(() => findAll(s, re, n < 0n ? -1 : Number(n))),
    );
}
