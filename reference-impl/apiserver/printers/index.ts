// Server-side Table printing for every served kind, and kubectl's plain-text layout of a Table.
export { printTable, groupKindOf, PRINTED_GROUP_KINDS, type PrintTableOptions } from "./table.ts";
export { renderTable, tabwriterLayout, type RenderOptions } from "./render.ts";
export {
  humanDuration,
  shortHumanDuration,
  translateTimestampSince,
  translateTimestampUntil,
} from "./duration.ts";
export { PrintError } from "./workloads.ts";
export type {
  IncludeObject,
  Table,
  TableCell,
  TableColumnDefinition,
  TableListMeta,
  TableRow,
  TableRowCondition,
} from "./types.ts";
