// HttpApiClient: the ApiClient of live mode, over node:http(s) to any Kubernetes API server (the
// reference one or a real one). The REST paths, query parameters, content types and DeleteOptions
// bodies are client-go's; error answers become ApiErrors with the server's Status, or with the
// Status client-go synthesizes for a body that is not one. Watches are streaming GETs with
// watch=true whose body is one JSON event per line. Real I/O lives here, in live/, which the
// determinism lint allows.
import { readFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { dirname, isAbsolute, resolve } from "node:path";
import {
  ApiError,
  type ApiClient,
  type DeleteOptions,
  type KubeList,
  type KubeObject,
  type ListOptions,
  type PatchOptions,
  type PatchType,
  type ResourceType,
  type Status,
  type Watch,
  type WatchEvent,
  type WatchHandlers,
  type WatchOptions,
  type WriteOptions,
  patchContentTypes,
} from "../../../spec/interfaces/api-client.ts";
import { type ConnectionErrorKind, ConnectionError, asFailureStatus, genericServerResponse, watchDecodingError } from "../errors.ts";
import { LineDecoder, LineTooLongError } from "../json-lines.ts";
import { parseKubeconfig } from "../kubeconfig.ts";
import { type Query, deleteCollectionRequest, deleteOptionsBody, encodeQuery, listQuery, patchQuery, watchQuery, writeQuery } from "../options.ts";
import { resourcePath } from "../paths.ts";

export interface HttpApiClientOptions {
  /** Base URL, e.g. "https://127.0.0.1:6443". */
  server: string;
  token?: string;
  /** PEM of the CA that signed the server's certificate. */
  caData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  clientCertData?: string;
  clientKeyData?: string;
  /** Per request (not per watch), from sending to the whole answer. Default 60 s; 0: none. */
  requestTimeoutMs?: number;
  /** Largest answer body read. Default 256 MiB. */
  maxResponseBytes?: number;
  /** Largest single watch event. Default 16 MiB. */
  maxWatchLineBytes?: number;
  /** Most sockets per server (each watch holds one). Default 256. */
  maxSockets?: number;
  userAgent?: string;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Like client-go's `<binary>/<version> (<os>/<arch>)`; the part before "/" names the default field manager. */
export const DEFAULT_USER_AGENT = `plumbline/v0.1.0 (${process.platform}/${process.arch})`;
/** client-go keeps 25 idle connections per host (MaxIdleConnsPerHost). */
const MAX_FREE_SOCKETS = 25;
/** client-go cuts a non-Status error body to this many bytes for the message. */
const MAX_UNSTRUCTURED_RESPONSE_TEXT_BYTES = 2048;

type Target = { type: ResourceType; namespace: string | undefined; name?: string; subresource?: string };

interface RawAnswer {
  code: number;
  contentType: string;
  body: Buffer;
  retryAfterSeconds: number | undefined;
}

export class HttpApiClient implements ApiClient {
  readonly server: URL;
  readonly #o: HttpApiClientOptions;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;

  constructor(opts: HttpApiClientOptions) {
    this.#o = opts;
    this.server = new URL(opts.server);
    const keepAlive = { keepAlive: true, maxSockets: opts.maxSockets ?? 256, maxFreeSockets: MAX_FREE_SOCKETS };
    if (this.server.protocol === "https:") {
      this.#transport = https;
      const tls: https.AgentOptions = { ...keepAlive, rejectUnauthorized: opts.insecureSkipTlsVerify !== true };
      if (opts.caData !== undefined) tls.ca = opts.caData;
      if (opts.clientCertData !== undefined) tls.cert = opts.clientCertData;
      if (opts.clientKeyData !== undefined) tls.key = opts.clientKeyData;
      if (opts.tlsServerName !== undefined) tls.servername = opts.tlsServerName;
      this.#agent = new https.Agent(tls);
    } else if (this.server.protocol === "http:") {
      this.#transport = http;
      this.#agent = new http.Agent(keepAlive);
    } else {
      throw new Error(`unsupported server URL ${opts.server}: want http or https`);
    }
  }

  /** A client for `context` (default current-context) of the kubeconfig file at `path`. */
  static async fromKubeconfig(path: string, opts: { context?: string } & Partial<HttpApiClientOptions> = {}): Promise<HttpApiClient> {
    const { context, ...overrides } = opts;
    const kc = parseKubeconfig(await readFile(path, "utf8"), context === undefined ? {} : { context });
    const rel = (p: string): string => (isAbsolute(p) ? p : resolve(dirname(path), p));
    const o: HttpApiClientOptions = { server: kc.server };
    if (kc.token !== undefined) o.token = kc.token;
    else if (kc.tokenFile !== undefined) o.token = (await readFile(rel(kc.tokenFile), "utf8")).trim();
    if (kc.caData !== undefined) o.caData = kc.caData;
    else if (kc.caFile !== undefined) o.caData = await readFile(rel(kc.caFile), "utf8");
    if (kc.insecureSkipTlsVerify === true) o.insecureSkipTlsVerify = true;
    if (kc.tlsServerName !== undefined) o.tlsServerName = kc.tlsServerName;
    if (kc.clientCertData !== undefined) o.clientCertData = kc.clientCertData;
    else if (kc.clientCertFile !== undefined) o.clientCertData = await readFile(rel(kc.clientCertFile), "utf8");
    if (kc.clientKeyData !== undefined) o.clientKeyData = kc.clientKeyData;
    else if (kc.clientKeyFile !== undefined) o.clientKeyData = await readFile(rel(kc.clientKeyFile), "utf8");
    return new HttpApiClient({ ...o, ...overrides });
  }

  /** Closes idle keep-alive sockets; open watches end. */
  close(): void {
    this.#agent.destroy();
  }

  async get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    return (await this.#object("GET", { type, namespace, name }, {})) as T;
  }

  async list<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, opts?: ListOptions): Promise<KubeList<T>> {
    return (await this.#object("GET", { type, namespace }, listQuery(opts))) as unknown as KubeList<T>;
  }

  async create<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    return (await this.#object("POST", { type, namespace }, writeQuery(opts), json(obj))) as T;
  }

  async update<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    obj: T,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<T> {
    const { subresource, ...write } = opts;
    const name = obj.metadata?.name;
    if (name === undefined || name === "") throw new Error("update: the object has no metadata.name");
    return (await this.#object("PUT", { type, namespace, name, subresource }, writeQuery(write), json(obj))) as T;
  }

  async patch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    opts: PatchOptions & { subresource?: string } = {},
  ): Promise<T> {
    const { subresource, ...rest } = opts;
    const data = typeof patch === "string" ? patch : JSON.stringify(patch);
    const body = { contentType: patchContentTypes[patchType], data };
    return (await this.#object("PATCH", { type, namespace, name, subresource }, patchQuery(rest), body)) as T;
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject> {
    return this.#object("DELETE", { type, namespace, name }, {}, json(deleteOptionsBody(opts)));
  }

  async deleteCollection(type: ResourceType, namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KubeObject> {
    const { query, body } = deleteCollectionRequest(opts);
    return this.#object("DELETE", { type, namespace }, query, json(body));
  }

  async createSubresource(type: ResourceType, namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    return this.#object("POST", { type, namespace, name, subresource }, {}, json(body));
  }

  async getSubresource(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string,
    query: Record<string, string> = {},
  ): Promise<KubeObject | string> {
    const target = { type, namespace, name, subresource };
    const raw = await this.#send("GET", target, { ...query });
    if (isJson(raw.contentType)) return parseJsonBody(raw, "GET", target) as KubeObject;
    return raw.body.toString("utf8");
  }

  watch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    opts: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Watch {
    const target: Target = { type, namespace };
    const url = this.#url(target, { ...watchQuery(opts), watch: "true" });
    let closed = false;
    const close = (err?: ApiError): void => {
      if (closed) return;
      closed = true;
      clearTimeout(connectTimer);
      handlers.onClose(err);
    };
    const req = this.#transport.request(url, { method: "GET", agent: this.#agent, headers: this.#headers(undefined) });
    // Until the answer's headers arrive the request timeout applies; then the stream may idle.
    const timeoutMs = this.#o.requestTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const connectTimer = timeoutMs > 0 ? setTimeout(() => req.destroy(timeoutError("GET", url, timeoutMs)), timeoutMs) : undefined;
    req.on("error", (err) => close(connectionError("GET", url, err)));
    req.on("response", (res) => {
      clearTimeout(connectTimer);
      const code = res.statusCode ?? 0;
      if (code < 200 || code > 299) {
        this.#readBody(res, "GET", url)
          .then((raw) => close(new ApiError(errorStatus(raw, "GET", target))))
          .catch((err: unknown) => close(err instanceof ApiError ? err : connectionError("GET", url, err)));
        return;
      }
      const decoder = new LineDecoder(this.#o.maxWatchLineBytes);
      let ended = false;
      const deliver = (lines: string[]): void => {
        for (const line of lines) {
          if (closed) return;
          const ev = decodeEvent(line);
          if (ev instanceof ApiError) {
            close(ev);
            req.destroy();
            return;
          }
          handlers.onEvent(ev as WatchEvent<T>);
        }
      };
      res.on("data", (chunk: Buffer) => {
        if (closed) return;
        let lines: string[];
        try {
          lines = decoder.push(chunk);
        } catch (err) {
          if (!(err instanceof LineTooLongError)) throw err;
          close(watchDecodingError(err.message));
          req.destroy();
          return;
        }
        deliver(lines);
      });
      res.on("end", () => {
        ended = true;
        deliver(decoder.end());
        close();
      });
      res.on("close", () => {
        if (!ended) close(new ConnectionError("reset", `GET "${url}": watch stream closed before its end`));
      });
      res.on("error", (err) => close(connectionError("GET", url, err)));
    });
    req.end();
    return {
      stop: () => {
        if (closed) return;
        close();
        req.destroy();
      },
    };
  }

  async #object(method: string, target: Target, query: Query, body?: Body): Promise<KubeObject> {
    const raw = await this.#send(method, target, query, body);
    return parseJsonBody(raw, method, target) as KubeObject;
  }

  /** Sends the request; resolves with a 2xx answer, rejects with ApiError or ConnectionError. */
  async #send(method: string, target: Target, query: Query, body?: Body): Promise<RawAnswer> {
    const url = this.#url(target, query);
    const raw = await this.#roundTrip(method, url, body);
    if (raw.code < 200 || raw.code > 299) throw new ApiError(errorStatus(raw, method, target));
    return raw;
  }

  #roundTrip(method: string, url: string, body: Body | undefined): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolvePromise, reject) => {
      const data = body === undefined ? undefined : Buffer.from(body.data, "utf8");
      const req = this.#transport.request(url, { method, agent: this.#agent, headers: this.#headers(body === undefined ? undefined : { type: body.contentType, length: data!.length }) });
      const timeoutMs = this.#o.requestTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
      const timer = timeoutMs > 0 ? setTimeout(() => req.destroy(timeoutError(method, url, timeoutMs)), timeoutMs) : undefined;
      const fail = (err: unknown): void => {
        clearTimeout(timer);
        reject(err instanceof ApiError ? err : connectionError(method, url, err));
      };
      req.on("error", fail);
      req.on("response", (res) => {
        this.#readBody(res, method, url).then((raw) => {
          clearTimeout(timer);
          resolvePromise(raw);
        }, fail);
      });
      req.end(data);
    });
  }

  #readBody(res: http.IncomingMessage, method: string, url: string): Promise<RawAnswer> {
    const max = this.#o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return new Promise<RawAnswer>((resolvePromise, reject) => {
      const parts: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > max) {
          res.destroy();
          reject(new Error(`${method} "${url}": answer larger than ${max} bytes`));
          return;
        }
        parts.push(chunk);
      });
      res.on("end", () => {
        const retry = Number(res.headers["retry-after"]);
        resolvePromise({
          code: res.statusCode ?? 0,
          contentType: res.headers["content-type"] ?? "",
          body: Buffer.concat(parts),
          retryAfterSeconds: Number.isInteger(retry) ? retry : undefined,
        });
      });
      res.on("error", reject);
    });
  }

  #url(target: Target, query: Query): string {
    const base = this.server.pathname.replace(/\/+$/, "");
    return `${this.server.origin}${base}${resourcePath(target.type, target.namespace, target.name, target.subresource)}${encodeQuery(query)}`;
  }

  #headers(body: { type: string; length: number } | undefined): http.OutgoingHttpHeaders {
    const h: http.OutgoingHttpHeaders = { Accept: "application/json, */*", "User-Agent": this.#o.userAgent ?? DEFAULT_USER_AGENT };
    if (this.#o.token !== undefined && this.#o.token !== "") h.Authorization = `Bearer ${this.#o.token}`;
    if (body !== undefined) {
      h["Content-Type"] = body.type;
      h["Content-Length"] = body.length;
    }
    return h;
  }
}

interface Body {
  contentType: string;
  data: string;
}

function json(obj: unknown): Body {
  return { contentType: "application/json", data: JSON.stringify(obj) };
}

function isJson(contentType: string): boolean {
  const media = contentType.split(";")[0]!.trim().toLowerCase();
  return media === "application/json" || media.endsWith("+json");
}

function parseJsonBody(raw: RawAnswer, method: string, target: Target): unknown {
  try {
    return JSON.parse(raw.body.toString("utf8")) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ApiError(
      genericServerResponse({ code: 500, method, resource: target.type, name: target.name, serverMessage: `unable to decode the answer: ${message}`, isUnexpectedResponse: true }),
    );
  }
}

/** The Status of an error answer: the server's own, or the one client-go makes up for it. */
function errorStatus(raw: RawAnswer, method: string, target: Target): Status {
  if (isJson(raw.contentType)) {
    try {
      const status = asFailureStatus(JSON.parse(raw.body.toString("utf8")));
      if (status !== undefined) return status.code === 0 ? { ...status, code: raw.code } : status;
    } catch {
      // not JSON after all: an unstructured answer
    }
  }
  const isText = raw.contentType.trim().toLowerCase().startsWith("text/");
  const serverMessage = isText ? raw.body.subarray(0, MAX_UNSTRUCTURED_RESPONSE_TEXT_BYTES).toString("utf8").trim() : "unknown";
  const r = { code: raw.code, method, resource: target.type, name: target.name, serverMessage, isUnexpectedResponse: true };
  return genericServerResponse(raw.retryAfterSeconds === undefined ? r : { ...r, retryAfterSeconds: raw.retryAfterSeconds });
}

const WATCH_EVENT_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/** One line of a watch stream as a WatchEvent, or the decoding error client-go reports. */
function decodeEvent(line: string): WatchEvent | ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return watchDecodingError(err instanceof Error ? err.message : String(err));
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return watchDecodingError("an event must be a JSON object");
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (typeof type !== "string" || !WATCH_EVENT_TYPES.has(type)) return watchDecodingError(`unknown event type ${JSON.stringify(type)}`);
  if (object === null || typeof object !== "object" || Array.isArray(object)) return watchDecodingError("an event's object must be a JSON object");
  return { type: type as WatchEvent["type"], object: object as KubeObject };
}

function timeoutError(method: string, url: string, timeoutMs: number): ConnectionError {
  return new ConnectionError("timeout", `${method} "${url}": no answer within ${timeoutMs} ms (Client.Timeout exceeded)`);
}

function connectionError(method: string, url: string, err: unknown): ConnectionError {
  if (err instanceof ConnectionError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const kinds: Record<string, ConnectionErrorKind> = {
    ECONNREFUSED: "refused",
    ECONNRESET: "reset",
    EPIPE: "reset",
    ECONNABORTED: "reset",
    ETIMEDOUT: "timeout",
    EHOSTUNREACH: "unreachable",
    ENETUNREACH: "unreachable",
    ENOTFOUND: "unreachable",
    EAI_AGAIN: "unreachable",
  };
  const kind = (typeof code === "string" ? kinds[code] : undefined) ?? "reset";
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectionError(kind, `${method} "${url}": ${message}`);
}
