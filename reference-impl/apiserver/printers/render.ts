// Plain-text rendering of a Table the way `kubectl get` lays it out (cli-runtime
// pkg/printers/tableprinter.go: decorateTable, then printTable through a tabwriter with
// minwidth 6, tabwidth 4, padding 3, padchar ' '): upper-case headers, left-aligned columns at
// least 3 spaces apart, the last column unpadded, priority>0 columns only with wide.
import { formatLabels } from "./format.ts";
import type { Table, TableCell, TableColumnDefinition, TableRow } from "./types.ts";

export interface RenderOptions {
  /** --no-headers */
  readonly noHeaders?: boolean;
  /** -o wide: also priority>0 columns. */
  readonly wide?: boolean;
  /** -A / --all-namespaces: a leading NAMESPACE column from each row's object metadata. */
  readonly withNamespace?: boolean;
  /** --show-labels: a trailing LABELS column. */
  readonly showLabels?: boolean;
  /** -L key...: one column per label key, headed by the key's last path segment. */
  readonly columnLabels?: readonly string[];
  /** --show-kind: the GroupKind string ("Pod", "Deployment.apps") to prefix names with, lower-cased. */
  readonly withKind?: string;
}

// cli-runtime's GetNewTabWriter.
const TABWRITER_MIN_WIDTH = 6;
const TABWRITER_PADDING = 3;

interface RowMeta {
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
}

/** meta.Accessor on a row object: only objects with metadata (full or partial) qualify. */
function rowMeta(row: TableRow): RowMeta | undefined {
  const obj = row.object;
  if (typeof obj !== "object" || obj === null) return undefined;
  const meta = (obj as { metadata?: unknown }).metadata;
  if (typeof meta !== "object" || meta === null) return undefined;
  return meta as RowMeta;
}

/** formatLabelHeaders: the upper-cased last path segment of each label key. */
function labelHeader(key: string): string {
  return (key.split("/").pop() ?? "").toUpperCase();
}

/** decorateTable: namespace, label and kind decorations kubectl adds to a server's Table. */
function decorate(table: Table, options: RenderOptions): { columns: TableColumnDefinition[]; rows: TableCell[][] } {
  const base = table.columnDefinitions ?? [];
  const columnLabels = options.columnLabels ?? [];
  const extra = (c: string): TableColumnDefinition => ({ name: c, type: "string", format: "", description: "", priority: 0 });
  const columns = [
    ...(options.withNamespace === true ? [extra("Namespace")] : []),
    ...base,
    ...columnLabels.map((l) => extra(labelHeader(l))),
    ...(options.showLabels === true ? [extra("Labels")] : []),
  ];
  const width = columns.length;
  const nameColumn =
    options.withKind !== undefined && options.withKind !== ""
      ? base.findIndex((c) => c.format === "name" && c.type === "string")
      : -1;
  const includeLabels = columnLabels.length > 0 || options.showLabels === true;
  const decorateRows = includeLabels || options.withNamespace === true || nameColumn !== -1;
  const rows = (table.rows ?? []).map((row) => {
    let cells = [...row.cells];
    if (!decorateRows) return cells;
    if (nameColumn !== -1 && nameColumn < cells.length) {
      cells[nameColumn] = `${(options.withKind ?? "").toLowerCase()}/${cellText(cells[nameColumn] ?? null)}`;
    }
    const meta = rowMeta(row);
    if (meta === undefined) {
      // Without metadata the extra columns stay empty. Upstream's padding loop re-reads the
      // growing length, so it adds only about half the missing cells; kept as is.
      if (options.withNamespace === true) cells = [null, ...cells];
      for (let j = 0; j < width - cells.length; j++) cells.push(null);
      return cells;
    }
    if (options.withNamespace === true) cells = [meta.namespace ?? "", ...cells];
    if (includeLabels) {
      const labels = meta.labels ?? {};
      for (const key of columnLabels) cells.push(labels[key] ?? "");
      if (options.showLabels === true) cells.push(formatLabels(labels));
    }
    return cells;
  });
  return { columns, rows };
}

/** fmt.Sprint of a decoded JSON cell (kubectl decodes integers as int64). */
function cellText(cell: TableCell): string {
  if (typeof cell === "string") return cell;
  if (cell === null) return "";
  if (typeof cell === "number" || typeof cell === "boolean") return String(cell);
  return JSON.stringify(cell);
}

/** WriteEscaped: neutralise terminal escape sequences. */
function escapeTerminal(s: string): string {
  return s.replaceAll("\x1b", "^[").replaceAll("\r", "\\r");
}

/** A cell as kubectl prints it: strings cut at the first line break (with "..."), then escaped. */
function printedCell(cell: TableCell): string {
  if (cell === null) return "";
  if (typeof cell !== "string") return escapeTerminal(cellText(cell));
  const breakAt = cell.search(/[\f\n\r]/);
  return breakAt >= 0 ? escapeTerminal(cell.slice(0, breakAt)) + "..." : escapeTerminal(cell);
}

/** printTable: tab-separated lines, before alignment. */
function tabbedLines(table: Table, options: RenderOptions): string[] {
  const { columns, rows } = decorate(table, options);
  const shown = (c: TableColumnDefinition): boolean => options.wide === true || c.priority === 0;
  const lines: string[] = [];
  if (options.noHeaders !== true) {
    // No header without rows: kubectl then reports "No resources found" on stderr instead.
    if (rows.length === 0) return [];
    lines.push(columns.filter(shown).map((c) => c.name.toUpperCase()).join("\t"));
  }
  for (const cells of rows) {
    const out: string[] = [];
    for (const [i, cell] of cells.entries()) {
      const column = columns[i];
      if (column === undefined) break; // more cells than columns (issue 66379)
      if (shown(column)) out.push(printedCell(cell));
    }
    lines.push(out.join("\t"));
  }
  return lines;
}

/**
 * text/tabwriter's layout (liggitt/tabwriter, as kubectl uses it) for text without escapes: a
 * tab terminates a cell; a column block is a run of consecutive lines that have a cell in that
 * column; each block's width is max(minwidth, widest cell + padding); a line's last (unterminated)
 * cell is not padded. Widths count runes (utf8.RuneCountInString).
 */
export function tabwriterLayout(lines: readonly string[]): string[] {
  const cells = lines.map((l) => l.split("\t"));
  const widths = cells.map((line) => line.map((c) => [...c].length));
  const padTo: number[][] = cells.map((line) => line.map(() => 0));
  const format = (column: number, line0: number, line1: number): void => {
    let i = line0;
    while (i < line1) {
      if (column >= (cells[i]?.length ?? 0) - 1) {
        i++;
        continue;
      }
      const start = i;
      let width = TABWRITER_MIN_WIDTH;
      for (; i < line1 && column < (cells[i]?.length ?? 0) - 1; i++) {
        width = Math.max(width, (widths[i]?.[column] ?? 0) + TABWRITER_PADDING);
      }
      for (let j = start; j < i; j++) {
        const row = padTo[j];
        if (row !== undefined) row[column] = width;
      }
      format(column + 1, start, i);
    }
  };
  format(0, 0, cells.length);
  return cells.map((line, i) =>
    line
      .map((text, j) => {
        const last = j === line.length - 1;
        const width = padTo[i]?.[j] ?? 0;
        return last ? text : text + " ".repeat(Math.max(0, width - (widths[i]?.[j] ?? 0)));
      })
      .join(""),
  );
}

/**
 * Render `table` as `kubectl get` prints it: one line per row plus the header, each line ending
 * in "\n"; "" when there are no rows (unless noHeaders).
 */
export function renderTable(table: Table, options: RenderOptions = {}): string {
  const lines = tabbedLines(table, options);
  return tabwriterLayout(lines)
    .map((l) => l + "\n")
    .join("");
}
