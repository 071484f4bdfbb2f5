/** The native producer: one librdkafka producer, delivery reports matched to sends by opaque. */
import { Buffer } from "node:buffer";
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

const QUEUE_FULL = -184;

/** One send() call: its results fill in as delivery reports arrive, in any order. */
interface Batch {
  readonly messages: readonly OutgoingMessage[];
  readonly results: DeliveryResult[];
  readonly firstOpaque: number;
  remaining: number;
  readonly done: (results: DeliveryResult[]) => void;
}

function buffer(bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

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
  // Opaques are numbered per message; each maps to its batch (no promise per message).
  const pending = new Map<number, Batch>();
  let nextOpaque = 1;

  function settle(opaque: number, result: DeliveryResult): void {
    const batch = pending.get(opaque);
    if (!batch) return;
    pending.delete(opaque);
    batch.results[opaque - batch.firstOpaque] = result;
    if (--batch.remaining === 0) batch.done(batch.results);
  }

  client.on("delivery-report", (error: unknown, report: {
    opaque: number;
    topic: string;
    partition: number;
    offset: number;
    timestamp?: number;
  }) => {
    const batch = pending.get(report.opaque);
    if (!batch) return;
    if (!error) log.recovered();
    settle(
      report.opaque,
      error
        ? {
          ok: false,
          error: fatal ?? transportError("delivery failed", error),
          message: batch.messages[report.opaque - batch.firstOpaque],
        }
        : {
          ok: true,
          report: {
            topic: report.topic,
            partition: report.partition,
            offset: report.offset,
            timestamp: report.timestamp ?? Date.now(),
          },
        },
    );
  });
  client.setPollInterval(5);

  // Hands one message to librdkafka; "full" when its queue has no room.
  function tryProduce(message: OutgoingMessage, opaque: number): "full" | undefined {
    const headers = message.headers?.length
      ? message.headers.map(([key, value]) => ({ [key]: buffer(value) }))
      : undefined;
    try {
      client.produce(
        message.topic,
        message.partition ?? null,
        buffer(message.value),
        buffer(message.key),
        message.timestamp ?? null,
        opaque,
        headers,
      );
      return undefined;
    } catch (error) {
      if ((error as { code?: number }).code === QUEUE_FULL) return "full";
      settle(opaque, {
        ok: false,
        error: transportError(`produce to ${message.topic}`, error),
        message,
      });
      return undefined;
    }
  }

  async function enqueue(batch: Batch): Promise<void> {
    for (let i = 0; i < batch.messages.length; i++) {
      const opaque = batch.firstOpaque + i;
      pending.set(opaque, batch);
      while (tryProduce(batch.messages[i], opaque) === "full") {
        // Let deliveries drain; the message is never dropped and nothing overtakes it.
        client.poll();
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
    const batch: Batch = {
      messages,
      results: new Array(messages.length),
      firstOpaque: nextOpaque,
      remaining: messages.length,
      done,
    };
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
