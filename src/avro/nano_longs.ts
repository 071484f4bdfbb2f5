/**
 * Longs of nanoseconds (Debezium's `ts_ns`, `io.debezium.time.Nano*`) in
 * models made from Avro schemas: held as exact bigints.
 */
import { extraAttributes } from "./avro_attributes.ts";
import type { AvroSchema } from "./to_avro_schema.ts";
import { type Call, call } from "./valibot_expression.ts";

type AvroObject = { readonly [key: string]: unknown };

/**
 * Longs of nanoseconds since the epoch are past 2^53 (Debezium's `ts_ns`,
 * `io.debezium.time.Nano*`), so the model holds them as exact bigints.
 */
export function isNanoLong(field: string, type: AvroSchema): boolean {
  const node = typeof type === "object" && !Array.isArray(type) ? type as AvroObject : undefined;
  if ((node?.type ?? type) !== "long" || node?.logicalType) return false;
  const connectName = String(node?.["connect.name"] ?? "");
  return /_ns$/.test(field) || connectName.startsWith("io.debezium.time.Nano");
}

/** `v.bigint()`, keeping the long's attributes outside the Avro spec. */
export function bigintLong(type: AvroSchema): Call {
  const extra = typeof type === "object" ? extraAttributes(type as AvroObject) : undefined;
  return extra ? call("pipe", call("bigint"), call("metadata", { avro: extra })) : call("bigint");
}
