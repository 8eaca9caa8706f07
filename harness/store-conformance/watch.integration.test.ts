// Store conformance: Watch — replay from a past revision then live events, key and prefix watches,
// prevKv, filters, progress requests, cancel, compacted start revisions, several watchers on one
// stream. Expectations are real etcd 3.4's.
import { describe, expect, it } from "vitest";
import { prefixEnd, type WatchEvent, type WatchResponse } from "../../spec/interfaces/kv.ts";
import { checkWatchGuarantees, type RevisionEvents } from "../../spec/invariants/watch-guarantees.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend, view } from "./fixture.ts";
import { WatchRecorder } from "./watch-recorder.ts";

/** An event as [type, key name, value, modRevision] for compact assertions. */
function brief(prefix: string, e: WatchEvent): [string, string, string, number] {
  const key = str(e.kv.key);
  return [e.type, key.startsWith(prefix) ? key.slice(prefix.length) : key, str(e.kv.value), e.kv.modRevision];
}

/** A watcher's responses for the guarantee validators: its own, and stream-wide progress notifications after its creation. */
function recordOf(w: WatchRecorder, watchId: number): WatchResponse[] {
  const from = w.responses.findIndex((r) => r.watchId === watchId && r.created);
  return w.responses.slice(Math.max(from, 0)).filter((r) => r.watchId === watchId || r.watchId === -1);
}

/** Events grouped by revision, in order: the ground truth the validators take. */
function revisionEvents(events: WatchEvent[]): RevisionEvents[] {
  const out: RevisionEvents[] = [];
  for (const e of events) {
    const last = out.at(-1);
    if (last && last.revision === e.kv.modRevision) last.events.push(e);
    else out.push({ revision: e.kv.modRevision, events: [e] });
  }
  return out;
}

describe.each(storeBackends)("store conformance, watch: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("a watch from a past revision replays the history, then delivers live events", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
    const r3 = (await kv.deleteRange({ key: keys.key("a") })).header.revision;
    const w = new WatchRecorder(kv);
    try {
      const created = await w.create({ key: keys.key("a"), startRevision: r1 });
      expect(created).toMatchObject({ created: true, canceled: false, events: [] });
      expect(created.header.revision).toBe(r3);
      const replayed = await w.waitForEvents(created.watchId, 3);
      expect(replayed.map((e) => brief(keys.prefix, e))).toEqual([
        ["PUT", "a", "1", r1],
        ["PUT", "a", "2", r2],
        ["DELETE", "a", "", r3],
      ]);
      const r4 = (await kv.put({ key: keys.key("a"), value: b("3") })).header.revision;
      const all = await w.waitForEvents(created.watchId, 4);
      expect(all.map((e) => brief(keys.prefix, e))[3]).toEqual(["PUT", "a", "3", r4]);
      expect(view(all[3]!.kv)).toEqual({ key: keys.prefix + "a", value: "3", createRevision: r4, modRevision: r4, version: 1, lease: 0n });
      // Each response's header revision is at least the revision of its events.
      for (const res of w.responsesOf(created.watchId)) {
        for (const e of res.events) expect(res.header.revision).toBeGreaterThanOrEqual(e.kv.modRevision);
      }
    } finally {
      w.close();
    }
  });

  it("a delete event carries the key and the delete's revision, with every other field zero", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ key: keys.key("a") });
      const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
      const r2 = (await kv.deleteRange({ key: keys.key("a") })).header.revision;
      const events = await w.waitForEvents(watchId, 2);
      expect(events[1]!.type).toBe("DELETE");
      expect(view(events[1]!.kv)).toEqual({ key: keys.prefix + "a", value: "", createRevision: 0, modRevision: r2, version: 0, lease: 0n });
      expect(events[1]!.prevKv).toBeUndefined();
      expect(events[0]!.kv.modRevision).toBe(r1);
    } finally {
      w.close();
    }
  });

  it("a key watch sees only that key; a prefix watch sees every key under the prefix", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      // An empty rangeEnd is the same as none (KV interface contract).
      const one = await w.create({ key: keys.key("a"), rangeEnd: new Uint8Array() });
      const prefix = await w.create({ key: keys.key("p/"), rangeEnd: prefixEnd(keys.key("p/")) });
      expect(prefix.watchId).not.toBe(one.watchId);
      for (const name of ["ab", "p/1", "p", "a", "p/2", "q"]) await kv.put({ key: keys.key(name), value: b(name) });
      await w.waitForEvents(one.watchId, 1);
      await w.waitForEvents(prefix.watchId, 2);
      // A final write to a watched key: everything before it has arrived once it arrives.
      await kv.put({ key: keys.key("a"), value: b("last") });
      await w.waitForEvents(one.watchId, 2);
      expect(w.eventsOf(one.watchId).map((e) => brief(keys.prefix, e)[1])).toEqual(["a", "a"]);
      expect(w.eventsOf(prefix.watchId).map((e) => brief(keys.prefix, e)[1])).toEqual(["p/1", "p/2"]);
    } finally {
      w.close();
    }
  });

  it("prevKv adds the previous key-value to put and delete events", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ key: keys.key("a"), prevKv: true });
      const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
      const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
      await kv.deleteRange({ key: keys.key("a") });
      const [created, updated, deleted] = await w.waitForEvents(watchId, 3);
      expect(created!.prevKv).toBeUndefined();
      expect(view(updated!.prevKv!)).toEqual({ key: keys.prefix + "a", value: "1", createRevision: r1, modRevision: r1, version: 1, lease: 0n });
      expect(view(deleted!.prevKv!)).toEqual({ key: keys.prefix + "a", value: "2", createRevision: r1, modRevision: r2, version: 2, lease: 0n });
    } finally {
      w.close();
    }
  });

  it("NOPUT and NODELETE filters drop those events", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const noPut = await w.create({ key: keys.key("a"), filters: ["NOPUT"] });
      const noDelete = await w.create({ key: keys.key("a"), filters: ["NODELETE"] });
      const both = await w.create({ key: keys.key("a"), filters: ["NOPUT", "NODELETE"] });
      const everything = await w.create({ key: keys.key("a") });
      await kv.put({ key: keys.key("a"), value: b("1") });
      await kv.deleteRange({ key: keys.key("a") });
      await kv.put({ key: keys.key("a"), value: b("2") });
      await kv.deleteRange({ key: keys.key("a") });
      await w.waitForEvents(everything.watchId, 4);
      await w.waitForEvents(noPut.watchId, 2);
      await w.waitForEvents(noDelete.watchId, 2);
      expect(w.eventsOf(noPut.watchId).map((e) => e.type)).toEqual(["DELETE", "DELETE"]);
      expect(w.eventsOf(noDelete.watchId).map((e) => e.type)).toEqual(["PUT", "PUT"]);
      expect(w.eventsOf(both.watchId)).toEqual([]);
    } finally {
      w.close();
    }
  });

  it("a watch without a start revision sees only changes after it was created", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    await kv.put({ key: keys.key("a"), value: b("before") });
    const w = new WatchRecorder(kv);
    try {
      const { watchId, header } = await w.create({ key: keys.key("a") });
      const r2 = (await kv.put({ key: keys.key("a"), value: b("after") })).header.revision;
      expect(r2).toBe(header.revision + 1);
      const events = await w.waitForEvents(watchId, 1);
      expect(events.map((e) => brief(keys.prefix, e))).toEqual([["PUT", "a", "after", r2]]);
    } finally {
      w.close();
    }
  });

  it("a watch from a future revision starts delivering at that revision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r0 = (await kv.put({ key: keys.key("a"), value: b("0") })).header.revision;
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ key: keys.key("a"), startRevision: r0 + 2 });
      await kv.put({ key: keys.key("a"), value: b("1") });
      const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
      const events = await w.waitForEvents(watchId, 1);
      expect(events.map((e) => brief(keys.prefix, e))).toEqual([["PUT", "a", "2", r2]]);
    } finally {
      w.close();
    }
  });

  it("the events of one txn arrive together, with one revision, in key order of the writes", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      await kv.put({ key: keys.key("c"), value: b("0") });
      const { watchId } = await w.create({ ...keys.all() });
      const txn = await kv.txn({
        compare: [],
        success: [
          { requestPut: { key: keys.key("b"), value: b("1") } },
          { requestPut: { key: keys.key("a"), value: b("1") } },
          { requestDeleteRange: { key: keys.key("c") } },
        ],
        failure: [],
      });
      const rev = txn.header.revision;
      const events = await w.waitForEvents(watchId, 3);
      const responses = w.responsesOf(watchId);
      // Atomic: a revision's events are never split across responses.
      expect(responses).toHaveLength(1);
      expect(events.map((e) => brief(keys.prefix, e))).toEqual([
        ["PUT", "b", "1", rev],
        ["PUT", "a", "1", rev],
        ["DELETE", "c", "", rev],
      ]);
    } finally {
      w.close();
    }
  });

  it("several watchers on one stream each get their own events, under distinct ids", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const ids: number[] = [];
      for (const name of ["a", "b", "c"]) ids.push((await w.create({ key: keys.key(name) })).watchId);
      expect(new Set(ids).size).toBe(3);
      const again = await w.create({ key: keys.key("a") });
      for (const name of ["c", "a", "b"]) await kv.put({ key: keys.key(name), value: b(name) });
      for (const id of [...ids, again.watchId]) await w.waitForEvents(id, 1);
      expect(ids.map((id) => w.eventsOf(id).map((e) => brief(keys.prefix, e)[1]))).toEqual([["a"], ["b"], ["c"]]);
      expect(w.eventsOf(again.watchId).map((e) => brief(keys.prefix, e)[1])).toEqual(["a"]);
    } finally {
      w.close();
    }
  });

  it("a client-chosen watch id is used; reusing a live id is refused with etcd's reason", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const chosen = await w.create({ key: keys.key("a"), watchId: 4242 });
      expect(chosen.watchId).toBe(4242);
      const duplicate = await w.create({ key: keys.key("b"), watchId: 4242 });
      expect(duplicate).toMatchObject({
        watchId: -1,
        created: true,
        canceled: true,
        cancelReason: "mvcc: duplicate watch ID provided on the WatchStream",
      });
      const r = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
      expect((await w.waitForEvents(4242, 1)).map((e) => e.kv.modRevision)).toEqual([r]);
    } finally {
      w.close();
    }
  });

  it("cancel stops a watcher with a canceled response; other watchers go on", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const stopped = await w.create({ key: keys.key("a") });
      const kept = await w.create({ key: keys.key("a") });
      await kv.put({ key: keys.key("a"), value: b("1") });
      await w.waitForEvents(stopped.watchId, 1);
      w.cancel(stopped.watchId);
      const canceled = await w.until(
        () => w.responses.find((r) => r.watchId === stopped.watchId && r.canceled),
        `the canceled response of watch ${stopped.watchId}`,
      );
      expect(canceled).toMatchObject({ canceled: true, created: false, events: [], compactRevision: 0 });
      await kv.put({ key: keys.key("a"), value: b("2") });
      await w.waitForEvents(kept.watchId, 2);
      expect(w.eventsOf(stopped.watchId)).toHaveLength(1);
      // The canceled response comes after the watcher's last events.
      const last = w.responsesOf(stopped.watchId).at(-1);
      expect(last?.canceled).toBe(true);
    } finally {
      w.close();
    }
  });

  it("a progress request is answered with watchId -1, no events and the current revision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ key: keys.key("a") });
      const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
      await w.waitForEvents(watchId, 1);
      w.requestProgress();
      const progress = await w.until(() => w.responses.find((r) => r.watchId === -1), "a progress notification");
      expect(progress).toMatchObject({ created: false, canceled: false, events: [], compactRevision: 0 });
      expect(progress.header.revision).toBe(r1);
    } finally {
      w.close();
    }
  });

  it("a watch from a compacted revision is created, then canceled with the compact revision", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const r1 = (await kv.put({ key: keys.key("a"), value: b("1") })).header.revision;
    const r2 = (await kv.put({ key: keys.key("a"), value: b("2") })).header.revision;
    await kv.put({ key: keys.key("a"), value: b("3") });
    await kv.compact({ revision: r2 });
    const w = new WatchRecorder(kv);
    try {
      const created = await w.create({ key: keys.key("a"), startRevision: r1 });
      expect(created.canceled).toBe(false);
      const canceled = await w.until(
        () => w.responses.find((r) => r.watchId === created.watchId && r.canceled),
        "the watch to be canceled for a compacted start revision",
      );
      expect(canceled).toMatchObject({ created: false, canceled: true, compactRevision: r2, events: [] });
      // Starting at the compacted revision itself is fine: its events are still there.
      const fromCompacted = await w.create({ key: keys.key("a"), startRevision: r2 });
      const events = await w.waitForEvents(fromCompacted.watchId, 2);
      expect(events.map((e) => str(e.kv.value))).toEqual(["2", "3"]);
      expect(w.eventsOf(created.watchId)).toEqual([]);
    } finally {
      w.close();
    }
  });

  it("the six watch guarantees hold for watchers of every kind on one stream, and across a resume", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const start = (await kv.put({ key: keys.key("a"), value: b("0") })).header.revision;
    // The expected ground truth, written down from the workload below: (revision, events).
    const expected: Array<[number, Array<["PUT" | "DELETE", string]>]> = [[start, [["PUT", "a"]]]];
    const put = async (name: string, value: string) => {
      const rev = (await kv.put({ key: keys.key(name), value: b(value) })).header.revision;
      expected.push([rev, [["PUT", name]]]);
    };
    const w = new WatchRecorder(kv);
    const requests = {
      everything: { ...keys.all(), startRevision: start },
      fromMiddle: { ...keys.all(), startRevision: start + 3, prevKv: true },
      keyALive: { key: keys.key("a") },
      deletesOnly: { ...keys.all(), startRevision: start, filters: ["NOPUT" as const] },
    };
    try {
      const ids: Record<string, number> = {};
      for (const [name, req] of Object.entries(requests)) ids[name] = (await w.create(req)).watchId;
      await put("b", "1");
      await put("a", "2");
      // Ask for progress only once the watchers replaying history have caught up: etcd 3.4.23 answers
      // a progress request at once, even ahead of events a catching-up watcher has still to receive
      // (etcd issue #15220, fixed in 3.4.24 by deferring the answer until every watcher is synced).
      await w.waitForEvents(ids.everything!, 3);
      await w.waitForEvents(ids.keyALive!, 1);
      w.requestProgress();
      const txn = await kv.txn({
        compare: [],
        success: [
          { requestPut: { key: keys.key("c"), value: b("3") } },
          { requestPut: { key: keys.key("a"), value: b("3") } },
          { requestDeleteRange: { key: keys.key("b") } },
        ],
        failure: [],
      });
      expected.push([txn.header.revision, [["PUT", "c"], ["PUT", "a"], ["DELETE", "b"]]]);
      const del = await kv.deleteRange({ ...keys.all() });
      expected.push([del.header.revision, [["DELETE", "a"], ["DELETE", "c"]]]);
      await put("a", "5");
      const total = expected.reduce((n, [, evs]) => n + evs.length, 0);
      await w.waitForEvents(ids.everything!, total);
      w.requestProgress();
      const progressCount = () => w.responses.filter((r) => r.watchId === -1).length;
      await w.until(() => (progressCount() >= 2 ? true : undefined), "two progress notifications");

      // The complete watch is the ground truth — once checked against the expected workload.
      const truth = revisionEvents(w.eventsOf(ids.everything!));
      expect(truth.map((t) => [t.revision, t.events.map((e) => [e.type, keys.name(e.kv.key)])])).toEqual(expected);
      for (const [name, req] of Object.entries(requests)) {
        const record = { request: req, responses: recordOf(w, ids[name]!) };
        expect(checkWatchGuarantees(record, truth), `watch ${name}`).toEqual([]);
      }
      expect(w.eventsOf(ids.deletesOnly!).map((e) => keys.name(e.kv.key))).toEqual(["b", "a", "c"]);

      // Resumable: a new stream from just after the last revision received before a break.
      const cut = truth[2]!.revision;
      const resumed = new WatchRecorder(kv);
      try {
        const { watchId } = await resumed.create({ ...keys.all(), startRevision: cut + 1 });
        const rest = truth.filter((t) => t.revision > cut).flatMap((t) => t.events).length;
        await resumed.waitForEvents(watchId, rest);
        // What the first stream had delivered when it broke: its events up to `cut`.
        const beforeBreak = recordOf(w, ids.everything!)
          .map((r) => ({ ...r, events: r.events.filter((e) => e.kv.modRevision <= cut) }))
          .filter((r) => r.created || r.events.length > 0);
        const joined = { request: requests.everything, responses: [...beforeBreak, ...recordOf(resumed, watchId)] };
        expect(checkWatchGuarantees(joined, truth)).toEqual([]);
      } finally {
        resumed.close();
      }
    } finally {
      w.close();
    }
  });

  it("events are ordered by revision with no duplicates across replay and live delivery", async (ctx) => {
    const { kv, keys } = fixture.use(ctx);
    const start = (await kv.put({ key: keys.key("k0"), value: b("0") })).header.revision;
    for (let i = 1; i < 20; i++) await kv.put({ key: keys.key(`k${i % 4}`), value: b(String(i)) });
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ ...keys.all(), startRevision: start });
      // Writes continue while the watcher catches up.
      for (let i = 20; i < 40; i++) await kv.put({ key: keys.key(`k${i % 4}`), value: b(String(i)) });
      const events = await w.waitForEvents(watchId, 40);
      expect(events).toHaveLength(40);
      expect(events.map((e) => str(e.kv.value))).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
      expect(events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 40 }, (_, i) => start + i));
    } finally {
      w.close();
    }
  });
});
