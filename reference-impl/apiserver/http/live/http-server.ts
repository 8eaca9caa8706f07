// The API server's HTTP(S) transport on node:http: reads each request (the body bounded at 3 MiB;
// the rest of a larger body is drained and dropped, so the client reads its 413), hands it to
// HttpApi, and writes the answer. A watch is a chunked response flushed per event, ended when the
// watch ends, stopped when the client goes away or reads too slowly. Loopback addresses only.
// Live code: real sockets.
import { once } from "node:events";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { type HttpApi, MAX_BODY_BYTES } from "../handler.ts";
import type { HttpResponse, StreamResponse } from "../responses.ts";

export interface HttpServerOptions {
  api: HttpApi;
  /** 127.0.0.1 or ::1 (or localhost); anything else is refused. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM server certificate and key: serve HTTPS. */
  tls?: { cert: string; key: string };
  /** Unsent bytes a watch client may fall behind by before its watch is dropped (default 16 MiB). */
  maxWatchBacklogBytes?: number;
  /** Bytes of an oversized body drained before the connection is cut instead (default 64 MiB). */
  maxDrainBytes?: number;
  log?: (line: string) => void;
}

export interface RunningHttpServer {
  /** `http://127.0.0.1:PORT` (or https). */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, ends every watch, waits for requests in flight (cut after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/** Throws unless `host` is a loopback address: the reference components never listen elsewhere. */
export function assertLoopback(host: string): void {
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`refusing to listen on ${host}: only 127.0.0.1 or ::1 (loopback) is allowed`);
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  assertLoopback(opts.host);
  const host = opts.host === "localhost" ? "127.0.0.1" : opts.host;
  const streams = new Set<StreamResponse>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    serve(opts, req, res, streams).catch((err: unknown) => {
      opts.log?.(`apiserver http: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end();
    });
  };
  const server: Server = opts.tls === undefined ? createServer(handler) : createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler);
  // Watches last as long as they are asked to; upstream has no overall request deadline for them.
  server.requestTimeout = 0;
  server.listen(opts.port, host);
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  const scheme = opts.tls === undefined ? "http" : "https";
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  return {
    url: `${scheme}://${hostInUrl}:${address.port}`,
    host,
    port: address.port,
    async close(graceMs = 5000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...streams]) s.stop();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Header values by lower-case name, repeated headers joined as Go's Header.Get would see the first. */
function headerMap(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}

interface ReadBody {
  body: Uint8Array;
  tooLarge: boolean;
}

/** Reads the body, keeping at most `limit` bytes; past `maxDrain` the connection is cut. */
async function readBody(req: IncomingMessage, limit: number, maxDrain: number): Promise<ReadBody | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      if (size > maxDrain) {
        req.socket.destroy();
        return undefined;
      }
      continue;
    }
    chunks.push(chunk);
  }
  return { body: tooLarge ? new Uint8Array() : Buffer.concat(chunks), tooLarge };
}

async function serve(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse, streams: Set<StreamResponse>): Promise<void> {
  const read = await readBody(req, MAX_BODY_BYTES, opts.maxDrainBytes ?? 64 * 1024 * 1024);
  if (read === undefined) return;
  const response: HttpResponse = await opts.api.handle({
    method: req.method ?? "GET",
    url: req.url ?? "/",
    headers: headerMap(req),
    body: read.body,
    bodyTooLarge: read.tooLarge,
  });
  if (response.kind === "complete") {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    return;
  }
  stream(opts, response, res, streams);
}

function stream(opts: HttpServerOptions, response: StreamResponse, res: ServerResponse, streams: Set<StreamResponse>): void {
  const maxBacklog = opts.maxWatchBacklogBytes ?? 16 * 1024 * 1024;
  streams.add(response);
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    streams.delete(response);
    response.stop();
  };
  res.on("close", finish);
  res.writeHead(response.status, response.headers);
  // The client sees the 200 before the first event, as upstream flushes right away.
  res.flushHeaders();
  response.attach({
    write(chunk) {
      if (ended || res.destroyed) return false;
      const ok = res.write(chunk);
      if (res.writableLength > maxBacklog) {
        opts.log?.(`apiserver http: dropping a watch whose client is ${res.writableLength} bytes behind`);
        res.destroy();
        finish();
      }
      return ok;
    },
    end() {
      if (!res.destroyed) res.end();
      finish();
    },
  });
}
