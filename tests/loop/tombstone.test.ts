/**
 * Tombstones (a key with a null value) from `Model.tombstone` reach a loop's
 * `onTombstone` in order with the values, with its retries; without the hook
 * they are undecodable and go to the dead letter topic, key kept.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { quiet, readAll, until } from "./loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });
const text = new TextDecoder();

function setup() {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const Product = defineModel(
    "Product",
    v.object({ sku: v.string(), price: v.number() }),
    {
      topic: uniqueName("products"),
      consumerGroup: uniqueName("cache"),
      keyField: "sku",
      connection,
    },
  );
  return { connection, Product };
}

if (runsOn(["node", "deno", "bun"])) {
  test("onTombstone sees each deleted key in order with the values, after a retry", {
    timeout: 60_000,
  }, async () => {
    const { connection, Product } = setup();
    try {
      await Product.ensureTopic({ partitions: 1 });
      await Product.produceMany([{ sku: "a", price: 1 }, { sku: "b", price: 2 }]);
      const report = await Product.tombstone("a", { headers: { reason: "discontinued" } });
      assert.equal(report.topic, Product.settings.topic);
      await Product.produce({ sku: "c", price: 3 });

      const cache = new Map<string, number>();
      const events: string[] = [];
      let failOnce = true;
      const loop = new ConsumerLoop({
        model: Product,
        handler: (product) => {
          cache.set(product.sku, product.price);
          events.push(`set ${product.sku}`);
        },
        onTombstone: (ctx) => {
          const sku = ctx.key!;
          if (failOnce) {
            failOnce = false;
            throw new Error("cache briefly unavailable");
          }
          assert.equal(headerText(ctx.headers, "reason"), "discontinued");
          cache.delete(sku);
          events.push(`delete ${sku} (attempt ${ctx.attempt})`);
        },
        settings,
        maxRetries: 2,
        retryDelayMs: 50,
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(() => loop.stats.processed === 4, 20_000, "4 records handled");
      loop.stop();
      await running;
      assert.deepEqual(events, ["set a", "set b", "delete a (attempt 2)", "set c"]);
      assert.deepEqual([...cache.keys()].sort(), ["b", "c"]);
      assert.equal(loop.stats.retried, 1);
      assert.equal(loop.stats.deadLettered, 0);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(["node", "deno", "bun"])) {
  test("without onTombstone a tombstone goes to the dead letter topic, key kept", {
    timeout: 60_000,
  }, async () => {
    const { connection, Product } = setup();
    try {
      await Product.ensureTopic({ partitions: 1 });
      await Product.produce({ sku: "a", price: 1 });
      await Product.tombstone("a");
      const handled: string[] = [];
      const loop = new ConsumerLoop({
        model: Product,
        handler: (product) => void handled.push(product.sku),
        settings,
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(() => loop.stats.deadLettered === 1, 20_000, "the tombstone dead-lettered");
      loop.stop();
      await running;
      assert.deepEqual(handled, ["a"]);
      const transport = await connection.transport();
      const [dead] = await readAll(
        transport,
        `${Product.settings.consumerGroup}.${Product.settings.topic}.dlt`,
        1,
      );
      assert.equal(dead.value, null);
      assert.equal(text.decode(dead.key!), "a");
      assert.equal(headerText(dead.headers, FailureHeader.errorClass), "DeserializationError");
    } finally {
      await connection.close();
    }
  });
}
