/**
 * Confluent's own AvroSerializer/AvroDeserializer and this library, through
 * the real registry: every supported type both ways, and models that evolved
 * apart reading each other's bytes.
 */
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { confluent } from "./confluent.ts";

async function confluentSerde() {
  const { sr, client } = await confluent();
  return {
    serializer: (config: object) => new sr.AvroSerializer(client, sr.SerdeType.VALUE, config),
    deserializer: () => new sr.AvroDeserializer(client, sr.SerdeType.VALUE, {}),
  };
}

const Shipment = v.object({
  id: v.string(),
  weight: v.number(),
  pieces: v.pipe(v.number(), v.integer()),
  fragile: v.boolean(),
  status: v.picklist(["NEW", "SENT", "LOST"]),
  tags: v.array(v.string()),
  dims: v.record(v.string(), v.number()),
  to: v.pipe(v.object({ city: v.string(), zip: v.nullable(v.string()) }), v.title("Address")),
  label: v.instance(Uint8Array),
  note: v.nullish(v.string()),
});

const shipment = {
  id: "s-1",
  weight: 2.25,
  pieces: 3,
  fragile: true,
  status: "SENT" as const,
  tags: ["a", "ü"],
  dims: { w: 1.5, h: 40 },
  to: { city: "Lyon", zip: null },
  label: new Uint8Array([0, 1, 254, 255]),
  note: "leave at door",
};

test(
  "nested records, enums, arrays, maps, bytes and unions cross both ways",
  { timeout: 60_000 },
  async () => {
    const { serializer, deserializer } = await confluentSerde();
    const topic = uniqueName("interop-types");
    const Model = defineModel("Shipment", Shipment, {
      topic,
      namespace: "com.example.interop",
      connection: new Connection({ schemaRegistryUrl: registryUrl() }),
    });
    const ours = await Model.encode(shipment);
    const read = await deserializer().deserialize(topic, Buffer.from(ours));
    assert.deepEqual(
      { ...read, to: { ...read.to }, dims: { ...read.dims }, label: new Uint8Array(read.label) },
      shipment,
    );

    const theirs: Uint8Array = await serializer({ useLatestVersion: true }).serialize(topic, {
      ...shipment,
      status: "LOST",
      note: null,
      label: Buffer.from([9, 8]),
    });
    assert.deepEqual([...theirs.subarray(0, 5)], [...ours.subarray(0, 5)], "same magic and id");
    const decoded = await Model.decode(new Uint8Array(theirs));
    assert.deepEqual({ ...decoded, label: new Uint8Array(decoded.label) }, {
      ...shipment,
      status: "LOST",
      note: null,
      label: new Uint8Array([9, 8]),
    });
  },
);

test("Confluent writes an older schema, this library reads it as the newer model, and back", {
  timeout: 60_000,
}, async () => {
  const { serializer, deserializer } = await confluentSerde();
  const topic = uniqueName("interop-evolve");
  const v1 = {
    type: "record",
    name: "Profile",
    namespace: "com.example.interop",
    fields: [{ name: "id", type: "string" }, { name: "visits", type: "int" }],
  };
  const registry = new SchemaRegistryClient({ url: registryUrl() });
  const v1Id = await registry.register(`${topic}-value`, JSON.stringify(v1));
  // BACKWARD, not FULL: v2 widens visits to long, which v1 readers could not read.
  await registry.setCompatibility("BACKWARD", `${topic}-value`);
  const V2 = defineModel(
    "Profile",
    v.object({
      id: v.string(),
      visits: v.pipe(v.number(), v.integer()),
      plan: v.optional(v.string(), "free"),
    }),
    {
      topic,
      namespace: "com.example.interop",
      connection: new Connection({ schemaRegistryUrl: registryUrl() }),
    },
  );

  // Confluent's serializer writes with the (only) registered version, v1: int visits, no plan.
  const fromV1: Uint8Array = await serializer({ useLatestVersion: true }).serialize(topic, {
    id: "p1",
    visits: 4,
  });
  assert.equal(new DataView(fromV1.buffer, fromV1.byteOffset).getUint32(1), v1Id);
  assert.deepEqual(await V2.decode(new Uint8Array(fromV1)), { id: "p1", visits: 4, plan: "free" });

  // This library registers v2 under BACKWARD and writes with it; Confluent reads the writer's shape.
  const fromV2 = await V2.encode({ id: "p2", visits: 5_000_000_000, plan: "pro" });
  assert.notEqual(new DataView(fromV2.buffer, fromV2.byteOffset).getUint32(1), v1Id);
  assert.deepEqual({ ...(await deserializer().deserialize(topic, Buffer.from(fromV2))) }, {
    id: "p2",
    visits: 5_000_000_000,
    plan: "pro",
  });
  assert.deepEqual(await registry.versions(`${topic}-value`), [1, 2]);
});
