/**
 * The native producer against the real broker (Node only): the bytes it is
 * handed may be reused at once, every message of a batch gets its own
 * outcome, and a failed delivery is a TransportError naming the topic.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, uniqueName } from "../../support.ts";
import { bytes, consumeN, freshTopic, str } from "../conformance_support.ts";
import { createTransport } from "../../../src/transport/select.ts";
import { TransportError } from "../../../src/errors.ts";

const transportFor = () =>
  createTransport({ bootstrapServers: kafkaBootstrap(), transport: "native" });

if (runsOn(["node"])) {
  test(
    "native producer: bytes reused right after send() are sent as they were",
    { timeout: 120_000 },
    async () => {
      const transport = await transportFor();
      try {
        const topic = await freshTopic(transport, 1);
        // Messages wait in librdkafka (linger) while their memory is overwritten.
        const producer = await transport.producer({ "linger.ms": 500 });
        const slab = new Uint8Array(64);
        const messages = Array.from({ length: 8 }, (_, i) => {
          slab.set(bytes(`k${i}v${i}HI`), i * 8);
          return {
            topic,
            key: slab.subarray(i * 8, i * 8 + 2),
            value: slab.subarray(i * 8 + 2, i * 8 + 4),
            headers: [["h", slab.subarray(i * 8 + 4, i * 8 + 6)]] as [string, Uint8Array][],
          };
        });
        const sent = producer.send(messages);
        // Every produce() ran by the next macrotask: from here librdkafka owns copies.
        await new Promise((resolve) => setTimeout(resolve, 0));
        slab.fill(0x58);
        const results = await sent;
        await producer.close();
        assert.ok(results.every((r) => r.ok));
        const consumer = await transport.consumer({
          groupId: uniqueName("g"),
          fromBeginning: true,
        });
        await consumer.subscribe([topic]);
        const read = await consumeN(consumer, 8);
        await consumer.close();
        assert.deepEqual(
          read.map((m) => [str(m.key), str(m.value), str(m.headers[0][1])]),
          messages.map((_, i) => [`k${i}`, `v${i}`, "HI"]),
        );
      } finally {
        await transport.close();
      }
    },
  );

  test(
    "native producer: batches in flight together each get every outcome, in order",
    { timeout: 120_000 },
    async () => {
      const transport = await transportFor();
      try {
        const topic = await freshTopic(transport, 3);
        // The mixed batch goes elsewhere: only `producer` writes to `topic`.
        const other = await freshTopic(transport, 1);
        const producer = await transport.producer();
        const missing = uniqueName("missing");
        const quick = await transport.producer({ "topic.metadata.propagation.max.ms": 1000 });
        const batches = [0, 1, 2].map((b) =>
          Array.from({ length: 500 }, (_, i) => ({
            topic,
            key: bytes(`k${i % 7}`),
            value: bytes(`${b}:${i}`),
          }))
        );
        const [mixed, ...rest] = await Promise.all([
          quick.send([
            { topic: other, key: null, value: bytes("before") },
            { topic: missing, key: null, value: bytes("lost") },
            { topic: other, key: null, value: bytes("after") },
          ]),
          ...batches.map((batch) => producer.send(batch)),
        ]);
        await producer.close();
        await quick.close();
        assert.ok(mixed[0].ok && mixed[2].ok);
        const lost = mixed[1];
        assert.ok(!lost.ok && lost.error instanceof TransportError);
        assert.match(lost.error.message, new RegExp(`delivery to ${missing} failed`));
        assert.equal(str(lost.message.value), "lost");
        for (const results of rest) {
          assert.equal(results.length, 500);
          assert.ok(results.every((r) => r.ok && r.report.topic === topic));
        }
        // Within a partition, the offsets follow send order across the batches.
        const byPartition = new Map<number, number[]>();
        for (const r of rest.flat()) {
          if (!r.ok) continue;
          const offsets = byPartition.get(r.report.partition) ?? [];
          offsets.push(r.report.offset);
          byPartition.set(r.report.partition, offsets);
        }
        for (const offsets of byPartition.values()) {
          assert.deepEqual(offsets, offsets.map((_, i) => i));
        }
      } finally {
        await transport.close();
      }
    },
  );
}
