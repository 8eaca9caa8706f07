import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

describe("EndpointSlice", () => {
  it("defaults port name and protocol, and drops deprecatedTopology on create", () => {
    const slice: EndpointSlice = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "example-abc", labels: { "kubernetes.io/service-name": "example" } },
      addressType: "IPv4",
      ports: [{ port: 80 }, { name: "dns", protocol: "UDP", port: 53 }, { name: "", port: 8080 }],
      endpoints: [
        { addresses: ["10.1.2.3"], conditions: { ready: true }, hostname: "pod-1", nodeName: "node-1", zone: "us-west2-a" },
        { addresses: ["10.1.2.4"], deprecatedTopology: { "kubernetes.io/hostname": "node-2" } },
      ],
    };
    expect(created(slice).object).toEqual({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "example-abc", labels: { "kubernetes.io/service-name": "example" }, generation: 1 },
      addressType: "IPv4",
      ports: [
        { name: "", protocol: "TCP", port: 80 },
        { name: "dns", protocol: "UDP", port: 53 },
        { name: "", protocol: "TCP", port: 8080 },
      ],
      endpoints: [
        { addresses: ["10.1.2.3"], conditions: { ready: true }, hostname: "pod-1", nodeName: "node-1", zone: "us-west2-a" },
        // conditions is a Go struct: present even when empty.
        { addresses: ["10.1.2.4"], conditions: {} },
      ],
    });
  });
});
