/**
 * 64-bit Avro longs as exact bigints. avsc reads longs as JS numbers and
 * refuses those past 2^53; fields a model declares with `v.bigint()` read and
 * write through this type instead, over the whole signed 64-bit range.
 * `v.number()` fields keep avsc's number long, made exact up to 2^53 by
 * {@link installExactNumberLongs} and refusing (never rounding) beyond.
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

/**
 * A long that writes numbers and bigints alike, for writing with a registered
 * schema the model did not generate (`useLatestVersion`), where which longs
 * the model holds as bigints is not known.
 */
export const anyLong: avro.Type = avro.types.LongType.__with({
  fromBuffer: (bytes: Buffer) => bytes.readBigInt64LE(0),
  toBuffer: (value: number | bigint) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(BigInt(value), 0);
    return bytes;
  },
  fromJSON: (value: unknown) => BigInt(value as number | string),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) =>
    typeof value === "bigint" ? value >= MIN && value <= MAX : Number.isSafeInteger(value),
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/** avsc `typeHook` for such writers: every plain long is {@link anyLong}. */
export function anyLongHook(schema: unknown): avro.Type | undefined {
  const plain = schema === "long" ||
    (typeof schema === "object" && schema !== null &&
      (schema as Record<string, unknown>).type === "long" &&
      (schema as Record<string, unknown>).logicalType === undefined);
  return plain ? anyLong : undefined;
}

/** avsc `typeHook`: the exact long where the schema carries {@link EXACT_LONG}. */
export function exactLongHook(schema: unknown): avro.Type | undefined {
  const marked = typeof schema === "object" && schema !== null &&
    (schema as Record<string, unknown>)[EXACT_LONG] === true;
  return marked ? exactLong : undefined;
}

// avsc's varint code switches to float arithmetic past 2^30; a zigzag value past 2^53 then loses
// its low bit, which is the sign: -(2^52 + 1) would travel as 2^52. Below this bound it is exact.
const FLOAT_EXACT = 2 ** 52;

interface Tap {
  buf: Uint8Array;
  pos: number;
  readLong(): number;
  writeLong(n: number): void;
}

interface LongPrototype {
  _read(tap: Tap): number;
  _write(tap: Tap, value: unknown): void;
  _check(value: unknown, flags: unknown, hook?: (value: unknown, type: unknown) => void): boolean;
}

function readZigzag(tap: Tap): bigint {
  let zigzag = 0n;
  let shift = 0n;
  let byte: number;
  do {
    byte = tap.buf[tap.pos++] ?? 0;
    zigzag |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80 && shift < 70n);
  return zigzag & 1n ? -(zigzag >> 1n) - 1n : zigzag >> 1n;
}

function writeZigzag(tap: Tap, value: bigint): void {
  let zigzag = value < 0n ? (-value << 1n) - 1n : value << 1n;
  do {
    const low = Number(zigzag & 0x7fn);
    zigzag >>= 7n;
    tap.buf[tap.pos++] = zigzag ? low | 0x80 : low; // past the end is ignored; avsc resizes and retries
  } while (zigzag);
}

let installed = false;

/**
 * Makes avsc's number long exact over the whole safe-integer range, once per
 * process: values within 2^52 keep avsc's fast path, larger ones are coded
 * through bigints, and a long past 2^53 is refused on read and write.
 */
export function installExactNumberLongs(types: typeof avro.types): void {
  if (installed) return;
  installed = true;
  const long = (types.LongType as unknown as { prototype: LongPrototype }).prototype;
  long._read = function (tap) {
    const start = tap.pos;
    const fast = tap.readLong();
    if (fast > -FLOAT_EXACT && fast < FLOAT_EXACT) return fast;
    tap.pos = start;
    const exact = readZigzag(tap);
    if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(
        `potential precision loss: the long ${exact} is beyond 2^53; declare the field v.bigint()`,
      );
    }
    return Number(exact);
  };
  long._write = function (tap, value) {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      throw new Error(`invalid "long": ${String(value)}`);
    }
    if (value > -FLOAT_EXACT && value < FLOAT_EXACT) tap.writeLong(value);
    else writeZigzag(tap, BigInt(value));
  };
  long._check = function (value, _flags, hook) {
    const valid = typeof value === "number" && Number.isSafeInteger(value);
    if (!valid && hook) hook(value, this);
    return valid;
  };
}
