// Feature gates that change what defaulting and PrepareForCreate do, fixed at their Kubernetes
// v1.32 defaults (pkg/features/kube_features.go). Code consults this table instead of hard-coding
// a behaviour, so a reader sees which upstream switch a branch follows.

export const FEATURE_GATES = {
  /** Beta, on since 1.30: LoadBalancer ingress points without ipMode get "VIP". */
  LoadBalancerIPMode: true,
  /** Beta since 1.27, GA 1.32: StatefulSet persistentVolumeClaimRetentionPolicy defaults to Retain/Retain. */
  StatefulSetAutoDeletePVC: true,
  /** Alpha: StatefulSet rollingUpdate.maxUnavailable (would default to 1). */
  MaxUnavailableStatefulSet: false,
  /** Beta, on since 1.29: Job podReplacementPolicy defaults to TerminatingOrFailed (Failed with a podFailurePolicy). */
  JobPodReplacementPolicy: true,
  /** Beta, on since 1.31: pod affinity matchLabelKeys/mismatchLabelKeys are merged into labelSelector on create. */
  MatchLabelKeysInPodAffinity: true,
  /** Alpha in 1.32: pod-level spec.resources (defaulting of pod-level requests/limits; dropped on create). */
  PodLevelResources: false,
  /** Alpha in 1.31/1.32: image volumes (pull-policy defaulting; dropped on create). */
  ImageVolume: false,
  /** Alpha in 1.32: containers[].resizePolicy (dropped on create). */
  InPlacePodVerticalScaling: false,
  /** Beta but off by default in 1.32: spec.resourceClaims and resources.claims (dropped on create). */
  DynamicResourceAllocation: false,
  /** Beta but off by default in 1.32: spec.hostUsers (dropped on create). */
  UserNamespacesSupport: false,
  /** Alpha in 1.32: securityContext.supplementalGroupsPolicy (dropped on create). */
  SupplementalGroupsPolicy: false,
  /** Alpha: projected clusterTrustBundle sources (dropped on create). */
  ClusterTrustBundleProjection: false,
  /** Alpha in 1.32: Lease spec.strategy / spec.preferredHolder (dropped on create). */
  CoordinatedLeaderElection: false,
} as const;

export type FeatureGate = keyof typeof FEATURE_GATES;

export function enabled(gate: FeatureGate): boolean {
  return FEATURE_GATES[gate];
}
