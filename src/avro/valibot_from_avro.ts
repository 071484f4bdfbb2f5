/**
 * Avro -> Valibot: the reverse of {@link toAvroSchema}, so a schema read from
 * the registry becomes a model whose values round-trip.
 *
 * @module
 */
import * as v from "valibot";
import { SchemaError } from "../errors.ts";
import type { AvroSchema } from "./to_avro_schema.ts";
import { extraAttributes, withActions } from "./avro_attributes.ts";
import { avroDefaultValue } from "./avro_default_value.ts";
import { bigintLong, isNanoLong } from "./nano_longs.ts";
import { type Call, call, entries, evaluate, list } from "./valibot_expression.ts";

type AvroObject = { readonly [key: string]: unknown };

interface Walk {
  readonly namespace?: string;
  /** Named types by full name: the finished expression, or undefined while being built. */
  readonly named: Map<string, Call | undefined>;
  readonly records: Map<string, Call>;
}

const INT32 = [-2147483648, 2147483647] as const;

/**
 * Builds the Valibot schema of an Avro schema at run time: records become
 * objects (their names kept as `v.title`, a namespace other than the
 * enclosing record's and attributes outside the Avro spec, such as Kafka
 * Connect's `connect.*`, as `v.metadata({ avro })`), `["null", T]` fields defaulting to
 * null become `v.optional(T)` (other `["null", T]` unions `v.nullable`),
 * fields with defaults become `v.optional(T, default)`, named and
 * recursive types are reused through `v.lazy`. An Avro type with no Valibot
 * form throws a {@link SchemaError}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { valibotFromAvro } from "./valibot_from_avro.ts";
 * const schema = valibotFromAvro({
 *   type: "record", name: "Order",
 *   fields: [{ name: "id", type: "string" }, { name: "qty", type: "int", default: 1 }],
 * });
 * console.log(v.parse(schema, { id: "o-1" })); // { id: "o-1", qty: 1 }
 * ```
 */
export function valibotFromAvro(avro: AvroSchema): v.GenericSchema {
  // deno-lint-ignore no-explicit-any
  return evaluate(valibotExpressionFromAvro(avro), v as any, new Map()) as v.GenericSchema;
}

/** The Valibot schema of an Avro schema, as an expression both back ends read. */
export function valibotExpressionFromAvro(avro: AvroSchema): Call {
  return walk(avro, { named: new Map(), records: new Map() }, "");
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes(".") || !namespace ? name : `${namespace}.${name}`;
}

function shortName(name: string): string {
  return name.split(".").at(-1)!;
}

function walk(schema: AvroSchema, context: Walk, path: string): Call {
  if (typeof schema === "string") return primitive(schema, context, path);
  if (Array.isArray(schema)) return union(schema, context, path);
  const node = schema as AvroObject;
  const built = walkNode(node, context, path);
  const extra = extraAttributes(node);
  // A record keeps its own (in its pipe, so a reference by name has them too).
  return extra && node.type !== "record" && node.type !== "error"
    ? withActions(built, avroMetadata(extra))
    : built;
}

function walkNode(node: AvroObject, context: Walk, path: string): Call {
  const logical = node.logicalType as string | undefined;
  if (logical) {
    const mapped = logicalType(node, logical, context);
    if (mapped) return mapped;
  }
  switch (node.type) {
    case "record":
    case "error":
      return record(node, context, path);
    case "enum":
      return named(node, context, () => {
        const symbols = node.symbols as string[];
        const title = call("title", shortName(String(node.name)));
        const ns = ownNamespace(node, context);
        return call("pipe", call("picklist", symbols), title, ...(ns ? [avroMetadata(ns)] : []));
      });
    case "fixed":
      return named(
        node,
        context,
        () =>
          call(
            "pipe",
            call("instance", Uint8Array),
            call("length", node.size),
            call("metadata", {
              avro: {
                type: "fixed",
                name: shortName(String(node.name)),
                ...ownNamespace(node, context),
                size: node.size,
              },
            }),
          ),
      );
    case "array":
      return call("array", walk(node.items as AvroSchema, context, `${path}.items`));
    case "map":
      return call("record", call("string"), walk(node.values as AvroSchema, context, path));
    default:
      return walk(node.type as AvroSchema, context, path);
  }
}

function primitive(name: string, context: Walk, path: string): Call {
  switch (name) {
    case "null":
      return call("null");
    case "boolean":
      return call("boolean");
    case "int":
      return call(
        "pipe",
        call("number"),
        call("integer"),
        call("minValue", INT32[0]),
        call("maxValue", INT32[1]),
      );
    case "long":
      return call("pipe", call("number"), call("integer"));
    case "float":
      return call("pipe", call("number"), call("metadata", { avro: { type: "float" } }));
    case "double":
      return call("number");
    case "bytes":
      return call("instance", Uint8Array);
    case "string":
      return call("string");
  }
  const key = context.named.has(name) ? name : fullName(name, context.namespace);
  if (!context.named.has(key)) {
    throw new SchemaError(`unknown Avro type "${name}"`, { path: path || undefined });
  }
  const finished = context.named.get(key);
  if (finished) return finished;
  const record = context.records.get(key)!;
  record.recursive = true;
  return call("lazy", { lazy: record.name! });
}

function logicalType(node: AvroObject, logical: string, context: Walk): Call | undefined {
  const metadata = (avro: object) => call("metadata", { avro });
  switch (logical) {
    case "uuid":
      return node.type === "string" ? call("pipe", call("string"), call("uuid")) : undefined;
    case "timestamp-millis":
      return node.type === "long" ? call("date") : undefined;
    case "timestamp-micros":
    case "date":
    case "time-millis":
      return ["long", "int"].includes(String(node.type))
        ? call("pipe", call("date"), metadata({ logicalType: logical }))
        : undefined;
    case "decimal":
      // Decimal strings such as "12.34": exact at any precision (see decimal.ts).
      return call(
        "pipe",
        call("string"),
        metadata({
          type: node.type,
          ...(node.type === "fixed"
            ? {
              name: shortName(String(node.name)),
              ...ownNamespace(node, context),
              size: node.size,
            }
            : {}),
          logicalType: "decimal",
          precision: node.precision,
          scale: node.scale ?? 0,
        }),
      );
  }
  return undefined; // unknown logical types fall back to their underlying type, as the spec says
}

/**
 * The namespace of a named type when it differs from the one it inherits, as
 * `{ namespace }`: the Avro written back from the model must name it the same
 * (a reader's record resolves a writer's only by full name), and a nested type
 * written without a namespace inherits its parent's.
 */
function ownNamespace(node: AvroObject, context: Walk): { namespace?: string } {
  const name = String(node.name);
  const namespace = name.includes(".")
    ? name.slice(0, name.lastIndexOf("."))
    : (node.namespace as string | undefined) ?? context.namespace;
  return namespace && namespace !== context.namespace ? { namespace } : {};
}

function avroMetadata(avro: object): Call {
  return call("metadata", { avro });
}

function named(node: AvroObject, context: Walk, build: () => Call): Call {
  const name = fullName(String(node.name), (node.namespace as string) ?? context.namespace);
  const built = build();
  context.named.set(name, built);
  return built;
}

function record(node: AvroObject, context: Walk, path: string): Call {
  const name = fullName(String(node.name), (node.namespace as string) ?? context.namespace);
  const namespace = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : undefined;
  // The root's namespace is the model's (its settings); nested ones travel as metadata.
  const own = path === "" ? {} : ownNamespace(node, context);
  const inner: Walk = { ...context, namespace };
  const fields: Record<string, Call> = {};
  // Reserve the name first: a field may refer to the record it is in.
  const placeholder: Call = { fn: "pipe", args: [], name: schemaName(shortName(name), context) };
  context.named.set(name, undefined);
  context.records.set(name, placeholder);
  for (const field of (node.fields as AvroObject[]) ?? []) {
    const fieldPath = path ? `${path}.${field.name}` : String(field.name);
    // ["null", T] with default null is what v.optional(T) writes: an absent
    // value travels as null and comes back absent, so it reads back as that.
    const optional = isNullUnion(field.type) && field.default === null;
    const type = optional ? withoutNull(field.type as AvroSchema[]) : field.type as AvroSchema;
    let schema = isNanoLong(String(field.name), type)
      ? bigintLong(type)
      : walk(type, inner, fieldPath);
    if (field.doc) schema = call("pipe", schema, call("description", field.doc));
    if (optional) schema = call("optional", schema);
    else if ("default" in field) {
      schema = call("optional", schema, avroDefaultValue(field.default, field.type as AvroSchema));
    }
    fields[String(field.name)] = schema;
  }
  const pipe = [call("object", entries(fields)), call("title", shortName(name))];
  if (node.doc) pipe.push(call("description", node.doc));
  const extra = extraAttributes(node);
  if (own.namespace || extra) pipe.push(avroMetadata({ ...own, ...extra }));
  const finished: Call = {
    fn: "pipe",
    args: pipe.map((c) => ({ call: c })),
    name: placeholder.name,
    recursive: placeholder.recursive,
  };
  // Lazy references captured the placeholder's name; they resolve to this.
  Object.assign(placeholder, finished);
  context.named.set(name, placeholder);
  return placeholder;
}

/** The record's name among the schemas (and generated constants): unique across namespaces. */
function schemaName(short: string, context: Walk): string {
  const taken = new Set([...context.records.values()].map((record) => record.name));
  let candidate = short;
  for (let i = 2; taken.has(candidate); i++) candidate = `${short}${i}`;
  return candidate;
}

function isNullUnion(type: unknown): boolean {
  return Array.isArray(type) && type.includes("null");
}

function withoutNull(branches: readonly AvroSchema[]): AvroSchema {
  const others = branches.filter((b) => b !== "null");
  return others.length === 1 ? others[0] : others;
}

function union(branches: readonly AvroSchema[], context: Walk, path: string): Call {
  const others = branches.filter((b) => b !== "null");
  const options = others.map((b) => walk(b, context, path));
  if (others.length < branches.length && branches[0] !== "null") {
    // [T, "null"]: kept in order, as a union's default is of its first branch.
    return call(
      "union",
      list(branches.map((b) => b === "null" ? call("null") : walk(b, context, path))),
    );
  }
  const inner = options.length === 1 ? options[0] : call("union", list(options));
  return others.length < branches.length ? call("nullable", inner) : inner;
}
