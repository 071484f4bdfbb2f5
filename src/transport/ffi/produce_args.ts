/**
 * Packs one outgoing message into an `rd_kafka_vu_t[]` for
 * `rd_kafka_produceva`, with every string and byte array it points to in the
 * same buffer. librdkafka copies what it keeps (`RD_KAFKA_MSG_F_COPY`) before
 * `rd_kafka_produceva` returns, so one buffer per producer is reused for every
 * message: no native-backed garbage per message, one address to take.
 *
 * @module
 */
import type { OutgoingMessage } from "../types.ts";
import type { NativeLibrary } from "./native.ts";

// rd_kafka_vtype_t
const vTopic = 1, vPartition = 3, vValue = 4, vKey = 5, vOpaque = 6, vFlags = 7;
const vTimestamp = 8, vHeader = 9;
const msgFlagCopy = 0x2;
// rd_kafka_vu_t: { int vtype; union { ... char _pad[64]; } u; } -> union at 8, 72 bytes.
const vuSize = 72, unionAt = 8;

const encoder = new TextEncoder();

/** The packed arguments: pass `buffer` and `count` to `rd_kafka_produceva`. */
export interface ProduceArgs {
  readonly buffer: Uint8Array;
  readonly count: number;
}

/** A reusable packing buffer; valid until the next `pack`. */
export class MessagePacker {
  readonly #lib: NativeLibrary;
  #buffer = new Uint8Array(new ArrayBuffer(4096));
  #view = new DataView(this.#buffer.buffer);
  // A producer writes to a few topics: their names are encoded once.
  readonly #topics = new Map<string, Uint8Array>();

  constructor(lib: NativeLibrary) {
    this.#lib = lib;
  }

  /** Packs `message`, tagging it with `opaque` to find its delivery report. */
  pack(message: OutgoingMessage, opaque: number): ProduceArgs {
    const topic = this.#topic(message.topic);
    const headers = message.headers ?? [];
    const count = 3 + (message.partition === undefined ? 0 : 1) + (message.key ? 1 : 0) +
      (message.value ? 1 : 0) + (message.timestamp === undefined ? 0 : 1) + headers.length;
    let dataSize = topic.length + 1 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
    for (const [name, value] of headers) dataSize += name.length * 3 + 1 + value.length;
    // One spare byte so that an empty key, value or header points at real memory.
    const packing = this.#packing(count * vuSize + dataSize + 1);
    // Clear the previous message's vu slots: unions are read whole by librdkafka.
    packing.buffer.fill(0, 0, count * vuSize);
    packing.start(count);
    packing.text(vTopic, topic);
    if (message.partition !== undefined) packing.int32(vPartition, message.partition);
    if (message.key) packing.bytes(vKey, message.key);
    if (message.value) packing.bytes(vValue, message.value);
    packing.int32(vFlags, msgFlagCopy);
    packing.uint64(vOpaque, opaque);
    if (message.timestamp !== undefined) packing.uint64(vTimestamp, Math.trunc(message.timestamp));
    for (const [name, value] of headers) packing.header(encoder.encode(name), value);
    return { buffer: packing.buffer, count };
  }

  #topic(name: string): Uint8Array {
    let bytes = this.#topics.get(name);
    if (!bytes) this.#topics.set(name, bytes = encoder.encode(name));
    return bytes;
  }

  #packing(size: number): Packing {
    if (size > this.#buffer.length) {
      let length = this.#buffer.length;
      while (length < size) length *= 2;
      this.#buffer = new Uint8Array(new ArrayBuffer(length));
      this.#view = new DataView(this.#buffer.buffer);
    }
    // Taken on every call rather than cached: no runtime promises a buffer never moves.
    return this.#current.reset(this.#buffer, this.#view, Number(this.#lib.address(this.#buffer)));
  }

  readonly #current = new Packing();
}

/**
 * Writes vu slots from the start of a buffer and the data they point to after
 * them. Addresses and lengths are written as two 32-bit halves of a Number
 * (user-space addresses fit in 53 bits): no BigInt made per field.
 */
class Packing {
  buffer: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(this.buffer.buffer);
  #base = 0;
  #slot = 0;
  #dataAt = 0;

  reset(buffer: Uint8Array, view: DataView, base: number): this {
    this.buffer = buffer;
    this.#view = view;
    this.#base = base;
    return this;
  }

  start(count: number): void {
    this.#slot = 0;
    this.#dataAt = count * vuSize;
  }

  int32(type: number, value: number): void {
    this.#view.setInt32(this.#vu(type), value, true);
  }

  uint64(type: number, value: number): void {
    this.#u64(this.#vu(type), value);
  }

  /** A NUL-terminated string. */
  text(type: number, bytes: Uint8Array): void {
    this.#u64(this.#vu(type), this.#put(bytes, true));
  }

  /** A pointer and a length. */
  bytes(type: number, bytes: Uint8Array): void {
    const at = this.#vu(type);
    this.#u64(at, this.#put(bytes, false));
    this.#u64(at + 8, bytes.length);
  }

  /** A header: its NUL-terminated name, its value's pointer and length. */
  header(name: Uint8Array, value: Uint8Array): void {
    const at = this.#vu(vHeader);
    this.#u64(at, this.#put(name, true));
    this.#u64(at + 8, this.#put(value, false));
    this.#u64(at + 16, value.length);
  }

  #vu(type: number): number {
    const at = this.#slot++ * vuSize;
    this.#view.setInt32(at, type, true);
    return at + unionAt;
  }

  #put(bytes: Uint8Array, nul: boolean): number {
    const at = this.#dataAt;
    this.buffer.set(bytes, at);
    if (nul) this.buffer[at + bytes.length] = 0;
    this.#dataAt += bytes.length + (nul ? 1 : 0);
    return this.#base + at;
  }

  #u64(at: number, value: number): void {
    this.#view.setUint32(at, value % 0x1_0000_0000, true);
    this.#view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
  }
}
