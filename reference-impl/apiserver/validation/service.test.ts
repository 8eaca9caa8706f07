import { describe, expect, it } from "vitest";
import { type FieldError, fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import { service, updated } from "./fixtures.ts";
import { validateServiceCreate, validateServiceUpdate } from "./service.ts";

type Obj = Record<string, unknown>;

function messages(errs: readonly FieldError[]): string[] {
  return errs.map(fieldErrorString);
}

const http = { name: "http", protocol: "TCP", port: 80, targetPort: 8080 };

describe("ValidateService", () => {
  it.each<[string, Obj, string[]]>([
    ["valid ClusterIP", {}, []],
    ["no ports", { ports: [] }, ["spec.ports: Required value"]],
    [
      "headless without ports",
      { ports: [], clusterIP: "None", clusterIPs: ["None"] },
      [],
    ],
    [
      "ExternalName without ports",
      {
        type: "ExternalName",
        externalName: "db.example.com.",
        ports: [],
        clusterIP: undefined,
        clusterIPs: undefined,
        ipFamilies: undefined,
        ipFamilyPolicy: undefined,
        internalTrafficPolicy: undefined,
      },
      [],
    ],
    [
      "ExternalName without a name",
      { type: "ExternalName", ports: [], clusterIP: undefined, clusterIPs: undefined, ipFamilies: undefined, ipFamilyPolicy: undefined },
      ["spec.externalName: Required value"],
    ],
    [
      "names required with several ports",
      { ports: [{ ...http, name: "" }, { ...http, name: "https", port: 443 }] },
      ["spec.ports[0].name: Required value"],
    ],
    [
      "duplicate port names",
      { ports: [http, { ...http, port: 81 }] },
      ['spec.ports[1].name: Duplicate value: "http"'],
    ],
    [
      "duplicate protocol and port",
      { ports: [http, { ...http, name: "other" }] },
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    [
      "port out of range",
      { ports: [{ ...http, port: 0 }] },
      ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ],
    [
      "protocol",
      { ports: [{ ...http, protocol: "ICMP" }] },
      ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      "named target port too long",
      { ports: [{ ...http, targetPort: "a-very-long-port-name" }] },
      ['spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
    ],
    [
      "type",
      { type: "Ingress" },
      ['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ],
    [
      "nodePort on ClusterIP",
      { ports: [{ ...http, nodePort: 30080 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      "LoadBalancer without allocateLoadBalancerNodePorts",
      { type: "LoadBalancer", externalTrafficPolicy: "Cluster" },
      ["allocateLoadBalancerNodePorts: Required value"],
    ],
    [
      "NodePort without externalTrafficPolicy",
      { type: "NodePort" },
      ["spec.externalTrafficPolicy: Required value"],
    ],
    [
      "ClientIP affinity timeout",
      { sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } },
      ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"],
    ],
    [
      "clusterIP not an IP",
      { clusterIP: "10.0.0.300", clusterIPs: ["10.0.0.300"] },
      ['spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ],
    [
      "loopback external IP",
      { externalIPs: ["127.0.0.1"], externalTrafficPolicy: "Cluster" },
      ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ],
    [
      "selector label value",
      { selector: { app: "-bad" } },
      [
        `spec.selector: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(messages(validateServiceCreate(service(spec)))).toEqual(expected);
  });

  it("requires a DNS-1035 name", () => {
    const s = service();
    (s["metadata"] as Obj)["name"] = "1web";
    expect(messages(validateServiceCreate(s))).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
});

describe("ValidateServiceUpdate", () => {
  it("keeps cluster IPs once set (1.20+ dual-stack rules)", () => {
    const old = service();
    const next = updated(old, (o) => {
      (o["spec"] as Obj)["clusterIP"] = "10.96.0.11";
      (o["spec"] as Obj)["clusterIPs"] = ["10.96.0.11"];
    });
    expect(messages(validateServiceUpdate(next, old))).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  });

  it("rejects unsetting the primary cluster IP", () => {
    const old = service();
    const next = updated(old, (o) => {
      delete (o["spec"] as Obj)["clusterIP"];
      delete (o["spec"] as Obj)["clusterIPs"];
    });
    expect(messages(validateServiceUpdate(next, old))).toEqual(["spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset"]);
  });

  it("allows changing ports and selector", () => {
    const old = service();
    const next = updated(old, (o) => {
      (o["spec"] as Obj)["ports"] = [{ ...http, port: 8080 }];
      (o["spec"] as Obj)["selector"] = { app: "web2" };
    });
    expect(messages(validateServiceUpdate(next, old))).toEqual([]);
  });

  it("treats a clusterIP without clusterIPs as the REST layer does", () => {
    const s = service({ clusterIPs: undefined });
    expect(messages(validateServiceCreate(s))).toEqual([]);
  });
});
