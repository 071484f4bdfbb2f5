/** Avro arrays from `v.array`, Avro maps from `v.record` with string keys. */
import { SchemaError } from "../../errors.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import type { Context } from "./context.ts";
import { eachNormalizer } from "./absent_nulls.ts";
import { convert } from "./convert.ts";
import { type Convertible, convertible } from "./schema_types.ts";

type Of<T extends Convertible["type"]> = Extract<Convertible, { readonly type: T }>;

/** An array of its items' type. */
export function arrayType(
  schema: Of<"array">,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  const item = convertible(schema.item);
  const items = convert(item, name, `${path}.0`, context);
  eachNormalizer(context, schema, item, (value) => value as unknown[]);
  return { type: "array", items };
}

/** A map of its values' type; Avro map keys are strings. */
export function mapType(
  schema: Of<"record">,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  if (schema.key.type !== "string") {
    throw new SchemaError("a v.record() needs string keys to be an Avro map", { path });
  }
  const value = convertible(schema.value);
  const values = convert(value, name, `${path}.value`, context);
  eachNormalizer(context, schema, value, (map) => Object.values(map as object));
  return { type: "map", values };
}
