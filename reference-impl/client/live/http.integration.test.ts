import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ResourceType } from "../../../spec/interfaces/api-client.ts";
import { ConnectionError } from "../errors.ts";
import { HttpApiClient } from "./http.ts";

// HttpApiClient over HTTPS: a certificate made by openssl (a real process, hence an integration
// test), trusted through the kubeconfig's certificate-authority-data.

const pods: ResourceType = { group: "", version: "v1", resource: "pods" };
const TOKEN = "t0ken";
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" } };

describe("HttpApiClient over TLS", () => {
  it("verifies the server with the kubeconfig's CA and sends the token", async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), "plumbline-tls-"));
    try {
      try {
        execFileSync("openssl", [
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
          "-addext", "subjectAltName=IP:127.0.0.1",
          "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
        ], { stdio: "ignore" });
      } catch {
        if (process.env.PLUMBLINE_REQUIRE_REAL === "1") throw new Error("openssl is required for the TLS test (apt-get install -y openssl)");
        ctx.skip("openssl not found: install it (apt-get install -y openssl) to run the TLS test");
      }
      const cert = readFileSync(join(dir, "cert.pem"), "utf8");
      const key = readFileSync(join(dir, "key.pem"), "utf8");
      const authorizations: (string | undefined)[] = [];
      const tls = https.createServer({ cert, key }, (req, res) => {
        authorizations.push(req.headers.authorization);
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(pod));
      });
      await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
      try {
        const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
        const kubeconfig = join(dir, "config");
        writeFileSync(
          kubeconfig,
          `current-context: c\nclusters: [{name: k, cluster: {server: "${url}", certificate-authority-data: ${Buffer.from(cert).toString("base64")}}}]\n` +
            `contexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: ${TOKEN}}}]\n`,
        );
        const trusted = await HttpApiClient.fromKubeconfig(kubeconfig);
        const untrusted = new HttpApiClient({ server: url, token: TOKEN });
        try {
          expect(await trusted.get(pods, "default", "web")).toEqual(pod);
          expect(authorizations).toEqual([`Bearer ${TOKEN}`]);
          const err = await untrusted.get(pods, "default", "web").catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ConnectionError);
          expect(authorizations).toHaveLength(1);
        } finally {
          trusted.close();
          untrusted.close();
        }
      } finally {
        tls.closeAllConnections();
        await new Promise<void>((resolve) => tls.close(() => resolve()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
