// Admission for the reference API server: plugins, service IP / node port allocation, eviction.
export { type Admission, type AdmissionOptions, type AdmissionPluginName, DEFAULT_ADMISSION_PLUGINS, buildAdmission } from "./admission.ts";
export { type AdmissionLifecycle, type FullAdmissionChain, type LifecyclePlugin, buildAdmissionChain } from "./chain.ts";
export { type AdmissionClient, type ApiHandler, type ResourceRef, apiServerClient } from "./client.ts";
export { type AdmissionPlugin, admissionForbidden } from "./plugin.ts";
export { namespaceLifecycle, IMMORTAL_NAMESPACES } from "./namespace-lifecycle.ts";
export { defaultTolerationSeconds } from "./default-toleration-seconds.ts";
export { priority } from "./priority.ts";
export { serviceAccount, type ServiceAccountOptions } from "./service-account.ts";
export { limitRanger } from "./limit-ranger.ts";
export { resourceQuota, type ResourceQuotaOptions } from "./resource-quota.ts";
export { ServiceAllocator, type AllocationTxn, SERVICE_IPS_PREFIX, SERVICE_NODE_PORTS_PREFIX } from "./service-allocator.ts";
export { serviceAllocation } from "./service-allocation.ts";
export { evictionHandler } from "./eviction.ts";
export { ensureKubernetesService, kubernetesService } from "./kubernetes-service.ts";
export { ServiceIPRange, NodePortRange, DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE } from "./ranges.ts";
