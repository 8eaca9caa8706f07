// Pieces the registry strategies share on create.

import type { PodSpec } from "kubernetes-types/core/v1.js";
import { ensureObject, objectOr } from "./json.ts";
import { dropDisabledPodSpecFields } from "./pod-strategy.ts";

/** Strategies of kinds with a spec start metadata.generation at 1. */
export function setGenerationOne(obj: { metadata?: { generation?: number } }): void {
  const meta = ensureObject(obj, "metadata");
  if (meta !== undefined) meta.generation = 1;
}

/** pod.DropDisabledTemplateFields on the spec's pod template. */
export function dropDisabledTemplateFields(spec: { template?: { spec?: PodSpec } } | undefined): void {
  const podSpec = objectOr(objectOr(objectOr(spec)?.template)?.spec);
  if (podSpec !== undefined) dropDisabledPodSpecFields(podSpec);
}
