import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../spec/interfaces/api-client.ts";
import { Indexer, NAMESPACE_INDEX, NODE_NAME_INDEX, byNamespace, byNodeName, metaNamespaceKey } from "./indexer.ts";

const pod = (ns: string, name: string, node?: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { namespace: ns, name, labels },
  spec: node === undefined ? {} : { nodeName: node },
});

describe("Indexer", () => {
  it("keys objects like MetaNamespaceKeyFunc", () => {
    expect(metaNamespaceKey(pod("default", "web"))).toBe("default/web");
    expect(metaNamespaceKey({ metadata: { name: "node-1" } })).toBe("node-1");
  });

  it("keeps indexes right through adds, updates and deletes", () => {
    const idx = new Indexer({ [NAMESPACE_INDEX]: byNamespace, [NODE_NAME_INDEX]: byNodeName });
    idx.set("a/p1", pod("a", "p1", "n1"));
    idx.set("a/p2", pod("a", "p2"));
    idx.set("b/p3", pod("b", "p3", "n1"));
    expect(idx.indexKeys(NODE_NAME_INDEX, "n1").sort()).toEqual(["a/p1", "b/p3"]);
    expect(idx.indexKeys(NAMESPACE_INDEX, "a").sort()).toEqual(["a/p1", "a/p2"]);
    idx.set("a/p2", pod("a", "p2", "n2"));
    idx.set("a/p1", pod("a", "p1", "n2"));
    expect(idx.indexKeys(NODE_NAME_INDEX, "n1")).toEqual(["b/p3"]);
    expect(idx.indexKeys(NODE_NAME_INDEX, "n2").sort()).toEqual(["a/p1", "a/p2"]);
    expect(idx.delete("b/p3")?.metadata?.name).toBe("p3");
    expect(idx.listIndexFuncValues(NODE_NAME_INDEX)).toEqual(["n2"]);
    expect(idx.byIndex(NAMESPACE_INDEX, "b")).toEqual([]);
    expect(idx.delete("b/p3")).toBeUndefined();
    expect(idx.size).toBe(2);
  });

  it("files present objects under an index added later, with several values each", () => {
    const idx = new Indexer();
    idx.set("a/p1", pod("a", "p1", undefined, { team: "x" }));
    idx.addIndexers({ labels: (o) => Object.entries(o.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`) });
    expect(idx.indexKeys("labels", "team=x")).toEqual(["a/p1"]);
    expect(() => idx.addIndexers({ labels: () => [] })).toThrow("indexer conflict: labels");
    expect(() => idx.byIndex("nope", "x")).toThrow("Index with name nope does not exist");
  });
});
