/**
 * One compiled avsc type per model, with reader/writer resolvers cached per
 * writer schema.
 *
 * @module
 */
import avro from "avsc";
import type { AvroSchema } from "./to_avro_schema.ts";

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
} as unknown as Record<string, new (...args: unknown[]) => avro.types.LogicalType>;

/** Encoder/decoder of one model's Avro schema. */
export interface AvroCodec {
  readonly type: avro.Type;
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array, writerSchema?: AvroSchema): unknown;
}

/** Compiles `schema` once; resolution from other writer schemas is cached. */
export function createAvroCodec(schema: AvroSchema): AvroCodec {
  const type = avro.Type.forSchema(schema as avro.Schema, { logicalTypes });
  const resolvers = new Map<string, ReturnType<avro.Type["createResolver"]>>();
  const resolver = (writer: AvroSchema) => {
    const key = JSON.stringify(writer);
    let found = resolvers.get(key);
    if (!found) {
      const writerType = avro.Type.forSchema(writer as avro.Schema, { logicalTypes });
      found = type.createResolver(writerType);
      resolvers.set(key, found);
    }
    return found;
  };
  return {
    type,
    encode: (value) => type.toBuffer(value),
    decode: (bytes, writer) => {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return writer === undefined
        ? type.fromBuffer(buffer)
        : type.fromBuffer(buffer, resolver(writer) as never);
    },
  };
}
