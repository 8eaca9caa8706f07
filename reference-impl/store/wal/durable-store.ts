// The durable etcd-compatible store: MvccStore recovered from the data dir (snapshot + WAL), and
// LocalKv serving it with the WAL as its CommandLog.
import type { MvccStoreOptions } from "../mvcc/store.ts";
import { MvccStore } from "../mvcc/store.ts";
import { LocalKv, type LocalKvOptions } from "../local-kv.ts";
import { type DurableOptions, type DurableStateMachine, type StateMachineFactory, openDurableStateMachine } from "./durable.ts";

export interface DurableStoreOptions extends DurableOptions {
  /** Options for the MvccStore (created empty or from a snapshot). */
  storeOptions?: MvccStoreOptions;
}

export function mvccStoreFactory(opts: MvccStoreOptions = {}): StateMachineFactory<MvccStore> {
  return { create: () => new MvccStore(opts), importState: (state) => MvccStore.importState(state, opts) };
}

/**
 * Recovers the MvccStore in `opts.dir` (newest intact snapshot, then the WAL after it) and returns
 * it with the WAL positioned to append. Hand `commandLog` to LocalKv as its log.
 */
export function openDurableStore(opts: DurableStoreOptions): Promise<DurableStateMachine<MvccStore>> {
  return openDurableStateMachine(opts, mvccStoreFactory(opts.storeOptions));
}

export type DurableKvOptions = DurableOptions & Omit<LocalKvOptions, "store" | "log">;

/**
 * A LocalKv whose writes are durable in `opts.dir` before they are acknowledged, recovered from
 * what the dir holds. Closing it flushes the log and waits for a snapshot in progress; the Disk
 * stays open (its owner closes it).
 */
export async function openDurableKv(opts: DurableKvOptions): Promise<LocalKv> {
  const durable = await openDurableStore({ ...opts, storeOptions: opts.limits ? { limits: opts.limits } : {} });
  return new LocalKv({ ...opts, store: durable.store, log: durable.commandLog });
}
