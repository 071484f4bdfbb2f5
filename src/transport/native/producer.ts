/** The native producer: one librdkafka producer, delivery reports matched to sends by opaque. */
import type {
  DeliveryResult,
  KafkaProperties,
  OutgoingMessage,
  TransportProducer,
} from "../types.ts";
import { TransportError } from "../../errors.ts";
import { call, type Kafka, kafka, transportError } from "./client.ts";
import { connectWithin, watchEvents } from "./events.ts";
import type { ClientContext } from "../common/client_context.ts";
import { DeliveryBatch } from "../common/delivery_batch.ts";

const QUEUE_FULL = -184;

/**
 * An empty value or key the addon sends as empty, not null: it reads the
 * data pointer of the bytes it gets, and an empty ArrayBuffer has none, so
 * `new Uint8Array(0)` went out as null (a tombstone). A zero-length view of
 * a buffer with memory has a pointer.
 */
const empty = new Uint8Array(new ArrayBuffer(1), 0, 0);
const withMemory = (bytes: Uint8Array | null) =>
  bytes !== null && bytes.length === 0 ? empty : bytes;

/**
 * A connected native producer from resolved properties (see
 * `producerProperties`); fails naming the bootstrap servers when no broker
 * answered within the connect timeout.
 */
export async function nativeProducer(
  properties: KafkaProperties,
  context: ClientContext,
): Promise<TransportProducer> {
  const client: Kafka = new (kafka().Producer)({ ...properties, dr_cb: true });
  let fatal: TransportError | undefined;
  let closing: Promise<void> | undefined;
  const log = watchEvents(client, "producer", context, (cause) => {
    if (fatal) return;
    // A fatal error (e.g. the idempotent producer was fenced) ends the producer.
    fatal = new TransportError(
      `the producer was closed after a fatal error: ${cause.message}; ` +
        `close() the connection and connect again to produce`,
      { code: cause.code, codeName: cause.codeName, retriable: false, cause },
    );
    queueMicrotask(() => void close().catch(() => {}));
  });
  await connectWithin("producer connect", client, properties, context);
  // Opaques are numbered per message; each falls in one batch's range (no promise or map
  // entry per message). Batches in flight, oldest first: a few, so a scan finds one.
  const inFlight: DeliveryBatch[] = [];
  let nextOpaque = 1;

  function batchOf(opaque: number): DeliveryBatch | undefined {
    for (const batch of inFlight) if (batch.holds(opaque)) return batch;
    return undefined;
  }

  function finished(batch: DeliveryBatch): void {
    inFlight.splice(inFlight.indexOf(batch), 1);
  }

  function fail(batch: DeliveryBatch, opaque: number, error: Error): void {
    if (batch.failed(opaque, error)) finished(batch);
  }

  client.on("delivery-report", (error: unknown, report: {
    opaque: number;
    partition: number;
    offset: number;
    timestamp?: number;
  }) => {
    const batch = batchOf(report.opaque);
    if (!batch) return;
    if (error) {
      const topic = batch.messages[report.opaque - batch.firstOpaque].topic;
      return fail(
        batch,
        report.opaque,
        fatal ?? transportError(`delivery to ${topic} failed`, error),
      );
    }
    log.recovered();
    const timestamp = report.timestamp ?? Date.now();
    if (batch.delivered(report.opaque, report.partition, report.offset, timestamp)) {
      finished(batch);
    }
  });
  // librdkafka's background thread serves delivery reports and events; the
  // addon hands them to this thread in chunks (no poll() on this thread).
  client.setPollInBackground(true);

  // Hands one message to librdkafka; "full" when its queue has no room.
  function tryProduce(
    batch: DeliveryBatch,
    message: OutgoingMessage,
    opaque: number,
  ): "full" | undefined {
    const headers = message.headers?.length
      ? message.headers.map(([key, value]) => ({ [key]: value }))
      : undefined;
    try {
      client.produce(
        message.topic,
        message.partition ?? null,
        withMemory(message.value),
        withMemory(message.key),
        message.timestamp ?? null,
        opaque,
        headers,
      );
      return undefined;
    } catch (error) {
      if ((error as { code?: number }).code === QUEUE_FULL) return "full";
      fail(batch, opaque, transportError(`produce to ${message.topic}`, error));
      return undefined;
    }
  }

  async function enqueue(batch: DeliveryBatch): Promise<void> {
    inFlight.push(batch);
    const messages = batch.messages;
    for (let i = 0; i < messages.length; i++) {
      while (tryProduce(batch, messages[i], batch.firstOpaque + i) === "full") {
        // Let deliveries drain; the message is never dropped and nothing overtakes it.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  // Batches enter librdkafka one after another, so per-key order holds across send() calls.
  let queue: Promise<unknown> = Promise.resolve();
  function send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]> {
    if (fatal) return Promise.reject(fatal);
    if (closing) return Promise.reject(new TransportError("send() on a closed producer"));
    if (messages.length === 0) return Promise.resolve([]);
    let done!: (results: DeliveryResult[]) => void;
    const delivered = new Promise<DeliveryResult[]>((resolve) => done = resolve);
    const batch = new DeliveryBatch(messages, nextOpaque, done);
    nextOpaque += messages.length;
    const enqueued = queue.then(() => enqueue(batch));
    queue = enqueued.catch(() => {});
    return enqueued.then(() => delivered);
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      try {
        await call<void>("flush", (done) => client.flush(30_000, done));
      } finally {
        await call<void>("producer disconnect", (done) => client.disconnect(done));
      }
    })();
    return closing;
  }

  return {
    send,
    flush: (timeoutMs = 30_000) => call<void>("flush", (done) => client.flush(timeoutMs, done)),
    close,
    // Tests only: the addon cannot raise one, so its fatal error event is simulated.
    injectFatalError: (code: number, reason: string) => {
      client.emit("event.error", Object.assign(new Error(reason), { code, isFatal: true }));
      return Promise.resolve();
    },
  } as TransportProducer;
}
