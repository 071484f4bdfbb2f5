/** Avro enums from `v.picklist`, `v.enum` and string `v.literal` schemas. */
import { SchemaError } from "../../errors.ts";
import type { AvroMetadata, AvroSchema } from "../to_avro_schema.ts";
import { avroOverrides, describe } from "./pipe.ts";
import { AVRO_NAME, type Context, enumName, uniqueName } from "./context.ts";
import type { Convertible, Piped } from "./schema_types.ts";

type Of<T extends Convertible["type"]> = Extract<Convertible, { readonly type: T }>;

/** A named enum of `symbols`; each must be an Avro name. */
export function enumType(
  symbols: readonly unknown[],
  schema: Piped,
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
  const overrides: AvroMetadata | undefined = avroOverrides(schema);
  const namespace = (overrides?.namespace as string | undefined) ?? context.namespace;
  const name = uniqueName(describe(schema, "title") ?? enumName(path), path, context, namespace);
  const doc = describe(schema, "description");
  return { type: "enum", name, ...(doc ? { doc } : {}), symbols: [...new Set(symbols)] };
}

/** A string literal is a one-symbol enum; other literals have no Avro type. */
export function literalType(schema: Of<"literal">, path: string, context: Context): AvroSchema {
  if (typeof schema.literal === "string") return enumType([schema.literal], schema, path, context);
  throw new SchemaError("only string literals have an Avro type (a one-symbol enum)", { path });
}
