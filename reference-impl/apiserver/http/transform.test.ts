import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../spec/interfaces/api-client.ts";
import { type TransformOptions, transformObject } from "./transform.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default", resourceVersion: "7", creationTimestamp: "2024-06-01T11:00:00Z" },
  spec: { containers: [{ name: "c", image: "nginx" }] },
  status: { phase: "Pending" },
};
const list: KubeObject = { apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "9", continue: "tok" }, items: [pod] };

function opts(kind: string, version = "v1", query: Record<string, string> = {}): TransformOptions {
  return { target: { group: "meta.k8s.io", version, kind }, groupKind: "Pod", group: "", query, nowMs: NOW };
}

describe("transformObject", () => {
  it("prints a Table of one object with every column and PartialObjectMetadata rows", () => {
    const t = transformObject(pod, opts("Table"));
    expect("value" in t).toBe(true);
    const table = (t as { value: Record<string, unknown> }).value;
    expect(table).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "7" } });
    expect((table.columnDefinitions as { name: string }[]).map((c) => c.name)).toContain("Nominated Node");
    expect(table.rows).toEqual([
      { cells: ["web", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>"], object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata } },
    ]);
  });

  it("prints a list's Table with its list metadata, v1beta1 when asked, objects per includeObject", () => {
    const t = transformObject(list, opts("Table", "v1beta1", { includeObject: "Object" })) as { value: Record<string, unknown> };
    expect(t.value).toMatchObject({ apiVersion: "meta.k8s.io/v1beta1", metadata: { resourceVersion: "9", continue: "tok" } });
    expect((t.value.rows as { object: unknown }[])[0]!.object).toEqual(pod);
    const none = transformObject(list, opts("Table", "v1", { includeObject: "None" })) as { value: Record<string, unknown> };
    expect((none.value.rows as { object: unknown }[])[0]!.object).toBeNull();
  });

  it("answers 400 for an unknown includeObject, but only when there are rows", () => {
    expect(transformObject(list, opts("Table", "v1", { includeObject: "Everything" }))).toMatchObject({
      status: { code: 400, reason: "BadRequest", message: 'unrecognized includeObject value: "Everything"' },
    });
    expect("value" in transformObject({ ...list, items: [] }, opts("Table", "v1", { includeObject: "Everything" }))).toBe(true);
  });

  it("answers PartialObjectMetadata for objects and PartialObjectMetadataList for lists, 406 otherwise", () => {
    expect(transformObject(pod, opts("PartialObjectMetadata"))).toEqual({ value: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata } });
    expect(transformObject(list, opts("PartialObjectMetadataList"))).toEqual({
      value: {
        kind: "PartialObjectMetadataList",
        apiVersion: "meta.k8s.io/v1",
        metadata: { resourceVersion: "9", continue: "tok" },
        items: [{ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata }],
      },
    });
    expect(transformObject({ ...list, items: [] }, opts("PartialObjectMetadataList"))).toMatchObject({ value: { items: null } });
    expect(transformObject(list, opts("PartialObjectMetadata"))).toMatchObject({
      status: { code: 406, reason: "NotAcceptable", message: "you requested PartialObjectMetadata, but the requested object is a list (*core.PodList)" },
    });
    expect(transformObject(pod, opts("PartialObjectMetadataList"))).toMatchObject({
      status: { code: 406, message: "you requested PartialObjectMetadataList, but the requested object is not a list (*core.Pod)" },
    });
  });

  it("leaves a Status alone", () => {
    const status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 200 };
    expect(transformObject(status, opts("Table"))).toEqual({ value: status });
  });
});
