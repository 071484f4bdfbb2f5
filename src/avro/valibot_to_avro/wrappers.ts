/** `v.optional`, `v.nullable`, `v.nullish`, `v.exact_optional`: a union with null, or the type itself. */
import type { AvroSchema } from "../to_avro_schema.ts";
import type { Context } from "./context.ts";
import { keepNormalizer } from "./absent_nulls.ts";
import { convert } from "./convert.ts";
import { convertible, type Wrapper } from "./schema_types.ts";

/** Whether the wrapper has a default other than null or undefined. */
export function hasDefault(schema: Wrapper): boolean {
  return schema.default !== undefined && schema.default !== null;
}

/**
 * `["null", T]` (a union's branches flattened in); an optional with a default
 * is `T` itself, since a value always has one.
 */
export function wrapperType(
  schema: Wrapper,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  const wrapped = convertible(schema.wrapped);
  const inner = convert(wrapped, name, path, context);
  keepNormalizer(context, schema, wrapped);
  if (hasDefault(schema) && schema.type === "optional") return inner;
  const branches = Array.isArray(inner) ? inner : [inner];
  return ["null", ...branches.filter((branch) => branch !== "null")];
}
