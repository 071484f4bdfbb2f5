/**
 * The `native` transport for Node: @confluentinc/kafka-javascript's
 * node-rdkafka-style API (librdkafka inside), chosen over its KafkaJS layer
 * because it hands librdkafka batches and delivery reports with the least JS
 * in between.
 *
 * @module
 */
import type { Transport, TransportConfig } from "../types.ts";
import { consumerProperties, producerProperties, startProperties } from "../properties.ts";
import { defaultConnectTimeoutMs } from "../reachability.ts";
import type { NativeContext } from "./events.ts";
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
  const bootstrap = { "bootstrap.servers": config.bootstrapServers };
  const context: NativeContext = {
    bootstrapServers: config.bootstrapServers,
    connectTimeoutMs: config.connectTimeoutMs ?? defaultConnectTimeoutMs,
    logger: config.logger,
    onError: config.onError,
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
    producer: async (properties) =>
      track(
        await nativeProducer(
          producerProperties({ profile: properties, user: config.properties, explicit: bootstrap }),
          context,
        ),
      ),
    consumer: async (options) =>
      track(
        await nativeConsumer(
          consumerProperties({
            profile: options.properties,
            user: config.properties,
            explicit: {
              ...bootstrap,
              "group.id": options.groupId,
              ...startProperties(options.fromBeginning),
            },
          }),
          context,
        ),
      ),
    admin: async () => track(await nativeAdmin({ ...config.properties, ...bootstrap }, context)),
    close: async () => {
      for (const close of [...closers]) await close();
    },
  });
}
