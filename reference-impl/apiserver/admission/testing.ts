// Test support for admission: a started API server on a LocalKv with the admission chain wired in
// (virtual time), an in-memory AdmissionClient, and AdmissionAttributes builders.
import { ApiError, type KubeObject } from "../../../spec/interfaces/api-client.ts";
import { SeededRng, Simulation, VirtualClock } from "../../runtime/index.ts";
import { LocalKv } from "../../store/local-kv.ts";
import { conflict, notFound } from "../errors.ts";
import type { AdmissionAttributes, AdmissionOperation } from "../hooks.ts";
import { RESOURCES, type ResourceInfo } from "../resources.ts";
import { ApiServer } from "../server.ts";
import { TestClient, type TestServer } from "../testing.ts";
import { type Admission, type AdmissionOptions, buildAdmission } from "./admission.ts";
import type { AdmissionClient, ResourceRef } from "./client.ts";

export interface AdmissionTestServer extends TestServer {
  admission: Admission;
}

/** A started server with the admission chain; `bootstrap` also creates the `kubernetes` service. */
export async function startAdmissionServer(
  opts: Partial<Omit<AdmissionOptions, "kv" | "clock" | "rng">> & { seed?: number; bootstrap?: boolean } = {},
): Promise<AdmissionTestServer> {
  const { seed, bootstrap, ...rest } = opts;
  const sim = new Simulation({ seed: seed ?? 1 });
  const kv = new LocalKv({ clock: sim.clock, rng: sim.rng("store") });
  const admission = buildAdmission({ kv, clock: sim.clock, rng: sim.rng("admission"), ...rest });
  const server = new ApiServer({ kv, clock: sim.clock, rng: sim.rng("apiserver"), hooks: admission.hooks, compactionIntervalMs: 0 });
  admission.attach(server);
  await server.start();
  if (bootstrap === true) await admission.bootstrap();
  return { sim, kv, server, api: new TestClient(server), admission };
}

/** The served kind at "pods", "apps/v1/deployments", "scheduling.k8s.io/v1/priorityclasses". */
export function infoOf(path: string): ResourceInfo {
  const parts = path.split("/");
  const [group, version, resource] = parts.length === 1 ? ["", "v1", parts[0]] : parts.length === 2 ? ["", parts[0], parts[1]] : parts;
  const info = RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
  if (info === undefined) throw new Error(`no served resource ${path}`);
  return info;
}

export interface AttrsOptions {
  namespace?: string;
  name?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  subresource?: string;
  dryRun?: boolean;
}

export function attrs(operation: AdmissionOperation, path: string, o: AttrsOptions = {}): AdmissionAttributes {
  const info = infoOf(path);
  const a: AdmissionAttributes = {
    operation,
    info,
    namespace: info.namespaced ? (o.namespace ?? "default") : "",
    name: o.name ?? o.object?.metadata?.name ?? o.oldObject?.metadata?.name ?? "",
    dryRun: o.dryRun ?? false,
    user: "admin",
  };
  if (o.object !== undefined) a.object = o.object;
  if (o.oldObject !== undefined) a.oldObject = o.oldObject;
  if (o.subresource !== undefined) a.subresource = o.subresource;
  return a;
}

/** An in-memory AdmissionClient: objects by resource, namespace and name, with resourceVersions. */
export class FakeClient implements AdmissionClient {
  readonly #objects = new Map<string, KubeObject>();
  #rv = 0;
  /** Status updates seen, in order. */
  readonly statusUpdates: KubeObject[] = [];
  /** Make the next N status updates fail with 409 (after bumping the stored object). */
  conflictsToInject = 0;

  add(ref: ResourceRef | string, obj: KubeObject): KubeObject {
    const r = typeof ref === "string" ? infoOf(ref) : ref;
    const stored = structuredClone(obj);
    stored.metadata = { ...(stored.metadata ?? {}), resourceVersion: String(++this.#rv) };
    this.#objects.set(keyOf(r, stored.metadata.namespace ?? "", stored.metadata.name ?? ""), stored);
    return structuredClone(stored);
  }

  async get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject | undefined> {
    const o = this.#objects.get(keyOf(ref, namespace, name));
    return o === undefined ? undefined : structuredClone(o);
  }

  async list(ref: ResourceRef, namespace: string): Promise<KubeObject[]> {
    const prefix = `${ref.group}/${ref.resource}/${namespace}/`;
    return [...this.#objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, o]) => structuredClone(o));
  }

  async updateStatus(ref: ResourceRef, obj: KubeObject): Promise<KubeObject> {
    const ns = obj.metadata?.namespace ?? "";
    const name = obj.metadata?.name ?? "";
    const key = keyOf(ref, ns, name);
    const current = this.#objects.get(key);
    if (current === undefined) throw new ApiError(notFound(ref, name));
    if (this.conflictsToInject > 0) {
      this.conflictsToInject--;
      this.add(ref, current);
      throw new ApiError(conflict(ref, name));
    }
    if (obj.metadata?.resourceVersion !== current.metadata?.resourceVersion) throw new ApiError(conflict(ref, name));
    this.statusUpdates.push(structuredClone(obj));
    return this.add(ref, { ...current, status: structuredClone(obj.status) });
  }
}

function keyOf(ref: ResourceRef, namespace: string, name: string): string {
  return `${ref.group}/${ref.resource}/${namespace}/${name}`;
}

/** A clock and rng for unit tests that need them (no simulation loop). */
export function testClockAndRng(seed = 1): { clock: VirtualClock; rng: SeededRng } {
  return { clock: new VirtualClock(), rng: SeededRng.fromSeed(seed) };
}
