/**
 * Avro decimals as model values: decimal strings such as `"-123.45"`. A string
 * is exact at any precision (a JS number is not past 15 digits) and is what
 * JSON, databases and Python's `Decimal` print, so values cross systems as
 * they are. On the wire a decimal is the two's-complement big-endian unscaled
 * integer (`-12345` for `"-123.45"` at scale 2), in `bytes` or in a `fixed`.
 */
import avro from "avsc";
import { Buffer } from "node:buffer";

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Precision, scale and (for `fixed`) size of one decimal type. */
export interface DecimalShape {
  readonly precision: number;
  readonly scale: number;
  /** Byte size of a `fixed` decimal; undefined for `bytes`. */
  readonly size?: number;
}

/** The unscaled big-endian two's-complement bytes of a decimal string, or a clear Error. */
export function decimalToBytes(text: unknown, shape: DecimalShape): Uint8Array {
  const match = typeof text === "string" ? DECIMAL_TEXT.exec(text) : null;
  if (!match) {
    throw new Error(
      `${
        JSON.stringify(text)
      } is not a decimal string (digits with an optional "." and sign, e.g. "12.34")`,
    );
  }
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > shape.scale) {
    throw new Error(
      `decimal "${text}" has ${fraction.length} digits after the point; the schema's scale is ${shape.scale} (round it first)`,
    );
  }
  const digits = (whole + fraction.padEnd(shape.scale, "0")).replace(/^0+(?=\d)/, "");
  if (digits !== "0" && digits.length > shape.precision) {
    throw new Error(
      `decimal "${text}" has ${digits.length} significant digits; the schema's precision is ${shape.precision}`,
    );
  }
  if (sign === "-" && /^0+$/.test(digits)) {
    // Python's Decimal keeps a negative zero's sign, but Avro's decimal is an
    // integer, which has none: "-0.00" would be read back (here, by fastavro,
    // by Java) as "0.00". Refused rather than changed, as other lossy values are.
    throw new Error(
      `decimal "${text}" is a negative zero, which an Avro decimal cannot carry (it would be read as ` +
        `"${shape.scale ? `0.${"0".repeat(shape.scale)}` : "0"}"); write it without the sign`,
    );
  }
  const unscaled = BigInt(digits) * (sign === "-" ? -1n : 1n);
  return twosComplement(unscaled, shape.size, text as string);
}

/** The decimal string (exactly `scale` digits after the point) of unscaled bytes. */
export function decimalFromBytes(bytes: Uint8Array, shape: DecimalShape): string {
  // A precision-p decimal needs at most this many bytes; longer input is not one (and stays cheap).
  if (bytes.length > maxBytes(shape.precision) && shape.size === undefined) {
    throw new Error(
      `${bytes.length} bytes are too many for a decimal of precision ${shape.precision}`,
    );
  }
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && bytes[0] >= 0x80) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (digits !== "0" && digits.length > shape.precision) {
    throw new Error(
      `the decimal read has ${digits.length} digits; the schema's precision is ${shape.precision}`,
    );
  }
  const padded = digits.padStart(shape.scale + 1, "0");
  const point = padded.length - shape.scale;
  const text = shape.scale === 0 ? padded : `${padded.slice(0, point)}.${padded.slice(point)}`;
  return negative ? `-${text}` : text;
}

function maxBytes(precision: number): number {
  return Math.ceil((precision * Math.log2(10) + 1) / 8);
}

function twosComplement(value: bigint, size: number | undefined, text: string): Uint8Array {
  let length = 1;
  while (value < -(1n << BigInt(length * 8 - 1)) || value >= 1n << BigInt(length * 8 - 1)) {
    length++;
  }
  if (size !== undefined && length > size) {
    throw new Error(`decimal "${text}" does not fit in the schema's fixed size of ${size} bytes`);
  }
  const out = new Uint8Array(size ?? length);
  let rest = value < 0n ? (1n << BigInt(out.length * 8)) + value : value;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** avsc's `decimal` logical type over `bytes` or `fixed`, with decimal strings as values. */
export class DecimalType extends avro.types.LogicalType {
  readonly #shape: DecimalShape;

  constructor(schema: { precision?: number; scale?: number }, options?: avro.ForSchemaOptions) {
    super(schema as avro.Schema, options);
    const underlying = this.underlyingType as unknown as { typeName: string; size?: number };
    const precision = schema.precision;
    const scale = schema.scale ?? 0;
    if (!Number.isInteger(precision) || precision! < 1 || scale < 0 || scale > precision!) {
      throw new Error(
        `a decimal needs an integer precision >= 1 and 0 <= scale <= precision (got ${precision}, ${scale})`,
      );
    }
    this.#shape = {
      precision: precision!,
      scale,
      size: underlying.typeName === "fixed" ? underlying.size : undefined,
    };
  }

  override _fromValue(value: Uint8Array): string {
    return decimalFromBytes(value, this.#shape);
  }

  override _toValue(value: unknown): Buffer {
    const bytes = decimalToBytes(value, this.#shape);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  override _resolve(type: avro.Type) {
    // Avro's rule: a writer's decimal reads as ours when the scale matches.
    if (type instanceof DecimalType) {
      const same = type.#shape.scale === this.#shape.scale &&
        type.#shape.precision <= this.#shape.precision;
      return same ? (value: unknown) => value : undefined;
    }
    // Undecorated bytes (or the same fixed) hold the unscaled integer already.
    const writer = type as unknown as { typeName: string; size?: number };
    const underlying = this.underlyingType as unknown as { typeName: string; size?: number };
    if (writer.typeName === underlying.typeName && writer.size === underlying.size) {
      return (value: Uint8Array) => this._fromValue(value);
    }
    return undefined;
  }
}
