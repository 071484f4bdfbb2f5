/** Avro key models: keys in the Confluent wire format under `<topic>-key`, typed on consume. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ConfigError, DeserializationError, ValidationError } from "../../src/errors.ts";
import { defineModel, type ModelKey } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

const runtimes = ["node", "deno", "bun"] as const;

const Shipment = v.object({
  tenant: v.string(),
  shipment_id: v.bigint(),
  weight: v.number(),
  note: v.nullable(v.string()),
});
const ShipmentKey = v.object({ tenant: v.string(), shipment_id: v.bigint() });

function shipments(settings: object = {}) {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const Model = defineModel("Shipment", Shipment, {
    topic: uniqueName("shipments"),
    namespace: "com.example.keys",
    consumerGroup: uniqueName("shippers"),
    keySchema: ShipmentKey,
    connection,
    ...settings,
  });
  return { Model, connection };
}

test(
  "a key model registers under <topic>-key and its keys decode typed",
  { timeout: 60_000 },
  async () => {
    const { Model } = shipments();
    type Key = ModelKey<typeof Model>;
    assert.equal(Model.keySubject, `${Model.settings.topic}-key`);
    assert.deepEqual(Model.keyAvroSchema, {
      type: "record",
      name: "ShipmentKey",
      namespace: "com.example.keys",
      fields: [{ name: "tenant", type: "string" }, { name: "shipment_id", type: "long" }],
    });
    const valueId = await Model.registerSchema();
    const registry = new SchemaRegistryClient({ url: registryUrl() });
    const keyVersion = await registry.version(Model.keySubject!, "latest");
    assert.notEqual(keyVersion.id, valueId);
    assert.equal((await registry.version(Model.subject, "latest")).id, valueId);

    const value = { tenant: "acme", shipment_id: 2n ** 62n + 1n, weight: 1.5, note: null };
    const key: Key = Model.keyOf(value)!;
    assert.deepEqual(key, { tenant: "acme", shipment_id: 2n ** 62n + 1n });
    const bytes = await Model.encodeKey(key);
    assert.equal(bytes[0], 0);
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint32(1), keyVersion.id);
    assert.deepEqual(await Model.decodeKey(bytes), key);
    assert.equal(await Model.decodeKey(null), null);
    await assert.rejects(
      Model.decodeKey(new TextEncoder().encode("plain text"), {
        topic: "t",
        partition: 0,
        offset: 7,
      }),
      (e: unknown) =>
        e instanceof DeserializationError && /the key of Shipment/.test(e.message) &&
        e.origin?.offset === 7,
    );
    await assert.rejects(
      Model.encodeKey({ tenant: 5 } as never),
      (e: unknown) => e instanceof ValidationError && e.model === "ShipmentKey",
    );
  },
);

test("key subjects follow the strategy; keyField and keySchema together are refused", {
  timeout: 60_000,
}, () => {
  const subjects = (settings: object) => {
    const { Model } = shipments(settings);
    return [Model.subject, Model.keySubject];
  };
  assert.deepEqual(subjects({ topic: "t" }), ["t-value", "t-key"]);
  assert.deepEqual(subjects({ topic: "t", subjectStrategy: "record", keyName: "Id" }), [
    "com.example.keys.Shipment",
    "com.example.keys.Id",
  ]);
  assert.deepEqual(subjects({ topic: "t", subjectStrategy: "topicRecord" }), [
    "t-com.example.keys.Shipment",
    "t-com.example.keys.ShipmentKey",
  ]);
  assert.throws(() => shipments({ keyField: "tenant" }), ConfigError);
  // Text keys stay as they were.
  const Text = defineModel("Text", Shipment, { topic: "t", keyField: "tenant" });
  assert.equal(Text.keySubject, undefined);
  assert.equal(Text.keyOf({ tenant: "a", shipment_id: 1n, weight: 1, note: null }), "a");
});

if (runsOn(runtimes)) {
  test(
    "Avro keys travel through the broker: derived, explicit and raw; equal keys share a partition",
    { timeout: 90_000 },
    async () => {
      const { Model, connection } = shipments();
      try {
        await Model.ensureTopic({ partitions: 3 });
        const values = Array.from({ length: 60 }, (_, i) => ({
          tenant: `t-${i % 4}`,
          shipment_id: BigInt(i % 4) * 2n ** 60n,
          weight: i,
          note: i % 2 ? "odd" : null,
        }));
        const reports = await Model.produceMany(values);
        const explicit = { tenant: "chosen", shipment_id: -(2n ** 63n) };
        await Model.produce({ ...values[0], weight: 100 }, { key: explicit });
        await assert.rejects(
          Model.produce({ ...values[0], weight: 101 }, { key: null, partition: 0 }),
          (e: unknown) => e instanceof ValidationError && /key: null.*keySchema/.test(e.message),
        );
        // Another producer may still write one without a key: the readers name it undecodable.
        const raw = await (await connection.transport()).producer();
        try {
          const value = await Model.encode({ ...values[0], weight: 101 });
          const [sent] = await raw.send([{
            topic: Model.settings.topic,
            partition: 0,
            key: null,
            value,
            headers: [],
          }]);
          assert.ok(sent.ok);
        } finally {
          await raw.close();
        }
        // After the keyless record in its partition: once this arrives, that one was met.
        await Model.produce({ ...values[0], weight: 102 }, { partition: 0 });
        const seen = new Map<string, number>();
        reports.forEach((report, i) => {
          const tenant = values[i].tenant;
          assert.equal(report.partition, seen.get(tenant) ?? report.partition, tenant);
          seen.set(tenant, report.partition);
        });
        const received = new Map<number, { key: unknown; partition: number }>();
        // A key model's key is always there: a record written without one is undecodable.
        const keyless: string[] = [];
        const onUndecodable = (error: unknown) => void keyless.push((error as Error).message);
        for await (const message of Model.consume({ fromBeginning: true, onUndecodable })) {
          assert.ok(!message.tombstone);
          received.set(message.value.weight, { key: message.key, partition: message.partition });
          if (received.size === values.length + 2 && keyless.length === 1) {
            await message.commit();
            break;
          }
        }
        for (const [i, value] of values.entries()) {
          assert.deepEqual(received.get(i)?.key, Model.keyOf(value), `weight ${i}`);
          assert.equal(received.get(i)?.partition, reports[i].partition);
        }
        assert.deepEqual(received.get(100)?.key, explicit);
        assert.equal(received.has(101), false);
        assert.match(keyless[0], /has no key, but the model of .* has a keySchema/);
      } finally {
        await connection.close();
      }
    },
  );
}
