// exportState / importState, and determinism: the store is a pure function of its commands.
import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { KvError } from "../../../spec/interfaces/kv.ts";
import type { WriteCommand } from "../commands.ts";
import { keySpan } from "./bytes.ts";
import { MvccStore } from "./store.ts";
import { b, kvText, str } from "./testing.ts";
import type { WatchBatch } from "./watch-hub.ts";

/** A digest of the v8 serialization: byte-identical values have equal digests (and compare fast). */
const digest = (v: unknown): string => createHash("sha256").update(serialize(v)).digest("hex");

/** A deterministic mix of every command kind, including some that fail. */
function workload(n: number, seed = 7): WriteCommand[] {
  let x = seed;
  const rnd = (m: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % m);
  const cmds: WriteCommand[] = [];
  for (let i = 0; i < n; i++) {
    const k = b(`key/${rnd(20)}`);
    switch (rnd(12)) {
      case 0:
        cmds.push({ op: "leaseGrant", id: BigInt(1 + rnd(5)), ttlSeconds: 10 + rnd(20) });
        break;
      case 1:
        cmds.push({ op: "leaseRevoke", id: BigInt(1 + rnd(5)) });
        break;
      case 2:
        cmds.push({ op: "deleteRange", req: { key: k, rangeEnd: rnd(2) ? undefined : b(`key/${rnd(20)}`) } });
        break;
      case 3:
        cmds.push({ op: "compact", revision: Math.max(1, i - rnd(30)) });
        break;
      case 4:
        cmds.push({
          op: "txn",
          req: {
            compare: [{ key: k, target: "VERSION", result: "GREATER", version: rnd(3) }],
            success: [{ requestPut: { key: k, value: b(`t${i}`) } }, { requestRange: { key: b("key/"), rangeEnd: b("key0") } }],
            failure: [{ requestDeleteRange: { key: k } }],
          },
        });
        break;
      default:
        cmds.push({ op: "put", req: { key: k, value: b(`v${i}`), lease: rnd(4) === 0 ? BigInt(1 + rnd(5)) : undefined } });
    }
  }
  return cmds;
}

/** Applies commands, recording each response or error (the same way the WAL's replay would). */
function run(s: MvccStore, cmds: WriteCommand[]): unknown[] {
  return cmds.map((cmd) => {
    try {
      return s.apply(cmd);
    } catch (err) {
      if (err instanceof KvError) return err.message;
      throw err;
    }
  });
}

function everything(s: MvccStore) {
  return s.range({ key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0) }).kvs.map(kvText);
}

describe("determinism", () => {
  it("the same commands give the same responses and byte-identical state", () => {
    const cmds = workload(2000);
    const a = new MvccStore();
    const c = new MvccStore();
    expect(digest(run(a, cmds))).toBe(digest(run(c, cmds)));
    expect(digest(a.exportState())).toBe(digest(c.exportState()));
    expect(a.revision).toBeGreaterThan(500);
  });
});

describe("exportState / importState", () => {
  it("round-trips through v8.serialize: same reads, past revisions, leases, size and alarms", () => {
    const s = new MvccStore();
    run(s, workload(1500));
    const copy = MvccStore.importState(deserialize(serialize(s.exportState())));
    expect(copy.revision).toBe(s.revision);
    expect(copy.compactRevision).toBe(s.compactRevision);
    expect(copy.consistentIndex).toBe(s.consistentIndex);
    expect(copy.dbSizeBytes).toBe(s.dbSizeBytes);
    expect(copy.dbSizeInUseBytes).toBe(s.dbSizeInUseBytes);
    expect(everything(copy)).toEqual(everything(s));
    for (let rev = Math.max(1, s.compactRevision); rev <= s.revision; rev += 37) {
      const req = { key: Uint8Array.of(0), rangeEnd: Uint8Array.of(0), revision: rev };
      expect(copy.range(req).kvs.map(kvText)).toEqual(s.range(req).kvs.map(kvText));
    }
    expect(copy.leases()).toEqual(s.leases());
    for (const l of s.leases()) expect(copy.lease(l.id)!.keys.map(str)).toEqual(s.lease(l.id)!.keys.map(str));
    expect(digest(copy.exportState())).toBe(digest(s.exportState()));
  });

  it("a restored store replays the same watch history and continues identically", () => {
    const cmds = workload(1200);
    const s = new MvccStore();
    run(s, cmds.slice(0, 800));
    const copy = MvccStore.importState(deserialize(serialize(s.exportState())));
    const replay = (st: MvccStore) => {
      const got: WatchBatch[] = [];
      st.watch({ span: keySpan(Uint8Array.of(0), Uint8Array.of(0)), startRevision: Math.max(1, st.compactRevision), prevKv: true }, (x) => got.push(x));
      return got.flatMap((x) => x.events);
    };
    expect(digest(replay(copy))).toBe(digest(replay(s)));
    expect(digest(run(copy, cmds.slice(800)))).toBe(digest(run(s, cmds.slice(800))));
    expect(digest(copy.exportState())).toBe(digest(s.exportState()));
  });

  it("the export is detached: later writes do not change it", () => {
    const s = new MvccStore();
    s.apply({ op: "put", req: { key: b("a"), value: b("1") } });
    const state = s.exportState();
    const before = digest(state);
    s.apply({ op: "put", req: { key: b("a"), value: b("2") } });
    s.apply({ op: "put", req: { key: b("b"), value: b("2") } });
    expect(digest(state)).toBe(before);
  });

  it("refuses something that is not a store state", () => {
    expect(() => MvccStore.importState({ format: "nope" })).toThrow(/not a plumbline\.mvcc\.v1 state/);
    expect(() => MvccStore.importState(null)).toThrow();
  });
});
