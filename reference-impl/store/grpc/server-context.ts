// What the reference server's handlers share: the store, etcd's limits, request decoding with
// grpc-go's answers to oversize and unparsable messages, and the registry of open streams.
import { KvErrors, type KV, type KvError } from "../../../spec/interfaces/kv.ts";
import { GrpcErrors } from "./errors.ts";
import { methodDefinition, type EtcdService } from "./proto.ts";

/** etcd's grpcOverheadBytes: gRPC accepts messages up to max-request-bytes plus this. */
export const GRPC_OVERHEAD_BYTES = 512 * 1024;

/**
 * Bytes a write gains when etcd wraps it in a raft proposal (InternalRaftRequest: field tags and a
 * request-ID header whose ID is 9 or 10 varint bytes, depending on the member ID); etcd compares
 * that size with max-request-bytes. Measured on etcd 3.4.23 with a 10-byte ID.
 */
const RAFT_ENVELOPE_BYTES = 15;

export interface ServeContext {
  kv: KV;
  maxRequestBytes: number;
  maxTxnOps: number;
  maxPendingWatchResponses: number;
  maxPendingKeepAlives: number;
  memberName: string;
  peerUrls: string[];
  /** The URL clients reach this server on (MemberList's clientURLs). */
  clientUrl(): string;
  snapshot: (() => Promise<Uint8Array>) | undefined;
  /** Registers an open stream so that stop() can end it; returns the function that unregisters it. */
  track(end: (err: KvError) => void): () => void;
}

/** Request bytes to a message, failing as grpc-go does under etcd (size first, then parsing). */
export function decoder<T>(ctx: ServeContext, service: EtcdService, method: string): (raw: Buffer) => T {
  const def = methodDefinition(service, method);
  const maxRecvBytes = ctx.maxRequestBytes + GRPC_OVERHEAD_BYTES;
  return (raw) => {
    if (raw.length > maxRecvBytes) throw GrpcErrors.messageTooLarge(raw.length, maxRecvBytes);
    try {
      return def.requestDeserialize(raw) as T;
    } catch (err) {
      throw GrpcErrors.unmarshal(err instanceof Error ? err.message : String(err));
    }
  };
}

/** etcd refuses a write whose raft proposal exceeds max-request-bytes (reads are not proposed). */
export function checkProposalSize(ctx: ServeContext, raw: Buffer): void {
  if (raw.length + RAFT_ENVELOPE_BYTES + varintBytes(raw.length) > ctx.maxRequestBytes) throw KvErrors.requestTooLarge();
}

function varintBytes(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    bytes++;
  }
  return bytes;
}
