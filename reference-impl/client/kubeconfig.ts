// Reading a kubeconfig (clientcmd's v1 Config: clusters, users, contexts, current-context) into what
// an HTTP client needs for one context: the server URL, the CA, and the credentials. Pure: the
// caller reads files (kubeconfig, certificate-authority, tokenFile, client-certificate/-key).
// Fields beyond these (exec plugins, auth providers, proxies) are not supported and are reported.
import { parse as parseYaml } from "yaml";

export interface KubeconfigContext {
  contextName: string;
  server: string;
  /** PEM text of the CA (from certificate-authority-data). */
  caData?: string;
  /** Path of a CA file (certificate-authority), as written in the kubeconfig. */
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  token?: string;
  tokenFile?: string;
  /** PEM text of the client certificate and key (client-certificate-data, client-key-data). */
  clientCertData?: string;
  clientKeyData?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  /** The context's default namespace ("" when unset). */
  namespace: string;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(`kubeconfig: ${message}`);
    this.name = "KubeconfigError";
  }
}

/** The connection of `context` (default: current-context) in a kubeconfig's text. */
export function parseKubeconfig(text: string, opts: { context?: string } = {}): KubeconfigContext {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new KubeconfigError(`not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = record(doc, "the document");
  const contextName = opts.context ?? optString(root, "current-context", "current-context") ?? "";
  if (contextName === "") throw new KubeconfigError("no context given and current-context is not set");
  const context = record(named(root, "contexts", contextName, "context"), `context ${JSON.stringify(contextName)}`);
  const clusterName = optString(context, "cluster", "context.cluster") ?? "";
  const userName = optString(context, "user", "context.user") ?? "";
  const cluster = record(named(root, "clusters", clusterName, "cluster"), `cluster ${JSON.stringify(clusterName)}`);
  const out: KubeconfigContext = {
    contextName,
    server: optString(cluster, "server", "cluster.server") ?? "",
    namespace: optString(context, "namespace", "context.namespace") ?? "",
  };
  if (out.server === "") throw new KubeconfigError(`cluster ${JSON.stringify(clusterName)} has no server`);
  const caData = optString(cluster, "certificate-authority-data", "certificate-authority-data");
  if (caData !== undefined) out.caData = base64Text(caData, "certificate-authority-data");
  const caFile = optString(cluster, "certificate-authority", "certificate-authority");
  if (caFile !== undefined) out.caFile = caFile;
  const skip = cluster["insecure-skip-tls-verify"];
  if (skip !== undefined && typeof skip !== "boolean") throw new KubeconfigError("insecure-skip-tls-verify must be a boolean");
  if (skip === true) out.insecureSkipTlsVerify = true;
  const serverName = optString(cluster, "tls-server-name", "tls-server-name");
  if (serverName !== undefined) out.tlsServerName = serverName;
  if (userName !== "") {
    const user = record(named(root, "users", userName, "user"), `user ${JSON.stringify(userName)}`);
    for (const unsupported of ["exec", "auth-provider", "username", "password"]) {
      if (user[unsupported] !== undefined) throw new KubeconfigError(`user ${JSON.stringify(userName)}: ${unsupported} is not supported`);
    }
    const token = optString(user, "token", "user.token");
    if (token !== undefined) out.token = token;
    const tokenFile = optString(user, "tokenFile", "user.tokenFile");
    if (tokenFile !== undefined) out.tokenFile = tokenFile;
    const certData = optString(user, "client-certificate-data", "client-certificate-data");
    if (certData !== undefined) out.clientCertData = base64Text(certData, "client-certificate-data");
    const keyData = optString(user, "client-key-data", "client-key-data");
    if (keyData !== undefined) out.clientKeyData = base64Text(keyData, "client-key-data");
    const certFile = optString(user, "client-certificate", "client-certificate");
    if (certFile !== undefined) out.clientCertFile = certFile;
    const keyFile = optString(user, "client-key", "client-key");
    if (keyFile !== undefined) out.clientKeyFile = keyFile;
  }
  return out;
}

/** The `field` (cluster, user, context) of the entry called `name` in the list `listKey`. */
function named(root: Record<string, unknown>, listKey: string, name: string, field: string): unknown {
  const list = root[listKey] ?? [];
  if (!Array.isArray(list)) throw new KubeconfigError(`${listKey} must be a list`);
  for (const entry of list) {
    const e = record(entry, `an entry of ${listKey}`);
    if (e.name === name) return e[field] ?? {};
  }
  throw new KubeconfigError(`${field} ${JSON.stringify(name)} not found in ${listKey}`);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new KubeconfigError(`${what} must be a mapping`);
  return value as Record<string, unknown>;
}

function optString(obj: Record<string, unknown>, key: string, what: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new KubeconfigError(`${what} must be a string`);
  return v;
}

function base64Text(value: string, what: string): string {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new KubeconfigError(`${what} is not base64`);
  return Buffer.from(compact, "base64").toString("utf8");
}
