// printService, printEndpoints, printEndpointSlice, printIngress
// (pkg/printers/internalversion/printers.go).
import type { EndpointPort as DiscoveryEndpointPort, Endpoint, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { Endpoints, LoadBalancerStatus, Service, ServicePort } from "kubernetes-types/core/v1.js";
import type { Ingress, IngressLoadBalancerStatus, IngressRule, IngressTLS } from "kubernetes-types/networking/v1.js";
import { translateTimestampSince } from "./duration.ts";
import { formatLabels, goByteSlice, int, joinHostPort, listWithMoreString, sortedSet } from "./format.ts";
import { utf8ByteLength } from "../../../spec/semantics/go-compat.ts";
import type { GenerateOptions, PrintedRow, TableCell } from "./types.ts";

/** loadBalancerWidth: without -o wide, load-balancer addresses are cut to 16 bytes. */
export const LOAD_BALANCER_WIDTH = 16;

/**
 * loadBalancerStatusStringer / ingressLoadBalancerStatusStringer: each ingress point's IP (or
 * hostname), de-duplicated and sorted, comma-joined, clipped to 13 bytes + "..." unless wide.
 */
export function loadBalancerStatusStringer(
  s: LoadBalancerStatus | IngressLoadBalancerStatus | undefined,
  wide: boolean,
): string {
  const points: string[] = [];
  for (const ing of s?.ingress ?? []) {
    if ((ing.ip ?? "") !== "") points.push(ing.ip ?? "");
    else if ((ing.hostname ?? "") !== "") points.push(ing.hostname ?? "");
  }
  let r = sortedSet(points).join(",");
  if (!wide && utf8ByteLength(r) > LOAD_BALANCER_WIDTH) r = goByteSlice(r, LOAD_BALANCER_WIDTH - 3) + "...";
  return r;
}

/** getServiceExternalIP: by service type; "<pending>" for a load balancer not provisioned yet. */
export function getServiceExternalIP(svc: Service, wide: boolean): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? "") {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lbIps = loadBalancerStatusStringer(svc.status?.loadBalancer, wide);
      if (externalIPs.length > 0) {
        const results = lbIps.length > 0 ? lbIps.split(",") : [];
        return [...results, ...externalIPs].join(",");
      }
      return lbIps.length > 0 ? lbIps : "<pending>";
    }
    case "ExternalName":
      return svc.spec?.externalName ?? "";
    default:
      return "<unknown>";
  }
}

/** makePortString: "80/TCP", or "80:30080/TCP" with a node port. */
export function makePortString(ports: readonly ServicePort[]): string {
  return ports
    .map((p) => {
      const nodePort = int(p.nodePort);
      const protocol = p.protocol ?? "";
      return nodePort > 0 ? `${int(p.port)}:${nodePort}/${protocol}` : `${int(p.port)}/${protocol}`;
    })
    .join(",");
}

/** The first cluster IP, as the internal object has it (defaulting copies clusterIP into clusterIPs). */
function firstClusterIP(svc: Service): string | undefined {
  const ips = svc.spec?.clusterIPs ?? [];
  if (ips.length > 0) return ips[0];
  const ip = svc.spec?.clusterIP ?? "";
  return ip === "" ? undefined : ip;
}

export function printService(svc: Service, options: GenerateOptions): PrintedRow {
  const ports = makePortString(svc.spec?.ports ?? []);
  const cells: TableCell[] = [
    svc.metadata?.name ?? "",
    svc.spec?.type ?? "",
    firstClusterIP(svc) ?? "<none>",
    getServiceExternalIP(svc, options.wide),
    ports === "" ? "<none>" : ports,
    translateTimestampSince(svc.metadata?.creationTimestamp, options.nowMs),
  ];
  if (options.wide) cells.push(formatLabels(svc.spec?.selector));
  return { cells };
}

const MAX_LISTED = 3;

/** formatEndpoints: up to three "ip:port" (or bare IPs for port-less subsets), then "+ N more...". */
export function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === MAX_LISTED) {
          more = true;
          break;
        }
        list.push(addr.ip ?? "");
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === MAX_LISTED) {
          more = true;
          break;
        }
        list.push(joinHostPort(addr.ip ?? "", int(port.port)));
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - MAX_LISTED} more...` : ret;
}

export function printEndpoints(ep: Endpoints, options: GenerateOptions): PrintedRow {
  return {
    cells: [ep.metadata?.name ?? "", formatEndpoints(ep), translateTimestampSince(ep.metadata?.creationTimestamp, options.nowMs)],
  };
}

/** formatDiscoveryPorts: port numbers (or names, or "*"), three at most. */
export function formatDiscoveryPorts(ports: readonly DiscoveryEndpointPort[]): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const port of ports) {
    if (list.length < MAX_LISTED) {
      let portNum = "*";
      if (port.port !== undefined && port.port !== null) portNum = String(int(port.port));
      else if (port.name !== undefined && port.name !== null) portNum = port.name;
      list.push(portNum);
    } else if (list.length === MAX_LISTED) more = true;
    count++;
  }
  return listWithMoreString(list, more, count, MAX_LISTED);
}

/** formatDiscoveryEndpoints: every endpoint's addresses, three at most. */
export function formatDiscoveryEndpoints(endpoints: readonly Endpoint[]): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const endpoint of endpoints) {
    for (const address of endpoint.addresses ?? []) {
      if (list.length < MAX_LISTED) list.push(address);
      else if (list.length === MAX_LISTED) more = true;
      count++;
    }
  }
  return listWithMoreString(list, more, count, MAX_LISTED);
}

export function printEndpointSlice(slice: EndpointSlice, options: GenerateOptions): PrintedRow {
  return {
    cells: [
      slice.metadata?.name ?? "",
      slice.addressType ?? "",
      formatDiscoveryPorts(slice.ports ?? []),
      formatDiscoveryEndpoints(slice.endpoints ?? []),
      translateTimestampSince(slice.metadata?.creationTimestamp, options.nowMs),
    ],
  };
}

/** formatHosts: the rules' hosts, three at most; "*" when no rule names a host. */
export function formatHosts(rules: readonly IngressRule[]): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === MAX_LISTED) more = true;
    if (!more && (rule.host ?? "") !== "") list.push(rule.host ?? "");
  }
  if (list.length === 0) return "*";
  const ret = list.join(",");
  return more ? `${ret} + ${rules.length - MAX_LISTED} more...` : ret;
}

/** formatPorts: "80, 443" with TLS, else "80". */
export function formatIngressPorts(tls: readonly IngressTLS[]): string {
  return tls.length !== 0 ? "80, 443" : "80";
}

export function printIngress(ing: Ingress, options: GenerateOptions): PrintedRow {
  return {
    cells: [
      ing.metadata?.name ?? "",
      ing.spec?.ingressClassName ?? "<none>",
      formatHosts(ing.spec?.rules ?? []),
      loadBalancerStatusStringer(ing.status?.loadBalancer, options.wide),
      formatIngressPorts(ing.spec?.tls ?? []),
      translateTimestampSince(ing.metadata?.creationTimestamp, options.nowMs),
    ],
  };
}
