import { describe, expect, it } from "vitest";
import { buildProgram, main } from "./main.ts";

describe("plumbline CLI", () => {
  it("lists the subcommands of DESIGN.md in --help", () => {
    const help = buildProgram().helpInformation();
    for (const sub of ["run", "up", "component", "docs", "report", "bench"]) expect(help).toContain(sub);
  });

  it("exits 1 with a clear message for an unknown benchmark", async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await main(["node", "plumbline", "bench", "no-such-bench"])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join("")).toContain('unknown benchmark "no-such-bench"');
  });
});
