/**
 * The stack's Kafka is real: through the official client under Node, create a
 * 3-partition topic, produce 1,000 keyed messages and read all of them back in
 * a consumer group with each partition's order kept.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, uniqueName } from "../support.ts";

const clientModule = "@confluentinc/kafka-javascript";

if (runsOn(["node"])) {
  test("1,000 keyed messages round-trip through a 3-partition topic in a group", {
    timeout: 90_000,
  }, async () => {
    const { KafkaJS } = await import(clientModule);
    const kafka = new KafkaJS.Kafka({ kafkaJS: { brokers: [kafkaBootstrap()], logLevel: 1 } });
    const topic = uniqueName("smoke");
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    await admin.disconnect();

    const producer = kafka.producer({ kafkaJS: { acks: -1 } });
    await producer.connect();
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      key: `key-${i % 17}`,
      value: String(i),
    }));
    await producer.send({ topic, messages });
    await producer.disconnect();

    const consumer = kafka.consumer({
      kafkaJS: { groupId: uniqueName("smoke-group"), fromBeginning: true, autoCommit: true },
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    const received: { partition: number; key: string; value: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of 1000 arrived`)),
        45_000,
      );
      consumer.run({
        eachMessage: ({ partition, message }: {
          partition: number;
          message: { key: Uint8Array; value: Uint8Array };
        }) => {
          received.push({
            partition,
            key: new TextDecoder().decode(message.key),
            value: Number(new TextDecoder().decode(message.value)),
          });
          if (received.length === 1000) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();

    assert.equal(received.length, 1000);
    assert.deepEqual(new Set(received.map((m) => m.value)).size, 1000);
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const m of received) {
      partitionsOfKey.set(m.key, (partitionsOfKey.get(m.key) ?? new Set()).add(m.partition));
    }
    for (const [key, partitions] of partitionsOfKey) assert.equal(partitions.size, 1, key);
    assert.equal(new Set(received.map((m) => m.partition)).size, 3, "all 3 partitions used");
    for (const partition of [0, 1, 2]) {
      const values = received.filter((m) => m.partition === partition).map((m) => m.value);
      assert.deepEqual(
        values,
        [...values].sort((a, b) => a - b),
        `partition ${partition} in order`,
      );
    }
  });
}
