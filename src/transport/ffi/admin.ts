/**
 * The `ffi` admin client: topics through librdkafka's Admin API (each
 * request answered as an event on its own queue), topic listing and
 * partition counts through metadata, group offsets through
 * ListConsumerGroupOffsets.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import { defaultReplicationFactor } from "../replication.ts";
import { waitUntilLed } from "../topic_ready.ts";
import type {
  KafkaProperties,
  PartitionReplicas,
  TopicPartitionOffset,
  TopicSpec,
  TransportAdmin,
} from "../types.ts";
import {
  clientType,
  createClient,
  cString,
  errorCode,
  pointerArray,
  readPartitionList,
  readPointerArray,
  readSize,
  readString,
  transportError,
} from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import {
  awaitBroker,
  type ClientContext,
  ClientEvents,
  clientEvents,
  logProperties,
} from "./client_events.ts";

const requestTimeoutMs = 30_000;
const pollSliceMs = 200;

// rd_kafka_metadata_t: broker_cnt@0, brokers@8, topic_cnt@16, topics@24.
// rd_kafka_metadata_broker_t (24 bytes): id@0, host@8, port@16.
// rd_kafka_metadata_topic_t (32 bytes): topic@0, partition_cnt@8, partitions@16, err@24.
// rd_kafka_metadata_partition_t (40 bytes): id@0, err@4, leader@8, replica_cnt@12,
// replicas@16, isr_cnt@24, isrs@32.
const mdBrokerCount = 0, mdBrokers = 8, brokerSize = 24;
const mdTopicCount = 16, mdTopics = 24, topicSize = 32, topicName = 0, topicPartitions = 8;
const topicPartitionArray = 16, topicErr = 24;
const partitionSize = 40, partitionLeader = 8, partitionReplicaCount = 12;
const partitionReplicas = 16, partitionIsrCount = 24, partitionIsrs = 32;

interface TopicMetadata {
  readonly name: string;
  readonly err: number;
  readonly partitions: PartitionReplicas[];
}

/** An admin client over librdkafka; create with {@link FfiAdmin.create}. */
export class FfiAdmin implements TransportAdmin {
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  readonly #main: Pointer;
  readonly #context: ClientContext;
  readonly #events: ClientEvents;
  #closed = false;

  private constructor(lib: NativeLibrary, rk: Pointer, context: ClientContext) {
    this.#lib = lib;
    this.#rk = rk;
    this.#main = lib.call.rd_kafka_queue_get_main(rk)!;
    this.#context = context;
    this.#events = new ClientEvents(lib, rk, context);
  }

  /**
   * Creates an admin client with the transport's properties once a broker
   * answered; fails naming the bootstrap servers when none did in time.
   */
  static async create(
    lib: NativeLibrary,
    properties: KafkaProperties,
    context: ClientContext,
  ): Promise<FfiAdmin> {
    const rk = createClient(
      lib,
      clientType.producer,
      { ...properties, ...logProperties },
      clientEvents,
    );
    const admin = new FfiAdmin(lib, rk, context);
    try {
      await awaitBroker(
        lib,
        rk,
        context.bootstrapServers,
        context.connectTimeoutMs,
        () => admin.#serve(),
      );
    } catch (error) {
      await admin.#release();
      throw error;
    }
    context.onOpen(admin);
    return admin;
  }

  /** Reports the log and error events waiting on the main queue (nothing else polls it). */
  #serve(): void {
    this.#events.drain(this.#main);
  }

  async #release(): Promise<void> {
    this.#serve();
    this.#lib.call.rd_kafka_queue_destroy(this.#main);
    await this.#lib.wait.rd_kafka_destroy(this.#rk);
  }

  /** Sends one Admin API request and returns its result event (caller destroys it). */
  async #request(what: string, send: (queue: Pointer) => void): Promise<Pointer> {
    if (this.#closed) throw new TransportError("the admin client is closed");
    const lib = this.#lib;
    const queue = lib.call.rd_kafka_queue_new(this.#rk)!;
    try {
      send(queue);
      const deadline = Date.now() + requestTimeoutMs;
      while (Date.now() < deadline) {
        const event = await lib.wait.rd_kafka_queue_poll(queue, pollSliceMs);
        this.#serve();
        if (event === null) continue;
        const err = lib.call.rd_kafka_event_error(event);
        if (err !== 0) {
          const detail = readString(lib, lib.call.rd_kafka_event_error_string(event));
          lib.call.rd_kafka_event_destroy(event);
          throw transportError(lib, err, what, detail);
        }
        return event;
      }
      throw transportError(lib, errorCode.timedOut, `${what}: no answer`);
    } finally {
      lib.call.rd_kafka_queue_destroy(queue);
    }
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
      const [topic] = this.#topicResults(
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

  #topicResults(array: Pointer | null): Pointer[] {
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
      const [res] = this.#topicResults(
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

  /** Reads the cluster's metadata: brokers, and every topic with its partitions. */
  async #metadata(): Promise<{ brokers: number[]; topics: TopicMetadata[] }> {
    if (this.#closed) throw new TransportError("the admin client is closed");
    const lib = this.#lib;
    const out = new Uint8Array(new ArrayBuffer(8));
    const err = await lib.wait.rd_kafka_metadata(this.#rk, 1, null, out, requestTimeoutMs);
    this.#serve();
    if (err !== 0) throw transportError(lib, err, "cannot read cluster metadata");
    const metadata = lib.pointer(new DataView(out.buffer).getBigUint64(0, true))!;
    try {
      const brokerArray = lib.readPointer(metadata, mdBrokers);
      const brokers = [];
      for (let i = 0; i < lib.readI32(metadata, mdBrokerCount) && brokerArray; i++) {
        brokers.push(lib.readI32(brokerArray, i * brokerSize));
      }
      const count = lib.readI32(metadata, mdTopicCount);
      const topics = lib.readPointer(metadata, mdTopics);
      const found: TopicMetadata[] = [];
      for (let i = 0; i < count && topics; i++) {
        const at = i * topicSize;
        found.push({
          name: readString(lib, lib.readPointer(topics, at + topicName)),
          err: lib.readI32(topics, at + topicErr),
          partitions: this.#partitions(
            lib.readPointer(topics, at + topicPartitionArray),
            lib.readI32(topics, at + topicPartitions),
          ),
        });
      }
      return { brokers: brokers.sort((a, b) => a - b), topics: found };
    } finally {
      lib.call.rd_kafka_metadata_destroy(metadata);
    }
  }

  #partitions(array: Pointer | null, count: number): PartitionReplicas[] {
    const lib = this.#lib;
    const ids = (pointer: Pointer | null, n: number) =>
      Array.from({ length: pointer ? n : 0 }, (_, i) => lib.readI32(pointer!, i * 4));
    const out: PartitionReplicas[] = [];
    for (let i = 0; i < count && array; i++) {
      const at = i * partitionSize;
      out.push({
        partition: lib.readI32(array, at),
        leader: lib.readI32(array, at + partitionLeader),
        replicas: ids(
          lib.readPointer(array, at + partitionReplicas),
          lib.readI32(array, at + partitionReplicaCount),
        ),
        isr: ids(
          lib.readPointer(array, at + partitionIsrs),
          lib.readI32(array, at + partitionIsrCount),
        ),
      });
    }
    return out.sort((a, b) => a.partition - b.partition);
  }

  async #topics(): Promise<TopicMetadata[]> {
    return (await this.#metadata()).topics;
  }

  async brokers(): Promise<number[]> {
    return (await this.#metadata()).brokers;
  }

  async describeTopic(topic: string): Promise<PartitionReplicas[]> {
    const found = (await this.#topics()).find((t) => t.name === topic && t.err === 0);
    if (!found) {
      throw transportError(
        this.#lib,
        errorCode.unknownTopicOrPartition,
        `topic ${topic} does not exist`,
      );
    }
    return found.partitions;
  }

  async listTopics(): Promise<string[]> {
    return (await this.#topics()).filter((t) => t.err === 0).map((t) => t.name).sort();
  }

  async partitionCount(topic: string): Promise<number> {
    const found = (await this.#topics()).find((t) => t.name === topic && t.err === 0);
    if (!found) {
      throw transportError(
        this.#lib,
        errorCode.unknownTopicOrPartition,
        `topic ${topic} does not exist`,
      );
    }
    return found.partitions.length;
  }

  async groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    const lib = this.#lib;
    const request = lib.call.rd_kafka_ListConsumerGroupOffsets_new(cString(groupId), null)!;
    const what = `cannot list the offsets of group ${groupId}`;
    let event: Pointer;
    try {
      const requests = pointerArray(lib, [request]);
      event = await this.#request(
        what,
        (queue) => lib.call.rd_kafka_ListConsumerGroupOffsets(this.#rk, requests, 1, null, queue),
      );
    } finally {
      lib.call.rd_kafka_ListConsumerGroupOffsets_destroy(request);
    }
    try {
      const result = lib.call.rd_kafka_event_ListConsumerGroupOffsets_result(event);
      const [group] = this.#topicResults(
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
    await this.#release();
    this.#context.onClose();
  }
}
