import { describe, expect, it } from "vitest";
import { KubeconfigError, parseKubeconfig } from "./kubeconfig.ts";

const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const b64 = (s: string): string => Buffer.from(s).toString("base64");

const kubeconfig = `
apiVersion: v1
kind: Config
current-context: admin@plumbline
clusters:
- name: plumbline
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64(ca)}
- name: other
  cluster:
    server: http://127.0.0.1:8080
    insecure-skip-tls-verify: true
contexts:
- name: admin@plumbline
  context: {cluster: plumbline, user: admin, namespace: team-a}
- name: other
  context: {cluster: other, user: certs}
users:
- name: admin
  user: {token: s3cret}
- name: certs
  user:
    client-certificate-data: ${b64("CERT")}
    client-key-data: ${b64("KEY")}
`;

describe("parseKubeconfig", () => {
  it("reads the current context's server, CA, token and namespace", () => {
    expect(parseKubeconfig(kubeconfig)).toEqual({
      contextName: "admin@plumbline",
      server: "https://127.0.0.1:6443",
      caData: ca,
      token: "s3cret",
      namespace: "team-a",
    });
  });

  it("reads another context by name, with client certificates", () => {
    expect(parseKubeconfig(kubeconfig, { context: "other" })).toEqual({
      contextName: "other",
      server: "http://127.0.0.1:8080",
      insecureSkipTlsVerify: true,
      clientCertData: "CERT",
      clientKeyData: "KEY",
      namespace: "",
    });
  });

  it("keeps file references for the caller to read", () => {
    const text = `current-context: c
clusters: [{name: k, cluster: {server: "https://127.0.0.1:1", certificate-authority: ca.crt}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {tokenFile: token, client-certificate: c.crt, client-key: c.key}}]`;
    expect(parseKubeconfig(text)).toMatchObject({ caFile: "ca.crt", tokenFile: "token", clientCertFile: "c.crt", clientKeyFile: "c.key" });
  });

  it("names what is missing or wrong", () => {
    expect(() => parseKubeconfig(kubeconfig, { context: "nope" })).toThrow('kubeconfig: context "nope" not found in contexts');
    expect(() => parseKubeconfig("clusters: []")).toThrow("kubeconfig: no context given and current-context is not set");
    expect(() => parseKubeconfig("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]")).toThrow(
      'kubeconfig: cluster "k" not found in clusters',
    );
    expect(() => parseKubeconfig("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {}}]")).toThrow(
      'kubeconfig: cluster "k" has no server',
    );
    expect(() => parseKubeconfig("- a\n- b")).toThrow(KubeconfigError);
    expect(() => parseKubeconfig(":\n  - : :")).toThrow(KubeconfigError);
    const exec = kubeconfig.replace("user: {token: s3cret}", "user: {exec: {command: aws}}");
    expect(() => parseKubeconfig(exec)).toThrow('kubeconfig: user "admin": exec is not supported');
  });
});
