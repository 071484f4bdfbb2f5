/**
 * produce(), produceMany(), send() and ModelProducer take the schema's input type: a field with a
 * default may be left out, and arrives filled in. Against the real broker and registry.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel, type ModelInput, type ModelOutput } from "../../src/model/define_model.ts";
import { ModelProducer } from "../../src/model/model_producer.ts";
import { headerText } from "../../src/loop/headers.ts";

const runtimes = ["node", "deno", "bun"] as const;

const Order = v.object({
  id: v.string(),
  region: v.optional(v.string(), "eu"),
  qty: v.optional(v.number(), 1),
  note: v.optional(v.string()),
});

function orders(keyField: "id" | "region" = "id") {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const Model = defineModel("DefaultedOrder", Order, {
    topic: uniqueName("defaulted"),
    consumerGroup: uniqueName("defaulted-g"),
    keyField,
    connection,
  });
  return { Model, connection };
}

// Type-level: compiled by `deno check` with the tests, never run.
function _typeChecks(Model: ReturnType<typeof orders>["Model"]) {
  const input: ModelInput<typeof Model> = { id: "a" };
  const output: ModelOutput<typeof Model> = { id: "a", region: "eu", qty: 1 };
  void Model.produce(input);
  void Model.produceMany([{ id: "b" }, { id: "c", qty: 2 }]);
  Model.send({ id: "d" });
  void new ModelProducer().produce(Model, { id: "e" });
  // @ts-expect-error: id has no default
  void Model.produce({ qty: 2 });
  // @ts-expect-error: a read value always has its defaulted fields
  const missing: ModelOutput<typeof Model> = { id: "a" };
  return [output, missing];
}
void _typeChecks;

if (runsOn(runtimes)) {
  test("produce, produceMany and send take values without their defaulted fields", {
    timeout: 60_000,
  }, async () => {
    const { Model, connection } = orders();
    try {
      await Model.ensureTopic({ partitions: 1 });
      await Model.produce({ id: "o-1" });
      await Model.produceMany([{ id: "o-2", qty: 5 }, { id: "o-3", region: "us" }]);
      Model.send({ id: "o-4", note: "sent" });
      await Model.flush();
      const received = [];
      for await (const message of Model.consume({ fromBeginning: true })) {
        received.push({ key: message.key, value: message.value });
        if (received.length === 4) break;
      }
      assert.deepEqual(received, [
        { key: "o-1", value: { id: "o-1", region: "eu", qty: 1 } },
        { key: "o-2", value: { id: "o-2", region: "eu", qty: 5 } },
        { key: "o-3", value: { id: "o-3", region: "us", qty: 1 } },
        { key: "o-4", value: { id: "o-4", region: "eu", qty: 1, note: "sent" } },
      ]);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test("a key taken from a defaulted field is the default when the value leaves it out", {
    timeout: 60_000,
  }, async () => {
    const { Model, connection } = orders("region");
    try {
      const [record] = await Model.encodeRecords([{ id: "o-1" }]);
      assert.equal(new TextDecoder().decode(record.key!), "eu");
      assert.equal(record.topic, Model.settings.topic);
      assert.deepEqual(await Model.decode(record.value), { id: "o-1", region: "eu", qty: 1 });
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test(
    "a ModelProducer sends any model's values through its connection",
    { timeout: 60_000 },
    async () => {
      const { Model, connection } = orders();
      const producer = new ModelProducer(connection);
      try {
        await Model.ensureTopic({ partitions: 1 });
        const report = await producer.produce(Model, { id: "p-1" }, {
          headers: { via: "producer" },
        });
        assert.equal(report.topic, Model.settings.topic);
        const reports = await producer.produceMany(Model, [{ id: "p-2" }, { id: "p-3", qty: 3 }]);
        assert.deepEqual(reports.map((r) => r.offset), [report.offset + 1, report.offset + 2]);
        producer.send(Model, { id: "p-4" });
        await producer.flush();
        const tombstone = await producer.tombstone(Model, "p-1");
        assert.equal(tombstone.offset, report.offset + 4);
        const seen = [];
        for await (const message of Model.consume({ fromBeginning: true })) {
          assert.ok(!message.tombstone);
          seen.push([message.key, message.value.qty, headerText(message.headers, "via")]);
          if (seen.length === 4) break;
        }
        assert.deepEqual(seen, [
          ["p-1", 1, "producer"],
          ["p-2", 1, undefined],
          ["p-3", 3, undefined],
          ["p-4", 1, undefined],
        ]);
      } finally {
        await connection.close();
      }
    },
  );
}
