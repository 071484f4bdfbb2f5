/**
 * Avro's zigzag varints, written as avsc writes them (always the shortest
 * encoding): small values with integer arithmetic, up to 2^52 with exact
 * float arithmetic, beyond that through bigints.
 */
import type { Write } from "./writer_types.ts";
import { invalid } from "./writer_types.ts";

// Below this magnitude doubled values stay exact doubles (avsc's own bound, see exact_long.ts).
const FLOAT_EXACT = 2 ** 52;
const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/** Writes an integer number (int or safe long) the caller has checked. */
export function writeVarint(t: Uint8Array, p: number, n: number): number {
  if (n >= -1073741824 && n < 1073741824) {
    let m = n >= 0 ? n << 1 : (~n << 1) | 1;
    while (m > 0x7f) {
      t[p++] = (m & 0x7f) | 0x80;
      m >>>= 7;
    }
    t[p++] = m;
    return p;
  }
  if (n > -FLOAT_EXACT && n < FLOAT_EXACT) {
    let f = n >= 0 ? n * 2 : -n * 2 - 1;
    while (f >= 128) {
      t[p++] = (f % 128) | 0x80;
      f = Math.floor(f / 128);
    }
    t[p++] = f;
    return p;
  }
  return writeBigVarint(t, p, BigInt(n));
}

/** Writes a signed 64-bit bigint the caller has range-checked. */
export function writeBigVarint(t: Uint8Array, p: number, value: bigint): number {
  if (value > -4503599627370496n && value < 4503599627370496n) {
    return writeVarint(t, p, Number(value));
  }
  let zigzag = value < 0n ? (-value << 1n) - 1n : value << 1n;
  while (zigzag > 0x7fn) {
    t[p++] = Number(zigzag & 0x7fn) | 0x80;
    zigzag >>= 7n;
  }
  t[p++] = Number(zigzag);
  return p;
}

/** Avro `int`: avsc accepts exactly the values `v | 0` leaves unchanged (so -0 too). */
export const writeInt: Write = (t, p, v) => {
  if (v !== ((v as number) | 0)) invalid(v, "int");
  return writeVarint(t, p, v as number);
};

/** Avro `long` as a number: exact integers up to ±(2^53 - 1), as installExactNumberLongs has it. */
export const writeLong: Write = (t, p, v) => {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) invalid(v, "long");
  return writeVarint(t, p, v);
};

/** Avro `long` held as a bigint (`flowodm.exactLong`), the whole signed 64-bit range. */
export const writeExactLong: Write = (t, p, v) => {
  if (typeof v !== "bigint" || v < MIN_LONG || v > MAX_LONG) invalid(v, "long");
  return writeBigVarint(t, p, v);
};
