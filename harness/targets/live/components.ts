// The reference components that can run as processes. Each entry declares its flags and starts the
// component; the process runs until SIGINT/SIGTERM.
import type { Command } from "commander";

export interface ComponentEntry {
  description: string;
  /** Adds the component's flags and action to its subcommand. */
  configure(cmd: Command): void;
}

export const components: Record<string, ComponentEntry> = {};
