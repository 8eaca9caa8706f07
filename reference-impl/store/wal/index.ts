// Durability for the store: write-ahead log with group commit, snapshots, recovery, and etcdctl-style
// snapshot save / restore.
export { openDurableKv, openDurableStore, mvccStoreFactory, type DurableKvOptions, type DurableStoreOptions } from "./durable-store.ts";
export {
  DurableStateMachine,
  openDurableStateMachine,
  type DurableOptions,
  type Recovery,
  type StateMachine,
  type StateMachineFactory,
} from "./durable.ts";
export { Wal, WalCorruptionError, openWal, type WalOptions, type WalReplay } from "./wal.ts";
export {
  SnapshotError,
  decodeSnapshot,
  encodeSnapshot,
  loadNewestSnapshot,
  restoreSnapshot,
  saveSnapshot,
  type SnapshotContent,
  type SnapshotSource,
  type SnapshotStore,
} from "./snapshot.ts";
export { crc32c } from "./crc32c.ts";
export { RealSegmentFiles, type RealSegmentFilesOptions } from "./real-segment-files.ts";
export { diskSegmentFiles, type SegmentFile, type SegmentFiles } from "./segment-file.ts";
export { decodeCommand, encodeCommand } from "./command-codec.ts";
