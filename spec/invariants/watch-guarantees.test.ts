import { describe, expect, it } from "vitest";
import type { WatchCreateRequest, WatchEvent, WatchResponse } from "../interfaces/kv.ts";
import { KvModel } from "../models/kv-model.ts";
import {
  checkAtomic,
  checkBookmarkable,
  checkOrdered,
  checkReliable,
  checkResumable,
  checkUnique,
  checkWatchGuarantees,
  watchGuarantees,
  type RevisionEvents,
  type WatchRecord,
} from "./watch-guarantees.ts";

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ev = (type: "PUT" | "DELETE", key: string, rev: number): WatchEvent => ({
  type,
  kv: { key: b(key), createRevision: type === "PUT" ? rev : 0, modRevision: rev, version: type === "PUT" ? 1 : 0, value: b(""), lease: 0n },
});
const response = (events: WatchEvent[], extra: Partial<WatchResponse> = {}): WatchResponse => ({
  header: { clusterId: 0n, memberId: 0n, revision: 6, raftTerm: 0 },
  watchId: 1,
  created: false,
  canceled: false,
  compactRevision: 0,
  cancelReason: "",
  fragment: false,
  events,
  ...extra,
});
const created = (rev: number) => response([], { created: true, header: { clusterId: 0n, memberId: 0n, revision: rev, raftTerm: 0 } });
const progress = (rev: number) => response([], { header: { clusterId: 0n, memberId: 0n, revision: rev, raftTerm: 0 } });

// The store: rev 2 put a; rev 3 txn put a, put b; rev 4 delete a; rev 5 put c; rev 6 put b.
const truth: RevisionEvents[] = [
  { revision: 2, events: [ev("PUT", "a", 2)] },
  { revision: 3, events: [ev("PUT", "a", 3), ev("PUT", "b", 3)] },
  { revision: 4, events: [ev("DELETE", "a", 4)] },
  { revision: 5, events: [ev("PUT", "c", 5)] },
  { revision: 6, events: [ev("PUT", "b", 6)] },
];
const everything: WatchCreateRequest = { key: b("a"), rangeEnd: Uint8Array.of(0), startRevision: 2 };
const watch = (responses: WatchResponse[], request: WatchCreateRequest = everything): WatchRecord => ({ request, responses });

const good = watch([
  created(6),
  response([ev("PUT", "a", 2)]),
  response([ev("PUT", "a", 3), ev("PUT", "b", 3)]),
  response([ev("DELETE", "a", 4), ev("PUT", "c", 5)]),
  response([ev("PUT", "b", 6)]),
  progress(6),
]);

describe("watch guarantees on a good stream", () => {
  it("holds every guarantee", () => {
    expect(checkWatchGuarantees(good, truth)).toEqual([]);
  });

  it("holds them for a filtered single-key watch, a watch from now, and fragments", () => {
    const deletesOfA = watch([created(6), response([ev("DELETE", "a", 4)])], { key: b("a"), startRevision: 2, filters: ["NOPUT"] });
    const fromNow = watch([created(4), response([ev("PUT", "c", 5)]), progress(5), response([ev("PUT", "b", 6)])], { key: b("a"), rangeEnd: Uint8Array.of(0) });
    const fragmented = watch([created(6), response([ev("PUT", "a", 3)], { fragment: true }), response([ev("PUT", "b", 3)])], { ...everything, startRevision: 3, rangeEnd: b("c") });
    expect(checkWatchGuarantees(deletesOfA, truth)).toEqual([]);
    expect(checkWatchGuarantees(fromNow, truth)).toEqual([]);
    expect(checkWatchGuarantees(fragmented, truth)).toEqual([]);
  });

  it("holds them on the events a KvModel records", () => {
    const model = new KvModel();
    model.put({ key: b("a"), value: b("1") });
    model.txn({ compare: [], success: [{ requestPut: { key: b("a"), value: b("2") } }, { requestPut: { key: b("b"), value: b("1") } }], failure: [] });
    model.deleteRange({ key: b("a") });
    const changes = model.changes();
    const stream = watch([created(model.revision), ...changes.map((c) => response(c.events))]);
    expect(changes.map((c) => c.revision)).toEqual([2, 3, 4]);
    expect(checkWatchGuarantees(stream, changes)).toEqual([]);
  });
});

describe("watch guarantees on bad streams", () => {
  it("Ordered: a revision after a later one", () => {
    const v = checkOrdered(watch([response([ev("PUT", "a", 2)]), response([ev("DELETE", "a", 4)]), response([ev("PUT", "b", 3)])]));
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toBe(`Ordered: "${watchGuarantees.Ordered}" — got revision 3 (PUT "b"@3) after 4`);
  });

  it("Unique: the same event twice", () => {
    const v = checkUnique(watch([response([ev("PUT", "a", 2)]), response([ev("PUT", "a", 2)])]));
    expect(v.map((x) => x.message)).toEqual([`Unique: "${watchGuarantees.Unique}" — PUT "a"@2 arrived twice`]);
  });

  it("Reliable: a revision dropped between two received ones", () => {
    const v = checkReliable(watch([response([ev("PUT", "a", 2)]), response([ev("PUT", "c", 5)])]), truth);
    expect(v.map((x) => x.guarantee)).toEqual(["Reliable", "Reliable"]);
    expect(v[0]!.message).toContain("received revisions 2 and 5 but not 3");
    // A revision the watch does not select is no loss.
    const onlyC = watch([response([ev("PUT", "c", 5)])], { key: b("c"), startRevision: 2 });
    expect(checkReliable(onlyC, truth)).toEqual([]);
  });

  it("Atomic: a revision split over two responses, or delivered in part", () => {
    const split = checkAtomic(watch([response([ev("PUT", "a", 3)]), response([ev("PUT", "b", 3)])]), truth);
    expect(split.map((x) => x.message)).toContain(`Atomic: "${watchGuarantees.Atomic}" — revision 3 was split over event lists 1 and 2`);
    const partial = checkAtomic(watch([response([ev("PUT", "a", 3)])]), truth);
    expect(partial).toHaveLength(1);
    expect(partial[0]!.message).toContain(`missing PUT "b"@3`);
    expect(checkAtomic(watch([response([ev("PUT", "a", 3)])]))).toEqual([]); // without truth, only splits show
  });

  it("Resumable: a watch that skips the first events after its start revision", () => {
    const v = checkResumable(watch([created(6), response([ev("PUT", "c", 5)])], { ...everything, startRevision: 3 }), truth);
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toContain(`first received PUT "c"@5, but the first event after the start is PUT "a"@3`);
    const fromNow = checkResumable(watch([created(4), response([ev("PUT", "b", 6)])], { key: b("a"), rangeEnd: Uint8Array.of(0) }), truth);
    expect(fromNow[0]!.message).toContain("the watch from revision 5 first received");
  });

  it("Resumable: a refusal as compacted of a revision still in the history window", () => {
    const refused = watch([response([], { created: true, canceled: true, compactRevision: 2 })], { ...everything, startRevision: 3 });
    expect(checkResumable(refused, truth)[0]!.message).toContain("refused as compacted at 2, yet 3 is in the history window");
    const rightly = watch([response([], { created: true, canceled: true, compactRevision: 4 })], { ...everything, startRevision: 3 });
    expect(checkResumable(rightly, truth)).toEqual([]);
  });

  it("Bookmarkable: events at or below a progress notification arriving after it", () => {
    const late = checkBookmarkable(watch([created(6), response([ev("PUT", "a", 2)]), progress(4), response([ev("PUT", "a", 3)])]));
    expect(late[0]!.message).toBe(`Bookmarkable: "${watchGuarantees.Bookmarkable}" — PUT "a"@3 arrived after a progress notification at revision 4`);
    const owed = checkBookmarkable(watch([created(6), response([ev("PUT", "a", 2)]), progress(3)]), truth);
    expect(owed.map((x) => x.message)).toEqual([
      `Bookmarkable: "${watchGuarantees.Bookmarkable}" — a progress notification at revision 3 came before PUT "a"@3, PUT "b"@3`,
    ]);
  });
});
