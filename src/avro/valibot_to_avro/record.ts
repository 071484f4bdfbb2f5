/** Avro records from Valibot object schemas, their fields and the fields' defaults. */
import { SchemaError } from "../../errors.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import { defaultValue } from "../avro_default.ts";
import { avroOverrides, describe } from "./pipe.ts";
import { AVRO_NAME, type Context, fullName, recordName, uniqueName } from "./context.ts";
import { convert } from "./convert.ts";
import { forwardNormalizer, objectNormalizer } from "./absent_nulls.ts";
import { type Convertible, convertible, type ObjectLike, type Wrapper } from "./schema_types.ts";

const WRAPPERS = new Set(["optional", "nullable", "nullish", "exact_optional"]);

/**
 * A named record whose fields follow the object's key order; the same object
 * met again is a reference by name (by full name from another namespace).
 */
export function objectType(
  schema: ObjectLike & Convertible,
  name: string,
  path: string,
  context: Context,
): AvroSchema {
  const reused = context.named.get(schema);
  if (reused) return reused.namespace === context.namespace ? reused.name : fullName(reused);
  const namespace = (avroOverrides(schema)?.namespace as string | undefined) ?? context.namespace;
  const ownName = uniqueName(describe(schema, "title") ?? name, path, context, namespace);
  context.named.set(schema, { name: ownName, namespace });
  const normalizer = forwardNormalizer(context, schema); // fields may refer back to the record
  const inner = { ...context, namespace }; // its nested types inherit its namespace
  const doc = describe(schema, "description");
  const fields = Object.entries(schema.entries).map(([key, field]) => {
    const fieldPath = path ? `${path}.${key}` : key;
    if (!AVRO_NAME.test(key)) {
      throw new SchemaError(`field name "${key}" is not a valid Avro name`, { path: fieldPath });
    }
    return fieldSchema(key, convertible(field), fieldPath, inner);
  });
  normalizer.settle(objectNormalizer(context, schema));
  return {
    type: "record",
    name: ownName,
    ...(path === "" && inner.namespace ? { namespace: inner.namespace } : {}),
    ...(doc ? { doc } : {}),
    fields,
  };
}

function fieldSchema(key: string, field: Convertible, path: string, context: Context) {
  const type = convert(field, recordName(path), path, context);
  const wrapped = "wrapped" in field ? convertible(field.wrapped) : field;
  const doc = describe(field, "description") ?? describe(wrapped, "description");
  const result: Record<string, unknown> = { name: key, type };
  if (doc) result.doc = doc;
  if (WRAPPERS.has(field.type)) {
    const given = (field as Wrapper).default;
    result.default = given === undefined || given === null
      ? null
      : defaultValue(type, typeof given === "function" ? given() : given, path);
  }
  return result;
}
