// Regular expressions as Kubernetes writes them (Go's RE2 syntax), compiled to JavaScript RegExp.
// Used by CEL's find()/findAll() and by `$regex` expectations. The two syntaxes agree on what
// scenarios use (classes, anchors, repetition, alternation, groups); the differences handled here
// are Go's leading inline flags `(?i)` and named groups `(?P<name>...)`. Patterns run in Unicode
// mode so `.` and classes see code points, as Go's regexp sees runes. Back-references and
// look-around are JavaScript-only and are not rejected: RE2 semantics are not enforced.

export class RegexError extends Error {
  constructor(
    readonly pattern: string,
    detail: string,
  ) {
    super(`invalid regular expression ${JSON.stringify(pattern)}: ${detail}`);
    this.name = "RegexError";
  }
}

/** Compiled patterns by source and extra flags; bounded so user input cannot grow it without limit. */
const cache = new Map<string, RegExp>();
const cacheEntriesMax = 256;

/** Compiles a Go-syntax pattern; `extraFlags` adds JavaScript flags such as "g". Throws RegexError. */
export function goRegExp(pattern: string, extraFlags = ""): RegExp {
  const cacheKey = `${extraFlags}/${pattern}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) {
    cached.lastIndex = 0;
    return cached;
  }
  const { source, flags } = translate(pattern);
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, `u${flags}${extraFlags}`);
  } catch (e) {
    throw new RegexError(pattern, e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : String(e));
  }
  if (cache.size >= cacheEntriesMax) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, compiled);
  return compiled;
}

function translate(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = "";
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (leading !== null) {
    for (const flag of leading[1] as string) {
      if (flag === "i" || flag === "m" || flag === "s") flags += flags.includes(flag) ? "" : flag;
      else throw new RegexError(pattern, `unsupported flag ${flag} (supported: i, m, s)`);
    }
    source = source.slice(leading[0].length);
  }
  return { source: source.replaceAll("(?P<", "(?<"), flags };
}

/** The first match, or "" (Go's Regexp.FindString). */
export function findFirst(text: string, pattern: string): string {
  return goRegExp(pattern).exec(text)?.[0] ?? "";
}

/**
 * Successive non-overlapping matches, at most `limit` when limit ≥ 0 (Go's FindAllString): an
 * empty match right after the previous match is skipped, as Go does.
 */
export function findAll(text: string, pattern: string, limit = -1): string[] {
  const re = goRegExp(pattern, "g");
  const found: string[] = [];
  let position = 0;
  let previousEnd = -1;
  while (position <= text.length && (limit < 0 || found.length < limit)) {
    re.lastIndex = position;
    const m = re.exec(text);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    if (start === end) {
      const step = codePointWidth(text, start);
      if (start !== previousEnd) found.push("");
      previousEnd = end;
      position = end + step;
      continue;
    }
    found.push(m[0]);
    previousEnd = end;
    position = end;
  }
  return found;
}

/** 1, or 2 for a surrogate pair, so an empty match never splits a code point. */
function codePointWidth(text: string, index: number): number {
  const code = text.codePointAt(index);
  return code !== undefined && code > 0xffff ? 2 : 1;
}

/** Unanchored search, as CEL's matches() and `$regex` expectations use. */
export function regexMatches(text: string, pattern: string): boolean {
  return goRegExp(pattern).test(text);
}
