// Store conformance: a store killed without grace (SIGKILL) and restarted on the same data keeps
// every acknowledged write, its revision, its history and its compaction, as etcd does. Only for
// backends that run as their own process (capability `restart`).
import { describe, expect, it } from "vitest";
import { KvErrors } from "../../spec/interfaces/kv.ts";
import { storeBackends } from "../targets/store/backends.ts";
import { b, str, useStoreBackend, view } from "./fixture.ts";
import { WatchRecorder } from "./watch-recorder.ts";

describe.each(storeBackends)("store conformance, kill and restart: $name", (backend) => {
  const fixture = useStoreBackend(backend);

  it("acknowledged writes, revisions, history and compaction survive a kill -9", async (ctx) => {
    const store = fixture.store(ctx);
    if (!store.restart) ctx.skip(`not applicable: the ${backend.name} store cannot be killed and restarted`);
    const { keys } = fixture.use(ctx);
    let kv = store.kv;
    const revs: number[] = [];
    for (let i = 0; i < 20; i++) revs.push((await kv.put({ key: keys.key(`k${i % 5}`), value: b(String(i)) })).header.revision);
    const deleted = (await kv.deleteRange({ key: keys.key("k0") })).header.revision;
    await kv.compact({ revision: revs[4]! });
    const before = await kv.range(keys.all());

    await store.restart!();
    kv = store.kv;

    const after = await kv.range(keys.all());
    expect(after.header.revision).toBe(deleted);
    expect(after.kvs.map(view)).toEqual(before.kvs.map(view));
    // History and compaction are durable too.
    expect((await kv.range({ key: keys.key("k1"), revision: revs[6]! })).kvs.map((k) => str(k.value))).toEqual(["6"]);
    await expect(kv.range({ key: keys.key("k1"), revision: revs[3]! })).rejects.toMatchObject({
      code: "OUT_OF_RANGE",
      message: KvErrors.compacted().message,
    });
    // Watches resume from a revision before the restart, and writes continue the sequence.
    const w = new WatchRecorder(kv);
    try {
      const { watchId } = await w.create({ key: keys.key("k2"), startRevision: revs[10]! });
      const next = (await kv.put({ key: keys.key("k2"), value: b("after") })).header.revision;
      expect(next).toBe(deleted + 1);
      const events = await w.waitForEvents(watchId, 3);
      expect(events.map((e) => [str(e.kv.value), e.kv.modRevision])).toEqual([
        ["12", revs[12]],
        ["17", revs[17]],
        ["after", next],
      ]);
    } finally {
      w.close();
    }
  });

  it("a lease and its keys survive a restart and can still be revoked", async (ctx) => {
    const store = fixture.store(ctx);
    if (!store.restart) ctx.skip(`not applicable: the ${backend.name} store cannot be killed and restarted`);
    const { keys } = fixture.use(ctx);
    const { ID } = await store.kv.leaseGrant({ TTL: 600 });
    await store.kv.put({ key: keys.key("a"), value: b("1"), lease: ID });
    await store.restart!();
    const kv = store.kv;
    const ttl = await kv.leaseTimeToLive(ID, true);
    expect(ttl.grantedTTL).toBe(600);
    expect(ttl.TTL).toBeGreaterThan(0);
    expect(ttl.keys.map((k) => keys.name(k))).toEqual(["a"]);
    await kv.leaseRevoke(ID);
    expect((await kv.range(keys.all())).kvs).toEqual([]);
  });
});
