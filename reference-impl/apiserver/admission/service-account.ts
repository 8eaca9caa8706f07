// ServiceAccount (plugin/pkg/admission/serviceaccount), for pods on CREATE. Admit: the pod runs as
// "default" unless it names a service account; the account must exist (403 otherwise); unless
// automounting is turned off (pod first, then account), every container and init container mounts a
// projected kube-api-access-<random> volume (bound token, kube-root-ca.crt, namespace) at
// /var/run/secrets/kubernetes.io/serviceaccount; a pod without imagePullSecrets gets the
// account's. Validate: mirror pods may not use service accounts, secrets or token projections; the
// account must exist; an account annotated kubernetes.io/enforce-mountable-secrets=true limits the
// secrets the pod may reference.
//
// Upstream retries the lookup of "default" for about a second (the service account controller may
// not have created it yet); here there is one lookup, since waiting would need the Clock inside a
// request. `requireServiceAccount: false` admits pods whose account does not exist (for clusters
// run without the service account controller) — upstream always requires it.
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import type { Rng } from "../../../spec/interfaces/rng.ts";
import { goQuote } from "../../../spec/semantics/go-compat.ts";
import { generateName } from "../../../spec/semantics/validation.ts";
import type { AdmissionAttributes } from "../hooks.ts";
import { type AdmissionClient, SERVICE_ACCOUNTS } from "./client.ts";
import { type Json, arr, isRecord, rec, records, str } from "./json.ts";
import { type AdmissionPlugin, admissionForbidden, podSpec } from "./plugin.ts";

export const SERVICE_ACCOUNT = "ServiceAccount";
export const DEFAULT_SERVICE_ACCOUNT_NAME = "default";
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = "kubernetes.io/enforce-mountable-secrets";
/** The prefix of the token volume's generated name. */
export const SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access";
export const DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
export const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

export interface ServiceAccountOptions {
  /** Refuse pods whose service account does not exist (upstream: always). Default true. */
  requireServiceAccount?: boolean;
  /** Mount the API token volume (upstream's MountServiceAccountToken). Default true. */
  mountServiceAccountToken?: boolean;
}

export function serviceAccount(client: AdmissionClient, rng: Rng, opts: ServiceAccountOptions = {}): AdmissionPlugin {
  const require = opts.requireServiceAccount ?? true;
  const mount = opts.mountServiceAccountToken ?? true;
  const lookup = async (attrs: AdmissionAttributes, name: string): Promise<KubeObject | undefined> => {
    const sa = await client.get(SERVICE_ACCOUNTS, attrs.namespace, name);
    if (sa === undefined && require) {
      throw admissionForbidden(attrs, `error looking up service account ${attrs.namespace}/${name}: serviceaccount ${goQuote(name)} not found`);
    }
    return sa;
  };
  return {
    name: SERVICE_ACCOUNT,
    async admit(attrs) {
      const pod = podOf(attrs);
      if (pod === undefined || isMirrorPod(pod)) return;
      const spec = podSpec(pod);
      if (str(spec.serviceAccountName) === "") spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
      const sa = await lookup(attrs, str(spec.serviceAccountName));
      if (mount && shouldAutomount(sa, spec)) mountServiceAccountToken(spec, rng);
      const pullSecrets = records(sa?.imagePullSecrets);
      if (arr(spec.imagePullSecrets).length === 0 && pullSecrets.length > 0) {
        spec.imagePullSecrets = pullSecrets.map((s) => ({ name: str(s.name) }));
      }
    },
    async validate(attrs) {
      const pod = podOf(attrs);
      if (pod === undefined) return;
      const spec = rec(pod.spec);
      if (isMirrorPod(pod)) return validateMirrorPod(attrs, spec);
      const name = str(spec.serviceAccountName);
      if (name === "") throw admissionForbidden(attrs, `no service account specified for pod ${attrs.namespace}/${pod.metadata?.name ?? ""}`);
      const sa = await lookup(attrs, name);
      if (sa !== undefined && enforceMountableSecrets(sa)) {
        const why = limitSecretReferences(sa, spec);
        if (why !== undefined) throw admissionForbidden(attrs, why);
      }
    },
  };
}

/** The plugin handles CREATE of pods proper (subresources and other kinds are ignored). */
function podOf(attrs: AdmissionAttributes): KubeObject | undefined {
  if (attrs.operation !== "CREATE" || attrs.subresource !== undefined) return undefined;
  if (attrs.info.group !== "" || attrs.info.resource !== "pods") return undefined;
  return attrs.object;
}

function isMirrorPod(pod: KubeObject): boolean {
  return pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

function shouldAutomount(sa: KubeObject | undefined, spec: Json): boolean {
  if (typeof spec.automountServiceAccountToken === "boolean") return spec.automountServiceAccountToken;
  if (typeof sa?.automountServiceAccountToken === "boolean") return sa.automountServiceAccountToken;
  return true;
}

/** mountServiceAccountToken: reuse a kube-api-access-* volume, else add one when a container needs it. */
function mountServiceAccountToken(spec: Json, rng: Rng): void {
  const volumes = records(spec.volumes);
  const existing = volumes.find((v) => str(v.name).startsWith(`${SERVICE_ACCOUNT_VOLUME_NAME}-`));
  const volumeName = existing !== undefined ? str(existing.name) : generateName(`${SERVICE_ACCOUNT_VOLUME_NAME}-`, rng);
  let needsVolume = false;
  for (const key of ["initContainers", "containers"]) {
    for (const container of records(spec[key])) {
      const mounts = records(container.volumeMounts);
      if (mounts.some((m) => str(m.mountPath) === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
      container.volumeMounts = [...arr(container.volumeMounts), { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH }];
      needsVolume = true;
    }
  }
  if (existing === undefined && needsVolume) {
    spec.volumes = [...arr(spec.volumes), { name: volumeName, projected: tokenVolumeSource() }];
  }
}

/** TokenVolumeSource: the projected volume as kube-apiserver writes it. */
export function tokenVolumeSource(): Json {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: "token" } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
  };
}

function validateMirrorPod(attrs: AdmissionAttributes, spec: Json): void {
  if (str(spec.serviceAccountName) !== "") throw admissionForbidden(attrs, "a mirror pod may not reference service accounts");
  if (referencesSecrets(spec)) throw admissionForbidden(attrs, "a mirror pod may not reference secrets");
  const projectsToken = records(spec.volumes).some((v) => records(rec(v.projected).sources).some((s) => isRecord(s.serviceAccountToken)));
  if (projectsToken) throw admissionForbidden(attrs, "a mirror pod may not use ServiceAccountToken volume projections");
}

/** The volume sources that name a secret, and the field naming it (VisitPodSecretNames). */
const SECRET_VOLUME_FIELDS: readonly (readonly [string, string])[] = [
  ["secret", "secretName"],
  ["azureFile", "secretName"],
  ["cephfs", "secretRef"],
  ["cinder", "secretRef"],
  ["flexVolume", "secretRef"],
  ["iscsi", "secretRef"],
  ["rbd", "secretRef"],
  ["scaleIO", "secretRef"],
  ["storageos", "secretRef"],
  ["csi", "nodePublishSecretRef"],
];

/** VisitPodSecretNames, reduced to "is there any": pull secrets, volumes, env and envFrom. */
function referencesSecrets(spec: Json): boolean {
  if (arr(spec.imagePullSecrets).length > 0) return true;
  for (const v of records(spec.volumes)) {
    if (SECRET_VOLUME_FIELDS.some(([source, field]) => isRecord(v[source]) && rec(v[source])[field] !== undefined)) return true;
    if (records(rec(v.projected).sources).some((s) => isRecord(s.secret))) return true;
  }
  for (const key of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const c of records(spec[key])) {
      if (records(c.envFrom).some((e) => isRecord(e.secretRef))) return true;
      if (records(c.env).some((e) => isRecord(rec(e.valueFrom).secretKeyRef))) return true;
    }
  }
  return false;
}

function enforceMountableSecrets(sa: KubeObject): boolean {
  const value = sa.metadata?.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION];
  return value !== undefined && parseGoBool(value) === true;
}

/** strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** limitSecretReferences: the first secret reference the account does not list, as upstream words it. */
function limitSecretReferences(sa: KubeObject, spec: Json): string | undefined {
  const saName = sa.metadata?.name ?? "";
  const mountable = new Set(records(sa.secrets).map((s) => str(s.name)));
  for (const v of records(spec.volumes)) {
    if (!isRecord(v.secret)) continue;
    const secretName = str(v.secret.secretName);
    if (!mountable.has(secretName)) return `volume with secret.secretName="${secretName}" is not allowed because service account ${saName} does not reference that secret`;
  }
  for (const [key, what] of [["initContainers", "init container"], ["containers", "container"]] as const) {
    for (const c of records(spec[key])) {
      for (const env of records(c.env)) {
        const ref = rec(rec(env.valueFrom).secretKeyRef);
        if (!isRecord(rec(env.valueFrom).secretKeyRef) || mountable.has(str(ref.name))) continue;
        return `${what} ${str(c.name)} with envVar ${str(env.name)} referencing secret.secretName="${str(ref.name)}" is not allowed because service account ${saName} does not reference that secret`;
      }
      for (const envFrom of records(c.envFrom)) {
        if (!isRecord(envFrom.secretRef) || mountable.has(str(envFrom.secretRef.name))) continue;
        return `${what} ${str(c.name)} with envFrom referencing secret.secretName="${str(envFrom.secretRef.name)}" is not allowed because service account ${saName} does not reference that secret`;
      }
    }
  }
  const pullSecrets = new Set(records(sa.imagePullSecrets).map((s) => str(s.name)));
  const refs = records(spec.imagePullSecrets);
  for (let i = 0; i < refs.length; i++) {
    const name = str(refs[i]?.name);
    if (!pullSecrets.has(name)) return `imagePullSecrets[${i}].name="${name}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }
  return undefined;
}
