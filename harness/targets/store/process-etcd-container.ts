// Real etcd in a Docker container, through testcontainers (STACK.md, "Real components"). No registry
// is reachable on the machines, so by default the image is built locally: a tarball holding the
// host's etcd binary and the shared libraries it links, imported with `docker import`. A user with
// registry access sets PLUMBLINE_ETCD_IMAGE (e.g. quay.io/coreos/etcd:v3.4.23) instead.
// Networking: the host's, with etcd bound to 127.0.0.1 (nothing may listen elsewhere; dockerd runs
// with --bridge=none).
import { copyFile, mkdir, mkdtemp, readlink, rm, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { freeLoopbackPort, runCommand } from "./process-support.ts";

export const DEFAULT_ETCD_IMAGE = "plumbline/etcd:3.4-local";
/** Where the binary sits in the local image, as in the upstream etcd images. */
const ETCD_PATH_IN_IMAGE = "/usr/local/bin/etcd";
const READY_LINE = "ready to serve client requests";

export function etcdImageName(): string {
  return process.env.PLUMBLINE_ETCD_IMAGE || DEFAULT_ETCD_IMAGE;
}

/** Undefined when the Docker engine answers; otherwise why not. */
export async function dockerUnavailable(): Promise<string | undefined> {
  const info = await runCommand("docker", ["info", "--format", "{{.ServerVersion}}"], 20_000);
  if (info.code === 0) return undefined;
  const reason = info.stderr.trim().split("\n").slice(-1)[0] ?? "docker info failed";
  return `Docker engine not available (${reason}); install docker.io and start dockerd (\`dockerd --bridge=none --iptables=false --ip-forward=false &\`)`;
}

/** Builds DEFAULT_ETCD_IMAGE from the host's etcd binary unless the image exists already. */
export async function ensureLocalEtcdImage(image = DEFAULT_ETCD_IMAGE): Promise<void> {
  if ((await runCommand("docker", ["image", "inspect", image], 20_000)).code === 0) return;
  const which = await runCommand("sh", ["-c", "command -v etcd"]);
  const etcdOnPath = which.stdout.trim();
  if (which.code !== 0 || !etcdOnPath) throw new Error(`cannot build ${image}: no etcd binary on the PATH (apt-get install etcd-server)`);
  const etcdBinary = await realPath(etcdOnPath);
  const root = await mkdtemp(join(tmpdir(), "plumbline-etcd-image-"));
  try {
    await mkdir(join(root, dirname(ETCD_PATH_IN_IMAGE)), { recursive: true });
    await copyFile(etcdBinary, join(root, ETCD_PATH_IN_IMAGE));
    await chmod(join(root, ETCD_PATH_IN_IMAGE), 0o755);
    // etcd needs a writable /tmp for its data dir; the loader and libc it links (none when static).
    await mkdir(join(root, "tmp"));
    await chmod(join(root, "tmp"), 0o1777);
    for (const lib of await linkedLibraries(etcdBinary)) {
      await mkdir(join(root, dirname(lib)), { recursive: true });
      await copyFile(await realPath(lib), join(root, lib));
    }
    const tarball = join(root, "..", `${root.split("/").pop()}.tar`);
    try {
      const tar = await runCommand("tar", ["-C", root, "-cf", tarball, "."]);
      if (tar.code !== 0) throw new Error(`tar failed: ${tar.stderr}`);
      const imported = await runCommand("docker", ["import", "--change", `ENTRYPOINT ["${ETCD_PATH_IN_IMAGE}"]`, tarball, image], 120_000);
      if (imported.code !== 0) throw new Error(`docker import ${image} failed: ${imported.stderr}`);
    } finally {
      await rm(tarball, { force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Absolute paths of the shared libraries (and loader) a binary links; empty for a static one. */
async function linkedLibraries(binary: string): Promise<string[]> {
  const ldd = await runCommand("ldd", [binary]);
  if (ldd.code !== 0) return []; // "not a dynamic executable"
  const paths = new Set<string>();
  for (const match of ldd.stdout.matchAll(/(\/[^\s)]+)/g)) paths.add(match[1]!);
  return [...paths];
}

async function realPath(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      current = resolve(dirname(current), await readlink(current));
    } catch {
      return current; // not a symlink
    }
  }
  throw new Error(`too many symlinks from ${path}`);
}

export interface EtcdContainer {
  /** host:port of the client URL, on 127.0.0.1. */
  endpoint: string;
  /** Kills etcd (no grace) and starts it again in the same container, keeping its data. */
  restart(): Promise<void>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
}

export interface EtcdContainerOptions {
  /** Default: etcdImageName(). */
  image?: string;
  startupTimeoutMs?: number;
}

export async function startEtcdContainer(opts: EtcdContainerOptions = {}): Promise<EtcdContainer> {
  // The reaper image cannot be pulled here; the suite stops its containers itself.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  // Inside a container (/.dockerenv), testcontainers looks for the docker host through the
  // "bridge" network, which dockerd --bridge=none does not have; with host networking the
  // container's ports are the host's loopback ports anyway.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "127.0.0.1";
  const image = opts.image ?? etcdImageName();
  if (image === DEFAULT_ETCD_IMAGE) await ensureLocalEtcdImage(image);
  const { GenericContainer, Wait } = await import("testcontainers");
  const clientPort = await freeLoopbackPort();
  const peerPort = await freeLoopbackPort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const container = await new GenericContainer(image)
    .withNetworkMode("host")
    .withEntrypoint([ETCD_PATH_IN_IMAGE])
    .withCommand([
      "--name=default",
      "--data-dir=/tmp/etcd-data",
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(READY_LINE))
    .withStartupTimeout(opts.startupTimeoutMs ?? 60_000)
    .start();
  return {
    endpoint: `127.0.0.1:${clientPort}`,
    restart: () => container.restart({ timeout: 0 }),
    stop: async () => {
      await container.stop({ timeout: 0, remove: true });
    },
  };
}
