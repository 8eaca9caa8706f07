// How objects are stored: JSON, without metadata.resourceVersion (the store's modRevision is the
// resourceVersion, as upstream's APIObjectVersioner makes it), in the kind's storage schema.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { KeyValue } from "../../../spec/interfaces/kv.ts";
import type { ResourceInfo } from "../resources.ts";
import { StorageError } from "./errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeObject(info: ResourceInfo, obj: KubeObject): Uint8Array {
  const stored = info.storageConversion?.toStorage(obj) ?? obj;
  const { resourceVersion: _rv, ...meta } = stored.metadata ?? {};
  return encoder.encode(JSON.stringify({ ...stored, metadata: meta }));
}

/** The object at `kv`, its resourceVersion set to `revision` (default: the kv's modRevision). */
export function decodeObject(info: ResourceInfo, kv: Pick<KeyValue, "key" | "value" | "modRevision">, revision = kv.modRevision): KubeObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(kv.value));
  } catch (err) {
    throw new StorageError("Corrupt", `unable to decode the object at ${decoder.decode(kv.key)}: ${String(err)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new StorageError("Corrupt", `the value at ${decoder.decode(kv.key)} is not an object`);
  }
  const stored = parsed as KubeObject;
  const obj = info.storageConversion?.fromStorage(stored) ?? stored;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision) };
  return obj;
}

export function keyBytes(key: string): Uint8Array {
  return encoder.encode(key);
}

export function keyString(key: Uint8Array): string {
  return decoder.decode(key);
}
