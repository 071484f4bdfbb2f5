/**
 * Valibot -> Avro: turns a model's Valibot schema into the Avro record schema
 * registered for it.
 *
 * @module
 */
import { SchemaError } from "../errors.ts";
import { EXACT_LONG } from "./exact_long.ts";
import { defaultValue } from "./avro_default.ts";
import { decimalSchema } from "./decimal_schema.ts";

/** An Avro schema as plain JSON (what the registry stores). */
export type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

/**
 * Avro overrides a field carries in Valibot metadata:
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * const createdAt = v.pipe(v.date(), v.metadata({ avro: { logicalType: "timestamp-micros" } }));
 * ```
 *
 * `v.metadata({ avro: { ... } })`. Keys merge over the generated schema of
 * that field, so they win. Common forms:
 *
 * - `{ logicalType: "timestamp-micros" }` (also `date`, `time-millis`) on a `v.date()`
 * - `{ logicalType: "decimal", precision: 10, scale: 2 }` on a `v.string()`: `bytes` by default
 *   (`type: "fixed", size` for a fixed); values are decimal strings such as `"12.34"`
 * - `{ name: "Money" }` names a nested record (`namespace: "fin"` puts it in another namespace),
 *   `{ type: "fixed", size: 16 }` replaces the type
 */
export interface AvroMetadata {
  /** Avro logical type, e.g. `timestamp-micros`, `date`, `decimal`. */
  readonly logicalType?: string;
  /** Total digits of a decimal. */
  readonly precision?: number;
  /** Digits after the point of a decimal. */
  readonly scale?: number;
  /** Name of the generated record or enum. */
  readonly name?: string;
  /** Namespace of a nested record, enum or fixed, when not its enclosing record's. */
  readonly namespace?: string;
  /** Any other Avro attribute, merged as given. */
  readonly [key: string]: unknown;
}

/** Options of {@link toAvroSchema}. */
export interface ToAvroSchemaOptions {
  /** Name of the top-level record. */
  readonly name: string;
  /** Avro namespace of the top-level record and its nested records. */
  readonly namespace?: string;
}

// Valibot 1.x schemas are plain objects; only the fields read here are typed.
interface Node {
  readonly type: string;
  readonly kind?: string;
  readonly pipe?: readonly Node[];
  readonly [key: string]: unknown;
}

interface Context {
  readonly namespace?: string;
  /** Mark `v.bigint()` longs for the exact long reader (the model's own avsc type only). */
  readonly exactLongs: boolean;
  readonly named: Map<object, { readonly name: string; readonly namespace?: string }>;
  readonly names: Set<string>;
}

const OBJECTS = new Set(["object", "strict_object", "loose_object"]);
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Generates the Avro record schema of an object Valibot schema. Field order
 * follows the object's key order; nested objects become named records reused
 * by name when they appear again. Input with no Avro type throws a
 * {@link SchemaError} naming the field path.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { toAvroSchema } from "@flowodm/flowodm";
 * const schema = v.object({
 *   id: v.pipe(v.string(), v.uuid()),
 *   at: v.pipe(v.date(), v.metadata({ avro: { logicalType: "timestamp-micros" } })),
 *   price: v.pipe(v.string(), v.metadata({ avro: { logicalType: "decimal", precision: 10, scale: 2 } })),
 * });
 * console.log(JSON.stringify(toAvroSchema(schema, { name: "Order", namespace: "shop" })));
 * ```
 */
export function toAvroSchema(schema: unknown, options: ToAvroSchemaOptions): AvroSchema {
  const root = schema as Node;
  if (root?.type !== "object" && root?.type !== "strict_object" && root?.type !== "loose_object") {
    throw new SchemaError(
      `a model schema must be a v.object(), got ${root?.type ?? typeof schema}`,
    );
  }
  const context: Context = {
    namespace: options.namespace,
    exactLongs: false,
    named: new Map(),
    names: new Set(),
  };
  return convert(root, options.name, "", context);
}

/**
 * The schema of {@link toAvroSchema} with `v.bigint()` longs marked, so the
 * model's avsc type holds them as exact bigints. For compiling only: the
 * registry always gets the unmarked schema.
 */
export function toAvroSchemaWithExactLongs(
  schema: unknown,
  options: ToAvroSchemaOptions,
): AvroSchema {
  toAvroSchema(schema, options); // the same checks and errors
  const context: Context = {
    namespace: options.namespace,
    exactLongs: true,
    named: new Map(),
    names: new Set(),
  };
  return convert(schema as Node, options.name, "", context);
}

function pipeItems(node: Node): readonly Node[] {
  return node.pipe?.slice(1) ?? [];
}

function action(node: Node, type: string): Node | undefined {
  return pipeItems(node).find((item) => item.type === type);
}

function avroOverrides(node: Node): AvroMetadata | undefined {
  let found: AvroMetadata | undefined;
  for (const item of pipeItems(node)) {
    const avro = (item.metadata as { avro?: AvroMetadata } | undefined)?.avro;
    if (item.type === "metadata" && avro) found = { ...found, ...avro };
  }
  return found;
}

function describe(node: Node, key: "title" | "description"): string | undefined {
  return action(node, key)?.[key] as string | undefined;
}

function recordName(path: string): string {
  const last = path.split(".").filter((part) => !/^\d+$/.test(part)).at(-1) ?? "Record";
  const name = last.replace(/[^A-Za-z0-9_]/g, "_");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function enumName(path: string): string {
  return path.split(".").map(recordName).join("") || "Enum";
}

function convert(node: Node, name: string, path: string, context: Context): AvroSchema {
  const overrides = avroOverrides(node);
  const base = convertType(node, overrides?.name ?? name, path, context);
  if (!overrides) return base;
  // A record met again is a reference by name; its attributes are on its definition.
  if (typeof base === "string" && OBJECTS.has(node.type)) return base;
  const { name: _, ...rest } = overrides;
  if (Object.keys(rest).length === 0) return base;
  if (rest.logicalType === "decimal") return decimalSchema(node.type, overrides, path);
  if (typeof rest.type === "string" || Array.isArray(rest.type)) {
    if (rest.type === base) return base;
    // A fixed or enum given in full keeps its name.
    return (overrides.name ? { ...rest, name: overrides.name } : { ...rest }) as AvroSchema;
  }
  return typeof base === "string" ? { type: base, ...rest } : { ...(base as object), ...rest };
}

function convertType(node: Node, name: string, path: string, context: Context): AvroSchema {
  switch (node.type) {
    case "string":
      return action(node, "uuid") ? { type: "string", logicalType: "uuid" } : "string";
    case "number":
      return numberType(node);
    case "bigint":
      return context.exactLongs ? { type: "long", [EXACT_LONG]: true } : "long";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "date":
      return { type: "long", logicalType: "timestamp-millis" };
    case "instance":
      if (node.class === Uint8Array) return "bytes";
      throw new SchemaError("only v.instance(Uint8Array) has an Avro type (bytes)", { path });
    case "picklist":
      return enumType(node.options as unknown[], node, path, context);
    case "enum":
      return enumType(node.options as unknown[], node, path, context);
    case "literal":
      if (typeof node.literal === "string") return enumType([node.literal], node, path, context);
      throw new SchemaError("only string literals have an Avro type (a one-symbol enum)", { path });
    case "optional":
    case "nullable":
    case "nullish":
    case "exact_optional":
      return optionalType(node, name, path, context);
    case "array":
      return { type: "array", items: convert(node.item as Node, name, `${path}.0`, context) };
    case "record":
      if ((node.key as Node).type !== "string") {
        throw new SchemaError("a v.record() needs string keys to be an Avro map", { path });
      }
      return { type: "map", values: convert(node.value as Node, name, `${path}.value`, context) };
    case "object":
    case "strict_object":
    case "loose_object":
      return recordType(node, name, path, context);
    case "union":
    case "variant":
      return (node.options as Node[]).map((option, i) => {
        const branch = convert(option, `${name}${i}`, path, context);
        if (Array.isArray(branch)) {
          throw new SchemaError("a union cannot hold another union", { path });
        }
        return branch;
      });
    case "lazy": {
      // Recursion: the getter returns a record already being converted, which is then named, not expanded.
      const inner = (node.getter as (input: unknown) => Node)(undefined);
      if (
        inner?.type !== "object" && inner?.type !== "strict_object" &&
        inner?.type !== "loose_object"
      ) {
        throw new SchemaError("v.lazy() maps only to an object (a recursive record)", { path });
      }
      return convert(inner, name, path, context);
    }
    default:
      throw new SchemaError(`v.${node.type}() has no Avro type`, { path: path || "(root)" });
  }
}

function numberType(node: Node): AvroSchema {
  if (!action(node, "integer") && !action(node, "safe_integer")) return "double";
  const min = action(node, "min_value")?.requirement;
  const max = action(node, "max_value")?.requirement;
  const fits = typeof min === "number" && typeof max === "number" && min >= INT32_MIN &&
    max <= INT32_MAX;
  return fits ? "int" : "long";
}

function enumType(
  symbols: readonly unknown[],
  node: Node,
  path: string,
  context: Context,
): AvroSchema {
  for (const symbol of symbols) {
    if (typeof symbol !== "string" || !AVRO_NAME.test(symbol)) {
      throw new SchemaError(
        `enum symbol ${JSON.stringify(symbol)} is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*)`,
        { path },
      );
    }
  }
  const namespace = (avroOverrides(node)?.namespace as string | undefined) ?? context.namespace;
  const name = uniqueName(describe(node, "title") ?? enumName(path), path, context, namespace);
  const doc = describe(node, "description");
  return { type: "enum", name, ...(doc ? { doc } : {}), symbols: [...new Set(symbols)] };
}

function uniqueName(name: string, path: string, context: Context, namespace?: string): string {
  if (!AVRO_NAME.test(name)) throw new SchemaError(`"${name}" is not a valid Avro name`, { path });
  // Names are unique per namespace: Debezium's Value records of two tables may meet.
  const full = (short: string) => namespace ? `${namespace}.${short}` : short;
  let candidate = name;
  for (let i = 2; context.names.has(full(candidate)); i++) candidate = `${name}${i}`;
  context.names.add(full(candidate));
  return candidate;
}

function fullName(named: { readonly name: string; readonly namespace?: string }): string {
  return named.namespace ? `${named.namespace}.${named.name}` : named.name;
}

function recordType(node: Node, name: string, path: string, context: Context): AvroSchema {
  const reused = context.named.get(node);
  // Met again: a reference, by its full name where the namespace here is another.
  if (reused) return reused.namespace === context.namespace ? reused.name : fullName(reused);
  const namespace = (avroOverrides(node)?.namespace as string | undefined) ?? context.namespace;
  const recordName = uniqueName(describe(node, "title") ?? name, path, context, namespace);
  context.named.set(node, { name: recordName, namespace });
  context = { ...context, namespace }; // its nested types inherit its namespace
  const doc = describe(node, "description");
  const entries = node.entries as Record<string, Node>;
  const fields = Object.entries(entries).map(([key, field]) => {
    const fieldPath = path ? `${path}.${key}` : key;
    if (!AVRO_NAME.test(key)) {
      throw new SchemaError(`field name "${key}" is not a valid Avro name`, { path: fieldPath });
    }
    return fieldSchema(key, field, fieldPath, context);
  });
  return {
    type: "record",
    name: recordName,
    ...(path === "" && context.namespace ? { namespace: context.namespace } : {}),
    ...(doc ? { doc } : {}),
    fields,
  };
}

function fieldSchema(key: string, field: Node, path: string, context: Context) {
  const type = convert(field, recordName(path), path, context);
  const doc = describe(field, "description") ?? describe(unwrap(field), "description");
  const result: Record<string, unknown> = { name: key, type };
  if (doc) result.doc = doc;
  const wrapper = ["optional", "nullable", "nullish", "exact_optional"].includes(field.type);
  if (wrapper) {
    if (field.default === undefined || field.default === null) result.default = null;
    else result.default = defaultValue(type, resolveDefault(field.default), path);
  }
  return result;
}

function unwrap(node: Node): Node {
  return (node.wrapped as Node | undefined) ?? node;
}

function resolveDefault(value: unknown): unknown {
  return typeof value === "function" ? value() : value;
}

function optionalType(node: Node, name: string, path: string, context: Context): AvroSchema {
  const inner = convert(node.wrapped as Node, name, path, context);
  const hasDefault = node.default !== undefined && node.default !== null;
  if (hasDefault && node.type === "optional") return inner;
  const branches = Array.isArray(inner) ? inner : [inner];
  return ["null", ...branches.filter((branch) => branch !== "null")];
}
