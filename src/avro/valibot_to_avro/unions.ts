/** Avro unions from `v.union` and `v.variant`; recursive records from `v.lazy`. */
import { SchemaError } from "../../errors.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import type { Context } from "./context.ts";
import { keepNormalizer, variantNormalizer } from "./absent_nulls.ts";
import { convert } from "./convert.ts";
import { type Convertible, convertible } from "./schema_types.ts";

type Of<T extends Convertible["type"]> = Extract<Convertible, { readonly type: T }>;

const OBJECTS = new Set(["object", "strict_object", "loose_object"]);

/** A union of its options' types; Avro unions cannot nest. */
export function unionType(
  schema: Of<"union"> | Of<"variant">,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  const branches = schema.options.map((option, i) => {
    const branch = convert(convertible(option), `${name}${i}`, path, context);
    if (Array.isArray(branch)) throw new SchemaError("a union cannot hold another union", { path });
    return branch;
  });
  if (schema.type === "variant") variantNormalizer(context, schema);
  return branches;
}

/**
 * Recursion: the getter returns a record already being converted, which is
 * then named, not expanded.
 */
export function lazyType(
  schema: Of<"lazy">,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  const inner = schema.getter(undefined);
  if (!OBJECTS.has(inner?.type ?? "")) {
    throw new SchemaError("v.lazy() maps only to an object (a recursive record)", { path });
  }
  const avro = convert(convertible(inner), name, path, context);
  keepNormalizer(context, schema, inner);
  return avro;
}
