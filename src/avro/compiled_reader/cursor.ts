/**
 * The read position of the one Avro body being decoded, and the primitive
 * reads of compiled readers. Reads are synchronous and never re-entered, so
 * one module-level cursor serves every compiled reader: its fields are
 * context slots, which engines read as fast as locals, where a per-message
 * cursor object would be an allocation and a property load per byte.
 *
 * Every read either stays within the body or throws: varints past the end
 * read `undefined` (the body is a view ending at `end`) and are refused
 * after their loop; sized reads check their length before reading.
 */
import { Buffer } from "node:buffer";

let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
// A Buffer over `buf`, made on the first non-ASCII string of a body only.
let text: Buffer | undefined;

/** Starts reading `bytes[start, stop)`. */
export function begin(bytes: Uint8Array, start: number, stop: number): void {
  if (!(start >= 0 && start <= stop && stop <= bytes.length)) {
    throw new Error(`the body [${start}, ${stop}) is not within the ${bytes.length} bytes given`);
  }
  // Past `stop` a view reads `undefined`, like past the end of the message; rare, so views are too.
  buf = stop === bytes.length ? bytes : bytes.subarray(0, stop);
  pos = start;
  end = stop;
  text = undefined;
}

/** Refuses bytes left over after the value (avsc's `fromBuffer` does too). */
export function finish(): void {
  const left = end - pos;
  if (left !== 0) {
    throw left > 0
      ? new Error(`trailing data: ${left} bytes after the value`)
      : new Error("truncated buffer: the value runs past the end of the body");
  }
}

/** Lets the body go (after a failed read too). */
export function release(): void {
  buf = EMPTY;
  text = undefined;
}

const EMPTY = new Uint8Array(0);

/** Bytes left in the body. */
export function remaining(): number {
  return end - pos;
}

function truncated(what: string): Error {
  return new Error(`truncated buffer: ${what} runs past the end of the body`);
}

// avsc's varint read, kept exact: integer arithmetic for 4 bytes, then floats (which round
// past 2^53, as avsc does for an int; longs re-read exactly, below).
function varintSlow(first: number): number {
  let n = first & 0x7f;
  let k = 7;
  let b = first;
  while (b & 0x80 && k < 28) {
    b = buf[pos++];
    n |= (b & 0x7f) << k;
    k += 7;
  }
  let result: number;
  if (b & 0x80) {
    let f = n;
    let fk = 268435456; // 2 ** 28
    do {
      b = buf[pos++];
      f += (b & 0x7f) * fk;
      fk *= 128;
    } while (b & 0x80);
    result = (f % 2 ? -(f + 1) : f) / 2;
  } else {
    result = (n >> 1) ^ -(n & 1);
  }
  if (pos > end) throw truncated("a varint");
  return result;
}

/** An `int` (and every count, index and length): avsc's varint, as a number. */
export function readInt(): number {
  const b = buf[pos++];
  // `undefined < 0x80` is false: past the end goes the slow way, which refuses it.
  if (b < 0x80) return (b >>> 1) ^ -(b & 1);
  return varintSlow(b);
}

// Below this a float-read varint is exact; avsc's installed long (exact_long.ts) re-reads beyond.
const FLOAT_EXACT = 2 ** 52;

/** A number `long`: exact up to 2^53, refused beyond (as installExactNumberLongs reads). */
export function readLong(): number {
  const start = pos;
  const b = buf[pos++];
  if (b < 0x80) return (b >>> 1) ^ -(b & 1);
  const fast = varintSlow(b);
  if (fast > -FLOAT_EXACT && fast < FLOAT_EXACT) return fast;
  pos = start;
  const exact = zigzagOf10();
  if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Error(
      `potential precision loss: the long ${exact} is beyond 2^53; declare the field v.bigint()`,
    );
  }
  return Number(exact);
}

// exact_long.ts's re-read of a long past 2^52: at most 10 bytes, zigzag-decoded as a bigint.
function zigzagOf10(): bigint {
  let zigzag = 0n;
  let shift = 0n;
  let b: number;
  do {
    b = buf[pos++];
    zigzag |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80 && shift < 70n);
  if (pos > end) throw truncated("a long");
  return zigzag & 1n ? -(zigzag >> 1n) - 1n : zigzag >> 1n;
}

/** A `"flowodm.exactLong"` long: the signed 64-bit value as a bigint (as exact_long.ts reads). */
export function readBigLong(): bigint {
  const start = pos;
  let b = buf[pos++];
  if (b < 0x80) return BigInt((b >>> 1) ^ -(b & 1));
  // Up to 7 bytes (49 bits) a float holds the zigzag value exactly.
  let f = b & 0x7f;
  let scale = 128;
  for (let i = 1; i < 7 && b & 0x80; i++) {
    b = buf[pos++];
    f += (b & 0x7f) * scale;
    scale *= 128;
  }
  if (!(b & 0x80)) {
    if (pos > end) throw truncated("a long");
    return BigInt(f % 2 ? -(f + 1) / 2 : f / 2);
  }
  pos = start;
  // avsc's unpackLongBytes: the low 64 bits of zigzag >> 1, inverted for negatives; it reads
  // every continuation byte, and so does this, adding only the first 10 (a long run stays linear).
  let zigzag = 0n;
  let count = 0;
  do {
    b = buf[pos++];
    if (count < 10) zigzag |= BigInt(b & 0x7f) << BigInt(7 * count++);
  } while (b & 0x80);
  if (pos > end) throw truncated("a long");
  const half = zigzag >> 1n;
  return BigInt.asIntN(64, zigzag & 1n ? ~half : half);
}

/** avsc's boolean: any byte but 0 is true. */
export function readBoolean(): boolean {
  if (pos >= end) throw truncated("a boolean");
  return buf[pos++] !== 0;
}

/** Whether this machine is little-endian (the reader leaves big-endian ones to avsc). */
export const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Floats go through scratch typed arrays (the machine is little-endian, as Avro is): cheaper on
// every runtime than a DataView per message.
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** A `float` (4 little-endian bytes). */
export function readFloat(): number {
  if (pos + 4 > end) throw truncated("a float");
  const b = buf, p = pos;
  f32Bytes[0] = b[p];
  f32Bytes[1] = b[p + 1];
  f32Bytes[2] = b[p + 2];
  f32Bytes[3] = b[p + 3];
  pos = p + 4;
  return f32[0];
}

/** A `double` (8 little-endian bytes). */
export function readDouble(): number {
  if (pos + 8 > end) throw truncated("a double");
  const b = buf, p = pos;
  f64Bytes[0] = b[p];
  f64Bytes[1] = b[p + 1];
  f64Bytes[2] = b[p + 2];
  f64Bytes[3] = b[p + 3];
  f64Bytes[4] = b[p + 4];
  f64Bytes[5] = b[p + 5];
  f64Bytes[6] = b[p + 6];
  f64Bytes[7] = b[p + 7];
  pos = p + 8;
  return f64[0];
}

/** A block's item count; a negative count is followed by the block's byte size, skipped. */
export function readBlockCount(): number {
  const n = readInt();
  if (n >= 0) return n;
  readInt();
  return -n;
}

/** A length prefix: refused when negative or longer than the bytes left. */
function readSize(what: string): number {
  const len = readInt();
  if (len < 0) throw new Error(`invalid ${what} length: ${len} is negative`);
  if (len > end - pos) throw truncated(`a ${what} of ${len} bytes`);
  return len;
}

/** A `fixed` of `size` bytes, copied into a fresh Uint8Array. */
export function readFixed(size: number): Uint8Array {
  if (size > end - pos) throw truncated(`a fixed of ${size} bytes`);
  return copy(size);
}

/** `bytes`, copied into a fresh Uint8Array (never a view of the message). */
export function readBytes(): Uint8Array {
  return copy(readSize("bytes"));
}

function copy(len: number): Uint8Array {
  const out = new Uint8Array(len);
  if (len < 32) { for (let i = 0; i < len; i++) out[i] = buf[pos + i]; }
  else out.set(buf.subarray(pos, pos + len));
  pos += len;
  return out;
}

// Short ASCII strings are built here: cheaper than a call into the runtime's UTF-8 decoder.
const SHORT = 24;

/** A `string` from UTF-8; invalid sequences become U+FFFD, as avsc's Buffer decoding does. */
export function readString(): string {
  const len = readSize("string");
  const start = pos;
  const stop = start + len;
  pos = stop;
  if (len > SHORT) return utf8(start, stop);
  return shortAscii(start, stop) ?? utf8(start, stop);
}

// V8 builds a short string fastest four characters at a time, JavaScriptCore (Bun) one at a time.
const shortAscii = "Bun" in globalThis ? asciiByChar : asciiByFour;

function asciiByFour(start: number, stop: number): string | undefined {
  let out = "";
  let i = start;
  for (; i + 4 <= stop; i += 4) {
    const a = buf[i], b = buf[i + 1], c = buf[i + 2], d = buf[i + 3];
    if ((a | b | c | d) > 0x7f) return undefined;
    out += String.fromCharCode(a, b, c, d);
  }
  for (; i < stop; i++) {
    const a = buf[i];
    if (a > 0x7f) return undefined;
    out += String.fromCharCode(a);
  }
  return out;
}

function asciiByChar(start: number, stop: number): string | undefined {
  let out = "";
  for (let i = start; i < stop; i++) {
    const a = buf[i];
    if (a > 0x7f) return undefined;
    out += String.fromCharCode(a);
  }
  return out;
}

type Utf8Slice = (this: Uint8Array, start: number, end: number) => string;
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice;

// The same decoding avsc uses on this runtime (`utf8Slice` where Buffers have it). Node's, Deno's
// and Bun's `utf8Slice` read any Uint8Array: no Buffer made over the bytes, whose `.buffer` read
// alone cost Bun about a microsecond per record.
function utf8(start: number, stop: number): string {
  if (utf8Slice) return utf8Slice.call(buf, start, stop);
  text ??= buf instanceof Buffer ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return text.toString("utf8", start, stop);
}
