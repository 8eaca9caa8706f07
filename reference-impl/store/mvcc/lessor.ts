// The replicated part of etcd's lessor (lease/lessor.go): which leases exist, their granted TTL and
// the keys attached to them. Expiry times are not replicated state — etcd's leader keeps them in
// memory and renews every lease to its full TTL when it becomes leader (or restarts) — so they live
// in LocalKv, which drives expiry from its Clock by issuing revoke commands.
import { KvErrors, type Bytes } from "../../../spec/interfaces/kv.ts";
import { bytesToKey, compareBytes } from "./bytes.ts";

export interface LessorLimits {
  minLeaseTtlSeconds: number;
  maxLeaseTtlSeconds: number;
}

export interface Lease {
  readonly id: bigint;
  /** Granted TTL in seconds, after raising it to the minimum. */
  readonly ttlSeconds: number;
  /** Attached keys, by bytesToKey string. */
  readonly keys: Map<string, Bytes>;
}

export class Lessor {
  readonly #leases = new Map<bigint, Lease>();

  constructor(private readonly limits: LessorLimits) {}

  get size(): number {
    return this.#leases.size;
  }

  get(id: bigint): Lease | undefined {
    return this.#leases.get(id);
  }

  /** etcd's Grant: id 0 is "not found"; above the max TTL is an error; below the min is raised. */
  grant(id: bigint, ttlSeconds: number): Lease {
    if (id === 0n) throw KvErrors.leaseNotFound();
    if (ttlSeconds > this.limits.maxLeaseTtlSeconds) throw KvErrors.leaseTTLTooLarge();
    if (this.#leases.has(id)) throw KvErrors.leaseExist();
    const lease: Lease = { id, ttlSeconds: Math.max(ttlSeconds, this.limits.minLeaseTtlSeconds), keys: new Map() };
    this.#leases.set(id, lease);
    return lease;
  }

  /** Forgets the lease; the caller deletes its keys in the same revision. */
  remove(id: bigint): void {
    this.#leases.delete(id);
  }

  attach(id: bigint, key: Bytes): void {
    this.#leases.get(id)?.keys.set(bytesToKey(key), key);
  }

  detach(id: bigint, key: Bytes): void {
    this.#leases.get(id)?.keys.delete(bytesToKey(key));
  }

  /** Attached keys in byte order (etcd sorts them before deleting, so members agree). */
  sortedKeys(id: bigint): Bytes[] {
    const lease = this.#leases.get(id);
    return lease ? [...lease.keys.values()].sort(compareBytes) : [];
  }

  /** Leases in ID order. */
  list(): Lease[] {
    return [...this.#leases.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
