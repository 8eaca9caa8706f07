// Everything this folder gives the API server, built in one call: the admission chain of the
// plugins kube-apiserver enables by default that apply to the served kinds (in upstream's order,
// pkg/kubeapiserver/options/plugins.go), the service allocation step, and the pods/eviction
// subresource. Wiring:
//
//   const admission = buildAdmission({ kv, clock, rng: rng.fork("admission") });
//   const server = new ApiServer({ kv, clock, rng, hooks: { ...otherHooks, ...admission.hooks } });
//   admission.attach(server);
//   await server.start();
//   await admission.bootstrap();          // the `kubernetes` service
import type { Clock } from "../../../spec/interfaces/clock.ts";
import type { KV } from "../../../spec/interfaces/kv.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";
import type { SubresourceHandler } from "../hooks.ts";
import { type FullAdmissionChain, type LifecyclePlugin, buildAdmissionChain } from "./chain.ts";
import { type AdmissionClient, type ApiHandler, apiServerClient } from "./client.ts";
import { DEFAULT_TOLERATION_SECONDS, type DefaultTolerationSecondsOptions, defaultTolerationSeconds } from "./default-toleration-seconds.ts";
import { evictionHandler } from "./eviction.ts";
import { ensureKubernetesService } from "./kubernetes-service.ts";
import { LIMIT_RANGER, limitRanger } from "./limit-ranger.ts";
import { NAMESPACE_LIFECYCLE, namespaceLifecycle } from "./namespace-lifecycle.ts";
import { PRIORITY, priority } from "./priority.ts";
import { RESOURCE_QUOTA, type ResourceQuotaOptions, resourceQuota } from "./resource-quota.ts";
import { SERVICE_ACCOUNT, type ServiceAccountOptions, serviceAccount } from "./service-account.ts";
import { serviceAllocation } from "./service-allocation.ts";
import { ServiceAllocator } from "./service-allocator.ts";

export type AdmissionPluginName =
  | typeof NAMESPACE_LIFECYCLE
  | typeof LIMIT_RANGER
  | typeof SERVICE_ACCOUNT
  | typeof PRIORITY
  | typeof DEFAULT_TOLERATION_SECONDS
  | typeof RESOURCE_QUOTA;

/** The default-enabled plugins we implement, in upstream's order (ResourceQuota last). */
export const DEFAULT_ADMISSION_PLUGINS: readonly AdmissionPluginName[] = [
  NAMESPACE_LIFECYCLE,
  LIMIT_RANGER,
  SERVICE_ACCOUNT,
  PRIORITY,
  DEFAULT_TOLERATION_SECONDS,
  RESOURCE_QUOTA,
];

export interface AdmissionOptions {
  kv: KV;
  clock: Clock;
  rng: Rng;
  /** How plugins read and write objects; default: through the server given to attach(). */
  client?: AdmissionClient;
  /** --enable-admission-plugins, restricted to ours; default all of them. */
  plugins?: readonly AdmissionPluginName[];
  /** --service-cluster-ip-range (IPv4 only); default 10.96.0.0/12. */
  serviceClusterIPRange?: string;
  /** --service-node-port-range; default 30000-32767. */
  serviceNodePortRange?: string;
  /** Age past which an allocation whose owner does not hold it may be reclaimed. */
  staleAllocationMs?: number;
  serviceAccount?: ServiceAccountOptions;
  resourceQuota?: ResourceQuotaOptions;
  defaultTolerationSeconds?: DefaultTolerationSecondsOptions;
  /** The API server's secure port, the `kubernetes` service's targetPort; default 6443. */
  securePort?: number;
  /** When set, bootstrap() also writes the `kubernetes` Endpoints with this address. */
  advertiseAddress?: string;
}

export interface Admission {
  readonly chain: FullAdmissionChain;
  /** For ApiServerOptions.hooks. */
  readonly hooks: { admission: FullAdmissionChain; subresources: Record<string, SubresourceHandler> };
  readonly services: ServiceAllocator;
  /** Gives the chain the server it reads through (and the eviction handler the server it calls). */
  attach(server: ApiHandler): void;
  /** Creates the `kubernetes` service (after the server started: the default namespace must exist). */
  bootstrap(): Promise<void>;
}

export function buildAdmission(opts: AdmissionOptions): Admission {
  let server: ApiHandler | undefined;
  const api = (): ApiHandler => {
    if (server === undefined) throw new Error("admission: attach(server) was not called");
    return server;
  };
  const client = opts.client ?? apiServerClient(api);
  const enabled = new Set(opts.plugins ?? DEFAULT_ADMISSION_PLUGINS);
  const services = new ServiceAllocator({
    kv: opts.kv,
    clock: opts.clock,
    rng: opts.rng.fork("services"),
    client,
    ...(opts.serviceClusterIPRange === undefined ? {} : { serviceClusterIPRange: opts.serviceClusterIPRange }),
    ...(opts.serviceNodePortRange === undefined ? {} : { serviceNodePortRange: opts.serviceNodePortRange }),
    ...(opts.staleAllocationMs === undefined ? {} : { staleAfterMs: opts.staleAllocationMs }),
  });
  const all: Record<AdmissionPluginName, () => LifecyclePlugin> = {
    NamespaceLifecycle: () => namespaceLifecycle(client),
    LimitRanger: () => limitRanger(client),
    ServiceAccount: () => serviceAccount(client, opts.rng.fork("serviceaccount"), opts.serviceAccount),
    Priority: () => priority(client),
    DefaultTolerationSeconds: () => defaultTolerationSeconds(opts.defaultTolerationSeconds),
    ResourceQuota: () => resourceQuota(client, opts.clock, opts.resourceQuota),
  };
  const plugins = DEFAULT_ADMISSION_PLUGINS.filter((n) => enabled.has(n)).map((n) => all[n]());
  // The registry's allocation comes after every mutating plugin and before validation; putting it
  // last gives exactly that (it has no validate phase).
  const chain = buildAdmissionChain([...plugins, serviceAllocation(services)]);
  return {
    chain,
    hooks: { admission: chain, subresources: { "pods/eviction": evictionHandler(api, opts.clock) } },
    services,
    attach(s) {
      server = s;
    },
    async bootstrap() {
      await ensureKubernetesService(api(), {
        clusterIP: services.ipRange.firstIP,
        ...(opts.securePort === undefined ? {} : { securePort: opts.securePort }),
        ...(opts.advertiseAddress === undefined ? {} : { advertiseAddress: opts.advertiseAddress }),
      });
    },
  };
}
