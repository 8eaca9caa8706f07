// Command-line arguments written as one line in a scenario (`kubectl: {args: get pods -o wide}`),
// split as a POSIX shell would split them, without expansion: single quotes keep everything,
// double quotes keep everything but `\"` and `\\`, a backslash outside quotes escapes one character.

export class ArgsSyntaxError extends Error {}

export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 >= line.length) throw new ArgsSyntaxError("a backslash at the end of the arguments escapes nothing");
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = "";
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new ArgsSyntaxError(`unterminated ${quote} quote in the arguments`);
  if (inWord) out.push(current);
  return out;
}

/** The values of kubectl's `-f`/`--filename` flags (local files only: not `-` or URLs). */
export function kubectlFileArgs(args: readonly string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    let value: string | undefined;
    if (a === "-f" || a === "--filename") value = args[++i];
    else if (a.startsWith("--filename=")) value = a.slice("--filename=".length);
    else if (a.startsWith("-f=")) value = a.slice(3);
    else if (a.startsWith("-f") && a.length > 2 && !a.startsWith("--")) value = a.slice(2);
    if (value === undefined || value === "-" || /^[a-z]+:\/\//i.test(value)) continue;
    files.push(...value.split(",").filter((v) => v !== ""));
  }
  return files;
}
