// The informer's local cache: objects by key with secondary indexes, after client-go's
// tools/cache Indexer (threadSafeMap + storeIndex). Keys are client-go's MetaNamespaceKeyFunc:
// `namespace/name`, or `name` for cluster-scoped objects.
import type { KubeObject } from "../../spec/interfaces/api-client.ts";

/** An index function: the index values an object is filed under (none, one or several). */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => string[];
export type Indexers<T extends KubeObject = KubeObject> = Record<string, IndexFunc<T>>;

/** client-go's NamespaceIndex name and MetaNamespaceIndexFunc. */
export const NAMESPACE_INDEX = "namespace";
export const byNamespace: IndexFunc = (obj) => [obj.metadata?.namespace ?? ""];

/** Pods by the node they are bound to (unbound pods are not indexed), as the kubelet and scheduler use. */
export const NODE_NAME_INDEX = "nodeName";
export const byNodeName: IndexFunc = (obj) => {
  const nodeName = (obj.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof nodeName === "string" && nodeName !== "" ? [nodeName] : [];
};

/** MetaNamespaceKeyFunc. */
export function metaNamespaceKey(obj: KubeObject): string {
  const name = obj.metadata?.name ?? "";
  const namespace = obj.metadata?.namespace ?? "";
  return namespace === "" ? name : `${namespace}/${name}`;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === "" ? name : `${namespace}/${name}`;
}

export class Indexer<T extends KubeObject = KubeObject> {
  readonly #items = new Map<string, T>();
  readonly #indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys. */
  readonly #indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers(indexers);
  }

  /** Adds indexes (and files every present object under them); a name may be added once. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
      this.#indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, obj] of this.#items) file(index, fn(obj), key);
    }
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Objects in insertion order. */
  list(): T[] {
    return [...this.#items.values()];
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  /** Adds or replaces the object under `key` and re-files it in every index. */
  set(key: string, obj: T): void {
    const old = this.#items.get(key);
    if (old !== undefined) this.#unfile(key, old);
    this.#items.set(key, obj);
    for (const [name, fn] of this.#indexers) file(this.#indices.get(name)!, fn(obj), key);
  }

  delete(key: string): T | undefined {
    const old = this.#items.get(key);
    if (old === undefined) return undefined;
    this.#unfile(key, old);
    this.#items.delete(key);
    return old;
  }

  /** Objects filed under `value` in index `indexName`. */
  byIndex(indexName: string, value: string): T[] {
    const keys = this.indexKeys(indexName, value);
    return keys.map((k) => this.#items.get(k)!);
  }

  /** Keys filed under `value` in index `indexName`. */
  indexKeys(indexName: string, value: string): string[] {
    const index = this.#indices.get(indexName);
    if (index === undefined) throw new Error(`Index with name ${indexName} does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** The values present in index `indexName`. */
  listIndexFuncValues(indexName: string): string[] {
    const index = this.#indices.get(indexName);
    if (index === undefined) throw new Error(`Index with name ${indexName} does not exist`);
    return [...index.keys()];
  }

  #unfile(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name)!;
      for (const value of new Set(fn(obj))) {
        const keys = index.get(value);
        if (keys === undefined) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

function file(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (keys === undefined) {
      keys = new Set();
      index.set(value, keys);
    }
    keys.add(key);
  }
}
