/**
 * The `ffi` consumer: one consumer queue served with `rd_kafka_queue_poll`,
 * whose events are fetched messages, rebalances (assigned or revoked here,
 * eagerly or incrementally as the group's protocol says) and errors.
 * Offsets are committed only when asked, through a private queue.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type {
  IncomingMessage,
  KafkaProperties,
  PartitionLag,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import {
  clientType,
  createClient,
  createPartitionList,
  cString,
  errorCode,
  eventType,
  readPartitionList,
  readString,
  takeError,
  transportError,
} from "./librdkafka.ts";
import {
  awaitBroker,
  type ClientContext,
  ClientEvents,
  clientEvents,
  logProperties,
} from "./client_events.ts";
import { forGroupProtocol } from "../group_protocol.ts";
import { MessageReader } from "./message.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { serveWaitingEvents } from "./event_queue.ts";
import { refusalCode, refusalError, saslMechanism } from "../refusal.ts";

/** The longest single off-thread wait, so that close() never waits long behind a poll. */
const pollSliceMs = 200;
const requestTimeoutMs = 30_000;

const key = (tp: TopicPartition) => `${tp.partition}:${tp.topic}`;

/** A group consumer over librdkafka; create with {@link FfiConsumer.create}. */
export class FfiConsumer implements TransportConsumer {
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  readonly #queue: Pointer;
  readonly #reader: MessageReader;
  readonly #assigned = new Map<string, TopicPartition>();
  readonly #listeners = new Set<(event: RebalanceEvent) => void>();
  /** Serializes every use of the consumer queue. */
  #turn: Promise<unknown> = Promise.resolve();
  #fatal: TransportError | null = null;
  /** Whether the group or a fetch ever answered: until then a refusal is fatal. */
  #reached = false;
  #closing = false;
  readonly #context: ClientContext;
  readonly #events: ClientEvents;

  readonly #mechanism: string;

  private constructor(lib: NativeLibrary, rk: Pointer, mechanism: string, context: ClientContext) {
    this.#lib = lib;
    this.#mechanism = mechanism;
    this.#rk = rk;
    this.#events = new ClientEvents(lib, rk, context);
    lib.call.rd_kafka_poll_set_consumer(rk);
    this.#queue = lib.call.rd_kafka_queue_get_consumer(rk)!;
    this.#reader = new MessageReader(lib);
    this.#context = context;
  }

  /**
   * Creates a consumer from resolved librdkafka properties (see
   * `consumerProperties`) once a broker answered; fails naming the bootstrap
   * servers when none did within the connect timeout.
   */
  static async create(
    lib: NativeLibrary,
    properties: KafkaProperties,
    context: ClientContext,
  ): Promise<FfiConsumer> {
    const rk = createClient(
      lib,
      clientType.consumer,
      { ...forGroupProtocol(properties), ...logProperties },
      eventType.rebalance | clientEvents,
    );
    const consumer = new FfiConsumer(lib, rk, saslMechanism(properties), context);
    try {
      await awaitBroker(
        lib,
        rk,
        context.bootstrapServers,
        context.connectTimeoutMs,
        () => consumer.#serveWaiting(),
      );
    } catch (error) {
      lib.call.rd_kafka_queue_destroy(consumer.#queue);
      await lib.wait.rd_kafka_destroy(rk);
      throw error;
    }
    // A broker answered: from now on a failure is an outage to wait out, not a mistake.
    consumer.#reached = true;
    context.onOpen(consumer);
    return consumer;
  }

  /** While waiting for a first broker: serves the events so far; a refusal ends the wait. */
  #serveWaiting(): TransportError | undefined {
    serveWaitingEvents(this.#lib, this.#queue, (event) => this.#handle(event, []));
    return this.#fatal ?? undefined;
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work, work);
    this.#turn = run.catch(() => {});
    return run;
  }

  #checkOpen(): void {
    if (this.#closing) throw new TransportError("the consumer is closed");
    if (this.#fatal) throw this.#fatal;
  }

  subscribe(topics: readonly string[]): Promise<void> {
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
  }

  poll(maxMessages: number, timeoutMs: number): Promise<IncomingMessage[]> {
    this.#checkOpen();
    return this.#exclusive(async () => {
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
            this.#handle(event, out);
          } finally {
            lib.call.rd_kafka_event_destroy(event);
          }
          event = out.length < maxMessages ? lib.call.rd_kafka_queue_poll(this.#queue, 0) : null;
        }
        if (this.#fatal) throw this.#fatal;
        if (remaining <= 0) break;
      }
      return out;
    });
  }

  #handle(event: Pointer, out: IncomingMessage[]): void {
    const lib = this.#lib;
    switch (lib.call.rd_kafka_event_type(event)) {
      case eventType.fetch: {
        this.#reached = true;
        const reader = this.#reader;
        for (
          let m = lib.call.rd_kafka_event_message_next(event);
          m !== null;
          m = lib.call.rd_kafka_event_message_next(event)
        ) {
          // Per-message errors (e.g. a partition that vanished) are consumer
          // conditions librdkafka recovers from; they carry no record.
          if (reader.err(m) !== errorCode.noError) continue;
          this.#events.log.recovered();
          out.push({
            topic: reader.topic(m),
            partition: reader.partition(m),
            offset: reader.offset(m),
            key: reader.key(m),
            value: reader.value(m),
            headers: reader.headers(m),
            timestamp: reader.timestamp(m),
          });
        }
        return;
      }
      case eventType.rebalance:
        this.#reached = true;
        this.#rebalance(event);
        return;
      default: {
        const type = lib.call.rd_kafka_event_type(event);
        if (type === eventType.error && !this.#reached && !this.#fatal) {
          const code = lib.call.rd_kafka_event_error(event);
          const detail = readString(lib, lib.call.rd_kafka_event_error_string(event));
          const refused = refusalCode(code, detail);
          if (refused !== undefined && !lib.call.rd_kafka_event_error_is_fatal(event)) {
            // Never served and refused (see ../refusal.ts): a mistake to report, not an outage.
            this.#fatal = refusalError(refused, detail, this.#mechanism);
          }
        }
        const outcome = this.#events.handle(event, type);
        if (typeof outcome === "object") this.#fatal ??= outcome;
        return;
      }
    }
  }

  #rebalance(event: Pointer): void {
    const lib = this.#lib;
    const code = lib.call.rd_kafka_event_error(event);
    const list = lib.call.rd_kafka_event_topic_partition_list(event);
    const partitions = readPartitionList(lib, list).map(({ topic, partition }) => ({
      topic,
      partition,
    }));
    const assign = code === errorCode.assignPartitions;
    const change: RebalanceEvent = { type: assign ? "assign" : "revoke", partitions };
    // Revoked partitions are announced while still ours, so listeners can commit them.
    if (!assign) this.#emit(change);
    // Known only once the group has chosen its protocol, so asked at every rebalance.
    const cooperative =
      readString(lib, lib.call.rd_kafka_rebalance_protocol(this.#rk)) === "COOPERATIVE";
    let failure: TransportError | undefined;
    if (cooperative) {
      const error = assign
        ? lib.call.rd_kafka_incremental_assign(this.#rk, list)
        : lib.call.rd_kafka_incremental_unassign(this.#rk, list);
      failure = takeError(lib, error, "cannot apply the group's assignment");
    } else {
      const err = lib.call.rd_kafka_assign(this.#rk, assign ? list : null);
      if (err !== 0) failure = transportError(lib, err, "cannot apply the group's assignment");
    }
    if (failure) {
      this.#fatal = failure;
      return;
    }
    if (!cooperative && !assign) this.#assigned.clear();
    for (const tp of partitions) {
      if (assign) this.#assigned.set(key(tp), tp);
      else this.#assigned.delete(key(tp));
    }
    if (assign) this.#emit(change);
  }

  #emit(change: RebalanceEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        // A listener's failure is its own: report it as uncaught, as event
        // targets do, rather than lose the records this poll already read.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#checkOpen();
    if (offsets.length === 0) return Promise.resolve();
    return this.#request("OFFSET_COMMIT", async (queue) => {
      const lib = this.#lib;
      const list = createPartitionList(lib, offsets);
      try {
        const err = lib.call.rd_kafka_commit_queue(this.#rk, list, queue, null, null);
        if (err !== 0) throw transportError(lib, err, "cannot commit offsets");
      } finally {
        lib.call.rd_kafka_topic_partition_list_destroy(list);
      }
      const event = await this.#awaitEvent(queue, "commit");
      try {
        const err = lib.call.rd_kafka_event_error(event);
        if (err !== 0) throw transportError(lib, err, "the commit failed");
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
    });
  }

  /** Runs a request whose answer comes as an event on a private queue. */
  async #request<T>(_what: string, work: (queue: Pointer) => Promise<T>): Promise<T> {
    const queue = this.#lib.call.rd_kafka_queue_new(this.#rk)!;
    try {
      return await work(queue);
    } finally {
      this.#lib.call.rd_kafka_queue_destroy(queue);
    }
  }

  async #awaitEvent(queue: Pointer, what: string): Promise<Pointer> {
    const deadline = Date.now() + requestTimeoutMs;
    while (Date.now() < deadline) {
      const event = await this.#lib.wait.rd_kafka_queue_poll(queue, pollSliceMs);
      if (event !== null) return event;
    }
    throw transportError(this.#lib, errorCode.timedOut, `no answer to ${what}`);
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
    try {
      const error = await lib.wait.rd_kafka_seek_partitions(this.#rk, list, requestTimeoutMs);
      const where = `${position.topic}[${position.partition}]`;
      const failure = takeError(lib, error, `cannot seek ${where}`);
      if (failure) throw failure;
      const failed = readPartitionList(lib, list).find((entry) => entry.err !== 0);
      if (failed) throw transportError(lib, failed.err, `cannot seek ${where}`);
    } finally {
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
    return [...this.#assigned.values()];
  }

  lag(): PartitionLag[] {
    this.#checkOpen();
    const lib = this.#lib;
    const list = createPartitionList(lib, this.assignment());
    const low = new Uint8Array(8);
    const high = new Uint8Array(8);
    const out: PartitionLag[] = [];
    try {
      if (lib.call.rd_kafka_position(this.#rk, list) !== 0) return out;
      for (const { topic, partition, offset: position } of readPartitionList(lib, list)) {
        if (position < 0) continue;
        const err = lib.call.rd_kafka_get_watermark_offsets(
          this.#rk,
          cString(topic),
          partition,
          low,
          high,
        );
        const highWatermark = Number(new DataView(high.buffer).getBigInt64(0, true));
        if (err !== 0 || highWatermark < 0) continue;
        out.push({ topic, partition, position, highWatermark, lag: highWatermark - position });
      }
      return out;
    } finally {
      lib.call.rd_kafka_topic_partition_list_destroy(list);
    }
  }

  onRebalance(listener: (event: RebalanceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
      this.#events.drain(this.#queue);
      lib.call.rd_kafka_queue_destroy(this.#queue);
      await lib.wait.rd_kafka_destroy(this.#rk);
      this.#context.onClose();
    }
  }
}
