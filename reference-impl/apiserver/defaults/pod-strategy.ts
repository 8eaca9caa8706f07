// podStrategy.PrepareForCreate (pkg/registry/core/pod/strategy.go, v1.30–v1.32): the pod starts
// Pending with its QoS class, disabled fields are dropped, a gated pod gets its PodScheduled=False
// condition, pod affinity matchLabelKeys are merged into selectors, and AppArmor annotations and
// fields are synced for version skew.

import type { Pod, PodAffinityTerm, PodSpec } from "kubernetes-types/core/v1.js";
import { FieldPath } from "../../../spec/semantics/field-errors.ts";
import { enabled } from "./features.ts";
import { isNil, isObject, objectOr, objectsOf, resetStatus, type JsonObject } from "./json.ts";
import { getPodQOS } from "./qos.ts";

export interface CreateContext {
  /** Now, in milliseconds since the epoch, from the Clock: stamps conditions the strategy adds. */
  readonly nowMs: number;
}

export const SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";
/** v1.DeprecatedAppArmorAnnotationKeyPrefix. */
export const APPARMOR_ANNOTATION_KEY_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const APPARMOR_RUNTIME_DEFAULT = "runtime/default";
const APPARMOR_UNCONFINED = "unconfined";
const APPARMOR_LOCALHOST_PREFIX = "localhost/";
/** PATH_MAX - 1: the longest localhost profile name validation accepts. */
const APPARMOR_LOCALHOST_PROFILE_LENGTH_MAX = 4095;

/** Returns the warnings upstream adds to the response (AppArmor annotation deprecation). */
export function preparePodForCreate(pod: Pod, ctx: CreateContext): string[] {
  // GetPodQOS reads the incoming status first, so a qosClass sent by the client is kept.
  const qosClass = getPodQOS(pod);
  resetStatus(pod, { phase: "Pending", qosClass });
  const spec = objectOr(pod.spec);
  if (spec === undefined) return [];
  dropDisabledPodSpecFields(spec);
  applySchedulingGatedCondition(pod, spec, ctx);
  mutatePodAffinity(pod, spec);
  return applyAppArmorVersionSkew(pod, spec);
}

/**
 * DropDisabledPodFields / DropDisabledTemplateFields on create, for the gates that are off at v1.32
 * and whose fields exist in the v1.32 API. (Image volumes and clusterTrustBundle projections, also
 * off, are not dropped here.)
 */
export function dropDisabledPodSpecFields(spec: PodSpec): void {
  const raw = spec as unknown as JsonObject;
  const containers = [...objectsOf(spec.containers), ...objectsOf(spec.initContainers)];
  if (!enabled("PodLevelResources")) delete raw["resources"];
  if (!enabled("InPlacePodVerticalScaling")) {
    for (const container of containers) delete container.resizePolicy;
  }
  if (!enabled("DynamicResourceAllocation")) {
    delete spec.resourceClaims;
    for (const container of [...containers, ...objectsOf(spec.ephemeralContainers)]) {
      const resources = objectOr(container.resources);
      if (resources !== undefined) delete resources.claims;
    }
  }
  if (!enabled("UserNamespacesSupport")) delete spec.hostUsers;
  const securityContext = objectOr(spec.securityContext) as JsonObject | undefined;
  if (!enabled("SupplementalGroupsPolicy") && securityContext !== undefined) {
    delete securityContext["supplementalGroupsPolicy"];
  }
}

/** applySchedulingGatedCondition: status was just reset, so the condition is always new. */
function applySchedulingGatedCondition(pod: Pod, spec: PodSpec, ctx: CreateContext): void {
  if (!Array.isArray(spec.schedulingGates) || spec.schedulingGates.length === 0) return;
  resetStatus(pod, {
    ...pod.status,
    conditions: [
      {
        type: "PodScheduled",
        status: "False",
        // A zero metav1.Time, as Go writes it.
        lastProbeTime: null as unknown as string,
        lastTransitionTime: formatTime(ctx.nowMs),
        reason: "SchedulingGated",
        message: SCHEDULING_GATED_MESSAGE,
      },
    ],
  });
}

/** mutatePodAffinity (MatchLabelKeysInPodAffinity): label keys become In / NotIn requirements. */
function mutatePodAffinity(pod: Pod, spec: PodSpec): void {
  const affinity = objectOr(spec.affinity);
  if (!enabled("MatchLabelKeysInPodAffinity") || affinity === undefined) return;
  const labels = objectOr(objectOr(pod.metadata)?.labels) ?? {};
  for (const podAffinity of [objectOr(affinity.podAffinity), objectOr(affinity.podAntiAffinity)]) {
    if (podAffinity === undefined) continue;
    for (const weighted of objectsOf(podAffinity.preferredDuringSchedulingIgnoredDuringExecution)) {
      const term = objectOr(weighted.podAffinityTerm);
      if (term !== undefined) applyMatchLabelKeys(term, labels);
    }
    for (const term of objectsOf(podAffinity.requiredDuringSchedulingIgnoredDuringExecution)) {
      applyMatchLabelKeys(term, labels);
    }
  }
}

function applyMatchLabelKeys(term: PodAffinityTerm, labels: Record<string, string>): void {
  const matchKeys = Array.isArray(term.matchLabelKeys) ? term.matchLabelKeys : [];
  const mismatchKeys = Array.isArray(term.mismatchLabelKeys) ? term.mismatchLabelKeys : [];
  // A nil selector matches nothing, so there is nothing to narrow.
  const selector = objectOr(term.labelSelector);
  if ((matchKeys.length === 0 && mismatchKeys.length === 0) || selector === undefined) return;
  if (!isNil(selector.matchExpressions) && !Array.isArray(selector.matchExpressions)) return;
  const expressions = selector.matchExpressions ?? [];
  for (const [keys, operator] of [
    [matchKeys, "In"],
    [mismatchKeys, "NotIn"],
  ] as const) {
    for (const key of keys) {
      const value = labels[key];
      if (typeof value === "string") expressions.push({ key, operator, values: [value] });
    }
  }
  if (expressions.length > 0) selector.matchExpressions = expressions;
}

interface AppArmorProfile {
  type: string;
  localhostProfile?: string;
}

/**
 * applyAppArmorVersionSkew: for each container, a missing annotation is written from the container's
 * (else the pod's) profile field, and a present annotation fills a missing container field unless it
 * equals the pod's profile. Windows pods are skipped.
 */
function applyAppArmorVersionSkew(pod: Pod, spec: PodSpec): string[] {
  if (objectOr(spec.os)?.name === "windows") return [];
  const podProfile = objectOr(objectOr(spec.securityContext)?.appArmorProfile);
  const meta = objectOr(pod.metadata);
  const warnings: string[] = [];
  const containers = [
    ...objectsOf(spec.initContainers),
    ...objectsOf(spec.containers),
    ...objectsOf(spec.ephemeralContainers),
  ];
  // A malformed annotations value is left for validation to report.
  if (meta === undefined || (!isNil(meta.annotations) && !isObject(meta.annotations))) return [];
  for (const container of containers) {
    const key = APPARMOR_ANNOTATION_KEY_PREFIX + String(container.name ?? "");
    const annotations = objectOr(meta.annotations);
    const annotation = annotations?.[key];
    const containerProfile = objectOr(objectOr(container.securityContext)?.appArmorProfile);
    if (annotation === undefined) {
      const profile = containerProfile ?? podProfile;
      const value = profile === undefined ? "" : annotationForProfile(profile);
      if (value !== "") meta.annotations = { ...annotations, [key]: value };
    } else if (containerProfile === undefined) {
      const field = profileForAnnotation(annotation);
      let warn = field === undefined;
      if (field !== undefined && !sameProfile(field, podProfile)) {
        const securityContext = objectOr(container.securityContext) ?? {};
        securityContext.appArmorProfile = field;
        container.securityContext = securityContext;
        warn = true;
      }
      if (warn) {
        const path = FieldPath.of("metadata", "annotations").key(key).toString();
        warnings.push(`${path}: deprecated since v1.30; use the "appArmorProfile" field instead`);
      }
    }
  }
  return warnings;
}

function annotationForProfile(profile: { type?: unknown; localhostProfile?: unknown }): string {
  switch (profile.type) {
    case "Unconfined":
      return APPARMOR_UNCONFINED;
    case "RuntimeDefault":
      return APPARMOR_RUNTIME_DEFAULT;
    case "Localhost":
      return typeof profile.localhostProfile === "string" ? APPARMOR_LOCALHOST_PREFIX + profile.localhostProfile : "";
    default:
      return "";
  }
}

/** apparmorFieldForAnnotation, keeping only a field ValidateAppArmorProfileField accepts. */
function profileForAnnotation(annotation: string): AppArmorProfile | undefined {
  if (annotation === APPARMOR_UNCONFINED) return { type: "Unconfined" };
  if (annotation === APPARMOR_RUNTIME_DEFAULT) return { type: "RuntimeDefault" };
  if (!annotation.startsWith(APPARMOR_LOCALHOST_PREFIX)) return undefined;
  const localhostProfile = annotation.slice(APPARMOR_LOCALHOST_PREFIX.length);
  const valid =
    localhostProfile !== "" &&
    localhostProfile.trim() === localhostProfile &&
    Buffer.byteLength(localhostProfile, "utf8") <= APPARMOR_LOCALHOST_PROFILE_LENGTH_MAX;
  return valid ? { type: "Localhost", localhostProfile } : undefined;
}

function sameProfile(a: AppArmorProfile, b: { type?: unknown; localhostProfile?: unknown } | undefined): boolean {
  return b !== undefined && b["type"] === a.type && (b["localhostProfile"] ?? undefined) === a.localhostProfile;
}

/** metav1.Time's wire form: RFC 3339, second precision, UTC. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
