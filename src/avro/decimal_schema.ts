/**
 * The Avro type of a decimal field: `v.pipe(v.string(), v.metadata({ avro:
 * { logicalType: "decimal", precision, scale } }))` becomes `bytes` (or a
 * named `fixed`) with the decimal logical type, its parameters checked.
 */
import { SchemaError } from "../errors.ts";
import type { AvroMetadata, AvroSchema } from "./to_avro_schema.ts";

/** The decimal's Avro schema; bad parameters are a {@link SchemaError} naming the field. */
export function decimalSchema(
  valibotType: string,
  avro: AvroMetadata,
  path: string,
): AvroSchema {
  if (valibotType !== "string") {
    throw new SchemaError(
      `a decimal is a v.string() holding e.g. "12.34" (exact at any precision), not a v.${valibotType}()`,
      { path },
    );
  }
  const { precision, scale = 0 } = avro;
  if (
    !Number.isInteger(precision) || precision! < 1 || !Number.isInteger(scale) || scale < 0 ||
    scale > precision!
  ) {
    throw new SchemaError(
      `a decimal needs an integer precision >= 1 and 0 <= scale <= precision (got ${precision}, ${scale})`,
      { path },
    );
  }
  if (avro.type === "fixed" && (typeof avro.name !== "string" || !Number.isInteger(avro.size))) {
    throw new SchemaError("a fixed decimal needs a name and an integer size", { path });
  }
  const { name, ...rest } = avro;
  return avro.type === "fixed" ? { type: "fixed", name, ...rest } : { type: "bytes", ...rest };
}
