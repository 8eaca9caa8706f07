// The admission chain: every plugin's admit in order, then every plugin's validate in order
// (upstream runs the mutating plugins, then the validating ones, each in the configured order).
//
// Some steps hold resources between admission and storage (service IPs and node ports). The
// registry settles them through two calls the core's AdmissionChain does not have yet:
//   finish(attrs, ok)   after a CREATE/UPDATE admitted with `attrs` was stored (ok) or abandoned;
//   afterDelete(info, obj, dryRun)   after an object was removed from storage.
// A failure inside the chain settles them itself. Until the core calls them, what a failed write
// allocated, and what a deleted service held, is reclaimed as stale (see allocator.ts).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { AdmissionAttributes, AdmissionChain } from "../hooks.ts";
import type { ResourceInfo } from "../resources.ts";
import type { AdmissionPlugin } from "./plugin.ts";

export interface AdmissionLifecycle {
  finish(attrs: AdmissionAttributes, ok: boolean): Promise<void>;
  afterDelete(info: ResourceInfo, obj: KubeObject, dryRun: boolean): Promise<void>;
}

export type LifecyclePlugin = AdmissionPlugin & Partial<AdmissionLifecycle>;

export type FullAdmissionChain = AdmissionChain & AdmissionLifecycle & { readonly plugins: readonly string[] };

export function buildAdmissionChain(plugins: readonly LifecyclePlugin[]): FullAdmissionChain {
  const finish = async (attrs: AdmissionAttributes, ok: boolean): Promise<void> => {
    for (const p of plugins) await p.finish?.(attrs, ok);
  };
  const run = async (attrs: AdmissionAttributes, phase: "admit" | "validate"): Promise<void> => {
    try {
      for (const p of plugins) await p[phase]?.(attrs);
    } catch (err) {
      await finish(attrs, false);
      throw err;
    }
  };
  return {
    plugins: plugins.map((p) => p.name),
    admit: (attrs) => run(attrs, "admit"),
    validate: (attrs) => run(attrs, "validate"),
    finish,
    async afterDelete(info, obj, dryRun) {
      for (const p of plugins) await p.afterDelete?.(info, obj, dryRun);
    },
  };
}
