// Compaction: what it keeps, what reads and watches below it get.
import { describe, expect, it } from "vitest";
import { KvError } from "../../../spec/interfaces/kv.ts";
import { keySpan } from "./bytes.ts";
import { EMPTY_DB_BYTES } from "./size.ts";
import { MvccStore } from "./store.ts";
import { b, kvText, str } from "./testing.ts";
import type { WatchBatch } from "./watch-hub.ts";

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvError) return err.message;
    throw err;
  }
  return "ok";
}
const put = (s: MvccStore, k: string, v: string) => s.apply({ op: "put", req: { key: b(k), value: b(v) } });
const del = (s: MvccStore, k: string) => s.apply({ op: "deleteRange", req: { key: b(k) } });

/** a@2 b@3 a@4 b deleted@5 c@6 a@7. */
function fixture(): MvccStore {
  const s = new MvccStore();
  put(s, "a", "1");
  put(s, "b", "1");
  put(s, "a", "2");
  del(s, "b");
  put(s, "c", "1");
  put(s, "a", "3");
  return s;
}

describe("compaction", () => {
  it("answers with the current revision and does not take one", () => {
    const s = fixture();
    expect(s.apply({ op: "compact", revision: 4 }).header.revision).toBe(7);
    expect(s.revision).toBe(7);
    expect(s.compactRevision).toBe(4);
  });

  it("fails at or below the last compaction, and above the current revision", () => {
    const s = fixture();
    expect(errorOf(() => s.apply({ op: "compact", revision: 8 }))).toBe("etcdserver: mvcc: required revision is a future revision");
    s.apply({ op: "compact", revision: 4 });
    expect(errorOf(() => s.apply({ op: "compact", revision: 4 }))).toBe("etcdserver: mvcc: required revision has been compacted");
    expect(errorOf(() => s.apply({ op: "compact", revision: 3 }))).toBe("etcdserver: mvcc: required revision has been compacted");
    expect(errorOf(() => s.apply({ op: "compact", revision: 7 }))).toBe("ok");
  });

  it("accepts revision 0 and 1 on a fresh store (etcd starts from compact revision -1)", () => {
    const s = new MvccStore();
    expect(errorOf(() => s.apply({ op: "compact", revision: 0 }))).toBe("ok");
    expect(errorOf(() => s.apply({ op: "compact", revision: 1 }))).toBe("ok");
    expect(errorOf(() => s.apply({ op: "compact", revision: 1 }))).toBe("etcdserver: mvcc: required revision has been compacted");
  });

  it("reads below the compaction fail; at it and above they see the same data as before", () => {
    const s = fixture();
    const before = [4, 5, 6, 7].map((rev) => s.range({ key: b("a"), rangeEnd: b("z"), revision: rev }).kvs.map(kvText));
    s.apply({ op: "compact", revision: 4 });
    expect(errorOf(() => s.range({ key: b("a"), revision: 3 }))).toBe("etcdserver: mvcc: required revision has been compacted");
    const after = [4, 5, 6, 7].map((rev) => s.range({ key: b("a"), rangeEnd: b("z"), revision: rev }).kvs.map(kvText));
    expect(after).toEqual(before);
  });

  it("keeps the newest value at the compaction revision of live keys and drops deleted keys", () => {
    const s = fixture();
    s.apply({ op: "compact", revision: 6 });
    // a: value at 4 (kept, visible at 6) and 7; b: deleted at 5, dropped; c: 6
    expect(s.indexedKeys).toBe(2);
    expect(str(s.range({ key: b("a"), revision: 6 }).kvs[0]!.value)).toBe("2");
    expect(s.range({ key: b("b"), revision: 6 }).kvs).toEqual([]);
    s.apply({ op: "compact", revision: 7 });
    expect(s.range({ key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0) }).kvs.map(kvText).map((kv) => [kv.key, kv.value])).toEqual([
      ["a", "3"],
      ["c", "1"],
    ]);
  });

  it("frees space in use, while the db size stays (no defragmentation)", () => {
    const s = new MvccStore();
    for (let i = 0; i < 100; i++) put(s, "k", "x".repeat(100));
    const inUse = s.dbSizeInUseBytes;
    const size = s.dbSizeBytes;
    s.apply({ op: "compact", revision: s.revision });
    expect(s.dbSizeInUseBytes - EMPTY_DB_BYTES).toBeLessThan((inUse - EMPTY_DB_BYTES) / 10);
    expect(s.dbSizeBytes).toBe(size);
  });

  it("a watch from below the compaction is cancelled with the compaction revision", () => {
    const s = fixture();
    s.apply({ op: "compact", revision: 5 });
    const got: WatchBatch[] = [];
    const w = s.watch({ span: keySpan(b("a"), undefined), startRevision: 4 }, (x) => got.push(x));
    expect(got).toEqual([{ events: [], revision: 0, compactRevision: 5 }]);
    expect(w.active).toBe(false);
    expect(s.watcherCount).toBe(0);
  });

  it("a watch from the compaction revision replays it, minus its deletes (as etcd drops them)", () => {
    const s = fixture();
    s.apply({ op: "compact", revision: 5 }); // b's delete is at 5
    const got: WatchBatch[] = [];
    s.watch({ span: keySpan(b("a"), b("z")), startRevision: 5 }, (x) => got.push(x));
    expect(got.flatMap((x) => x.events).map((e) => [e.type, str(e.kv.key), e.kv.modRevision])).toEqual([
      ["PUT", "c", 6],
      ["PUT", "a", 7],
    ]);
    const got4: WatchBatch[] = [];
    const s2 = fixture();
    s2.apply({ op: "compact", revision: 4 });
    s2.watch({ span: keySpan(b("a"), b("z")), startRevision: 4 }, (x) => got4.push(x));
    expect(got4.flatMap((x) => x.events).map((e) => [e.type, str(e.kv.key), e.kv.modRevision])).toEqual([
      ["PUT", "a", 4],
      ["DELETE", "b", 5],
      ["PUT", "c", 6],
      ["PUT", "a", 7],
    ]);
  });

  it("prevKv is missing for events whose previous revision was compacted", () => {
    const s = fixture();
    s.apply({ op: "compact", revision: 4 });
    const got: WatchBatch[] = [];
    s.watch({ span: keySpan(b("a"), b("z")), startRevision: 4, prevKv: true }, (x) => got.push(x));
    const events = got.flatMap((x) => x.events);
    expect(events[0]!.prevKv).toBeUndefined(); // a@4: previous revision 3 is compacted
    expect(str(events[1]!.prevKv!.key)).toBe("b"); // b deleted @5: read at 4
    expect(str(events[3]!.prevKv!.value)).toBe("2"); // a@7: a at 6
  });
});
