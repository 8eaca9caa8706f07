import { describe, expect, it } from "vitest";
import {
  DEFAULT_RESTRICTIONS,
  DISCOVERY_RESTRICTIONS,
  bareMediaType,
  inputSerializer,
  isPrettyPrint,
  negotiate,
  parseAccept,
  patchContentTypeMatches,
  resourceRestrictions,
} from "./media.ts";

/** What kubectl 1.32 sends for `kubectl get`. */
const KUBECTL_GET_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
/** What kubectl 1.32 sends to /api and /apis. */
const KUBECTL_DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

describe("parseAccept (goautoneg)", () => {
  it("parses types, parameters and quality, and sorts by quality, then concrete before wildcard", () => {
    expect(parseAccept("text/*;q=0.5, application/json;as=Table;v=v1, */*;q=0.1, text/html")).toEqual([
      { type: "application", subType: "json", q: 1, params: { as: "Table", v: "v1" } },
      { type: "text", subType: "html", q: 1, params: {} },
      { type: "text", subType: "*", q: 0.5, params: {} },
      { type: "*", subType: "*", q: 0.1, params: {} },
    ]);
  });

  it("skips malformed ranges and reads a bad q as 0; a concrete type beats a wildcard even of higher q (goautoneg's Less)", () => {
    expect(parseAccept("json, */*, a/b/c, x/y;q=abc")).toEqual([
      { type: "x", subType: "y", q: 0, params: {} },
      { type: "*", subType: "*", q: 1, params: {} },
    ]);
    expect(parseAccept("*")).toEqual([{ type: "*", subType: "*", q: 1, params: {} }]);
  });
});

describe("negotiate", () => {
  const resource = resourceRestrictions(true);

  it("defaults to JSON without an Accept header", () => {
    expect(negotiate(undefined, resource)).toEqual({ serializer: "json", pretty: false });
    expect(negotiate("", resource)).toEqual({ serializer: "json", pretty: false });
  });

  it("picks the first acceptable clause: kubectl get asks for a v1 Table", () => {
    expect(negotiate(KUBECTL_GET_ACCEPT, resource)).toEqual({ serializer: "json", pretty: false, convert: { group: "meta.k8s.io", version: "v1", kind: "Table" } });
    expect(negotiate("application/json;as=Table;v=v1beta1;g=meta.k8s.io", resource)?.convert).toEqual({ group: "meta.k8s.io", version: "v1beta1", kind: "Table" });
  });

  it("skips a Table where the endpoint has no table convertor, falling back to plain JSON", () => {
    expect(negotiate(KUBECTL_GET_ACCEPT, resourceRestrictions(false))).toEqual({ serializer: "json", pretty: false });
    expect(negotiate("application/json;as=Table;v=v1;g=meta.k8s.io", resourceRestrictions(false))).toBeUndefined();
  });

  it("refuses conversions an endpoint does not know, and Tables in protobuf", () => {
    expect(negotiate("application/json;as=Table;v=v2;g=meta.k8s.io", resource)).toBeUndefined();
    expect(negotiate("application/json;as=Pod;v=v1;g=", resource)).toBeUndefined();
    expect(negotiate("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", resource)).toBeUndefined();
    expect(negotiate("application/json;as=Table;v=v1;g=meta.k8s.io", DEFAULT_RESTRICTIONS)).toBeUndefined();
  });

  it("allows PartialObjectMetadata[List] in any serializer", () => {
    expect(negotiate("application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json", resource)).toEqual({
      serializer: "protobuf",
      pretty: false,
      convert: { group: "meta.k8s.io", version: "v1", kind: "PartialObjectMetadataList" },
    });
  });

  it("accepts protobuf first (answered as JSON), YAML, wildcards; refuses what it cannot write", () => {
    expect(negotiate("application/vnd.kubernetes.protobuf,application/json", resource)?.serializer).toBe("protobuf");
    expect(negotiate("application/yaml", resource)?.serializer).toBe("yaml");
    expect(negotiate("application/*", resource)?.serializer).toBe("json");
    expect(negotiate("*/*", resource)?.serializer).toBe("json");
    expect(negotiate("text/html", resource)).toBeUndefined();
    expect(negotiate("text/html, application/json;q=0.2", resource)?.serializer).toBe("json");
  });

  it("needs a streaming serializer for watches (no YAML), and reads stream/pretty/sv parameters", () => {
    expect(negotiate("application/yaml", resource, true)).toBeUndefined();
    expect(negotiate("application/json;stream=watch", resource, true)).toEqual({ serializer: "json", pretty: false, stream: "watch" });
    expect(negotiate("application/json;stream=other", resource)).toBeUndefined();
    expect(negotiate("application/yaml;stream=watch", resource)).toBeUndefined();
    expect(negotiate("application/json;pretty=1", resource)?.pretty).toBe(true);
    expect(negotiate("application/json;sv=v1", resource)?.serializer).toBe("json");
    expect(negotiate("application/json;sv=v2", resource)).toBeUndefined();
  });

  it("routes kubectl's discovery Accept to the aggregated v2 document", () => {
    expect(negotiate(KUBECTL_DISCOVERY_ACCEPT, DISCOVERY_RESTRICTIONS)?.convert).toEqual({ group: "apidiscovery.k8s.io", version: "v2", kind: "APIGroupDiscoveryList" });
    expect(negotiate("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", DISCOVERY_RESTRICTIONS)?.convert?.version).toBe("v2beta1");
    expect(negotiate("application/json", DISCOVERY_RESTRICTIONS)).toBeUndefined();
    expect(negotiate("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", DISCOVERY_RESTRICTIONS)).toBeUndefined();
  });
});

describe("input media types", () => {
  it("reads a body's serializer from its Content-Type (empty means JSON; parameters ignored)", () => {
    expect(inputSerializer(undefined)).toBe("json");
    expect(inputSerializer("")).toBe("json");
    expect(inputSerializer("application/json; charset=utf-8")).toBe("json");
    expect(inputSerializer("Application/YAML")).toBe("yaml");
    expect(inputSerializer("application/vnd.kubernetes.protobuf")).toBe("protobuf");
    expect(inputSerializer("text/plain")).toBeUndefined();
    expect(inputSerializer("not a type")).toBeUndefined();
    expect(bareMediaType("application/json;x=y")).toBe("application/json");
  });

  it("matches a PATCH's Content-Type against the patch types as go-restful does", () => {
    for (const t of ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]) {
      expect(patchContentTypeMatches(t)).toBe(true);
    }
    expect(patchContentTypeMatches("application/merge-patch+json; charset=utf-8")).toBe(true);
    expect(patchContentTypeMatches("application/json")).toBe(false);
    expect(patchContentTypeMatches(undefined)).toBe(false);
    expect(patchContentTypeMatches("text/plain, application/merge-patch+json")).toBe(true);
  });

  it("pretty-prints for ?pretty=true and for browsers and command-line tools", () => {
    expect(isPrettyPrint({ pretty: "true" }, undefined)).toBe(true);
    expect(isPrettyPrint({ pretty: "0" }, "curl/8.0")).toBe(false);
    expect(isPrettyPrint({}, "curl/8.0")).toBe(true);
    expect(isPrettyPrint({}, "Wget/1.21")).toBe(true);
    expect(isPrettyPrint({}, "Mozilla/5.0 (X11)")).toBe(true);
    expect(isPrettyPrint({}, "kubectl/v1.32.4 (linux/amd64)")).toBe(false);
  });
});
