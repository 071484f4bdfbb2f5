/**
 * The one consumed-message shape, made by `decodeMessage` and seen by
 * `consume()`, `consumeOne()` and loop handlers; tombstones; what happens to
 * undecodable records; a missing group. On the memory transport and mock
 * registry (product features), so these run without a stack.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ConfigError, DeserializationError } from "../../src/errors.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { headerText } from "../../src/loop/headers.ts";
import type { RawMessage } from "../../src/loop/options.ts";
import { decodeMessage } from "../../src/model/consumed_message.ts";
import { defineModel } from "../../src/model/define_model.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function models() {
  const scope = uniqueName("shape");
  const connection = new Connection({
    bootstrapServers: `memory://${scope}`,
    schemaRegistryUrl: `mock://${scope}`,
    logger: quiet,
  });
  const Product = defineModel("ShapeProduct", v.object({ sku: v.string(), price: v.number() }), {
    topic: `${scope}-products`,
    consumerGroup: `${scope}-cache`,
    keyField: "sku",
    connection,
  });
  const Shipment = defineModel("ShapeShipment", v.object({ id: v.string(), kg: v.number() }), {
    topic: `${scope}-shipments`,
    consumerGroup: `${scope}-shippers`,
    keySchema: v.object({ id: v.string() }),
    connection,
  });
  return { connection, Product, Shipment };
}

async function rawProduce(connection: Connection, topic: string, value: Uint8Array | null) {
  const producer = await (await connection.transport()).producer();
  try {
    const [result] = await producer.send([{ topic, key: null, value, headers: [] }]);
    assert.ok(result.ok);
  } finally {
    await producer.close();
  }
}

test("decodeMessage: value, text key, headers as a list, coordinates, writer schema id", {
  timeout: 60_000,
}, async () => {
  const { connection, Product } = models();
  try {
    const schemaId = await Product.registerSchema();
    const bytes = await Product.encode({ sku: "a", price: 1 });
    const headers = [["h", new TextEncoder().encode("1")], ["h", new TextEncoder().encode("2")]];
    const message = {
      topic: Product.settings.topic,
      partition: 2,
      offset: 9,
      timestamp: 77,
      key: new TextEncoder().encode("a"),
      value: bytes,
      headers: headers as [string, Uint8Array][],
    };
    const decoded = await decodeMessage(Product, message);
    assert.equal(decoded.tombstone, false);
    assert.deepEqual(decoded.value, { sku: "a", price: 1 });
    assert.equal(decoded.key, "a");
    assert.equal(decoded.schemaId, schemaId);
    assert.deepEqual([decoded.partition, decoded.offset, decoded.timestamp], [2, 9, 77]);
    assert.equal(headerText(decoded.headers, "h"), "2", "the last of a repeated header");
    assert.equal(decoded.headers.length, 2, "repeated headers kept");
    const tombstone = await decodeMessage(Product, { ...message, value: null });
    assert.deepEqual([tombstone.tombstone, tombstone.value, tombstone.schemaId, tombstone.key], [
      true,
      null,
      undefined,
      "a",
    ]);
  } finally {
    await connection.close();
  }
});

test(
  "decodeMessage: a key model's record without a key is undecodable",
  { timeout: 60_000 },
  async () => {
    const { connection, Shipment } = models();
    try {
      const message = {
        topic: Shipment.settings.topic,
        partition: 0,
        offset: 3,
        timestamp: 0,
        key: null,
        value: await Shipment.encode({ id: "s", kg: 2 }),
        headers: [],
      };
      await assert.rejects(
        decodeMessage(Shipment, message),
        (e: unknown) =>
          e instanceof DeserializationError && /has no key.*keySchema/.test(e.message),
      );
    } finally {
      await connection.close();
    }
  },
);

test("consume() yields the tombstones Model.tombstone() writes, with typed keys", {
  timeout: 60_000,
}, async () => {
  const { connection, Product, Shipment } = models();
  try {
    await Product.ensureTopic({ partitions: 1 });
    await Product.produce({ sku: "a", price: 1 });
    await Product.tombstone("a", { headers: { reason: "gone" } });
    const seen: string[] = [];
    for await (const msg of Product.consume({ fromBeginning: true })) {
      const key: string | null = msg.key;
      seen.push(
        msg.tombstone ? `delete ${key} (${headerText(msg.headers, "reason")})` : `set ${key}`,
      );
      await msg.commit();
      if (seen.length === 2) break;
    }
    assert.deepEqual(seen, ["set a", "delete a (gone)"]);

    await Shipment.ensureTopic({ partitions: 1 });
    await Shipment.produce({ id: "s-1", kg: 3 });
    await Shipment.tombstone({ id: "s-1" });
    const first = await Shipment.consumeOne({ fromBeginning: true });
    const second = await Shipment.consumeOne({ fromBeginning: true });
    // A key model's key is its type, never null: this line would not compile with `| null`.
    const id: string = first!.key.id;
    assert.equal(id, "s-1");
    assert.deepEqual(first?.value, { id: "s-1", kg: 3 });
    assert.equal(second?.tombstone, true);
    assert.deepEqual(second?.key, { id: "s-1" });
  } finally {
    await connection.close();
  }
});

test("consume(): an undecodable record throws by default and the error says how to go on", {
  timeout: 60_000,
}, async () => {
  const { connection, Product } = models();
  try {
    await Product.ensureTopic({ partitions: 1 });
    await rawProduce(connection, Product.settings.topic, new TextEncoder().encode("{json"));
    await Product.produce({ sku: "b", price: 2 });
    await assert.rejects(
      async () => {
        for await (const _ of Product.consume({ fromBeginning: true })) break;
      },
      (e: unknown) =>
        e instanceof DeserializationError && /magic byte/.test(e.message) &&
        /onUndecodable: "skip" or a callback/.test(e.message),
    );
    // Nothing was committed: the same group meets the record again, and skips it when told to.
    const values: string[] = [];
    for await (const msg of Product.consume({ fromBeginning: true, onUndecodable: "skip" })) {
      assert.ok(!msg.tombstone);
      values.push(msg.value.sku);
      await msg.commit({ sync: true });
      break;
    }
    assert.deepEqual(values, ["b"]);
  } finally {
    await connection.close();
  }
});

test("consume() and consumeOne(): a callback receives each undecodable record and they go on", {
  timeout: 60_000,
}, async () => {
  const { connection, Product } = models();
  try {
    await Product.ensureTopic({ partitions: 1 });
    await rawProduce(connection, Product.settings.topic, new Uint8Array([0, 0, 0, 0, 99, 1]));
    await Product.produce({ sku: "c", price: 3 });
    await rawProduce(connection, Product.settings.topic, new Uint8Array([7]));
    await Product.produce({ sku: "d", price: 4 });
    const bad: [string, number][] = [];
    const onUndecodable = (error: unknown, raw: RawMessage) =>
      void bad.push([(error as Error).name, raw.offset]);
    const iterated: string[] = [];
    for await (
      const msg of Product.consume({
        groupId: uniqueName("it"),
        onUndecodable,
        fromBeginning: true,
      })
    ) {
      if (!msg.tombstone) iterated.push(msg.value.sku);
      if (iterated.length === 2) break;
    }
    assert.deepEqual(iterated, ["c", "d"]);
    const one = await Product.consumeOne({ onUndecodable, fromBeginning: true });
    assert.equal(one?.value?.sku, "c");
    const two = await Product.consumeOne({ onUndecodable, fromBeginning: true });
    assert.equal(two?.value?.sku, "d");
    assert.deepEqual(bad.map(([, offset]) => offset), [0, 2, 0, 2]);
    assert.ok(bad.every(([name]) => name === "DeserializationError"));
  } finally {
    await connection.close();
  }
});

test("a missing consumer group is a ConfigError in consume(), consumeOne() and loops", {
  timeout: 60_000,
}, async () => {
  const { connection } = models();
  try {
    const NoGroup = defineModel("ShapeNoGroup", v.object({ n: v.number() }), {
      topic: uniqueName("nogroup"),
      connection,
    });
    const named = (e: unknown) =>
      e instanceof ConfigError && /consumerGroup|groupId/.test(e.message);
    await assert.rejects(NoGroup.consume().next(), named);
    await assert.rejects(NoGroup.consumeOne(), named);
    const loop = new ConsumerLoop({ model: NoGroup, handler: () => {}, handleSignals: false });
    await assert.rejects(loop.run(), named);
  } finally {
    await connection.close();
  }
});

test(
  "loop handlers see the same shape: typed key, tombstone flag, schema id",
  { timeout: 60_000 },
  async () => {
    const { connection, Shipment } = models();
    try {
      await Shipment.ensureTopic({ partitions: 1 });
      const schemaId = await Shipment.registerSchema();
      await Shipment.produce({ id: "s-9", kg: 1 });
      await Shipment.tombstone({ id: "s-9" });
      const seen: string[] = [];
      const loop = new ConsumerLoop({
        model: Shipment,
        handler: (value, ctx) => {
          assert.equal(ctx.schemaId, schemaId);
          assert.deepEqual(ctx.value, value);
          seen.push(`set ${ctx.key.id} attempt ${ctx.attempt}`);
        },
        onTombstone: (ctx) => void seen.push(`delete ${ctx.key.id} ${ctx.tombstone}`),
        fromBeginning: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      const deadline = Date.now() + 20_000;
      while (loop.stats.processed < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      loop.stop();
      await running;
      assert.deepEqual(seen, ["set s-9 attempt 1", "delete s-9 true"]);
    } finally {
      await connection.close();
    }
  },
);
