/**
 * Avro `string`: the UTF-8 byte length as a varint, then the bytes, exactly
 * as avsc writes them. Short ASCII strings (most keys, ids, codes) are
 * copied in one pass with no length computed first. Other strings of at most
 * 64 bytes are encoded here the way avsc's own loop does (a lone surrogate
 * as its three-byte form); longer ones natively, as avsc does (a lone
 * surrogate as U+FFFD).
 */
import { Buffer } from "node:buffer";
import type { Write } from "./writer_types.ts";
import { invalid } from "./writer_types.ts";
import { writeVarint } from "./varint.ts";

// Up to this many UTF-16 units a JavaScript loop beats the native encoder's call overhead.
const LOOP_UNITS = 64;
// avsc's own switch between its loop and the native encoder, in bytes.
const AVSC_LOOP_BYTES = 64;

const encoder = new TextEncoder();

/** Avro `string`. */
export const writeString: Write = (t, p, v) => {
  if (typeof v !== "string") invalid(v, "string");
  const n = v.length;
  if (n <= LOOP_UNITS) {
    // ASCII: as many bytes as units, and a one-byte length (zigzag 2n < 128 for n < 64).
    const head = n < 64 ? 1 : 2;
    const start = p + head;
    let i = 0;
    for (; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) break;
      t[start + i] = c;
    }
    if (i === n) {
      if (head === 1) t[p] = n << 1;
      else writeVarint(t, p, n);
      return start + n;
    }
    const length = utf8Length(v);
    if (length <= AVSC_LOOP_BYTES) return writeShortUtf8(t, writeVarint(t, p, length), v);
  }
  return writeNative(t, p, v);
};

/** UTF-8 length as `Buffer.byteLength` counts it (a lone surrogate is three bytes). */
export function utf8Length(s: string): number {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

// avsc's loop for strings of at most 64 bytes, byte for byte (lone surrogates included).
function writeShortUtf8(t: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    let c2: number;
    if (c < 0x80) {
      t[p++] = c;
    } else if (c < 0x800) {
      t[p++] = (c >> 6) | 0xc0;
      t[p++] = (c & 0x3f) | 0x80;
    } else if ((c & 0xfc00) === 0xd800 && ((c2 = s.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c & 0x03ff) << 10) + (c2 & 0x03ff);
      i++;
      t[p++] = (c >> 18) | 0xf0;
      t[p++] = ((c >> 12) & 0x3f) | 0x80;
      t[p++] = ((c >> 6) & 0x3f) | 0x80;
      t[p++] = (c & 0x3f) | 0x80;
    } else {
      t[p++] = (c >> 12) | 0xe0;
      t[p++] = ((c >> 6) & 0x3f) | 0x80;
      t[p++] = (c & 0x3f) | 0x80;
    }
  }
  return p;
}

function varintSize(n: number): number {
  let size = 1;
  for (let zigzag = n * 2; zigzag >= 128; zigzag = Math.floor(zigzag / 128)) size++;
  return size;
}

// Node's, Bun's and Deno's Buffers write UTF-8 natively at an offset; other targets take a view.
interface Utf8Writable {
  utf8Write?(text: string, offset: number, length?: number): number;
}

function encodeAt(t: Uint8Array, at: number, s: string, end = t.length): number {
  const native = (t as Utf8Writable).utf8Write;
  return native
    ? native.call(t, s, at, end - at)
    : encoder.encodeInto(s, t.subarray(at, end)).written;
}

// Encodes after room for the longest possible length, then moves the bytes back when the length
// is shorter: one native pass, no length computed first. Near the end of the target, the exact
// length first (it may still fit).
function writeNative(t: Uint8Array, p: number, s: string): number {
  const reserve = varintSize(s.length * 3);
  const start = p + reserve;
  if (t.length - start >= s.length * 3) {
    const written = encodeAt(t, start, s);
    const head = varintSize(written);
    if (head < reserve) t.copyWithin(p + head, start, start + written);
    writeVarint(t, p, written);
    return p + head + written;
  }
  const length = Buffer.byteLength(s);
  const end = p + varintSize(length) + length;
  if (end <= t.length) encodeAt(t, writeVarint(t, p, length), s, end);
  return end;
}
