/**
 * The `ffi` producer: `rd_kafka_produceva` with a per-message opaque, and
 * delivery reports read as events from the main queue by a pump that runs
 * only while messages are in flight.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type {
  DeliveryResult,
  KafkaProperties,
  OutgoingMessage,
  TransportProducer,
} from "../types.ts";
import type { ClientContext } from "../common/client_context.ts";
import { DeliveryBatch } from "../common/delivery_batch.ts";
import { ClientHandle } from "./client_handle.ts";
import { cString, errorCode, eventType, takeError, transportError } from "./librdkafka.ts";
import { MessageReader } from "./message.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { MessagePacker } from "./produce_args.ts";

/** `RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT`, and the codes purged messages report. */
const purgeAll = 3;
const purgedCodes = new Set([-152, -151]);

/** How long one off-thread poll of the delivery queue may wait. */
const pollSliceMs = 100;
/** Events served per wake-up before yielding to the JS thread. */
const drainBatch = 1000;

/** A producer over librdkafka; create with {@link FfiProducer.create}. */
export class FfiProducer implements TransportProducer {
  readonly #handle: ClientHandle;
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  readonly #queue: Pointer;
  readonly #reader: MessageReader;
  readonly #packer: MessagePacker;
  /** Sends with messages still awaiting their outcome, oldest first: a few, so a scan finds one. */
  readonly #batches: DeliveryBatch[] = [];
  /** Messages handed over and not yet reported. */
  #inFlight = 0;
  #nextOpaque = 1;
  #pump: Promise<void> | null = null;
  #pumping = false;
  #served: (() => void)[] = [];
  /** The hand-over of the sends that met a full queue, in call order; how many there are. */
  #handingOver: Promise<void> = Promise.resolve();
  #waitingSends = 0;
  #closed = false;

  private constructor(handle: ClientHandle) {
    this.#handle = handle;
    this.#lib = handle.lib;
    this.#rk = handle.rk;
    this.#queue = handle.queue;
    this.#reader = new MessageReader(handle.lib);
    this.#packer = new MessagePacker(handle.lib);
  }

  /**
   * Creates a producer from resolved librdkafka properties (see
   * `producerProperties`) once a broker answered; fails naming the bootstrap
   * servers when none did within the connect timeout.
   */
  static create(
    lib: NativeLibrary,
    properties: KafkaProperties,
    context: ClientContext,
  ): Promise<FfiProducer> {
    return ClientHandle.open(
      lib,
      { kind: "producer", properties, events: eventType.dr },
      context,
      (handle) => new FfiProducer(handle),
    );
  }

  get #fatal(): TransportError | null {
    return this.#handle.fatal;
  }

  /**
   * Hands every message to librdkafka in call order, across calls too: while
   * an earlier send waits for room in a full queue, a later one waits behind
   * it. With room, messages are handed over at once, without a turn each.
   */
  async send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]> {
    if (this.#fatal) throw this.#fatal;
    if (this.#closed) throw new TransportError("send() on a closed producer");
    if (messages.length === 0) return [];
    let done!: (results: DeliveryResult[]) => void;
    const delivered = new Promise<DeliveryResult[]>((resolve) => done = resolve);
    const batch = new DeliveryBatch(messages, this.#nextOpaque, done);
    this.#nextOpaque += messages.length;
    this.#batches.push(batch);
    const next = this.#waitingSends === 0 ? this.#enqueueUntilFull(batch, 0) : 0;
    if (next < messages.length) await this.#enqueueBehindWaiting(batch, next);
    return delivered;
  }

  /** Hands `batch` over from `from` on, after the sends already waiting, as room frees up. */
  #enqueueBehindWaiting(batch: DeliveryBatch, from: number): Promise<void> {
    this.#waitingSends++;
    const handedOver = this.#handingOver.then(async () => {
      let next = from;
      while ((next = this.#enqueueUntilFull(batch, next)) < batch.messages.length) {
        await this.#pumpPass();
      }
    }).finally(() => this.#waitingSends--);
    this.#handingOver = handedOver.catch(() => {});
    return handedOver;
  }

  /** Resolves after the delivery pump's next pass. */
  #pumpPass(): Promise<void> {
    this.#startPump();
    return new Promise<void>((resolve) => this.#served.push(resolve));
  }

  /**
   * Hands `batch`'s messages over from `from` on until librdkafka's queue is
   * full; returns the index of the first one not handed over. A message
   * refused for any other reason gets its failure.
   */
  #enqueueUntilFull(batch: DeliveryBatch, from: number): number {
    const lib = this.#lib;
    const messages = batch.messages;
    for (let i = from; i < messages.length; i++) {
      const opaque = batch.firstOpaque + i;
      if (this.#fatal) {
        this.#failed(batch, opaque, this.#fatal);
        continue;
      }
      const args = this.#packer.pack(messages[i], opaque);
      const error = lib.call.rd_kafka_produceva(this.#rk, args.buffer, args.count);
      if (error === null) {
        this.#inFlight++;
        continue;
      }
      const failure = takeError(lib, error, `cannot produce to ${messages[i].topic}`)!;
      if (failure.code === errorCode.queueFull) return i;
      this.#failed(batch, opaque, failure);
    }
    if (this.#inFlight > 0) this.#startPump();
    return messages.length;
  }

  #failed(batch: DeliveryBatch, opaque: number, error: Error): void {
    if (batch.failed(opaque, error)) this.#finished(batch);
  }

  #finished(batch: DeliveryBatch): void {
    this.#batches.splice(this.#batches.indexOf(batch), 1);
  }

  #batchOf(opaque: number): DeliveryBatch | undefined {
    for (const batch of this.#batches) if (batch.holds(opaque)) return batch;
    return undefined;
  }

  #startPump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#pump = this.#runPump();
  }

  // `#pumping` falls in the same turn as the loop's last check: a sender woken by the last pass
  // that hands over more messages then starts a new pump, instead of finding this one ending.
  async #runPump(): Promise<void> {
    const lib = this.#lib;
    try {
      while (this.#inFlight > 0 || this.#served.length > 0) {
        let event = await lib.wait.rd_kafka_queue_poll(this.#queue, pollSliceMs);
        for (let n = 0; event !== null; n++) {
          this.serve(event);
          lib.call.rd_kafka_event_destroy(event);
          event = n < drainBatch ? lib.call.rd_kafka_queue_poll(this.#queue, 0) : null;
        }
        const waiting = this.#served;
        this.#served = [];
        for (const wake of waiting) wake();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Serves one event of the main queue: delivery reports, log lines and errors. */
  serve(event: Pointer): void {
    const lib = this.#lib;
    const type = lib.call.rd_kafka_event_type(event);
    if (type === eventType.dr) {
      this.#handle.events.log.recovered();
      const reader = this.#reader;
      for (
        let m = lib.call.rd_kafka_event_message_next(event);
        m !== null;
        m = lib.call.rd_kafka_event_message_next(event)
      ) {
        const opaque = reader.opaque(m);
        const batch = this.#batchOf(opaque);
        if (!batch) continue;
        this.#inFlight--;
        const err = reader.err(m);
        if (err === errorCode.noError) {
          this.#handle.reached = true;
          const partition = reader.partition(m);
          if (batch.delivered(opaque, partition, reader.offset(m), reader.timestamp(m))) {
            this.#finished(batch);
          }
        } else {
          const topic = batch.messages[opaque - batch.firstOpaque].topic;
          const error = this.#fatal && purgedCodes.has(err)
            ? this.#fatal
            : transportError(lib, err, `delivery to ${topic} failed`);
          this.#failed(batch, opaque, error);
        }
      }
    } else {
      const ended = this.#handle.serveClientEvent(event, type);
      // Refused before any broker served it: fail what waits instead of timing out.
      if (ended === "refused") lib.call.rd_kafka_purge(this.#rk, purgeAll);
      if (ended === "fatal") this.#failFatally(this.#handle.fatal!);
    }
  }

  /**
   * A fatal error (e.g. the idempotent producer was fenced) ends the
   * producer: what is queued fails with it, and so does every later send.
   */
  #failFatally(cause: TransportError): void {
    this.#handle.fatal = new TransportError(
      `the producer was closed after a fatal error: ${cause.message}; ` +
        `close() the connection and connect again to produce`,
      { code: cause.code, codeName: cause.codeName, retriable: false, cause },
    );
    // Purge the queue and in-flight requests: their delivery reports carry the purge.
    this.#lib.call.rd_kafka_purge(this.#rk, purgeAll);
    queueMicrotask(() => void this.close().catch(() => {}));
  }

  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight > 0 || this.#waitingSends > 0) {
      if (Date.now() >= deadline) {
        throw transportError(
          this.#lib,
          errorCode.timedOut,
          `flush timed out after ${timeoutMs} ms with ${this.#inFlight} message(s) in flight`,
        );
      }
      await this.#pumpPass();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      await this.#pump;
      await this.#handle.release();
    }
  }

  /** Raises a fatal error in librdkafka, as a fenced producer would meet (tests only). */
  async injectFatalError(code: number, reason: string): Promise<void> {
    const lib = this.#lib;
    lib.call.rd_kafka_test_fatal_error(this.#rk, code, cString(reason));
    for (let tries = 0; tries < 50 && !this.#fatal; tries++) {
      const event = await lib.wait.rd_kafka_queue_poll(this.#queue, 100);
      if (event === null) continue;
      try {
        this.serve(event);
      } finally {
        lib.call.rd_kafka_event_destroy(event);
      }
    }
  }
}
