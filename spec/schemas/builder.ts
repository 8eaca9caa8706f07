// Typed JSON Schema builders. A file format is written once as TypeScript interfaces, and beside each
// interface a builder call that the compiler checks against it: `object<NodeSpec>({...})` must list
// every field of NodeSpec with a schema of exactly that field's type (optional fields through
// `optional(...)`), so the interfaces and the generated JSON Schema cannot drift apart. The builders
// also carry the `description`s editors show (yaml-language-server reads the generated schema).
//
// Output is JSON Schema draft-07, the draft editors support best. Named definitions (`named`) become
// `definitions` entries; a recursive type refers to itself through `lazy`.

/** A JSON value, as schema documents hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * A schema for values of type T. `T` is phantom and invariant (see `__type`), so a Schema<string>
 * is not accepted where a Schema<string | undefined> is expected and the other way round.
 */
export interface Schema<T> {
  readonly json: JsonObject;
  /** The field may be absent (only meaningful as an object property). */
  readonly isOptional: boolean;
  /** Named definitions this schema refers to, by name; thunks so recursion works. */
  readonly definitions: ReadonlyMap<string, () => Schema<unknown>>;
  readonly __type?: (value: T) => T;
}

/** The value type a schema describes. */
export type TypeOf<S> = S extends Schema<infer T> ? T : never;

type AnySchema = { readonly json: JsonObject; readonly definitions: ReadonlyMap<string, () => Schema<unknown>>; readonly isOptional: boolean };

/** The declared (non-index-signature) keys of T. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** One schema per declared field of T, of exactly that field's type. */
export type Properties<T> = { [K in KnownKeys<T>]-?: Schema<T[K]> };

/** Description plus the annotations every builder accepts. */
export interface Annotations {
  title?: string;
  /** Replaces the validator's message for any failure of this schema (the loaders honour it). */
  errorMessage?: string;
  examples?: Json[];
  default?: Json;
}

function make<T>(json: JsonObject, children: readonly AnySchema[] = []): Schema<T> {
  const definitions = new Map<string, () => Schema<unknown>>();
  for (const child of children) for (const [name, thunk] of child.definitions) definitions.set(name, thunk);
  return { json, isOptional: false, definitions };
}

function annotate(description: string, annotations: Annotations | undefined): JsonObject {
  const out: JsonObject = {};
  if (annotations?.title !== undefined) out.title = annotations.title;
  out.description = description;
  if (annotations?.errorMessage !== undefined) out.errorMessage = annotations.errorMessage;
  if (annotations?.examples !== undefined) out.examples = annotations.examples;
  if (annotations?.default !== undefined) out.default = annotations.default;
  return out;
}

export interface StringOptions extends Annotations {
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
}

export function string(description: string, options: StringOptions = {}): Schema<string> {
  const json: JsonObject = { type: "string", ...annotate(description, options) };
  if (options.pattern !== undefined) json.pattern = options.pattern;
  if (options.minLength !== undefined) json.minLength = options.minLength;
  if (options.maxLength !== undefined) json.maxLength = options.maxLength;
  if (options.format !== undefined) json.format = options.format;
  return make(json);
}

/** A string with a fixed set of values. */
export function enumeration<const V extends string>(values: readonly V[], description: string, annotations?: Annotations): Schema<V> {
  return make({ type: "string", enum: [...values], ...annotate(description, annotations) });
}

export function literal<const V extends string>(value: V, description: string): Schema<V> {
  return make({ type: "string", const: value, description });
}

export interface NumberOptions extends Annotations {
  minimum?: number;
  maximum?: number;
}

export function integer(description: string, options: NumberOptions = {}): Schema<number> {
  const json: JsonObject = { type: "integer", ...annotate(description, options) };
  if (options.minimum !== undefined) json.minimum = options.minimum;
  if (options.maximum !== undefined) json.maximum = options.maximum;
  return make(json);
}

export function number(description: string, options: NumberOptions = {}): Schema<number> {
  const json: JsonObject = { type: "number", ...annotate(description, options) };
  if (options.minimum !== undefined) json.minimum = options.minimum;
  if (options.maximum !== undefined) json.maximum = options.maximum;
  return make(json);
}

export function boolean(description: string, annotations?: Annotations): Schema<boolean> {
  return make({ type: "boolean", ...annotate(description, annotations) });
}

export function nullValue(description: string): Schema<null> {
  return make({ type: "null", description });
}

/** Any JSON value (inline Kubernetes objects, patches, variable values). */
export function unknownValue(description: string, annotations?: Annotations): Schema<unknown> {
  return make(annotate(description, annotations));
}

export interface ArrayOptions extends Annotations {
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export function array<T>(items: Schema<T>, description: string, options: ArrayOptions = {}): Schema<T[]> {
  const json: JsonObject = { type: "array", ...annotate(description, options), items: items.json };
  if (options.minItems !== undefined) json.minItems = options.minItems;
  if (options.maxItems !== undefined) json.maxItems = options.maxItems;
  if (options.uniqueItems === true) json.uniqueItems = true;
  return make(json, [items]);
}

export interface RecordOptions extends Annotations {
  /** Pattern every key must match. */
  keyPattern?: string;
  minProperties?: number;
}

/** An object used as a map from string keys to values of one type. */
export function record<V>(values: Schema<V>, description: string, options: RecordOptions = {}): Schema<Record<string, V>> {
  const json: JsonObject = { type: "object", ...annotate(description, options), additionalProperties: values.json };
  if (options.keyPattern !== undefined) json.propertyNames = { pattern: options.keyPattern };
  if (options.minProperties !== undefined) json.minProperties = options.minProperties;
  return make(json, [values]);
}

/** Marks an object property as optional; its type gains `undefined`. */
export function optional<T>(schema: Schema<T>): Schema<T | undefined> {
  return { json: schema.json, isOptional: true, definitions: schema.definitions };
}

/** Replaces the description (e.g. of a named type where a field uses it). */
export function describe<T>(schema: Schema<T>, description: string): Schema<T> {
  return { ...schema, json: { ...schema.json, description } };
}

export interface ObjectOptions<T> extends Annotations {
  /** Exactly one of these properties must be present (emitted as oneOf of `required`). */
  exactlyOne?: readonly (keyof T & string)[];
  /** At least one of these properties must be present (emitted as anyOf of `required`). */
  atLeastOne?: readonly (keyof T & string)[];
  /** `a: [b]` — property a is allowed only when b is present. */
  dependencies?: Partial<Record<keyof T & string, readonly (keyof T & string)[]>>;
  minProperties?: number;
}

function objectJson<T>(description: string, properties: Record<string, AnySchema>, options: ObjectOptions<T>): JsonObject {
  const json: JsonObject = { type: "object", ...annotate(description, options) };
  const props: JsonObject = {};
  const required: string[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    props[name] = schema.json;
    if (!schema.isOptional) required.push(name);
  }
  json.properties = props;
  if (required.length > 0) json.required = required;
  if (options.exactlyOne !== undefined) json.oneOf = options.exactlyOne.map((k) => ({ required: [k] }));
  if (options.atLeastOne !== undefined) json.anyOf = options.atLeastOne.map((k) => ({ required: [k] }));
  if (options.dependencies !== undefined) {
    const deps: JsonObject = {};
    for (const [k, v] of Object.entries(options.dependencies)) if (v !== undefined) deps[k] = [...(v as string[])];
    json.dependencies = deps;
  }
  if (options.minProperties !== undefined) json.minProperties = options.minProperties;
  return json;
}

/** A closed object: exactly the declared fields of T, no others. */
export function object<T>(description: string, properties: Properties<T>, options: ObjectOptions<T> = {}): Schema<T> {
  const props = properties as Record<string, AnySchema>;
  const json = objectJson(description, props, options);
  json.additionalProperties = false;
  return make(json, Object.values(props));
}

/** An open object: the declared fields of T plus any other field, each of the `rest` schema. */
export function openObject<T>(
  description: string,
  properties: Properties<T>,
  rest: Schema<unknown>,
  options: ObjectOptions<T> = {},
): Schema<T> {
  const props = properties as Record<string, AnySchema>;
  const json = objectJson(description, props, options);
  if (Object.keys(rest.json).some((k) => k !== "description")) json.additionalProperties = rest.json;
  return make(json, [...Object.values(props), rest]);
}

/** A value of one of several forms. An errorMessage is required: validators' own texts for anyOf are unreadable. */
export function anyOf<const S extends readonly AnySchema[]>(
  description: string,
  schemas: S,
  annotations: Annotations & { errorMessage: string },
): Schema<TypeOf<S[number]>> {
  return make({ ...annotate(description, annotations), anyOf: schemas.map((s) => s.json) }, schemas);
}

/** `if` the value has property `key`, it must match `then`, otherwise `otherwise`. */
export function ifHas<A, B>(key: string, then: Schema<A>, otherwise: Schema<B>, description: string): Schema<A | B> {
  return make({ description, if: { required: [key] }, then: then.json, else: otherwise.json }, [then, otherwise]);
}

/** The union of single-key objects: each value has exactly one of the `kinds` keys, plus common fields. */
export type Keyed<M, C, X = object> = {
  [K in keyof M]: C & { [P in K]: M[K] } & (K extends keyof X ? X[K] : unknown);
}[keyof M];

export function keyed<M, C, X = object>(
  description: string,
  kinds: Properties<M>,
  common: Properties<C>,
  /** Extra fields allowed only beside one kind, e.g. `catch` beside `try`. */
  extras: { [K in keyof X]: Properties<X[K]> },
  annotations?: Annotations,
): Schema<Keyed<M, C, X>> {
  const props: Record<string, AnySchema> = {};
  const kindNames = Object.keys(kinds as object);
  for (const [k, s] of Object.entries(common as Record<string, AnySchema>)) props[k] = { ...s, isOptional: true };
  for (const [k, s] of Object.entries(kinds as Record<string, AnySchema>)) props[k] = { ...s, isOptional: true };
  const dependencies: Record<string, string[]> = {};
  for (const [kind, fields] of Object.entries(extras as Record<string, Record<string, AnySchema>>)) {
    for (const [k, s] of Object.entries(fields)) {
      props[k] = { ...s, isOptional: true };
      dependencies[k] = [kind];
    }
  }
  const json = objectJson<Record<string, unknown>>(description, props, {
    ...annotations,
    exactlyOne: kindNames,
    ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}),
  });
  json.additionalProperties = false;
  return make(json, Object.values(props));
}

/** A named type: emitted once under `definitions` and referred to by `$ref`. */
export function named<T>(name: string, schema: Schema<T>): Schema<T> {
  const thunk = () => schema as unknown as Schema<unknown>;
  const definitions = new Map(schema.definitions);
  definitions.set(name, thunk);
  return { json: refJson(name, schema.json.description), isOptional: false, definitions };
}

/** A reference to a named type defined later (for recursion); `get` must return a `named` schema's body. */
export function lazy<T>(name: string, description: string, get: () => Schema<T>): Schema<T> {
  const definitions = new Map<string, () => Schema<unknown>>([[name, () => get() as unknown as Schema<unknown>]]);
  return { json: refJson(name, description), isOptional: false, definitions };
}

function refJson(name: string, description: Json | undefined): JsonObject {
  const json: JsonObject = { $ref: `#/definitions/${name}` };
  if (typeof description === "string") json.description = description;
  return json;
}

export interface DocumentOptions {
  $id: string;
  title: string;
  description: string;
}

/** The whole schema document: the root schema inline, every named type it reaches under `definitions`, sorted by name. */
export function schemaDocument(root: AnySchema, options: DocumentOptions): JsonObject {
  const found = new Map<string, JsonObject>();
  const pending = [...root.definitions];
  while (pending.length > 0) {
    const [name, thunk] = pending.pop() as [string, () => Schema<unknown>];
    if (found.has(name)) continue;
    const schema = thunk();
    // A `named` schema's own thunk returns the body; a `lazy` one returns the `named` wrapper.
    const body = "$ref" in schema.json ? (schema.definitions.get(name)?.() ?? schema) : schema;
    found.set(name, body.json);
    for (const entry of body.definitions) if (!found.has(entry[0])) pending.push(entry);
  }
  const definitions: JsonObject = {};
  for (const name of [...found.keys()].sort()) definitions[name] = found.get(name) as JsonObject;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: options.$id,
    title: options.title,
    ...root.json,
    description: options.description,
    definitions,
  };
}

/** Stable text for committed schema files. */
export function renderSchema(document: JsonObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
