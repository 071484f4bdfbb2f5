/**
 * Packs one outgoing message into an `rd_kafka_vu_t[]` for
 * `rd_kafka_produceva`, with every string and byte array it points to in the
 * same buffer, so one address is taken per message and librdkafka copies
 * what it keeps (`RD_KAFKA_MSG_F_COPY`).
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

/** Packs `message`, tagging it with `opaque` to find its delivery report. */
export function packMessage(
  lib: NativeLibrary,
  message: OutgoingMessage,
  opaque: number,
): ProduceArgs {
  const topic = encoder.encode(message.topic);
  const headers = (message.headers ?? []).map(([name, value]) => [encoder.encode(name), value]);
  const count = 3 + (message.partition === undefined ? 0 : 1) + (message.key ? 1 : 0) +
    (message.value ? 1 : 0) + (message.timestamp === undefined ? 0 : 1) + headers.length;
  let dataSize = topic.length + 1 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of headers) dataSize += name.length + 1 + value.length;
  // One spare byte so that an empty key, value or header points at real memory.
  const buffer = new Uint8Array(new ArrayBuffer(count * vuSize + dataSize + 1));
  const view = new DataView(buffer.buffer);
  const base = lib.address(buffer);
  let dataAt = count * vuSize;
  let slot = 0;

  const put = (bytes: Uint8Array, nul: boolean): bigint => {
    const at = dataAt;
    buffer.set(bytes, at);
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
