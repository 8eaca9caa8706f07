// events.k8s.io/v1 has no defaulters (its zz_generated.defaults.go registers none), and the event
// registry strategy prepares nothing on create. Both Event APIs are views of one stored object:
// converting between them is the registry's job, not the defaulter's.

import type { Event } from "kubernetes-types/events/v1.js";
import { eventsEventZero } from "./go-zero.ts";

/** No defaulter; only Go's always-serialized members are filled. */
export function setObjectDefaultsEvent(event: Event): void {
  eventsEventZero(event);
}

export function prepareEventForCreate(_event: Event): void {}
