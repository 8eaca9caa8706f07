// A bare REST call to a live API server process (its token, its CA with TLS): for compatibility
// tests that set up objects without going through the client under test, and for the HTTP fuzz.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export interface RestTarget {
  url: string;
  token: string;
  caData?: string;
}

export interface RestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client stopped reading before the end (maxBodyBytes or streamCutoffMs). */
  truncated: boolean;
}

export interface RestRequest {
  method: string;
  /** Path and query, sent as given (no normalisation, so odd encodings reach the server). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Send no Authorization header. */
  anonymous?: boolean;
  /** Abort after this long (a watch ends only on timeoutSeconds). Default 30 s. */
  timeoutMs?: number;
  /** Stop reading after this many body bytes (a watch or a huge list). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Stop reading this long after the response headers (a watch stream). Default: read to the end. */
  streamCutoffMs?: number;
}

/** One request; resolves with status, headers and (up to maxBodyBytes of) the body. */
export function rest(target: RestTarget, req: RestRequest): Promise<RestResponse> {
  const base = new URL(target.url);
  const headers: Record<string, string> = { ...req.headers };
  if (!req.anonymous) headers.authorization = `Bearer ${target.token}`;
  const body = req.body === undefined ? undefined : typeof req.body === "string" ? Buffer.from(req.body, "utf8") : Buffer.from(req.body);
  if (body !== undefined) headers["content-length"] = String(body.length);
  const maxBodyBytes = req.maxBodyBytes ?? 1024 * 1024;
  const options = {
    host: base.hostname,
    port: Number(base.port),
    method: req.method,
    path: req.path,
    headers,
    timeout: req.timeoutMs ?? 30_000,
    ...(base.protocol === "https:" ? { ca: target.caData } : {}),
  };
  return new Promise((resolve, reject) => {
    const request = (base.protocol === "https:" ? httpsRequest : httpRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (truncated: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(cutoff);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), truncated });
        if (truncated) res.destroy();
      };
      const cutoff = req.streamCutoffMs === undefined ? undefined : setTimeout(() => finish(true), req.streamCutoffMs);
      res.on("data", (chunk: Buffer) => {
        if (done) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBodyBytes) finish(true);
      });
      res.on("end", () => finish(false));
      res.on("error", (err) => (done ? undefined : reject(err)));
    });
    request.on("timeout", () => request.destroy(new Error(`${req.method} ${req.path}: no answer within ${options.timeout} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** JSON request that must answer 2xx; returns the parsed body. */
export async function restJson(target: RestTarget, method: string, path: string, body?: unknown, contentType = "application/json"): Promise<Record<string, unknown>> {
  const res = await rest(target, {
    method,
    path,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": contentType }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}
