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

interface InFlight {
  readonly message: OutgoingMessage;
  readonly settle: (result: DeliveryResult) => void;
}

/** A producer over librdkafka; create with {@link FfiProducer.create}. */
export class FfiProducer implements TransportProducer {
  readonly #handle: ClientHandle;
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  readonly #queue: Pointer;
  readonly #reader: MessageReader;
  readonly #packer: MessagePacker;
  readonly #inFlight = new Map<number, InFlight>();
  #nextOpaque = 1;
  #pump: Promise<void> | null = null;
  #served: (() => void)[] = [];
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

  async send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]> {
    if (this.#fatal) throw this.#fatal;
    if (this.#closed) throw new TransportError("send() on a closed producer");
    const results: Promise<DeliveryResult>[] = [];
    for (const message of messages) results.push((await this.#enqueue(message)).delivered);
    return Promise.all(results);
  }

  /** Hands one message to librdkafka, waiting (never dropping) while its queue is full. */
  async #enqueue(message: OutgoingMessage): Promise<{ delivered: Promise<DeliveryResult> }> {
    const lib = this.#lib;
    for (;;) {
      if (this.#fatal) {
        return { delivered: Promise.resolve({ ok: false, error: this.#fatal, message }) };
      }
      const opaque = this.#nextOpaque++;
      const args = this.#packer.pack(message, opaque);
      const error = lib.call.rd_kafka_produceva(this.#rk, args.buffer, args.count);
      if (error === null) {
        const delivered = new Promise<DeliveryResult>((settle) =>
          this.#inFlight.set(opaque, { message, settle })
        );
        this.#startPump();
        return { delivered };
      }
      const failure = takeError(lib, error, `cannot produce to ${message.topic}`)!;
      if (failure.code !== errorCode.queueFull) {
        return { delivered: Promise.resolve({ ok: false, error: failure, message }) };
      }
      this.#startPump();
      await new Promise<void>((resolve) => this.#served.push(resolve));
    }
  }

  #startPump(): void {
    this.#pump ??= this.#runPump().finally(() => (this.#pump = null));
  }

  async #runPump(): Promise<void> {
    const lib = this.#lib;
    while (this.#inFlight.size > 0 || this.#served.length > 0) {
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
        const entry = this.#inFlight.get(opaque);
        if (!entry) continue;
        this.#inFlight.delete(opaque);
        const err = reader.err(m);
        if (err === errorCode.noError) {
          this.#handle.reached = true;
          entry.settle({
            ok: true,
            report: {
              topic: entry.message.topic,
              partition: reader.partition(m),
              offset: reader.offset(m),
              timestamp: reader.timestamp(m),
            },
          });
        } else {
          const error = this.#fatal && purgedCodes.has(err)
            ? this.#fatal
            : transportError(lib, err, `delivery to ${entry.message.topic} failed`);
          entry.settle({ ok: false, error, message: entry.message });
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
    while (this.#inFlight.size > 0) {
      if (Date.now() >= deadline) {
        throw transportError(
          this.#lib,
          errorCode.timedOut,
          `flush timed out after ${timeoutMs} ms with ${this.#inFlight.size} message(s) in flight`,
        );
      }
      this.#startPump();
      await new Promise<void>((resolve) => this.#served.push(resolve));
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
