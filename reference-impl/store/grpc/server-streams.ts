// The reference server's streaming methods: Watch, LeaseKeepAlive and Maintenance.Snapshot. Each
// open stream registers with the context so that a graceful stop can end it with etcd's error.
import * as grpc from "@grpc/grpc-js";
import { KvError } from "../../../spec/interfaces/kv.ts";
import { GrpcErrors, statusFromError } from "./errors.ts";
import type { WireLeaseIdRequest, WireWatchRequest } from "./proto.ts";
import { watchCreateFromWire } from "./requests.ts";
import { decoder, type ServeContext } from "./server-context.ts";
import { etcdSnapshotFile } from "./snapshot-file.ts";
import { big, leaseKeepAliveResponseToWire, num, watchResponseToWire } from "./wire.ts";

/** etcd's snapshotSendBufferSize. */
const SNAPSHOT_CHUNK_BYTES = 32 * 1024;

/** One gRPC Watch stream = one KV watch stream; create/cancel/progress requests pass through. */
export function watchHandler(ctx: ServeContext): grpc.handleBidiStreamingCall<Buffer, object> {
  const decode = decoder<WireWatchRequest>(ctx, "Watch", "Watch");
  return (call) => serveWatch(call, ctx, decode);
}

function serveWatch(
  call: grpc.ServerDuplexStream<Buffer, object>,
  ctx: ServeContext,
  decode: (raw: Buffer) => WireWatchRequest,
): void {
  let done = false;
  const fail = (err: unknown): void => {
    if (done) return;
    finish();
    call.emit("error", statusFromError(err));
  };
  const stream = ctx.kv.openWatchStream(
    (res) => {
      if (done) return;
      // A client that stops reading must not make the server buffer without bound.
      if (call.writableLength >= ctx.maxPendingWatchResponses) {
        fail(new KvError("RESOURCE_EXHAUSTED", "plumbline: watch client too slow, stream send buffer full"));
        return;
      }
      call.write(watchResponseToWire(res));
    },
    (err) => fail(err),
  );
  const untrack = ctx.track(fail);
  function finish(): void {
    done = true;
    untrack();
    stream.close();
  }
  call.on("data", (raw: Buffer) => {
    if (done) return;
    try {
      const req = decode(raw);
      if (req.create_request) stream.create(watchCreateFromWire(req.create_request));
      else if (req.cancel_request) stream.cancel(num(req.cancel_request.watch_id));
      else if (req.progress_request) stream.requestProgress();
      // etcd ignores requests with nothing set.
    } catch (err) {
      fail(err);
    }
  });
  // A half-close does not end an etcd watch stream: it keeps sending until the client cancels.
  call.on("end", () => {});
  call.on("cancelled", () => !done && finish());
  call.on("close", () => !done && finish());
  call.on("error", () => !done && finish());
}

/** Keep-alives are answered one at a time, in order; an unknown lease gets TTL 0, as in etcd. */
export function keepAliveHandler(ctx: ServeContext): grpc.handleBidiStreamingCall<Buffer, object> {
  const decode = decoder<WireLeaseIdRequest>(ctx, "Lease", "LeaseKeepAlive");
  return (call) => serveKeepAlive(call, ctx, decode);
}

function serveKeepAlive(
  call: grpc.ServerDuplexStream<Buffer, object>,
  ctx: ServeContext,
  decode: (raw: Buffer) => WireLeaseIdRequest,
): void {
  let done = false;
  let pending = 0;
  let chain = Promise.resolve();
  const fail = (err: unknown): void => {
    if (done) return;
    finish();
    call.emit("error", statusFromError(err));
  };
  const untrack = ctx.track(fail);
  function finish(): void {
    done = true;
    untrack();
  }
  async function renew(id: bigint): Promise<void> {
    if (done) return;
    try {
      const res = await ctx.kv.leaseKeepAlive(id);
      if (!done) call.write(leaseKeepAliveResponseToWire(res));
    } catch (err) {
      if (err instanceof KvError && err.code === "NOT_FOUND") {
        const { header } = await ctx.kv.status();
        if (!done) call.write(leaseKeepAliveResponseToWire({ header, ID: id, TTL: 0 }));
      } else {
        fail(err);
      }
    } finally {
      pending--;
    }
  }
  call.on("data", (raw: Buffer) => {
    if (done) return;
    let id: bigint;
    try {
      id = big(decode(raw).ID);
    } catch (err) {
      fail(err);
      return;
    }
    if (++pending > ctx.maxPendingKeepAlives) {
      fail(new KvError("RESOURCE_EXHAUSTED", "plumbline: too many keep-alives queued on one stream"));
      return;
    }
    chain = chain.then(() => renew(id)).catch(fail);
  });
  // etcd ends the stream (OK) once the client half-closes and the queued keep-alives are answered.
  call.on("end", () => {
    void chain.then(() => {
      if (done) return;
      finish();
      call.end();
    });
  });
  call.on("cancelled", () => !done && finish());
  call.on("error", () => !done && finish());
}

/**
 * etcd's snapshot stream: the file (snapshot-file.ts: padded snapshot, then its SHA-256) in 32 KiB
 * chunks, each with the number of bytes still to come.
 */
export function snapshotHandler(ctx: ServeContext): grpc.handleServerStreamingCall<Buffer, object> {
  return (call) => serveSnapshot(call, ctx);
}

function serveSnapshot(call: grpc.ServerWritableStream<Buffer, object>, ctx: ServeContext): void {
  const snapshot = ctx.snapshot;
  if (!snapshot) {
    call.emit("error", statusFromError(GrpcErrors.unimplemented("Maintenance/Snapshot (no snapshot source)")));
    return;
  }
  let done = false;
  const fail = (err: unknown): void => {
    if (done) return;
    done = true;
    untrack();
    call.emit("error", statusFromError(err));
  };
  const untrack = ctx.track(fail);
  call.on("cancelled", () => {
    done = true;
    untrack();
  });
  const send = async (msg: object): Promise<void> => {
    if (call.write(msg)) return;
    await new Promise<void>((resolve) => {
      call.once("drain", resolve);
      call.once("close", resolve);
    });
  };
  void (async () => {
    const file = etcdSnapshotFile(await snapshot());
    const total = file.byteLength;
    for (let sent = 0; sent < total && !done; ) {
      const blob = file.subarray(sent, Math.min(total, sent + SNAPSHOT_CHUNK_BYTES));
      sent += blob.byteLength;
      await send({ remaining_bytes: total - sent, blob });
    }
    if (done) return;
    done = true;
    untrack();
    call.end();
  })().catch(fail);
}
