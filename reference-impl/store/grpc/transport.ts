// The server side of gRPC over HTTP/2 (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md)
// on node:http2, as small as the etcd API needs: unary and streaming calls carried as
// length-prefixed messages on an HTTP/2 stream, ended by trailers with grpc-status and
// grpc-message. It replaces @grpc/grpc-js's server, whose per-call machinery (interceptors,
// channelz, metadata objects) cost ~45 µs of CPU per call more than bare node:http2 — about what a
// whole put costs the store now (bench/RESULTS.md). Handlers get the raw request bytes and send
// encoded responses; decoding and encoding stay with them (server.ts).
import http2 from "node:http2";
import { gunzipSync, inflateSync } from "node:zlib";

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) this server sends itself. */
export const GrpcCode = {
  OK: 0,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export interface CallStatus {
  code: number;
  details: string;
}

/** One call, as its handler sees it. */
export interface ServerCall {
  /** Sends one encoded message; ignored once the call is finished. */
  send(message: Uint8Array): void;
  /** Messages sent but not yet handed to the connection (a client that does not read holds them). */
  readonly pendingMessages: number;
  /** Resolves once the connection takes more data, or the call is over. */
  writable(): Promise<void>;
  /** Ends the call with `status` (default OK); later sends and finishes are ignored. */
  finish(status?: CallStatus): void;
  /** send(message), then finish() with OK: a unary call's answer, in as few writes as it takes. */
  reply(message: Uint8Array): void;
  /** finish() was called, or the client went away. */
  readonly finished: boolean;
}

/** What a handler does with a call's events; every member is optional. */
export interface CallHandler {
  /** One request message (the raw protobuf bytes). */
  onMessage?(message: Buffer): void;
  /** The client half-closed: it sends no more messages. */
  onHalfClose?(): void;
  /** The call ended without finish(): the client cancelled or the connection went away. */
  onCancel?(): void;
}

/** Starts serving a call of one method; returns what to do with its events. */
export type MethodHandler = (call: ServerCall) => CallHandler;

export interface GrpcServerOptions {
  host: string;
  port: number;
  /** Handlers by path, `/<package>.<Service>/<Method>`. */
  methods: ReadonlyMap<string, MethodHandler>;
  /** Larger request messages are refused with RESOURCE_EXHAUSTED, as grpc-go's MaxRecvMsgSize. */
  maxReceiveMessageBytes: number;
}

export interface GrpcServer {
  port: number;
  /** Stops accepting connections and calls; resolves once every call in flight has ended. */
  stop(): Promise<void>;
  /** Drops every connection at once. */
  forceStop(): void;
}

const MESSAGE_PREFIX_BYTES = 5;
// As few fields as gRPC requires: every header costs HPACK work on both ends, per call.
const RESPONSE_HEADERS = { ":status": 200, "content-type": "application/grpc+proto" };
const OK_TRAILERS = { "grpc-status": "0" };
const WAIT_FOR_TRAILERS = { waitForTrailers: true };

/** 'wantTrailers' listener of a call answered with OK (one function for all calls). */
function sendOkTrailers(this: http2.ServerHttp2Stream): void {
  this.sendTrailers(OK_TRAILERS);
}

export async function startGrpcServer(opts: GrpcServerOptions): Promise<GrpcServer> {
  // grpc-js's settings: no session memory limit (node degrades badly at it), any header size.
  const server = http2.createServer({ maxSessionMemory: Number.MAX_SAFE_INTEGER, maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => {}); // 'close' follows; a reset connection is not the server's problem
  });
  server.on("stream", (stream, headers) => serveStream(stream, headers, opts));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      // Once listening, a failed accept (e.g. out of file descriptors) must not end the store.
      server.on("error", () => {});
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // GOAWAY: no new calls on open connections; each closes once its calls are done.
      for (const s of sessions) s.close();
      await closed;
    },
    forceStop() {
      server.close();
      for (const s of sessions) s.destroy();
    },
  };
}

function serveStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, opts: GrpcServerOptions): void {
  stream.on("error", () => {}); // 'close' follows
  if (headers[":method"] !== "POST") {
    stream.respond({ ":status": 405 }, { endStream: true });
    stream.resume();
    return;
  }
  const contentType = headers["content-type"];
  if (typeof contentType !== "string" || !contentType.startsWith("application/grpc")) {
    stream.respond({ ":status": 415 }, { endStream: true });
    stream.resume();
    return;
  }
  const encoding = headers["grpc-encoding"];
  const call = new Http2Call(stream, Array.isArray(encoding) ? encoding[0] : encoding, opts.maxReceiveMessageBytes);
  const path = headers[":path"] ?? "";
  const method = opts.methods.get(path);
  if (!method) {
    call.finish({ code: GrpcCode.UNIMPLEMENTED, details: unknownMethod(path) });
    stream.resume(); // drop what the client still sends
    return;
  }
  call.start(method);
}

/** grpc-go's answers to a path the server does not serve. */
function unknownMethod(path: string): string {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? `unknown method ${m[2]} for service ${m[1]}` : `malformed method name: ${JSON.stringify(path)}`;
}

class Http2Call implements ServerCall {
  #handler: CallHandler = {};
  #finished = false;
  #headersSent = false;
  #pending = 0;
  /** Chunks holding the start of a message not yet complete (rare: most arrive in one chunk). */
  #held: Buffer[] = [];
  #heldBytes = 0;
  /** Bytes the held message needs in all (its prefix, then its prefix and body). */
  #neededBytes = 0;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly encoding: string | undefined,
    private readonly maxReceiveMessageBytes: number,
  ) {}

  get pendingMessages(): number {
    return this.#pending;
  }

  get finished(): boolean {
    return this.#finished;
  }

  start(method: MethodHandler): void {
    this.#handler = method(this);
    if (this.#finished) {
      this.stream.resume(); // answered at once: drop what the client still sends
      return;
    }
    this.stream.on("data", (chunk: Buffer) => this.#onData(chunk));
    // Listeners only for the events the handler wants: a unary call needs no 'close'.
    if (this.#handler.onHalfClose) {
      this.stream.on("end", () => {
        if (!this.#finished) this.#handler.onHalfClose?.();
      });
    }
    if (this.#handler.onCancel) {
      this.stream.on("close", () => {
        if (this.#finished) return;
        this.#finished = true;
        this.#handler.onCancel?.();
      });
    }
  }

  send(message: Uint8Array): void {
    if (this.#finished || this.stream.destroyed) return;
    this.#respond();
    this.#pending++;
    this.stream.write(frame(message), () => this.#pending--);
  }

  writable(): Promise<void> {
    if (this.#finished || this.stream.destroyed || !this.stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("close", done);
    });
  }

  reply(message: Uint8Array): void {
    if (this.#finished) return;
    if (this.#headersSent) {
      this.send(message);
      this.finish();
      return;
    }
    this.#finished = true;
    if (this.stream.destroyed || this.stream.closed) return;
    this.#headersSent = true;
    this.stream.respond(RESPONSE_HEADERS, WAIT_FOR_TRAILERS);
    this.stream.on("wantTrailers", sendOkTrailers);
    this.stream.end(frame(message));
  }

  finish(status: CallStatus = { code: GrpcCode.OK, details: "" }): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.stream.destroyed || this.stream.closed) return;
    const trailers = status.code === GrpcCode.OK && status.details === "" ? OK_TRAILERS : statusTrailers(status);
    if (!this.#headersSent) {
      // Trailers-only: a call that fails before any response is one HEADERS frame.
      this.#headersSent = true;
      this.stream.respond({ ...RESPONSE_HEADERS, ...trailers }, { endStream: true });
      return;
    }
    this.stream.once("wantTrailers", () => this.stream.sendTrailers(trailers));
    this.stream.end();
  }

  #respond(): void {
    if (this.#headersSent) return;
    this.#headersSent = true;
    this.stream.respond(RESPONSE_HEADERS, WAIT_FOR_TRAILERS);
  }

  #onData(chunk: Buffer): void {
    let data = chunk;
    if (this.#held.length > 0) {
      // Joined once the message is complete, not on every chunk (a large message comes in many).
      this.#held.push(chunk);
      this.#heldBytes += chunk.length;
      if (this.#heldBytes < this.#neededBytes) return;
      data = Buffer.concat(this.#held, this.#heldBytes);
      this.#held = [];
      this.#heldBytes = 0;
    }
    let at = 0;
    while (!this.#finished && data.length - at >= MESSAGE_PREFIX_BYTES) {
      const compressed = data[at]!;
      const length = data.readUInt32BE(at + 1);
      if (length > this.maxReceiveMessageBytes) {
        // grpc-go checks the declared length before reading the message.
        this.#refuse(GrpcCode.RESOURCE_EXHAUSTED, `grpc: received message larger than max (${length} vs. ${this.maxReceiveMessageBytes})`);
        return;
      }
      const end = at + MESSAGE_PREFIX_BYTES + length;
      if (end > data.length) break;
      const body = data.subarray(at + MESSAGE_PREFIX_BYTES, end);
      at = end;
      let message: Buffer;
      try {
        message = compressed ? this.#decompress(body) : body;
      } catch (err) {
        if (err instanceof RangeError) {
          const detail = `grpc: received message after decompression larger than max (${this.maxReceiveMessageBytes})`;
          this.#refuse(GrpcCode.RESOURCE_EXHAUSTED, detail);
        } else {
          this.#refuse(GrpcCode.INTERNAL, `grpc: failed to decompress the received message: ${err instanceof Error ? err.message : String(err)}`);
        }
        return;
      }
      this.#handler.onMessage?.(message);
    }
    if (at < data.length && !this.#finished) {
      const rest = data.subarray(at);
      this.#held = [rest];
      this.#heldBytes = rest.length;
      this.#neededBytes = rest.length < MESSAGE_PREFIX_BYTES ? MESSAGE_PREFIX_BYTES : MESSAGE_PREFIX_BYTES + rest.readUInt32BE(1);
    }
  }

  /** The decompressed message; a RangeError when it would be larger than the limit. */
  #decompress(body: Buffer): Buffer {
    const limit = { maxOutputLength: this.maxReceiveMessageBytes };
    switch (this.encoding) {
      case "gzip":
        return gunzipSync(body, limit);
      case "deflate":
        return inflateSync(body, limit);
      case undefined:
      case "identity":
        throw new Error("compressed flag set with identity or empty encoding");
      default:
        throw new Error(`no decompressor for grpc-encoding ${JSON.stringify(this.encoding)}`);
    }
  }

  /** Ends the call with an error the transport found, and tells the handler it was cancelled. */
  #refuse(code: number, details: string): void {
    this.finish({ code, details });
    this.#handler.onCancel?.();
  }
}

function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(MESSAGE_PREFIX_BYTES + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, MESSAGE_PREFIX_BYTES);
  return out;
}

function statusTrailers(status: CallStatus): Record<string, string> {
  if (status.details === "") return { "grpc-status": String(status.code) };
  return { "grpc-status": String(status.code), "grpc-message": encodeGrpcMessage(status.details) };
}

/** grpc-message is percent-encoded: bytes outside printable ASCII, and '%' itself. */
export function encodeGrpcMessage(details: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(details)) return details;
  let out = "";
  for (const byte of Buffer.from(details, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
