// resourceVersion as the store sees it: the decimal text of an etcd revision (APIObjectVersioner).
import { StorageError } from "./errors.ts";

const MAX_UINT64 = 18446744073709551615n;

/** ParseResourceVersion: "" means 0 (unset); anything but a uint64 is invalid, with upstream's text. */
export function parseResourceVersion(rv: string | undefined): number {
  if (rv === undefined || rv === "") return 0;
  const reason = !/^[0-9]+$/.test(rv) ? "invalid syntax" : BigInt(rv) > MAX_UINT64 ? "value out of range" : undefined;
  if (reason !== undefined) {
    throw new StorageError(
      "InvalidResourceVersion",
      `resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${reason}`,
    );
  }
  const n = Number(rv);
  // Revisions beyond 2^53 cannot exist in this store; treat them as "far in the future".
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** validateMinimumResourceVersion: data must be at least as new as the requested resourceVersion. */
export function checkMinimumResourceVersion(requested: string | undefined, currentRevision: number): void {
  const min = parseResourceVersion(requested);
  if (min > currentRevision) {
    throw new StorageError("TooLargeResourceVersion", `Too large resource version: ${min}, current: ${currentRevision}`, {
      requested: min,
      current: currentRevision,
    });
  }
}
