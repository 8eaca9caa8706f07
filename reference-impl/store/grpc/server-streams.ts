// The reference server's streaming methods: Watch, LeaseKeepAlive and Maintenance.Snapshot. Each
// open stream registers with the context so that a graceful stop can end it with etcd's error.
import { KvError } from "../../../spec/interfaces/kv.ts";
import { GrpcErrors, statusFromError } from "./errors.ts";
import { methodDefinition, type EtcdService, type WireLeaseIdRequest, type WireWatchRequest } from "./proto.ts";
import { watchCreateFromWire } from "./requests.ts";
import { decoder, type ServeContext } from "./server-context.ts";
import { etcdSnapshotFile } from "./snapshot-file.ts";
import type { MethodHandler } from "./transport.ts";
import { big, leaseKeepAliveResponseToWire, num, watchResponseToWire } from "./wire.ts";

/** etcd's snapshotSendBufferSize. */
const SNAPSHOT_CHUNK_BYTES = 32 * 1024;

function encoder(service: EtcdService, method: string): (msg: object) => Uint8Array {
  const def = methodDefinition(service, method);
  return (msg) => def.responseSerialize(msg);
}

/** One gRPC Watch stream = one KV watch stream; create/cancel/progress requests pass through. */
export function watchHandler(ctx: ServeContext): MethodHandler {
  const decode = decoder<WireWatchRequest>(ctx, "Watch", "Watch");
  const encode = encoder("Watch", "Watch");
  return (call) => {
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      finish();
      call.finish(statusFromError(err));
    };
    const stream = ctx.kv.openWatchStream(
      (res) => {
        if (done) return;
        // A client that stops reading must not make the server buffer without bound.
        if (call.pendingMessages >= ctx.maxPendingWatchResponses) {
          fail(new KvError("RESOURCE_EXHAUSTED", "plumbline: watch client too slow, stream send buffer full"));
          return;
        }
        call.send(encode(watchResponseToWire(res)));
      },
      (err) => fail(err),
    );
    const untrack = ctx.track(fail);
    function finish(): void {
      done = true;
      untrack();
      stream.close();
    }
    return {
      onMessage(raw) {
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
      },
      // A half-close does not end an etcd watch stream: it keeps sending until the client cancels.
      onCancel: () => !done && finish(),
    };
  };
}

/** Keep-alives are answered one at a time, in order; an unknown lease gets TTL 0, as in etcd. */
export function keepAliveHandler(ctx: ServeContext): MethodHandler {
  const decode = decoder<WireLeaseIdRequest>(ctx, "Lease", "LeaseKeepAlive");
  const encode = encoder("Lease", "LeaseKeepAlive");
  return (call) => {
    let done = false;
    let pending = 0;
    let chain = Promise.resolve();
    const fail = (err: unknown): void => {
      if (done) return;
      finish();
      call.finish(statusFromError(err));
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
        if (!done) call.send(encode(leaseKeepAliveResponseToWire(res)));
      } catch (err) {
        if (err instanceof KvError && err.code === "NOT_FOUND") {
          const { header } = await ctx.kv.status();
          if (!done) call.send(encode(leaseKeepAliveResponseToWire({ header, ID: id, TTL: 0 })));
        } else {
          fail(err);
        }
      } finally {
        pending--;
      }
    }
    return {
      onMessage(raw) {
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
      },
      // etcd ends the stream (OK) once the client half-closes and the queued keep-alives are answered.
      onHalfClose() {
        void chain.then(() => {
          if (done) return;
          finish();
          call.finish();
        });
      },
      onCancel: () => !done && finish(),
    };
  };
}

/**
 * etcd's snapshot stream: the file (snapshot-file.ts: padded snapshot, then its SHA-256) in 32 KiB
 * chunks, each with the number of bytes still to come.
 */
export function snapshotHandler(ctx: ServeContext): MethodHandler {
  const encode = encoder("Maintenance", "Snapshot");
  return (call) => {
    const snapshot = ctx.snapshot;
    if (!snapshot) {
      call.finish(statusFromError(GrpcErrors.unimplemented("Maintenance/Snapshot (no snapshot source)")));
      return {};
    }
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      untrack();
      call.finish(statusFromError(err));
    };
    const untrack = ctx.track(fail);
    void (async () => {
      const file = etcdSnapshotFile(await snapshot());
      const total = file.byteLength;
      for (let sent = 0; sent < total && !done; ) {
        const blob = file.subarray(sent, Math.min(total, sent + SNAPSHOT_CHUNK_BYTES));
        sent += blob.byteLength;
        call.send(encode({ remaining_bytes: total - sent, blob }));
        await call.writable();
      }
      if (done) return;
      done = true;
      untrack();
      call.finish();
    })().catch(fail);
    return {
      onCancel() {
        done = true;
        untrack();
      },
    };
  };
}
