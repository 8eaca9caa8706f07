// The generic object store over the KV, after upstream's etcd3 store
// (k8s.io/apiserver/pkg/storage/etcd3/store.go): Get, Create (txn: create_revision == 0 → put),
// GuaranteedUpdate (read, transform, txn: mod_revision unchanged → put, else re-read and retry),
// Delete (txn guarded the same way). resourceVersion is the key's modRevision.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { KvError, type KV, type KeyValue } from "../../../spec/interfaces/kv.ts";
import type { ResourceInfo } from "../resources.ts";
import { decodeObject, encodeObject, keyBytes } from "./codec.ts";
import { StorageError } from "./errors.ts";
import { jsonEqualIgnoringResourceVersion } from "./json-equal.ts";
import { checkMinimumResourceVersion } from "./resource-version.ts";

/** DeleteOptions.preconditions / storage.Preconditions. */
export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** A transform that may also decline: throw an ApiError to fail the update. */
export type TryUpdate = (existing: KubeObject | undefined, revision: number) => Promise<KubeObject> | KubeObject;

export interface GuaranteedUpdateOptions {
  preconditions?: Preconditions;
  /** Call tryUpdate with `undefined` when the key does not exist (create-on-update). */
  ignoreNotFound?: boolean;
  dryRun?: boolean;
}

/** Contended txns retried before giving up with a Conflict (upstream retries forever). */
export const MAX_GUARANTEED_UPDATE_ATTEMPTS = 64;

export class ObjectStore {
  constructor(readonly kv: KV) {}

  /** The object at `key`, or undefined; `minResourceVersion` must not be newer than the store. */
  async get(info: ResourceInfo, key: string, minResourceVersion?: string): Promise<KubeObject | undefined> {
    const res = await this.kv.range({ key: keyBytes(key) });
    checkMinimumResourceVersion(minResourceVersion === "0" ? undefined : minResourceVersion, res.header.revision);
    const kv = res.kvs[0];
    return kv === undefined ? undefined : decodeObject(info, kv);
  }

  async create(info: ResourceInfo, key: string, obj: KubeObject, dryRun = false): Promise<KubeObject> {
    const k = keyBytes(key);
    if (dryRun) {
      const res = await this.kv.range({ key: k, countOnly: true });
      if (res.count > 0) throw new StorageError("KeyExists", `key exists: ${key}`);
      return withResourceVersion(obj, undefined);
    }
    const res = await this.kv.txn({
      compare: [{ key: k, target: "CREATE", result: "EQUAL", createRevision: 0 }],
      success: [{ requestPut: { key: k, value: encodeObject(info, obj) } }],
      failure: [],
    });
    if (!res.succeeded) throw new StorageError("KeyExists", `key exists: ${key}`);
    return withResourceVersion(obj, String(res.header.revision));
  }

  /**
   * GuaranteedUpdate: applies `tryUpdate` to the current object and writes the result only if the
   * object did not change meanwhile; otherwise re-reads and tries again. A result equal to the
   * current object is not written (no new resourceVersion), as upstream skips no-op updates.
   */
  async guaranteedUpdate(info: ResourceInfo, key: string, opts: GuaranteedUpdateOptions, tryUpdate: TryUpdate): Promise<KubeObject> {
    const k = keyBytes(key);
    let current = await this.#read(k);
    for (let attempt = 1; ; attempt++) {
      const existing = current === undefined ? undefined : decodeObject(info, current);
      if (existing === undefined && opts.ignoreNotFound !== true) throw new StorageError("KeyNotFound", `key not found: ${key}`);
      if (existing !== undefined) checkPreconditions(opts.preconditions, existing);
      const updated = await tryUpdate(existing === undefined ? undefined : structuredClone(existing), current?.modRevision ?? 0);
      if (existing !== undefined && jsonEqualIgnoringResourceVersion(updated, existing)) return existing;
      if (opts.dryRun === true) return withResourceVersion(updated, existing?.metadata?.resourceVersion);
      const res = await this.kv.txn({
        compare: [
          current === undefined
            ? { key: k, target: "CREATE", result: "EQUAL", createRevision: 0 }
            : { key: k, target: "MOD", result: "EQUAL", modRevision: current.modRevision },
        ],
        success: [{ requestPut: { key: k, value: encodeObject(info, updated) } }],
        failure: [{ requestRange: { key: k } }],
      });
      if (res.succeeded) return withResourceVersion(updated, String(res.header.revision));
      if (attempt >= MAX_GUARANTEED_UPDATE_ATTEMPTS) throw new StorageError("Conflict", `too many conflicting writes to ${key}`);
      const failed = res.responses[0];
      current = failed !== undefined && "responseRange" in failed ? failed.responseRange.kvs[0] : await this.#read(k);
    }
  }

  /**
   * Deletes the object at `key` if the preconditions hold and `validateDeletion` accepts the
   * current object. Returns the last state, its resourceVersion the delete's revision.
   */
  async delete(
    info: ResourceInfo,
    key: string,
    preconditions: Preconditions | undefined,
    validateDeletion: (existing: KubeObject) => Promise<void> | void,
    dryRun = false,
  ): Promise<KubeObject> {
    const k = keyBytes(key);
    for (let attempt = 1; ; attempt++) {
      const current = await this.#read(k);
      if (current === undefined) throw new StorageError("KeyNotFound", `key not found: ${key}`);
      const existing = decodeObject(info, current);
      checkPreconditions(preconditions, existing);
      await validateDeletion(existing);
      if (dryRun) return existing;
      const res = await this.kv.txn({
        compare: [{ key: k, target: "MOD", result: "EQUAL", modRevision: current.modRevision }],
        success: [{ requestDeleteRange: { key: k } }],
        failure: [],
      });
      if (res.succeeded) return withResourceVersion(existing, String(res.header.revision));
      if (attempt >= MAX_GUARANTEED_UPDATE_ATTEMPTS) throw new StorageError("Conflict", `too many conflicting writes to ${key}`);
    }
  }

  async #read(key: Uint8Array): Promise<KeyValue | undefined> {
    return (await this.kv.range({ key })).kvs[0];
  }
}

/** storage.Preconditions.Check, with upstream's messages. */
export function checkPreconditions(pre: Preconditions | undefined, obj: KubeObject): void {
  if (pre === undefined) return;
  const uid = obj.metadata?.uid ?? "";
  if (pre.uid !== undefined && pre.uid !== uid) {
    throw new StorageError("PreconditionFailed", `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uid}`);
  }
  const rv = obj.metadata?.resourceVersion ?? "";
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== rv) {
    throw new StorageError(
      "PreconditionFailed",
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${rv}`,
    );
  }
}

/** A copy of `obj` whose metadata.resourceVersion is `rv` (removed when undefined). */
export function withResourceVersion(obj: KubeObject, rv: string | undefined): KubeObject {
  const { resourceVersion: _old, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: rv === undefined ? meta : { ...meta, resourceVersion: rv } };
}

/** etcd's "required revision has been compacted", as a StorageError. */
export function isCompacted(err: unknown): boolean {
  return err instanceof KvError && err.code === "OUT_OF_RANGE" && err.message.includes("compacted");
}

/** etcd's "required revision is a future revision". */
export function isFutureRevision(err: unknown): boolean {
  return err instanceof KvError && err.code === "OUT_OF_RANGE" && err.message.includes("future revision");
}
