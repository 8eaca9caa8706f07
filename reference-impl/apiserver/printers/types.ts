// meta.k8s.io/v1 Table (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go). kubernetes-types
// has no Table (it is not in the OpenAPI document), so the shapes are declared here. Field order and
// presence follow Go's JSON encoding: TableColumnDefinition has no omitempty fields; `rows` and
// `columnDefinitions` are encoded as null when Go leaves the slice nil.

export interface TableColumnDefinition {
  readonly name: string;
  /** An OpenAPI type: "string", "integer", "number", "boolean", "date". */
  readonly type: string;
  /** An OpenAPI format; "name" marks the column holding the object's name. */
  readonly format: string;
  readonly description: string;
  /** 0 = always shown; 1 = shown by kubectl only with -o wide. */
  readonly priority: number;
}

/** metav1.TableRowCondition; upstream only uses type "Completed". */
export interface TableRowCondition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly reason?: string;
  readonly message?: string;
}

/** A cell: Go printers emit strings, int64 (numbers), bools; nil becomes null. */
export type TableCell = string | number | boolean | null;

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** The object, a PartialObjectMetadata, or null (includeObject=None), per TableOptions. */
  object: unknown;
}

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: "Table";
  apiVersion: string;
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[] | null;
}

/** metav1.IncludeObjectPolicy; upstream defaults an empty value to Metadata. */
export type IncludeObject = "None" | "Object" | "Metadata";

/** What a per-kind print function returns for one object (upstream's []metav1.TableRow of one). */
export interface PrintedRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

/** printers.GenerateOptions, plus the clock reading that upstream takes from time.Now(). */
export interface GenerateOptions {
  readonly wide: boolean;
  readonly nowMs: number;
}

/** A per-kind print function; `obj` is a served object as JSON (validated by the API server). */
export type PrintFunc = (obj: never, options: GenerateOptions) => PrintedRow;

/** The metadata every served object carries (a subset of metav1.ObjectMeta). */
export interface ObjectWithMeta {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly creationTimestamp?: string | null;
    readonly deletionTimestamp?: string | null;
    readonly labels?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
}
