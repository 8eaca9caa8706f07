// Watches through MvccWatchStream: created first, replay then live, filters, prevKv, ids, cancel,
// compaction, progress; and the guarantees (ordered, unique, atomic) over random workloads.
import { describe, expect, it } from "vitest";
import type { ResponseHeader, WatchCreateRequest, WatchResponse } from "../../../spec/interfaces/kv.ts";
import { MvccStore } from "./store.ts";
import { b, str } from "./testing.ts";
import { WATCH_BATCH_MAX_REVS } from "./watch-hub.ts";
import { MvccWatchStream, WatchErrors } from "./watch-stream.ts";

const header = (revision: number): ResponseHeader => ({ clusterId: 1n, memberId: 2n, revision, raftTerm: 3 });

function open(store: MvccStore): { stream: MvccWatchStream; got: WatchResponse[] } {
  const got: WatchResponse[] = [];
  return { stream: new MvccWatchStream(store, { header, send: (r) => got.push(r) }), got };
}
const put = (s: MvccStore, k: string, v = "v") => s.apply({ op: "put", req: { key: b(k), value: b(v) } });
const del = (s: MvccStore, k: string, end?: string) =>
  s.apply({ op: "deleteRange", req: { key: b(k), rangeEnd: end === undefined ? undefined : b(end) } });
const events = (rs: WatchResponse[]) => rs.flatMap((r) => r.events.map((e) => `${e.type} ${str(e.kv.key)}@${e.kv.modRevision}`));
const watchReq = (key: string, extra: Partial<WatchCreateRequest> = {}): WatchCreateRequest => ({ key: b(key), ...extra });

describe("watch create", () => {
  it("answers created with the current revision, ids from 0 per stream", () => {
    const s = new MvccStore();
    put(s, "a");
    const { stream, got } = open(s);
    stream.create(watchReq("a"));
    stream.create(watchReq("b"));
    expect(got.map((r) => [r.watchId, r.created, r.canceled, r.header.revision])).toEqual([
      [0, true, false, 2],
      [1, true, false, 2],
    ]);
    expect(got[0]!.header).toEqual({ clusterId: 1n, memberId: 2n, revision: 2, raftTerm: 3 });
    const other = open(s);
    other.stream.create(watchReq("a"));
    expect(other.got[0]!.watchId).toBe(0);
  });

  it("uses a requested id, skips it when assigning, and refuses a duplicate", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a", { watchId: 1 }));
    stream.create(watchReq("b"));
    stream.create(watchReq("c"));
    stream.create(watchReq("d", { watchId: 2 }));
    expect(got.map((r) => r.watchId)).toEqual([1, 0, 2, -1]);
    expect(got[3]).toMatchObject({ created: true, canceled: true, cancelReason: WatchErrors.duplicateId });
  });

  it("refuses an empty range (key >= rangeEnd)", () => {
    const { stream, got } = open(new MvccStore());
    stream.create(watchReq("b", { rangeEnd: b("a") }));
    stream.create(watchReq("b", { rangeEnd: b("b") }));
    expect(got.map((r) => [r.watchId, r.created, r.canceled, r.cancelReason])).toEqual([
      [-1, true, true, WatchErrors.emptyRange],
      [-1, true, true, WatchErrors.emptyRange],
    ]);
  });
});

describe("watch events", () => {
  it("without a start revision, sends only later changes, one response per revision", () => {
    const s = new MvccStore();
    put(s, "a");
    const { stream, got } = open(s);
    stream.create(watchReq("a"));
    put(s, "a", "2");
    put(s, "b");
    del(s, "a");
    expect(events(got)).toEqual(["PUT a@3", "DELETE a@5"]);
    const deleteEv = got[2]!.events[0]!;
    expect(deleteEv.kv).toMatchObject({ createRevision: 0, version: 0, lease: 0n, modRevision: 5 });
    expect(got.slice(1).map((r) => [r.watchId, r.header.revision])).toEqual([
      [0, 3],
      [0, 5],
    ]);
  });

  it("replays history from the start revision, then goes live, with no gap or duplicate", () => {
    const s = new MvccStore();
    put(s, "k/a"); // 2
    put(s, "x"); // 3
    put(s, "k/b"); // 4
    del(s, "k/a"); // 5
    const { stream, got } = open(s);
    stream.create(watchReq("k/", { rangeEnd: b("k0"), startRevision: 3 }));
    put(s, "k/c"); // 6
    expect(events(got)).toEqual(["PUT k/b@4", "DELETE k/a@5", "PUT k/c@6"]);
    // the replay is one response at the current revision; live responses carry their own
    expect(got.slice(1).map((r) => [r.header.revision, r.events.length])).toEqual([
      [5, 2],
      [6, 1],
    ]);
  });

  it("a start revision in the future waits for it", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a", { startRevision: 4 }));
    put(s, "a"); // 2
    put(s, "a"); // 3
    put(s, "a"); // 4
    expect(events(got)).toEqual(["PUT a@4"]);
  });

  it("delivers one txn's events together, in the txn's order", () => {
    const s = new MvccStore();
    put(s, "c");
    const { stream, got } = open(s);
    stream.create(watchReq("a", { rangeEnd: b("z") }));
    s.apply({
      op: "txn",
      req: {
        compare: [],
        success: [
          { requestPut: { key: b("b"), value: b("1") } },
          { requestDeleteRange: { key: b("c") } },
          { requestPut: { key: b("a"), value: b("1") } },
        ],
        failure: [],
      },
    });
    expect(got).toHaveLength(2);
    expect(events(got.slice(1))).toEqual(["PUT b@3", "DELETE c@3", "PUT a@3"]);
  });

  it.each([
    ["NOPUT", ["NOPUT"], ["DELETE a@4"]],
    ["NODELETE", ["NODELETE"], ["PUT a@2", "PUT a@3"]],
    ["both", ["NOPUT", "NODELETE"], []],
  ] as const)("filters %s (and sends nothing when all events are filtered)", (_name, filters, want) => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a", { filters: [...filters] }));
    put(s, "a");
    put(s, "a");
    del(s, "a");
    expect(events(got)).toEqual(want);
    expect(got.filter((r) => r.events.length === 0)).toHaveLength(1); // only `created`
  });

  it("adds the previous value on request, live and in replay", () => {
    const s = new MvccStore();
    put(s, "a", "1");
    put(s, "a", "2");
    const { stream, got } = open(s);
    stream.create(watchReq("a", { startRevision: 2, prevKv: true }));
    del(s, "a");
    const evs = got.flatMap((r) => r.events);
    expect(evs.map((e) => [e.type, e.prevKv && str(e.prevKv.value)])).toEqual([
      ["PUT", undefined],
      ["PUT", "1"],
      ["DELETE", "2"],
    ]);
    const plain = open(s);
    plain.stream.create(watchReq("a", { startRevision: 2 }));
    expect(plain.got[1]!.events.every((e) => e.prevKv === undefined)).toBe(true);
  });

  it("gives no previous value to a create event, even for a key the same txn deleted (etcd 3.4)", () => {
    const s = new MvccStore();
    put(s, "a", "old");
    const { stream, got } = open(s);
    stream.create(watchReq("a", { prevKv: true }));
    s.apply({
      op: "txn",
      req: {
        compare: [],
        // a from-key delete does not conflict with a put in etcd's duplicate check
        success: [{ requestDeleteRange: { key: b("a"), rangeEnd: Uint8Array.of(0) } }, { requestPut: { key: b("a"), value: b("new") } }],
        failure: [],
      },
    });
    const evs = got[1]!.events;
    expect(evs.map((e) => [e.type, str(e.kv.value), e.prevKv && str(e.prevKv.value)])).toEqual([
      ["DELETE", "", "old"],
      ["PUT", "new", undefined],
    ]);
    expect(s.get(b("a"))).toMatchObject({ createRevision: 3, version: 1 });
  });

  it("splits a long replay into responses of at most 1000 revisions", () => {
    const s = new MvccStore();
    for (let i = 0; i < 2500; i++) put(s, "a");
    put(s, "other");
    const { stream, got } = open(s);
    stream.create(watchReq("a", { startRevision: 1 }));
    const replay = got.slice(1);
    expect(replay.map((r) => r.events.length)).toEqual([WATCH_BATCH_MAX_REVS, WATCH_BATCH_MAX_REVS, 500]);
    expect(replay.every((r) => r.header.revision === s.revision)).toBe(true);
  });

  it("an empty key means \\0; rangeEnd \\0 means every key >= key", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create({ key: new Uint8Array(), rangeEnd: Uint8Array.of(0) });
    stream.create({ key: b("m"), rangeEnd: Uint8Array.of(0) });
    put(s, "a");
    put(s, "z");
    expect(got.filter((r) => r.watchId === 0).flatMap((r) => r.events)).toHaveLength(2);
    expect(events(got.filter((r) => r.watchId === 1))).toEqual(["PUT z@3"]);
  });
});

describe("cancel, compaction, progress, close", () => {
  it("cancel answers canceled and stops events; an unknown id gets no answer", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a"));
    put(s, "a");
    stream.cancel(0);
    stream.cancel(7);
    put(s, "a");
    expect(got.map((r) => [r.watchId, r.created, r.canceled, r.events.length])).toEqual([
      [0, true, false, 0],
      [0, false, false, 1],
      [0, false, true, 0],
    ]);
    expect(s.watcherCount).toBe(0);
  });

  it("a compacted start revision: created, then canceled with the compact revision (header revision 0)", () => {
    const s = new MvccStore();
    for (let i = 0; i < 5; i++) put(s, "a");
    s.apply({ op: "compact", revision: 4 });
    const { stream, got } = open(s);
    stream.create(watchReq("a", { startRevision: 2 }));
    expect(got.map((r) => [r.watchId, r.created, r.canceled, r.compactRevision, r.header.revision])).toEqual([
      [0, true, false, 0, 6],
      [0, false, true, 4, 0],
    ]);
    // as in etcd, the id stays taken until cancelled, and cancel still answers
    stream.create(watchReq("a"));
    expect(got[2]!.watchId).toBe(1);
    stream.cancel(0);
    expect(got[3]).toMatchObject({ watchId: 0, canceled: true });
  });

  it("requestProgress answers watch id -1 at the current revision, after pending events", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a"));
    put(s, "b");
    stream.requestProgress();
    expect(got[1]).toMatchObject({ watchId: -1, events: [], created: false, canceled: false, header: { revision: 2 } });
  });

  it("progressTick notifies progress-notify watchers that got no events since the last tick", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a", { progressNotify: true }));
    stream.create(watchReq("b"));
    stream.progressTick();
    expect(got.slice(2).map((r) => [r.watchId, r.header.revision])).toEqual([[0, 1]]);
    put(s, "a");
    stream.progressTick(); // just got an event: elided
    expect(got.slice(4)).toEqual([]);
    stream.progressTick();
    expect(got.slice(4).map((r) => [r.watchId, r.header.revision, r.events.length])).toEqual([[0, 2, 0]]);
  });

  it("close stops every watcher", () => {
    const s = new MvccStore();
    const { stream, got } = open(s);
    stream.create(watchReq("a"));
    stream.create(watchReq("a", { rangeEnd: b("b") }));
    stream.close();
    put(s, "a");
    stream.create(watchReq("a"));
    expect(got).toHaveLength(2);
    expect(s.watcherCount).toBe(0);
  });
});

describe("watch guarantees over a random workload", () => {
  it("ordered, unique, atomic and complete: replay + live equals the revision history", () => {
    // A deterministic workload (LCG) of puts, deletes and txns over few keys, with watchers created
    // at random points from random start revisions; every watcher must see exactly the events of
    // the history from its start, in revision order, each revision in one response.
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const s = new MvccStore();
    const history: { rev: number; evs: string[] }[] = [];
    const { stream: recorder, got: all } = open(s);
    recorder.create({ key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0), startRevision: 1 });
    const streams: { start: number; got: WatchResponse[] }[] = [];
    for (let step = 0; step < 600; step++) {
      const k = `k${rnd(8)}`;
      const op = rnd(10);
      if (op < 6) put(s, k, String(step));
      else if (op < 8) del(s, k, rnd(2) ? undefined : `k${rnd(8) + 1}`);
      else
        s.apply({
          op: "txn",
          req: { compare: [], success: [{ requestPut: { key: b(k), value: b("t") } }, { requestPut: { key: b(`${k}x`), value: b("t") } }], failure: [] },
        });
      if (rnd(20) === 0) {
        const start = 1 + rnd(s.revision + 2);
        const w = open(s);
        w.stream.create({ key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0), startRevision: start });
        streams.push({ start, got: w.got });
      }
    }
    for (const r of all.slice(1)) {
      expect(new Set(r.events.map((e) => e.kv.modRevision)).size).toBe(1);
      history.push({ rev: r.events[0]!.kv.modRevision, evs: events([r]) });
    }
    const revs = history.map((h) => h.rev);
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
    expect(new Set(revs).size).toBe(revs.length);
    expect(streams.length).toBeGreaterThan(5);
    for (const w of streams) {
      const want = history.filter((h) => h.rev >= w.start).flatMap((h) => h.evs);
      expect(events(w.got)).toEqual(want);
    }
  });
});
