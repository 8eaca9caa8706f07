import { describe, expect, it } from "vitest";
import { deleteCollectionRequest, deleteOptionsBody, encodeQuery, listQuery, patchQuery, queryEscape, watchQuery, writeQuery } from "./options.ts";
import { resourcePath } from "./paths.ts";

describe("request options", () => {
  it("encodes list and watch options as client-go does, leaving empty values out", () => {
    expect(listQuery({ labelSelector: "app=web", fieldSelector: "", limit: 0, resourceVersion: "0" })).toEqual({ labelSelector: "app=web", resourceVersion: "0" });
    expect(listQuery({ limit: 500, continue: "tok", resourceVersionMatch: "Exact", resourceVersion: "5" })).toEqual({
      limit: "500",
      continue: "tok",
      resourceVersionMatch: "Exact",
      resourceVersion: "5",
    });
    expect(watchQuery({ resourceVersion: "7", allowWatchBookmarks: true, timeoutSeconds: 300, sendInitialEvents: false })).toEqual({
      resourceVersion: "7",
      allowWatchBookmarks: "true",
      timeoutSeconds: "300",
      sendInitialEvents: "false",
    });
    expect(watchQuery({ allowWatchBookmarks: false })).toEqual({});
  });

  it("encodes write, patch and delete options", () => {
    expect(writeQuery({ dryRun: true, fieldManager: "kubectl-client-side-apply", fieldValidation: "Strict" })).toEqual({
      dryRun: "All",
      fieldManager: "kubectl-client-side-apply",
      fieldValidation: "Strict",
    });
    expect(writeQuery({ dryRun: false })).toEqual({});
    expect(patchQuery({ force: true, fieldManager: "kubectl" })).toEqual({ force: "true", fieldManager: "kubectl" });
    expect(deleteOptionsBody({ gracePeriodSeconds: 0, propagationPolicy: "Foreground", preconditions: { resourceVersion: "3" }, dryRun: true })).toEqual({
      kind: "DeleteOptions",
      apiVersion: "v1",
      gracePeriodSeconds: 0,
      preconditions: { resourceVersion: "3" },
      propagationPolicy: "Foreground",
      dryRun: ["All"],
    });
    expect(deleteCollectionRequest({ labelSelector: "a=b", propagationPolicy: "Orphan" })).toEqual({
      query: { labelSelector: "a=b" },
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Orphan" },
    });
  });

  it("builds query strings like url.Values.Encode: sorted keys, QueryEscape", () => {
    expect(encodeQuery({})).toBe("");
    expect(encodeQuery({ watch: "true", labelSelector: "app in (a, b),!x", fieldSelector: "spec.nodeName=n~1*" })).toBe(
      "?fieldSelector=spec.nodeName%3Dn~1%2A&labelSelector=app+in+%28a%2C+b%29%2C%21x&watch=true",
    );
    expect(queryEscape("a/b c'")).toBe("a%2Fb+c%27");
  });
});

describe("resourcePath", () => {
  const pods = { group: "", version: "v1", resource: "pods" };
  it("builds the REST paths of core and named groups, namespaced and cluster-scoped", () => {
    expect(resourcePath(pods, "default", "web", "status")).toBe("/api/v1/namespaces/default/pods/web/status");
    expect(resourcePath(pods, undefined)).toBe("/api/v1/pods");
    expect(resourcePath({ group: "", version: "v1", resource: "nodes" }, undefined, "n1")).toBe("/api/v1/nodes/n1");
    expect(resourcePath({ group: "", version: "v1", resource: "namespaces" }, undefined, "kube-system")).toBe("/api/v1/namespaces/kube-system");
    expect(resourcePath({ group: "apps", version: "v1", resource: "deployments" }, "ns", "d", "scale")).toBe("/apis/apps/v1/namespaces/ns/deployments/d/scale");
    expect(resourcePath({ group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses" }, "")).toBe("/apis/scheduling.k8s.io/v1/priorityclasses");
  });

  it("refuses segments that would address another path", () => {
    expect(() => resourcePath(pods, "default", "")).toThrow(/invalid name/);
    expect(() => resourcePath(pods, "default", "..")).toThrow(/invalid name/);
    expect(() => resourcePath(pods, "a/b", "x")).toThrow(/invalid namespace/);
    expect(() => resourcePath(pods, "default", "a%2f")).toThrow(/invalid name/);
    expect(() => resourcePath(pods, "default", undefined, "status")).toThrow(/needs an object name/);
  });
});
