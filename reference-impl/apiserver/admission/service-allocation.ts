// The service REST layer's allocation hooks as an admission step. Upstream allocates in the
// registry (BeginCreate/BeginUpdate, after mutating admission and before the strategy and
// validation) and releases in AfterDelete; here the step runs last in the mutating phase, keeps the
// write's transaction, and settles it when the registry reports the outcome through the chain's
// `finish` / `afterDelete` (see chain.ts).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import type { ResourceInfo } from "../resources.ts";
import type { LifecyclePlugin } from "./chain.ts";
import { isMainResource } from "./plugin.ts";
import type { AllocationTxn, ServiceAllocator } from "./service-allocator.ts";

/** Not an upstream admission plugin: the name of the service registry's allocation step here. */
export const SERVICE_ALLOCATION = "ServiceAllocation";

export function serviceAllocation(alloc: ServiceAllocator): LifecyclePlugin {
  // The open transaction of each admitted service body (the registry passes the same object on).
  const open = new WeakMap<KubeObject, AllocationTxn>();
  const settle = async (obj: KubeObject | undefined, ok: boolean): Promise<void> => {
    const txn = obj === undefined ? undefined : open.get(obj);
    if (obj === undefined || txn === undefined) return;
    open.delete(obj);
    await (ok ? txn.commit() : txn.revert());
  };
  return {
    name: SERVICE_ALLOCATION,
    async admit(attrs: AdmissionAttributes) {
      if (!isMainResource(attrs, "", "services") || attrs.object === undefined) return;
      const obj = attrs.object;
      // A retried update transform admits a fresh body; a body admitted twice gives back its first txn.
      await settle(obj, false);
      if (attrs.operation === "CREATE") open.set(obj, await alloc.allocateCreate(obj, attrs.dryRun));
      if (attrs.operation === "UPDATE" && attrs.oldObject !== undefined) open.set(obj, await alloc.allocateUpdate(obj, attrs.oldObject, attrs.dryRun));
    },
    finish: (attrs, ok) => settle(attrs.object, ok),
    async afterDelete(info: ResourceInfo, obj: KubeObject, dryRun: boolean) {
      if (dryRun || info.group !== "" || info.resource !== "services") return;
      await alloc.releaseAll(obj);
    },
  };
}
