/**
 * The `native` transport for Node: @confluentinc/kafka-javascript's
 * node-rdkafka-style API (librdkafka inside), chosen over its KafkaJS layer
 * because it hands librdkafka batches and delivery reports with the least JS
 * in between.
 *
 * @module
 */
import type { KafkaProperties, Transport, TransportConfig } from "../types.ts";
import { nativeAdmin } from "./admin.ts";
import { nativeConsumer } from "./consumer.ts";
import { nativeProducer } from "./producer.ts";

/**
 * Creates the native transport (Node only).
 *
 * @example
 * ```ts
 * import { createNativeTransport } from "./mod.ts";
 * const transport = await createNativeTransport({ bootstrapServers: "localhost:9092" });
 * await transport.close();
 * ```
 */
export function createNativeTransport(config: TransportConfig): Promise<Transport> {
  const base: KafkaProperties = {
    ...config.properties,
    "metadata.broker.list": config.bootstrapServers,
  };
  const closers = new Set<() => Promise<void>>();
  const track = <T extends { close(): Promise<void> }>(client: T): T => {
    const close = client.close.bind(client);
    const once = async () => {
      closers.delete(once);
      await close();
    };
    closers.add(once);
    return Object.assign(client, { close: once });
  };
  return Promise.resolve({
    name: "native",
    producer: async (properties) => track(await nativeProducer({ ...base, ...properties })),
    consumer: async (options) => track(await nativeConsumer(base, options)),
    admin: () => Promise.resolve(track(nativeAdmin(base))),
    close: async () => {
      for (const close of [...closers]) await close();
    },
  });
}
