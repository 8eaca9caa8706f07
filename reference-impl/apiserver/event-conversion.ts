// events.k8s.io/v1 Events and core/v1 Events are one resource stored once (as core/v1, under
// /registry/events), seen through two schemas. These convert between them field by field as
// upstream's conversion does (pkg/apis/events/v1/conversion.go): regarding ↔ involvedObject,
// note ↔ message, reportingController ↔ reportingComponent, deprecated* ↔ the old core fields.
import type { KubeObject } from "../../spec/interfaces/api-client.ts";

/** [events.k8s.io field, core field]; everything else (metadata, reason, type, ...) keeps its name. */
const renames: readonly (readonly [string, string])[] = [
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["reportingController", "reportingComponent"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"],
];

function rename(obj: KubeObject, from: 0 | 1, apiVersion: string): KubeObject {
  const to = from === 0 ? 1 : 0;
  const out: KubeObject = { ...obj, apiVersion, kind: "Event" };
  for (const pair of renames) {
    const src = pair[from];
    const dst = pair[to];
    delete out[dst];
    if (Object.hasOwn(obj, src)) {
      out[dst] = obj[src];
      delete out[src];
    }
  }
  return out;
}

/** An events.k8s.io/v1 Event as the core/v1 Event it is stored as. */
export function eventsV1ToCore(obj: KubeObject): KubeObject {
  return rename(obj, 0, "v1");
}

/** A stored core/v1 Event as events.k8s.io/v1 shows it. */
export function coreToEventsV1(obj: KubeObject): KubeObject {
  return rename(obj, 1, "events.k8s.io/v1");
}
