// Where objects live in the KV (upstream's etcd layout): /registry/<prefix>/<namespace>/<name> for
// namespaced kinds, /registry/<prefix>/<name> for cluster-scoped ones. Collection prefixes end in
// "/", so a list of namespace "a" never reads namespace "ab".
import type { ResourceInfo } from "../resources.ts";

export const REGISTRY_ROOT = "/registry";

export function objectKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${REGISTRY_ROOT}/${info.storagePrefix}/${namespace ?? ""}/${name}` : `${REGISTRY_ROOT}/${info.storagePrefix}/${name}`;
}

/** The prefix of every object of the kind, or of one namespace's objects. */
export function collectionPrefix(info: ResourceInfo, namespace?: string): string {
  const root = `${REGISTRY_ROOT}/${info.storagePrefix}/`;
  return info.namespaced && namespace !== undefined && namespace !== "" ? `${root}${namespace}/` : root;
}
