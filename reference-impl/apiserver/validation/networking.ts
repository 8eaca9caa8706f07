// networking.k8s.io/v1 Ingress (pkg/apis/networking/validation: ValidateIngressCreate,
// ValidateIngressUpdate). Updates tolerate invalid TLS secret names and wildcard-host rules the
// old object already had.

import {
  type FieldError,
  type FieldPath,
  invalid,
  notSupported,
  required,
} from "../../../spec/semantics/field-errors.ts";
import {
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  parseIPSloppy,
} from "../../../spec/semantics/validation.ts";
import {
  arr,
  isValidPathSegmentName,
  isWildcardDNS1123Subdomain,
  type Json,
  metaOf,
  num,
  path,
  rec,
  recOrUndef,
  str,
  strMap,
  strOrUndef,
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
} from "./common.ts";
import { goSyntax } from "./go-syntax.ts";

const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES = ["/..", "/."];

interface IngressOptions {
  readonly allowInvalidSecretName: boolean;
  readonly allowInvalidWildcardHostRule: boolean;
}

function validateTypedLocalObjectReference(ref: Json, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = strOrUndef(ref["apiGroup"]);
  if (apiGroup !== undefined) errs.push(...isDNS1123Subdomain(apiGroup).map((m) => invalid(p.child("apiGroup"), apiGroup, m)));
  for (const k of ["kind", "name"]) {
    const v = str(ref[k]);
    if (v === "") errs.push(required(p.child(k), `${k} is required`));
    else errs.push(...isValidPathSegmentName(v).map((m) => invalid(p.child(k), v, m)));
  }
  return errs;
}

function validateBackend(backend: Json, p: FieldPath): FieldError[] {
  const resource = recOrUndef(backend["resource"]);
  const service = recOrUndef(backend["service"]);
  if (resource !== undefined && service !== undefined) return [invalid(p, "", "cannot set both resource and service backends")];
  if (resource !== undefined) return validateTypedLocalObjectReference(resource, p.child("resource"));
  if (service === undefined) return [invalid(p, "", "resource or service backend is required")];
  const errs: FieldError[] = [];
  const name = str(service["name"]);
  if (name.length === 0) errs.push(required(p.child("service", "name"), ""));
  else errs.push(...nameIsDNS1035Label(name, false).map((m) => invalid(p.child("service", "name"), name, m)));
  const port = rec(service["port"]);
  const portName = str(port["name"]);
  const portNumber = num(port["number"]);
  if (portName.length > 0 && portNumber !== 0) errs.push(invalid(p, "", "cannot set both port name & port number"));
  else if (portName.length > 0) errs.push(...isValidPortName(portName).map((m) => invalid(p.child("service", "port", "name"), portName, m)));
  else if (portNumber !== 0) errs.push(...isValidPortNum(portNumber).map((m) => invalid(p.child("service", "port", "number"), portNumber, m)));
  else errs.push(required(p, "port name or number is required"));
  return errs;
}

function validateHTTPPath(httpPath: Json, p: FieldPath): FieldError[] {
  const pathType = strOrUndef(httpPath["pathType"]);
  if (pathType === undefined) return [required(p.child("pathType"), "pathType must be specified")];
  const errs: FieldError[] = [];
  const value = str(httpPath["path"]);
  if (pathType === "Exact" || pathType === "Prefix") {
    if (!value.startsWith("/")) errs.push(invalid(p.child("path"), value, "must be an absolute path"));
    if (value.length > 0) {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(p.child("path"), value, `must not contain '${seq}'`));
      for (const suf of INVALID_PATH_SUFFIXES) if (value.endsWith(suf)) errs.push(invalid(p.child("path"), value, `cannot end with '${suf}'`));
    }
  } else if (pathType === "ImplementationSpecific") {
    if (value.length > 0 && !value.startsWith("/")) errs.push(invalid(p.child("path"), value, "must be an absolute path"));
  } else {
    errs.push(notSupported(p.child("pathType"), pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(rec(httpPath["backend"]), p.child("backend")));
  return errs;
}

function validateRuleValue(rule: Json, p: FieldPath): FieldError[] {
  const http = recOrUndef(rule["http"]);
  if (http === undefined) return [];
  const errs: FieldError[] = [];
  const paths = arr(http["paths"]);
  if (paths.length === 0) errs.push(required(p.child("http").child("paths"), ""));
  paths.forEach((hp, i) => errs.push(...validateHTTPPath(rec(hp), p.child("http").child("paths").index(i))));
  return errs;
}

function validateRules(rules: readonly unknown[], p: FieldPath, opts: IngressOptions): FieldError[] {
  if (rules.length === 0) return [required(p, "")];
  const errs: FieldError[] = [];
  rules.forEach((raw, i) => {
    const rule = rec(raw);
    const host = str(rule["host"]);
    const hostPath = p.index(i).child("host");
    let wildcard = false;
    if (host.length > 0) {
      if (parseIPSloppy(host) !== undefined) errs.push(invalid(hostPath, host, "must be a DNS name, not an IP address"));
      if (host.includes("*")) {
        errs.push(...isWildcardDNS1123Subdomain(host).map((m) => invalid(hostPath, host, m)));
        wildcard = true;
      } else errs.push(...isDNS1123Subdomain(host).map((m) => invalid(hostPath, host, m)));
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateRuleValue(rule, p.index(i)));
  });
  return errs;
}

function tlsSecretNameErrors(name: string): string[] {
  return name.length === 0 ? [] : nameIsDNSSubdomain(name, false);
}

function validateTLS(tls: readonly unknown[], p: FieldPath, opts: IngressOptions): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((raw, i) => {
    const t = rec(raw);
    arr(t["hosts"]).forEach((h, j) => {
      const host = String(h);
      const at = p.index(i).child("hosts").index(j);
      const msgs = host.includes("*") ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...msgs.map((m) => invalid(at, host, m)));
    });
    if (!opts.allowInvalidSecretName) {
      const name = str(t["secretName"]);
      errs.push(...tlsSecretNameErrors(name).map((m) => invalid(p.index(i).child("secretName"), name, m)));
    }
  });
  return errs;
}

function validateIngressSpec(spec: Json, opts: IngressOptions): FieldError[] {
  const p = path("spec");
  const errs: FieldError[] = [];
  const rules = arr(spec["rules"]);
  const defaultBackend = recOrUndef(spec["defaultBackend"]);
  if (rules.length === 0 && defaultBackend === undefined) {
    const bad = spec["rules"] === undefined ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}";
    errs.push(invalid(p, goSyntax(bad), "either `defaultBackend` or `rules` must be specified"));
  }
  if (defaultBackend !== undefined) errs.push(...validateBackend(defaultBackend, p.child("defaultBackend")));
  if (rules.length > 0) errs.push(...validateRules(rules, p.child("rules"), opts));
  const tls = arr(spec["tls"]);
  if (tls.length > 0) errs.push(...validateTLS(tls, p.child("tls"), opts));
  const className = strOrUndef(spec["ingressClassName"]);
  if (className !== undefined) errs.push(...nameIsDNSSubdomain(className, false).map((m) => invalid(p.child("ingressClassName"), className, m)));
  return errs;
}

function validateIngress(ing: Json, opts: IngressOptions): FieldError[] {
  return [...validateCoreObjectMeta(metaOf(ing), true, nameIsDNSSubdomain), ...validateIngressSpec(rec(ing["spec"]), opts)];
}

export function validateIngressCreate(ing: Json): FieldError[] {
  const errs = validateIngress(ing, { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false });
  const annotation = strMap(metaOf(ing).annotations)?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined && strOrUndef(rec(ing["spec"])["ingressClassName"]) !== undefined) {
    errs.push(invalid(path("annotations").child(INGRESS_CLASS_ANNOTATION), annotation, "can not be set when the class field is also set"));
  }
  return errs;
}

function oldHasInvalidSecretName(old: Json): boolean {
  return arr(rec(old["spec"])["tls"]).some((t) => tlsSecretNameErrors(str(rec(t)["secretName"])).length > 0);
}

function oldHasInvalidWildcardRule(old: Json): boolean {
  return arr(rec(old["spec"])["rules"]).some((r) => str(rec(r)["host"]).includes("*") && validateRuleValue(rec(r), path("x")).length > 0);
}

export function validateIngressUpdate(ing: Json, old: Json): FieldError[] {
  const opts = { allowInvalidSecretName: oldHasInvalidSecretName(old), allowInvalidWildcardHostRule: oldHasInvalidWildcardRule(old) };
  return [...validateCoreObjectMetaUpdate(metaOf(ing), metaOf(old)), ...validateIngress(ing, opts)];
}
