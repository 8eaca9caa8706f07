// Go's encoding/json never omits a struct-typed field, even with omitempty, and a zero metav1.Time
// or MicroTime encodes as null. So members that are non-pointer structs (or strings without
// omitempty) in the Go types appear in every object kube-apiserver v1.32 returns: a container's
// `resources: {}`, a pod template's `metadata: {creationTimestamp: null}`, a pod condition's
// `lastProbeTime: null`, a node's empty nodeInfo strings. Objects here are plain JSON, so the
// defaulter materializes them for the served kinds; statuses reset on create get theirs in
// prepareForCreate. Only absent members are filled; a present value is never replaced.

import type { Event as CoreEvent, Node, PodStatus } from "kubernetes-types/core/v1.js";
import type { Event } from "kubernetes-types/events/v1.js";
import { ensureObject, objectsOf, type JsonObject } from "./json.ts";

/** An embedded ObjectMeta (pod template, job template, claim template) as Go writes it. */
export function embeddedObjectMeta<T extends object, K extends keyof T>(holder: T, key: K): void {
  const meta = ensureObject(holder, key) as JsonObject | undefined;
  if (meta !== undefined) fill(meta, { creationTimestamp: null });
}

/** Pod status: condition timestamps, and container states. */
export function podStatusZero(status: PodStatus): void {
  for (const condition of objectsOf(status.conditions)) {
    fill(condition as unknown as JsonObject, { lastProbeTime: null, lastTransitionTime: null });
  }
  for (const list of [status.initContainerStatuses, status.containerStatuses, status.ephemeralContainerStatuses]) {
    for (const containerStatus of objectsOf(list)) {
      ensureObject(containerStatus, "state");
      ensureObject(containerStatus, "lastState");
    }
  }
}

/** NodeSystemInfo's members have no omitempty; the kubelet endpoint's port is a plain int32. */
const NODE_INFO_ZERO = {
  architecture: "",
  bootID: "",
  containerRuntimeVersion: "",
  kernelVersion: "",
  kubeProxyVersion: "",
  kubeletVersion: "",
  machineID: "",
  operatingSystem: "",
  osImage: "",
  systemUUID: "",
} as const;

export function nodeZero(node: Node): void {
  ensureObject(node, "spec");
  const status = ensureObject(node, "status");
  if (status === undefined) return;
  const endpoint = ensureObject(ensureObject(status, "daemonEndpoints") ?? {}, "kubeletEndpoint") as JsonObject | undefined;
  if (endpoint !== undefined) fill(endpoint, { Port: 0 });
  const nodeInfo = ensureObject(status, "nodeInfo") as JsonObject | undefined;
  if (nodeInfo !== undefined) fill(nodeInfo, NODE_INFO_ZERO);
  for (const condition of objectsOf(status.conditions)) {
    fill(condition as unknown as JsonObject, { lastHeartbeatTime: null, lastTransitionTime: null });
  }
}

/** core/v1 Event (the stored form of both Event APIs). */
export function coreEventZero(event: CoreEvent): void {
  ensureObject(event, "involvedObject");
  ensureObject(event, "source");
  fill(event as unknown as JsonObject, {
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: null,
    reportingComponent: "",
    reportingInstance: "",
  });
}

/** events.k8s.io/v1 Event. */
export function eventsEventZero(event: Event): void {
  ensureObject(event, "regarding");
  ensureObject(event, "deprecatedSource");
  fill(event as unknown as JsonObject, { eventTime: null, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null });
}

/** Sets each absent member of `target` to its zero value. */
function fill(target: JsonObject, zero: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(zero)) {
    if (!Object.hasOwn(target, key)) target[key] = value;
  }
}
