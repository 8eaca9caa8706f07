// Scenario steps. A step is a YAML mapping with exactly one kind key (`apply:`, `eventually:`,
// `kill:`, ...) whose value holds that kind's options, plus optional `name` and `description`.
// `StepKinds` is the table of kinds and their option types; `stepKindsSchema` mirrors it for the
// JSON Schema (the compiler checks the two agree).
import {
  array,
  boolean,
  describe,
  enumeration,
  integer,
  keyed,
  lazy,
  named,
  nullValue,
  object,
  optional,
  record,
  string,
  unknownValue,
  anyOf,
  type Keyed,
  type Properties,
  type Schema,
} from "../../spec/schemas/builder.ts";
import {
  assertionOptions,
  assertionProperties,
  duration,
  intOrVar,
  kubeObject,
  nodeCondition,
  nodeName,
  nodeSpec,
  objectRefProperties,
  resourceList,
  taintEffect,
  varNamePattern,
  type Assertion,
  type Duration,
  type IntOrVar,
  type KubeObject,
  type NodeCondition,
  type NodeSpec,
  type ObjectRef,
  type ResourceList,
  type TaintEffect,
} from "./format-values.ts";

// ---- API steps ----------------------------------------------------------------------------------

/** Where a step's objects come from: exactly one of these. */
export interface ManifestSource {
  file?: string;
  object?: KubeObject;
  objects?: KubeObject[];
  yaml?: string;
}
const manifestSourceProperties: Properties<ManifestSource> = {
  file: optional(string("A manifest file relative to the scenario file; several documents are applied in order.", { minLength: 1 })),
  object: optional(describe(kubeObject, "One object, inline.")),
  objects: optional(array(kubeObject, "Several objects, inline, in order.", { minItems: 1 })),
  yaml: optional(string("Inline YAML text; several documents separated by `---`.", { minLength: 1 })),
};
const manifestSourceKeys = ["file", "object", "objects", "yaml"] as const;

/** An expected API error: the step passes only if the request fails this way. */
export interface ApiErrorExpectation {
  code?: number;
  reason?: string;
  message?: string;
}
export const apiErrorExpectation: Schema<ApiErrorExpectation> = named(
  "ApiErrorExpectation",
  object<ApiErrorExpectation>(
    "The request must fail with this Status: the fields given must match.",
    {
      code: optional(integer("The HTTP status code, e.g. 409.", { minimum: 100, maximum: 599 })),
      reason: optional(string("The Status reason, e.g. `Conflict`, `AlreadyExists`, `Invalid`, `Expired`.")),
      message: optional(string("Text the Status message must contain.")),
    },
    { minProperties: 1 },
  ),
);

export interface WriteOptions {
  namespace?: string;
  dryRun?: boolean;
  expectError?: ApiErrorExpectation;
  bind?: Record<string, string>;
}
const writeProperties: Properties<WriteOptions> = {
  namespace: optional(string("The namespace for objects that do not name one; the scenario's namespace when omitted.")),
  dryRun: optional(boolean("Send `dryRun=All`: validated and admitted, not stored.")),
  expectError: optional(apiErrorExpectation),
  bind: optional(
    record(
      string("A field path in the object the server returned, e.g. `metadata.resourceVersion`."),
      "Sets variables from the object the step wrote (the step must write one object): variable name → field path.",
      { keyPattern: varNamePattern },
    ),
  ),
};

export interface ApplyOptions extends ManifestSource, WriteOptions {
  serverSide?: boolean;
  fieldManager?: string;
  force?: boolean;
}
const applyOptions = object<ApplyOptions>(
  "Create or update objects as `kubectl apply` does (client-side by default).",
  {
    ...manifestSourceProperties,
    ...writeProperties,
    serverSide: optional(boolean("Server-side apply (an apply patch) instead of client-side apply.")),
    fieldManager: optional(string("The field manager name.")),
    force: optional(boolean("Server-side apply: take ownership of conflicting fields.")),
  },
  { exactlyOne: manifestSourceKeys },
);

export type CreateOptions = ManifestSource & WriteOptions;
const createOptions = object<CreateOptions>(
  "Create objects (POST); fails if one exists.",
  { ...manifestSourceProperties, ...writeProperties },
  { exactlyOne: manifestSourceKeys },
);

export interface UpdateOptions extends ManifestSource, WriteOptions {
  subresource?: "status" | "scale";
}
const updateOptions = object<UpdateOptions>(
  "Replace objects (PUT). A metadata.resourceVersion in the object makes the update conditional.",
  {
    ...manifestSourceProperties,
    ...writeProperties,
    subresource: optional(enumeration(["status", "scale"], "Write this subresource instead of the main resource.")),
  },
  { exactlyOne: manifestSourceKeys },
);

export type PatchType = "strategic" | "merge" | "json" | "apply";
export interface PatchOptions extends ObjectRef, WriteOptions {
  type?: PatchType;
  patch: unknown;
  subresource?: "status" | "scale";
}
const patchOptions = object<PatchOptions>("Patch one object.", {
  ...objectRefProperties,
  ...writeProperties,
  type: optional(
    enumeration(["strategic", "merge", "json", "apply"], "The patch type; `strategic` (strategic merge patch) when omitted."),
  ),
  patch: unknownValue("The patch: an object (strategic, merge, apply) or a list of operations (json)."),
  subresource: optional(enumeration(["status", "scale"], "Patch this subresource.")),
});

export type PropagationPolicy = "Foreground" | "Background" | "Orphan";
export interface DeleteOptions {
  apiVersion?: string;
  kind: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  expectError?: ApiErrorExpectation;
}
const deleteOptions = object<DeleteOptions>(
  "Delete one object by name, or every object of the kind matching `labelSelector`.",
  {
    apiVersion: objectRefProperties.apiVersion,
    kind: objectRefProperties.kind,
    name: optional(string("The object's name.")),
    namespace: objectRefProperties.namespace,
    labelSelector: optional(string("Delete every object of the kind that matches this label selector, e.g. `app=web`.")),
    gracePeriodSeconds: optional(integer("DeleteOptions.gracePeriodSeconds; 0 deletes at once.", { minimum: 0 })),
    propagationPolicy: optional(
      enumeration(["Foreground", "Background", "Orphan"], "DeleteOptions.propagationPolicy: what happens to dependents."),
    ),
    expectError: optional(apiErrorExpectation),
  },
  { exactlyOne: ["name", "labelSelector"] },
);

export interface ScaleOptions extends ObjectRef {
  replicas: IntOrVar;
  expectError?: ApiErrorExpectation;
}
const scaleOptions = object<ScaleOptions>("Set the replicas of a scalable object through its scale subresource.", {
  ...objectRefProperties,
  replicas: describe(intOrVar, "The new replica count."),
  expectError: optional(apiErrorExpectation),
});

// ---- expectations -------------------------------------------------------------------------------

export interface ExpectOptions extends Assertion {
  message?: string;
}
const messageProperty = optional(string("What the expectation means, shown when it fails."));

const expectOptions = object<ExpectOptions>(
  "The assertion must hold now.",
  { ...assertionProperties, message: messageProperty },
  assertionOptions,
);

export interface EventuallyOptions extends ExpectOptions {
  within: Duration;
}
const eventuallyOptions = object<EventuallyOptions>(
  "The assertion must hold within a deadline of cluster time (in simulation it is checked after every event).",
  { ...assertionProperties, message: messageProperty, within: describe(duration, "The deadline, in cluster time.") },
  assertionOptions,
);

export interface WindowOptions extends ExpectOptions {
  for: Duration;
}
const consistentlyOptions = object<WindowOptions>(
  "The assertion must hold now and at every event during a window of cluster time.",
  { ...assertionProperties, message: messageProperty, for: describe(duration, "The window, in cluster time.") },
  assertionOptions,
);
const neverOptions = object<WindowOptions>(
  "The assertion must not hold at any event during a window of cluster time.",
  { ...assertionProperties, message: messageProperty, for: describe(duration, "The window, in cluster time.") },
  assertionOptions,
);

// ---- nodes --------------------------------------------------------------------------------------

export interface DrainOptions {
  node: string;
  gracePeriodSeconds?: number;
  ignoreDaemonSets?: boolean;
  deleteEmptyDirData?: boolean;
  force?: boolean;
  timeout?: Duration;
}
const drainOptions = object<DrainOptions>(
  "Cordon a node and evict its pods as `kubectl drain` does (the eviction API, so PodDisruptionBudgets apply).",
  {
    node: nodeName,
    gracePeriodSeconds: optional(integer("Grace period for the evicted pods.", { minimum: 0 })),
    ignoreDaemonSets: optional(boolean("Skip DaemonSet-managed pods.")),
    deleteEmptyDirData: optional(boolean("Evict pods with emptyDir volumes too.")),
    force: optional(boolean("Delete pods that no controller manages.")),
    timeout: optional(describe(duration, "Give up after this long.")),
  },
);

export interface TaintOptions {
  node: string;
  key: string;
  value?: string;
  effect: TaintEffect;
}
const taintOptions = object<TaintOptions>("Add (or replace) a taint on a node, as `kubectl taint`.", {
  node: nodeName,
  key: string("The taint key."),
  value: optional(string("The taint value.")),
  effect: taintEffect,
});

export interface UntaintOptions {
  node: string;
  key: string;
  effect?: TaintEffect;
}
const untaintOptions = object<UntaintOptions>("Remove a node's taints with this key (and effect, if given).", {
  node: nodeName,
  key: string("The taint key."),
  effect: optional(taintEffect),
});

export interface LabelOptions {
  node: string;
  labels: Record<string, string | null>;
}
const labelOptions = object<LabelOptions>("Set or remove node labels.", {
  node: nodeName,
  labels: record(
    anyOf("A label value, or null to remove the label.", [string("The value."), nullValue("Remove the label.")], {
      errorMessage: "must be a string, or null to remove the label",
    }),
    "Label key → value; null removes the label.",
    { minProperties: 1 },
  ),
});

export interface SetConditionsOptions {
  node: string;
  conditions: NodeCondition[];
}
const setConditionsOptions = object<SetConditionsOptions>(
  "Make the node's kubelet report these conditions (the others stay as they are).",
  { node: nodeName, conditions: array(nodeCondition, "The conditions to report.", { minItems: 1 }) },
);

export interface SetResourceUsageOptions {
  node: string;
  usage: ResourceList;
}
const setResourceUsageOptions = object<SetResourceUsageOptions>(
  "Set what the node's resources are used for besides pods (drives node-pressure eviction).",
  { node: nodeName, usage: describe(resourceList, "Usage by resource: `memory`, `ephemeral-storage`, `pid`, ...") },
);

// ---- network and logs ---------------------------------------------------------------------------

export interface TextMatch {
  contains?: string[];
  notContains?: string[];
  matches?: string;
}
const textMatchProperties: Properties<TextMatch> = {
  contains: optional(array(string("Text."), "Texts the output must contain.")),
  notContains: optional(array(string("Text."), "Texts the output must not contain.")),
  matches: optional(string("A regular expression (JavaScript syntax) the output must match.")),
};
export const textMatch: Schema<TextMatch> = named("TextMatch", object<TextMatch>("Expectations on a text.", textMatchProperties));

export type DnsRecordType = "A" | "AAAA" | "SRV" | "PTR" | "CNAME" | "TXT";
export interface DnsOptions {
  query: string;
  type?: DnsRecordType;
  from?: string;
  expect: {
    rcode?: "NOERROR" | "NXDOMAIN" | "SERVFAIL" | "REFUSED";
    answers?: string[];
    contains?: string[];
  };
}
const dnsOptions = object<DnsOptions>("Ask the cluster DNS a question and check the answer.", {
  query: string("The name to look up, e.g. `echoserver.default.svc.cluster.local`."),
  type: optional(enumeration(["A", "AAAA", "SRV", "PTR", "CNAME", "TXT"], "The record type; A when omitted.")),
  from: optional(string("Ask as this pod (`namespace/name` or `name`), so its DNS search path applies.")),
  expect: object<DnsOptions["expect"]>("The expected answer.", {
    rcode: optional(enumeration(["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED"], "The response code.")),
    answers: optional(array(string("An answer's data, e.g. an IP address."), "Exactly these answers, in any order.")),
    contains: optional(array(string("An answer's data."), "At least these answers.")),
  }),
});

export interface ConnectOptions {
  from?: string;
  to: string;
  protocol?: "TCP" | "UDP";
  attempts?: number;
  expect: { servedBy?: string[]; refused?: boolean };
}
const connectOptions = object<ConnectOptions>("Open connections through the service routing and see which backend answers.", {
  from: optional(string("Connect from this pod (`namespace/name` or `name`); from a node when omitted.")),
  to: string("Where to connect: `host:port`, e.g. `echoserver.default.svc.cluster.local:80` or `node-1:30080`."),
  protocol: optional(enumeration(["TCP", "UDP"], "The protocol; TCP when omitted.")),
  attempts: optional(integer("How many connections to open.", { minimum: 1, maximum: 1000 })),
  expect: object<ConnectOptions["expect"]>("What must answer.", {
    servedBy: optional(array(string("A pod name."), "Every connection is answered by one of these pods.", { minItems: 1 })),
    refused: optional(boolean("Every connection is refused.")),
  }),
});

export interface LogsOptions {
  pod: string;
  namespace?: string;
  container?: string;
  previous?: boolean;
  within?: Duration;
  expect: TextMatch;
}
const logsOptions = object<LogsOptions>("Read a container's log and check it.", {
  pod: string("The pod's name."),
  namespace: optional(string("The pod's namespace.")),
  container: optional(string("The container; the only one when omitted.")),
  previous: optional(boolean("The previous (terminated) instance's log.")),
  within: optional(describe(duration, "Retry until the expectations hold, for at most this long.")),
  expect: textMatch,
});

// ---- faults -------------------------------------------------------------------------------------

export const componentNames = ["store", "apiserver", "scheduler", "controller-manager", "kubelet", "proxy", "dns"] as const;
export type ComponentName = (typeof componentNames)[number];
export const faultKinds = ["kill", "restart", "pause", "resume", "partition"] as const;
export type FaultKind = (typeof faultKinds)[number];

/** A component instance: `apiserver`, `scheduler`, or per node `kubelet/node-1`, `proxy/node-1`. */
export type ComponentRef = string;
export const componentRef: Schema<ComponentRef> = named(
  "ComponentRef",
  string(
    "A component: `store`, `apiserver`, `scheduler`, `controller-manager`, `dns`, or `kubelet/<node>`, `proxy/<node>` (all of them without `/<node>`).",
    {
      pattern: "^(store|apiserver|scheduler|controller-manager|dns|kubelet|proxy)(/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
      errorMessage: "must be a component: store, apiserver, scheduler, controller-manager, dns, kubelet[/node] or proxy[/node]",
      examples: ["apiserver", "kubelet/node-1"],
    },
  ),
);

export interface PartitionOptions {
  name?: string;
  between: ComponentRef[][];
  oneWay?: boolean;
}
const partitionOptions = object<PartitionOptions>("Cut the network between two groups of components.", {
  name: optional(string("A name to `heal` this partition by.")),
  between: array(array(componentRef, "One side.", { minItems: 1 }), "The two sides.", { minItems: 2, maxItems: 2 }),
  oneWay: optional(boolean("Drop traffic from the first side to the second only.")),
});

// ---- kubectl ------------------------------------------------------------------------------------

export interface KubectlExpectation extends TextMatch {
  exitCode?: IntOrVar;
  stderr?: TextMatch;
  rows?: Record<string, string>[];
  rowCount?: IntOrVar;
}
const kubectlExpectation = object<KubectlExpectation>(
  "What kubectl must do: exit code (0 when omitted), and expectations on its output.",
  {
    ...textMatchProperties,
    exitCode: optional(describe(intOrVar, "The exit code; 0 when omitted.")),
    stderr: optional(describe(textMatch, "Expectations on standard error.")),
    rows: optional(
      array(
        record(string("The cell's text."), "A row: column header (as printed, e.g. `READY`) → cell text; other columns are ignored."),
        "Rows of the printed table that must be present, in any order.",
      ),
    ),
    rowCount: optional(describe(intOrVar, "The number of rows of the printed table (headers excluded).")),
  },
);

export interface KubectlOptions {
  args: string | string[];
  stdin?: string;
  within?: Duration;
  expect?: KubectlExpectation;
}
const kubectlOptions = object<KubectlOptions>(
  "Run the real kubectl against the cluster, in the scenario file's folder (so `-f manifests/x.yaml` works).",
  {
    args: anyOf(
      "The arguments, as typed after `kubectl` (split like a shell, quotes respected), or a list.",
      [string("The arguments as one line.", { minLength: 1 }), array(string("One argument."), "The arguments.", { minItems: 1 })],
      { errorMessage: "must be the arguments as one string, or a list of strings" },
    ),
    stdin: optional(string("Standard input, e.g. a manifest for `apply -f -`.")),
    within: optional(describe(duration, "Retry until the expectations hold, for at most this long.")),
    expect: optional(kubectlExpectation),
  },
);

// ---- the step table -----------------------------------------------------------------------------

/** Every step kind and its options. */
export interface StepKinds {
  apply: ApplyOptions;
  create: CreateOptions;
  update: UpdateOptions;
  patch: PatchOptions;
  delete: DeleteOptions;
  scale: ScaleOptions;
  advance: Duration;
  wait: Duration;
  expect: ExpectOptions;
  eventually: EventuallyOptions;
  consistently: WindowOptions;
  never: WindowOptions;
  addNode: NodeSpec;
  removeNode: string;
  cordon: string;
  uncordon: string;
  drain: DrainOptions;
  taint: TaintOptions;
  untaint: UntaintOptions;
  label: LabelOptions;
  setConditions: SetConditionsOptions;
  setResourceUsage: SetResourceUsageOptions;
  dns: DnsOptions;
  connect: ConnectOptions;
  logs: LogsOptions;
  kill: ComponentRef;
  restart: ComponentRef;
  pause: ComponentRef;
  resume: ComponentRef;
  partition: PartitionOptions;
  heal: string;
  kubectl: KubectlOptions;
  try: Step[];
}
export type StepKind = keyof StepKinds;

/** Fields any step may have beside its kind. */
export interface StepCommon {
  name?: string;
  description?: string;
}

/** Fields allowed only beside one kind. */
export interface StepExtras {
  try: { catch?: Step[]; finally?: Step[] };
}

export type Step = Keyed<StepKinds, StepCommon, StepExtras>;

const steps = (description: string) =>
  array(
    lazy<Step>("Step", "A step.", () => step),
    description,
  );

const stepKindsSchema: Properties<StepKinds> = {
  apply: applyOptions,
  create: createOptions,
  update: updateOptions,
  patch: patchOptions,
  delete: deleteOptions,
  scale: scaleOptions,
  advance: describe(duration, "Advance virtual time by this much (needs a target with virtual time)."),
  wait: describe(duration, "Let this much cluster time pass (virtual or real)."),
  expect: expectOptions,
  eventually: eventuallyOptions,
  consistently: consistentlyOptions,
  never: neverOptions,
  addNode: describe(nodeSpec, "Add a node: start a kubelet that registers it."),
  removeNode: describe(nodeName, "Remove a node: stop its kubelet and delete the Node object."),
  cordon: describe(nodeName, "Mark a node unschedulable, as `kubectl cordon`."),
  uncordon: describe(nodeName, "Mark a node schedulable again, as `kubectl uncordon`."),
  drain: drainOptions,
  taint: taintOptions,
  untaint: untaintOptions,
  label: labelOptions,
  setConditions: setConditionsOptions,
  setResourceUsage: setResourceUsageOptions,
  dns: dnsOptions,
  connect: connectOptions,
  logs: logsOptions,
  kill: describe(componentRef, "Kill a component at once (SIGKILL): it loses everything it had not made durable."),
  restart: describe(componentRef, "Stop a component gracefully and start it again."),
  pause: describe(componentRef, "Freeze a component (SIGSTOP): it keeps its state and stops answering."),
  resume: describe(componentRef, "Unfreeze a paused component (SIGCONT)."),
  partition: partitionOptions,
  heal: string("Heal the partition with this name, or `all`.", { minLength: 1, examples: ["all"] }),
  kubectl: kubectlOptions,
  try: steps("Steps to run; if one fails, `catch` runs (to collect diagnostics) and the scenario still fails."),
};

/** The step kinds, in the order the schema lists them. */
export const stepKinds = Object.keys(stepKindsSchema) as StepKind[];
export const stepCommonFields = ["name", "description"] as const;
export const stepExtraFields = { catch: "try", finally: "try" } as const;

export const step: Schema<Step> = named(
  "Step",
  keyed<StepKinds, StepCommon, StepExtras>(
    "One step: exactly one kind key (`apply`, `eventually`, `kill`, `kubectl`, ...) holding that kind's options, and optionally a `name` and `description`.",
    stepKindsSchema,
    {
      name: optional(string("A short title for the step (shown in reports).")),
      description: optional(string("What the step does and why, in plain words (shown in the docs).")),
    },
    {
      try: {
        catch: optional(steps("Steps run when a step of `try` fails, e.g. to collect diagnostics.")),
        finally: optional(steps("Steps run after `try` (and `catch`), whatever happened.")),
      },
    },
    { title: "Step" },
  ),
);

/** The kind of a step (its one kind key). */
export function stepKindOf(s: Step): StepKind {
  for (const key of Object.keys(s)) if ((stepKinds as string[]).includes(key)) return key as StepKind;
  throw new Error(`step has no kind: ${JSON.stringify(Object.keys(s))}`);
}

/** The options of a step of kind K. */
export function stepOptions<K extends StepKind>(s: Step, kind: K): StepKinds[K] {
  return (s as unknown as Record<string, StepKinds[K]>)[kind] as StepKinds[K];
}
