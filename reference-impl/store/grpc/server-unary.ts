// The reference server's unary methods: KV, Lease (but keep-alive), Maintenance and
// Cluster.MemberList. Each decodes and checks its request as etcd's api/v3rpc does, calls the store
// and encodes the answer.
import type {
  EtcdService,
  WireCompactionRequest,
  WireDeleteRangeRequest,
  WireLeaseGrantRequest,
  WireLeaseIdRequest,
  WireLeaseTimeToLiveRequest,
  WirePutRequest,
  WireRangeRequest,
  WireRequestOp,
  WireTxnRequest,
} from "./proto.ts";
import {
  compactionRequestFromWire,
  deleteRangeRequestFromWire,
  putRequestFromWire,
  rangeRequestFromWire,
  txnRequestFromWire,
} from "./requests.ts";
import { decodePutRequest, encodePutResponse } from "./put-codec.ts";
import { checkProposalSize, decoder, type ServeContext } from "./server-context.ts";
import {
  big,
  deleteRangeResponseToWire,
  headerToWire,
  leaseGrantResponseToWire,
  leaseLeasesResponseToWire,
  leaseTimeToLiveResponseToWire,
  num,
  putResponseToWire,
  rangeResponseToWire,
  statusResponseToWire,
  txnResponseToWire,
} from "./wire.ts";

/** Request bytes to response message, or to its bytes when a handler encodes them itself. */
export type Unary = (raw: Buffer) => Promise<object | Uint8Array>;

export function unaryHandlers(ctx: ServeContext): Record<EtcdService, Record<string, Unary>> {
  return {
    KV: kvHandlers(ctx),
    Watch: {},
    Lease: leaseHandlers(ctx),
    Maintenance: maintenanceHandlers(ctx),
    Cluster: clusterHandlers(ctx),
  };
}

function kvHandlers(ctx: ServeContext): Record<string, Unary> {
  const { kv } = ctx;
  const range = decoder<WireRangeRequest>(ctx, "KV", "Range");
  const put = decoder<WirePutRequest>(ctx, "KV", "Put");
  const deleteRange = decoder<WireDeleteRangeRequest>(ctx, "KV", "DeleteRange");
  const txn = decoder<WireTxnRequest>(ctx, "KV", "Txn");
  const compact = decoder<WireCompactionRequest>(ctx, "KV", "Compact");
  return {
    Range: async (raw) => rangeResponseToWire(await kv.range(rangeRequestFromWire(range(raw)))),
    Put: async (raw) => {
      const req = decodePutRequest(raw) ?? putRequestFromWire(put(raw));
      checkProposalSize(ctx, raw);
      const res = await kv.put(req);
      return encodePutResponse(res) ?? putResponseToWire(res);
    },
    DeleteRange: async (raw) => {
      const req = deleteRangeRequestFromWire(deleteRange(raw));
      checkProposalSize(ctx, raw);
      return deleteRangeResponseToWire(await kv.deleteRange(req));
    },
    Txn: async (raw) => {
      const wire = txn(raw);
      const req = txnRequestFromWire(wire, ctx.maxTxnOps);
      if (!isReadOnly(wire)) checkProposalSize(ctx, raw);
      return txnResponseToWire(await kv.txn(req));
    },
    Compact: async (raw) => {
      const res = await kv.compact(compactionRequestFromWire(compact(raw)));
      return { header: headerToWire(res.header) };
    },
  };
}

/** etcd isTxnReadonly: only ranges (in nested txns too), so it is served without a raft proposal. */
function isReadOnly(w: WireTxnRequest): boolean {
  const readOnly = (op: WireRequestOp): boolean => (op.request_range ? true : op.request_txn ? isReadOnly(op.request_txn) : false);
  return (w.success ?? []).every(readOnly) && (w.failure ?? []).every(readOnly);
}

function leaseHandlers(ctx: ServeContext): Record<string, Unary> {
  const { kv } = ctx;
  const grant = decoder<WireLeaseGrantRequest>(ctx, "Lease", "LeaseGrant");
  const revoke = decoder<WireLeaseIdRequest>(ctx, "Lease", "LeaseRevoke");
  const timeToLive = decoder<WireLeaseTimeToLiveRequest>(ctx, "Lease", "LeaseTimeToLive");
  const leases = decoder<object>(ctx, "Lease", "LeaseLeases");
  return {
    LeaseGrant: async (raw) => {
      const w = grant(raw);
      return leaseGrantResponseToWire(await kv.leaseGrant({ TTL: num(w.TTL), ID: big(w.ID) }));
    },
    LeaseRevoke: async (raw) => ({ header: headerToWire((await kv.leaseRevoke(big(revoke(raw).ID))).header) }),
    LeaseTimeToLive: async (raw) => {
      const w = timeToLive(raw);
      return leaseTimeToLiveResponseToWire(await kv.leaseTimeToLive(big(w.ID), w.keys ?? false));
    },
    LeaseLeases: async (raw) => {
      leases(raw);
      return leaseLeasesResponseToWire(await kv.leaseLeases());
    },
  };
}

function maintenanceHandlers(ctx: ServeContext): Record<string, Unary> {
  const { kv } = ctx;
  const status = decoder<object>(ctx, "Maintenance", "Status");
  const defragment = decoder<object>(ctx, "Maintenance", "Defragment");
  const alarm = decoder<object>(ctx, "Maintenance", "Alarm");
  return {
    Status: async (raw) => {
      status(raw);
      return statusResponseToWire(await kv.status());
    },
    // Nothing to defragment or alarm about: answer as a healthy etcd does.
    Defragment: async (raw) => {
      defragment(raw);
      return { header: headerToWire((await kv.status()).header) };
    },
    Alarm: async (raw) => {
      alarm(raw);
      // etcd 3.4 answers with no header when no alarm is raised.
      return { alarms: [] };
    },
  };
}

function clusterHandlers(ctx: ServeContext): Record<string, Unary> {
  const memberList = decoder<object>(ctx, "Cluster", "MemberList");
  return {
    MemberList: async (raw) => {
      memberList(raw);
      const status = await ctx.kv.status();
      const member = {
        ID: status.header.memberId.toString(),
        name: ctx.memberName,
        peerURLs: ctx.peerUrls,
        clientURLs: [ctx.clientUrl()],
        isLearner: false,
      };
      return { header: headerToWire(status.header), members: [member] };
    },
  };
}
