// The kubeconfig a client needs to reach this server (clientcmd's v1 Config): one cluster, one user
// with a bearer token, one context, made current. Pure; live/kubeconfig-file.ts writes it.
import { stringify } from "yaml";

export interface KubeconfigOptions {
  /** `http://127.0.0.1:PORT` or https. */
  server: string;
  token: string;
  /** PEM of the CA that signed the server's certificate (for https). */
  caData?: string;
  /** Names of the cluster, user and context entries. */
  clusterName?: string;
  userName?: string;
  contextName?: string;
  /** The context's default namespace. */
  namespace?: string;
}

export function renderKubeconfig(o: KubeconfigOptions): string {
  const clusterName = o.clusterName ?? "plumbline";
  const userName = o.userName ?? "admin";
  const contextName = o.contextName ?? "plumbline";
  const cluster: Record<string, string> = { server: o.server };
  if (o.caData !== undefined) cluster["certificate-authority-data"] = Buffer.from(o.caData, "utf8").toString("base64");
  const context: Record<string, string> = { cluster: clusterName, user: userName };
  if (o.namespace !== undefined) context.namespace = o.namespace;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster }],
    users: [{ name: userName, user: { token: o.token } }],
    contexts: [{ name: contextName, context }],
    "current-context": contextName,
    preferences: {},
  });
}
