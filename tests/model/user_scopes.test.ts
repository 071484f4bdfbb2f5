/**
 * How users unit-test with FlowODM: models defined once at module level, each test on its own
 * memory:// broker and mock:// registry scope. Written with node:test and the public entry only,
 * so this file passes as it is under `deno test`, `bun test` and `node --test` (tsx on Node 20).
 * Schema ids belong to their registry: no test may see an id another test's scope issued.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { close, connect, defineModel, MockSchemaRegistry } from "../../mod.ts";

const Order = defineModel("UserOrder", v.object({ id: v.string(), total: v.number() }), {
  topic: "orders",
  consumerGroup: "billing",
  keyField: "id",
});
const Customer = defineModel("UserCustomer", v.object({ id: v.string(), name: v.string() }), {
  topic: "customers",
  consumerGroup: "crm",
});

const run = Date.now().toString(36);
const schemaIdOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);

test("an order round-trips on its own scope", async () => {
  connect({ bootstrapServers: `memory://first-${run}`, schemaRegistryUrl: `mock://first-${run}` });
  try {
    await Order.ensureTopic();
    await Order.produce({ id: "o-1", total: 10 });
    assert.deepEqual((await Order.consumeOne({ fromBeginning: true }))?.value, {
      id: "o-1",
      total: 10,
    });
  } finally {
    await close();
  }
});

test("a second scope where another schema took id 1 reads and writes its own ids", async () => {
  connect({
    bootstrapServers: `memory://second-${run}`,
    schemaRegistryUrl: `mock://second-${run}`,
  });
  try {
    await Customer.ensureTopic();
    await Customer.produce({ id: "c-1", name: "Ada" });
    await Order.ensureTopic();
    await Order.produce({ id: "o-2", total: 20 });
    assert.deepEqual((await Order.consumeOne({ fromBeginning: true }))?.value, {
      id: "o-2",
      total: 20,
    });
    // On the wire: this scope's id of Order's schema (Customer took 1 here), not the first scope's.
    const registry = new MockSchemaRegistry(`mock://second-${run}`);
    const own = await registry.lookup(Order.subject, JSON.stringify(Order.avroSchema));
    assert.equal(own?.id, 2);
    assert.equal(schemaIdOf(await Order.encode({ id: "o-2", total: 20 })), own.id);
    assert.deepEqual((await Customer.consumeOne({ fromBeginning: true }))?.value, {
      id: "c-1",
      name: "Ada",
    });
  } finally {
    await close();
  }
});

test("an explicit mock:// scope numbers from 1 again, whatever the model wrote before", async () => {
  const scope = `mock://third-${run}`;
  connect({ bootstrapServers: `memory://third-${run}`, schemaRegistryUrl: scope });
  try {
    await Customer.encode({ id: "c-0", name: "first here" });
    const bytes = await Order.encode({ id: "o-3", total: 30 });
    assert.equal(schemaIdOf(bytes), 2, "Customer took id 1 in this scope, Order id 2");
    assert.equal(JSON.parse(await new MockSchemaRegistry(scope).schemaById(2)).name, "UserOrder");
    assert.deepEqual(await Order.decode(bytes), { id: "o-3", total: 30 });
  } finally {
    await close();
  }
});

test("consume() reads every value of a fresh scope in order", async () => {
  connect({ bootstrapServers: `memory://fourth-${run}` }); // its registry: mock://fourth-...
  try {
    await Order.ensureTopic();
    await Order.produceMany([1, 2, 3].map((n) => ({ id: "same-key", total: n })));
    const totals: number[] = [];
    for await (const message of Order.consume({ fromBeginning: true })) {
      assert.ok(!message.tombstone);
      totals.push(message.value.total);
      await message.commit();
      if (totals.length === 3) break;
    }
    assert.deepEqual(totals, [1, 2, 3]);
  } finally {
    await close();
  }
});
