// The structured-merge-diff view of a kind's schema: which values are leaves, which maps and lists
// merge element by element, and how list items are identified. Derived from spec/patch's patch
// metadata with the rules kube-openapi's schemaconv (pkg/schemaconv/smd.go) applies when
// kube-apiserver builds its type converter from the built-in OpenAPI definitions:
//
// - a list's x-kubernetes-list-type wins: atomic; set (items identified by value); map (items
//   identified by x-kubernetes-list-map-keys);
// - otherwise x-kubernetes-patch-strategy "merge" (or "merge,retainKeys") makes it associative:
//   keyed by x-kubernetes-patch-merge-key when there is one (containers by name, env by name,
//   ownerReferences by uid, ...), a set of values when there is none (finalizers);
// - every other list is atomic (tolerations, args, command, ...);
// - x-kubernetes-map-type "atomic" makes a struct or map one leaf (LabelSelector, nodeSelector);
// - RawExtension is an untyped atomic value; free-form objects are "deduced" (maps merge key by
//   key, lists are atomic); int-or-string, quantities and times are untyped scalars.
//
// The 1.28 OpenAPI our metadata comes from carries no `default` values, but upstream's type
// converter is built from the Go definitions, where ContainerPort.protocol and ServicePort.protocol
// are `+default="TCP"`: structured-merge-diff uses that default when an applied port omits its
// protocol, so `k:{"containerPort":80,"protocol":"TCP"}` identifies such a port. keyDefaults holds
// those defaults.
import type { JsonValue } from "../../../spec/patch/json.ts";
import { SchemaNode } from "../../../spec/patch/schema.ts";

export type ScalarKind = "string" | "numeric" | "boolean" | "untyped";

export interface ScalarAtom {
  readonly kind: "scalar";
  readonly scalar: ScalarKind;
}

/** A struct (a map with named fields); unknown fields are not declared in the schema. */
export interface StructAtom {
  readonly kind: "struct";
  readonly typeName: string;
  readonly atomic: boolean;
  field(name: string): Atom | undefined;
  /** A field's default value, when structured-merge-diff knows one (only list-map keys matter). */
  fieldDefault(name: string): JsonValue | undefined;
}

/** A string-keyed map (labels, resource lists); granular unless atomic. */
export interface MapAtom {
  readonly kind: "map";
  readonly atomic: boolean;
  readonly values: Atom;
}

export interface ListAtom {
  readonly kind: "list";
  /** Associative lists merge item by item; atomic lists are one leaf. */
  readonly associative: boolean;
  /** The key fields of a map list; empty for a set (and for atomic lists). */
  readonly keys: readonly string[];
  readonly items: Atom;
}

/** Free-form JSON ("__untyped_deduced_"): objects merge key by key, lists and scalars are leaves. */
export interface DeducedAtom {
  readonly kind: "deduced";
}

/** Any value, always one leaf ("__untyped_atomic_", e.g. RawExtension). */
export interface UntypedAtomicAtom {
  readonly kind: "untypedAtomic";
}

export type Atom = ScalarAtom | StructAtom | MapAtom | ListAtom | DeducedAtom | UntypedAtomicAtom;

export const deducedAtom: DeducedAtom = { kind: "deduced" };
export const untypedAtomicAtom: UntypedAtomicAtom = { kind: "untypedAtomic" };

/** Defaults of list-map key fields, from the Go types' `+default` markers. */
const keyDefaults: Readonly<Record<string, Readonly<Record<string, JsonValue>>>> = {
  "io.k8s.api.core.v1.ContainerPort": { protocol: "TCP" },
  "io.k8s.api.core.v1.ServicePort": { protocol: "TCP" },
};

/** An atom from either form a caller has: a spec/patch SchemaNode, an atom, or nothing (free-form). */
export function toAtom(schema: SchemaNode | Atom | undefined): Atom {
  return schema instanceof SchemaNode ? atomOf(schema) : (schema ?? deducedAtom);
}

/** The atom of a kind's root, or a deduced root for kinds without a schema. */
export function rootAtom(schema: SchemaNode | undefined): Atom {
  return schema === undefined ? deducedAtom : atomOf(schema);
}

export function atomOf(node: SchemaNode): Atom {
  switch (node.kind) {
    case "scalar":
      return scalarAtom(node);
    case "struct":
      return structAtom(node);
    case "map": {
      const values = node.values();
      return { kind: "map", atomic: node.mapType === "atomic", values: values === undefined ? deducedAtom : atomOf(values) };
    }
    case "list":
      return listAtom(node);
  }
}

function scalarAtom(node: SchemaNode): Atom {
  switch (node.scalarType) {
    case "integer":
    case "number":
      return { kind: "scalar", scalar: "numeric" };
    case "boolean":
      return { kind: "scalar", scalar: "boolean" };
    case "object":
      return deducedAtom;
    case "int-or-string":
      return { kind: "scalar", scalar: "untyped" };
    default:
      // Our metadata types quantities and date-times as strings too, while upstream makes them
      // untyped; "string" therefore accepts any scalar (see typed.ts validation).
      return { kind: "scalar", scalar: "string" };
  }
}

function structAtom(node: SchemaNode): Atom {
  const typeName = node.typeName ?? "";
  if (node.opaque) {
    return typeName.endsWith(".RawExtension") ? untypedAtomicAtom : deducedAtom;
  }
  const cache = new Map<string, Atom | undefined>();
  const defaults = keyDefaults[typeName];
  return {
    kind: "struct",
    typeName,
    atomic: node.mapType === "atomic",
    field(name: string): Atom | undefined {
      if (cache.has(name)) return cache.get(name);
      const child = node.field(name);
      const atom = child === undefined ? undefined : atomOf(child);
      cache.set(name, atom);
      return atom;
    },
    fieldDefault(name: string): JsonValue | undefined {
      return defaults !== undefined && Object.hasOwn(defaults, name) ? defaults[name] : undefined;
    },
  };
}

function listAtom(node: SchemaNode): Atom {
  const itemNode = node.items();
  const items = itemNode === undefined ? deducedAtom : atomOf(itemNode);
  const atomic: ListAtom = { kind: "list", associative: false, keys: [], items };
  switch (node.listType) {
    case "atomic":
      return atomic;
    case "set":
      return { kind: "list", associative: true, keys: [], items };
    case "map":
      return { kind: "list", associative: true, keys: node.listMapKeys ?? [], items };
    case undefined:
      break;
  }
  const strategy = node.patchStrategy;
  if (strategy === "merge" || strategy === "merge,retainKeys") {
    const key = node.patchMergeKey;
    return { kind: "list", associative: true, keys: key === undefined ? [] : [key], items };
  }
  return atomic;
}
