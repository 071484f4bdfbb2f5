/**
 * 64-bit Avro longs as exact bigints. avsc reads longs as JS numbers and
 * refuses those past 2^53; fields a model declares with `v.bigint()` read and
 * write through this type instead, over the whole signed 64-bit range.
 * `v.number()` fields keep avsc's number long, which refuses (never rounds)
 * values it cannot hold.
 */
import avro from "avsc";
import { Buffer } from "node:buffer";

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/** The schema attribute that marks a long the model holds as a bigint (never registered). */
export const EXACT_LONG = "flowodm.exactLong";

/** A signed 64-bit long held as a bigint; avsc hands it the 8 little-endian bytes. */
export const exactLong: avro.Type = avro.types.LongType.__with({
  fromBuffer: (bytes: Buffer) => bytes.readBigInt64LE(0),
  toBuffer: (value: bigint) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(value, 0);
    return bytes;
  },
  fromJSON: (value: unknown) => BigInt(value as number | string),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === "bigint" && value >= MIN && value <= MAX,
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/** avsc `typeHook`: the exact long where the schema carries {@link EXACT_LONG}. */
export function exactLongHook(schema: unknown): avro.Type | undefined {
  const marked = typeof schema === "object" && schema !== null &&
    (schema as Record<string, unknown>)[EXACT_LONG] === true;
  return marked ? exactLong : undefined;
}
