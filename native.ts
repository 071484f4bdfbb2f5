/**
 * `@flowodm/flowodm/native`: the `native` transport for Node, librdkafka
 * inside `@confluentinc/kafka-javascript`. `connect()` selects it by itself on
 * Node (imported lazily, so the main entry does not load the addon); import
 * this entry to create the transport directly.
 *
 * @example
 * ```ts
 * import { createNativeTransport } from "@flowodm/flowodm/native";
 * const transport = await createNativeTransport({ bootstrapServers: "127.0.0.1:9092" });
 * const producer = await transport.producer();
 * const [result] = await producer.send([
 *   { topic: "orders", key: null, value: new TextEncoder().encode("hello") },
 * ]);
 * if (result.ok) console.log(result.report.offset);
 * await transport.close();
 * ```
 *
 * @module
 */
export { createNativeTransport } from "./src/transport/native/mod.ts";
export type * from "./src/transport/types.ts";
