// Patch metadata: what strategic merge patch, server-side apply and list-type validation need to know
// about the fields of every served kind — the OpenAPI extensions x-kubernetes-patch-strategy,
// x-kubernetes-patch-merge-key, x-kubernetes-list-type, x-kubernetes-list-map-keys and
// x-kubernetes-map-type (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy),
// plus the shape of each field. The data is generated from upstream's OpenAPI document into
// metadata.generated.ts (see gen/extract-patch-metadata.ts); this module defines its types and a
// walker over it.
import { kinds as generatedKinds, types as generatedTypes } from "./metadata.generated.ts";

/** JSON scalars as OpenAPI types them; "object" is an opaque, free-form JSON object. */
export type ScalarType = "string" | "integer" | "number" | "boolean" | "int-or-string" | "object";
export type PatchStrategy = "merge" | "retainKeys" | "merge,retainKeys" | "replace";
export type ListType = "atomic" | "set" | "map";
export type MapType = "atomic" | "granular";

/** A reference to a named type, with the extensions its field carries. */
export interface RefMetadata {
  readonly type: string;
  readonly patchStrategy?: PatchStrategy;
  readonly mapType?: MapType;
}

export interface ListMetadata {
  readonly list: ValueMetadata;
  readonly patchStrategy?: PatchStrategy;
  readonly patchMergeKey?: string;
  readonly listType?: ListType;
  readonly listMapKeys?: readonly string[];
}

/** A string-keyed map (OpenAPI additionalProperties), e.g. labels or resource quantities. */
export interface MapMetadata {
  readonly map: ValueMetadata;
  readonly mapType?: MapType;
  readonly patchStrategy?: PatchStrategy;
}

/** A field's value: a scalar keyword, the name of a type in the table, or a ref/list/map. */
export type ValueMetadata = ScalarType | string | RefMetadata | ListMetadata | MapMetadata;

export interface TypeMetadata {
  readonly fields: Readonly<Record<string, ValueMetadata>>;
  /** Type-level x-kubernetes-map-type, e.g. "atomic" for LabelSelector. */
  readonly mapType?: MapType;
  /** A type whose content is free-form JSON upstream (RawExtension, FieldsV1). */
  readonly opaque?: boolean;
}

export interface PatchMetadataTables {
  /** "<apiVersion>/<kind>" (e.g. "v1/Pod", "apps/v1/Deployment") → type name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, TypeMetadata>>;
}

export const patchMetadata: PatchMetadataTables = { kinds: generatedKinds, types: generatedTypes };

const scalarTypes: ReadonlySet<string> = new Set<ScalarType>([
  "string",
  "integer",
  "number",
  "boolean",
  "int-or-string",
  "object",
]);

export type SchemaKind = "struct" | "list" | "map" | "scalar";

/**
 * One node of a schema: the value of a field (or a list item, or a map value) with the metadata its
 * field declares. Walk with field(), items() and values().
 */
export class SchemaNode {
  readonly kind: SchemaKind;

  private constructor(
    private readonly tables: PatchMetadataTables,
    private readonly value: ValueMetadata,
  ) {
    if (typeof value === "string") this.kind = scalarTypes.has(value) ? "scalar" : "struct";
    else if ("list" in value) this.kind = "list";
    else if ("map" in value) this.kind = "map";
    else this.kind = "struct";
  }

  static of(tables: PatchMetadataTables, value: ValueMetadata): SchemaNode {
    return new SchemaNode(tables, value);
  }

  /** The full type name of a struct node, e.g. "io.k8s.api.core.v1.PodSpec". */
  get typeName(): string | undefined {
    if (this.kind !== "struct") return undefined;
    return typeof this.value === "string" ? this.value : (this.value as RefMetadata).type;
  }

  /** A short name for messages: Go's type name for structs ("PodSpec"), else the kind. */
  get displayName(): string {
    const typeName = this.typeName;
    if (typeName !== undefined) return typeName.slice(typeName.lastIndexOf(".") + 1);
    return this.kind === "scalar" ? (this.value as string) : this.kind;
  }

  get scalarType(): ScalarType | undefined {
    return this.kind === "scalar" ? (this.value as ScalarType) : undefined;
  }

  /** True for a struct whose content is free-form upstream (RawExtension, FieldsV1). */
  get opaque(): boolean {
    return this.type()?.opaque === true;
  }

  get patchStrategy(): PatchStrategy | undefined {
    return typeof this.value === "string" ? undefined : this.value.patchStrategy;
  }

  /** x-kubernetes-patch-strategy split on commas, as upstream's lookup returns it. */
  get patchStrategies(): string[] {
    return this.patchStrategy === undefined ? [] : this.patchStrategy.split(",");
  }

  get patchMergeKey(): string | undefined {
    return this.kind === "list" ? (this.value as ListMetadata).patchMergeKey : undefined;
  }

  get listType(): ListType | undefined {
    return this.kind === "list" ? (this.value as ListMetadata).listType : undefined;
  }

  get listMapKeys(): readonly string[] | undefined {
    return this.kind === "list" ? (this.value as ListMetadata).listMapKeys : undefined;
  }

  /** The field's x-kubernetes-map-type, else the type's (structs and maps only). */
  get mapType(): MapType | undefined {
    if (this.kind === "map") return (this.value as MapMetadata).mapType;
    if (this.kind !== "struct") return undefined;
    return (typeof this.value === "string" ? undefined : (this.value as RefMetadata).mapType) ?? this.type()?.mapType;
  }

  /** The declared fields of a struct, in name order. */
  fieldNames(): string[] {
    return Object.keys(this.type()?.fields ?? {});
  }

  /** A struct's field, or undefined when the struct does not declare it (or this is not a struct). */
  field(name: string): SchemaNode | undefined {
    const fields = this.type()?.fields;
    if (fields === undefined || !Object.hasOwn(fields, name)) return undefined;
    return new SchemaNode(this.tables, fields[name] as ValueMetadata);
  }

  items(): SchemaNode | undefined {
    return this.kind === "list" ? new SchemaNode(this.tables, (this.value as ListMetadata).list) : undefined;
  }

  values(): SchemaNode | undefined {
    return this.kind === "map" ? new SchemaNode(this.tables, (this.value as MapMetadata).map) : undefined;
  }

  private type(): TypeMetadata | undefined {
    const typeName = this.typeName;
    if (typeName === undefined) return undefined;
    const type = this.tables.types[typeName];
    if (type === undefined) throw new Error(`patch metadata: type ${typeName} is referenced but not defined`);
    return type;
  }
}

/** The schema of a named type, e.g. typeSchema("io.k8s.api.core.v1.PodSpec"). */
export function typeSchema(typeName: string, tables: PatchMetadataTables = patchMetadata): SchemaNode | undefined {
  return Object.hasOwn(tables.types, typeName) ? SchemaNode.of(tables, typeName) : undefined;
}

/** The schema of a served kind, e.g. schemaFor("apps/v1", "Deployment"); undefined if not served. */
export function schemaFor(
  apiVersion: string,
  kind: string,
  tables: PatchMetadataTables = patchMetadata,
): SchemaNode | undefined {
  const key = `${apiVersion}/${kind}`;
  const typeName = Object.hasOwn(tables.kinds, key) ? tables.kinds[key] : undefined;
  return typeName === undefined ? undefined : typeSchema(typeName, tables);
}

/** The "<apiVersion>/<kind>" keys of every kind with metadata. */
export function servedKinds(tables: PatchMetadataTables = patchMetadata): string[] {
  return Object.keys(tables.kinds);
}
