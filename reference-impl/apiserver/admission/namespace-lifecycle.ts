// NamespaceLifecycle (staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle): the
// immortal namespaces cannot be deleted; nothing is created or updated in a namespace that does not
// exist (404), and nothing new is created in one that is terminating (403 with a
// NamespaceTerminating cause). The core's create path checks the last two as well; this plugin
// gives the upstream cause and covers updates.
import { ApiError } from "../../../spec/interfaces/api-client.ts";
import { forbidden, notFound } from "../errors.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import { type AdmissionClient, NAMESPACES } from "./client.ts";
import { rec, str } from "./json.ts";
import { type AdmissionPlugin, admissionForbidden } from "./plugin.ts";

export const NAMESPACE_LIFECYCLE = "NamespaceLifecycle";

/** metav1.NamespaceDefault, NamespaceSystem, NamespacePublic (kube-node-lease is not immortal). */
export const IMMORTAL_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public"];

/** v1.NamespaceTerminatingCause. */
export const NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating";

export function namespaceLifecycle(client: AdmissionClient, immortal: readonly string[] = IMMORTAL_NAMESPACES): AdmissionPlugin {
  return {
    name: NAMESPACE_LIFECYCLE,
    async admit(attrs) {
      const isNamespace = attrs.info.group === "" && attrs.info.kind === "Namespace";
      if (attrs.operation === "DELETE" && isNamespace && immortal.includes(attrs.name)) {
        throw new ApiError(forbidden({ group: "", resource: attrs.info.resource }, attrs.name, "this namespace may not be deleted"));
      }
      // Cluster-scoped kinds, namespaces themselves, deletions and CONNECT are always allowed.
      if (attrs.namespace === "" || isNamespace) return;
      if (attrs.operation !== "CREATE" && attrs.operation !== "UPDATE") return;
      await checkNamespace(client, attrs);
    },
  };
}

async function checkNamespace(client: AdmissionClient, attrs: AdmissionAttributes): Promise<void> {
  const ns = await client.get(NAMESPACES, "", attrs.namespace);
  if (ns === undefined) throw new ApiError(notFound({ group: "", resource: "namespaces" }, attrs.namespace));
  if (attrs.operation !== "CREATE" || str(rec(ns.status).phase) !== "Terminating") return;
  const err = admissionForbidden(attrs, `unable to create new content in namespace ${attrs.namespace} because it is being terminated`);
  const details = err.status.details ?? {};
  details.causes = [
    ...(details.causes ?? []),
    { reason: NAMESPACE_TERMINATING_CAUSE, message: `namespace ${attrs.namespace} is being terminated`, field: "metadata.namespace" },
  ];
  err.status.details = details;
  throw err;
}
