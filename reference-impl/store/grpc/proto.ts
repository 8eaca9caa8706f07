// etcd's rpc.proto (shipped by the etcd3 package) loaded with @grpc/proto-loader, and the shape of
// its messages as plain objects. Options: field names as in the .proto (keepCase), int64 as decimal
// strings (exact, converted by wire.ts), enums as numbers (an unknown value stays visible, so it
// can be rejected), every scalar present (defaults), and a oneof's name telling which member is set.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protoLoader from "@grpc/proto-loader";

const require = createRequire(import.meta.url);
const protoDir = join(dirname(require.resolve("etcd3/package.json")), "proto");

const packageDefinition = protoLoader.loadSync(join(protoDir, "rpc.proto"), {
  keepCase: true,
  longs: String,
  enums: Number,
  defaults: true,
  oneofs: true,
});

export type EtcdService = "KV" | "Watch" | "Lease" | "Cluster" | "Maintenance";

export function serviceDefinition(service: EtcdService): protoLoader.ServiceDefinition {
  const def = packageDefinition[`etcdserverpb.${service}`];
  // Message types carry a `format`; services are maps of method definitions.
  if (!def || "format" in def) {
    throw new Error(`rpc.proto has no service etcdserverpb.${service}`);
  }
  return def as protoLoader.ServiceDefinition;
}

export function methodDefinition(service: EtcdService, method: string): protoLoader.MethodDefinition<object, object> {
  const def = serviceDefinition(service)[method];
  if (!def) throw new Error(`rpc.proto has no method etcdserverpb.${service}/${method}`);
  return def as protoLoader.MethodDefinition<object, object>;
}

// ---- Messages as plain objects ---------------------------------------------------------------
// One type serves both directions: decoded messages carry every scalar (int64 as a string), while
// messages we encode may leave fields out and give int64 as a number. Readers never trust presence.

/** int64/uint64: a decimal string when decoded; a number or string when encoded. */
export type Long = string | number;
export type WireBytes = Uint8Array;

export interface WireHeader {
  cluster_id?: Long;
  member_id?: Long;
  revision?: Long;
  raft_term?: Long;
}

export interface WireKeyValue {
  key?: WireBytes;
  create_revision?: Long;
  mod_revision?: Long;
  version?: Long;
  value?: WireBytes;
  lease?: Long;
}

export interface WireRangeRequest {
  key?: WireBytes;
  range_end?: WireBytes;
  limit?: Long;
  revision?: Long;
  sort_order?: number;
  sort_target?: number;
  serializable?: boolean;
  keys_only?: boolean;
  count_only?: boolean;
  min_mod_revision?: Long;
  max_mod_revision?: Long;
  min_create_revision?: Long;
  max_create_revision?: Long;
}

export interface WireRangeResponse {
  header?: WireHeader | null;
  kvs?: WireKeyValue[];
  more?: boolean;
  count?: Long;
}

export interface WirePutRequest {
  key?: WireBytes;
  value?: WireBytes;
  lease?: Long;
  prev_kv?: boolean;
  ignore_value?: boolean;
  ignore_lease?: boolean;
}

export interface WirePutResponse {
  header?: WireHeader | null;
  prev_kv?: WireKeyValue | null;
}

export interface WireDeleteRangeRequest {
  key?: WireBytes;
  range_end?: WireBytes;
  prev_kv?: boolean;
}

export interface WireDeleteRangeResponse {
  header?: WireHeader | null;
  deleted?: Long;
  prev_kvs?: WireKeyValue[];
}

export interface WireRequestOp {
  request_range?: WireRangeRequest | null;
  request_put?: WirePutRequest | null;
  request_delete_range?: WireDeleteRangeRequest | null;
  request_txn?: WireTxnRequest | null;
  /** Decoded only: which member of the oneof is set. */
  request?: string;
}

export interface WireResponseOp {
  response_range?: WireRangeResponse | null;
  response_put?: WirePutResponse | null;
  response_delete_range?: WireDeleteRangeResponse | null;
  response_txn?: WireTxnResponse | null;
  response?: string;
}

export interface WireCompare {
  result?: number;
  target?: number;
  key?: WireBytes;
  version?: Long;
  create_revision?: Long;
  mod_revision?: Long;
  value?: WireBytes;
  lease?: Long;
  range_end?: WireBytes;
  target_union?: string;
}

export interface WireTxnRequest {
  compare?: WireCompare[];
  success?: WireRequestOp[];
  failure?: WireRequestOp[];
}

export interface WireTxnResponse {
  header?: WireHeader | null;
  succeeded?: boolean;
  responses?: WireResponseOp[];
}

export interface WireCompactionRequest {
  revision?: Long;
  physical?: boolean;
}

export interface WireHeaderOnly {
  header?: WireHeader | null;
}

export interface WireWatchCreateRequest {
  key?: WireBytes;
  range_end?: WireBytes;
  start_revision?: Long;
  progress_notify?: boolean;
  filters?: number[];
  prev_kv?: boolean;
  watch_id?: Long;
  fragment?: boolean;
}

export interface WireWatchRequest {
  create_request?: WireWatchCreateRequest | null;
  cancel_request?: { watch_id?: Long } | null;
  progress_request?: object | null;
  request_union?: string;
}

export interface WireEvent {
  type?: number;
  kv?: WireKeyValue | null;
  prev_kv?: WireKeyValue | null;
}

export interface WireWatchResponse {
  header?: WireHeader | null;
  watch_id?: Long;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: Long;
  cancel_reason?: string;
  fragment?: boolean;
  events?: WireEvent[];
}

export interface WireLeaseGrantRequest {
  TTL?: Long;
  ID?: Long;
}

export interface WireLeaseGrantResponse {
  header?: WireHeader | null;
  ID?: Long;
  TTL?: Long;
  error?: string;
}

export interface WireLeaseIdRequest {
  ID?: Long;
}

export interface WireLeaseKeepAliveResponse {
  header?: WireHeader | null;
  ID?: Long;
  TTL?: Long;
}

export interface WireLeaseTimeToLiveRequest {
  ID?: Long;
  keys?: boolean;
}

export interface WireLeaseTimeToLiveResponse {
  header?: WireHeader | null;
  ID?: Long;
  TTL?: Long;
  grantedTTL?: Long;
  keys?: WireBytes[];
}

export interface WireLeaseLeasesResponse {
  header?: WireHeader | null;
  leases?: { ID?: Long }[];
}

export interface WireStatusResponse {
  header?: WireHeader | null;
  version?: string;
  dbSize?: Long;
  leader?: Long;
  raftIndex?: Long;
  raftTerm?: Long;
  raftAppliedIndex?: Long;
  errors?: string[];
  dbSizeInUse?: Long;
  isLearner?: boolean;
}

export interface WireMember {
  ID?: Long;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

export interface WireSnapshotResponse {
  header?: WireHeader | null;
  remaining_bytes?: Long;
  blob?: WireBytes;
}

export interface WireAlarmRequest {
  action?: number;
  memberID?: Long;
  alarm?: number;
}
