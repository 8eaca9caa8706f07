// Cases from upstream printers_test.go: TestPrintService, TestPrintServiceList,
// TestPrintServiceLoadBalancer, TestPrintEndpoint, TestPrintEndpointSlice, TestPrintIngress.
import { describe, expect, it } from "vitest";
import type { Endpoints, Service, ServicePort, ServiceSpec, ServiceStatus } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { Ingress } from "kubernetes-types/networking/v1.js";
import { printEndpointSlice, printEndpoints, printIngress, printService } from "./network.ts";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const normal = { wide: false, nowMs: NOW };
const wide = { wide: true, nowMs: NOW };

function svc(name: string, spec: ServiceSpec, status?: ServiceStatus): Service {
  return status === undefined ? { metadata: { name }, spec } : { metadata: { name }, spec, status };
}
const port = (p: number, protocol: string, nodePort?: number): ServicePort =>
  nodePort === undefined ? { port: p, protocol } : { port: p, protocol, nodePort };

describe("printService (TestPrintService)", () => {
  const single = ["80.11.12.10"];
  const multiple = ["80.11.12.10", "80.11.12.11"];
  it.each([
    [
      "cluster IP, port with protocol; selector not printed",
      svc("test1", { type: "ClusterIP", ports: [port(2233, "tcp")], clusterIPs: ["10.9.8.7"], selector: { foo: "bar" } }),
      normal,
      ["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>"],
    ],
    [
      "wide includes the selector",
      svc("test1", { type: "ClusterIP", ports: [port(2233, "tcp")], clusterIPs: ["10.9.8.7"], selector: { foo: "bar" } }),
      wide,
      ["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar"],
    ],
    [
      "NodePort",
      svc("test2", { type: "NodePort", ports: [port(8888, "tcp", 9999)], clusterIPs: ["10.9.8.7"] }),
      normal,
      ["test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>"],
    ],
    [
      "LoadBalancer pending",
      svc("test3", { type: "LoadBalancer", ports: [port(8888, "tcp")], clusterIPs: ["10.9.8.7"] }),
      normal,
      ["test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>"],
    ],
    [
      "LoadBalancer with an external IP and no status",
      svc("test4", { type: "LoadBalancer", ports: [port(8888, "tcp")], clusterIPs: ["10.9.8.7"], externalIPs: single }),
      normal,
      ["test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>"],
    ],
    [
      "LoadBalancer with an external IP and an ingress point",
      svc(
        "test5",
        { type: "LoadBalancer", ports: [port(8888, "tcp")], clusterIPs: ["10.9.8.7"], externalIPs: single },
        { loadBalancer: { ingress: [{ ip: "3.4.5.6", hostname: "test.cluster.com" }] } },
      ),
      normal,
      ["test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>"],
    ],
    [
      "LoadBalancer with several external IPs",
      svc(
        "test6",
        { type: "LoadBalancer", ports: [port(8888, "tcp")], clusterIPs: ["10.9.8.7"], externalIPs: multiple },
        {
          loadBalancer: {
            ingress: [
              { ip: "2.3.4.5", hostname: "test.cluster.local" },
              { ip: "3.4.5.6", hostname: "test.cluster.com" },
            ],
          },
        },
      ),
      normal,
      ["test6", "LoadBalancer", "10.9.8.7", "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11", "8888/tcp", "<unknown>"],
    ],
    [
      "ExternalName",
      svc("test7", { type: "ExternalName", externalName: "my.database.example.com" }),
      normal,
      ["test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>"],
    ],
    [
      "service list item 2",
      svc("service2", { type: "NodePort", ports: [port(5566, "udp")], clusterIPs: ["1.2.3.4"] }),
      normal,
      ["service2", "NodePort", "1.2.3.4", "<none>", "5566/udp", "<unknown>"],
    ],
  ])("%s", (_name, s, options, cells) => {
    expect(printService(s, options).cells).toEqual(cells);
  });
});

describe("printService load balancers (TestPrintServiceLoadBalancer)", () => {
  const three = [port(80, "TCP"), port(8090, "UDP"), port(8000, "TCP")];
  const longStatus = { loadBalancer: { ingress: [{ ip: "2.3.4.5" }, { ip: "3.4.5.6" }, { ip: "5.6.7.8", hostname: "host5678" }] } };
  it.each([
    [
      svc("service1", { clusterIPs: ["1.2.3.4"], type: "LoadBalancer", ports: [port(80, "TCP")] }, {
        loadBalancer: { ingress: [{ ip: "2.3.4.5" }, { ip: "3.4.5.6" }] },
      }),
      normal,
      ["service1", "LoadBalancer", "1.2.3.4", "2.3.4.5,3.4.5.6", "80/TCP", "<unknown>"],
    ],
    [
      svc("service2", {
        clusterIPs: ["1.3.4.5"],
        type: "LoadBalancer",
        ports: [...three, port(7777, "SCTP")],
      }),
      normal,
      ["service2", "LoadBalancer", "1.3.4.5", "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP", "<unknown>"],
    ],
    [
      svc("service3", { clusterIPs: ["1.4.5.6"], type: "LoadBalancer", ports: three }, { loadBalancer: { ingress: [{ ip: "2.3.4.5" }] } }),
      normal,
      ["service3", "LoadBalancer", "1.4.5.6", "2.3.4.5", "80/TCP,8090/UDP,8000/TCP", "<unknown>"],
    ],
    [
      svc("service4", { clusterIPs: ["1.5.6.7"], type: "LoadBalancer", ports: three }, longStatus),
      normal,
      ["service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5...", "80/TCP,8090/UDP,8000/TCP", "<unknown>"],
    ],
    [
      svc("service4", { clusterIPs: ["1.5.6.7"], type: "LoadBalancer", ports: three, selector: { foo: "bar" } }, longStatus),
      wide,
      ["service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5.6,5.6.7.8", "80/TCP,8090/UDP,8000/TCP", "<unknown>", "foo=bar"],
    ],
  ])("%#", (s, options, cells) => {
    expect(printService(s, options).cells).toEqual(cells);
  });

  it("de-duplicates and sorts ingress points, preferring IP over hostname", () => {
    const s = svc("lb", { clusterIPs: ["10.0.0.1"], type: "LoadBalancer", ports: [port(80, "TCP")] }, {
      loadBalancer: { ingress: [{ hostname: "b.example" }, { ip: "10.1.1.1" }, { hostname: "b.example" }] },
    });
    expect(printService(s, wide).cells[3]).toBe("10.1.1.1,b.example");
  });

  it("uses spec.clusterIP when clusterIPs was not defaulted, and None for headless", () => {
    expect(printService(svc("a", { type: "ClusterIP", clusterIP: "10.96.0.10" }), normal).cells[2]).toBe("10.96.0.10");
    expect(printService(svc("b", { type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"] }), normal).cells[2]).toBe("None");
  });

  it("formats labels sorted as whole key=value strings", () => {
    const s = svc("x", { type: "ClusterIP", selector: { a: "y", "a.b": "x", app: "web" } });
    expect(printService(s, wide).cells[6]).toBe("a.b=x,a=y,app=web");
  });
});

describe("printEndpoints (TestPrintEndpoint)", () => {
  const ep = (name: string, creationTimestamp: string, subsets?: Endpoints["subsets"]): Endpoints =>
    subsets === undefined ? { metadata: { name, creationTimestamp } } : { metadata: { name, creationTimestamp }, subsets };
  it.each([
    [ep("endpoint1", ago(-1900)), ["endpoint1", "<none>", "0s"]],
    [
      ep("endpoint3", ago(300_000), [{ addresses: [{ ip: "1.2.3.4" }, { ip: "5.6.7.8" }] }]),
      ["endpoint3", "1.2.3.4,5.6.7.8", "5m"],
    ],
    [
      ep("endpoint2", ago(-1900), [{ addresses: [{ ip: "1.2.3.4" }, { ip: "5.6.7.8" }], ports: [{ port: 8001, protocol: "tcp" }] }]),
      ["endpoint2", "1.2.3.4:8001,5.6.7.8:8001", "0s"],
    ],
    [
      ep("endpoint2", ago(-1900), [
        {
          addresses: [{ ip: "1.2.3.4" }, { ip: "5.6.7.8" }, { ip: "9.8.7.6" }, { ip: "6.6.6.6" }],
          ports: [{ port: 8001, protocol: "tcp" }],
        },
      ]),
      ["endpoint2", "1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...", "0s"],
    ],
    [
      ep("v6", ago(0), [{ addresses: [{ ip: "fd00::1" }], ports: [{ port: 80 }, { port: 443 }] }]),
      ["v6", "[fd00::1]:80,[fd00::1]:443", "0s"],
    ],
  ])("%#", (e, cells) => {
    expect(printEndpoints(e, normal).cells).toEqual(cells);
  });
});

describe("printEndpointSlice (TestPrintEndpointSlice)", () => {
  const http = { name: "http", port: 80, protocol: "TCP" };
  const https = { name: "https", port: 443, protocol: "TCP" };
  it.each([
    [
      {
        metadata: { name: "abcslice.123", creationTimestamp: ago(-1900) },
        addressType: "IPv4",
        ports: [http],
        endpoints: [{ addresses: ["10.1.2.3", "2001:db8::1234:5678"] }],
      },
      ["abcslice.123", "IPv4", "80", "10.1.2.3,2001:db8::1234:5678", "0s"],
    ],
    [
      {
        metadata: { name: "longerslicename.123", creationTimestamp: ago(300_000) },
        addressType: "IPv6",
        ports: [http, https],
        endpoints: [{ addresses: ["10.1.2.3", "2001:db8::1234:5678"] }, { addresses: ["10.2.3.4", "2001:db8::2345:6789"] }],
      },
      ["longerslicename.123", "IPv6", "80,443", "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...", "5m"],
    ],
    [
      {
        metadata: { name: "multiportslice.123", creationTimestamp: ago(300_000) },
        addressType: "IPv4",
        ports: [http, https, { name: "extra1", port: 3000, protocol: "TCP" }, { name: "extra2", port: 3001, protocol: "TCP" }],
        endpoints: [{ addresses: ["10.1.2.3", "2001:db8::1234:5678"] }, { addresses: ["10.2.3.4", "2001:db8::2345:6789"] }],
      },
      ["multiportslice.123", "IPv4", "80,443,3000 + 1 more...", "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...", "5m"],
    ],
    [
      { metadata: { name: "empty" }, addressType: "IPv4", ports: [{ name: "named" }, {}], endpoints: [] },
      ["empty", "IPv4", "named,*", "<unset>", "<unknown>"],
    ],
  ] as Array<[EndpointSlice, string[]]>)("%#", (slice, cells) => {
    expect(printEndpointSlice(slice, normal).cells).toEqual(cells);
  });
});

describe("printIngress (TestPrintIngress)", () => {
  it("prints class, hosts, address, ports", () => {
    const ing: Ingress = {
      metadata: { name: "test1", creationTimestamp: ago(10 * 365 * 24 * 3600 * 1000) },
      spec: {
        ingressClassName: "foo",
        defaultBackend: { service: { name: "default-backend", port: { name: "default-backend", number: 80 } } },
      },
      status: { loadBalancer: { ingress: [{ ip: "2.3.4.5", hostname: "localhost.localdomain" }] } },
    };
    expect(printIngress(ing, normal).cells).toEqual(["test1", "foo", "*", "2.3.4.5", "80", "10y"]);
  });

  it("lists at most three hosts and shows TLS ports", () => {
    const ing: Ingress = {
      metadata: { name: "many" },
      spec: {
        rules: [{ host: "a.example" }, {}, { host: "b.example" }, { host: "c.example" }, { host: "d.example" }],
        tls: [{ hosts: ["a.example"] }],
      },
    };
    expect(printIngress(ing, normal).cells).toEqual([
      "many",
      "<none>",
      "a.example,b.example,c.example + 2 more...",
      "",
      "80, 443",
      "<unknown>",
    ]);
  });
});
