import { describe, expect, test } from "vitest";
import { CelError, clusterInput, compile, evaluate, listVariables } from "./cel.ts";
import { makeDeployment, makeNode, makePod } from "./testing.ts";

/** The CelError an expression throws. */
function celError(expression: string, input: Record<string, unknown> = {}): CelError {
  try {
    evaluate(expression, input);
  } catch (e) {
    if (e instanceof CelError) return e;
    throw e;
  }
  throw new Error(`${expression} did not fail`);
}

// Expected results below are upstream's: the godoc and tests of k8s.io/apiserver/pkg/cel/library
// (quantity.go, quantity_test.go, lists.go, regex.go), the list/regex cases of
// apiextensions-apiserver's validation_test.go, and cel-go's ext/strings.go documentation.
describe("Kubernetes quantity library", () => {
  test.each([
    ['isQuantity("20")', true],
    ['isQuantity("20M")', true],
    ['isQuantity("20Mi")', true],
    ['isQuantity("20Mo")', false],
    ['isQuantity("10Mm")', false],
    ["isQuantity('1.3G')", true],
    ["isQuantity('1,3G')", false],
    ["isQuantity('10000k')", true],
    ["isQuantity('200K')", false],
    ["isQuantity('Three')", false],
    // quantity.go's godoc also lists isQuantity('Mi') as false, but resource.ParseQuantity reads a
    // bare suffix as zero ("Mi" is 0): spec/semantics follows the parser.
    ['quantity("200M") == quantity("200M")', true],
    ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', true],
    ['quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")', true],
    ['quantity("200M") == quantity("0.3G")', false],
    ['quantity("50M").isLessThan(quantity("50Mi"))', true],
    ['quantity("50M").isLessThan(quantity("100M"))', true],
    ['quantity("100M").isLessThan(quantity("50M"))', false],
    ['quantity("50Mi").isGreaterThan(quantity("50M"))', true],
    ['quantity("150Mi").isGreaterThan(quantity("100Mi"))', true],
    ['quantity("50M").isGreaterThan(quantity("100M"))', false],
    ['quantity("200M").compareTo(quantity("0.2G"))', 0],
    ['quantity("50M").compareTo(quantity("50Mi"))', -1],
    ['quantity("50Mi").compareTo(quantity("50M"))', 1],
    ['quantity("50k").add(quantity("20")) == quantity("50.02k")', true],
    ['quantity("50k").add(20).isLessThan(quantity("50020"))', false],
    ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', true],
    ['quantity("50k").sub(20) == quantity("49980")', true],
    ['quantity("50k").mul(2) == quantity("100000")', true],
    ['quantity("50k").add(20).sub(quantity("100k")).asInteger()', -49980],
    ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()', 20],
    ['quantity("50k").asInteger()', 50000],
    ['quantity("9999999999999999999999999999999999999G").isInteger()', false],
    ['quantity("50").isInteger()', true],
    ['quantity("50000000G").isInteger()', true],
    ['quantity("50.703k").asApproximateFloat()', 50703],
    ['quantity("50k").sub(20000).asApproximateFloat() == 30000.0', true],
    ['sign(quantity("-1")) == -1 && quantity("0").sign() == 0 && quantity("1m").sign() == 1', true],
    ["quantity('500m').isLessThan(quantity('1'))", true],
  ])("%s", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  test("errors are upstream's", () => {
    expect(celError('quantity("10Mo")').summary).toMatch(/^quantities must match the regular expression/);
    expect(celError('quantity("10Mm")').summary).toBe("unable to parse quantity's suffix");
    expect(celError('quantity("9999999999999999999999999999999999999G").asInteger()').summary).toBe("cannot convert value to integer");
    expect(celError("isQuantity([1, 2, 3])").phase).toBe("compile");
  });

  test("quantities from objects", () => {
    const input = clusterInput([makeNode("gpu-1"), makeNode("gpu-2")]);
    expect(evaluate("nodes.all(n, quantity(n.status.allocatable.cpu).isLessThan(quantity(n.status.capacity.cpu)))", input)).toBe(true);
    expect(evaluate("quantity(nodes[0].status.allocatable.memory).add(quantity('1Gi')) == quantity('32Gi')", input)).toBe(true);
  });
});

describe("Kubernetes list library", () => {
  test.each([
    ["[1, 2, 3].isSorted()", true],
    ["['a', 'b', 'b', 'c'].isSorted()", true],
    ["[2.0, 1.0].isSorted()", false],
    ["[1].isSorted()", true],
    ["[].isSorted()", true],
    ["[1, 3].sum()", 4],
    ["[1.0, 3.0].sum() == 4.0", true],
    ["[].sum()", 0],
    ["dyn([]).sum() == 0", true],
    ["dyn([1, 2]).sum() == 3", true],
    ["dyn([1.0, 2.0]).sum() == 3.0", true],
    ["['1s', '1m', '1m', '1h'].map(d, duration(d)).sum() == duration('1h2m1s')", true],
    ["[1, 3].min()", 1],
    ["[1, 3].max()", 3],
    ["[1].min()", 1],
    ["([0] + []).min()", 0],
    ["['a', 'b', 'b', 'c'].min() == 'a' && ['a', 'b', 'b', 'c'].max() == 'c'", true],
    ["[1, 2, 2, 3].indexOf(2)", 1],
    ["['a', 'b', 'b', 'c'].lastIndexOf('b')", 2],
    ["[1.0].indexOf(1.1)", -1],
    ["[].indexOf('string')", -1],
    ["[[1], [2]].indexOf([1]) == 0", true],
    ["[{'a': 1}, {'b': 2}].lastIndexOf({'b': 2}) == 1", true],
    ["[timestamp('2000-01-01T00:00:00.000Z'), timestamp('2010-01-01T00:00:00.000Z')].isSorted()", true],
  ])("%s", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  test("min and max of an empty list, and sums of strings, are errors", () => {
    expect(celError("[].min()").summary).toBe("min called on empty list");
    expect(celError("dyn([]).max()").summary).toBe("max called on empty list");
    expect(celError("['a', 'b'].sum() == 'c'").summary).toBe("sum: cannot add string; sum() takes numbers or durations");
    expect(celError("[{'a': 1}, {'b': 2}].max() == {'b': 2}").summary).toBe("max: cannot compare map with map");
  });
});

describe("string and regex functions", () => {
  test.each([
    ["'hello'.charAt(4)", "o"],
    ["'hello'.charAt(5)", ""],
    ["'hello mellow'.indexOf('')", 0],
    ["'hello mellow'.indexOf('ello')", 1],
    ["'hello mellow'.indexOf('jello')", -1],
    ["'hello mellow'.indexOf('', 2)", 2],
    ["'hello mellow'.indexOf('ello', 2)", 7],
    ["'hello mellow'.lastIndexOf('ello')", 7],
    ["'hello mellow'.lastIndexOf('jello')", -1],
    ["'hello mellow'.lastIndexOf('ello', 6)", 1],
    ["['hello', 'mellow'].join()", "hellomellow"],
    ["['hello', 'mellow'].join(' ')", "hello mellow"],
    ["'TacoCat'.lowerAscii()", "tacocat"],
    ["'TacoCat'.upperAscii()", "TACOCAT"],
    ["'hello hello'.replace('he', 'we')", "wello wello"],
    ["'hello hello'.replace('he', 'we', -1)", "wello wello"],
    ["'hello hello'.replace('he', 'we', 1)", "wello hello"],
    ["'hello hello'.replace('he', 'we', 0)", "hello hello"],
    ["'hello hello'.replace('', '_')", "_h_e_l_l_o_ _h_e_l_l_o_"],
    ["'hello hello'.replace('h', '')", "ello ello"],
    ["'tacocat'.substring(4)", "cat"],
    ["'tacocat'.substring(0, 4)", "taco"],
    ["'  \\ttrim\\n    '.trim()", "trim"],
    ["'this is a 123 string 456'.find('[0-9]+')", "123"],
    ["'this is a 123 string 456'.find('xyz')", ""],
    ["'abc 123'.find('[0-9]+')", "123"],
  ])("%s", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  test.each([
    ["'hello hello hello'.split(' ')", ["hello", "hello", "hello"]],
    ["'hello hello hello'.split(' ', 0)", []],
    ["'hello hello hello'.split(' ', 1)", ["hello hello hello"]],
    ["'hello hello hello'.split(' ', 2)", ["hello", "hello hello"]],
    ["'hello hello hello'.split(' ', -1)", ["hello", "hello", "hello"]],
    ["'this is a 123 string 456'.findAll('[0-9]+')", ["123", "456"]],
    ["'this is a 123 string 456'.findAll('[0-9]+', 0)", []],
    ["'this is a 123 string 456'.findAll('[0-9]+', 1)", ["123"]],
    ["'this is a 123 string 456'.findAll('[0-9]+', 3)", ["123", "456"]],
    ["'this is a 123 string 456'.findAll('[0-9]+', -1)", ["123", "456"]],
    ["'this is a 123 string 456'.findAll('xyz')", []],
  ])("%s", (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  test("out-of-range positions and bad patterns are errors", () => {
    expect(celError("'hello'.charAt(-1)").summary).toBe("index out of range: -1");
    expect(celError("'tacocat'.substring(-1)").phase).toBe("evaluate");
    expect(celError("'hello mellow'.indexOf('ello', 20)").phase).toBe("evaluate");
    expect(celError("'x'.find(')')").summary).toMatch(/^invalid regular expression "\)"/);
  });

  test("the regex example of the Kubernetes docs: numbers in a string", () => {
    expect(evaluate("'1, 2, 3, 4'.findAll('[0-9]+').map(x, int(x)).sum() < 100")).toBe(true);
  });
});

describe("objects as CEL values", () => {
  test("JSON integers are CEL ints: replicas == 3 works", () => {
    const input = clusterInput([makeDeployment("web", 3, 3)]);
    expect(evaluate("deployments[0].spec.replicas == 3", input)).toBe(true);
    expect(evaluate("deployments.all(d, d.status.readyReplicas == d.spec.replicas)", input)).toBe(true);
    expect(evaluate("deployments[0].spec.replicas + 1", input)).toBe(4);
    expect(evaluate("type(deployments[0].spec.replicas) == int", input)).toBe(true);
  });

  test("an absent scalar field of a known kind reads as Go's zero value", () => {
    const input = clusterInput([makeDeployment("web", 3)]);
    expect(evaluate("deployments[0].status.readyReplicas == 0", input)).toBe(true);
    expect(evaluate("object.spec.nodeName == ''", { object: makePod("p", "Pending", null) })).toBe(true);
  });

  test("has() sees the JSON: maps, lists, nested objects, time fields", () => {
    const object = makePod("p", "Running");
    expect(evaluate("has(object.metadata.labels)", { object })).toBe(true);
    expect(evaluate("has(object.metadata.annotations)", { object })).toBe(false);
    expect(evaluate("has(object.metadata.deletionTimestamp)", { object })).toBe(false);
    expect(evaluate("has(object.spec.affinity)", { object })).toBe(false);
    expect(evaluate("'app' in object.metadata.labels && object.metadata.labels['app.kubernetes.io/name'] == 'web'", { object })).toBe(true);
    expect(evaluate("object.spec.containers.exists(c, has(c.ports) && c.ports[0].containerPort == 8080)", { object })).toBe(true);
  });

  test("with absentScalars: absent, reading an absent field fails as upstream does", () => {
    const object = makePod("p", "Pending", null);
    const program = compile("object.spec.nodeName == ''", [], { absentScalars: "absent" });
    expect(() => program.evaluate({ object })).toThrow(CelError);
    expect(compile("object.spec.?nodeName.orValue('') == ''", [], { absentScalars: "absent" }).evaluate({ object })).toBe(true);
  });

  test("results come back as plain values", () => {
    const input = clusterInput([makePod("a", "Running"), makePod("b", "Pending", null)]);
    expect(evaluate("pods.map(p, p.metadata.name)", input)).toEqual(["a", "b"]);
    expect(evaluate("pods.map(p, {'name': p.metadata.name, 'containers': p.spec.containers.size()})", input)).toEqual([
      { name: "a", containers: 2 },
      { name: "b", containers: 2 },
    ]);
    expect(evaluate("quantity('1.5Gi')")).toBe("1536Mi");
  });
});

describe("cluster-wide expressions", () => {
  const objects = [
    makePod("web-1", "Running", "node-1"),
    makePod("web-2", "Running", "node-2"),
    makePod("web-3", "Running", "node-1"),
    makePod("web-4", "Pending", null),
    makeNode("gpu-1"),
    makeDeployment("web", 4, 3),
  ];
  const input = clusterInput(objects);

  test.each([
    ["pods.all(p, p.spec.nodeName != 'gpu-1')", true],
    ["pods.filter(p, p.status.phase == 'Running').size() == 3", true],
    ["pods.exists(p, p.status.conditions.exists(c, c.type == 'PodScheduled' && c.reason == 'Unschedulable'))", true],
    ["pods.filter(p, p.spec.nodeName == 'node-1').map(p, p.metadata.name) == ['web-1', 'web-3']", true],
    ["nodes.all(n, n.spec.taints.exists(t, t.key == 'gpu' && t.effect == 'NoSchedule'))", true],
    ["deployments.exists_one(d, d.status.readyReplicas < d.spec.replicas)", true],
    ["services.size() == 0", true],
  ])("%s", (expression, expected) => {
    expect(evaluate(expression, input)).toBe(expected);
  });

  test("every served kind has a list variable", () => {
    expect(listVariables).toEqual(expect.arrayContaining(["pods", "nodes", "deployments", "replicasets", "services", "endpoints", "endpointslices", "events"]));
    expect(listVariables).not.toContain("bindings");
  });

  test("a compiled program is evaluated again as the cluster changes", () => {
    const program = compile("pods.filter(p, p.status.phase == 'Running').size() >= 1");
    expect(program.evaluateBool(clusterInput([makePod("a", "Pending")]))).toBe(false);
    expect(program.evaluateBool(clusterInput([makePod("a", "Running")]))).toBe(true);
  });
});

describe("bindings ($vars)", () => {
  test("each binding is a variable, and all are in vars", () => {
    const input = { ...clusterInput([makeDeployment("web", 3, 3)]), vars: { replicas: 3, name: "web" } };
    expect(evaluate("deployments.exists(d, d.metadata.name == name && d.spec.replicas == replicas)", input)).toBe(true);
    expect(evaluate("vars.replicas == 3 && vars['name'] == 'web'", input)).toBe(true);
  });

  test("bindings that are not identifiers or that shadow a variable are only in vars", () => {
    const input = { vars: { pods: 1, "node-name": "gpu-1" } };
    expect(evaluate("pods.size() == 0 && vars.pods == 1 && vars['node-name'] == 'gpu-1'", input)).toBe(true);
  });
});

describe("errors", () => {
  test("a compile error gives the position of the problem", () => {
    const e = celError("pods.all(p, p.spec.nodeName != )");
    expect(e.phase).toBe("compile");
    expect(e.position).toEqual({ offset: 31, line: 1, column: 32 });
    expect(e.message).toBe(
      [
        "CEL expression does not compile at line 1, column 32: Unexpected token: RPAREN",
        "    pods.all(p, p.spec.nodeName != )",
        `    ${" ".repeat(31)}^`,
      ].join("\n"),
    );
  });

  test("positions count lines in multi-line expressions", () => {
    const e = celError("pods.size() == 1 &&\n  podz.size() == 0");
    expect(e.summary).toBe("Unknown variable: podz");
    expect(e.position).toMatchObject({ line: 2, column: 3 });
  });

  test("an evaluation error says what failed and where", () => {
    const e = celError("pods.all(p, p.spec.schedulerGates.size() == 0)", clusterInput([makePod("a", "Running")]));
    expect(e.phase).toBe("evaluate");
    expect(e.position).toMatchObject({ line: 1, column: 20 });
    expect(e.summary).toBe(
      "No such key: schedulerGates (the field is absent: guard with has(x.field), or read x.?field.orValue(default))",
    );
  });

  test("an expectation must give a bool", () => {
    expect(() => compile("pods.size()").evaluateBool({})).toThrow("the expression gives int 0, not a bool");
  });
});
