/**
 * The `ffi` admin client: topics through librdkafka's Admin API (each
 * request answered as an event on its own queue), topic listing and
 * partition counts through metadata, group offsets through
 * ListConsumerGroupOffsets.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type { ClientContext } from "../common/client_context.ts";
import { defaultReplicationFactor } from "../replication.ts";
import { waitUntilLed } from "../topic_ready.ts";
import type {
  KafkaProperties,
  PartitionReplicas,
  TopicPartitionOffset,
  TopicSpec,
  TransportAdmin,
} from "../types.ts";
import { ClientHandle } from "./client_handle.ts";
import {
  cString,
  errorCode,
  pointerArray,
  readPartitionList,
  readPointerArray,
  readSize,
  readString,
  transportError,
} from "./librdkafka.ts";
import { clusterMetadata, type TopicMetadata } from "./metadata.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { request } from "./request.ts";

/** An admin client over librdkafka; create with {@link FfiAdmin.create}. */
export class FfiAdmin implements TransportAdmin {
  readonly #handle: ClientHandle;
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  #closed = false;

  private constructor(handle: ClientHandle) {
    this.#handle = handle;
    this.#lib = handle.lib;
    this.#rk = handle.rk;
  }

  /**
   * Creates an admin client with the transport's properties once a broker
   * answered; fails naming the bootstrap servers when none did in time.
   */
  static create(
    lib: NativeLibrary,
    properties: KafkaProperties,
    context: ClientContext,
  ): Promise<FfiAdmin> {
    return ClientHandle.open(
      lib,
      { kind: "admin", properties },
      context,
      (handle) => new FfiAdmin(handle),
    );
  }

  /** Reports a log or error event of the main queue (nothing else arrives there). */
  serve(event: Pointer): void {
    this.#handle.events.handle(event, this.#lib.call.rd_kafka_event_type(event));
  }

  /** Reports the log and error events waiting on the main queue (nothing else polls it). */
  #serveWaiting(): void {
    this.#handle.events.drain(this.#handle.queue);
  }

  #checkOpen(): void {
    if (this.#closed) throw new TransportError("the admin client is closed");
  }

  /** Sends one Admin API request and returns its result event (caller destroys it). */
  #request(what: string, send: (queue: Pointer) => void): Promise<Pointer> {
    this.#checkOpen();
    return request(this.#lib, this.#rk, what, send, () => this.#serveWaiting());
  }

  async ensureTopic(spec: TopicSpec): Promise<boolean> {
    const lib = this.#lib;
    const errstr = new Uint8Array(512);
    const replicationFactor = spec.replicationFactor ??
      defaultReplicationFactor((await this.brokers()).length);
    const newTopic = lib.call.rd_kafka_NewTopic_new(
      cString(spec.topic),
      spec.partitions ?? 1,
      replicationFactor,
      errstr,
      errstr.length,
    );
    if (newTopic === null) {
      throw new TransportError(
        `cannot describe topic ${spec.topic}: ${
          new TextDecoder().decode(errstr.subarray(0, errstr.indexOf(0)))
        }`,
      );
    }
    const what = `cannot create topic ${spec.topic}`;
    let event: Pointer;
    try {
      for (const [name, value] of Object.entries(spec.config ?? {})) {
        const err = lib.call.rd_kafka_NewTopic_set_config(newTopic, cString(name), cString(value));
        if (err !== 0) throw transportError(lib, err, `${what}: config ${name}`);
      }
      const topics = pointerArray(lib, [newTopic]);
      event = await this.#request(
        what,
        (queue) => lib.call.rd_kafka_CreateTopics(this.#rk, topics, 1, null, queue),
      );
    } finally {
      lib.call.rd_kafka_NewTopic_destroy(newTopic);
    }
    try {
      const result = lib.call.rd_kafka_event_CreateTopics_result(event);
      const [topic] = this.#results(
        lib.call.rd_kafka_CreateTopics_result_topics(result, this.#count),
      );
      const err = lib.call.rd_kafka_topic_result_error(topic);
      if (err === errorCode.topicAlreadyExists) return false;
      if (err !== 0) {
        throw transportError(
          lib,
          err,
          what,
          readString(lib, lib.call.rd_kafka_topic_result_error_string(topic)),
        );
      }
    } finally {
      lib.call.rd_kafka_event_destroy(event);
    }
    await waitUntilLed(() => this.describeTopic(spec.topic));
    return true;
  }

  readonly #count = new Uint8Array(new ArrayBuffer(8));

  #results(array: Pointer | null): Pointer[] {
    return readPointerArray(this.#lib, array, readSize(this.#count));
  }

  async deleteTopic(topic: string): Promise<void> {
    const lib = this.#lib;
    const deleteTopic = lib.call.rd_kafka_DeleteTopic_new(cString(topic))!;
    const what = `cannot delete topic ${topic}`;
    let event: Pointer;
    try {
      const topics = pointerArray(lib, [deleteTopic]);
      event = await this.#request(
        what,
        (queue) => lib.call.rd_kafka_DeleteTopics(this.#rk, topics, 1, null, queue),
      );
    } finally {
      lib.call.rd_kafka_DeleteTopic_destroy(deleteTopic);
    }
    try {
      const result = lib.call.rd_kafka_event_DeleteTopics_result(event);
      const [res] = this.#results(
        lib.call.rd_kafka_DeleteTopics_result_topics(result, this.#count),
      );
      const err = lib.call.rd_kafka_topic_result_error(res);
      if (err !== 0) {
        throw transportError(
          lib,
          err,
          what,
          readString(lib, lib.call.rd_kafka_topic_result_error_string(res)),
        );
      }
    } finally {
      lib.call.rd_kafka_event_destroy(event);
    }
  }

  async #metadata(): Promise<{ brokers: number[]; topics: TopicMetadata[] }> {
    this.#checkOpen();
    try {
      return await clusterMetadata(this.#lib, this.#rk);
    } finally {
      this.#serveWaiting();
    }
  }

  async #topic(topic: string): Promise<TopicMetadata> {
    const found = (await this.#metadata()).topics.find((t) => t.name === topic && t.err === 0);
    if (found) return found;
    throw transportError(
      this.#lib,
      errorCode.unknownTopicOrPartition,
      `topic ${topic} does not exist`,
    );
  }

  async brokers(): Promise<number[]> {
    return (await this.#metadata()).brokers;
  }

  async describeTopic(topic: string): Promise<PartitionReplicas[]> {
    return (await this.#topic(topic)).partitions;
  }

  async listTopics(): Promise<string[]> {
    return (await this.#metadata()).topics.filter((t) => t.err === 0).map((t) => t.name).sort();
  }

  async partitionCount(topic: string): Promise<number> {
    return (await this.#topic(topic)).partitions.length;
  }

  async groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    const lib = this.#lib;
    const query = lib.call.rd_kafka_ListConsumerGroupOffsets_new(cString(groupId), null)!;
    const what = `cannot list the offsets of group ${groupId}`;
    let event: Pointer;
    try {
      const queries = pointerArray(lib, [query]);
      event = await this.#request(
        what,
        (queue) => lib.call.rd_kafka_ListConsumerGroupOffsets(this.#rk, queries, 1, null, queue),
      );
    } finally {
      lib.call.rd_kafka_ListConsumerGroupOffsets_destroy(query);
    }
    try {
      const result = lib.call.rd_kafka_event_ListConsumerGroupOffsets_result(event);
      const [group] = this.#results(
        lib.call.rd_kafka_ListConsumerGroupOffsets_result_groups(result, this.#count),
      );
      // The group result's error belongs to the result; only read it.
      const error = lib.call.rd_kafka_group_result_error(group);
      if (error !== null) {
        throw transportError(
          lib,
          lib.call.rd_kafka_error_code(error),
          what,
          readString(lib, lib.call.rd_kafka_error_string(error)),
        );
      }
      return readPartitionList(lib, lib.call.rd_kafka_group_result_partitions(group))
        .filter((entry) => entry.err === 0 && entry.offset >= 0)
        .map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    } finally {
      lib.call.rd_kafka_event_destroy(event);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.release();
  }
}
