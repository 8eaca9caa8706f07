// The value types a scenario is built from (durations, variables, nodes, objects, assertions), each
// as a TypeScript type and, beside it, the schema builder the compiler checks against it (see
// spec/schemas/builder.ts). format.ts assembles them into the Scenario type.
import {
  anyOf,
  array,
  boolean,
  describe,
  enumeration,
  ifHas,
  integer,
  lazy,
  named,
  number,
  object,
  openObject,
  optional,
  record,
  string,
  unknownValue,
  type Schema,
} from "../../spec/schemas/builder.ts";

// ---- scalars ------------------------------------------------------------------------------------

/** Cluster time, e.g. `500ms`, `30s`, `5m`, `1h`. */
export type Duration = string;
export const durationPattern = "^[0-9]+(ms|s|m|h)$";
export const duration: Schema<Duration> = named(
  "Duration",
  string("A span of cluster time: an integer and a unit, ms, s, m or h (`500ms`, `30s`, `5m`, `1h`).", {
    pattern: durationPattern,
    examples: ["30s", "5m"],
  }),
);

export const varNamePattern = "^[A-Za-z_][A-Za-z0-9_]*$";
/** A variable reference standing for a whole value: `$replicas` or `${replicas}`. */
export type VarRef = string;
export const varRefPattern = "^\\$(\\{[A-Za-z_][A-Za-z0-9_]*\\}|[A-Za-z_][A-Za-z0-9_]*)$";

/** An integer, or a variable holding one. */
export type IntOrVar = number | VarRef;
export const intOrVar: Schema<IntOrVar> = named(
  "IntOrVar",
  anyOf(
    "An integer, or a `$variable` that holds one.",
    [integer("An integer."), string("A variable reference such as `$replicas`.", { pattern: varRefPattern })],
    { errorMessage: "must be an integer or a $variable" },
  ),
);

export const dns1123LabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
export const dns1123SubdomainPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

export const nodeName: Schema<string> = named(
  "NodeName",
  string("The name of a node of the scenario (a DNS-1123 subdomain).", {
    pattern: dns1123SubdomainPattern,
    maxLength: 253,
    errorMessage: "must be a node name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  }),
);

/** A Kubernetes quantity: `500m`, `2`, `32Gi`. YAML may give a plain number. */
export type Quantity = string | number;
export const quantity: Schema<Quantity> = named(
  "Quantity",
  anyOf(
    "A Kubernetes resource quantity, e.g. `500m`, `2`, `32Gi`.",
    [
      string("A quantity.", {
        pattern: "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$",
      }),
      number("A plain number (YAML reads `cpu: 8` as one)."),
    ],
    { errorMessage: "must be a Kubernetes quantity such as 500m, 2 or 32Gi" },
  ),
);

export type ResourceList = Record<string, Quantity>;
export const resourceList: Schema<ResourceList> = named(
  "ResourceList",
  record(quantity, "Resources by name (`cpu`, `memory`, `pods`, `ephemeral-storage`, ...) and their quantities."),
);

export type Labels = Record<string, string>;
export const labels: Schema<Labels> = record(string("A label value."), "Labels: keys and string values.");

export { behaviorIdPattern, reference, referencePattern } from "../../spec/behaviors/catalogue.ts";

// ---- nodes --------------------------------------------------------------------------------------

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";
export const taintEffect = enumeration(
  ["NoSchedule", "PreferNoSchedule", "NoExecute"],
  "What the taint does to pods that do not tolerate it.",
);

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}
export const taint: Schema<Taint> = named(
  "Taint",
  object<Taint>("A node taint, as in Node.spec.taints.", {
    key: string("The taint key."),
    value: optional(string("The taint value.")),
    effect: taintEffect,
  }),
);

export type ConditionStatus = "True" | "False" | "Unknown";

export interface NodeCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
}
export const nodeCondition: Schema<NodeCondition> = named(
  "NodeCondition",
  object<NodeCondition>("A node condition, as in Node.status.conditions.", {
    type: string("The condition type: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable, ...", {
      examples: ["Ready", "MemoryPressure"],
    }),
    status: enumeration(["True", "False", "Unknown"], "The condition status."),
    reason: optional(string("A CamelCase reason.")),
    message: optional(string("A human-readable message.")),
  }),
);

export interface NodeSpec {
  name: string;
  capacity?: ResourceList;
  allocatable?: ResourceList;
  labels?: Labels;
  taints?: Taint[];
  conditions?: NodeCondition[];
  unschedulable?: boolean;
}
export const nodeSpec: Schema<NodeSpec> = named(
  "Node",
  object<NodeSpec>("A simulated node: a reference kubelet registers it with these properties.", {
    name: nodeName,
    capacity: optional(describe(resourceList, "Node.status.capacity (defaults to the kubelet's defaults).")),
    allocatable: optional(describe(resourceList, "Node.status.allocatable (defaults to the capacity).")),
    labels: optional(labels),
    taints: optional(array(taint, "Node.spec.taints.")),
    conditions: optional(array(nodeCondition, "Node conditions the kubelet reports (Ready=True unless set).")),
    unschedulable: optional(boolean("Node.spec.unschedulable: the node starts cordoned.")),
  }),
);

// ---- objects ------------------------------------------------------------------------------------

/** A Kubernetes object written inline: apiVersion and kind, then any fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}
export const kubeObject: Schema<KubeObject> = named(
  "KubeObject",
  openObject<KubeObject>(
    "A Kubernetes object, as in a manifest; validated by the API server when the step runs.",
    {
      apiVersion: string("The object's apiVersion, e.g. `v1` or `apps/v1`."),
      kind: string("The object's kind, e.g. `Pod`."),
      metadata: optional(record(unknownValue("A metadata field."), "The object's metadata (name, namespace, labels, ...).")),
    },
    unknownValue("Any other field of the object."),
  ),
);

/** A manifest file, relative to the scenario file; it may hold several YAML documents. */
export interface FileRef {
  file: string;
}
export const fileRef: Schema<FileRef> = named(
  "FileRef",
  object<FileRef>("A manifest file.", {
    file: string("A YAML file relative to the scenario file; it may hold several documents separated by `---`.", {
      minLength: 1,
    }),
  }),
);

/** An initial object: inline, or the objects of a file. */
export type ObjectSource = FileRef | KubeObject;
export const objectSource: Schema<ObjectSource> = ifHas(
  "file",
  fileRef,
  kubeObject,
  "An object created before the first step: inline, or `file:` for the objects of a manifest file.",
);

/** One object, by kind and name. */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
}
export const objectRefProperties = {
  apiVersion: optional(string("The apiVersion, when the kind alone is ambiguous (e.g. `events.k8s.io/v1`).")),
  kind: string("The object's kind, e.g. `Deployment`."),
  name: string("The object's name (may use `$variables`)."),
  namespace: optional(string("The namespace; the scenario's namespace when omitted (ignored for cluster-scoped kinds).")),
};

// ---- assertions ---------------------------------------------------------------------------------

/**
 * A partial object: the fields given must match, the others are ignored. Lists are matched by key,
 * not position (containers by name, conditions by type — the patch merge key — or `listKeys`).
 */
export interface ObjectMatch {
  apiVersion?: string;
  kind: string;
  /** Without a name, any object of the kind (and namespace) may match; `count` counts the matches. */
  name?: string;
  namespace?: string;
  [field: string]: unknown;
}
export const objectMatch: Schema<ObjectMatch> = named(
  "ObjectMatch",
  openObject<ObjectMatch>(
    "A partial object: kind, optionally name and namespace, then any fields that must match (unspecified fields are ignored; list items are matched by key — containers by name, conditions by type — not by position).",
    {
      apiVersion: optional(string("The apiVersion, when the kind alone is ambiguous.")),
      kind: string("The kind of the object(s) to match."),
      name: optional(string("The object's name; without it any object of the kind may match.")),
      namespace: optional(string("The namespace; the scenario's namespace when omitted; `*` for every namespace.")),
    },
    unknownValue("A field of the object, matched partially."),
  ),
);

/** How many objects must match: exactly a number, or a range. */
export type CountBound = IntOrVar | { min?: IntOrVar; max?: IntOrVar };
export const countBound: Schema<CountBound> = anyOf(
  "How many objects must match `match`: an exact number, or `{min, max}`.",
  [
    intOrVar,
    object<{ min?: IntOrVar; max?: IntOrVar }>("A range of counts.", {
      min: optional(describe(intOrVar, "At least this many.")),
      max: optional(describe(intOrVar, "At most this many.")),
    }),
  ],
  { errorMessage: "must be a count (an integer or $variable) or {min, max}" },
);

export interface Assertion {
  /** A partial object that must match. */
  match?: ObjectMatch;
  /** A CEL expression over the cluster's objects that must be true. */
  cel?: string;
  /** With `match`: how many objects must match. */
  count?: CountBound;
  /** Holds when the inner assertion does not. */
  not?: Assertion;
  /** Key fields for lists without a merge key: list path (e.g. `status.addresses`) → key field. */
  listKeys?: Record<string, string>;
  /** With `match`: variables set from fields of the matched object, e.g. `{uid: metadata.uid}`. */
  bind?: Record<string, string>;
}
export const assertionProperties = {
  match: optional(objectMatch),
  cel: optional(
    string(
      "A CEL expression over the cluster's objects that must evaluate to true. Each resource is a list named by its plural (`pods`, `nodes`, `deployments`, ...); Kubernetes CEL extensions (quantity, ...) are available.",
      { minLength: 1, examples: ["pods.all(p, p.spec.nodeName != 'gpu-1')"] },
    ),
  ),
  count: optional(countBound),
  not: optional(lazy<Assertion>("Assertion", "Negation: holds when this assertion does not.", () => assertion)),
  listKeys: optional(
    record(string("The key field."), "For lists that have no merge key: list path (e.g. `status.addresses`) → key field (e.g. `type`)."),
  ),
  bind: optional(
    record(
      string("A field path in the matched object, e.g. `metadata.resourceVersion`."),
      "Sets variables from the matched object (one object: give `match.name`), for later steps: variable name → field path.",
      { keyPattern: varNamePattern },
    ),
  ),
};
export const assertionOptions = {
  atLeastOne: ["match", "cel", "not"] as const,
  dependencies: { count: ["match"], bind: ["match"] } as const,
};
export const assertion: Schema<Assertion> = named(
  "Assertion",
  object<Assertion>(
    "A condition on the cluster's objects: a partial object `match` (with an optional `count`), a `cel` expression, or `not` of another assertion.",
    assertionProperties,
    assertionOptions,
  ),
);

/** Variables a scenario defines for itself or per matrix case. */
export const vars: Schema<Record<string, unknown>> = record(
  unknownValue("The value; `$name` or `${name}` in a later string stands for it."),
  "Variables: name → value. A string value `$name` (or `${name}` inside a longer string) is replaced by the value; `$$` is a literal `$`.",
  { keyPattern: varNamePattern },
);
