// The behaviour catalogue format (spec/behaviors/<area>.yaml; see README.md beside this file): one
// file per area listing behaviours, each with a stable id, the components involved, a description in
// RFC 2119 words, upstream references, and whether it is covered or planned. As with scenarios, the
// types and the schema builders sit side by side and the compiler checks them against each other;
// spec/schemas/behavior-catalogue.schema.json is generated from them.
import {
  array,
  enumeration,
  literal,
  named,
  object,
  optional,
  schemaDocument,
  string,
  type JsonObject,
  type Schema,
} from "../schemas/builder.ts";

export const catalogueApiVersion = "plumbline.dev/v1alpha1";
export const catalogueSchemaId = "https://plumbline.dev/schemas/v1alpha1/behavior-catalogue.schema.json";

/** Dot-separated lowercase words, at least two: `<area>.<topic>[.<detail>...]`. */
export const behaviorIdPattern = "^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+$";
export const areaPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
/** RFC 2119 keywords; a description states its behaviour with at least one. */
export const rfc2119Pattern = "\\b(MUST|SHOULD|MAY|SHALL|REQUIRED|RECOMMENDED|OPTIONAL)\\b";
/** An upstream reference: an https URL, or `owner/repo[@ref]:path` for a source file. */
export const referencePattern = "^(https://\\S+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(@[A-Za-z0-9_./-]+)?:\\S+)$";

export const reference: Schema<string> = named(
  "Reference",
  string(
    "An upstream reference: a kubernetes.io (or other https) URL, or a source path written `owner/repo[@ref]:path`, e.g. `etcd-io/etcd@release-3.4:mvcc/kvstore.go`.",
    { pattern: referencePattern, errorMessage: "must be an https:// URL or an upstream source path written owner/repo[@ref]:path" },
  ),
);

export const behaviorIdSchema: Schema<string> = named(
  "BehaviorId",
  string("A behaviour id: dot-separated lowercase words, the first being the area, e.g. `scheduling.taints.noschedule`.", {
    pattern: behaviorIdPattern,
    errorMessage: "must be a behaviour id: dot-separated lowercase words, e.g. scheduling.taints.noschedule",
  }),
);

export const rfc2119Description = (description: string): Schema<string> =>
  string(description, {
    pattern: rfc2119Pattern,
    errorMessage: "must state the behaviour in RFC 2119 words (MUST, MUST NOT, SHOULD, MAY, ...)",
  });

/** Components a behaviour can involve (the reference implementation's, plus the client side). */
export const behaviorComponents = ["store", "apiserver", "client", "scheduler", "controller-manager", "kubelet", "proxy", "dns", "kubectl"] as const;
export type BehaviorComponent = (typeof behaviorComponents)[number];

export type BehaviorStatus = "covered" | "planned";

/** One behaviour as written in a catalogue file. */
export interface BehaviorEntry {
  id: string;
  title: string;
  components: BehaviorComponent[];
  description: string;
  references: string[];
  status: BehaviorStatus;
  reason?: string;
  tests?: string[];
}
const behaviorEntry = object<BehaviorEntry>(
  "One behaviour the suite checks (or plans to).",
  {
    id: behaviorIdSchema,
    title: string("A short title in plain words.", { minLength: 1 }),
    components: array(enumeration(behaviorComponents, "A component."), "The components whose behaviour this is.", {
      minItems: 1,
      uniqueItems: true,
    }),
    description: rfc2119Description("The behaviour in RFC 2119 words (MUST, MUST NOT, SHOULD, MAY), precise enough to implement from."),
    references: array(reference, "Where upstream defines it: documentation and source.", { minItems: 1 }),
    status: enumeration(
      ["covered", "planned"],
      "`covered`: scenarios or tests check it (coverage is computed and verified). `planned`: nothing checks it yet; say why in `reason`.",
    ),
    reason: optional(string("Why a planned behaviour is not covered yet (required when planned).", { minLength: 1 })),
    tests: optional(
      array(
        string("A test file, relative to the repository root.", { pattern: "\\.test\\.ts$" }),
        "Property or conformance test files that check the behaviour, for tests that do not declare it themselves with a `[covers: ...]` tag in their title.",
        { uniqueItems: true },
      ),
    ),
  },
);
const behaviorEntryWithRule: Schema<BehaviorEntry> = named("Behavior", {
  ...behaviorEntry,
  json: { ...behaviorEntry.json, if: { properties: { status: { const: "planned" } }, required: ["status"] }, then: { required: ["reason"] } },
});

/** A catalogue file: the behaviours of one area. */
export interface CatalogueFile {
  apiVersion: typeof catalogueApiVersion;
  kind: "BehaviorCatalogue";
  area: string;
  description?: string;
  behaviors: BehaviorEntry[];
}
export const catalogueFileSchema: Schema<CatalogueFile> = object<CatalogueFile>("The behaviours of one area.", {
  apiVersion: literal(catalogueApiVersion, "The format version."),
  kind: literal("BehaviorCatalogue", "Always `BehaviorCatalogue`."),
  area: string("The area, also the file's name (`<area>.yaml`) and the first word of every id in it.", {
    pattern: areaPattern,
  }),
  description: optional(string("What the area is about.")),
  behaviors: array(behaviorEntryWithRule, "The behaviours, each with a unique id.", { minItems: 1 }),
});

/** A behaviour as loaded: the entry, its area and where it was written. */
export interface Behavior extends BehaviorEntry {
  area: string;
  file: string;
  line: number;
}

export function catalogueSchemaDocument(): JsonObject {
  return schemaDocument(catalogueFileSchema, {
    $id: catalogueSchemaId,
    title: "plumbline behaviour catalogue",
    description: `A file of the plumbline behaviour catalogue (${catalogueApiVersion}): the behaviours of one area.`,
  });
}
