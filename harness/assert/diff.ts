// Renders mismatches as a unified diff of YAML snippets — only the differing parts, inside just
// enough of their surrounding structure to find them — so a learner sees where the object differs:
//
//   --- expected
//   +++ actual
//     status:
//       conditions:
//         - type: PodScheduled
//   -       reason: Unschedulable
//   +       reason: SchedulerError
//
// Context lines start with two spaces, expected lines with "- ", actual lines with "+ ". A YAML
// comment says what cannot be written as a value: `# absent`, `# matches /re/`, `# > 3`.
import YAML from "yaml";
import { isPlainObject, type CandidateResult, type MatchAnyResult, type Mismatch, type PathSegment } from "./match.ts";

type Sign = " " | "-" | "+";

interface Line {
  readonly sign: Sign;
  readonly depth: number;
  readonly text: string;
}

interface Node {
  readonly segment: PathSegment | undefined;
  readonly children: Map<string, Node>;
  readonly leaves: Mismatch[];
}

/** The diff of a match's mismatches; "" when there are none. */
export function formatDiff(mismatches: readonly Mismatch[]): string {
  if (mismatches.length === 0) return "";
  const root = newNode(undefined);
  for (const m of mismatches) insert(root, m);
  const lines: Line[] = [];
  for (const leaf of root.leaves) renderLeaf(undefined, leaf, 0, lines);
  renderChildren(root, 0, lines);
  const body = lines.map((l) => `${l.sign === " " ? " " : l.sign} ${"  ".repeat(l.depth)}${l.text}`.trimEnd());
  return ["--- expected", "+++ actual", ...body].join("\n") + "\n";
}

function newNode(segment: PathSegment | undefined): Node {
  return { segment, children: new Map(), leaves: [] };
}

function insert(root: Node, m: Mismatch): void {
  let node = root;
  for (const segment of m.segments) {
    const id = JSON.stringify(segment);
    let child = node.children.get(id);
    if (child === undefined) {
      child = newNode(segment);
      node.children.set(id, child);
    }
    node = child;
  }
  node.leaves.push(m);
  for (const inner of m.closest?.mismatches ?? []) insert(root, inner);
}

function renderChildren(node: Node, depth: number, lines: Line[]): void {
  for (const child of node.children.values()) {
    const segment = child.segment as PathSegment;
    if (segment.kind === "field") renderField(segment.name, child, depth, lines);
    else renderElement(child, segment, depth, lines);
  }
}

function renderField(name: string, node: Node, depth: number, lines: Line[]): void {
  const listLeaves = node.leaves.filter((m) => m.reason === "no-match");
  for (const leaf of node.leaves) if (leaf.reason !== "no-match") renderLeaf(name, leaf, depth, lines);
  if (listLeaves.length === 0 && node.children.size === 0) return;
  lines.push({ sign: " ", depth, text: `${yamlKey(name)}:` });
  for (const leaf of listLeaves) renderListLeaf(leaf, depth + 1, lines);
  renderChildren(node, depth + 1, lines);
}

/** An element of a list, found by key or by index: its identifying head, then what differs in it. */
function renderElement(node: Node, segment: PathSegment, depth: number, lines: Line[]): void {
  for (const leaf of node.leaves) renderListLeaf(leaf, depth, lines);
  if (node.children.size === 0) return;
  const head = elementHead(segment);
  head.forEach((text, i) => lines.push({ sign: " ", depth, text: i === 0 ? `- ${text}` : `  ${text}` }));
  renderChildren(node, depth + 1, lines);
}

function elementHead(segment: PathSegment): string[] {
  if (segment.kind === "index") return [`# [${segment.index}]`];
  if (segment.kind !== "key") return [];
  if (segment.fields.some(([field]) => field.includes("."))) {
    return [`# ${segment.fields.map(([f, v]) => `${f}=${String(v)}`).join(", ")}`];
  }
  return segment.fields.map(([field, value]) => yamlLines({ [field]: value })[0] as string);
}

/** A missing keyed element or an unkeyed element no actual element matches. */
function renderListLeaf(leaf: Mismatch, depth: number, lines: Line[]): void {
  for (const text of yamlLines([leaf.expected])) lines.push({ sign: "-", depth, text });
  lines.push({ sign: "+", depth, text: `# ${leaf.message}` });
}

function renderLeaf(name: string | undefined, leaf: Mismatch, depth: number, lines: Line[]): void {
  if (leaf.reason === "missing-element" || leaf.reason === "no-match") return renderListLeaf(leaf, depth, lines);
  for (const text of expectedLines(name, leaf)) lines.push({ sign: "-", depth, text });
  for (const text of actualLines(name, leaf)) lines.push({ sign: "+", depth, text });
}

function expectedLines(name: string | undefined, leaf: Mismatch): string[] {
  switch (leaf.reason) {
    case "absent":
      return [comment(name, "absent")];
    case "regex":
      return [comment(name, `matches /${String(leaf.expected)}/`)];
    case "not":
      return [comment(name, `not ${flow(leaf.expected)}`)];
    case "size":
      return [comment(name, `size ${flow(leaf.expected)}`)];
    default: {
      const description = describeOperators(leaf.expected);
      return description !== undefined ? [comment(name, description)] : valueLines(name, leaf.expected);
    }
  }
}

function actualLines(name: string | undefined, leaf: Mismatch): string[] {
  if (!leaf.actualPresent) return [comment(name, "absent")];
  if (leaf.reason === "size") return [comment(name, `size ${String(leaf.actual)}`)];
  return valueLines(name, leaf.actual);
}

/** Operator-only expectations in words, e.g. `matches /^web-/, size 3`; undefined for plain values. */
function describeOperators(expected: unknown): string | undefined {
  if (!isPlainObject(expected)) return undefined;
  const entries = Object.entries(expected);
  if (entries.length === 0 || !entries.every(([k]) => k.startsWith("$") && !k.startsWith("$$"))) return undefined;
  return entries.map(([op, operand]) => describeOperator(op, operand)).join(", ");
}

function describeOperator(op: string, operand: unknown): string {
  switch (op) {
    case "$absent":
      return operand === true ? "absent" : "present";
    case "$regex":
      return `matches /${String(operand)}/`;
    case "$not":
      return `not ${flow(operand)}`;
    case "$quantity":
      return `the quantity ${String(operand)}`;
    case "$gt":
      return `> ${String(operand)}`;
    case "$gte":
      return `>= ${String(operand)}`;
    case "$lt":
      return `< ${String(operand)}`;
    case "$lte":
      return `<= ${String(operand)}`;
    case "$size":
      return `size ${flow(operand)}`;
    case "$exact":
      return `exactly ${flow(operand)}`;
    case "$all":
      return `every element ${flow(operand)}`;
    default:
      return `${op}: ${flow(operand)}`;
  }
}

function comment(name: string | undefined, text: string): string {
  return name === undefined ? `# ${text}` : `${yamlKey(name)}: # ${text}`;
}

function valueLines(name: string | undefined, value: unknown): string[] {
  return yamlLines(name === undefined ? value : { [name]: value });
}

function yamlLines(value: unknown): string[] {
  return YAML.stringify(value, { lineWidth: 0 }).replace(/\n$/, "").split("\n");
}

function flow(value: unknown): string {
  return YAML.stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
}

function yamlKey(name: string): string {
  return (yamlLines({ [name]: 0 })[0] as string).replace(/: 0$/, "");
}

// ---- several candidates ----

export interface ClosestOptions {
  /** What the candidates are, for the summary line; default "object". */
  readonly noun?: string;
  /** Candidates named in the "other candidates" line at most; default 5. */
  readonly othersShownMax?: number;
}

/**
 * A summary of matching one expectation against several objects: which matched, or which came
 * closest and its diff, and how far the others were.
 */
export function formatClosest(result: MatchAnyResult, candidates: readonly unknown[], opts: ClosestOptions = {}): string {
  const noun = opts.noun ?? "object";
  const name = (index: number): string => candidateName(candidates[index], index);
  if (candidates.length === 0) return `no ${noun} to match: there are no candidates\n`;
  if (result.ok) {
    const names = result.matching.map(name).join(", ");
    return `${result.matching.length} of ${plural(candidates.length, "candidate")} match${result.matching.length === 1 ? "es" : ""}: ${names}\n`;
  }
  const closest = result.closest as CandidateResult;
  const lines = [
    `no ${noun} matches among ${plural(candidates.length, "candidate")}; closest is ${name(closest.index)} (${plural(closest.mismatches.length, "difference")}):`,
    formatDiff(closest.mismatches).replace(/\n$/, ""),
  ];
  const others = result.candidates.filter((c) => c.index !== closest.index).sort((a, b) => a.weight - b.weight || a.index - b.index);
  const shownMax = opts.othersShownMax ?? 5;
  if (others.length > 0) {
    const shown = others.slice(0, shownMax).map((c) => `${name(c.index)} (${plural(c.mismatches.length, "difference")})`);
    const more = others.length > shownMax ? `, and ${others.length - shownMax} more` : "";
    lines.push(`other candidates: ${shown.join(", ")}${more}`);
  }
  return lines.join("\n") + "\n";
}

/** `namespace/name`, `name`, or `[index]` when the candidate has no metadata.name. */
export function candidateName(candidate: unknown, index: number): string {
  const metadata = isPlainObject(candidate) ? candidate["metadata"] : undefined;
  const name = isPlainObject(metadata) ? metadata["name"] : undefined;
  if (typeof name !== "string") return `[${index}]`;
  const namespace = isPlainObject(metadata) ? metadata["namespace"] : undefined;
  return typeof namespace === "string" && namespace !== "" ? `${namespace}/${name}` : name;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A one-line summary per mismatch (`path: message`), for logs and assertion messages. */
export function formatMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.path}: ${m.message}`).join("\n");
}
