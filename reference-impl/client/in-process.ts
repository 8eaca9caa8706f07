// InProcessApiClient: the ApiClient of a component in simulation. It builds the API server's
// transport-independent ApiRequest directly (the query exactly as the HTTP layer would parse it from
// the URL), sends it through the SimNetwork, and turns answers into objects or ApiErrors. Bodies are
// deep-copied both ways (structuredClone), so no component ever shares an object with the server or
// with another component, as over a real wire.
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
} from "../../spec/interfaces/api-client.ts";
import { parse as parseYaml } from "yaml";
import type { ApiRequest, ApiResponse, Verb, WatchResponse, WatchSink } from "../apiserver/request.ts";
import { ConnectionError, asFailureStatus, genericServerResponse } from "./errors.ts";
import type { SimNetwork, SimStream } from "./network.ts";
import { type Query, deleteCollectionRequest, deleteOptionsBody, listQuery, patchQuery, watchQuery, writeQuery } from "./options.ts";

/**
 * What the in-process client talks to: the API server core (reference-impl/apiserver/server.ts
 * `ApiServer` has these two methods). `watch` may also answer asynchronously.
 */
export interface ApiHandler {
  handle(req: ApiRequest): Promise<ApiResponse>;
  watch(req: ApiRequest, sink: WatchSink): WatchResponse | ApiResponse | Promise<WatchResponse | ApiResponse>;
}

export const DEFAULT_SERVER_NAME = "apiserver";

export interface InProcessApiClientOptions {
  /** This component's name on the network, e.g. "scheduler" or "kubelet/node-1". */
  name: string;
  network: SimNetwork;
  server: ApiHandler;
  /** The server's name on the network. Default "apiserver". */
  serverName?: string;
  /** The authenticated user the server sees. Default "admin" (the generated kubeconfig's user). */
  user?: string;
  /** How long a request waits for its answer. Default: the network's requestTimeoutMs. */
  requestTimeoutMs?: number;
  /**
   * The User-Agent the server sees; its part before "/" names the field manager of writes that give
   * none (as upstream). Default: the component's name ("kubelet/node-1" manages as "kubelet").
   */
  userAgent?: string;
}

type Target = { type: ResourceType; namespace: string | undefined; name?: string; subresource?: string };

export class InProcessApiClient implements ApiClient {
  readonly name: string;
  readonly serverName: string;
  readonly #network: SimNetwork;
  readonly #server: ApiHandler;
  readonly #user: string;
  readonly #userAgent: string;
  readonly #timeoutMs: number;

  constructor(opts: InProcessApiClientOptions) {
    this.name = opts.name;
    this.serverName = opts.serverName ?? DEFAULT_SERVER_NAME;
    this.#network = opts.network;
    this.#server = opts.server;
    this.#user = opts.user ?? "admin";
    this.#userAgent = opts.userAgent ?? opts.name;
    this.#timeoutMs = opts.requestTimeoutMs ?? opts.network.requestTimeoutMs;
  }

  async get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    return (await this.#object("get", { type, namespace, name }, {})) as T;
  }

  async list<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, opts?: ListOptions): Promise<KubeList<T>> {
    return (await this.#object("list", { type, namespace }, listQuery(opts))) as unknown as KubeList<T>;
  }

  async create<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    return (await this.#object("create", { type, namespace }, writeQuery(opts), obj)) as T;
  }

  async update<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    obj: T,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<T> {
    const { subresource, ...write } = opts;
    const name = requireName(obj);
    return (await this.#object("update", { type, namespace, name, subresource }, writeQuery(write), obj)) as T;
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
    // The server gets bodies decoded; an apply patch may come as YAML text, as kubectl sends it.
    const body = typeof patch === "string" ? decodePatchText(patch, patchType) : patch;
    const target = { type, namespace, name, subresource };
    return (await this.#object("patch", target, patchQuery(rest), body, patchContentTypes[patchType])) as T;
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject> {
    return this.#object("delete", { type, namespace, name }, {}, deleteOptionsBody(opts));
  }

  async deleteCollection(type: ResourceType, namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KubeObject> {
    const { query, body } = deleteCollectionRequest(opts);
    return this.#object("deletecollection", { type, namespace }, query, body);
  }

  async createSubresource(type: ResourceType, namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    return this.#object("create", { type, namespace, name, subresource }, {}, body);
  }

  async getSubresource(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string,
    query: Record<string, string> = {},
  ): Promise<KubeObject | string> {
    const res = await this.#send("get", { type, namespace, name, subresource }, { ...query });
    return res.body as KubeObject | string;
  }

  watch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    opts: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Watch {
    const req = this.#request("watch", { type, namespace }, watchQuery(opts));
    return new InProcessWatch(this.#network, this.name, this.serverName, this.#server, req, this.#timeoutMs, handlers as WatchHandlers);
  }

  async #object(verb: Verb, target: Target, query: Query, body?: unknown, contentType?: string): Promise<KubeObject> {
    const res = await this.#send(verb, target, query, body, contentType);
    if (typeof res.body === "string") {
      throw new ApiError(genericServerResponse({ code: 500, method: httpMethod(verb), resource: target.type, name: target.name, serverMessage: "expected an object, got text", isUnexpectedResponse: true }));
    }
    return res.body as KubeObject;
  }

  /** Sends the request; resolves with a 2xx answer (body already copied), rejects with ApiError. */
  async #send(verb: Verb, target: Target, query: Query, body?: unknown, contentType?: string): Promise<ApiResponse> {
    const req = this.#request(verb, target, query, body, contentType);
    const server = this.#server;
    const label = `${verb} ${describe(target)}`;
    const res = await this.#network.call(
      this.name,
      this.serverName,
      label,
      async (): Promise<ApiResponse> => {
        let answer: ApiResponse;
        try {
          answer = await server.handle(req);
        } catch (err) {
          // The server core answers errors as Statuses; anything thrown is its bug, shown as upstream shows a panic.
          answer = { code: 500, body: errorStatus(err) };
        }
        // Copied at the server, when it answered: later changes to its objects must not leak through.
        return { ...answer, body: copy(answer.body) };
      },
      { timeoutMs: this.#timeoutMs },
    );
    if (res.code < 200 || res.code > 299) throw new ApiError(statusOfAnswer(res, verb, target));
    return res;
  }

  #request(verb: Verb, target: Target, query: Query, body?: unknown, contentType?: string): ApiRequest {
    const { group, version, resource } = target.type;
    const req: ApiRequest = { verb, group, version, resource, query, user: this.#user, userAgent: this.#userAgent };
    if (target.subresource !== undefined && target.subresource !== "") req.subresource = target.subresource;
    if (target.namespace !== undefined && target.namespace !== "") req.namespace = target.namespace;
    if (target.name !== undefined) req.name = target.name;
    if (body !== undefined) req.body = copy(body);
    if (contentType !== undefined) req.contentType = contentType;
    return req;
  }
}

/** The watch's client side: events in order after latency, onClose exactly once. */
class InProcessWatch implements Watch {
  #closed = false;
  #stream: SimStream | undefined;
  #serverWatch: WatchResponse | undefined;
  /** The client stopped before the server's watch existed: stop it as soon as it does. */
  #stopRequested = false;
  readonly #timeout;

  constructor(
    private readonly network: SimNetwork,
    private readonly client: string,
    private readonly server: string,
    private readonly handler: ApiHandler,
    private readonly req: ApiRequest,
    timeoutMs: number,
    private readonly handlers: WatchHandlers,
  ) {
    const label = `watch ${req.resource}`;
    this.#timeout = network.clock.setTimer(
      timeoutMs,
      () => this.#shutdown(new ConnectionError("timeout", `${label}: no answer from ${server} within ${timeoutMs} ms`)),
      `watch timeout ${client} ${req.resource}`,
    );
    network.send(client, server, label, () => this.#atServer());
  }

  stop(): void {
    this.#shutdown(undefined);
  }

  /** The client ends the watch: it hangs up, and the server learns it one latency later. */
  #shutdown(err: ApiError | undefined): void {
    if (this.#closed) return;
    this.#stopRequested = true;
    this.#close(err);
    this.#stream?.close();
    const serverWatch = this.#serverWatch;
    if (serverWatch !== undefined) {
      this.network.notify(this.client, this.server, `watch ${this.req.resource} closed`, () => serverWatch.stop());
    }
  }

  /** Runs at the server when the request arrives: opens the stream back and starts the watch. */
  #atServer(): void {
    if (this.#closed) return;
    const stream = this.network.openStream(this.server, this.client, `watch ${this.req.resource} ${this.client}`, (err) => {
      this.#serverWatch?.stop();
      this.#close(err);
    });
    if (!stream.open) return;
    this.#stream = stream;
    let ended = false;
    const sink: WatchSink = {
      event: (ev: WatchEvent) => {
        if (ended) return;
        const copied = copy(ev);
        stream.send(ev.type, () => this.#deliver(copied));
      },
      close: () => {
        if (ended) return;
        ended = true;
        stream.send("end", () => {
          stream.close();
          this.#close(undefined);
        });
      },
    };
    let started: WatchResponse | ApiResponse | Promise<WatchResponse | ApiResponse>;
    try {
      started = this.handler.watch(this.req, sink);
    } catch (err) {
      started = { code: 500, body: errorStatus(err) };
    }
    const onStarted = (r: WatchResponse | ApiResponse): void => {
      if (isWatchResponse(r)) {
        this.#serverWatch = r;
        // Headers first: from now on the watch is established and the request timeout is over.
        if (!ended) stream.send("established", () => this.#timeout.cancel());
        if (this.#stopRequested || !stream.open) r.stop();
        return;
      }
      ended = true;
      const status = statusOfAnswer({ ...r, body: copy(r.body) }, "watch", undefined);
      stream.send(`error ${r.code}`, () => {
        stream.close();
        this.#close(new ApiError(status));
      });
    };
    if (started instanceof Promise) {
      started.then(onStarted, (err: unknown) => onStarted({ code: 500, body: errorStatus(err) }));
    } else {
      onStarted(started);
    }
  }

  #deliver(ev: WatchEvent): void {
    if (this.#closed) return;
    this.#timeout.cancel();
    this.handlers.onEvent(ev);
  }

  #close(err: ApiError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timeout.cancel();
    this.handlers.onClose(err);
  }
}

function isWatchResponse(r: WatchResponse | ApiResponse): r is WatchResponse {
  return typeof (r as Partial<WatchResponse>).stop === "function";
}

/** The Status of a non-2xx answer; a body that is not a failed Status gets one synthesized. */
function statusOfAnswer(res: ApiResponse, verb: Verb, target: Target | undefined): Status {
  const status = asFailureStatus(res.body);
  if (status !== undefined) return status;
  const serverMessage = typeof res.body === "string" ? res.body : "unknown";
  return genericServerResponse({
    code: res.code,
    method: httpMethod(verb),
    resource: target?.type,
    name: target?.name,
    serverMessage,
    isUnexpectedResponse: true,
  });
}

function httpMethod(verb: Verb): string {
  switch (verb) {
    case "get":
    case "list":
    case "watch":
      return "GET";
    case "create":
      return "POST";
    case "update":
      return "PUT";
    case "patch":
      return "PATCH";
    case "delete":
    case "deletecollection":
      return "DELETE";
  }
}

function errorStatus(err: unknown): Status {
  if (err instanceof ApiError) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Internal error occurred: ${message}`,
    reason: "InternalError",
    details: { causes: [{ message }] },
    code: 500,
  };
}

function requireName(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (name === undefined || name === "") throw new Error("update: the object has no metadata.name");
  return name;
}

function decodePatchText(text: string, patchType: PatchType): unknown {
  try {
    return patchType === "apply" ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ApiError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `invalid ${patchType} patch: ${message}`, reason: "BadRequest", code: 400 });
  }
}

function describe(t: Target): string {
  const ns = t.namespace !== undefined && t.namespace !== "" ? `${t.namespace}/` : "";
  const name = t.name !== undefined ? ` ${ns}${t.name}` : ns !== "" ? ` ${ns}` : "";
  return `${t.type.resource}${t.subresource !== undefined ? `/${t.subresource}` : ""}${name}`;
}

function copy<T>(value: T): T {
  return typeof value === "object" && value !== null ? structuredClone(value) : value;
}
