// gRPC status <-> KvError. etcd answers with a gRPC status whose code and message (etcd
// api/v3rpc/rpctypes/error.go) clients match on, so both directions keep code and message as is.
import { status as GrpcStatus, type StatusObject } from "@grpc/grpc-js";
import { KvError, type KvErrorCode } from "../../../spec/interfaces/kv.ts";

const codeNames: Record<number, KvErrorCode> = {
  [GrpcStatus.CANCELLED]: "CANCELED",
  [GrpcStatus.UNKNOWN]: "UNKNOWN",
  [GrpcStatus.INVALID_ARGUMENT]: "INVALID_ARGUMENT",
  [GrpcStatus.DEADLINE_EXCEEDED]: "DEADLINE_EXCEEDED",
  [GrpcStatus.NOT_FOUND]: "NOT_FOUND",
  [GrpcStatus.ALREADY_EXISTS]: "ALREADY_EXISTS",
  [GrpcStatus.RESOURCE_EXHAUSTED]: "RESOURCE_EXHAUSTED",
  [GrpcStatus.FAILED_PRECONDITION]: "FAILED_PRECONDITION",
  [GrpcStatus.OUT_OF_RANGE]: "OUT_OF_RANGE",
  [GrpcStatus.INTERNAL]: "INTERNAL",
  [GrpcStatus.UNAVAILABLE]: "UNAVAILABLE",
};

const grpcCodes: Record<KvErrorCode, GrpcStatus> = {
  CANCELED: GrpcStatus.CANCELLED,
  UNKNOWN: GrpcStatus.UNKNOWN,
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  DEADLINE_EXCEEDED: GrpcStatus.DEADLINE_EXCEEDED,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  ALREADY_EXISTS: GrpcStatus.ALREADY_EXISTS,
  RESOURCE_EXHAUSTED: GrpcStatus.RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION: GrpcStatus.FAILED_PRECONDITION,
  OUT_OF_RANGE: GrpcStatus.OUT_OF_RANGE,
  INTERNAL: GrpcStatus.INTERNAL,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
};

/**
 * A gRPC status as a KvError. Codes the KV interface does not name (PERMISSION_DENIED,
 * UNIMPLEMENTED, ...) become UNKNOWN with the code's name prefixed to the message.
 */
export function kvErrorFromStatus(s: Pick<StatusObject, "code" | "details">): KvError {
  const name = codeNames[s.code];
  if (name) return new KvError(name, s.details);
  return new KvError("UNKNOWN", `${GrpcStatus[s.code] ?? `code ${s.code}`}: ${s.details}`);
}

/** Any error thrown while serving a call, as the status to answer with. */
export function statusFromError(err: unknown): { code: GrpcStatus; details: string } {
  if (err instanceof KvError) return { code: grpcCodes[err.code] ?? GrpcStatus.UNKNOWN, details: err.message };
  if (err instanceof GrpcError) return { code: err.grpcCode, details: err.message };
  return { code: GrpcStatus.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

/** A status the KV interface has no code for (UNIMPLEMENTED), raised by the server itself. */
export class GrpcError extends Error {
  constructor(
    readonly grpcCode: GrpcStatus,
    message: string,
  ) {
    super(message);
    this.name = "GrpcError";
  }
}

/** Errors etcd's gRPC layer (or grpc-go under it) answers with that the KvErrors catalogue lacks. */
export const GrpcErrors = {
  /** etcd >= 3.5 rejects an unknown sort target this way (3.4 has no check and crashes on it). */
  invalidSortOption: () => new KvError("INVALID_ARGUMENT", "etcdserver: invalid sort option"),
  /** grpc-go's answer to a request above the server's MaxRecvMsgSize. */
  messageTooLarge: (size: number, max: number) =>
    new KvError("RESOURCE_EXHAUSTED", `grpc: received message larger than max (${size} vs. ${max})`),
  /** grpc-go's answer to bytes that do not parse as the request message. */
  unmarshal: (why: string) => new KvError("INTERNAL", `grpc: error unmarshalling request: ${why}`),
  /** A method of etcd's API the reference store does not serve (Hash, MemberAdd, ...). */
  unimplemented: (what: string) =>
    new GrpcError(GrpcStatus.UNIMPLEMENTED, `plumbline: ${what} is not implemented by the reference store`),
} as const;
