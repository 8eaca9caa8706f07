// DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): a pod created or
// updated without a toleration for the node.kubernetes.io/not-ready or .../unreachable NoExecute
// taints gets one (operator Exists, tolerationSeconds 300), so the node lifecycle controller evicts
// it five minutes after its node fails. A toleration with an empty key or an empty effect counts.
import { records, str } from "./json.ts";
import { type AdmissionPlugin, isMainResource, podSpec } from "./plugin.ts";

export const DEFAULT_TOLERATION_SECONDS = "DefaultTolerationSeconds";

/** v1.TaintNodeNotReady, v1.TaintNodeUnreachable. */
export const TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable";

/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

export function defaultTolerationSeconds(opts: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  const notReady = opts.notReadySeconds ?? 300;
  const unreachable = opts.unreachableSeconds ?? 300;
  return {
    name: DEFAULT_TOLERATION_SECONDS,
    async admit(attrs) {
      if (attrs.operation !== "CREATE" && attrs.operation !== "UPDATE") return;
      if (!isMainResource(attrs, "", "pods") || attrs.object === undefined) return;
      const spec = podSpec(attrs.object);
      const tolerations = records(spec.tolerations);
      const tolerates = (key: string): boolean =>
        tolerations.some((t) => (str(t.key) === key || str(t.key) === "") && (str(t.effect) === "NoExecute" || str(t.effect) === ""));
      const added: Record<string, unknown>[] = [];
      if (!tolerates(TAINT_NODE_NOT_READY)) added.push(toleration(TAINT_NODE_NOT_READY, notReady));
      if (!tolerates(TAINT_NODE_UNREACHABLE)) added.push(toleration(TAINT_NODE_UNREACHABLE, unreachable));
      if (added.length > 0) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];
    },
  };
}

function toleration(key: string, seconds: number): Record<string, unknown> {
  return { key, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds };
}
