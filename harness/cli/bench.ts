// `plumbline bench <name> [--json]`: every benchmark is bench/<name>.ts exporting a Benchmark. It
// prints human-readable figures and, with --json, one JSON object of its figures as the last line.
import { Command } from "commander";
import { benchmarks, type Figures } from "../../bench/registry.ts";

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description(`run a benchmark and print its figures (${Object.keys(benchmarks).join(", ")})`)
    .argument("<name>", "benchmark name")
    .option("--json", "print the figures as one JSON object on the last line")
    .option("--quick", "a smaller run, for smoke tests")
    .action(async (name: string, opts: { json?: boolean; quick?: boolean }) => {
      const bench = benchmarks[name];
      if (!bench) throw new Error(`unknown benchmark ${JSON.stringify(name)}; known: ${Object.keys(benchmarks).join(", ")}`);
      const figures: Figures = await (await bench.load()).run({ quick: opts.quick ?? false, log: (l) => console.log(l) });
      if (opts.json) console.log(JSON.stringify(figures));
    });
}
