/**
 * One step of Valibot -> Avro: a schema's own Avro type (by the converter of
 * its `type`), then the `v.metadata({ avro })` overrides of its pipe merged
 * over it.
 */
import { SchemaError } from "../../errors.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import { decimalSchema } from "../decimal_schema.ts";
import { avroOverrides } from "./pipe.ts";
import type { Context } from "./context.ts";
import type { Convertible } from "./schema_types.ts";
import { bigintType, dateType, instanceType, numberType, stringType } from "./scalars.ts";
import { enumType, literalType } from "./enums.ts";
import { wrapperType } from "./wrappers.ts";
import { arrayType, mapType } from "./collections.ts";
import { objectType } from "./record.ts";
import { lazyType, unionType } from "./unions.ts";
import { withoutExactLongs } from "./exact_long_marks.ts";

const OBJECTS = new Set(["object", "strict_object", "loose_object"]);

/** The Avro schema of `schema`, met at `path` and named `name` when it is a named type. */
export function convert(
  schema: Convertible,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  const overrides = avroOverrides(schema);
  const base = convertType(schema, overrides?.name ?? name, path, context);
  if (!overrides) return base;
  // A record met again is a reference by name; its attributes are on its definition.
  if (typeof base === "string" && OBJECTS.has(schema.type)) return base;
  const { name: _, ...rest } = overrides;
  if (Object.keys(rest).length === 0) return base;
  if (rest.logicalType === "decimal") return decimalSchema(schema.type, overrides, path);
  if (typeof rest.type === "string" || Array.isArray(rest.type)) {
    if (rest.type === withoutExactLongs(base)) return base;
    // A fixed or enum given in full keeps its name.
    return (overrides.name ? { ...rest, name: overrides.name } : { ...rest }) as AvroSchema;
  }
  return typeof base === "string" ? { type: base, ...rest } : { ...(base as object), ...rest };
}

function convertType(
  schema: Convertible,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  switch (schema.type) {
    case "string":
      return stringType(schema);
    case "number":
      return numberType(schema);
    case "bigint":
      return bigintType();
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "date":
      return dateType();
    case "instance":
      return instanceType(schema, path);
    case "picklist":
    case "enum":
      return enumType(schema.options, schema, path, context);
    case "literal":
      return literalType(schema, path, context);
    case "optional":
    case "nullable":
    case "nullish":
    case "exact_optional":
      return wrapperType(schema, name, path, context);
    case "array":
      return arrayType(schema, name, path, context);
    case "record":
      return mapType(schema, name, path, context);
    case "object":
    case "strict_object":
    case "loose_object":
      return objectType(schema, name, path, context);
    case "union":
    case "variant":
      return unionType(schema, name, path, context);
    case "lazy":
      return lazyType(schema, name, path, context);
    default: {
      const type = (schema as { type: string }).type;
      throw new SchemaError(`v.${type}() has no Avro type`, { path: path || "(root)" });
    }
  }
}
