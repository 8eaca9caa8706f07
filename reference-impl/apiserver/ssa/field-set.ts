// A set of field paths (fieldpath.Set) and its fieldsV1 encoding, the value of
// metadata.managedFields[].fieldsV1. A set is a trie: `members` are path elements that are in the
// set themselves, `children` lead to deeper members. A node can be both (a map-list item that a
// manager owns and whose fields it owns too); fieldsV1 marks that with a "." key.
//
// FieldSet is immutable; build one with FieldSetBuilder or FieldSet.fromPaths.
import type { JsonObject } from "../../../spec/patch/json.ts";
import { isJsonObject, setOwn } from "../../../spec/patch/json.ts";
import {
  comparePathElements,
  deserializePathElement,
  pathElementsEqual,
  pathToString,
  serializePathElement,
  UnknownPathElementTypeError,
  type Path,
  type PathElement,
} from "./path.ts";

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

/** Index of `pe` in a sorted array, or -(insertion point) - 1 when absent. */
function search<T>(items: readonly T[], pe: PathElement, key: (item: T) => PathElement): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = comparePathElements(key(items[mid] as T), pe);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

const self = (pe: PathElement): PathElement => pe;
const childKey = (c: Child): PathElement => c.pe;

export class FieldSet {
  static readonly empty = new FieldSet([], []);

  private constructor(
    /** Sorted by comparePathElements. */
    private readonly members: readonly PathElement[],
    /** Sorted by pe; every child set is non-empty. */
    private readonly children: readonly Child[],
  ) {}

  /** @internal Used by FieldSetBuilder. */
  static create(members: readonly PathElement[], children: readonly Child[]): FieldSet {
    return members.length === 0 && children.length === 0 ? FieldSet.empty : new FieldSet(members, children);
  }

  static fromPaths(paths: Iterable<Path>): FieldSet {
    const builder = new FieldSetBuilder();
    for (const p of paths) builder.insert(p);
    return builder.build();
  }

  isEmpty(): boolean {
    return this.members.length === 0 && this.children.every((c) => c.set.isEmpty());
  }

  /** Number of paths in the set. */
  get size(): number {
    return this.members.length + this.children.reduce((n, c) => n + c.set.size, 0);
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const [head, ...rest] = path as [PathElement, ...PathElement[]];
    if (rest.length === 0) return search(this.members, head, self) >= 0;
    const i = search(this.children, head, childKey);
    return i >= 0 && (this.children[i] as Child).set.has(rest);
  }

  /** The subset of paths under `pe`, without the prefix (Set.WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    const i = search(this.children, pe, childKey);
    return i >= 0 ? (this.children[i] as Child).set : FieldSet.empty;
  }

  /** Whether `pe` is a member (not merely a prefix of members). */
  hasMember(pe: PathElement): boolean {
    return search(this.members, pe, self) >= 0;
  }

  /** The child elements that lead to deeper members. */
  childElements(): PathElement[] {
    return this.children.map((c) => c.pe);
  }

  memberElements(): PathElement[] {
    return [...this.members];
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.create(
      mergeSorted(this.members, other.members, self, (a) => a),
      mergeSorted(this.children, other.children, childKey, (a, b) => ({ pe: a.pe, set: a.set.union(b.set) })),
    );
  }

  /** Leaf paths in both sets (Set.Intersection). */
  intersection(other: FieldSet): FieldSet {
    const members = this.members.filter((m) => other.hasMember(m));
    const children: Child[] = [];
    for (const c of this.children) {
      const j = search(other.children, c.pe, childKey);
      if (j < 0) continue;
      const both = c.set.intersection((other.children[j] as Child).set);
      if (!both.isEmpty()) children.push({ pe: c.pe, set: both });
    }
    return FieldSet.create(members, children);
  }

  /** Set.Difference: parent − child = parent; child − parent = child (not recursive). */
  difference(other: FieldSet): FieldSet {
    const members = this.members.filter((m) => !other.hasMember(m));
    const children: Child[] = [];
    for (const c of this.children) {
      const j = search(other.children, c.pe, childKey);
      if (j < 0) {
        children.push(c);
        continue;
      }
      const rest = c.set.difference((other.children[j] as Child).set);
      if (!rest.isEmpty()) children.push({ pe: c.pe, set: rest });
    }
    return FieldSet.create(members, children);
  }

  /** Set.RecursiveDifference: removes every path of `other` and everything beneath it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const members = this.members.filter((m) => !other.hasMember(m));
    const children: Child[] = [];
    for (const c of this.children) {
      if (other.hasMember(c.pe)) continue;
      const j = search(other.children, c.pe, childKey);
      if (j < 0) {
        children.push(c);
        continue;
      }
      const rest = c.set.recursiveDifference((other.children[j] as Child).set);
      if (!rest.isEmpty()) children.push({ pe: c.pe, set: rest });
    }
    return FieldSet.create(members, children);
  }

  /** Set.Leaves: only the paths that have no deeper members. */
  leaves(): FieldSet {
    const members = this.members.filter((m) => search(this.children, m, childKey) < 0);
    return FieldSet.create(
      members,
      this.children.map((c) => ({ pe: c.pe, set: c.set.leaves() })).filter((c) => !c.set.isEmpty()),
    );
  }

  equals(other: FieldSet): boolean {
    return (
      this.members.length === other.members.length &&
      this.children.length === other.children.length &&
      this.members.every((m, i) => pathElementsEqual(m, other.members[i] as PathElement)) &&
      this.children.every((c, i) => {
        const o = other.children[i] as Child;
        return pathElementsEqual(c.pe, o.pe) && c.set.equals(o.set);
      })
    );
  }

  /** Every path, in upstream's iteration order: a node's members, then each child's paths. */
  paths(): Path[] {
    const out: Path[] = [];
    this.collect([], out);
    return out;
  }

  private collect(prefix: PathElement[], out: Path[]): void {
    for (const m of this.members) out.push([...prefix, m]);
    for (const c of this.children) c.set.collect([...prefix, c.pe], out);
  }

  /** Set.String: one printed path per line. */
  toString(): string {
    return this.paths().map(pathToString).join("\n");
  }

  /** The fieldsV1 JSON object (Set.ToJSON): keys in path order, "." first where a node is a member. */
  toFieldsV1(): JsonObject {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): JsonObject {
    const out: JsonObject = {};
    if (includeSelf && (this.members.length > 0 || this.children.length > 0)) setOwn(out, ".", {});
    let mi = 0;
    let ci = 0;
    while (mi < this.members.length || ci < this.children.length) {
      const m = this.members[mi];
      const c = this.children[ci];
      const order = m === undefined ? 1 : c === undefined ? -1 : comparePathElements(m, c.pe);
      if (order < 0) {
        setOwn(out, serializePathElement(m as PathElement), {});
        mi++;
      } else {
        const child = c as Child;
        setOwn(out, serializePathElement(child.pe), child.set.emit(order === 0));
        if (order === 0) mi++;
        ci++;
      }
    }
    return out;
  }

  /**
   * Set.FromJSON for a parsed fieldsV1 value. Keys of unknown element types are dropped, as
   * upstream does; anything else malformed throws FieldsV1Error.
   */
  static fromFieldsV1(fields: unknown): FieldSet {
    if (fields === null || fields === undefined) return FieldSet.empty;
    if (!isJsonObject(fields)) throw new FieldsV1Error("fieldsV1 must be a JSON object");
    return readNode(fields, 0).children ?? FieldSet.empty;
  }
}

/** Deeper fieldsV1 documents are rejected; real objects are far shallower. */
const maxFieldsV1Depth = 100;

export class FieldsV1Error extends Error {
  override readonly name = "FieldsV1Error";
}

function readNode(node: unknown, depth: number): { children: FieldSet | undefined; isMember: boolean } {
  if (depth > maxFieldsV1Depth) throw new FieldsV1Error("fieldsV1 is nested too deeply");
  if (node === null) return { children: undefined, isMember: true };
  if (!isJsonObject(node)) throw new FieldsV1Error("parsing key as path element: expected an object");
  const builder = new FieldSetBuilder();
  let isMember = false;
  let any = false;
  for (const [key, value] of Object.entries(node)) {
    if (key === ".") {
      isMember = true;
      continue;
    }
    let pe: PathElement;
    try {
      pe = deserializePathElement(key);
    } catch (err) {
      if (err instanceof UnknownPathElementTypeError) continue;
      throw new FieldsV1Error(`parsing key as path element: ${(err as Error).message}`);
    }
    const child = readNode(value, depth + 1);
    if (child.isMember) {
      builder.insert([pe]);
      any = true;
    }
    if (child.children !== undefined) {
      builder.insertSet(pe, child.children);
      any = true;
    }
  }
  if (!any) return { children: undefined, isMember: true };
  return { children: builder.build(), isMember };
}

function mergeSorted<T>(
  a: readonly T[],
  b: readonly T[],
  key: (item: T) => PathElement,
  both: (x: T, y: T) => T,
): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as T;
    const y = b[j] as T;
    const c = comparePathElements(key(x), key(y));
    if (c < 0) {
      out.push(x);
      i++;
    } else if (c > 0) {
      out.push(y);
      j++;
    } else {
      out.push(both(x, y));
      i++;
      j++;
    }
  }
  for (; i < a.length; i++) out.push(a[i] as T);
  for (; j < b.length; j++) out.push(b[j] as T);
  return out;
}

/** Collects paths into a FieldSet (Set.Insert); the parents of a path are not added. */
export class FieldSetBuilder {
  private readonly members: PathElement[] = [];
  private readonly children: { pe: PathElement; builder: FieldSetBuilder }[] = [];

  insert(path: Path): this {
    if (path.length === 0) return this; // nobody owns the whole object
    const [head, ...rest] = path as [PathElement, ...PathElement[]];
    if (rest.length === 0) {
      const i = search(this.members, head, self);
      if (i < 0) this.members.splice(-i - 1, 0, head);
      return this;
    }
    this.descend(head).insert(rest);
    return this;
  }

  /** Adds every path of `set` under `pe`. */
  insertSet(pe: PathElement, set: FieldSet): this {
    for (const p of set.paths()) this.descend(pe).insert(p);
    return this;
  }

  private descend(pe: PathElement): FieldSetBuilder {
    const i = search(this.children, pe, (c) => c.pe);
    if (i >= 0) return (this.children[i] as { builder: FieldSetBuilder }).builder;
    const builder = new FieldSetBuilder();
    this.children.splice(-i - 1, 0, { pe, builder });
    return builder;
  }

  build(): FieldSet {
    const children = this.children
      .map((c) => ({ pe: c.pe, set: c.builder.build() }))
      .filter((c) => !c.set.isEmpty());
    return FieldSet.create([...this.members], children);
  }
}
