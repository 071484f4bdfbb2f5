/** The native producer: one librdkafka producer, delivery reports matched to sends by opaque. */
import { Buffer } from "node:buffer";
import type {
  DeliveryResult,
  KafkaProperties,
  OutgoingMessage,
  TransportProducer,
} from "../types.ts";
import { call, type Kafka, kafka, transportError } from "./client.ts";

const QUEUE_FULL = -184;

interface Pending {
  readonly message: OutgoingMessage;
  readonly settle: (result: DeliveryResult) => void;
}

function buffer(bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A connected native producer. */
export async function nativeProducer(properties: KafkaProperties): Promise<TransportProducer> {
  const client: Kafka = new (kafka().Producer)({
    // Java clients hash keys with murmur2; the ffi transport does too.
    partitioner: "murmur2_random",
    ...properties,
    dr_cb: true,
  });
  await call("producer connect", (done) => client.connect({}, done));
  const pending = new Map<number, Pending>();
  let nextOpaque = 1;
  client.on("delivery-report", (error: unknown, report: {
    opaque: number;
    topic: string;
    partition: number;
    offset: number;
    timestamp?: number;
  }) => {
    const entry = pending.get(report.opaque);
    if (!entry) return;
    pending.delete(report.opaque);
    entry.settle(
      error
        ? { ok: false, error: transportError("delivery failed", error), message: entry.message }
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

  // Returns the delivery promise, or "full" when librdkafka's queue has no room.
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
      const entry = pending.get(opaque)!;
      pending.delete(opaque);
      entry.settle({
        ok: false,
        error: transportError(`produce to ${message.topic}`, error),
        message,
      });
      return undefined;
    }
  }

  async function enqueue(messages: readonly OutgoingMessage[]): Promise<Promise<DeliveryResult>[]> {
    const results: Promise<DeliveryResult>[] = [];
    for (const message of messages) {
      const opaque = nextOpaque++;
      results.push(new Promise((settle) => pending.set(opaque, { message, settle })));
      while (tryProduce(message, opaque) === "full") {
        // Let deliveries drain; the message is never dropped and nothing overtakes it.
        client.poll();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    return results;
  }

  // Batches enter librdkafka one after another, so per-key order holds across send() calls.
  let queue: Promise<unknown> = Promise.resolve();
  function send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]> {
    const enqueued = queue.then(() => enqueue(messages));
    queue = enqueued.catch(() => {});
    return enqueued.then((results) => Promise.all(results));
  }

  return {
    send,
    flush: (timeoutMs = 30_000) => call<void>("flush", (done) => client.flush(timeoutMs, done)),
    close: async () => {
      await call<void>("flush", (done) => client.flush(30_000, done));
      await call<void>("producer disconnect", (done) => client.disconnect(done));
    },
  };
}
