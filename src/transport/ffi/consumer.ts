/**
 * The `ffi` consumer: one consumer queue served with `rd_kafka_queue_poll`,
 * whose events are fetched messages, rebalances (see ./rebalance.ts) and
 * errors. Offsets are committed only when asked, through a private queue.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type { ClientContext } from "../common/client_context.ts";
import type { ConsumerSetup } from "../common/consumer_config.ts";
import { PartitionMap } from "../common/partition_key.ts";
import { RebalanceListeners } from "../common/rebalance_listeners.ts";
import type {
  IncomingMessage,
  PartitionLag,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import { ClientHandle } from "./client_handle.ts";
import { consumerLag } from "./consumer_lag.ts";
import {
  createPartitionList,
  eventType,
  readPartitionList,
  takeError,
  transportError,
} from "./librdkafka.ts";
import { MessageReader } from "./message.ts";
import { DeliveredOffsets } from "./delivered_offsets.ts";
import { EventMessages } from "./event_messages.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { applyRebalance } from "./rebalance.ts";
import { pollSliceMs, request, requestTimeoutMs } from "./request.ts";

/** A group consumer over librdkafka; create with {@link FfiConsumer.create}. */
export class FfiConsumer implements TransportConsumer {
  readonly #handle: ClientHandle;
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  readonly #queue: Pointer;
  readonly #reader: MessageReader;
  readonly #messages: EventMessages;
  readonly #assigned = new PartitionMap<true>();
  readonly #delivered = new DeliveredOffsets();
  readonly #listeners: RebalanceListeners;
  /** Serializes every use of the consumer queue. */
  #turn: Promise<unknown> = Promise.resolve();
  #closing = false;

  private constructor(handle: ClientHandle, sharedBytes: boolean) {
    this.#handle = handle;
    this.#lib = handle.lib;
    this.#rk = handle.rk;
    this.#queue = handle.queue;
    this.#reader = new MessageReader(handle.lib, sharedBytes);
    this.#messages = new EventMessages(handle.lib);
    this.#listeners = new RebalanceListeners(handle.context.onError);
  }

  /**
   * Creates a consumer from its resolved settings once a broker answered;
   * fails naming the bootstrap servers when none did within the connect timeout.
   */
  static create(
    lib: NativeLibrary,
    setup: ConsumerSetup,
    context: ClientContext,
  ): Promise<FfiConsumer> {
    return ClientHandle.open(
      lib,
      { kind: "consumer", properties: setup.properties, events: eventType.rebalance },
      context,
      (handle) => new FfiConsumer(handle, setup.sharedBytes),
    );
  }

  /** Serves one event that arrived before anything was polled (no records can be among them). */
  serve(event: Pointer): void {
    this.#serveEvent(event, []);
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work, work);
    this.#turn = run.catch(() => {});
    return run;
  }

  #checkOpen(): void {
    if (this.#closing) throw new TransportError("the consumer is closed");
    if (this.#handle.fatal) throw this.#handle.fatal;
  }

  subscribe(topics: readonly string[]): Promise<void> {
    try {
      this.#checkOpen();
      const lib = this.#lib;
      const list = createPartitionList(lib, topics.map((topic) => ({ topic, partition: -1 })));
      try {
        const err = lib.call.rd_kafka_subscribe(this.#rk, list);
        if (err !== 0) throw transportError(lib, err, `cannot subscribe to ${topics.join(", ")}`);
      } finally {
        lib.call.rd_kafka_topic_partition_list_destroy(list);
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  poll(maxMessages: number, timeoutMs: number): Promise<IncomingMessage[]> {
    return this.#exclusive(async () => {
      this.#checkOpen();
      this.#listeners.throwFailure();
      const lib = this.#lib;
      const out: IncomingMessage[] = [];
      const deadline = Date.now() + timeoutMs;
      while (out.length === 0 && !this.#closing) {
        const remaining = deadline - Date.now();
        let event = remaining > 0
          ? await lib.wait.rd_kafka_queue_poll(this.#queue, Math.min(remaining, pollSliceMs))
          : lib.call.rd_kafka_queue_poll(this.#queue, 0);
        while (event !== null) {
          try {
            this.#serveEvent(event, out);
          } finally {
            lib.call.rd_kafka_event_destroy(event);
          }
          event = out.length < maxMessages ? lib.call.rd_kafka_queue_poll(this.#queue, 0) : null;
        }
        if (this.#handle.fatal) throw this.#handle.fatal;
        // Records already read are returned first; a listener's failure then rejects the next poll.
        if (out.length === 0) this.#listeners.throwFailure();
        if (remaining <= 0) break;
      }
      return out;
    });
  }

  release(message: IncomingMessage): void {
    this.#reader.release(message);
  }

  #serveEvent(event: Pointer, out: IncomingMessage[]): void {
    const lib = this.#lib;
    // Only fetch events and a producer's delivery reports carry messages, so on this
    // consumer's queue an event with messages is a fetch: its type need not be asked.
    let count = this.#messages.take(event);
    if (count === 0) {
      const type = lib.call.rd_kafka_event_type(event);
      if (type === eventType.fetch) this.#handle.reached = true;
      else if (type === eventType.rebalance) {
        this.#handle.reached = true;
        this.#rebalance(event);
      } else this.#handle.serveClientEvent(event, type);
      return;
    }
    this.#handle.reached = true;
    const reader = this.#reader;
    const messages = this.#messages;
    for (; count > 0; count = messages.full ? messages.take(event) : 0) {
      for (let i = 0; i < count; i++) {
        // Per-message errors (e.g. a partition that vanished) are consumer
        // conditions librdkafka recovers from; they carry no record.
        const record = reader.record(messages.at(i));
        if (record === null) {
          // Such as an offset reset, which may move a partition back.
          this.#delivered.clear();
          continue;
        }
        if (!this.#delivered.admits(record)) {
          reader.release(record);
          continue;
        }
        this.#handle.events.log.recovered();
        out.push(record);
      }
    }
  }

  #rebalance(event: Pointer): void {
    this.#delivered.clear();
    const failure = applyRebalance(this.#lib, this.#rk, event, this.#assigned, this.#listeners);
    if (failure) this.#handle.fatal = failure;
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#checkOpen();
    if (offsets.length === 0) return;
    const lib = this.#lib;
    const what = "cannot commit offsets";
    const event = await request(lib, this.#rk, what, (queue) => {
      const list = createPartitionList(lib, offsets);
      try {
        const err = lib.call.rd_kafka_commit_queue(this.#rk, list, queue, null, null);
        if (err !== 0) throw transportError(lib, err, what);
      } finally {
        lib.call.rd_kafka_topic_partition_list_destroy(list);
      }
    });
    try {
      const failed = readPartitionList(lib, lib.call.rd_kafka_event_topic_partition_list(event))
        .find((entry) => entry.err !== 0);
      if (failed) {
        throw transportError(
          lib,
          failed.err,
          `the commit of ${failed.topic}[${failed.partition}] failed`,
        );
      }
    } finally {
      lib.call.rd_kafka_event_destroy(event);
    }
  }

  async committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    this.#checkOpen();
    const lib = this.#lib;
    const list = createPartitionList(lib, partitions);
    try {
      const err = await lib.wait.rd_kafka_committed(this.#rk, list, requestTimeoutMs);
      if (err !== 0) throw transportError(lib, err, "cannot read committed offsets");
      return readPartitionList(lib, list)
        .filter((entry) => entry.offset >= 0)
        .map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    } finally {
      lib.call.rd_kafka_topic_partition_list_destroy(list);
    }
  }

  async seek(position: TopicPartitionOffset): Promise<void> {
    this.#checkOpen();
    const lib = this.#lib;
    const list = createPartitionList(lib, [position]);
    const seeked = this.#delivered.seeking(position);
    try {
      const error = await lib.wait.rd_kafka_seek_partitions(this.#rk, list, requestTimeoutMs);
      const where = `${position.topic}[${position.partition}]`;
      const failure = takeError(lib, error, `cannot seek ${where}`);
      if (failure) throw failure;
      const failed = readPartitionList(lib, list).find((entry) => entry.err !== 0);
      if (failed) throw transportError(lib, failed.err, `cannot seek ${where}`);
    } finally {
      seeked();
      lib.call.rd_kafka_topic_partition_list_destroy(list);
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#flow(partitions, "pause");
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#flow(partitions, "resume");
  }

  #flow(partitions: readonly TopicPartition[], action: "pause" | "resume"): void {
    this.#checkOpen();
    const lib = this.#lib;
    const list = createPartitionList(lib, partitions);
    try {
      const err = action === "pause"
        ? lib.call.rd_kafka_pause_partitions(this.#rk, list)
        : lib.call.rd_kafka_resume_partitions(this.#rk, list);
      if (err !== 0) throw transportError(lib, err, `cannot ${action} partitions`);
      const failed = readPartitionList(lib, list).find((entry) => entry.err !== 0);
      if (failed) {
        throw transportError(
          lib,
          failed.err,
          `cannot ${action} ${failed.topic}[${failed.partition}]`,
        );
      }
    } finally {
      lib.call.rd_kafka_topic_partition_list_destroy(list);
    }
  }

  assignment(): TopicPartition[] {
    return this.#assigned.partitions();
  }

  lag(): PartitionLag[] {
    this.#checkOpen();
    return consumerLag(this.#lib, this.#rk, this.assignment());
  }

  onRebalance(listener: (event: RebalanceEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const lib = this.#lib;
    await this.#turn;
    const queue = lib.call.rd_kafka_queue_new(this.#rk)!;
    try {
      const failure = takeError(
        lib,
        lib.call.rd_kafka_consumer_close_queue(this.#rk, queue),
        "cannot close the consumer",
      );
      // Leaving the group revokes the assignment through this queue; serve it until closed.
      while (!failure && !lib.call.rd_kafka_consumer_closed(this.#rk)) {
        const event = await lib.wait.rd_kafka_queue_poll(queue, pollSliceMs);
        if (event === null) continue;
        try {
          if (lib.call.rd_kafka_event_type(event) === eventType.rebalance) this.#rebalance(event);
        } finally {
          lib.call.rd_kafka_event_destroy(event);
        }
      }
    } finally {
      lib.call.rd_kafka_queue_destroy(queue);
      await this.#handle.release();
    }
  }
}
