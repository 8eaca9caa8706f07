// The KV interface: etcd v3 semantics (https://etcd.io/docs/v3.5/learning/api/), shaped after
// etcd's rpc.proto so that an in-process store, a gRPC client to the reference store and a gRPC
// client to real etcd are interchangeable. Field names are rpc.proto's in camelCase.
//
// Representation choices:
// - keys and values are bytes (Uint8Array; Node Buffers are accepted);
// - revisions, versions and counts are numbers (int64 in etcd; safe integers here);
// - lease IDs are bigint, since etcd draws them from the whole positive int64 range.
//   A lease of 0n means "no lease".

export type Bytes = Uint8Array;

export interface ResponseHeader {
  clusterId: bigint;
  memberId: bigint;
  /** The store revision when the request was applied. */
  revision: number;
  raftTerm: number;
}

export interface KeyValue {
  key: Bytes;
  /** Revision of the last creation of this key (reset by a delete). */
  createRevision: number;
  /** Revision of the last modification. */
  modRevision: number;
  /** Number of modifications since creation; a delete resets it to 0. */
  version: number;
  value: Bytes;
  lease: bigint;
}

export type SortOrder = "NONE" | "ASCEND" | "DESCEND";
export type SortTarget = "KEY" | "VERSION" | "CREATE" | "MOD" | "VALUE";

export interface RangeRequest {
  key: Bytes;
  /**
   * Absent or empty: the single key `key`. `[0]` (the byte 0x00): every key >= `key`.
   * Otherwise the half-open interval [key, rangeEnd). The prefix form is rangeEnd = prefixEnd(key).
   */
  rangeEnd?: Bytes;
  /** 0 = no limit. */
  limit?: number;
  /** 0 = latest; otherwise read the store as of this revision. */
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  /** True when `limit` cut the result short. */
  more: boolean;
  /** Number of keys in the range (ignores limit). */
  count: number;
}

export interface PutRequest {
  key: Bytes;
  value: Bytes;
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export interface DeleteRangeRequest {
  key: Bytes;
  rangeEnd?: Bytes;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export type RequestOp =
  | { requestRange: RangeRequest }
  | { requestPut: PutRequest }
  | { requestDeleteRange: DeleteRangeRequest }
  | { requestTxn: TxnRequest };

export type ResponseOp =
  | { responseRange: RangeResponse }
  | { responsePut: PutResponse }
  | { responseDeleteRange: DeleteRangeResponse }
  | { responseTxn: TxnResponse };

export type CompareResult = "EQUAL" | "GREATER" | "LESS" | "NOT_EQUAL";

/** Exactly one target field is set, matching `target`. */
export type Compare = {
  result: CompareResult;
  key: Bytes;
  rangeEnd?: Bytes;
} & (
  | { target: "VERSION"; version: number }
  | { target: "CREATE"; createRevision: number }
  | { target: "MOD"; modRevision: number }
  | { target: "VALUE"; value: Bytes }
  | { target: "LEASE"; lease: bigint }
);

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactionRequest {
  revision: number;
  physical?: boolean;
}

export interface CompactionResponse {
  header: ResponseHeader;
}

// ---- Watch ---------------------------------------------------------------------------------

export type WatchFilter = "NOPUT" | "NODELETE";

export interface WatchCreateRequest {
  key: Bytes;
  rangeEnd?: Bytes;
  /** 0 or absent: start after the current revision (only future changes). */
  startRevision?: number;
  progressNotify?: boolean;
  filters?: WatchFilter[];
  prevKv?: boolean;
  /** 0 or absent: the server assigns an id. */
  watchId?: number;
  fragment?: boolean;
}

export interface WatchEvent {
  type: "PUT" | "DELETE";
  /** For DELETE: key, modRevision = the delete's revision, other fields zero. */
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchResponse {
  header: ResponseHeader;
  watchId: number;
  created: boolean;
  canceled: boolean;
  /** Set when the requested start revision was compacted: the oldest revision still available. */
  compactRevision: number;
  cancelReason: string;
  fragment: boolean;
  events: WatchEvent[];
}

/**
 * One watch stream, like etcd's bidirectional Watch RPC: many watchers multiplexed, responses
 * delivered in order to the handler given to `openWatchStream`.
 */
export interface WatchStream {
  create(req: WatchCreateRequest): void;
  cancel(watchId: number): void;
  /** Ask for a progress notification (a response with watchId -1 and no events when idle). */
  requestProgress(): void;
  /** Close the stream: every watcher on it stops. */
  close(): void;
}

export type WatchResponseHandler = (res: WatchResponse) => void;
/** Called once if the stream breaks (server gone, network error); not called on close(). */
export type WatchStreamErrorHandler = (err: Error) => void;

// ---- Leases --------------------------------------------------------------------------------

export interface LeaseGrantRequest {
  /** Seconds. */
  TTL: number;
  /** 0n or absent: the server chooses. */
  ID?: bigint;
}

export interface LeaseGrantResponse {
  header: ResponseHeader;
  ID: bigint;
  TTL: number;
}

export interface LeaseKeepAliveResponse {
  header: ResponseHeader;
  ID: bigint;
  /** 0 when the lease no longer exists. */
  TTL: number;
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  ID: bigint;
  /** Remaining seconds; -1 when the lease does not exist (expired or never granted). */
  TTL: number;
  grantedTTL: number;
  keys: Bytes[];
}

export interface LeaseStatus {
  ID: bigint;
}

// ---- Maintenance ---------------------------------------------------------------------------

export interface StatusResponse {
  header: ResponseHeader;
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  leader: bigint;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
  isLearner: boolean;
}

// ---- Errors --------------------------------------------------------------------------------

/** gRPC status code names etcd uses. */
export type KvErrorCode =
  | "INVALID_ARGUMENT"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "FAILED_PRECONDITION"
  | "OUT_OF_RANGE"
  | "RESOURCE_EXHAUSTED"
  | "UNAVAILABLE"
  | "DEADLINE_EXCEEDED"
  | "CANCELED"
  | "INTERNAL"
  | "UNKNOWN";

/**
 * An error with etcd's gRPC code and etcd's message (e.g. OUT_OF_RANGE,
 * "etcdserver: mvcc: required revision has been compacted"). See `KvErrors` for the catalogue.
 */
export class KvError extends Error {
  constructor(
    readonly code: KvErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "KvError";
  }
}

/** etcd's error messages (etcd api/v3rpc/rpctypes/error.go), with their gRPC codes. */
export const KvErrors = {
  emptyKey: () => new KvError("INVALID_ARGUMENT", "etcdserver: key is not provided"),
  keyNotFound: () => new KvError("INVALID_ARGUMENT", "etcdserver: key not found"),
  valueProvided: () => new KvError("INVALID_ARGUMENT", "etcdserver: value is provided"),
  leaseProvided: () => new KvError("INVALID_ARGUMENT", "etcdserver: lease is provided"),
  tooManyOps: () => new KvError("INVALID_ARGUMENT", "etcdserver: too many operations in txn request"),
  duplicateKey: () => new KvError("INVALID_ARGUMENT", "etcdserver: duplicate key given in txn request"),
  compacted: () => new KvError("OUT_OF_RANGE", "etcdserver: mvcc: required revision has been compacted"),
  futureRev: () => new KvError("OUT_OF_RANGE", "etcdserver: mvcc: required revision is a future revision"),
  noSpace: () => new KvError("RESOURCE_EXHAUSTED", "etcdserver: mvcc: database space exceeded"),
  leaseNotFound: () => new KvError("NOT_FOUND", "etcdserver: requested lease not found"),
  leaseExist: () => new KvError("FAILED_PRECONDITION", "etcdserver: lease already exists"),
  leaseTTLTooLarge: () => new KvError("OUT_OF_RANGE", "etcdserver: too large lease TTL"),
  requestTooLarge: () => new KvError("INVALID_ARGUMENT", "etcdserver: request is too large"),
  stopped: () => new KvError("UNAVAILABLE", "etcdserver: server stopped"),
  timeout: () => new KvError("UNAVAILABLE", "etcdserver: request timed out"),
} as const;

/** etcd's defaults (etcd embed/config.go, server/etcdserver/api/v3rpc). */
export const KvLimits = {
  /** --max-request-bytes default: 1.5 MiB. */
  maxRequestBytes: 1.5 * 1024 * 1024,
  /** --quota-backend-bytes default: 2 GiB. */
  quotaBackendBytes: 2 * 1024 * 1024 * 1024,
  /** --max-txn-ops default. */
  maxTxnOps: 128,
  /**
   * A grant below the minimum TTL is raised to it: ceil((3 × election ticks / 2) × heartbeat)
   * = ceil(15 × 100 ms) = 2 s with etcd's default timing (etcd server/etcdserver/server.go minTTL).
   */
  minLeaseTtlSeconds: 2,
  /** MaxLeaseTTL = 9000000000 seconds. */
  maxLeaseTtlSeconds: 9_000_000_000,
} as const;

// ---- The interface -------------------------------------------------------------------------

export interface KV {
  range(req: RangeRequest): Promise<RangeResponse>;
  put(req: PutRequest): Promise<PutResponse>;
  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse>;
  txn(req: TxnRequest): Promise<TxnResponse>;
  compact(req: CompactionRequest): Promise<CompactionResponse>;

  openWatchStream(onResponse: WatchResponseHandler, onError?: WatchStreamErrorHandler): WatchStream;

  leaseGrant(req: LeaseGrantRequest): Promise<LeaseGrantResponse>;
  leaseRevoke(id: bigint): Promise<{ header: ResponseHeader }>;
  /** One keep-alive round trip: refreshes the lease to its granted TTL. */
  leaseKeepAlive(id: bigint): Promise<LeaseKeepAliveResponse>;
  leaseTimeToLive(id: bigint, keys?: boolean): Promise<LeaseTimeToLiveResponse>;
  leaseLeases(): Promise<{ header: ResponseHeader; leases: LeaseStatus[] }>;

  status(): Promise<StatusResponse>;
  /** Releases connections and timers; pending calls fail with UNAVAILABLE. */
  close(): Promise<void>;
}

// ---- Key helpers ---------------------------------------------------------------------------

/** The rangeEnd that selects every key with prefix `key` (etcd clientv3 GetPrefixRangeEnd). */
export function prefixEnd(key: Bytes): Bytes {
  const end = Uint8Array.from(key);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.slice(0, i + 1);
    }
  }
  // All 0xff (or empty): every key from `key` on.
  return Uint8Array.of(0);
}
