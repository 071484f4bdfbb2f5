/**
 * This library's own transport consumer, as the ConsumerLoop creates it:
 * the runtime's own raw figure (native on Node, FFI on Deno and Bun).
 */
import type { Connection, KafkaProperties, TransportConsumer } from "../mod.ts";

/**
 * A consumer of `topic` in a new group from the beginning, with a profile's
 * librdkafka properties; `sharedBytes` as the loop reads (ConsumerOptions).
 */
export async function transportConsumer(
  connection: Connection,
  topic: string,
  groupId: string,
  properties: KafkaProperties,
  sharedBytes = false,
): Promise<TransportConsumer> {
  const transport = await connection.transport();
  const consumer = await transport.consumer({
    groupId,
    fromBeginning: true,
    properties,
    sharedBytes,
  });
  await consumer.subscribe([topic]);
  return consumer;
}
