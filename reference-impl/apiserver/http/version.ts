// GET /version: version.Info as kube-apiserver 1.32 answers it. The gitVersion carries semver build
// metadata (`+plumbline`), which kubectl's version-skew check ignores, so kubectl 1.31-1.33 see a
// supported server.
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** The Kubernetes release whose API the reference server serves. */
export const SERVED_KUBERNETES_VERSION = { major: "1", minor: "32", patch: "0" } as const;

/** `platform` is runtime.GOOS/GOARCH; `runtime` names what runs the server (Go's goVersion slot). */
export function versionInfo(platform: string, runtime: string): VersionInfo {
  const { major, minor, patch } = SERVED_KUBERNETES_VERSION;
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.${patch}+plumbline`,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "1970-01-01T00:00:00Z",
    goVersion: runtime,
    compiler: "gc",
    platform,
  };
}

/** Node's process.platform/arch in Go's GOOS/GOARCH words. */
export function goPlatform(platform: string, arch: string): string {
  const goos = platform === "win32" ? "windows" : platform;
  const goarch = ({ x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" } as Record<string, string>)[arch] ?? arch;
  return `${goos}/${goarch}`;
}
