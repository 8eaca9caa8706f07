// The `plumbline` command line (DESIGN.md, "Command line"). Each subcommand lives in its own module
// and is loaded only when used, so `plumbline --help` stays fast.
import { Command, CommanderError } from "commander";
import { registerBench } from "./bench.ts";
import { registerComponent } from "./component.ts";
import { registerSnapshot } from "../targets/live/snapshot.ts";

export function buildProgram(): Command {
  const program = new Command("plumbline")
    .description("Conformance test suite and chaos harness for Kubernetes control-plane behaviour")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerComponent(program);
  registerSnapshot(program);
  registerBench(program);
  for (const [name, what] of [
    ["run", "run scenarios (arrives with the scenario engine)"],
    ["up", "start a live reference cluster as processes (arrives with the API server)"],
    ["docs", "generate the scenario docs (arrives with the scenario engine)"],
    ["report", "build the HTML report (arrives with the scenario engine)"],
  ] as const) {
    program
      .command(name)
      .description(what)
      .allowUnknownOption()
      .action(() => {
        throw new CommanderError(2, "plumbline.notYet", `plumbline ${name}: not implemented yet (${what})`);
      });
  }
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "plumbline.notYet") process.stderr.write(`${err.message}\n`);
      // commander already printed help, version or the usage error.
      return err.exitCode;
    }
    process.stderr.write(`plumbline: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
