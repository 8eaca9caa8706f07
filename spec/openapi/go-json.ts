// A JSON reader with Go's encoding/json eyes, for request bodies. Unlike JSON.parse it keeps what
// kube-apiserver's decoder sees and JSON.parse loses: duplicate keys in document order (reported by
// fieldValidation=Strict), the literal text of numbers (Go refuses 1.0 or 1e3 for an integer field),
// and key order for integer-like keys. Syntax errors carry the messages of Go's scanner
// (encoding/json/scanner.go), e.g. `invalid character '}' looking for beginning of value` or
// `unexpected end of JSON input`. The reader and the converters are iterative: nesting depth is bounded
// by Go's limit (10000), not by the JavaScript stack.
import { goQuote } from "../semantics/go-compat.ts";

/** A JSON number with its literal text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}

/** A JSON object with its members in document order, duplicates included. */
export class JsonObject {
  constructor(readonly entries: Array<[string, JsonNode]> = []) {}
}

export type JsonNode = JsonObject | JsonNode[] | JsonNumber | string | boolean | null;

/** Go's json.SyntaxError: `message` is what Go prints; `offset` counts UTF-16 units read. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

/** Go's maxNestingDepth (encoding/json/scanner.go). */
export const MAX_NESTING_DEPTH = 10000;

type Container = { object: JsonObject; key: string } | { array: JsonNode[] };

/** Returned by value() when it opened a container whose first member is still to be read. */
const OPEN = Symbol("open");

/** Parses one JSON value (surrounding whitespace allowed), or throws JsonSyntaxError. */
export function parseJson(text: string): JsonNode {
  return new Reader(text).read();
}

class Reader {
  private pos = 0;
  private readonly stack: Container[] = [];

  constructor(private readonly text: string) {}

  read(): JsonNode {
    let next: JsonNode | typeof OPEN = this.value();
    for (;;) {
      if (next === OPEN) {
        next = this.value();
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) break;
      next = this.attach(top, next);
    }
    this.skipSpace();
    if (this.pos < this.text.length) throw this.invalid("after top-level value");
    return next;
  }

  /** A scalar or an empty container; OPEN after pushing a non-empty container (positioned at its first value). */
  private value(): JsonNode | typeof OPEN {
    this.skipSpace();
    const c = this.peek();
    if (c !== "{" && c !== "[") return this.scalar(c);
    if (this.stack.length + 1 > MAX_NESTING_DEPTH) throw this.invalid("exceeded max depth");
    this.pos++;
    this.skipSpace();
    if (c === "{") {
      if (this.peek() === "}") {
        this.pos++;
        return new JsonObject();
      }
      const object = new JsonObject();
      this.stack.push({ object, key: this.key() });
      return OPEN;
    }
    if (this.peek() === "]") {
      this.pos++;
      return [];
    }
    this.stack.push({ array: [] });
    return OPEN;
  }

  /** Adds a finished value to the open container; returns the container once closed, or the next value. */
  private attach(top: Container, value: JsonNode): JsonNode | typeof OPEN {
    if ("array" in top) top.array.push(value);
    else top.object.entries.push([top.key, value]);
    this.skipSpace();
    const c = this.peek();
    if (c === ",") {
      this.pos++;
      if (!("array" in top)) top.key = this.key();
      return this.value();
    }
    if ("array" in top) {
      if (c !== "]") throw this.invalid("after array element");
      this.pos++;
      this.stack.pop();
      return top.array;
    }
    if (c !== "}") throw this.invalid("after object key:value pair");
    this.pos++;
    this.stack.pop();
    return top.object;
  }

  /** Reads `"key" :` and leaves the position at the value. */
  private key(): string {
    this.skipSpace();
    if (this.peek() !== '"') throw this.invalid("looking for beginning of object key string");
    const key = this.string();
    this.skipSpace();
    if (this.peek() !== ":") throw this.invalid("after object key");
    this.pos++;
    return key;
  }

  private scalar(c: string): JsonNode {
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    if (c === "t") return this.literal("true", true);
    if (c === "f") return this.literal("false", false);
    if (c === "n") return this.literal("null", null);
    throw this.invalid("looking for beginning of value");
  }

  private literal<T extends JsonNode>(word: string, value: T): T {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.text[this.pos] !== word[i]) throw this.invalid(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(i))})`);
    }
    this.pos++;
    return value;
  }

  private number(): JsonNumber {
    const start = this.pos;
    const t = this.text;
    if (t[this.pos] === "-") {
      this.pos++;
      if (!isDigit(t[this.pos])) throw this.invalid("in numeric literal");
    }
    if (t[this.pos] === "0") this.pos++;
    else while (isDigit(t[this.pos])) this.pos++;
    if (t[this.pos] === ".") {
      this.pos++;
      if (!isDigit(t[this.pos])) throw this.invalid("after decimal point in numeric literal");
      while (isDigit(t[this.pos])) this.pos++;
    }
    if (t[this.pos] === "e" || t[this.pos] === "E") {
      this.pos++;
      if (t[this.pos] === "+" || t[this.pos] === "-") this.pos++;
      if (!isDigit(t[this.pos])) throw this.invalid("in exponent of numeric literal");
      while (isDigit(t[this.pos])) this.pos++;
    }
    return new JsonNumber(t.slice(start, this.pos));
  }

  private string(): string {
    const t = this.text;
    let i = this.pos + 1;
    let out = "";
    let runStart = i;
    for (;;) {
      if (i >= t.length) throw this.endOfInput();
      const code = t.charCodeAt(i);
      if (code === 0x22) break;
      if (code < 0x20) {
        this.pos = i;
        throw this.invalid("in string literal");
      }
      if (code !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(runStart, i);
      this.pos = ++i;
      const simple = escapes[t[i] ?? ""];
      if (simple !== undefined) {
        out += simple;
        i++;
      } else if (t[i] === "u") {
        for (let k = 1; k <= 4; k++) {
          this.pos = i + k;
          if (!isHexDigit(t[i + k])) throw this.invalid("in \\u hexadecimal character escape");
        }
        out += String.fromCharCode(Number.parseInt(t.slice(i + 1, i + 5), 16));
        i += 5;
      } else {
        throw this.invalid("in string escape code");
      }
      runStart = i;
    }
    out += t.slice(runStart, i);
    this.pos = i + 1;
    // Lone surrogates (from \u escapes) become U+FFFD, as Go's decoder does; valid pairs stay.
    return out.replace(loneSurrogate, "\uFFFD");
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  private peek(): string {
    if (this.pos >= this.text.length) throw this.endOfInput();
    return this.text[this.pos] as string;
  }

  /**
   * Go's scanner names the offending byte. At the end of input it steps a space (scanner.eof), so a
   * number, literal or escape cut short reports ' ' rather than the end of input.
   */
  private invalid(context: string): JsonSyntaxError {
    const cp = this.pos < this.text.length ? (this.text.codePointAt(this.pos) ?? 0x20) : 0x20;
    return new JsonSyntaxError(`invalid character ${quoteChar(firstUtf8Byte(cp))} ${context}`, this.pos);
  }

  private endOfInput(): JsonSyntaxError {
    return new JsonSyntaxError("unexpected end of JSON input", this.text.length);
  }
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const escapes: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** Go's scanner reports bytes: a multi-byte character shows as its first UTF-8 byte. */
function firstUtf8Byte(cp: number): number {
  if (cp < 0x80) return cp;
  if (cp < 0x800) return 0xc0 | (cp >> 6);
  if (cp < 0x10000) return 0xe0 | (cp >> 12);
  return 0xf0 | (cp >> 18);
}

/** Go's quoteChar: the byte as a rune, quoted with single quotes. */
function quoteChar(byte: number): string {
  if (byte === 0x27) return "'\\''";
  if (byte === 0x22) return "'\"'";
  const quoted = goQuote(String.fromCharCode(byte));
  return `'${quoted.slice(1, -1)}'`;
}

/** The plain JavaScript value, as JSON.parse gives it (for a duplicate key the last value wins). */
export function toValue(root: JsonNode): unknown {
  type Frame = { node: JsonObject | JsonNode[]; out: Record<string, unknown> | unknown[]; next: number };
  const open = (node: JsonObject | JsonNode[]): Frame => ({ node, out: Array.isArray(node) ? [] : {}, next: 0 });
  const scalar = (node: JsonNode): unknown => (node instanceof JsonNumber ? node.value : node);
  if (!(root instanceof JsonObject) && !Array.isArray(root)) return scalar(root);
  const stack: Frame[] = [open(root)];
  let finished: unknown;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const members = Array.isArray(frame.node) ? frame.node : frame.node.entries;
    if (frame.next >= members.length) {
      stack.pop();
      finished = frame.out;
      const parent = stack[stack.length - 1];
      if (parent !== undefined) store(parent, finished);
      continue;
    }
    const member = members[frame.next] as JsonNode | [string, JsonNode];
    const child = Array.isArray(frame.node) ? (member as JsonNode) : (member as [string, JsonNode])[1];
    if (child instanceof JsonObject || Array.isArray(child)) {
      stack.push(open(child));
      continue;
    }
    store(frame, scalar(child));
  }
  return finished;

  function store(frame: Frame, value: unknown): void {
    if (Array.isArray(frame.out)) frame.out.push(value);
    else setMember(frame.out, ((frame.node as JsonObject).entries[frame.next] as [string, JsonNode])[0], value);
    frame.next++;
  }
}

/** The tree of a plain JavaScript value (numbers keep their JavaScript text). */
export function fromValue(root: unknown): JsonNode {
  type Frame = { members: Array<[string, unknown]> | unknown[]; out: JsonObject | JsonNode[]; next: number };
  const open = (value: object): Frame =>
    Array.isArray(value)
      ? { members: value, out: [], next: 0 }
      : { members: Object.entries(value), out: new JsonObject(), next: 0 };
  if (!isContainer(root)) return scalarNode(root);
  const stack: Frame[] = [open(root)];
  let finished: JsonNode = null;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next >= frame.members.length) {
      stack.pop();
      finished = frame.out;
      const parent = stack[stack.length - 1];
      if (parent !== undefined) store(parent, finished);
      continue;
    }
    const member = frame.members[frame.next];
    const child = Array.isArray(frame.out) ? member : (member as [string, unknown])[1];
    if (isContainer(child)) {
      stack.push(open(child));
      continue;
    }
    store(frame, scalarNode(child));
  }
  return finished;

  function store(frame: Frame, node: JsonNode): void {
    if (Array.isArray(frame.out)) frame.out.push(node);
    else frame.out.entries.push([(frame.members[frame.next] as [string, unknown])[0], node]);
    frame.next++;
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function scalarNode(value: unknown): JsonNode {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number") return new JsonNumber(Number.isFinite(value) ? JSON.stringify(value) : "null");
  // undefined, functions, symbols and bigints are not JSON; JSON.stringify would drop or refuse them.
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

/** Assigns an own data property, safe for keys like "__proto__". */
export function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
