/**
 * Avro -> model values of field defaults: the reverse of avro_default.ts, for
 * models made from Avro schemas.
 */
import { SchemaError } from "../errors.ts";
import { decimalFromBytes } from "./decimal.ts";
import type { AvroSchema } from "./to_avro_schema.ts";

type AvroObject = { readonly [key: string]: unknown };

/** Reads an Avro JSON default as the model's value (bytes as ISO-8859-1 text, timestamps as Dates). */
export function avroDefaultValue(value: unknown, type: AvroSchema): unknown {
  const node = typeof type === "object" && !Array.isArray(type) ? type as AvroObject : undefined;
  const base = Array.isArray(type) ? type[0] : node ? node.type : type;
  if ((base === "bytes" || base === "fixed") && typeof value === "string") {
    const bytes = Uint8Array.from(value, (c) => c.charCodeAt(0));
    if (!node?.logicalType) return bytes;
    if (node.logicalType === "decimal") {
      const precision = node.precision as number;
      const scale = (node.scale as number | undefined) ?? 0;
      try {
        return decimalFromBytes(bytes, { precision, scale, size: node.size as number | undefined });
      } catch (cause) {
        throw new SchemaError(`bad decimal default: ${(cause as Error).message}`, { cause });
      }
    }
  }
  if (node?.logicalType === "timestamp-millis" && typeof value === "number") return new Date(value);
  if (Array.isArray(type) && value !== null) return avroDefaultValue(value, type[0]);
  return value;
}
