// YAML files whose errors point at their source: the parsed document keeps node ranges, and a
// LineCounter turns offsets into 1-based line and column. A field path (as JSON Schema validators
// report it) is walked through the YAML nodes to find where that field, or its key, is written.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";

/** One problem in a file, at a line and column (1-based), with the field path it concerns. */
export class SourceError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** The field path, e.g. `spec.steps[2].eventually.within`; empty for the document itself. */
    readonly path: string,
    readonly message: string,
  ) {}

  /** `file:line:column: path: message`, as compilers print errors (editors and CI link them). */
  format(): string {
    const where = `${this.file}:${this.line}:${this.column}`;
    return this.path === "" ? `${where}: ${this.message}` : `${where}: ${this.path}: ${this.message}`;
  }
}

/** A path into a document: object keys and array indexes. */
export type FieldPath = readonly (string | number)[];

/** `spec.steps[2].eventually.within`; keys that are not identifiers are quoted: `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A YAML file parsed for validation. */
export interface YamlSource {
  file: string;
  text: string;
  lineCounter: LineCounter;
  documents: Document.Parsed[];
  /** Syntax errors of every document. */
  errors: SourceError[];
  /** Each document as plain data (undefined where it could not be converted). */
  values: unknown[];
}

/** Maximum alias expansions per document: a guard against "billion laughs" files. */
const maxAliasCount = 100;

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, text, lineCounter, documents: [], errors: [], values: [] };
  // parseAllDocuments returns an EmptyStream (no documents) for empty text.
  if (!Array.isArray(documents)) return source;
  source.documents = documents;
  for (const doc of documents) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      source.errors.push(new SourceError(file, line, col, "", firstLine(e.message)));
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (e) {
      const offset = doc.contents?.range?.[0] ?? 0;
      const { line, col } = lineCounter.linePos(offset);
      source.errors.push(new SourceError(file, line, col, "", e instanceof Error ? e.message : String(e)));
    }
    source.values.push(value);
  }
  return source;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}

/** Which part of a field to point at: its value, or the key that names it. */
export type Anchor = "value" | "key";

/**
 * Where `path` is written in document `index`: the value's start, or its key (for errors about a
 * field as a whole, such as an unknown or misplaced key). Walks as far as the path exists; a path
 * into a missing field points at the deepest existing one.
 */
export function positionOf(source: YamlSource, index: number, path: FieldPath, anchor: Anchor = "value"): { line: number; column: number } {
  const doc = source.documents[index];
  let node: Node | null | undefined = doc?.contents;
  let offset = node?.range?.[0] ?? doc?.range?.[0] ?? 0;
  let keyOffset: number | undefined;
  for (const segment of path) {
    node = resolve(node, doc);
    let next: Node | null | undefined;
    let nextKey: number | undefined;
    if (isMap(node)) {
      // The last pair of a duplicated key: it is the one the parsed value holds.
      const pair = node.items.findLast((p) => isPair(p) && keyText(p.key) === String(segment));
      if (pair === undefined) break;
      nextKey = isNodeWithRange(pair.key) ? pair.key.range[0] : undefined;
      next = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment] as Node | null | undefined;
      if (next === undefined) break;
      nextKey = undefined;
    } else {
      break;
    }
    keyOffset = nextKey;
    // An empty value (`key:`) has an empty range after the colon: point at the key instead.
    const range = next?.range;
    offset = range != null && range[1] > range[0] ? range[0] : (nextKey ?? offset);
    node = next;
  }
  const chosen = anchor === "key" && keyOffset !== undefined ? keyOffset : offset;
  const { line, col } = source.lineCounter.linePos(chosen);
  return { line, column: col };
}

/** Where the key `key` of the map at `path` is written (or the map itself when the key is absent). */
export function keyPositionOf(source: YamlSource, index: number, path: FieldPath, key: string): { line: number; column: number } {
  return positionOf(source, index, [...path, key], "key");
}

function resolve(node: Node | null | undefined, doc: Document.Parsed | undefined): Node | null | undefined {
  let current = node;
  for (let i = 0; i < 16 && isAlias(current) && doc !== undefined; i++) current = current.resolve(doc) as Node | undefined;
  return current;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function isNodeWithRange(n: unknown): n is { range: [number, number, number] } {
  return typeof n === "object" && n !== null && Array.isArray((n as { range?: unknown }).range);
}
