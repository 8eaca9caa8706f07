// etcd's six watch guarantees (https://etcd.io/docs/v3.5/learning/api_guarantees/#watch-apis) as
// validators over what one watcher received. Some need the store's ground truth — the events each
// revision produced (for example `KvModel.changes()`, or events merged from a complete watch).
//
// Each validator returns its violations (empty when the guarantee holds); every message quotes the
// guarantee. The split between them: Ordered and Unique look at single events; Atomic at whole
// revisions within a response; Reliable at revisions missing between received ones; Resumable at
// where the watch starts; Bookmarkable at progress notifications.
import type { Bytes, WatchCreateRequest, WatchEvent, WatchResponse } from "../interfaces/kv.ts";

export type WatchGuarantee = "Ordered" | "Unique" | "Reliable" | "Atomic" | "Resumable" | "Bookmarkable";

/** The guarantees in etcd's words. */
export const watchGuarantees: Readonly<Record<WatchGuarantee, string>> = {
  Ordered:
    "events are ordered by revision; an event will never appear on a watch if it precedes an event in time that has already been posted",
  Unique: "an event will never appear on a watch twice",
  Reliable:
    "a sequence of events will never drop any subsequence of events; if there are events ordered in time as a < b < c, then if the watch receives events a and c, it is guaranteed to receive b",
  Atomic:
    "a list of events is guaranteed to encompass complete revisions; updates in the same revision over multiple keys will not be split over several lists of events",
  Resumable:
    "a broken watch can be resumed by establishing a new watch starting after the last revision received in a watch event before the break, so long as the revision is in the history window",
  Bookmarkable: "progress notification events guarantee that all events up to a revision have been already delivered",
};

/** What one watcher asked for and, in arrival order, every response addressed to it. */
export interface WatchRecord {
  request: WatchCreateRequest;
  /** Including the `created` response and progress notifications (stream-wide ones too). */
  responses: WatchResponse[];
}

/** Ground truth: the events of one revision, in the order the store applied them. */
export interface RevisionEvents {
  revision: number;
  events: WatchEvent[];
}

export interface WatchViolation {
  guarantee: WatchGuarantee;
  message: string;
}

/** Revisions never go backwards across the whole stream. */
export function checkOrdered(w: WatchRecord): WatchViolation[] {
  const out: WatchViolation[] = [];
  let last = 0;
  for (const e of events(w)) {
    const rev = e.kv.modRevision;
    if (rev < last) out.push(violation("Ordered", `got revision ${rev} (${describeEvent(e)}) after ${last}`));
    last = Math.max(last, rev);
  }
  return out;
}

/**
 * No event arrives twice. An event is its (revision, key, type): one txn can put and delete the
 * same key (a delete with range end "\0" escapes etcd's duplicate-key check), never put it twice.
 */
export function checkUnique(w: WatchRecord): WatchViolation[] {
  const out: WatchViolation[] = [];
  const seen = new Set<string>();
  for (const e of events(w)) {
    const id = eventId(e);
    if (seen.has(id)) out.push(violation("Unique", `${describeEvent(e)} arrived twice`));
    seen.add(id);
  }
  return out;
}

/**
 * A revision's events arrive in one list (a response, or a run of fragments ending in a response
 * with `fragment` false); with the ground truth, that list holds all of the revision's events the
 * watch selects.
 */
export function checkAtomic(w: WatchRecord, truth?: readonly RevisionEvents[]): WatchViolation[] {
  const out: WatchViolation[] = [];
  const listOf = new Map<number, number>();
  eventLists(w).forEach((list, i) => {
    const revisions = [...new Set(list.map((e) => e.kv.modRevision))];
    for (const rev of revisions) {
      const earlier = listOf.get(rev);
      if (earlier !== undefined && earlier !== i) {
        out.push(violation("Atomic", `revision ${rev} was split over event lists ${earlier + 1} and ${i + 1}`));
      }
      listOf.set(rev, i);
      const expected = truth ? selected(w.request, truth.find((t) => t.revision === rev)?.events ?? []) : [];
      const got = new Set(list.filter((e) => e.kv.modRevision === rev).map(eventId));
      const missing = expected.filter((e) => !got.has(eventId(e)));
      if (missing.length > 0) {
        out.push(violation("Atomic", `event list ${i + 1} holds ${got.size} of revision ${rev}'s ${expected.length} events; missing ${missing.map(describeEvent).join(", ")}`));
      }
    }
  });
  return out;
}

/** Between the first and last revision received, every revision with selected events arrives. */
export function checkReliable(w: WatchRecord, truth: readonly RevisionEvents[]): WatchViolation[] {
  const received = events(w).map((e) => e.kv.modRevision);
  if (received.length === 0) return [];
  const first = Math.min(...received);
  const last = Math.max(...received);
  const got = new Set(received);
  const out: WatchViolation[] = [];
  for (const t of truth) {
    if (t.revision <= first || t.revision >= last || got.has(t.revision)) continue;
    const dropped = selected(w.request, t.events);
    if (dropped.length > 0) {
      out.push(violation("Reliable", `received revisions ${first} and ${last} but not ${t.revision} (${dropped.map(describeEvent).join(", ")})`));
    }
  }
  return out;
}

/**
 * A watch from revision S first receives the first selected event at or after S. A watch without a
 * start revision starts after the revision in its `created` response. A watch canceled because S was
 * compacted is fine only if S really is below the compaction revision the response names.
 */
export function checkResumable(w: WatchRecord, truth: readonly RevisionEvents[]): WatchViolation[] {
  const compacted = w.responses.find((r) => r.compactRevision > 0);
  const requested = w.request.startRevision ?? 0;
  if (compacted) {
    if (requested > 0 && requested >= compacted.compactRevision) {
      return [violation("Resumable", `the watch from revision ${requested} was refused as compacted at ${compacted.compactRevision}, yet ${requested} is in the history window`)];
    }
    return [];
  }
  const start = startRevision(w);
  const firstGot = events(w)[0];
  if (start === undefined || firstGot === undefined) return [];
  const firstWanted = truth.filter((t) => t.revision >= start).flatMap((t) => selected(w.request, t.events))[0];
  if (firstWanted === undefined) {
    return [violation("Resumable", `the watch from revision ${start} received ${describeEvent(firstGot)}, but the store has no such event`)];
  }
  if (eventId(firstWanted) !== eventId(firstGot)) {
    return [violation("Resumable", `the watch from revision ${start} first received ${describeEvent(firstGot)}, but the first event after the start is ${describeEvent(firstWanted)}`)];
  }
  return [];
}

/**
 * After a progress notification at revision R, no event at or below R arrives; with the ground
 * truth, every selected event from the watch's start up to R arrived before the notification.
 */
export function checkBookmarkable(w: WatchRecord, truth?: readonly RevisionEvents[]): WatchViolation[] {
  const out: WatchViolation[] = [];
  const start = startRevision(w);
  const delivered = new Set<string>();
  let bookmark = 0;
  for (const r of w.responses) {
    for (const e of r.events) {
      if (e.kv.modRevision <= bookmark) {
        out.push(violation("Bookmarkable", `${describeEvent(e)} arrived after a progress notification at revision ${bookmark}`));
      }
      delivered.add(eventId(e));
    }
    if (!isProgressNotification(r)) continue;
    bookmark = Math.max(bookmark, r.header.revision);
    if (truth === undefined || start === undefined) continue;
    const owed = truth
      .filter((t) => t.revision >= start && t.revision <= r.header.revision)
      .flatMap((t) => selected(w.request, t.events))
      .filter((e) => !delivered.has(eventId(e)));
    if (owed.length > 0) {
      out.push(violation("Bookmarkable", `a progress notification at revision ${r.header.revision} came before ${owed.map(describeEvent).join(", ")}`));
    }
  }
  return out;
}

/** All six guarantees. */
export function checkWatchGuarantees(w: WatchRecord, truth: readonly RevisionEvents[]): WatchViolation[] {
  return [
    ...checkOrdered(w),
    ...checkUnique(w),
    ...checkReliable(w, truth),
    ...checkAtomic(w, truth),
    ...checkResumable(w, truth),
    ...checkBookmarkable(w, truth),
  ];
}

/** Whether the watch selects this event: its key range and its NOPUT/NODELETE filters. */
export function watchSelects(req: WatchCreateRequest, e: WatchEvent): boolean {
  if (req.filters?.includes(e.type === "PUT" ? "NOPUT" : "NODELETE")) return false;
  const k = str(e.kv.key);
  const key = str(req.key);
  const end = req.rangeEnd;
  if (!end || end.length === 0) return k === key;
  if (end.length === 1 && end[0] === 0) return k >= key;
  return k >= key && k < str(end);
}

/** A response that only reports progress: no events, not a create, cancel or compaction notice. */
export function isProgressNotification(r: WatchResponse): boolean {
  return r.events.length === 0 && !r.created && !r.canceled && r.compactRevision === 0 && !r.fragment;
}

// ---- helpers -----------------------------------------------------------------------------------

function violation(guarantee: WatchGuarantee, detail: string): WatchViolation {
  return { guarantee, message: `${guarantee}: "${watchGuarantees[guarantee]}" — ${detail}` };
}

function events(w: WatchRecord): WatchEvent[] {
  return w.responses.flatMap((r) => r.events);
}

/** Event lists as the watcher sees them: fragments joined with the response that completes them. */
function eventLists(w: WatchRecord): WatchEvent[][] {
  const lists: WatchEvent[][] = [];
  let pending: WatchEvent[] = [];
  for (const r of w.responses) {
    pending.push(...r.events);
    if (r.fragment) continue;
    if (pending.length > 0) lists.push(pending);
    pending = [];
  }
  if (pending.length > 0) lists.push(pending);
  return lists;
}

/** Where the watch's history starts: its start revision, or just after its `created` response. */
function startRevision(w: WatchRecord): number | undefined {
  if ((w.request.startRevision ?? 0) > 0) return w.request.startRevision;
  const created = w.responses.find((r) => r.created);
  return created ? created.header.revision + 1 : undefined;
}

function selected(req: WatchCreateRequest, evs: readonly WatchEvent[]): WatchEvent[] {
  return evs.filter((e) => watchSelects(req, e));
}

function eventId(e: WatchEvent): string {
  return `${e.type} ${str(e.kv.key)}@${e.kv.modRevision}`;
}

function describeEvent(e: WatchEvent): string {
  return `${e.type} ${JSON.stringify(str(e.kv.key))}@${e.kv.modRevision}`;
}

function str(b: Bytes): string {
  let s = "";
  for (const byte of b) s += String.fromCharCode(byte);
  return s;
}
