// The etcd v3 gRPC API over any KV: KV, Watch, Lease, Maintenance and Cluster.MemberList, so that
// etcdctl, etcd's client libraries and our GrpcKv work against the reference store. Like etcd's
// api/v3rpc layer it validates requests, then hands them to the store and maps store errors to
// gRPC statuses with etcd's codes and messages. Requests arrive as raw bytes and are decoded by the
// handlers, so that oversize and unparsable messages get the answers grpc-go gives under real etcd.
import * as grpc from "@grpc/grpc-js";
import { KvErrors, KvLimits, type KV, type KvError } from "../../../spec/interfaces/kv.ts";
import { GrpcErrors, statusFromError } from "./errors.ts";
import { serviceDefinition } from "./proto.ts";
import { GRPC_OVERHEAD_BYTES, type ServeContext } from "./server-context.ts";
import { keepAliveHandler, snapshotHandler, watchHandler } from "./server-streams.ts";
import { unaryHandlers, type Unary } from "./server-unary.ts";

export interface EtcdServerOptions {
  kv: KV;
  /** Listen address; default 127.0.0.1 (plumbline listens on loopback only). */
  host?: string;
  /** Default 0: any free port (see `EtcdServer.port`). */
  port?: number;
  /** Member name reported by MemberList; default "default", as etcd. */
  name?: string;
  /** Peer URLs reported by MemberList; default none. */
  peerUrls?: string[];
  /**
   * The store's snapshot, streamed by Maintenance.Snapshot in etcd's file layout (snapshot-file.ts);
   * without it Snapshot is UNIMPLEMENTED.
   */
  snapshot?: () => Promise<Uint8Array>;
  /** etcd --max-request-bytes (default 1.5 MiB): larger writes get "request is too large". */
  maxRequestBytes?: number;
  /** etcd --max-txn-ops (default 128). */
  maxTxnOps?: number;
  /** Responses queued for a watch client that does not read before its stream fails (default 65536). */
  maxPendingWatchResponses?: number;
  /** Keep-alives queued on one LeaseKeepAlive stream before it fails (default 1024). */
  maxPendingKeepAlives?: number;
}

export interface EtcdServer {
  host: string;
  port: number;
  /** `HOST:PORT`, for GrpcKv and etcdctl --endpoints. */
  endpoint: string;
  /** Refuses new calls, ends open streams with "server stopped", waits for unary calls in flight. */
  stop(): Promise<void>;
  /** Drops every connection at once. */
  forceStop(): void;
}

export async function startEtcdServer(opts: EtcdServerOptions): Promise<EtcdServer> {
  const host = opts.host ?? "127.0.0.1";
  const streams = new Set<(err: KvError) => void>();
  let port = 0;
  const ctx: ServeContext = {
    kv: opts.kv,
    maxRequestBytes: opts.maxRequestBytes ?? KvLimits.maxRequestBytes,
    maxTxnOps: opts.maxTxnOps ?? KvLimits.maxTxnOps,
    maxPendingWatchResponses: opts.maxPendingWatchResponses ?? 65536,
    maxPendingKeepAlives: opts.maxPendingKeepAlives ?? 1024,
    memberName: opts.name ?? "default",
    peerUrls: opts.peerUrls ?? [],
    clientUrl: () => `http://${host}:${port}`,
    snapshot: opts.snapshot,
    track(end) {
      streams.add(end);
      return () => streams.delete(end);
    },
  };

  // grpc-js itself refuses only far larger messages, so that up to there the answer is etcd's.
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 4 * (ctx.maxRequestBytes + GRPC_OVERHEAD_BYTES),
    "grpc.max_send_message_length": -1,
  });
  registerServices(server, ctx);
  port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${opts.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });

  const endStreams = (): void => {
    for (const end of [...streams]) end(KvErrors.stopped());
  };
  return {
    host,
    port,
    endpoint: `${host}:${port}`,
    async stop() {
      endStreams();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
    forceStop() {
      endStreams();
      server.forceShutdown();
    },
  };
}

function registerServices(server: grpc.Server, ctx: ServeContext): void {
  const unary = unaryHandlers(ctx);
  const streaming: Record<string, grpc.UntypedHandleCall> = {
    Watch: watchHandler(ctx),
    LeaseKeepAlive: keepAliveHandler(ctx),
    Snapshot: snapshotHandler(ctx),
  };
  for (const service of ["KV", "Watch", "Lease", "Maintenance", "Cluster"] as const) {
    const defs: Record<string, grpc.MethodDefinition<Buffer, object>> = {};
    const impl: Record<string, grpc.UntypedHandleCall> = {};
    for (const [method, def] of Object.entries(serviceDefinition(service))) {
      // Keep the request bytes: the handlers decode them (size limits and etcd's errors first).
      defs[method] = {
        path: def.path,
        requestStream: def.requestStream,
        responseStream: def.responseStream,
        requestSerialize: def.requestSerialize,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: def.responseSerialize,
        responseDeserialize: def.responseDeserialize,
      };
      const handler = unary[service][method];
      impl[method] = handler
        ? unaryCall(handler)
        : (streaming[method] ?? unimplemented(`${service}/${method}`, def.requestStream, def.responseStream));
    }
    server.addService(defs, impl);
  }
}

function unaryCall(fn: Unary): grpc.handleUnaryCall<Buffer, object> {
  return (call, callback) => {
    let res: Promise<object>;
    try {
      res = fn(call.request);
    } catch (err) {
      callback(statusFromError(err));
      return;
    }
    res.then(
      (value) => callback(null, value),
      (err: unknown) => callback(statusFromError(err)),
    );
  };
}

/** Methods of etcd's API the reference store does not serve (Hash, MemberAdd, MoveLeader, ...). */
function unimplemented(what: string, requestStream: boolean, responseStream: boolean): grpc.UntypedHandleCall {
  const err = (): grpc.ServerErrorResponse => {
    const s = statusFromError(GrpcErrors.unimplemented(what));
    return Object.assign(new Error(s.details), s);
  };
  if (!requestStream && !responseStream) return ((_call, callback) => callback(err())) as grpc.handleUnaryCall<Buffer, object>;
  if (!requestStream) return ((call) => call.emit("error", err())) as grpc.handleServerStreamingCall<Buffer, object>;
  if (!responseStream) return ((_call, callback) => callback(err())) as grpc.handleClientStreamingCall<Buffer, object>;
  return ((call) => call.emit("error", err())) as grpc.handleBidiStreamingCall<Buffer, object>;
}
