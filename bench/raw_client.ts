/**
 * `@confluentinc/kafka-javascript` used directly (its node-rdkafka-style API,
 * the fastest it offers): the baseline every other client is compared with.
 * Node only.
 */
import type { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { bootstrapServers, consumerProperties, producerProperties } from "./common.ts";

// deno-lint-ignore no-explicit-any
type Client = any;

const QUEUE_FULL = -184;

/** The addon, loaded on demand (it is a Node addon). */
export function kafkaJavascript(): Client {
  return createRequire(import.meta.url)("@confluentinc/kafka-javascript");
}

/** A connected producer that counts delivery reports. */
export async function rawProducer() {
  const Kafka = kafkaJavascript();
  const client: Client = new Kafka.Producer({
    "bootstrap.servers": bootstrapServers,
    partitioner: "murmur2_random",
    ...producerProperties,
    dr_cb: true,
  });
  await new Promise<void>((resolve, reject) =>
    client.connect({}, (error: unknown) => error ? reject(error) : resolve())
  );
  client.setPollInterval(5);
  let delivered = 0;
  let failed = 0;
  let waiting: { count: number; resolve: () => void } | undefined;
  client.on("delivery-report", (error: unknown) => {
    if (error) failed++;
    else delivered++;
    if (waiting && delivered + failed >= waiting.count) waiting.resolve();
  });
  return {
    /** Enqueues one record, waiting while librdkafka's queue is full. */
    async produce(topic: string, key: Buffer, value: Buffer): Promise<void> {
      while (true) {
        try {
          client.produce(topic, null, value, key, null);
          return;
        } catch (error) {
          if ((error as { code?: number }).code !== QUEUE_FULL) throw error;
          client.poll();
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    },
    /** Resolves once `count` records have a delivery report; rejects if any failed. */
    async delivered(count: number): Promise<void> {
      if (delivered + failed < count) {
        await new Promise<void>((resolve) => waiting = { count, resolve });
      }
      if (failed > 0) throw new Error(`${failed} messages were not delivered`);
    },
    close: () => new Promise<void>((resolve) => client.disconnect(() => resolve())),
  };
}

/**
 * A consumer in a new group reading `topic` from the beginning, with the
 * benchmark's fetch settings or the librdkafka `properties` given.
 */
export async function rawConsumer(
  topic: string,
  groupId: string,
  properties: Readonly<Record<string, string | number | boolean>> = consumerProperties,
): Promise<Client> {
  const Kafka = kafkaJavascript();
  const client: Client = new Kafka.KafkaConsumer({
    "bootstrap.servers": bootstrapServers,
    "group.id": groupId,
    ...properties,
  }, { "auto.offset.reset": "earliest" });
  await new Promise<void>((resolve, reject) =>
    client.connect({}, (error: unknown) => error ? reject(error) : resolve())
  );
  client.setDefaultConsumeTimeout(100);
  client.setDefaultIsTimeoutOnlyForFirstMessage(true);
  client.subscribe([topic]);
  return client;
}

/** Reads up to `max` messages (bytes only). */
export function rawConsume(client: Client, max: number): Promise<{ value: Buffer }[]> {
  return new Promise((resolve, reject) =>
    client.consume(
      max,
      (error: unknown, messages: { value: Buffer }[]) => error ? reject(error) : resolve(messages),
    )
  );
}
