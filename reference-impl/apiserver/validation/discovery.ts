// discovery.k8s.io/v1 EndpointSlice (pkg/apis/discovery/validation). Address checks depend on
// addressType; ports need unique names (the empty name counts) and a protocol.

import {
  duplicate,
  type FieldError,
  type FieldPath,
  invalid,
  notSupported,
  required,
} from "../../../spec/semantics/field-errors.ts";
import {
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  nameIsDNSSubdomain,
  validateLabels,
} from "../../../spec/semantics/validation.ts";
import {
  arr,
  dns1123Label,
  FIELD_IMMUTABLE,
  isFullyQualifiedDomainName,
  type Json,
  metaOf,
  path,
  qualifiedName,
  rec,
  recOrUndef,
  str,
  strMap,
  strOrUndef,
  validateCoreObjectMeta,
  validateNonSpecialIP,
} from "./common.ts";

const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;

function tooMany(p: FieldPath, actual: number, max: number): FieldError {
  return { type: "FieldValueTooMany", field: p.toString(), badValue: actual, detail: `must have at most ${max} items` };
}

function validateEndpoints(endpoints: readonly unknown[], addressType: string, p: FieldPath): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany(p, endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((raw, i) => {
    const ep = rec(raw);
    const idx = p.index(i);
    const addressPath = idx.child("addresses");
    const addresses = arr(ep["addresses"]).map(String);
    if (addresses.length === 0) errs.push(required(addressPath, "must contain at least 1 address"));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(addressPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => {
      const at = addressPath.index(j);
      if (addressType === "IPv4") errs.push(...isValidIPv4Address(at, address), ...validateNonSpecialIP(address, at));
      else if (addressType === "IPv6") errs.push(...isValidIPv6Address(at, address), ...validateNonSpecialIP(address, at));
      else if (addressType === "FQDN") errs.push(...isFullyQualifiedDomainName(at, address));
    });
    const nodeName = strOrUndef(ep["nodeName"]);
    if (nodeName !== undefined) errs.push(...nameIsDNSSubdomain(nodeName, false).map((m) => invalid(idx.child("nodeName"), nodeName, m)));
    const topology = strMap(ep["deprecatedTopology"]);
    const topologyPath = idx.child("deprecatedTopology");
    if (Object.keys(topology ?? {}).length > MAX_TOPOLOGY_LABELS) {
      errs.push(tooMany(topologyPath, Object.keys(topology ?? {}).length, MAX_TOPOLOGY_LABELS));
    }
    errs.push(...validateLabels(topology, topologyPath));
    const hostname = strOrUndef(ep["hostname"]);
    if (hostname !== undefined) errs.push(...dns1123Label(hostname, idx.child("hostname")));
    const hints = recOrUndef(ep["hints"]);
    if (hints !== undefined) {
      const zonesPath = idx.child("hints").child("forZones");
      const zones = arr(hints["forZones"]);
      if (zones.length > MAX_ZONE_HINTS) errs.push(tooMany(zonesPath, zones.length, MAX_ZONE_HINTS));
      else {
        const seen = new Set<string>();
        zones.forEach((z, j) => {
          const name = str(rec(z)["name"]);
          const at = zonesPath.index(j).child("name");
          if (seen.has(name)) errs.push(duplicate(at, name));
          else seen.add(name);
          errs.push(...isValidLabelValue(name).map((m) => invalid(at, name, m)));
        });
      }
    }
  });
  return errs;
}

function validatePorts(ports: readonly unknown[], p: FieldPath): FieldError[] {
  if (ports.length > MAX_PORTS) return [tooMany(p, ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port = rec(raw);
    const idx = p.index(i);
    const name = str(port["name"]);
    if (name.length > 0) errs.push(...dns1123Label(name, idx.child("name")));
    if (names.has(name)) errs.push(duplicate(idx.child("name"), name));
    else names.add(name);
    const protocol = strOrUndef(port["protocol"]);
    if (protocol === undefined) errs.push(required(idx.child("protocol"), ""));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(idx.child("protocol"), protocol, PROTOCOLS));
    const appProtocol = strOrUndef(port["appProtocol"]);
    if (appProtocol !== undefined) errs.push(...qualifiedName(appProtocol, idx.child("appProtocol")));
  });
  return errs;
}

export function validateEndpointSlice(slice: Json): FieldError[] {
  const errs = validateCoreObjectMeta(metaOf(slice), true, nameIsDNSSubdomain);
  const addressType = str(slice["addressType"]);
  if (addressType === "") errs.push(required(path("addressType"), ""));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported(path("addressType"), addressType, ADDRESS_TYPES));
  errs.push(...validateEndpoints(arr(slice["endpoints"]), addressType, path("endpoints")));
  errs.push(...validatePorts(arr(slice["ports"]), path("ports")));
  return errs;
}

/** ValidateEndpointSliceUpdate (metadata updates are checked by the generic registry code). */
export function validateEndpointSliceUpdate(slice: Json, old: Json): FieldError[] {
  const errs = validateEndpointSlice(slice);
  if (str(slice["addressType"]) !== str(old["addressType"])) errs.push(invalid(path("addressType"), str(slice["addressType"]), FIELD_IMMUTABLE));
  return errs;
}
