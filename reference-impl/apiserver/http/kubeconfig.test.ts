import { describe, expect, it } from "vitest";
import { parseKubeconfig } from "../../client/kubeconfig.ts";
import { renderKubeconfig } from "./kubeconfig.ts";

describe("renderKubeconfig", () => {
  it("writes one cluster, user and context that a kubeconfig reader takes back", () => {
    const text = renderKubeconfig({ server: "https://127.0.0.1:6443", token: "tok", caData: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" });
    expect(text).toContain("current-context: plumbline\n");
    expect(parseKubeconfig(text)).toEqual({
      contextName: "plumbline",
      server: "https://127.0.0.1:6443",
      namespace: "",
      caData: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      token: "tok",
    });
  });

  it("leaves the CA out for plain HTTP and names the default namespace when given", () => {
    const text = renderKubeconfig({ server: "http://127.0.0.1:8080", token: "tok", namespace: "demo", contextName: "c", clusterName: "k", userName: "u" });
    expect(text).not.toContain("certificate-authority-data");
    expect(parseKubeconfig(text)).toMatchObject({ contextName: "c", server: "http://127.0.0.1:8080", namespace: "demo", token: "tok" });
  });
});
