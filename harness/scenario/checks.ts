// Checks of a scenario that the JSON Schema cannot make, run before anything runs: unknown step
// kinds (with a suggestion), manifest files that are missing or are not manifests, node names
// (duplicates, references to nodes the scenario never creates), behaviour ids and invariant names
// that do not exist, and `$variables` used before they are defined.
//
// They read the document as untrusted data (it may also have failed the schema), so every access is
// guarded; a check that finds a shape it does not expect says nothing and leaves it to the schema.
import { dirname, join } from "node:path";
import { closest, didYouMean, type FieldProblem } from "../../spec/schemas/validate.ts";
import { parseYamlSource, positionOf, SourceError, type FieldPath } from "../../spec/schemas/yaml-source.ts";
import { ArgsSyntaxError, kubectlFileArgs, splitArgs } from "./args.ts";
import { stepCommonFields, stepExtraFields, stepKinds } from "./format-steps.ts";
import { matrixSize, maxMatrixCases, varReferences } from "./vars.ts";

/** How the checks see files: the loader passes the real file system, tests an in-memory one. */
export interface ScenarioFiles {
  /** The file's text, or undefined when there is no such file. */
  readText(path: string): string | undefined;
  /** Whether a file or directory exists. */
  exists(path: string): boolean;
}

export interface CheckOptions {
  /** Known behaviour ids; covers outside it are errors. Unchecked when absent. */
  behaviorIds?: ReadonlySet<string>;
  /** Known invariant names; `always` entries outside it are errors. Unchecked when absent. */
  invariants?: ReadonlySet<string>;
}

/** A manifest file a scenario refers to, parsed. */
export interface ManifestFile {
  /** As written in the scenario. */
  ref: string;
  /** Resolved against the scenario's folder. */
  path: string;
  objects: Record<string, unknown>[];
}

export interface CheckResult {
  /** Problems in the scenario file. */
  problems: FieldProblem[];
  /** Paths (formatted) where the schema's own message should give way to a problem above. */
  suppress: Set<string>;
  /** Problems in other files (manifests). */
  fileErrors: SourceError[];
  manifests: Map<string, ManifestFile>;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const code = (s: string) => `\`${s}\``;
const fieldKey = (path: FieldPath) => JSON.stringify(path);

/** A step with its place in the document, in document order (nested `try`/`catch`/`finally` included). */
interface PlacedStep {
  step: Json;
  path: FieldPath;
}

function placedSteps(steps: unknown, path: FieldPath, out: PlacedStep[] = []): PlacedStep[] {
  for (const [i, step] of asArray(steps).entries()) {
    if (!isRecord(step)) continue;
    const here = [...path, i];
    out.push({ step, path: here });
    for (const nested of ["try", "catch", "finally"]) if (Array.isArray(step[nested])) placedSteps(step[nested], [...here, nested], out);
  }
  return out;
}

export function checkScenario(scenarioFile: string, document: unknown, files: ScenarioFiles, options: CheckOptions): CheckResult {
  const result: CheckResult = { problems: [], suppress: new Set(), fileErrors: [], manifests: new Map() };
  if (!isRecord(document)) return result;
  const spec = isRecord(document.spec) ? document.spec : {};
  const steps = placedSteps(spec.steps, ["spec", "steps"]);
  checkStepKinds(steps, result);
  checkFiles(scenarioFile, spec, steps, files, result);
  checkNodes(spec, steps, result);
  checkCatalogueNames(document, spec, options, result);
  checkVariables(spec, steps, result);
  return result;
}

// ---- step kinds ---------------------------------------------------------------------------------

const allowedStepFields = new Set<string>([...stepKinds, ...stepCommonFields, ...Object.keys(stepExtraFields)]);

function checkStepKinds(steps: readonly PlacedStep[], result: CheckResult): void {
  const kinds = new Set<string>(stepKinds);
  for (const { step, path } of steps) {
    const keys = Object.keys(step);
    if (keys.some((k) => kinds.has(k))) continue; // misspelt extra fields get the schema's "unknown field"
    for (const key of keys.filter((k) => !allowedStepFields.has(k))) {
      result.problems.push({
        path: [...path, key],
        anchor: "key",
        message: `unknown step kind ${code(key)}${didYouMean(key, stepKinds)}`,
      });
      result.suppress.add(fieldKey([...path, key]));
      result.suppress.add(fieldKey(path));
    }
  }
}

// ---- files --------------------------------------------------------------------------------------

function checkFiles(scenarioFile: string, spec: Json, steps: readonly PlacedStep[], files: ScenarioFiles, result: CheckResult): void {
  const dir = dirname(scenarioFile);
  for (const [i, item] of asArray(spec.objects).entries()) {
    if (isRecord(item) && typeof item.file === "string") checkManifestFile(dir, item.file, ["spec", "objects", i, "file"], files, result);
  }
  for (const { step, path } of steps) {
    for (const kind of ["apply", "create", "update"]) {
      const options = step[kind];
      if (isRecord(options) && typeof options.file === "string") checkManifestFile(dir, options.file, [...path, kind, "file"], files, result);
    }
    if (isRecord(step.kubectl)) checkKubectlFiles(dir, step.kubectl.args, [...path, "kubectl", "args"], files, result);
  }
}

function checkManifestFile(dir: string, ref: string, at: FieldPath, files: ScenarioFiles, result: CheckResult): void {
  if (ref.includes("$")) return; // a path built from variables is known only when the step runs
  const path = join(dir, ref);
  const text = files.readText(path);
  if (text === undefined) {
    result.problems.push({ path: at, anchor: "value", message: `file ${code(ref)} not found (looked for ${path})` });
    return;
  }
  if (result.manifests.has(ref)) return;
  const source = parseYamlSource(path, text);
  result.fileErrors.push(...source.errors);
  const objects: Json[] = [];
  for (const [index, value] of source.values.entries()) {
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing `---`
    if (isRecord(value) && typeof value.apiVersion === "string" && typeof value.kind === "string") {
      objects.push(value);
      continue;
    }
    const { line, column } = positionOf(source, index, []);
    result.fileErrors.push(
      new SourceError(path, line, column, "", `document ${index + 1} is not a Kubernetes object: it needs \`apiVersion\` and \`kind\``),
    );
  }
  if (objects.length === 0 && source.errors.length === 0) {
    result.problems.push({ path: at, anchor: "value", message: `file ${code(ref)} holds no objects` });
  }
  result.manifests.set(ref, { ref, path, objects });
}

function checkKubectlFiles(dir: string, args: unknown, at: FieldPath, files: ScenarioFiles, result: CheckResult): void {
  let list: string[];
  if (typeof args === "string") {
    try {
      list = splitArgs(args);
    } catch (e) {
      if (e instanceof ArgsSyntaxError) result.problems.push({ path: at, anchor: "value", message: e.message });
      return;
    }
  } else if (Array.isArray(args) && args.every((a) => typeof a === "string")) {
    list = args;
  } else {
    return;
  }
  for (const ref of kubectlFileArgs(list)) {
    if (ref.includes("$")) continue;
    const path = join(dir, ref);
    if (!files.exists(path)) result.problems.push({ path: at, anchor: "value", message: `kubectl file ${code(ref)} not found (looked for ${path})` });
  }
}

// ---- nodes --------------------------------------------------------------------------------------

/** Step kinds whose options name a node in `node`, or are the node name itself. */
const nodeOptionKinds = ["drain", "taint", "untaint", "label", "setConditions", "setResourceUsage"];
const nodeNameKinds = ["removeNode", "cordon", "uncordon"];
const faultKinds = ["kill", "restart", "pause", "resume"];

function checkNodes(spec: Json, steps: readonly PlacedStep[], result: CheckResult): void {
  const present = new Map<string, FieldPath>();
  const everyNode = new Set<string>();
  const declare = (name: unknown, at: FieldPath) => {
    if (typeof name !== "string" || name.includes("$")) return;
    const first = present.get(name);
    if (first !== undefined) {
      result.problems.push({ path: at, anchor: "value", message: `duplicate node name ${code(name)} (already at ${formatFirst(first)})` });
    } else {
      present.set(name, at);
    }
    everyNode.add(name);
  };
  for (const [i, node] of asArray(spec.nodes).entries()) if (isRecord(node)) declare(node.name, ["spec", "nodes", i, "name"]);
  for (const { step, path } of steps) {
    if (isRecord(step.addNode)) declare(step.addNode.name, [...path, "addNode", "name"]);
    if (typeof step.removeNode === "string") present.delete(step.removeNode);
  }
  const refer = (name: unknown, at: FieldPath) => {
    if (typeof name !== "string" || name.includes("$") || everyNode.has(name)) return;
    result.problems.push({
      path: at,
      anchor: "value",
      message: `unknown node ${code(name)}: neither spec.nodes nor an addNode step creates it${didYouMean(name, [...everyNode])}`,
    });
  };
  for (const { step, path } of steps) {
    for (const kind of nodeNameKinds) refer(step[kind], [...path, kind]);
    for (const kind of nodeOptionKinds) if (isRecord(step[kind])) refer((step[kind] as Json).node, [...path, kind, "node"]);
    for (const kind of faultKinds) if (typeof step[kind] === "string") refer(componentNode(step[kind] as string), [...path, kind]);
    if (isRecord(step.partition)) {
      for (const [s, side] of asArray(step.partition.between).entries()) {
        for (const [c, component] of asArray(side).entries()) {
          if (typeof component === "string") refer(componentNode(component), [...path, "partition", "between", s, c]);
        }
      }
    }
  }
}

/** The node of a per-node component reference (`kubelet/node-1` → `node-1`). */
function componentNode(ref: string): string | undefined {
  const slash = ref.indexOf("/");
  return slash < 0 ? undefined : ref.slice(slash + 1);
}

function formatFirst(path: FieldPath): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

// ---- catalogue names ----------------------------------------------------------------------------

function checkCatalogueNames(document: Json, spec: Json, options: CheckOptions, result: CheckResult): void {
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  if (options.behaviorIds !== undefined) {
    const known = [...options.behaviorIds];
    for (const [i, id] of asArray(metadata.covers).entries()) {
      if (typeof id !== "string" || options.behaviorIds.has(id)) continue;
      result.problems.push({
        path: ["metadata", "covers", i],
        anchor: "value",
        message: `unknown behaviour ${code(id)}: not in the catalogue (spec/behaviors/)${didYouMean(id, known)}`,
      });
    }
  }
  if (options.invariants !== undefined) {
    const known = [...options.invariants];
    for (const [i, ref] of asArray(spec.always).entries()) {
      const name = typeof ref === "string" ? ref : isRecord(ref) && typeof ref.invariant === "string" ? ref.invariant : undefined;
      if (name === undefined || options.invariants.has(name)) continue;
      const at: FieldPath = typeof ref === "string" ? ["spec", "always", i] : ["spec", "always", i, "invariant"];
      result.problems.push({ path: at, anchor: "value", message: `unknown invariant ${code(name)}${didYouMean(name, known)}` });
    }
  }
}

// ---- variables ----------------------------------------------------------------------------------

function checkVariables(spec: Json, steps: readonly PlacedStep[], result: CheckResult): void {
  const defined = new Set<string>();
  const vars = isRecord(spec.vars) ? spec.vars : {};
  const matrix = isRecord(spec.matrix) ? spec.matrix : {};
  for (const name of Object.keys(vars)) defined.add(name);
  for (const name of Object.keys(matrix)) {
    if (defined.has(name)) {
      result.problems.push({ path: ["spec", "matrix", name], anchor: "key", message: `variable ${code(name)} is defined in both vars and matrix` });
    }
    defined.add(name);
  }
  const lists = Object.values(matrix).filter(Array.isArray);
  if (lists.length === Object.keys(matrix).length) {
    const size = matrixSize(matrix as Record<string, unknown[]>);
    if (size > maxMatrixCases) {
      result.problems.push({ path: ["spec", "matrix"], anchor: "key", message: `expands to ${size} cases; at most ${maxMatrixCases} are allowed` });
    }
  }
  const use = (value: unknown, at: FieldPath) => scanReferences(value, at, defined, result);
  for (const [i, item] of asArray(spec.objects).entries()) use(item, ["spec", "objects", i]);
  for (const [i, node] of asArray(spec.nodes).entries()) use(node, ["spec", "nodes", i]);
  for (const { step, path } of steps) {
    for (const [key, value] of Object.entries(step)) {
      if (key === "try" || key === "catch" || key === "finally") continue; // nested steps come in their own turn
      use(value, [...path, key]);
    }
    for (const value of Object.values(step)) {
      if (isRecord(value) && isRecord(value.bind)) for (const name of Object.keys(value.bind)) defined.add(name);
    }
  }
}

function scanReferences(value: unknown, at: FieldPath, defined: ReadonlySet<string>, result: CheckResult): void {
  if (typeof value === "string") {
    for (const name of varReferences(value)) {
      if (defined.has(name)) continue;
      const hint = closest(name, [...defined]);
      result.problems.push({
        path: at,
        anchor: "value",
        message:
          `undefined variable ${code(`$${name}`)}` +
          (hint !== undefined ? ` (did you mean ${code(`$${hint}`)}?)` : "; define it in spec.vars, spec.matrix or a `bind`, or write `$$` for a literal `$`"),
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scanReferences(v, [...at, i], defined, result));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) if (k !== "bind") scanReferences(v, [...at, k], defined, result);
  }
}

export { fieldKey };
