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
import {
  clientType,
  createClient,
  errorCode,
  eventType,
  readString,
  takeError,
  transportError,
} from "./librdkafka.ts";
import { MessageReader } from "./message.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { MessagePacker } from "./produce_args.ts";
import { refusalCode, refusalError, saslMechanism } from "../refusal.ts";

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
  readonly #lib: NativeLibrary;
  readonly #rk: Pointer;
  readonly #queue: Pointer;
  readonly #reader: MessageReader;
  readonly #packer: MessagePacker;
  readonly #inFlight = new Map<number, InFlight>();
  #nextOpaque = 1;
  #pump: Promise<void> | null = null;
  #served: (() => void)[] = [];
  #fatal: TransportError | null = null;
  /** Whether a broker ever acknowledged a message: until then a refusal is fatal. */
  #reached = false;
  #closed = false;
  readonly #onClose: () => void;

  readonly #mechanism: string;

  private constructor(lib: NativeLibrary, rk: Pointer, mechanism: string, onClose: () => void) {
    this.#lib = lib;
    this.#mechanism = mechanism;
    this.#rk = rk;
    this.#queue = lib.call.rd_kafka_queue_get_main(rk)!;
    this.#reader = new MessageReader(lib);
    this.#packer = new MessagePacker(lib);
    this.#onClose = onClose;
  }

  /** Creates a producer; properties are librdkafka's, passed through. */
  static create(lib: NativeLibrary, properties: KafkaProperties, onClose: () => void): FfiProducer {
    const rk = createClient(
      lib,
      clientType.producer,
      // Java clients hash keys with murmur2; so must we for the same key to land on the same partition.
      { partitioner: "murmur2_random", ...properties },
      eventType.dr | eventType.error,
    );
    return new FfiProducer(lib, rk, saslMechanism(properties), onClose);
  }

  async send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]> {
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
        this.#handle(event);
        lib.call.rd_kafka_event_destroy(event);
        event = n < drainBatch ? lib.call.rd_kafka_queue_poll(this.#queue, 0) : null;
      }
      const waiting = this.#served;
      this.#served = [];
      for (const wake of waiting) wake();
    }
  }

  #handle(event: Pointer): void {
    const lib = this.#lib;
    const type = lib.call.rd_kafka_event_type(event);
    if (type === eventType.dr) {
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
          this.#reached = true;
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
    } else if (type === eventType.error) {
      const code = lib.call.rd_kafka_event_error(event);
      const detail = readString(lib, lib.call.rd_kafka_event_error_string(event));
      if (lib.call.rd_kafka_event_error_is_fatal(event)) {
        this.#fatal = transportError(lib, code, "the producer met a fatal error", detail, false);
      } else if (!this.#reached && !this.#fatal && refusalCode(code, detail) !== undefined) {
        // Never served and refused (see ../refusal.ts): fail what waits instead of timing out.
        this.#fatal = refusalError(refusalCode(code, detail)!, detail, this.#mechanism);
        lib.call.rd_kafka_purge(this.#rk, purgeAll);
      }
    }
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
      this.#lib.call.rd_kafka_queue_destroy(this.#queue);
      await this.#lib.wait.rd_kafka_destroy(this.#rk);
      this.#onClose();
    }
  }
}
