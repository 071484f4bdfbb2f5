/** encode() and encodeMany() hand out bytes that own their buffer; producing still works from the slabs. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";

function assertOwned(bytes: Uint8Array, what: string) {
  assert.equal(bytes.byteOffset, 0, `${what}: byteOffset`);
  assert.equal(bytes.buffer.byteLength, bytes.length, `${what}: buffer.byteLength`);
}

function model(topic = uniqueName("owned")) {
  return defineModel(
    "Owned",
    v.object({ id: v.string(), n: v.number() }),
    {
      topic,
      consumerGroup: uniqueName("owned-g"),
      keySchema: v.object({ id: v.string() }),
      connection: new Connection({
        bootstrapServers: kafkaBootstrap(),
        schemaRegistryUrl: registryUrl(),
      }),
    },
  );
}

test("encode, encodeMany and encodeKey return bytes that own exactly their buffer", {
  timeout: 60_000,
}, async () => {
  const Owned = model();
  const one = await Owned.encode({ id: "a", n: 1 });
  assertOwned(one, "encode");
  const many = await Owned.encodeMany(
    Array.from({ length: 50 }, (_, i) => ({ id: `v${i}`, n: i })),
  );
  many.forEach((bytes, i) => assertOwned(bytes, `encodeMany[${i}]`));
  assertOwned(await Owned.encodeKey({ id: "a" }), "encodeKey");
  for (const bytes of await Owned.encodeKeys([{ id: "a" }, null, { id: "b" }])) {
    if (bytes) assertOwned(bytes, "encodeKeys");
  }
  // Holding one value keeps its own bytes, not a slab; the values stay what they were.
  assert.deepEqual(await Owned.decode(many[7]), { id: "v7", n: 7 });
  assert.deepEqual(await Owned.decode(one), { id: "a", n: 1 });
  // A large value (bigger than a slab) owns its buffer too.
  const big = await Owned.encode({ id: "x".repeat(100_000), n: 2 });
  assertOwned(big, "a value larger than a slab");
  assert.equal((await Owned.decode(big)).id.length, 100_000);
});

test("produce and produceMany still deliver every value intact", { timeout: 120_000 }, async () => {
  const Owned = model();
  await Owned.ensureTopic({ partitions: 2 });
  try {
    const values = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, n: i }));
    await Owned.produceMany(values);
    await Owned.produce({ id: "last", n: -1 });
    const seen = new Map<string, number>();
    for await (const message of Owned.consume({ fromBeginning: true })) {
      assert.ok(!message.tombstone);
      seen.set(message.value.id, message.value.n);
      assert.equal(message.key?.id, message.value.id);
      if (seen.size === values.length + 1) break;
    }
    for (const value of values) assert.equal(seen.get(value.id), value.n);
    assert.equal(seen.get("last"), -1);
  } finally {
    await Owned.connection.close();
  }
});
