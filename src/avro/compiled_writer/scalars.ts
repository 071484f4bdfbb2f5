/**
 * Writers of Avro's fixed-width and byte types: null, boolean, float, double,
 * bytes and fixed. Floats go through a scratch typed array, as Node's own
 * `Buffer#writeDoubleLE` does, so NaN payloads come out the same.
 */
import type { Write } from "./writer_types.ts";
import { invalid } from "./writer_types.ts";
import { writeVarint } from "./varint.ts";

const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** Whether this machine stores floats little-endian, as Avro does (else avsc keeps writing). */
export const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Avro `null`: only null. */
export const writeNull: Write = (_t, p, v) => {
  if (v !== null) invalid(v, "null");
  return p;
};

/** Avro `boolean`. */
export const writeBoolean: Write = (t, p, v) => {
  if (typeof v !== "boolean") invalid(v, "boolean");
  t[p] = v ? 1 : 0;
  return p + 1;
};

/** Avro `float`: any number, rounded to 32 bits. */
export const writeFloat: Write = (t, p, v) => {
  if (typeof v !== "number") invalid(v, "float");
  f32[0] = v;
  t[p] = f32Bytes[0];
  t[p + 1] = f32Bytes[1];
  t[p + 2] = f32Bytes[2];
  t[p + 3] = f32Bytes[3];
  return p + 4;
};

/** Avro `double`: any number. */
export const writeDouble: Write = (t, p, v) => {
  if (typeof v !== "number") invalid(v, "double");
  f64[0] = v;
  t[p] = f64Bytes[0];
  t[p + 1] = f64Bytes[1];
  t[p + 2] = f64Bytes[2];
  t[p + 3] = f64Bytes[3];
  t[p + 4] = f64Bytes[4];
  t[p + 5] = f64Bytes[5];
  t[p + 6] = f64Bytes[6];
  t[p + 7] = f64Bytes[7];
  return p + 8;
};

/** Copies bytes that fit; past the end only the position moves (the caller retries bigger). */
export function copyBytes(t: Uint8Array, p: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (p + n <= t.length) {
    if (n < 16) { for (let i = 0; i < n; i++) t[p + i] = bytes[i]; }
    else t.set(bytes, p);
  }
  return p + n;
}

/** Avro `bytes`: a model's Uint8Array (a Buffer is one too). */
export const writeBytes: Write = (t, p, v) => {
  if (!(v instanceof Uint8Array)) invalid(v, "bytes");
  return copyBytes(t, writeVarint(t, p, v.length), v);
};

/** Avro `fixed` of `size` bytes. */
export function fixedWriter(size: number): Write {
  return (t, p, v) => {
    if (!(v instanceof Uint8Array) || v.length !== size) invalid(v, "fixed");
    return copyBytes(t, p, v);
  };
}

/** Avro `enum`: a symbol's index. */
export function enumWriter(symbols: readonly string[]): Write {
  const indices = new Map(symbols.map((symbol, i) => [symbol, i]));
  return (t, p, v) => {
    const index = typeof v === "string" ? indices.get(v) : undefined;
    if (index === undefined) invalid(v, "enum symbol");
    return writeVarint(t, p, index);
  };
}
