// Service ClusterIP and NodePort allocation (pkg/registry/core/service/storage/alloc.go): what the
// service REST layer does on create (BeginCreate) and update (BeginUpdate) before the strategy and
// validation run, and on delete (AfterDelete). Each call returns a transaction: revert() gives back
// what it allocated (the write failed), commit() releases what the new object no longer uses (the
// write succeeded).
import { ApiError, type KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { Clock } from "../../../spec/interfaces/clock.ts";
import type { KV } from "../../../spec/interfaces/kv.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";
import { type FieldError, FieldPath, invalid as fieldInvalid } from "../../../spec/semantics/field-errors.ts";
import { internalError, invalid } from "../errors.ts";
import { type AllocationOwner, AllocationError, RangeAllocator } from "./allocator.ts";
import { type AdmissionClient, SERVICES } from "./client.ts";
import { type Json, num, rec, records } from "./json.ts";
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE, NodePortRange, ServiceIPRange, formatIPv4 } from "./ranges.ts";
import {
  CLUSTER_IP_NONE,
  clusterIPsOf,
  clusterIPsWellFormed,
  dropTypeDependentFields,
  initIPFamilyFields,
  isHeadless,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePort,
  nodePortsOf,
  normalizeClusterIPs,
  patchAllocatedValues,
  shouldAllocateNodePorts,
} from "./service-fields.ts";

export const SERVICE_IPS_PREFIX = "/registry/ranges/serviceips/";
export const SERVICE_NODE_PORTS_PREFIX = "/registry/ranges/servicenodeports/";
/** A record younger than this is never taken for stale (a create may still be in flight). */
export const DEFAULT_STALE_ALLOCATION_MS = 60_000;
/** The first port the dry-run node port allocator makes up (upstream's dummy values start above 32768). */
const DRY_RUN_FIRST_PORT = 32769;

export interface ServiceAllocatorOptions {
  kv: KV;
  clock: Clock;
  rng: Rng;
  /** Reads services, to tell whether an allocation's owner still holds it. */
  client: AdmissionClient;
  serviceClusterIPRange?: string;
  serviceNodePortRange?: string;
  staleAfterMs?: number;
}

/** What one write allocated, and what it will give back once it succeeds. */
export interface AllocationTxn {
  commit(): Promise<void>;
  revert(): Promise<void>;
}

interface Items {
  ips: string[];
  ports: number[];
}

export class ServiceAllocator {
  readonly ipRange: ServiceIPRange;
  readonly portRange: NodePortRange;
  readonly ips: RangeAllocator;
  readonly ports: RangeAllocator;

  constructor(opts: ServiceAllocatorOptions) {
    this.ipRange = new ServiceIPRange(opts.serviceClusterIPRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE);
    this.portRange = new NodePortRange(opts.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE);
    const common = { kv: opts.kv, clock: opts.clock, staleAfterMs: opts.staleAfterMs ?? DEFAULT_STALE_ALLOCATION_MS };
    const holds = (test: (spec: Json, item: string) => boolean) => async (item: string, owner: AllocationOwner) => {
      const svc = await opts.client.get(SERVICES, owner.namespace, owner.name);
      return svc !== undefined && svc.metadata?.uid === owner.uid && test(rec(svc.spec), item);
    };
    this.ips = new RangeAllocator({
      ...common,
      rng: opts.rng.fork("serviceips"),
      prefix: SERVICE_IPS_PREFIX,
      range: this.ipRange,
      holds: holds((spec, ip) => clusterIPsOf(spec).includes(ip)),
      allocatedMessage: "provided IP is already allocated",
      notInRangeMessage: (ip) => `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.ipRange.description}`,
    });
    this.ports = new RangeAllocator({
      ...common,
      rng: opts.rng.fork("servicenodeports"),
      prefix: SERVICE_NODE_PORTS_PREFIX,
      range: this.portRange,
      holds: holds((spec, port) => nodePortsOf(spec).includes(Number(port))),
      allocatedMessage: "provided port is already allocated",
      notInRangeMessage: () => `provided port is not in the valid range. The range of valid ports is ${this.portRange.description}`,
    });
  }

  /** allocateCreate: IP family fields, clusterIPs and node ports of a new service, in place. */
  async allocateCreate(svc: KubeObject, dryRun: boolean): Promise<AllocationTxn> {
    const spec = specOf(svc);
    normalizeClusterIPs(spec, undefined);
    const op = new Operation(this, ownerOf(svc), dryRun);
    try {
      if (!clusterIPsWellFormed(spec)) return op.txn();
      this.#checkFamilies(svc, initIPFamilyFields(spec, undefined));
      await this.#allocClusterIPs(svc, op);
      if (needsNodePort(spec)) await this.#initNodePorts(svc, op);
      if (needsHealthCheckNodePort(spec)) await this.#allocHealthCheckNodePort(spec, op);
      return op.txn();
    } catch (err) {
      await op.revert();
      throw err;
    }
  }

  /** allocateUpdate: carry over, allocate for a type change, and release on commit what is no longer used. */
  async allocateUpdate(svc: KubeObject, old: KubeObject, dryRun: boolean): Promise<AllocationTxn> {
    const spec = specOf(svc);
    const oldSpec = rec(old.spec);
    patchAllocatedValues(spec, oldSpec);
    normalizeClusterIPs(spec, oldSpec);
    const op = new Operation(this, ownerOf(old), dryRun);
    try {
      if (clusterIPsWellFormed(spec)) {
        this.#checkFamilies(svc, initIPFamilyFields(spec, oldSpec));
        await this.#updateClusterIPs(svc, oldSpec, op);
      }
      await this.#updateNodePorts(svc, oldSpec, op);
      dropTypeDependentFields(spec, oldSpec);
      return op.txn();
    } catch (err) {
      await op.revert();
      throw err;
    }
  }

  /** AfterDelete: everything the deleted service held. */
  async releaseAll(svc: KubeObject): Promise<void> {
    const spec = rec(svc.spec);
    const owner = ownerOf(svc);
    for (const ip of clusterIPsOf(spec)) if (ip !== CLUSTER_IP_NONE) await this.ips.release(ip, owner);
    for (const port of nodePortsOf(spec)) await this.ports.release(String(port), owner);
  }

  /** The repair controllers' job: free every allocation whose owner no longer holds it. */
  async repair(): Promise<{ ips: string[]; ports: string[] }> {
    return { ips: await this.ips.repair(), ports: await this.ports.repair() };
  }

  #checkFamilies(svc: KubeObject, errs: FieldError[]): void {
    if (errs.length > 0) throw new ApiError(invalid("", "Service", svc.metadata?.name ?? "", errs));
  }

  async #allocClusterIPs(svc: KubeObject, op: Operation): Promise<void> {
    const spec = specOf(svc);
    if (!needsClusterIP(spec) || isHeadless(spec)) return;
    const ips = clusterIPsOf(spec);
    const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies.map(String) : ["IPv4"];
    families.forEach((_f, i) => {
      if (i >= ips.length) ips.push("");
    });
    // Only IPv4 reaches here: initIPFamilyFields refused anything else.
    const wanted = ips[0] ?? "";
    let ip: string;
    if (wanted === "") {
      try {
        ip = await op.nextIP();
      } catch (err) {
        throw allocationFailure(err, (e) => internalError(`failed to allocate a serviceIP: ${e.message}`));
      }
    } else {
      try {
        await op.ip(wanted);
      } catch (err) {
        const path = FieldPath.of("spec", "clusterIPs");
        throw allocationFailure(err, (e) => invalid("", "Service", svc.metadata?.name ?? "", [fieldInvalid(path, clusterIPsOf(spec), `failed to allocate IP ${wanted}: ${e.message}`)]));
      }
      ip = wanted;
    }
    ips[0] = ip;
    spec.clusterIPs = ips;
    spec.clusterIP = ip;
  }

  async #updateClusterIPs(svc: KubeObject, oldSpec: Json, op: Operation): Promise<void> {
    const spec = specOf(svc);
    if (!needsClusterIP(oldSpec) && needsClusterIP(spec)) return this.#allocClusterIPs(svc, op);
    if (isHeadless(oldSpec)) return;
    if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
      for (const ip of clusterIPsOf(oldSpec)) op.releaseLater("ip", ip);
    }
  }

  /** initNodePorts: explicit values are reserved, missing ones drawn; equal service ports share one. */
  async #initNodePorts(svc: KubeObject, op: Operation): Promise<void> {
    const spec = specOf(svc);
    const ports = records(spec.ports);
    const byServicePort = new Map<number, number>();
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i] as Json;
      const nodePort = num(p.nodePort) ?? 0;
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
      const servicePort = num(p.port) ?? 0;
      const shared = byServicePort.get(servicePort) ?? 0;
      if (shared === 0) {
        const requested = ports.find((q) => (num(q.port) ?? 0) === servicePort && (num(q.nodePort) ?? 0) !== 0);
        const np = requested === undefined ? await this.#nextNodePort(op) : await this.#reserveNodePort(svc, op, i, num(requested.nodePort) ?? 0);
        p.nodePort = np;
        byServicePort.set(servicePort, np);
      } else if (nodePort !== shared) {
        if (nodePort === 0) p.nodePort = shared;
        else await this.#reserveNodePort(svc, op, i, nodePort);
      }
    }
  }

  async #updateNodePorts(svc: KubeObject, oldSpec: Json, op: Operation): Promise<void> {
    const spec = specOf(svc);
    const oldNodePorts = records(oldSpec.ports).map((p) => num(p.nodePort) ?? 0).filter((n) => n !== 0);
    if (needsNodePort(oldSpec) && !needsNodePort(spec)) for (const n of oldNodePorts) op.releaseLater("port", String(n));
    if (needsNodePort(spec)) {
      const reserved = new Set<number>();
      const ports = records(spec.ports);
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i] as Json;
        const nodePort = num(p.nodePort) ?? 0;
        if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
        if (nodePort === 0) p.nodePort = await this.#nextNodePort(op);
        else if (!oldNodePorts.includes(nodePort) && !reserved.has(nodePort)) {
          await this.#reserveNodePort(svc, op, i, nodePort);
          reserved.add(nodePort);
        }
      }
      const kept = new Set(records(spec.ports).map((p) => num(p.nodePort) ?? 0));
      for (const n of oldNodePorts) if (!kept.has(n)) op.releaseLater("port", String(n));
    }
    const hadHC = needsHealthCheckNodePort(oldSpec);
    const needsHC = needsHealthCheckNodePort(spec);
    if (!hadHC && needsHC) await this.#allocHealthCheckNodePort(spec, op);
    const oldHC = num(oldSpec.healthCheckNodePort) ?? 0;
    if (hadHC && !needsHC && oldHC !== 0) op.releaseLater("port", String(oldHC));
  }

  async #reserveNodePort(svc: KubeObject, op: Operation, index: number, port: number): Promise<number> {
    try {
      await op.port(port);
      return port;
    } catch (err) {
      const path = FieldPath.of("spec", "ports").index(index).child("nodePort");
      throw allocationFailure(err, (e) => invalid("", "Service", svc.metadata?.name ?? "", [fieldInvalid(path, port, e.message)]));
    }
  }

  async #nextNodePort(op: Operation): Promise<number> {
    try {
      return await op.nextPort();
    } catch (err) {
      throw allocationFailure(err, (e) => internalError(`failed to allocate a nodePort: ${e.message}`));
    }
  }

  async #allocHealthCheckNodePort(spec: Json, op: Operation): Promise<void> {
    const wanted = num(spec.healthCheckNodePort) ?? 0;
    try {
      if (wanted !== 0) await op.port(wanted);
      else spec.healthCheckNodePort = await op.nextPort();
    } catch (err) {
      const why = wanted !== 0 ? `failed to allocate requested HealthCheck NodePort ${wanted}` : "failed to allocate a HealthCheck NodePort 0";
      throw allocationFailure(err, (e) => internalError(`${why}: ${e.message}`));
    }
  }
}

/** One allocate/release operation of a request: what it took (to revert) and what it frees on commit. */
class Operation {
  readonly #taken: Items = { ips: [], ports: [] };
  readonly #later: Items = { ips: [], ports: [] };
  readonly #dryRunPorts: number[] = [];

  constructor(
    readonly alloc: ServiceAllocator,
    readonly owner: AllocationOwner,
    readonly dryRun: boolean,
  ) {}

  async ip(ip: string): Promise<void> {
    // Upstream's dry run only checks the range.
    if (this.dryRun) return this.alloc.ips.assertInRange(ip);
    await this.alloc.ips.allocate(ip, this.owner);
    this.#taken.ips.push(ip);
  }

  async nextIP(): Promise<string> {
    // Upstream's dry run answers with the range's base address.
    if (this.dryRun) return formatIPv4(this.alloc.ipRange.network);
    const ip = await this.alloc.ips.allocateNext(this.owner);
    this.#taken.ips.push(ip);
    return ip;
  }

  async port(port: number): Promise<void> {
    if (this.#taken.ports.includes(port) || this.#dryRunPorts.includes(port)) throw new AllocationError("Allocated", "provided port is already allocated");
    if (this.dryRun) {
      // Upstream's dry run checks only what is allocated (not the range), and remembers what it "took".
      if (await this.alloc.ports.has(String(port))) throw new AllocationError("Allocated", "provided port is already allocated");
      this.#dryRunPorts.push(port);
      return;
    }
    await this.alloc.ports.allocate(String(port), this.owner);
    this.#taken.ports.push(port);
  }

  async nextPort(): Promise<number> {
    if (this.dryRun) {
      const port = this.#dryRunPorts.length === 0 ? DRY_RUN_FIRST_PORT : Math.max(...this.#dryRunPorts) + 1;
      this.#dryRunPorts.push(port);
      return port;
    }
    const port = Number(await this.alloc.ports.allocateNext(this.owner));
    this.#taken.ports.push(port);
    return port;
  }

  releaseLater(kind: "ip" | "port", item: string): void {
    if (kind === "ip" && item !== CLUSTER_IP_NONE && item !== "") this.#later.ips.push(item);
    if (kind === "port") this.#later.ports.push(Number(item));
  }

  async revert(): Promise<void> {
    for (const ip of this.#taken.ips) await this.alloc.ips.release(ip, this.owner);
    for (const port of this.#taken.ports) await this.alloc.ports.release(String(port), this.owner);
    this.#taken.ips.length = 0;
    this.#taken.ports.length = 0;
  }

  txn(): AllocationTxn {
    return {
      commit: async () => {
        if (this.dryRun) return;
        for (const ip of this.#later.ips) await this.alloc.ips.release(ip, this.owner);
        for (const port of this.#later.ports) await this.alloc.ports.release(String(port), this.owner);
      },
      revert: () => this.revert(),
    };
  }
}

function specOf(svc: KubeObject): Json {
  const spec = rec(svc.spec);
  svc.spec = spec;
  return spec;
}

function ownerOf(svc: KubeObject): AllocationOwner {
  return { namespace: svc.metadata?.namespace ?? "", name: svc.metadata?.name ?? "", uid: svc.metadata?.uid ?? "" };
}

/** An AllocationError as the Status upstream gives; anything else passes through. */
function allocationFailure(err: unknown, status: (e: AllocationError) => ReturnType<typeof internalError>): unknown {
  return err instanceof AllocationError ? new ApiError(status(err)) : err;
}

