/**
 * The `memory` transport: an in-process Kafka for users' unit tests and
 * demos, selected with `bootstrapServers: "memory://name"`. Every transport
 * of one process naming the same broker shares its topics, offsets and
 * groups. It keeps Kafka's observable behaviour: per-partition order, keys
 * partitioned with murmur2 exactly as Java clients and librdkafka's
 * `murmur2_random` do, headers, null keys and values, committed offsets,
 * range-assigned consumer groups that rebalance when members join or leave,
 * pause/resume, seek, and delivery errors (`UNKNOWN_TOPIC_OR_PART` unless
 * `auto.create.topics.enable` is true, `MSG_SIZE_TOO_LARGE` above
 * `message.max.bytes`, default 1 000 000). It is not a replacement for a
 * real broker in integration tests: no replication, no persistence.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import type { Transport, TransportConfig } from "../types.ts";
import { assembleTransport } from "../common/transport.ts";
import { MemoryAdmin } from "./admin.ts";
import { memoryBroker } from "./broker.ts";
import { MemoryConsumer } from "./consumer.ts";
import { MemoryProducer } from "./producer.ts";

const scheme = "memory://";

/**
 * Creates the in-process `memory` transport for `memory://name`.
 *
 * @example
 * ```ts
 * import { createMemoryTransport } from "@flowodm/flowodm/testing";
 * const transport = createMemoryTransport({ bootstrapServers: "memory://demo" });
 * const admin = await transport.admin();
 * await admin.ensureTopic({ topic: "orders", partitions: 3 });
 * const producer = await transport.producer();
 * const [result] = await producer.send([
 *   { topic: "orders", key: null, value: new TextEncoder().encode("hello") },
 * ]);
 * if (result.ok) console.log(result.report.partition, result.report.offset);
 * await transport.close();
 * ```
 */
export function createMemoryTransport(config: TransportConfig): Transport {
  if (!config.bootstrapServers.startsWith(scheme)) {
    throw new ConfigError(
      `the memory transport needs bootstrapServers "memory://name", got "${config.bootstrapServers}"`,
    );
  }
  const broker = memoryBroker(config.bootstrapServers.slice(scheme.length));
  return assembleTransport(config, {
    name: "memory",
    producer: (properties) =>
      Promise.resolve(
        new MemoryProducer(broker, {
          autoCreateTopics: String(properties["auto.create.topics.enable"]) === "true",
          maxMessageBytes: Number(properties["message.max.bytes"] ?? 1_000_000),
        }),
      ),
    consumer: (setup) => Promise.resolve(new MemoryConsumer(broker, setup, config.onError)),
    admin: () => Promise.resolve(new MemoryAdmin(broker)),
  });
}
