// The scenario format (plumbline.dev/v1alpha1, kind Scenario): the TypeScript types the engine works
// with, and beside each the schema builder that spec/schemas/scenario.schema.json is generated from
// (`npx tsx harness/scenario/gen/schema.ts`). The compiler checks every builder against its type, and
// a test checks the committed schema equals the generator's output, so the three cannot drift.
// scenarios/README.md explains the format for readers.
import {
  anyOf,
  array,
  boolean,
  describe,
  enumeration,
  integer,
  literal,
  named,
  object,
  optional,
  record,
  schemaDocument,
  string,
  unknownValue,
  type JsonObject,
  type Schema,
} from "../../spec/schemas/builder.ts";
import { componentNames, faultKinds, step, stepKinds, type ComponentName, type FaultKind, type Step } from "./format-steps.ts";
import { behaviorIdSchema, rfc2119Description } from "../../spec/behaviors/catalogue.ts";
import {
  dns1123LabelPattern,
  duration,
  nodeSpec,
  objectSource,
  reference,
  varNamePattern,
  vars,
  type Duration,
  type NodeSpec,
  type ObjectSource,
} from "./format-values.ts";

export * from "./format-values.ts";
export * from "./format-steps.ts";

export const scenarioApiVersion = "plumbline.dev/v1alpha1";
export const schemaId = "https://plumbline.dev/schemas/v1alpha1/scenario.schema.json";


export interface ScenarioMetadata {
  name: string;
  title?: string;
  covers: string[];
  description: string;
  references?: string[];
}
const metadata = object<ScenarioMetadata>("Who the scenario is and what it shows.", {
  name: string("The scenario's name: a DNS-1123 label, unique in the suite (it names the test).", {
    pattern: dns1123LabelPattern,
    maxLength: 63,
    errorMessage: "must be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
  }),
  title: optional(string("A title for the docs, in plain words.")),
  covers: array(
    behaviorIdSchema,
    "The behaviours of the catalogue (spec/behaviors/) this scenario checks.",
    { minItems: 1, uniqueItems: true },
  ),
  description: rfc2119Description("What the scenario checks, in RFC 2119 words (MUST, MUST NOT, SHOULD, MAY), precise enough to implement from."),
  references: optional(array(reference, "Upstream documentation and source for the behaviour.")),
});

/** An invariant from spec/invariants, checked after every event. */
export type InvariantRef = string | { invariant: string };
const invariantName = string("An invariant's name, e.g. `no-untolerated-taint`.", { pattern: dns1123LabelPattern });
export const invariantRef: Schema<InvariantRef> = named(
  "InvariantRef",
  anyOf(
    "An invariant checked after every event: its name, or `{invariant: name}`.",
    [invariantName, object<{ invariant: string }>("An invariant.", { invariant: invariantName })],
    { errorMessage: "must be an invariant name, or {invariant: name}" },
  ),
);

/** The name of an invariant reference. */
export function invariantNameOf(ref: InvariantRef): string {
  return typeof ref === "string" ? ref : ref.invariant;
}

export interface Timeouts {
  total?: Duration;
  wallClock?: Duration;
}
const timeouts = object<Timeouts>("Limits for the whole scenario.", {
  total: optional(describe(duration, "The scenario fails if it takes more cluster time than this.")),
  wallClock: optional(describe(duration, "The scenario fails if it takes more real time than this.")),
});

export interface Needs {
  components?: ComponentName[];
  faults?: FaultKind[];
  virtualTime?: boolean;
  kubectl?: boolean;
}
const needs = object<Needs>(
  "What a target must offer to run the scenario; on a target without it the scenario is reported not applicable.",
  {
    components: optional(
      array(enumeration(componentNames, "A component."), "Components the scenario needs the target to run or control.", {
        uniqueItems: true,
      }),
    ),
    faults: optional(array(enumeration(faultKinds, "A fault kind."), "Fault kinds the scenario injects.", { uniqueItems: true })),
    virtualTime: optional(boolean("The scenario needs virtual time (it uses `advance`, or long waits).")),
    kubectl: optional(boolean("The scenario runs the real kubectl.")),
  },
);

export interface ScenarioSpec {
  namespace?: string;
  nodes?: NodeSpec[];
  objects?: ObjectSource[];
  steps: Step[];
  always?: InvariantRef[];
  timeouts?: Timeouts;
  seed?: number;
  needs?: Needs;
  vars?: Record<string, unknown>;
  matrix?: Record<string, unknown[]>;
}
const spec = object<ScenarioSpec>("The cluster to start from, the steps, and the invariants.", {
  namespace: optional(string("The namespace for objects that do not name one; `default` when omitted.", { pattern: dns1123LabelPattern })),
  nodes: optional(array(nodeSpec, "The nodes the cluster starts with.")),
  objects: optional(array(objectSource, "Objects created before the first step, in order.")),
  steps: array(step, "The steps, run in order; the scenario fails at the first failing step.", { minItems: 1 }),
  always: optional(array(invariantRef, "Invariants checked after every event; a violation fails the scenario with the event that caused it.")),
  timeouts: optional(timeouts),
  seed: optional(integer("The run seed (a failing run prints it); random when omitted.", { minimum: 0, maximum: 4294967295 })),
  needs: optional(needs),
  vars: optional(vars),
  matrix: optional(
    record(
      array(unknownValue("One value."), "The values.", { minItems: 1 }),
      "Parameters: variable → values. Every combination runs as its own case, named after its values.",
      { keyPattern: varNamePattern, minProperties: 1 },
    ),
  ),
});

export interface Scenario {
  apiVersion: typeof scenarioApiVersion;
  kind: "Scenario";
  metadata: ScenarioMetadata;
  spec: ScenarioSpec;
}
export const scenarioSchema: Schema<Scenario> = object<Scenario>("A plumbline scenario: documentation that runs as a test.", {
  apiVersion: literal(scenarioApiVersion, "The format version."),
  kind: literal("Scenario", "Always `Scenario`."),
  metadata,
  spec,
});

/** The JSON Schema document for scenario files (what spec/schemas/scenario.schema.json holds). */
export function scenarioSchemaDocument(): JsonObject {
  return schemaDocument(scenarioSchema, {
    $id: schemaId,
    title: "plumbline Scenario",
    description: `A plumbline scenario (${scenarioApiVersion}): a YAML document that reads as documentation and runs as a test. Step kinds: ${stepKinds.join(", ")}.`,
  });
}
