/**
 * The avsc options every model type is compiled with: logical types as model
 * values (timestamps as Dates, decimals as strings) and exact bigint longs.
 */
import avro from "avsc";
import { DecimalType } from "./decimal.ts";
import { anyLongHook, exactLongHook } from "./exact_long.ts";

// Dates travel as epoch numbers; avsc calls these per value in compiled code.
class TimestampMillis extends avro.types.LogicalType {
  override _fromValue(value: number): Date {
    return new Date(value);
  }
  override _toValue(value: unknown): number | undefined {
    return value instanceof Date ? value.getTime() : undefined;
  }
  override _resolve(type: avro.Type) {
    return resolveLong(type);
  }
}

class TimestampMicros extends avro.types.LogicalType {
  override _fromValue(value: number): Date {
    return new Date(Math.floor(value / 1000));
  }
  override _toValue(value: unknown): number | undefined {
    return value instanceof Date ? value.getTime() * 1000 : undefined;
  }
  override _resolve(type: avro.Type) {
    return resolveLong(type);
  }
}

// A reader reads another writer's long (or its own logical type) unchanged.
function resolveLong(type: avro.Type): ((value: unknown) => unknown) | undefined {
  const underlying = type instanceof avro.types.LogicalType ? type.underlyingType : type;
  return underlying.typeName === "long" ? (value) => value : undefined;
}

const logicalTypes = {
  "timestamp-millis": TimestampMillis,
  "timestamp-micros": TimestampMicros,
  decimal: DecimalType,
} as unknown as Record<string, new (...args: unknown[]) => avro.types.LogicalType>;

/** Compiles an Avro schema into the avsc type models read and write with. */
export function compileAvro(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { logicalTypes, typeHook: exactLongHook });
}

/**
 * Compiles a registered schema the model did not generate, for writing the
 * model's values with it: its longs take numbers and bigints alike.
 */
export function compileAvroWriter(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { logicalTypes, typeHook: anyLongHook });
}
