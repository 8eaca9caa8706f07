// The OpenAPI documents the API server serves, built from the served group-versions (the resource
// registry) and the generated schema data. Documents are pure functions of their inputs; the
// OpenApiDocuments cache builds each one once, with the bytes and hash the HTTP layer sends
// (ETag, and /openapi/v3/<gv>?hash=<hash> served as immutable).
import { openApiData, type OpenApiData } from "../../../spec/openapi/definitions.ts";
import type { ServedGroupVersion } from "./resources.ts";
import { openApiV2 } from "./v2.ts";
import { openApiV2Protobuf } from "./v2-proto.ts";
import { contentHash, openApiV3DocumentJson, openApiV3Index, type OpenApiV3Index } from "./v3.ts";

export { openApiV2 } from "./v2.ts";
export { OPENAPI_V2_PROTOBUF_CONTENT_TYPE, OPENAPI_V2_PROTOBUF_SUBTYPES, openApiV2Protobuf } from "./v2-proto.ts";
export { contentHash, openApiV3Document, openApiV3DocumentJson, openApiV3Index, type OpenApiV3Index } from "./v3.ts";
export { groupVersionPaths, type OperationSpec, type PathSpec } from "./paths.ts";
export {
  allServedGroupVersions,
  groupVersionPath,
  resourceFacts,
  type ResourceFacts,
  type ServedGroupVersion,
  type Subresource,
} from "./resources.ts";

export interface SerializedDocument {
  readonly json: string;
  /** Upper-case hex SHA-512 of `json`, as kube-openapi computes its etags. */
  readonly hash: string;
}

/** The protobuf form of a document, with its own hash (kube-openapi hashes each form it serves). */
export interface SerializedProtobuf {
  readonly bytes: Uint8Array;
  readonly hash: string;
}

export class OpenApiDocuments {
  private v2Cache: SerializedDocument | undefined;
  private v2ProtoCache: SerializedProtobuf | undefined;
  private indexCache: OpenApiV3Index | undefined;
  private readonly v3Cache = new Map<string, SerializedDocument | undefined>();

  constructor(
    private readonly served: readonly ServedGroupVersion[],
    private readonly data: OpenApiData = openApiData,
  ) {}

  /** GET /openapi/v2 (JSON). */
  v2(): SerializedDocument {
    if (this.v2Cache === undefined) {
      const json = JSON.stringify(openApiV2(this.served, this.data));
      this.v2Cache = { json, hash: contentHash(json) };
    }
    return this.v2Cache;
  }

  /** GET /openapi/v2 as protobuf (gnostic's openapi_v2.Document), what kubectl before 1.28 asks for. */
  v2Protobuf(): SerializedProtobuf {
    if (this.v2ProtoCache === undefined) {
      const bytes = openApiV2Protobuf(JSON.parse(this.v2().json) as Record<string, unknown>);
      this.v2ProtoCache = { bytes, hash: contentHash(Buffer.from(bytes).toString("base64")) };
    }
    return this.v2ProtoCache;
  }

  /** GET /openapi/v3. */
  v3Index(): OpenApiV3Index {
    this.indexCache ??= openApiV3Index(this.served, this.data);
    return this.indexCache;
  }

  /** GET /openapi/v3/<gvPath>, e.g. "api/v1" or "apis/apps/v1"; undefined when not served (404). */
  v3(gvPath: string): SerializedDocument | undefined {
    if (!this.v3Cache.has(gvPath)) this.v3Cache.set(gvPath, openApiV3DocumentJson(this.served, gvPath, this.data));
    return this.v3Cache.get(gvPath);
  }
}
