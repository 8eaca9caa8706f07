// The etcd v3 gRPC API over any KV: KV, Watch, Lease, Maintenance and Cluster.MemberList, so that
// etcdctl, etcd's client libraries and our GrpcKv work against the reference store. Like etcd's
// api/v3rpc layer it validates requests, then hands them to the store and maps store errors to
// gRPC statuses with etcd's codes and messages. Requests arrive as raw bytes and are decoded by the
// handlers, so that oversize and unparsable messages get the answers grpc-go gives under real etcd.
// The gRPC transport is our own (transport.ts) on node:http2.
import { KvErrors, KvLimits, type KV, type KvError } from "../../../spec/interfaces/kv.ts";
import { GrpcErrors, statusFromError } from "./errors.ts";
import { serviceDefinition } from "./proto.ts";
import { GRPC_OVERHEAD_BYTES, type ServeContext } from "./server-context.ts";
import { keepAliveHandler, snapshotHandler, watchHandler } from "./server-streams.ts";
import { unaryHandlers, type Unary } from "./server-unary.ts";
import { GrpcCode, type MethodHandler, startGrpcServer } from "./transport.ts";

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

  const server = await startGrpcServer({
    host,
    port: opts.port ?? 0,
    methods: methodHandlers(ctx),
    // etcd's grpc-go limit: max-request-bytes plus the gRPC overhead.
    maxReceiveMessageBytes: ctx.maxRequestBytes + GRPC_OVERHEAD_BYTES,
  });
  port = server.port;

  const endStreams = (): void => {
    for (const end of [...streams]) end(KvErrors.stopped());
  };
  return {
    host,
    port,
    endpoint: `${host}:${port}`,
    async stop() {
      endStreams();
      await server.stop();
    },
    forceStop() {
      endStreams();
      server.forceStop();
    },
  };
}

function methodHandlers(ctx: ServeContext): Map<string, MethodHandler> {
  const unary = unaryHandlers(ctx);
  const streaming: Record<string, MethodHandler> = {
    Watch: watchHandler(ctx),
    LeaseKeepAlive: keepAliveHandler(ctx),
    Snapshot: snapshotHandler(ctx),
  };
  const methods = new Map<string, MethodHandler>();
  for (const service of ["KV", "Watch", "Lease", "Maintenance", "Cluster"] as const) {
    for (const [method, def] of Object.entries(serviceDefinition(service))) {
      const handler = unary[service][method];
      const encode = (msg: object): Uint8Array => def.responseSerialize(msg);
      methods.set(def.path, handler ? unaryCall(handler, encode) : (streaming[method] ?? unimplemented(`${service}/${method}`)));
    }
  }
  return methods;
}

/** Handles the request message as soon as it is complete, answers with one message or a status. */
function unaryCall(fn: Unary, encode: (msg: object) => Uint8Array): MethodHandler {
  return (call) => {
    let started = false;
    return {
      onMessage(raw) {
        if (started) return;
        started = true;
        let res: Promise<object>;
        try {
          res = fn(raw);
        } catch (err) {
          call.finish(statusFromError(err));
          return;
        }
        res.then(
          (value) => {
            let bytes: Uint8Array;
            try {
              bytes = value instanceof Uint8Array ? value : encode(value);
            } catch (err) {
              call.finish(statusFromError(err));
              return;
            }
            call.reply(bytes);
          },
          (err: unknown) => call.finish(statusFromError(err)),
        );
      },
      onHalfClose() {
        if (!started) call.finish({ code: GrpcCode.INTERNAL, details: "grpc: the client sent no request message" });
      },
    };
  };
}

/** Methods of etcd's API the reference store does not serve (Hash, MemberAdd, MoveLeader, ...). */
function unimplemented(what: string): MethodHandler {
  return (call) => {
    call.finish(statusFromError(GrpcErrors.unimplemented(what)));
    return {};
  };
}
