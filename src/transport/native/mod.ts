/**
 * The `native` transport for Node: @confluentinc/kafka-javascript's
 * node-rdkafka-style API (librdkafka inside), chosen over its KafkaJS layer
 * because it hands librdkafka batches and delivery reports with the least JS
 * in between.
 *
 * @module
 */
import type { Transport, TransportConfig } from "../types.ts";
import { assembleTransport } from "../common/transport.ts";
import { clientContext } from "../common/client_context.ts";
import { nativeAdmin } from "./admin.ts";
import { nativeConsumer } from "./consumer.ts";
import { nativeProducer } from "./producer.ts";

/**
 * Creates the native transport (Node only).
 *
 * @example
 * ```ts
 * import { createNativeTransport } from "@flowodm/flowodm/native";
 * const transport = await createNativeTransport({ bootstrapServers: "localhost:9092" });
 * await transport.close();
 * ```
 */
export function createNativeTransport(config: TransportConfig): Promise<Transport> {
  const context = clientContext(config);
  return Promise.resolve(assembleTransport(config, {
    name: "native",
    producer: (properties) => nativeProducer(properties, context),
    consumer: (setup) => nativeConsumer(setup, context),
    admin: (properties) => nativeAdmin(properties, context),
  }));
}
