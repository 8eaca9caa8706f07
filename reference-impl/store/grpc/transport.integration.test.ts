// The gRPC transport on its own: a grpc-js client and a raw HTTP/2 client against handlers that
// echo, stream and fail, over loopback.
import * as grpc from "@grpc/grpc-js";
import http2 from "node:http2";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GrpcCode, type GrpcServer, type MethodHandler, encodeGrpcMessage, startGrpcServer } from "./transport.ts";

const MAX_BYTES = 1024;

/** Answers each request with its bytes reversed. */
const echo: MethodHandler = (call) => ({ onMessage: (m) => call.reply(Uint8Array.from(m).reverse()) });

/** Sends every message back until the client half-closes, then ends with OK. */
const pingPong: MethodHandler = (call) => ({
  onMessage: (m) => call.send(m),
  onHalfClose: () => call.finish(),
});

const fail: MethodHandler = (call) => ({
  onMessage: () => call.finish({ code: GrpcCode.UNAVAILABLE, details: "etcdserver: server stopped – 100%" }),
});

let server: GrpcServer;
let endpoint: string;
let client: grpc.Client;
let held: (() => void)[] = [];

/** Replies only when released: a call in flight during stop(). */
const slow: MethodHandler = (call) => ({ onMessage: (m) => held.push(() => call.reply(m)) });

beforeEach(async () => {
  held = [];
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    maxReceiveMessageBytes: MAX_BYTES,
    methods: new Map([
      ["/test.T/Echo", echo],
      ["/test.T/PingPong", pingPong],
      ["/test.T/Fail", fail],
      ["/test.T/Slow", slow],
    ]),
  });
  endpoint = `127.0.0.1:${server.port}`;
  client = new grpc.Client(endpoint, grpc.credentials.createInsecure());
});
afterEach(async () => {
  client.close();
  server.forceStop();
});

const raw = (x: Buffer): Buffer => x;

function unary(path: string, msg: Uint8Array): Promise<{ code: number; details: string; res?: Buffer }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, raw, raw, Buffer.from(msg), (err, res) =>
      resolve(err ? { code: err.code, details: err.details } : { code: 0, details: "", res: res! }),
    );
  });
}

/** One request on a raw HTTP/2 stream; resolves with the response headers, body and trailers. */
function http2Request(headers: http2.OutgoingHttpHeaders, body: Uint8Array) {
  return new Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer; trailers: http2.IncomingHttpHeaders }>((resolve, reject) => {
    const session = http2.connect(`http://${endpoint}`);
    session.on("error", reject);
    const req = session.request({ ":method": "POST", ...headers });
    const chunks: Buffer[] = [];
    let head: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    req.on("response", (h) => (head = h));
    req.on("trailers", (t) => (trailers = t));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("close", () => {
      session.close();
      resolve({ headers: head, body: Buffer.concat(chunks), trailers });
    });
    req.end(body);
  });
}

function framed(message: Uint8Array, compressed = false): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

describe("gRPC transport", () => {
  it("answers unary calls, many at once", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => unary("/test.T/Echo", Uint8Array.of(i, 1, 2))));
    expect(answers.map((a) => [a.code, [...a.res!]])).toEqual(Array.from({ length: 50 }, (_, i) => [0, [2, 1, i]]));
  });

  it("streams messages both ways and ends with the handler's status", async () => {
    const got: number[] = [];
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      const call = client.makeBidiStreamRequest("/test.T/PingPong", raw, raw);
      call.on("data", (m: Buffer) => got.push(m[0]!));
      call.on("error", () => {});
      call.on("status", resolve);
      for (let i = 0; i < 5; i++) call.write(Buffer.of(i));
      call.end();
    });
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(status.code).toBe(grpc.status.OK);
  });

  it("sends a failed call's status with its message percent-encoded, as gRPC requires", async () => {
    expect(await unary("/test.T/Fail", Uint8Array.of(1))).toEqual({
      code: grpc.status.UNAVAILABLE,
      details: "etcdserver: server stopped – 100%",
    });
    expect(encodeGrpcMessage("a – 100%")).toBe("a %E2%80%93 100%25");
    expect(encodeGrpcMessage("plain text: ok")).toBe("plain text: ok");
  });

  it("answers an unknown method with UNIMPLEMENTED, in grpc-go's words", async () => {
    expect(await unary("/test.T/Nope", Uint8Array.of(1))).toEqual({
      code: grpc.status.UNIMPLEMENTED,
      details: "unknown method Nope for service test.T",
    });
  });

  it("refuses a message over the limit from its declared length, without reading it", async () => {
    const res = await unary("/test.T/Echo", new Uint8Array(MAX_BYTES + 1));
    expect(res).toEqual({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: `grpc: received message larger than max (${MAX_BYTES + 1} vs. ${MAX_BYTES})`,
    });
    expect((await unary("/test.T/Echo", new Uint8Array(MAX_BYTES))).code).toBe(0);
  });

  it("puts together a message that arrives in pieces", async () => {
    const body = framed(Uint8Array.from({ length: 900 }, (_, i) => i % 251));
    const res = await new Promise<Buffer>((resolve, reject) => {
      const session = http2.connect(`http://${endpoint}`);
      session.on("error", reject);
      const req = session.request({ ":method": "POST", ":path": "/test.T/Echo", "content-type": "application/grpc" });
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("close", () => {
        session.close();
        resolve(Buffer.concat(chunks));
      });
      void (async () => {
        for (const cut of [[0, 3], [3, 7], [7, 400], [400, body.length]] as const) {
          req.write(body.subarray(cut[0], cut[1]));
          await new Promise((r) => setTimeout(r, 5));
        }
        req.end();
      })();
    });
    expect([...res.subarray(5)]).toEqual([...body.subarray(5)].reverse());
  });

  it("refuses a compressed request that inflates past the limit", async () => {
    const bomb = framed(gzipSync(new Uint8Array(MAX_BYTES * 50)), true);
    const res = await http2Request({ ":path": "/test.T/Echo", "content-type": "application/grpc", "grpc-encoding": "gzip" }, bomb);
    expect(res.headers["grpc-status"]).toBe(String(grpc.status.RESOURCE_EXHAUSTED));
  });

  it("takes gzip-compressed requests, and refuses a compressed flag without an encoding", async () => {
    const body = framed(gzipSync(Uint8Array.of(1, 2, 3)), true);
    const ok = await http2Request({ ":path": "/test.T/Echo", "content-type": "application/grpc", "grpc-encoding": "gzip" }, body);
    expect(ok.headers[":status"]).toBe(200);
    expect([...ok.body]).toEqual([...framed(Uint8Array.of(3, 2, 1))]);
    expect(ok.trailers["grpc-status"]).toBe("0");

    const bad = await http2Request({ ":path": "/test.T/Echo", "content-type": "application/grpc" }, body);
    expect(bad.headers["grpc-status"]).toBe(String(grpc.status.INTERNAL));
  });

  it("answers HTTP errors to what is not a gRPC call", async () => {
    expect((await http2Request({ ":path": "/test.T/Echo", "content-type": "text/plain" }, Buffer.of())).headers[":status"]).toBe(415);
    const get = await new Promise<number | undefined>((resolve) => {
      const session = http2.connect(`http://${endpoint}`);
      const req = session.request({ ":method": "GET", ":path": "/test.T/Echo" });
      req.on("response", (h) => resolve(h[":status"]));
      req.on("close", () => session.close());
      req.end();
    });
    expect(get).toBe(405);
  });

  it("stop() lets calls in flight finish, then refuses new ones", async () => {
    const inFlight = unary("/test.T/Slow", Uint8Array.of(9));
    while (held.length === 0) await new Promise((r) => setImmediate(r));
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    held[0]!();
    expect((await inFlight).code).toBe(0);
    await stopping;
    expect((await unary("/test.T/Echo", Uint8Array.of(1))).code).toBe(grpc.status.UNAVAILABLE);
  });
});
