// GrpcKv: the KV interface over etcd's v3 gRPC API. The same client talks to real etcd and to the
// reference store's server, which is what makes the two comparable (conformance suite, benchmark).
// One channel (one HTTP/2 connection) carries every call, so many concurrent calls multiplex on it.
import * as grpc from "@grpc/grpc-js";
import {
  KvError,
  type CompactionRequest,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type KV,
  type LeaseGrantRequest,
  type LeaseGrantResponse,
  type LeaseKeepAliveResponse,
  type LeaseStatus,
  type LeaseTimeToLiveResponse,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type ResponseHeader,
  type StatusResponse,
  type TxnRequest,
  type TxnResponse,
  type WatchCreateRequest,
  type WatchResponseHandler,
  type WatchStream,
  type WatchStreamErrorHandler,
} from "../../../spec/interfaces/kv.ts";
import { kvErrorFromStatus } from "./errors.ts";
import {
  methodDefinition,
  type EtcdService,
  type WireHeaderOnly,
  type WireLeaseGrantResponse,
  type WireLeaseKeepAliveResponse,
  type WireLeaseLeasesResponse,
  type WireLeaseTimeToLiveResponse,
  type WireRangeResponse,
  type WireStatusResponse,
  type WireWatchResponse,
  type WireDeleteRangeResponse,
  type WirePutResponse,
  type WireTxnResponse,
} from "./proto.ts";
import { deadlineAfter } from "./real-deadline.ts";
import {
  compactionRequestToWire,
  deleteRangeRequestToWire,
  deleteRangeResponseFromWire,
  headerFromWire,
  leaseGrantResponseFromWire,
  leaseKeepAliveResponseFromWire,
  leaseLeasesResponseFromWire,
  leaseTimeToLiveResponseFromWire,
  putRequestToWire,
  putResponseFromWire,
  rangeRequestToWire,
  rangeResponseFromWire,
  statusResponseFromWire,
  txnRequestToWire,
  txnResponseFromWire,
  watchCreateToWire,
  watchResponseFromWire,
} from "./wire.ts";

export interface GrpcKvOptions {
  /** `HOST:PORT` of an etcd v3 gRPC endpoint, e.g. `127.0.0.1:2379`; `http://` is accepted (no TLS). */
  endpoint: string;
  /** Deadline of every unary call unless the call gives its own; default none. */
  callTimeoutMs?: number;
  /** Largest response accepted (default 2 GiB - 1, etcd clientv3's MaxCallRecvMsgSize). */
  maxResponseBytes?: number;
  /** Keep-alives awaiting an answer on the shared LeaseKeepAlive stream (default 4096). */
  maxPendingKeepAlives?: number;
}

export interface CallOptions {
  /** Deadline of this call; the call fails with DEADLINE_EXCEEDED after it. */
  timeoutMs?: number;
}

type Method = grpc.MethodDefinition<object, object>;

interface PendingKeepAlive {
  id: bigint;
  resolve: (res: LeaseKeepAliveResponse) => void;
  reject: (err: KvError) => void;
}

const closedError = (): KvError => new KvError("UNAVAILABLE", "grpc client closed");

export class GrpcKv implements KV {
  readonly endpoint: string;
  private readonly client: grpc.Client;
  private readonly callTimeoutMs: number | undefined;
  private readonly maxPendingKeepAlives: number;
  private readonly methods = new Map<string, Method>();
  /** Calls and streams in flight, cancelled by close(). */
  private readonly inflight = new Set<{ cancel(): void }>();
  private keepAliveStream: grpc.ClientDuplexStream<object, WireLeaseKeepAliveResponse> | undefined;
  private readonly keepAlives: PendingKeepAlive[] = [];
  private closed = false;

  constructor(opts: GrpcKvOptions) {
    if (opts.endpoint.startsWith("https://")) throw new Error(`GrpcKv: TLS endpoints are not supported (${opts.endpoint})`);
    this.endpoint = opts.endpoint.replace(/^http:\/\//, "");
    this.callTimeoutMs = opts.callTimeoutMs;
    this.maxPendingKeepAlives = opts.maxPendingKeepAlives ?? 4096;
    this.client = new grpc.Client(this.endpoint, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": opts.maxResponseBytes ?? 2 ** 31 - 1,
      "grpc.max_send_message_length": -1,
    });
  }

  // ---- KV ----

  async range(req: RangeRequest, opts?: CallOptions): Promise<RangeResponse> {
    return rangeResponseFromWire(await this.unary<WireRangeResponse>("KV", "Range", rangeRequestToWire(req), opts));
  }

  async put(req: PutRequest, opts?: CallOptions): Promise<PutResponse> {
    return putResponseFromWire(await this.unary<WirePutResponse>("KV", "Put", putRequestToWire(req), opts));
  }

  async deleteRange(req: DeleteRangeRequest, opts?: CallOptions): Promise<DeleteRangeResponse> {
    const res = await this.unary<WireDeleteRangeResponse>("KV", "DeleteRange", deleteRangeRequestToWire(req), opts);
    return deleteRangeResponseFromWire(res);
  }

  async txn(req: TxnRequest, opts?: CallOptions): Promise<TxnResponse> {
    return txnResponseFromWire(await this.unary<WireTxnResponse>("KV", "Txn", txnRequestToWire(req), opts));
  }

  async compact(req: CompactionRequest, opts?: CallOptions): Promise<CompactionResponse> {
    const res = await this.unary<WireHeaderOnly>("KV", "Compact", compactionRequestToWire(req), opts);
    return { header: headerFromWire(res.header) };
  }

  // ---- Leases ----

  async leaseGrant(req: LeaseGrantRequest, opts?: CallOptions): Promise<LeaseGrantResponse> {
    const wire = { TTL: req.TTL, ID: (req.ID ?? 0n).toString() };
    return leaseGrantResponseFromWire(await this.unary<WireLeaseGrantResponse>("Lease", "LeaseGrant", wire, opts));
  }

  async leaseRevoke(id: bigint, opts?: CallOptions): Promise<{ header: ResponseHeader }> {
    const res = await this.unary<WireHeaderOnly>("Lease", "LeaseRevoke", { ID: id.toString() }, opts);
    return { header: headerFromWire(res.header) };
  }

  async leaseTimeToLive(id: bigint, keys = false, opts?: CallOptions): Promise<LeaseTimeToLiveResponse> {
    const res = await this.unary<WireLeaseTimeToLiveResponse>("Lease", "LeaseTimeToLive", { ID: id.toString(), keys }, opts);
    return leaseTimeToLiveResponseFromWire(res);
  }

  async leaseLeases(opts?: CallOptions): Promise<{ header: ResponseHeader; leases: LeaseStatus[] }> {
    return leaseLeasesResponseFromWire(await this.unary<WireLeaseLeasesResponse>("Lease", "LeaseLeases", {}, opts));
  }

  /**
   * One keep-alive over a LeaseKeepAlive stream shared by all calls (etcd answers a stream's
   * keep-alives in order). A broken stream fails the keep-alives waiting on it; the next call
   * opens a new one. Keep-alives take no deadline: a hung server holds them until close().
   */
  leaseKeepAlive(id: bigint): Promise<LeaseKeepAliveResponse> {
    if (this.closed) return Promise.reject(closedError());
    if (this.keepAlives.length >= this.maxPendingKeepAlives) {
      return Promise.reject(new KvError("RESOURCE_EXHAUSTED", "plumbline: too many keep-alives awaiting an answer"));
    }
    const stream = this.keepAliveStream ?? this.openKeepAliveStream();
    return new Promise((resolve, reject) => {
      this.keepAlives.push({ id, resolve, reject });
      stream.write({ ID: id.toString() });
    });
  }

  private openKeepAliveStream(): grpc.ClientDuplexStream<object, WireLeaseKeepAliveResponse> {
    const m = this.method("Lease", "LeaseKeepAlive");
    const stream = this.client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize) as grpc.ClientDuplexStream<
      object,
      WireLeaseKeepAliveResponse
    >;
    this.keepAliveStream = stream;
    this.inflight.add(stream);
    stream.on("data", (w: WireLeaseKeepAliveResponse) => {
      const res = leaseKeepAliveResponseFromWire(w);
      const i = this.keepAlives.findIndex((p) => p.id === res.ID);
      if (i >= 0) this.keepAlives.splice(i, 1)[0]!.resolve(res);
    });
    let failure: KvError | undefined;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      this.inflight.delete(stream);
      if (this.keepAliveStream === stream) this.keepAliveStream = undefined;
      const err = this.closed ? closedError() : (failure ?? new KvError("UNAVAILABLE", "lease keep-alive stream ended"));
      for (const p of this.keepAlives.splice(0)) p.reject(err);
    };
    stream.on("error", (e: grpc.ServiceError) => (failure = kvErrorFromStatus(e)));
    stream.on("status", (s: grpc.StatusObject) => {
      if (s.code !== grpc.status.OK) failure ??= kvErrorFromStatus(s);
    });
    stream.on("end", settle);
    stream.on("close", settle);
    return stream;
  }

  // ---- Watch ----

  openWatchStream(onResponse: WatchResponseHandler, onError?: WatchStreamErrorHandler): WatchStream {
    const m = this.method("Watch", "Watch");
    const call = this.closed
      ? undefined
      : (this.client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize) as grpc.ClientDuplexStream<
          object,
          WireWatchResponse
        >);
    let done = false;
    let failure: KvError | undefined;
    const report = (): void => {
      if (done) return;
      done = true;
      if (call) this.inflight.delete(call);
      onError?.(this.closed ? closedError() : (failure ?? new KvError("UNAVAILABLE", "watch stream closed by the server")));
    };
    if (!call) {
      queueMicrotask(report);
    } else {
      this.inflight.add(call);
      call.on("data", (w: WireWatchResponse) => {
        if (!done) onResponse(watchResponseFromWire(w));
      });
      call.on("error", (e: grpc.ServiceError) => (failure ??= kvErrorFromStatus(e)));
      // 'end' comes after every response already received was delivered, so onError is last.
      call.on("end", report);
      call.on("close", report);
    }
    const send = (req: object): void => {
      if (!done && call) call.write(req);
    };
    return {
      create: (req: WatchCreateRequest) => send({ create_request: watchCreateToWire(req) }),
      cancel: (watchId: number) => send({ cancel_request: { watch_id: watchId } }),
      requestProgress: () => send({ progress_request: {} }),
      close: () => {
        if (done) return;
        done = true;
        if (call) {
          this.inflight.delete(call);
          call.cancel();
        }
      },
    };
  }

  // ---- Maintenance ----

  async status(opts?: CallOptions): Promise<StatusResponse> {
    return statusResponseFromWire(await this.unary<WireStatusResponse>("Maintenance", "Status", {}, opts));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const call of [...this.inflight]) call.cancel();
    this.inflight.clear();
    for (const p of this.keepAlives.splice(0)) p.reject(closedError());
    this.client.close();
  }

  // ---- Plumbing ----

  private method(service: EtcdService, name: string): Method {
    const key = `${service}/${name}`;
    let m = this.methods.get(key);
    if (!m) {
      m = methodDefinition(service, name);
      this.methods.set(key, m);
    }
    return m;
  }

  private unary<T>(service: EtcdService, name: string, req: object, opts: CallOptions | undefined): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    const m = this.method(service, name);
    const timeoutMs = opts?.timeoutMs ?? this.callTimeoutMs;
    const callOpts: grpc.CallOptions = timeoutMs === undefined ? {} : { deadline: deadlineAfter(timeoutMs) };
    return new Promise<T>((resolve, reject) => {
      const call = this.client.makeUnaryRequest<object, object>(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        req,
        callOpts,
        (err, res) => {
          this.inflight.delete(call);
          if (err) reject(this.closed ? closedError() : kvErrorFromStatus(err));
          else resolve(res as T);
        },
      );
      this.inflight.add(call);
    });
  }
}
