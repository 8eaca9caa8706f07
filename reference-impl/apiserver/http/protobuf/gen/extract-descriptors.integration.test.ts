// The committed field table is what the descriptors in kubectl's binary say (run the generator to
// refresh it after a Kubernetes update).
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { describe, expect, it } from "vitest";
import schema from "../schema.generated.json" with { type: "json" };
import { ROOT_MESSAGES, descriptorsIn, schemaFrom } from "./extract-descriptors.ts";

const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";
const found = spawnSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" });
const kubectl = found.status === 0 && found.stdout.trim() !== "" ? realpathSync(found.stdout.trim()) : undefined;
if (kubectl === undefined) {
  const message = "kubectl is not installed (kubectl 1.32 on the PATH)";
  if (REQUIRE_REAL) throw new Error(`${message}; PLUMBLINE_REQUIRE_REAL=1 requires it`);
  console.warn(`[extract-descriptors] skipping: ${message}`);
}

describe.skipIf(kubectl === undefined)("schema.generated.json", () => {
  it("matches the generated.proto descriptors kubectl carries", () => {
    const files = descriptorsIn(readFileSync(kubectl!));
    expect([...files.keys()]).toContain("k8s.io/api/core/v1/generated.proto");
    const messages = schemaFrom(files);
    for (const root of ROOT_MESSAGES) expect(Object.keys(messages)).toContain(root);
    expect(messages).toEqual((schema as { messages: unknown }).messages);
  });
});
