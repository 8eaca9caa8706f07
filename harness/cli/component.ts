// `plumbline component <name> [flags]`: runs one reference component as its own process, speaking
// the real protocol on 127.0.0.1. This is what `plumbline up` starts, and what users start to mix
// reference components with their own.
import { Command } from "commander";
import { components } from "../targets/live/components.ts";

export function registerComponent(program: Command): void {
  const cmd = program.command("component").description("run one reference component as a process");
  for (const [name, component] of Object.entries(components)) {
    const sub = cmd.command(name).description(component.description);
    component.configure(sub);
  }
}
