// The lint rule that keeps simulation deterministic must catch wall-clock and global-randomness use
// in component and harness code, and must leave the real Clock/Rng and live-process code alone.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const offending = [
  "export const a = Date.now();",
  "export const b = Math.random();",
  "export const c = performance.now();",
  "setTimeout(() => {}, 10);",
  "setInterval(() => {}, 10);",
  "export const d = new Date();",
].join("\n");

async function ruleHits(filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(offending, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? "").filter((r) => r.startsWith("no-restricted"));
}

describe("determinism lint rule", () => {
  it("flags all six wall-clock and randomness uses in reference-impl and harness sim code", async () => {
    expect(await ruleHits("reference-impl/scheduler/queue.ts")).toHaveLength(6);
    expect(await ruleHits("harness/scenario/engine.ts")).toHaveLength(6);
  });

  it("allows them in the real Clock, live-process code and tests", async () => {
    expect(await ruleHits("reference-impl/runtime/real-clock.ts")).toEqual([]);
    expect(await ruleHits("harness/targets/live/components.ts")).toEqual([]);
    expect(await ruleHits("reference-impl/store/mvcc/store.test.ts")).toEqual([]);
  });
});
