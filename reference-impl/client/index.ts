// The clients: the simulated network, the in-process and HTTP ApiClients, and the shared informer.
// (The HTTP client is in live/http.ts: it does real I/O and is imported only by live-mode code.)
export { ExponentialBackoff, REFLECTOR_BACKOFF, type BackoffOptions } from "./backoff.ts";
export {
  ConnectionError,
  type ConnectionErrorKind,
  genericServerResponse,
  isAlreadyExists,
  isConflict,
  isConnectionError,
  isExpiredError,
  isGone,
  isInternalError,
  isInvalid,
  isNotFound,
  isResourceExpired,
  isTooLargeResourceVersionError,
  isTooManyRequests,
} from "./errors.ts";
export { DEFAULT_SERVER_NAME, InProcessApiClient, type ApiHandler, type InProcessApiClientOptions } from "./in-process.ts";
export {
  Indexer,
  NAMESPACE_INDEX,
  NODE_NAME_INDEX,
  byNamespace,
  byNodeName,
  metaNamespaceKey,
  objectKey,
  type IndexFunc,
  type Indexers,
} from "./indexer.ts";
export {
  DeletedFinalStateUnknown,
  SharedInformer,
  type HandlerOptions,
  type HandlerRegistration,
  type ResourceEventHandler,
  type SharedInformerOptions,
} from "./informer.ts";
export { SharedInformerFactory, resourceTypeKey, type InformerFor, type SharedInformerFactoryOptions } from "./informer-factory.ts";
export { KubeconfigError, parseKubeconfig, type KubeconfigContext } from "./kubeconfig.ts";
export {
  DEFAULT_LINK,
  DEFAULT_MAX_STREAM_BACKLOG,
  DEFAULT_REQUEST_TIMEOUT_MS,
  SimNetwork,
  SimStream,
  type LinkConfig,
  type NetworkFault,
  type NetworkTraceEvent,
  type SimNetworkOptions,
} from "./network.ts";
export { groupVersionPath, resourcePath } from "./paths.ts";
