import { describe, expect, it } from "vitest";
import { GENERATED_NAME_ALPHABET } from "../../../spec/semantics/validation.ts";
import { RESOURCES } from "../resources.ts";
import { expectCode, makeConfigMap, makeDeployment, makeNamespace, makePod, minimalObject, startTestServer, statusOf } from "../testing.ts";

describe("create", () => {
  it("sets uid, creationTimestamp from the Clock, resourceVersion and generation", async () => {
    const { api, sim } = await startTestServer();
    const pod = await api.mustCreate("pods", "default", makePod("web"));
    const meta = pod.metadata!;
    expect(meta.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(meta.creationTimestamp).toBe(new Date(sim.now()).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(meta.resourceVersion).toMatch(/^[1-9][0-9]*$/);
    expect(meta.generation).toBe(1);
    expect(meta.namespace).toBe("default");
    expect(pod.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
    const cm = await api.mustCreate("configmaps", "default", makeConfigMap("cfg", { a: "1" }));
    expect(cm.metadata?.generation).toBeUndefined();
    expect(Number(cm.metadata?.resourceVersion)).toBeGreaterThan(Number(meta.resourceVersion));
  });

  it("wipes client-set system fields and keeps the kind's status rules", async () => {
    const { api } = await startTestServer();
    const body = makeDeployment("d");
    body.metadata = { ...body.metadata, uid: "mine", creationTimestamp: "2000-01-01T00:00:00Z", deletionTimestamp: "2000-01-01T00:00:00Z" };
    body.status = { replicas: 7 };
    const d = await api.mustCreate("apps/v1/deployments", "default", body);
    expect(d.metadata?.uid).not.toBe("mine");
    expect(d.metadata?.creationTimestamp).not.toBe("2000-01-01T00:00:00Z");
    expect(d.metadata?.deletionTimestamp).toBeUndefined();
    expect(d.status).toEqual({});
    // Nodes are created with their status (the kubelet registers that way).
    const node = await api.mustCreate("nodes", undefined, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, status: { capacity: { cpu: "4" } } });
    expect(node.status).toMatchObject({ capacity: { cpu: "4" } });
  });

  it("creates every served kind, readable back with its apiVersion and kind", async () => {
    const { api } = await startTestServer();
    for (const info of RESOURCES) {
      const path = `${info.group === "" ? "" : info.group + "/"}${info.version}/${info.resource}`;
      const name = `x-${info.group || "core"}-${info.resource}`;
      const body = minimalObject(info.group, info.kind, name);
      const ns = info.namespaced ? "default" : undefined;
      const created = await api.mustCreate(path, ns, body);
      expect(created.kind).toBe(info.kind);
      const got = await api.mustGet(path, ns, name);
      expect(got).toEqual(created);
    }
  });

  it("stores events.k8s.io/v1 and core/v1 Events once, each seen through its own schema", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("events.k8s.io/v1/events", "default", {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "e1" },
      regarding: { kind: "Pod", name: "web", namespace: "default" },
      eventTime: "2024-01-01T00:00:00.000000Z",
      reportingInstance: "scheduler-1",
      action: "Binding",
      note: "Scheduled",
      reason: "Scheduled",
      reportingController: "default-scheduler",
      type: "Normal",
    });
    const core = await api.mustGet("events", "default", "e1");
    expect(core).toMatchObject({ apiVersion: "v1", kind: "Event", involvedObject: { kind: "Pod", name: "web" }, message: "Scheduled", reportingComponent: "default-scheduler" });
    expect(core.regarding).toBeUndefined();
    const byField = expectCode(await api.list("events", "default", { fieldSelector: "involvedObject.name=web,reason=Scheduled" }), 200) as unknown as { items: unknown[] };
    expect(byField.items).toHaveLength(1);
    const back = await api.mustGet("events.k8s.io/v1/events", "default", "e1");
    expect(back).toMatchObject({ apiVersion: "events.k8s.io/v1", regarding: { name: "web" }, note: "Scheduled" });
  });

  it("generates names from generateName with the Rng, deterministically per seed", async () => {
    const names = async (seed: number): Promise<string[]> => {
      const { api } = await startTestServer({ seed });
      const out: string[] = [];
      for (let i = 0; i < 3; i++) out.push((await api.mustCreate("pods", "default", makePod("", { generateName: "web-" }))).metadata!.name!);
      return out;
    };
    const first = await names(7);
    expect(first).toEqual(await names(7));
    for (const n of first) expect(n).toMatch(new RegExp(`^web-[${GENERATED_NAME_ALPHABET}]{5}$`));
    expect(new Set(first).size).toBe(3);
  });

  it("answers AlreadyExists with upstream's message, core and grouped", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("pods", "default", makePod("web"));
    const res = await api.create("pods", "default", makePod("web"));
    expect(res.code).toBe(409);
    expect(statusOf(res)).toMatchObject({ reason: "AlreadyExists", message: 'pods "web" already exists', details: { name: "web", kind: "pods" } });
    await api.mustCreate("apps/v1/deployments", "default", makeDeployment("d"));
    const dup = statusOf(await api.create("apps/v1/deployments", "default", makeDeployment("d")));
    expect(dup.message).toBe('deployments.apps "d" already exists');
    expect(dup.details).toMatchObject({ group: "apps", kind: "deployments", name: "d" });
  });

  it("prefixes AlreadyExists when the existing object is being deleted", async () => {
    const { api } = await startTestServer();
    await api.mustCreate("configmaps", "default", { ...makeConfigMap("c"), metadata: { name: "c", finalizers: ["example.com/x"] } });
    expectCode(await api.delete("configmaps", "default", "c"), 200);
    expect(statusOf(await api.create("configmaps", "default", makeConfigMap("c"))).message).toBe('object is being deleted: configmaps "c" already exists');
  });

  it("requires the namespace to exist and not be terminating", async () => {
    const { api } = await startTestServer();
    const missing = await api.create("pods", "nowhere", makePod("p"));
    expect(missing.code).toBe(404);
    expect(statusOf(missing).message).toBe('namespaces "nowhere" not found');
    await api.mustCreate("namespaces", undefined, makeNamespace("doomed"));
    expectCode(await api.delete("namespaces", undefined, "doomed"), 200);
    const terminating = await api.create("pods", "doomed", makePod("p"));
    expect(terminating.code).toBe(403);
    expect(statusOf(terminating)).toMatchObject({
      reason: "Forbidden",
      message: 'pods "p" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      details: { causes: [{ reason: "NamespaceTerminating", message: "namespace doomed is being terminated", field: "metadata.namespace" }] },
    });
  });

  it("refuses a body namespace or URL name that differs from the request's", async () => {
    const { api } = await startTestServer();
    const body = makePod("p");
    body.metadata!.namespace = "kube-system";
    const res = await api.create("pods", "default", body);
    expect(res.code).toBe(400);
    expect(statusOf(res).message).toBe("the namespace of the provided object does not match the namespace sent on the request");
    const named = await api.request("create", "pods", { namespace: "default", name: "other", subresource: undefined, body: makePod("p") });
    expect(named.code).toBe(400);
    expect(statusOf(named).message).toBe("the name of the object (p) does not match the name on the URL (other)");
    // A cluster-scoped object's namespace is cleared.
    const ns = await api.mustCreate("namespaces", undefined, { ...makeNamespace("n2"), metadata: { name: "n2", namespace: "x" } });
    expect(ns.metadata?.namespace).toBeUndefined();
  });

  it("refuses bodies of the wrong shape or kind with 400, invalid metadata with 422", async () => {
    const { api } = await startTestServer();
    for (const body of [null, [], "pod", 42]) expect((await api.create("pods", "default", body)).code).toBe(400);
    const wrongKind = await api.create("pods", "default", { apiVersion: "v1", kind: "Service", metadata: { name: "s" } });
    expect(wrongKind.code).toBe(400);
    expect(statusOf(wrongKind).message).toContain("cannot be handled as a Pod");
    const wrongVersion = await api.create("apps/v1/deployments", "default", { ...makeDeployment("d"), apiVersion: "apps/v1beta1" });
    expect(statusOf(wrongVersion).message).toBe("the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)");
    const withRv = await api.create("pods", "default", { ...makePod("p"), metadata: { name: "p", resourceVersion: "5" } });
    expect(statusOf(withRv)).toMatchObject({ code: 400, message: "resourceVersion should not be set on objects to be created" });
    const noName = await api.create("pods", "default", { ...makePod("x"), metadata: {} });
    expect(noName.code).toBe(422);
    expect(statusOf(noName)).toMatchObject({
      reason: "Invalid",
      message: 'Pod "" is invalid: metadata.name: Required value: name or generateName is required',
      details: { kind: "Pod", causes: [{ reason: "FieldValueRequired", field: "metadata.name" }] },
    });
    const badName = await api.create("configmaps", "default", makeConfigMap("Not_Valid"));
    expect(statusOf(badName).message).toContain('ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid"');
  });

  it("decodes bodies as their kind: type errors 400, unknown fields per fieldValidation", async () => {
    const { api } = await startTestServer();
    const body = { ...makeConfigMap("c"), extra: 1 };
    const strict = await api.create("configmaps", "default", body, { fieldValidation: "Strict" });
    expect(statusOf(strict)).toMatchObject({ code: 400, message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"' });
    const warn = await api.create("configmaps", "default", body);
    expect(warn.code).toBe(201);
    expect(warn.warnings).toEqual(['unknown field "extra"']);
    expect((warn.body as Record<string, unknown>).extra).toBeUndefined();
    const typed = await api.create("apps/v1/deployments", "default", { ...makeDeployment("d"), spec: { ...(makeDeployment("d").spec as object), replicas: "three" } });
    expect(statusOf(typed).code).toBe(400);
    expect(statusOf(typed).message).toContain('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string');
  });

  it("with dryRun=All validates but stores nothing", async () => {
    const { api } = await startTestServer();
    const res = await api.create("pods", "default", makePod("dry"), { dryRun: "All" });
    expect(res.code).toBe(201);
    expect((res.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion).toBeUndefined();
    expect((await api.get("pods", "default", "dry")).code).toBe(404);
    const bad = await api.create("pods", "default", makePod("dry"), { dryRun: "Some" });
    expect(statusOf(bad)).toMatchObject({ code: 422, message: 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"' });
  });

  it("runs mutating admission before validation and validating admission after it", async () => {
    const seen: string[] = [];
    const { api } = await startTestServer({
      hooks: {
        admission: {
          admit: async (a) => {
            seen.push(`admit ${a.operation} ${a.info.resource}`);
            if (a.info.resource === "pods" && a.object !== undefined) a.object.metadata = { ...a.object.metadata, labels: { admitted: "yes" } };
          },
          validate: async (a) => {
            seen.push(`validate ${a.operation} ${a.info.resource} ${a.object?.metadata?.labels?.admitted ?? "-"}`);
          },
        },
      },
    });
    seen.length = 0;
    const pod = await api.mustCreate("pods", "default", makePod("p"));
    expect(pod.metadata?.labels).toEqual({ admitted: "yes" });
    expect(seen).toEqual(["admit CREATE pods", "validate CREATE pods yes"]);
  });
});
