/**
 * Chaos: the broker dies with SIGKILL mid-stream and comes back. With default
 * settings (an idempotent producer) every message is acked, and reading the
 * topic back finds each exactly once: none lost, none duplicated. The node is
 * a private one on this test's own ports; the shared stack stays up.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { runtime, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import type { Logger } from "../../src/transport/logging.ts";
import { KafkaNode } from "./kafka_node.ts";

/** Runtimes run one after another, so they share the ports (and the formatted storage). */
const [port, controllerPort] = [19092, 19093];

const Tick = v.object({ id: v.pipe(v.number(), v.integer()), key: v.string() });

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const total = 50_000;
const batchSize = 500;
/** produceMany calls in flight at once, so batches are mid-flight when the broker dies. */
const inFlight = 4;

test(
  "broker SIGKILL mid-stream: 50,000 keyed messages with default settings, all acked, 0 lost, 0 duplicated",
  { timeout: 240_000 },
  async () => {
    const started = Date.now();
    const node = await KafkaNode.start(port, controllerPort);
    const nodeUp = Date.now();
    const lines: string[] = [];
    const logger: Logger = {
      info: () => {},
      warn: (message) => void lines.push(message),
      error: (message) => void lines.push(message),
    };
    const connection = new Connection({
      bootstrapServers: node.bootstrapServers,
      schemaRegistryUrl: `mock://${uniqueName("chaos")}`,
      logger,
    });
    try {
      const Model = defineModel("Tick", Tick, {
        topic: uniqueName("chaos"),
        keyField: "key",
        connection,
      });
      await Model.ensureTopic({ partitions: 3 });
      let next = 0;
      let acked = 0;
      let outage: Promise<void> | undefined;
      const sender = async () => {
        while (next < total) {
          const first = next;
          next += batchSize;
          const values = Array.from({ length: batchSize }, (_, i) => ({
            id: first + i,
            key: `key-${first + i}`,
          }));
          const reports = await Model.produceMany(values);
          acked += reports.length;
          if (!outage && acked >= total / 3) {
            node.kill();
            // Down for two seconds, then the JVM's own start time, while the senders keep going.
            outage = new Promise((resolve) => setTimeout(resolve, 2_000)).then(() =>
              node.restart()
            );
          }
        }
      };
      await Promise.all(Array.from({ length: inFlight }, sender));
      await outage;
      assert.ok(outage, "the broker was killed mid-stream");
      assert.equal(acked, total, "every message acked");
      const allAcked = Date.now();

      // Read everything back by key: each id exactly once.
      const transport = await connection.transport();
      const consumer = await transport.consumer({
        groupId: uniqueName("chaos-check"),
        fromBeginning: true,
      });
      await consumer.subscribe([Model.settings.topic]);
      const seen = new Uint32Array(total);
      let read = 0;
      const caughtUp = () => {
        const lag = consumer.lag();
        return lag.length === 3 && lag.every((partition) => partition.lag === 0);
      };
      const deadline = Date.now() + 90_000;
      // Until everything arrived and every partition is read to its end, where a duplicate would be.
      while (Date.now() < deadline && (read < total || !caughtUp())) {
        for (const message of await consumer.poll(5_000, 500)) {
          seen[Number(new TextDecoder().decode(message.key!).slice(4))]++;
          read++;
        }
      }
      await consumer.close();
      const lost = seen.filter((count) => count === 0).length;
      const duplicated = seen.reduce((sum, count) => sum + Math.max(0, count - 1), 0);
      console.log(
        `broker kill [${runtime}]: ${acked} acked, ${read} read, ${lost} lost, ${duplicated} duplicated, ` +
          `${lines.length} log lines; s: node start ${seconds(nodeUp - started)}, produce with ` +
          `kill and restart ${seconds(allAcked - nodeUp)}, read back ${
            seconds(Date.now() - allAcked)
          }`,
      );
      assert.equal(lost, 0, "none lost");
      assert.equal(duplicated, 0, "none duplicated");
      assert.equal(read, total);
    } finally {
      await connection.close();
      await node.stop();
    }
  },
);
