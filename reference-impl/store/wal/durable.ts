// A state machine made durable by the WAL and snapshots: recovery loads the newest intact snapshot,
// replays the later log records through apply, and hands back the state machine with the log
// positioned to append. While running, a snapshot is taken every N commands and the log segments
// it covers are removed.
//
// Indexes: the store counts every command it applies, failed ones included (MvccStore's
// consistentIndex, etcd's consistent index), and the snapshot carries that count. The user of the
// returned log (LocalKv) must apply every command, exactly once, after its append resolved and in
// log order (commands.ts: log, then apply); then the store's consistentIndex is the log index of
// the last command it applied, and a snapshot labelled with it tells recovery where to resume.
// apply is synchronous, so any moment the event loop reaches here is "between two applies".
import type { Disk } from "../../../spec/interfaces/disk.ts";
import { KvError } from "../../../spec/interfaces/kv.ts";
import type { CommandLog, WriteCommand } from "../commands.ts";
import { type SnapshotError, encodeSnapshot, listSnapshots, loadNewestSnapshot, snapshotName } from "./snapshot.ts";
import { type Wal, type WalOptions, join, openWal } from "./wal.ts";

/** What the WAL needs from a store: MvccStore satisfies it. */
export interface StateMachine {
  apply(cmd: WriteCommand): unknown;
  /** A value detached from the live store (later applies do not change it). */
  exportState(): unknown;
  /** Commands applied so far, failed ones included; part of the exported state. */
  readonly consistentIndex: number;
}

export interface StateMachineFactory<S extends StateMachine> {
  /** An empty store (no snapshot yet). */
  create(): S;
  /** A store holding a snapshot's state. */
  importState(state: unknown): S;
}

export interface DurableOptions extends Omit<WalOptions, "disk" | "dir"> {
  disk: Disk;
  /** The data dir: segments and snapshots live directly in it. */
  dir: string;
  /**
   * Snapshot after this many commands. Default 100,000, etcd's --snapshot-count: a snapshot
   * serializes the whole store (~3 µs of CPU per kept revision), so a small interval costs throughput.
   */
  snapshotEveryCommands?: number;
  /**
   * Snapshots kept. Segments are removed only once the oldest kept snapshot covers them, so a
   * damaged newest snapshot can fall back to an older one and still replay. Default 2; with 1 a
   * snapshot removes every segment it covers.
   */
  retainSnapshots?: number;
}

export interface Recovery {
  /** Snapshot the state came from, if any. */
  snapshot?: { path: string; index: number };
  /** Newer snapshots that were damaged and skipped. */
  skippedSnapshots: SnapshotError[];
  /** Log records replayed on top of the snapshot. */
  replayedCommands: number;
  /** Replayed commands whose apply threw a KvError (as it did when first applied). */
  rejectedCommands: number;
}

export class DurableStateMachine<S extends StateMachine> {
  /** Index of the last snapshot attempted (a failed one is retried only after another interval). */
  private lastAttemptIndex: number;
  private snapshotting: Promise<void> | undefined;
  private snapshotFailure: unknown;

  constructor(
    /** The recovered store. */
    readonly store: S,
    /** The log to hand to LocalKv. */
    readonly log: Wal,
    readonly recovery: Recovery,
    private readonly opts: Required<Pick<DurableOptions, "disk" | "dir" | "snapshotEveryCommands" | "retainSnapshots">>,
  ) {
    this.lastAttemptIndex = recovery.snapshot?.index ?? 0;
    log.onDurable = () => this.maybeSnapshot();
  }

  /**
   * The log to give the store's user (LocalKv): appends go to the WAL; close also waits for a
   * snapshot in progress.
   */
  get commandLog(): CommandLog {
    return { append: (cmd) => this.log.append(cmd), close: () => this.close() };
  }

  /** The last snapshot error, if the latest attempt failed (the log still has everything). */
  get lastSnapshotError(): unknown {
    return this.snapshotFailure;
  }

  /** Takes a snapshot of the store as it is now and waits until it is durable and old files are gone. */
  async snapshot(): Promise<void> {
    while (this.snapshotting) await this.snapshotting;
    this.startSnapshot();
    await this.snapshotting;
  }

  /** Flushes the log and waits for a snapshot in progress. */
  async close(): Promise<void> {
    await this.log.close();
    while (this.snapshotting) await this.snapshotting;
  }

  private maybeSnapshot(): void {
    if (this.snapshotting === undefined && this.store.consistentIndex - this.lastAttemptIndex >= this.opts.snapshotEveryCommands) {
      this.startSnapshot();
    }
  }

  private startSnapshot(): void {
    const index = this.store.consistentIndex;
    this.lastAttemptIndex = index;
    if (index > this.log.durableIndex) {
      // The store applied commands that did not go through the log: a snapshot labelled with this
      // index would make recovery skip or repeat commands.
      this.snapshotFailure = new Error(
        `snapshot skipped: the store applied ${index} commands but the log holds only ${this.log.durableIndex}`,
      );
      return;
    }
    let state: unknown;
    try {
      // Exported now, before the next apply; the export is detached, so it can be encoded later.
      state = this.store.exportState();
    } catch (err) {
      this.snapshotFailure = err;
      return;
    }
    const done: Promise<void> = this.persistSnapshot(index, state).finally(() => {
      if (this.snapshotting === done) this.snapshotting = undefined;
    });
    this.snapshotting = done;
  }

  private async persistSnapshot(index: number, state: unknown): Promise<void> {
    const { disk, dir, retainSnapshots } = this.opts;
    try {
      // Encoding takes a while for a big store: first let the acknowledgements already due go out.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await disk.writeAtomic(join(dir, snapshotName(index)), encodeSnapshot({ index, state }));
      this.snapshotFailure = undefined;
      const snapshots = await listSnapshots(disk, dir); // newest first
      for (const old of snapshots.slice(retainSnapshots)) await disk.remove(old.path);
      const kept = snapshots.slice(0, retainSnapshots);
      if (kept.length === retainSnapshots) await this.log.purgeCoveredBy(kept[kept.length - 1]!.index);
    } catch (err) {
      this.snapshotFailure = err;
    }
  }
}

/**
 * Opens (or creates) a durable store in `opts.dir`: newest intact snapshot, then the log records
 * after it. KvErrors thrown while replaying are the same rejections the original applies gave
 * (apply is deterministic), so they are counted and ignored; any other error aborts recovery.
 */
export async function openDurableStateMachine<S extends StateMachine>(
  opts: DurableOptions,
  factory: StateMachineFactory<S>,
): Promise<DurableStateMachine<S>> {
  const { disk, dir } = opts;
  await disk.mkdirp(dir);
  const { snapshot, skipped } = await loadNewestSnapshot(disk, dir);
  const store = snapshot ? factory.importState(snapshot.state) : factory.create();
  const afterIndex = snapshot?.index ?? 0;
  if (store.consistentIndex !== afterIndex) {
    throw new Error(`snapshot ${snapshot?.path}: labelled index ${afterIndex} but its state has applied ${store.consistentIndex} commands`);
  }
  const recovery: Recovery = { skippedSnapshots: skipped, replayedCommands: 0, rejectedCommands: 0 };
  if (snapshot) recovery.snapshot = { path: snapshot.path, index: snapshot.index };
  const log = await openWal(
    { ...opts, disk, dir },
    {
      afterIndex,
      onCommand(cmd) {
        recovery.replayedCommands++;
        try {
          store.apply(cmd);
        } catch (err) {
          if (!(err instanceof KvError)) throw err;
          recovery.rejectedCommands++;
        }
      },
    },
  );
  return new DurableStateMachine(store, log, recovery, {
    disk,
    dir,
    snapshotEveryCommands: opts.snapshotEveryCommands ?? 100_000,
    retainSnapshots: Math.max(1, opts.retainSnapshots ?? 2),
  });
}
