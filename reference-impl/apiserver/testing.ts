// Test support for the API server core: a server on a LocalKv in a Simulation (virtual time), a
// small request client, a recording watch sink, and object builders.
import type { KubeObject, Status, WatchEvent } from "../../spec/interfaces/api-client.ts";
import { Simulation } from "../runtime/index.ts";
import { LocalKv } from "../store/local-kv.ts";
import type { ApiRequest, ApiResponse, Verb, WatchResponse, WatchSink } from "./request.ts";
import { ApiServer, type ApiServerOptions } from "./server.ts";

export interface TestServer {
  sim: Simulation;
  kv: LocalKv;
  server: ApiServer;
  api: TestClient;
}

/** A started server (system namespaces exist) on a fresh store, in virtual time. */
export async function startTestServer(opts: Partial<ApiServerOptions> & { seed?: number } = {}): Promise<TestServer> {
  const sim = new Simulation({ seed: opts.seed ?? 1 });
  const kv = new LocalKv({ clock: sim.clock, rng: sim.rng("store") });
  const server = new ApiServer({ kv, clock: sim.clock, rng: sim.rng("apiserver"), ...opts });
  await server.start();
  return { sim, kv, server, api: new TestClient(server) };
}

/** "pods" (core/v1), "apps/v1/deployments", "scheduling.k8s.io/v1/priorityclasses". */
export function gvr(path: string): { group: string; version: string; resource: string } {
  const parts = path.split("/");
  if (parts.length === 1) return { group: "", version: "v1", resource: parts[0]! };
  if (parts.length === 2) return { group: "", version: parts[0]!, resource: parts[1]! };
  return { group: parts[0]!, version: parts[1]!, resource: parts[2]! };
}

type Query = Record<string, string>;

/** Requests as the HTTP layer would build them; answers are ApiResponses. */
export class TestClient {
  constructor(readonly server: ApiServer) {}

  request(verb: Verb, resource: string, fields: Partial<ApiRequest> = {}): Promise<ApiResponse> {
    return this.server.handle({ verb, ...gvr(resource), query: {}, user: "admin", ...fields });
  }

  create(resource: string, namespace: string | undefined, body: unknown, query: Query = {}): Promise<ApiResponse> {
    return this.request("create", resource, withNs({ body, query }, namespace));
  }

  get(resource: string, namespace: string | undefined, name: string, query: Query = {}, subresource?: string): Promise<ApiResponse> {
    return this.request("get", resource, withNs({ name, query, subresource }, namespace));
  }

  list(resource: string, namespace: string | undefined, query: Query = {}): Promise<ApiResponse> {
    return this.request("list", resource, withNs({ query }, namespace));
  }

  update(resource: string, namespace: string | undefined, body: KubeObject, query: Query = {}, subresource?: string): Promise<ApiResponse> {
    return this.request("update", resource, withNs({ name: body.metadata?.name ?? "", body, query, subresource }, namespace));
  }

  patch(
    resource: string,
    namespace: string | undefined,
    name: string,
    type: "json" | "merge" | "strategic" | "apply",
    body: unknown,
    query: Query = {},
    subresource?: string,
  ): Promise<ApiResponse> {
    const contentType = {
      json: "application/json-patch+json",
      merge: "application/merge-patch+json",
      strategic: "application/strategic-merge-patch+json",
      apply: "application/apply-patch+yaml",
    }[type];
    return this.request("patch", resource, withNs({ name, body, query, contentType, subresource }, namespace));
  }

  delete(resource: string, namespace: string | undefined, name: string, query: Query = {}, body?: unknown): Promise<ApiResponse> {
    return this.request("delete", resource, withNs({ name, query, body }, namespace));
  }

  deleteCollection(resource: string, namespace: string | undefined, query: Query = {}): Promise<ApiResponse> {
    return this.request("deletecollection", resource, withNs({ query }, namespace));
  }

  /** Creates and returns the created object; fails the test on any other answer. */
  async mustCreate(resource: string, namespace: string | undefined, body: unknown, query: Query = {}): Promise<KubeObject> {
    return expectCode(await this.create(resource, namespace, body, query), 201);
  }

  async mustGet(resource: string, namespace: string | undefined, name: string): Promise<KubeObject> {
    return expectCode(await this.get(resource, namespace, name), 200);
  }

  watch(resource: string, namespace: string | undefined, query: Query = {}): { sink: RecordingSink; res: WatchResponse | ApiResponse } {
    const sink = new RecordingSink();
    const res = this.server.watch({ verb: "watch", ...gvr(resource), query, user: "admin", ...(namespace === undefined ? {} : { namespace }) }, sink);
    return { sink, res };
  }
}

function withNs(fields: Partial<ApiRequest>, namespace: string | undefined): Partial<ApiRequest> {
  const out: Partial<ApiRequest> = { ...fields };
  if (out.subresource === undefined) delete out.subresource;
  if (out.body === undefined) delete out.body;
  if (namespace !== undefined) out.namespace = namespace;
  return out;
}

/** The body of a response with the expected code; throws with the Status otherwise. */
export function expectCode(res: ApiResponse, code: number): KubeObject {
  if (res.code !== code) throw new Error(`expected ${code}, got ${res.code}: ${JSON.stringify(res.body)}`);
  return res.body as KubeObject;
}

export function statusOf(res: ApiResponse): Status {
  return res.body as Status;
}

export class RecordingSink implements WatchSink {
  readonly events: WatchEvent[] = [];
  closed = false;

  event(ev: WatchEvent): void {
    if (this.closed) throw new Error("event after close");
    this.events.push(ev);
  }

  close(): void {
    if (this.closed) throw new Error("closed twice");
    this.closed = true;
  }

  /** "ADDED a", "MODIFIED a", ... (BOOKMARK as "BOOKMARK <rv>"). */
  summary(): string[] {
    return this.events.map((e) =>
      e.type === "BOOKMARK" ? `BOOKMARK ${e.object.metadata?.resourceVersion}` : `${e.type} ${e.object.metadata?.name ?? (e.object as unknown as Status).reason}`,
    );
  }
}

// ---- builders -----------------------------------------------------------------------------------

export interface PodOptions {
  labels?: Record<string, string>;
  nodeName?: string;
  finalizers?: string[];
  terminationGracePeriodSeconds?: number;
  generateName?: string;
}

export function makePod(name: string, opts: PodOptions = {}): KubeObject {
  const metadata: Record<string, unknown> = name === "" ? { generateName: opts.generateName ?? "pod-" } : { name };
  if (opts.labels !== undefined) metadata.labels = opts.labels;
  if (opts.finalizers !== undefined) metadata.finalizers = opts.finalizers;
  const spec: Record<string, unknown> = { containers: [{ name: "app", image: "nginx" }] };
  if (opts.nodeName !== undefined) spec.nodeName = opts.nodeName;
  if (opts.terminationGracePeriodSeconds !== undefined) spec.terminationGracePeriodSeconds = opts.terminationGracePeriodSeconds;
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}

export function makeConfigMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: labels === undefined ? { name } : { name, labels }, data };
}

export function makeDeployment(name: string, replicas = 1, labels: Record<string, string> = { app: name }): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "nginx" }] } },
    },
  };
}

export function makeNamespace(name: string): KubeObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

const podTemplate = (labels: Record<string, string>, restartPolicy?: string): KubeObject => ({
  metadata: { labels },
  spec: { containers: [{ name: "app", image: "nginx" }], ...(restartPolicy === undefined ? {} : { restartPolicy }) },
});

/** A small valid object of every served kind (as `<group>/<Kind>`), for tests that go through validation. */
export function minimalObject(group: string, kind: string, name: string): KubeObject {
  const labels = { app: name };
  const selector = { matchLabels: labels };
  const bodies: Record<string, Record<string, unknown>> = {
    "/Namespace": {},
    "/Node": {},
    "/Pod": { spec: { containers: [{ name: "app", image: "nginx" }] } },
    "/Service": { spec: { clusterIP: "None", selector: labels, ports: [{ port: 80 }] } },
    "/Endpoints": { subsets: [] },
    "/Event": { involvedObject: { kind: "Pod", name: "web", namespace: "default" }, reason: "Started", message: "started", type: "Normal", source: { component: "kubelet" } },
    "/ConfigMap": { data: {} },
    "/Secret": { type: "Opaque" },
    "/ServiceAccount": {},
    "/LimitRange": { spec: { limits: [{ type: "Container", default: { cpu: "100m" } }] } },
    "/ResourceQuota": { spec: { hard: { pods: "10" } } },
    "apps/Deployment": { spec: { replicas: 1, selector, template: podTemplate(labels) } },
    "apps/ReplicaSet": { spec: { replicas: 1, selector, template: podTemplate(labels) } },
    "apps/DaemonSet": { spec: { selector, template: podTemplate(labels) } },
    "apps/StatefulSet": { spec: { replicas: 1, serviceName: name, selector, template: podTemplate(labels) } },
    "apps/ControllerRevision": { revision: 1, data: {} },
    "batch/Job": { spec: { template: podTemplate(labels, "Never") } },
    "batch/CronJob": { spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: podTemplate(labels, "OnFailure") } } } },
    "policy/PodDisruptionBudget": { spec: { minAvailable: 1, selector } },
    "coordination.k8s.io/Lease": { spec: { holderIdentity: "me", leaseDurationSeconds: 40 } },
    "discovery.k8s.io/EndpointSlice": { addressType: "IPv4", endpoints: [] },
    "scheduling.k8s.io/PriorityClass": { value: 1000 },
    "networking.k8s.io/Ingress": { spec: { defaultBackend: { service: { name: "web", port: { number: 80 } } } } },
    "events.k8s.io/Event": {
      eventTime: "2024-01-01T00:00:00.000000Z",
      reportingController: "example.com/controller",
      reportingInstance: "controller-1",
      action: "Sync",
      reason: "Synced",
      regarding: { kind: "Pod", name: "web", namespace: "default" },
      note: "synced",
      type: "Normal",
    },
  };
  const body = bodies[`${group}/${kind}`];
  if (body === undefined) throw new Error(`no minimal object for ${group}/${kind}`);
  return { apiVersion: group === "" ? "v1" : `${group}/v1`, kind, metadata: { name }, ...structuredClone(body) };
}
