/**
 * Field defaults in Avro's JSON encoding: how a model's `v.optional(T, default)`
 * is written into its generated schema.
 */
import { SchemaError } from "../errors.ts";
import { decimalToBytes } from "./decimal.ts";
import type { AvroSchema } from "./to_avro_schema.ts";

/** Encodes a JS default as Avro's JSON default encoding for `type`. */
export function defaultValue(type: AvroSchema, value: unknown, path: string): unknown {
  const schema = Array.isArray(type) ? type[0] : type;
  const name = typeof schema === "string" ? schema : (schema as { type: string }).type;
  const logical = typeof schema === "object" && !Array.isArray(schema)
    ? (schema as { logicalType?: string }).logicalType
    : undefined;
  if (logical === "decimal") {
    // Avro writes a bytes default as text of one char per byte: the unscaled integer's bytes.
    const { precision, scale = 0, size } = schema as {
      precision: number;
      scale?: number;
      size?: number;
    };
    try {
      return String.fromCharCode(...decimalToBytes(value, { precision, scale, size }));
    } catch (cause) {
      throw new SchemaError(`bad decimal default: ${(cause as Error).message}`, { path, cause });
    }
  }
  if (value instanceof Date) {
    if (logical === "timestamp-micros") return value.getTime() * 1000;
    if (logical === "date") return Math.floor(value.getTime() / 86_400_000);
    if (logical === "time-millis") return value.getTime() % 86_400_000;
    return value.getTime();
  }
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new SchemaError("a bigint default beyond 2^53 cannot be written in JSON", { path });
    }
    return Number(value);
  }
  if (value instanceof Uint8Array) return String.fromCharCode(...value);
  if (name === "record" && typeof value === "object" && value !== null) return value;
  return value;
}
