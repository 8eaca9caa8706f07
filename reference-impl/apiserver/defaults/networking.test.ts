import type { Ingress } from "kubernetes-types/networking/v1.js";
import { describe, expect, it } from "vitest";
import { created } from "./testing.ts";

describe("Ingress", () => {
  it("has no defaults; create clears status to an empty loadBalancer and starts generation 1", () => {
    const backend = { service: { name: "test", port: { number: 80 } } };
    const ingress: Ingress = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "minimal-ingress", annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/" } },
      spec: {
        ingressClassName: "nginx-example",
        rules: [{ http: { paths: [{ path: "/testpath", pathType: "Prefix", backend }] } }],
      },
    };
    const withStatus = { ...ingress, status: { loadBalancer: { ingress: [{ ip: "192.0.2.1" }] } } } as Ingress;
    expect(created(withStatus).object).toEqual({
      ...ingress,
      metadata: { ...ingress.metadata, generation: 1 },
      status: { loadBalancer: {} },
    });
  });
});
