/** With a real model and the real registry, each kind of poison message lands in the DLT untouched. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { frame } from "../../src/serde/wire_format.ts";
import { quiet, readAll, until } from "./loop_support.ts";

test(
  "bad magic byte, unknown schema id, invalid Avro and invalid data go to the DLT without retries",
  { timeout: 60_000 },
  async () => {
    const connection = new Connection({
      bootstrapServers: kafkaBootstrap(),
      schemaRegistryUrl: registryUrl(),
    });
    const topic = uniqueName("poison");
    const group = uniqueName("poison-g");
    const Order = defineModel(
      "Order",
      v.object({ id: v.string(), qty: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
      {
        topic,
        consumerGroup: group,
        connection,
      },
    );
    try {
      await Order.ensureTopic({ partitions: 1 });
      const good = await Order.encode({ id: "ok", qty: 2 });
      const id = await Order.registerSchema();
      // Valid Avro of the model's own schema whose qty (0) the model's validation refuses.
      const zeroQty = new Uint8Array([4, 0x61, 0x62, 0]);
      const poison = {
        badMagic: new Uint8Array([1, 0, 0, 0, 1, 2]),
        unknownId: frame(2_000_000_000, new Uint8Array([2, 0x61, 2])),
        invalidAvro: frame(id, new Uint8Array([0xff, 0xff, 0xff])),
        invalidData: frame(id, zeroQty),
      };
      const producer = await connection.producer();
      const values = [good, ...Object.values(poison), good];
      const results = await producer.send(values.map((value) => ({ topic, key: null, value })));
      assert.ok(results.every((r) => r.ok));

      const handled: string[] = [];
      // The loop reads with shared bytes; what reaches the hooks must own its memory.
      const hooked: Uint8Array[] = [];
      const hook = (raw: { value: Uint8Array | null }) => void hooked.push(raw.value!);
      const loop = new ConsumerLoop({
        model: Order,
        handler: (order) => void handled.push(order.id),
        onError: (_error, raw) => hook(raw),
        onDeadLetter: (raw) => hook(raw),
        settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
        deadLetter: true,
        maxRetries: 3,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(
        () => handled.length + loop.stats.deadLettered >= values.length,
        30_000,
        "all messages",
      );
      loop.stop();
      await running;
      assert.deepEqual(handled, ["ok", "ok"]);
      assert.equal(loop.stats.retried, 0);
      assert.equal(hooked.length, 8, "onError and onDeadLetter for each poison message");
      const poisonBytes = Object.values(poison).map((p) => [...p]);
      assert.deepEqual(hooked.filter((_, i) => i % 2 === 0).map((b) => [...b]), poisonBytes);
      assert.deepEqual(hooked.filter((_, i) => i % 2 === 1).map((b) => [...b]), poisonBytes);
      for (const bytes of hooked) {
        assert.equal(bytes.byteOffset, 0, "a hook's bytes start their buffer");
        assert.equal(bytes.buffer.byteLength, bytes.byteLength, "and end it");
      }
      const transport = await connection.transport();
      const dead = await readAll(transport, `${group}.${topic}.dlt`, 4);
      assert.deepEqual(dead.map((m) => [...m.value!]), Object.values(poison).map((p) => [...p]));
      for (const message of dead) {
        assert.equal(headerText(message.headers, FailureHeader.errorClass), "DeserializationError");
        assert.equal(headerText(message.headers, FailureHeader.originalTopic), topic);
      }
      assert.match(headerText(dead[0].headers, FailureHeader.errorMessage) ?? "", /magic byte/);
      assert.match(
        headerText(dead[1].headers, FailureHeader.errorMessage) ?? "",
        /unknown schema id/,
      );
      assert.match(headerText(dead[2].headers, FailureHeader.errorMessage) ?? "", /invalid Avro/);
      assert.match(
        headerText(dead[3].headers, FailureHeader.errorMessage) ?? "",
        /not a valid Order/,
      );
    } finally {
      await connection.close();
    }
  },
);
