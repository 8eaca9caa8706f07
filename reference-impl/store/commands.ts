// The store's replicated-state-machine contract: every change to the store is a WriteCommand,
// made durable by a CommandLog *before* it is applied (log, then apply — as etcd applies raft
// entries). Replaying the same commands on an empty store rebuilds the same state, revision for
// revision, so a restarted store recovers every acknowledged write.
import type { DeleteRangeRequest, PutRequest, TxnRequest } from "../../spec/interfaces/kv.ts";

export type WriteCommand =
  | { op: "put"; req: PutRequest }
  | { op: "deleteRange"; req: DeleteRangeRequest }
  | { op: "txn"; req: TxnRequest }
  | { op: "compact"; revision: number }
  | { op: "leaseGrant"; id: bigint; ttlSeconds: number }
  /** A client revoke and a lease expiry are the same command. */
  | { op: "leaseRevoke"; id: bigint };

export interface CommandLog {
  /**
   * Resolves once `cmd` is durable. Commands become durable, and their promises resolve, in the
   * order they were appended. Rejects (and every later append rejects) if the log failed.
   */
  append(cmd: WriteCommand): Promise<void>;
  close(): Promise<void>;
}

/** A log that keeps nothing: a purely in-memory store. */
export const volatileLog: CommandLog = {
  append: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
