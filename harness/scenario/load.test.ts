import { describe, expect, it } from "vitest";
import { checkScenarioText, loadScenarioFile, ScenarioError, ScenarioLoadError, type ScenarioFiles } from "./load.ts";

/** An in-memory file system: path → text. */
function memoryFiles(files: Record<string, string>): ScenarioFiles {
  return {
    readText: (path) => files[path],
    exists: (path) => path in files || Object.keys(files).some((f) => f.startsWith(`${path}/`)),
  };
}

const header = (name = "example", covers = "[store.kv.revision]") => `apiVersion: plumbline.dev/v1alpha1
kind: Scenario
metadata:
  name: ${name}
  covers: ${covers}
  description: The store MUST do this.
`;

const podManifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n";

const check = (text: string, files: Record<string, string> = {}, extra: { behaviorIds?: string[]; invariants?: string[] } = {}) =>
  checkScenarioText("s/demo.yaml", text, { files: memoryFiles(files), ...extra });

const formatted = (text: string, files: Record<string, string> = {}, extra: { behaviorIds?: string[]; invariants?: string[] } = {}) =>
  check(text, files, extra).errors.map((e) => e.format());

describe("loading a scenario", () => {
  it("loads a good file, with its manifest files parsed", () => {
    const text = `${header()}spec:
  nodes:
    - {name: node-1, capacity: {cpu: 8, memory: 32Gi}, taints: [{key: gpu, value: "true", effect: NoSchedule}]}
  objects:
    - file: manifests/web.yaml
    - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
  vars: {replicas: 3}
  steps:
    - apply: {file: manifests/web.yaml}
    - scale: {kind: Deployment, name: web, replicas: $replicas}
    - eventually:
        within: 30s
        match: {kind: Pod, name: web, status: {phase: Running}}
        bind: {uid: metadata.uid}
    - expect: {cel: "pods.all(p, p.metadata.uid == '\${uid}')"}
    - try:
        - kill: kubelet/node-1
        - advance: 5m
      catch:
        - kubectl: {args: [get, pods, -o, wide]}
      finally:
        - restart: kubelet/node-1
`;
    const result = check(text, { "s/manifests/web.yaml": podManifest });
    expect(result.errors).toEqual([]);
    const loaded = result.loaded;
    expect(loaded?.scenario.spec.steps).toHaveLength(5);
    expect(loaded?.manifests.get("manifests/web.yaml")?.objects.map((o) => o.kind)).toEqual(["Pod", "Service"]);
    expect(loaded?.manifests.get("manifests/web.yaml")?.path).toBe("s/manifests/web.yaml");
  });

  it("reports every error of a malformed file at once, each at its line and column", () => {
    const text = `apiVersion: plumbline.dev/v1alpha1
kind: Scenario
metadata:
  name: Bad_Name
  covers: [store.kv.revision]
  description: it works
spec:
  nodes:
    - {name: n1, capacity: {pods: lots}, taints: [{key: a, effect: NoSchedul}]}
  steps:
    - applly: {file: a.yaml}
    - apply: {file: a.yaml}
      create: {file: b.yaml}
    - eventually:
        within: 30 seconds
        match: {kind: Pod, nmae: web}
        count: [1]
    - catch: []
    - scale: {kind: Deployment, name: web, replicas: many}
    - expect: {message: hi}
    - taint: {node: n1, key: k, effect: NoSchedule, extra: 1}
`;
    expect(formatted(text, { "s/a.yaml": podManifest, "s/b.yaml": podManifest })).toEqual([
      `s/demo.yaml:4:9: metadata.name: must be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      "s/demo.yaml:6:16: metadata.description: must state the behaviour in RFC 2119 words (MUST, MUST NOT, SHOULD, MAY, ...)",
      "s/demo.yaml:9:35: spec.nodes[0].capacity.pods: must be a Kubernetes quantity such as 500m, 2 or 32Gi",
      "s/demo.yaml:9:68: spec.nodes[0].taints[0].effect: must be one of NoSchedule, PreferNoSchedule, NoExecute",
      "s/demo.yaml:11:7: spec.steps[0].applly: unknown step kind `applly` (did you mean `apply`?)",
      "s/demo.yaml:12:7: spec.steps[1]: a step has one kind, but this one has `apply` and `create`",
      's/demo.yaml:15:17: spec.steps[2].eventually.within: must match pattern "^[0-9]+(ms|s|m|h)$"',
      "s/demo.yaml:17:16: spec.steps[2].eventually.count: must be a count (an integer or $variable) or {min, max}",
      expect.stringMatching(/^s\/demo\.yaml:18:7: spec\.steps\[3\]: a step needs a kind: one of 33 kinds such as `apply`/),
      "s/demo.yaml:18:7: spec.steps[3].catch: `catch` is allowed only beside `try`",
      "s/demo.yaml:19:54: spec.steps[4].scale.replicas: must be an integer or a $variable",
      "s/demo.yaml:20:7: spec.steps[5].expect: needs at least one of `match`, `cel`, `not`",
      "s/demo.yaml:21:53: spec.steps[6].taint.extra: unknown field `extra`",
    ]);
  });

  it("formats an error as file:line:column: path: message", () => {
    expect(new ScenarioError("scenarios/scheduling/taints.yaml", 12, 7, "spec.steps[2].eventually.within", 'must match pattern "^[0-9]+(ms|s|m|h)$"').format()).toBe(
      'scenarios/scheduling/taints.yaml:12:7: spec.steps[2].eventually.within: must match pattern "^[0-9]+(ms|s|m|h)$"',
    );
    expect(new ScenarioError("a.yaml", 1, 1, "", "empty").format()).toBe("a.yaml:1:1: empty");
  });

  it("reports YAML syntax errors with the schema's, and a second document", () => {
    // The duplicated \`steps\` key: YAML's error, and the schema's about the value that wins (the last).
    const text = `${header()}spec:
  steps:
    - advance: 5m
    - wait: 5 minutes
  steps: []
---
kind: Other
`;
    expect(formatted(text)).toEqual([
      "s/demo.yaml:11:3: Map keys must be unique",
      "s/demo.yaml:11:3: spec.steps: must not be empty",
      "s/demo.yaml:12:1: a scenario file holds one YAML document; put each scenario in its own file",
    ]);
  });

  it("names missing fields at the key that should hold them", () => {
    const text = `apiVersion: plumbline.dev/v1alpha1
kind: Scenario
metadata:
  covers: [store.kv.revision]
  description: It MUST.
spec:
  steps:
    - eventually:
        match: {kind: Pod}
`;
    expect(formatted(text)).toEqual([
      "s/demo.yaml:3:1: metadata: missing required field `name`",
      "s/demo.yaml:8:7: spec.steps[0].eventually: missing required field `within`",
    ]);
  });

  it("resolves file references next to the scenario and reports missing or broken ones", () => {
    const text = `${header()}spec:
  objects:
    - file: manifests/there.yaml
    - file: manifests/missing.yaml
  steps:
    - create: {file: ../shared/broken.yaml}
    - kubectl: {args: "apply -f manifests/there.yaml -f nowhere.yaml"}
    - kubectl: {args: [apply, --filename=manifests/dir]}
`;
    const files = {
      "s/manifests/there.yaml": podManifest,
      "shared/broken.yaml": "apiVersion: v1\nkind: Pod\n---\n- just a list\n---\nmetadata: {name: [\n",
      "s/manifests/dir/a.yaml": podManifest,
    };
    expect(formatted(text, files)).toEqual([
      "s/demo.yaml:10:13: spec.objects[1].file: file `manifests/missing.yaml` not found (looked for s/manifests/missing.yaml)",
      "s/demo.yaml:13:23: spec.steps[1].kubectl.args: kubectl file `nowhere.yaml` not found (looked for s/nowhere.yaml)",
      "shared/broken.yaml:4:1: document 2 is not a Kubernetes object: it needs `apiVersion` and `kind`",
      "shared/broken.yaml:6:1: document 3 is not a Kubernetes object: it needs `apiVersion` and `kind`",
      "shared/broken.yaml:7:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "shared/broken.yaml:7:1: Flow map in block collection must be sufficiently indented and end with a }",
    ]);
  });

  it("flags unknown behaviour ids and invariants, suggesting near names", () => {
    const text = `${header("example", "[store.kv.revisions, store.txn.atomic]")}spec:
  always: [resource-version-increase, {invariant: no-untolerated-taint}]
  steps:
    - advance: 1s
`;
    const extra = { behaviorIds: ["store.kv.revision", "store.txn.atomic"], invariants: ["resource-versions-increase", "no-untolerated-taint"] };
    expect(formatted(text, {}, extra)).toEqual([
      "s/demo.yaml:5:12: metadata.covers[0]: unknown behaviour `store.kv.revisions`: not in the catalogue (spec/behaviors/) (did you mean `store.kv.revision`?)",
      "s/demo.yaml:8:12: spec.always[0]: unknown invariant `resource-version-increase` (did you mean `resource-versions-increase`?)",
    ]);
    // Without the lists, nothing is checked.
    expect(formatted(text)).toEqual([]);
  });

  it("flags duplicate node names and steps that name nodes the scenario never creates", () => {
    const text = `${header()}spec:
  nodes:
    - {name: node-1}
    - {name: node-1}
  steps:
    - addNode: {name: node-2}
    - cordon: node-3
    - removeNode: node-2
    - addNode: {name: node-2}
    - taint: {node: node-1, key: k, effect: NoExecute}
    - kill: kubelet/node-9
    - partition: {between: [[apiserver], [kubelet/node-2, proxy/node-7]]}
    - addNode: {name: node-1}
`;
    expect(formatted(text)).toEqual([
      "s/demo.yaml:10:14: spec.nodes[1].name: duplicate node name `node-1` (already at spec.nodes[0].name)",
      "s/demo.yaml:13:15: spec.steps[1].cordon: unknown node `node-3`: neither spec.nodes nor an addNode step creates it (did you mean `node-1`?)",
      "s/demo.yaml:17:13: spec.steps[5].kill: unknown node `node-9`: neither spec.nodes nor an addNode step creates it (did you mean `node-1`?)",
      "s/demo.yaml:18:59: spec.steps[6].partition.between[1][1]: unknown node `node-7`: neither spec.nodes nor an addNode step creates it (did you mean `node-1`?)",
      "s/demo.yaml:19:23: spec.steps[7].addNode.name: duplicate node name `node-1` (already at spec.nodes[0].name)",
    ]);
  });

  it("flags variables used before any definition, and knows vars, matrix and binds", () => {
    const text = `${header()}spec:
  vars: {replicas: 3}
  matrix: {image: ["nginx:1.25", "nginx:1.26"], replicas: [1]}
  steps:
    - scale: {kind: Deployment, name: web, replicas: $replica}
    - create:
        object: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: $image, args: [sh, -c, echo $HOSTNAME $$HOME]}]}}
        bind: {podUid: metadata.uid}
    - expect: {cel: "pods.exists(p, p.metadata.uid == '\${podUid}' && '\${later}' != '')"}
    - expect: {match: {kind: Pod, name: p}, bind: {later: metadata.name}}
`;
    expect(formatted(text)).toEqual([
      "s/demo.yaml:9:49: spec.matrix.replicas: variable `replicas` is defined in both vars and matrix",
      "s/demo.yaml:11:54: spec.steps[0].scale.replicas: undefined variable `$replica` (did you mean `$replicas`?)",
      "s/demo.yaml:13:126: spec.steps[1].create.object.spec.containers[0].args[2]: undefined variable `$HOSTNAME`; define it in spec.vars, spec.matrix or a `bind`, or write `$$` for a literal `$`",
      "s/demo.yaml:15:21: spec.steps[2].expect.cel: undefined variable `$later`; define it in spec.vars, spec.matrix or a `bind`, or write `$$` for a literal `$`",
    ]);
  });

  it("refuses a matrix with too many cases", () => {
    const values = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(", ")}]`;
    const text = `${header()}spec:\n  matrix: {a: ${values(8)}, b: ${values(9)}}\n  steps: [{wait: 1s}]\n`;
    expect(formatted(text)).toEqual(["s/demo.yaml:8:3: spec.matrix: expands to 72 cases; at most 64 are allowed"]);
  });

  it("refuses an empty file and a file that is not a mapping", () => {
    expect(formatted("")).toEqual(["s/demo.yaml:1:1: empty file: a scenario is one YAML document"]);
    expect(formatted("- a\n- b\n")).toEqual(["s/demo.yaml:1:1: must be a mapping"]);
  });

  it("loadScenarioFile throws every error in one ScenarioLoadError", () => {
    const files = memoryFiles({ "x.yaml": `${header("Bad")}spec: {steps: [{advance: 1 minute}]}\n` });
    let thrown: unknown;
    try {
      loadScenarioFile("x.yaml", { files });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScenarioLoadError);
    expect((thrown as ScenarioLoadError).errors).toHaveLength(2);
    expect((thrown as ScenarioLoadError).message).toMatch(/^x\.yaml:4:9: metadata\.name: .*\nx\.yaml:7:26: spec\.steps\[0\]\.advance: /);
    expect(() => loadScenarioFile("nope.yaml", { files })).toThrow("nope.yaml:1:1: no such file");
  });
});
