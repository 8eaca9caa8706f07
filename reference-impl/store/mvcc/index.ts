// The MVCC store core: a deterministic etcd v3 state machine and the pieces around it.
export { MvccStore, DEFAULT_STORE_LIMITS } from "./store.ts";
export { EMPTY_DB_BYTES } from "./size.ts";
export type { ApplyResult, LeaseInfo, MvccStoreOptions, MvccStoreState, StoreLimits } from "./store.ts";
export { MvccWatchStream, WatchErrors, type MvccWatchStreamOptions } from "./watch-stream.ts";
export { WATCH_BATCH_MAX_REVS, type Change, type WatchBatch, type WatcherOptions } from "./watch-hub.ts";
export { checkIntervals, checkTxn, checkTxnRequest, checkWriteCommand, isTxnReadonly } from "./validate.ts";
export { raftRequestBytes } from "./request-size.ts";
