// A throwaway CA and a server certificate for 127.0.0.1/::1/localhost, made with the openssl command
// (node:crypto cannot issue X.509 certificates). TLS is optional: without openssl the caller is told
// what to install and serves plain HTTP. Live code: runs a process, writes files.
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ServerTls {
  /** PEM of the CA that signed the server certificate (a kubeconfig's certificate-authority-data). */
  caCert: string;
  cert: string;
  key: string;
}

export class TlsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TlsUnavailableError";
  }
}

/** Whether the openssl command runs here. */
export async function opensslAvailable(): Promise<boolean> {
  try {
    await run("openssl", ["version"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** The CA and certificate in `dir` from an earlier run, or new ones (a restart keeps its CA). */
export async function loadOrGenerateServerTls(dir: string, days = 365): Promise<ServerTls> {
  try {
    const [caCert, cert, key] = await Promise.all(["ca.crt", "server.crt", "server.key"].map((f) => readFile(join(dir, f), "utf8")));
    return { caCert: caCert!, cert: cert!, key: key! };
  } catch {
    return generateServerTls(dir, days);
  }
}

/**
 * Writes ca.crt, ca.key, server.crt and server.key into `dir` (ECDSA P-256, valid for `days`) and
 * returns the PEMs. Throws TlsUnavailableError when openssl is missing.
 */
export async function generateServerTls(dir: string, days = 365): Promise<ServerTls> {
  if (!(await opensslAvailable())) {
    throw new TlsUnavailableError("TLS needs the openssl command to make a certificate (apt-get install openssl); serve plain HTTP instead");
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", [
    "req", "-x509", ...ec, "-keyout", path("ca.key"), "-out", path("ca.crt"), "-days", String(days),
    "-subj", "/CN=plumbline-ca",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await run("openssl", ["req", ...ec, "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=plumbline-apiserver"]);
  await writeFile(
    path("server.ext"),
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
      "",
    ].join("\n"),
  );
  await run("openssl", [
    "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"), "-CAcreateserial",
    "-out", path("server.crt"), "-days", String(days), "-extfile", path("server.ext"),
  ]);
  const [caCert, cert, key] = await Promise.all([readFile(path("ca.crt"), "utf8"), readFile(path("server.crt"), "utf8"), readFile(path("server.key"), "utf8")]);
  return { caCert, cert, key };
}
