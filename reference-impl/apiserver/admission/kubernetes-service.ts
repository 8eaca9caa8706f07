// The `kubernetes` service in the default namespace, as kube-apiserver's bootstrap controller
// creates it (pkg/controlplane/controller/kubernetesservice): the first address of the service CIDR,
// port 443 named https forwarding to the API server's secure port, no selector (its endpoints are
// the API servers themselves, written by the endpoint reconciler — here when an address is given).
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { ADMISSION_USER, type ApiHandler, bodyOf } from "./client.ts";

export interface KubernetesServiceOptions {
  /** The service's clusterIP: the first IP of the service CIDR. */
  clusterIP: string;
  /** The API server's secure port (kube-apiserver's default is 6443). */
  securePort?: number;
  /** The address the API server advertises; when given (and not loopback), the `kubernetes` Endpoints are written too. */
  advertiseAddress?: string;
}

export const KUBERNETES_SERVICE_NAME = "kubernetes";

export function kubernetesService(opts: KubernetesServiceOptions): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      ports: [{ name: "https", protocol: "TCP", port: 443, targetPort: opts.securePort ?? 6443 }],
      clusterIP: opts.clusterIP,
      sessionAffinity: "None",
      type: "ClusterIP",
    },
  };
}

export function kubernetesEndpoints(address: string, securePort: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [{ addresses: [{ ip: address }], ports: [{ name: "https", port: securePort, protocol: "TCP" }] }],
  };
}

/** Creates the service (and endpoints) unless they exist; the server's system namespaces must exist. */
export async function ensureKubernetesService(api: ApiHandler, opts: KubernetesServiceOptions): Promise<void> {
  // Looked up first, as the bootstrap controller does: a second create would fail in allocation.
  const create = async (resource: string, body: KubeObject): Promise<void> => {
    const common = { group: "", version: "v1", resource, namespace: "default", query: {}, user: ADMISSION_USER } as const;
    if ((await api.handle({ ...common, verb: "get", name: KUBERNETES_SERVICE_NAME })).code === 200) return;
    const res = await api.handle({ ...common, verb: "create", body });
    if (res.code !== 409) bodyOf(res);
  };
  await create("services", kubernetesService(opts));
  const address = opts.advertiseAddress;
  // Endpoints validation refuses loopback addresses (and so would kube-apiserver's reconciler).
  if (address !== undefined && !isLoopback(address)) await create("endpoints", kubernetesEndpoints(address, opts.securePort ?? 6443));
}

function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}
