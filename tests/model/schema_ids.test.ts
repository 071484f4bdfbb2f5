/**
 * Schema ids belong to the registry that issued them. After close() and connect() from
 * memory:// + mock:// to the real broker and registry, a model writes the real registry's own id
 * (issue #12: it used to write the mock's id 1, another subject's schema there). withConnection()
 * and two mock:// scopes never share an id either.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { close, connect, Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { MockSchemaRegistry } from "../../src/registry/mock_registry.ts";
import { createTransport } from "../../src/transport/select.ts";

const schemaIdOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
const Shipment = v.object({ shipment_id: v.string(), kg: v.number() });

test(
  "memory + mock, close, connect to the real stack, produce: the message carries the real registry's id",
  { timeout: 90_000 },
  async () => {
    const topic = uniqueName("stale-id");
    const scope = uniqueName("stale-scope");
    const Model = defineModel("StaleIdShipment", Shipment, { topic, keyField: "shipment_id" });
    connect({ bootstrapServers: `memory://${scope}`, schemaRegistryUrl: `mock://${scope}` });
    await Model.ensureTopic();
    await Model.produce({ shipment_id: "in-memory", kg: 1 });
    await close();

    connect({ bootstrapServers: kafkaBootstrap(), schemaRegistryUrl: registryUrl() });
    let report;
    try {
      await Model.ensureTopic();
      report = await Model.produce({ shipment_id: "on-the-stack", kg: 2 });
    } finally {
      await close();
    }
    const registry = new SchemaRegistryClient({ url: registryUrl() });
    const registered = await registry.lookup(Model.subject, JSON.stringify(Model.avroSchema));
    assert.ok(
      registered,
      `the model's subject ${Model.subject} is registered on the real registry`,
    );

    const transport = await createTransport({ bootstrapServers: kafkaBootstrap() });
    try {
      const consumer = await transport.consumer({
        groupId: uniqueName("stale-g"),
        fromBeginning: true,
      });
      await consumer.subscribe([topic]);
      const deadline = Date.now() + 30_000;
      let message;
      while (!message && Date.now() < deadline) [message] = await consumer.poll(1, 500);
      await consumer.close();
      assert.ok(message, "the message is on the real broker");
      assert.equal(message.offset, report.offset);
      assert.equal(schemaIdOf(message.value!), registered.id, "the real registry's own id");
      // Any reader of the real registry reads it: a fresh model on a fresh connection.
      const reader = Model.withConnection(
        new Connection({ bootstrapServers: kafkaBootstrap(), schemaRegistryUrl: registryUrl() }),
      );
      assert.deepEqual(await reader.decode(message.value), { shipment_id: "on-the-stack", kg: 2 });
    } finally {
      await transport.close();
    }
  },
);

test(
  "withConnection() and two mock:// scopes never share a schema id",
  { timeout: 60_000 },
  async () => {
    const a = `mock://${uniqueName("ids-a")}`;
    const b = `mock://${uniqueName("ids-b")}`;
    // Scope a holds two other schemas first, so the model's id differs between the scopes.
    const other = (name: string) => JSON.stringify({ type: "record", name, fields: [] });
    await new MockSchemaRegistry(a).register("first-value", other("First"));
    await new MockSchemaRegistry(a).register("second-value", other("Second"));
    const InA = defineModel("IdsShipment", Shipment, {
      topic: "ids",
      connection: new Connection({ bootstrapServers: "memory://ids-a", schemaRegistryUrl: a }),
    });
    const InB = InA.withConnection(
      new Connection({ bootstrapServers: "memory://ids-b", schemaRegistryUrl: b }),
    );
    const value = { shipment_id: "s-1", kg: 3 };
    const [bytesA, bytesB] = [await InA.encode(value), await InB.encode(value)];
    assert.equal(schemaIdOf(bytesA), 3);
    assert.equal(schemaIdOf(bytesB), 1);
    assert.deepEqual(await InA.decode(bytesA), value);
    assert.deepEqual(await InB.decode(bytesB), value);
    // Bytes of one scope carry an id the other scope gave to another schema, or to none.
    await assert.rejects(InB.decode(bytesA), /unknown schema id 3/);

    // One model, the default connection moved between scopes: each scope's own id.
    const Moving = defineModel("IdsMoving", Shipment, { topic: "ids-moving" });
    try {
      connect({ bootstrapServers: "memory://ids-a", schemaRegistryUrl: a });
      assert.equal(schemaIdOf(await Moving.encode(value)), 4);
      connect({ bootstrapServers: "memory://ids-b", schemaRegistryUrl: b });
      assert.equal(schemaIdOf(await Moving.encode(value)), 2);
      assert.deepEqual(await Moving.decode(await Moving.encode(value)), value);
    } finally {
      await close();
    }
  },
);
