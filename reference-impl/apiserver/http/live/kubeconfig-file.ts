// Writes a kubeconfig file for the server: readable by its owner only (it holds the admin token),
// replaced atomically so a reader never sees half a file. Live code: writes files.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type KubeconfigOptions, renderKubeconfig } from "../kubeconfig.ts";

export async function writeKubeconfig(file: string, opts: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, renderKubeconfig(opts), { mode: 0o600 });
  await rename(tmp, file);
}
