/**
 * Small helpers over librdkafka's C API shared by producer, consumer and
 * admin: configuration, errors, C strings and topic partition lists.
 *
 * @module
 */
import { ConfigError, TransportError } from "../../errors.ts";
import type { KafkaProperties, TopicPartition, TopicPartitionOffset } from "../types.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { isSecretProperty } from "../../config/security.ts";

/** `rd_kafka_type_t`. */
export const clientType = { producer: 0, consumer: 1 } as const;

/** Event types (`RD_KAFKA_EVENT_*`). */
export const eventType = {
  dr: 0x1,
  fetch: 0x2,
  log: 0x4,
  error: 0x8,
  rebalance: 0x10,
  offsetCommit: 0x20,
  createTopics: 100,
  deleteTopics: 101,
  listConsumerGroupOffsets: 0x8000,
} as const;

/** Error codes (`rd_kafka_resp_err_t`) the transport acts on. */
export const errorCode = {
  noError: 0,
  revokePartitions: -174,
  assignPartitions: -175,
  noEntry: -156,
  queueFull: -184,
  timedOut: -185,
  topicAlreadyExists: 36,
  unknownTopicOrPartition: 3,
} as const;

/** `RD_KAFKA_OFFSET_INVALID`: no offset. */
export const offsetInvalid = -1001;

const encoder = new TextEncoder();

/** A NUL-terminated UTF-8 copy of `text`. */
export function cString(text: string): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(encoder.encode(text).length + 1));
  encoder.encodeInto(text, bytes);
  return bytes;
}

/** Reads a `const char *`, giving "" for NULL. */
export function readString(lib: NativeLibrary, pointer: Pointer | null): string {
  return pointer === null ? "" : lib.readCString(pointer);
}

/** Codes after which the same operation may succeed. */
const retriableCodes = new Set([-195, -185, -184, -187, 5, 6, 7, 13, 14, 15, 19, 20, 56, 73]);

/** A TransportError for a librdkafka error code, with its name (`rd_kafka_err2name`). */
export function transportError(
  lib: NativeLibrary,
  code: number,
  context: string,
  detail?: string,
  retriable?: boolean,
): TransportError {
  const codeName = readString(lib, lib.call.rd_kafka_err2name(code));
  const reason = detail || readString(lib, lib.call.rd_kafka_err2str(code));
  return new TransportError(`${context}: ${reason}`, {
    code,
    codeName,
    retriable: retriable ?? retriableCodes.has(code),
  });
}

/** Converts and destroys an `rd_kafka_error_t *`; null means success. */
export function takeError(
  lib: NativeLibrary,
  error: Pointer | null,
  context: string,
): TransportError | undefined {
  if (error === null) return undefined;
  const code = lib.call.rd_kafka_error_code(error);
  const detail = readString(lib, lib.call.rd_kafka_error_string(error));
  const retriable = lib.call.rd_kafka_error_is_retriable(error) !== 0;
  lib.call.rd_kafka_error_destroy(error);
  return transportError(lib, code, context, detail, retriable);
}

const errstrSize = 512;

/** Builds an `rd_kafka_conf_t`; an unknown or invalid property is a ConfigError naming it. */
export function createConf(lib: NativeLibrary, properties: KafkaProperties): Pointer {
  const conf = lib.call.rd_kafka_conf_new()!;
  const errstr = new Uint8Array(errstrSize);
  for (const [name, value] of Object.entries(properties)) {
    const result = lib.call.rd_kafka_conf_set(
      conf,
      cString(name),
      cString(String(value)),
      errstr,
      errstrSize,
    );
    if (result !== 0) {
      lib.call.rd_kafka_conf_destroy(conf);
      throw new ConfigError(
        `librdkafka property "${name}" = "${isSecretProperty(name) ? "***" : value}" was refused: ${
          nulTerminated(errstr)
        }`,
      );
    }
  }
  return conf;
}

/** Creates a client from a configuration (which it owns from then on). */
export function createClient(
  lib: NativeLibrary,
  type: number,
  properties: KafkaProperties,
  events: number,
): Pointer {
  const conf = createConf(lib, properties);
  lib.call.rd_kafka_conf_set_events(conf, events);
  const errstr = new Uint8Array(errstrSize);
  const rk = lib.call.rd_kafka_new(type, conf, errstr, errstrSize);
  if (rk === null) {
    lib.call.rd_kafka_conf_destroy(conf);
    throw new ConfigError(`librdkafka refused the configuration: ${nulTerminated(errstr)}`);
  }
  return rk;
}

/** The text in a C string buffer, up to its NUL. */
export function nulTerminated(buffer: Uint8Array): string {
  const end = buffer.indexOf(0);
  return new TextDecoder().decode(buffer.subarray(0, end < 0 ? buffer.length : end));
}

// rd_kafka_topic_partition_list_t: { int cnt; int size; rd_kafka_topic_partition_t *elems; }
// rd_kafka_topic_partition_t (x86_64/aarch64): topic@0, partition@8, offset@16, err@48, size 64.
const listCount = 0, listElems = 8;
const elemSize = 64, elemTopic = 0, elemPartition = 8, elemOffset = 16, elemErr = 48;

/** A new topic partition list the caller must destroy. */
export function createPartitionList(
  lib: NativeLibrary,
  partitions: readonly (TopicPartition & { offset?: number })[],
): Pointer {
  const list = lib.call.rd_kafka_topic_partition_list_new(Math.max(partitions.length, 1))!;
  const topics = new Map<string, Uint8Array>();
  for (const { topic, partition, offset } of partitions) {
    let name = topics.get(topic);
    if (!name) topics.set(topic, name = cString(topic));
    lib.call.rd_kafka_topic_partition_list_add(list, name, partition);
    if (offset !== undefined) {
      lib.call.rd_kafka_topic_partition_list_set_offset(list, name, partition, BigInt(offset));
    }
  }
  return list;
}

/** One element of a topic partition list. */
export interface PartitionEntry extends TopicPartitionOffset {
  /** Error code on this partition (0 for none). */
  readonly err: number;
}

/** Reads every element of a topic partition list (does not destroy it). */
export function readPartitionList(lib: NativeLibrary, list: Pointer | null): PartitionEntry[] {
  if (list === null) return [];
  const count = lib.readI32(list, listCount);
  const elems = lib.readPointer(list, listElems);
  const entries: PartitionEntry[] = [];
  for (let i = 0; i < count && elems; i++) {
    const base = i * elemSize;
    entries.push({
      topic: readString(lib, lib.readPointer(elems, base + elemTopic)),
      partition: lib.readI32(elems, base + elemPartition),
      offset: Number(lib.readI64(elems, base + elemOffset)),
      err: lib.readI32(elems, base + elemErr),
    });
  }
  return entries;
}

/** Reads a `T **` array of `count` pointers at `array`. */
export function readPointerArray(
  lib: NativeLibrary,
  array: Pointer | null,
  count: number,
): Pointer[] {
  const items: Pointer[] = [];
  for (let i = 0; i < count && array; i++) items.push(lib.readPointer(array, i * 8)!);
  return items;
}

/** A `T **` array holding the given pointers, as a buffer to pass by address. */
export function pointerArray(lib: NativeLibrary, pointers: readonly Pointer[]): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(Math.max(pointers.length, 1) * 8));
  const view = new DataView(bytes.buffer);
  pointers.forEach((p, i) => view.setBigUint64(i * 8, lib.address(p), true));
  return bytes;
}

/** Reads a `size_t` out-parameter. */
export function readSize(out: Uint8Array): number {
  return Number(new DataView(out.buffer, out.byteOffset, 8).getBigUint64(0, true));
}
