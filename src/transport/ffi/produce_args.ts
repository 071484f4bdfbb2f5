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

  constructor(lib: NativeLibrary) {
    this.#lib = lib;
  }

  /** Packs `message`, tagging it with `opaque` to find its delivery report. */
  pack(message: OutgoingMessage, opaque: number): ProduceArgs {
    return packMessage(message, opaque, (size) => {
      if (size > this.#buffer.length) {
        let length = this.#buffer.length;
        while (length < size) length *= 2;
        this.#buffer = new Uint8Array(new ArrayBuffer(length));
        this.#view = new DataView(this.#buffer.buffer);
      }
      // Taken on every call rather than cached: no runtime promises a buffer never moves.
      return [this.#buffer, this.#view, this.#lib.address(this.#buffer)];
    });
  }
}

function packMessage(
  message: OutgoingMessage,
  opaque: number,
  bufferOf: (size: number) => [Uint8Array, DataView, bigint],
): ProduceArgs {
  const topic = encoder.encode(message.topic);
  const headers = (message.headers ?? []).map(([name, value]) => [encoder.encode(name), value]);
  const count = 3 + (message.partition === undefined ? 0 : 1) + (message.key ? 1 : 0) +
    (message.value ? 1 : 0) + (message.timestamp === undefined ? 0 : 1) + headers.length;
  let dataSize = topic.length + 1 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of headers) dataSize += name.length + 1 + value.length;
  // One spare byte so that an empty key, value or header points at real memory.
  const size = count * vuSize + dataSize + 1;
  const [buffer, view, base] = bufferOf(size);
  // Clear the previous message's vu slots: unions are read whole by librdkafka.
  buffer.fill(0, 0, count * vuSize);
  let dataAt = count * vuSize;
  let slot = 0;

  const put = (bytes: Uint8Array, nul: boolean): bigint => {
    const at = dataAt;
    buffer.set(bytes, at);
    if (nul) buffer[at + bytes.length] = 0;
    dataAt += bytes.length + (nul ? 1 : 0);
    return base + BigInt(at);
  };
  const vu = (type: number): number => {
    const at = slot++ * vuSize;
    view.setInt32(at, type, true);
    return at + unionAt;
  };

  view.setBigUint64(vu(vTopic), put(topic, true), true);
  if (message.partition !== undefined) view.setInt32(vu(vPartition), message.partition, true);
  for (const [type, bytes] of [[vKey, message.key], [vValue, message.value]] as const) {
    if (!bytes) continue;
    const at = vu(type);
    view.setBigUint64(at, put(bytes, false), true);
    view.setBigUint64(at + 8, BigInt(bytes.length), true);
  }
  view.setInt32(vu(vFlags), msgFlagCopy, true);
  view.setBigUint64(vu(vOpaque), BigInt(opaque), true);
  if (message.timestamp !== undefined) {
    view.setBigInt64(vu(vTimestamp), BigInt(Math.trunc(message.timestamp)), true);
  }
  for (const [name, value] of headers) {
    const at = vu(vHeader);
    view.setBigUint64(at, put(name, true), true);
    view.setBigUint64(at + 8, put(value, false), true);
    view.setBigInt64(at + 16, BigInt(value.length), true);
  }
  return { buffer, count };
}
