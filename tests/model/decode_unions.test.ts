/**
 * Unions avsc leaves unwrapped (a map next to an array, a record next to
 * bytes, a string next to a map) in values written with an evolved writer
 * schema: avsc resolves them onto the model's schema and the value adapter
 * turns each branch's value into the model's (plain Uint8Arrays). Against
 * the real registry.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { modelFromAvro } from "../../src/model/model_from_avro.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

const blob = { type: "record", name: "Blob", fields: [{ name: "data", type: "bytes" }] };
const field = (name: string, type: unknown) => ({ name, type, default: null });

const own = {
  type: "record",
  name: "Packet",
  namespace: "unions",
  fields: [
    { name: "id", type: "string" },
    // The array before the map: the model's v.record (a map) would take an array and make an object of it.
    field("payload", ["null", { type: "array", items: "bytes" }, { type: "map", values: "bytes" }]),
    field("attachment", ["null", blob, "bytes"]),
    field("note", ["null", "string", { type: "map", values: "bytes" }]),
  ],
};

// The writer's next version: a field more, and the other unions' branches in another order.
const evolved = {
  ...own,
  fields: [
    { name: "id", type: "string" },
    field("payload", ["null", { type: "array", items: "bytes" }, { type: "map", values: "bytes" }]),
    field("attachment", ["null", "bytes", blob]),
    field("note", ["null", { type: "map", values: "bytes" }, "string"]),
    { name: "channel", type: "string", default: "web" },
  ],
};

const bytes = (...values: number[]) => new Uint8Array(values);

const packets = [
  { id: "p-1", payload: { a: bytes(1, 2) }, attachment: { data: bytes(3) }, note: "hi" },
  { id: "p-2", payload: [bytes(4), bytes()], attachment: bytes(5, 6), note: { k: bytes(7) } },
  { id: "p-3" }, // nulls with a null default: optional fields, absent
];

test("unwrapped unions written with an evolved schema decode into the model's values", {
  timeout: 60_000,
}, async () => {
  const topic = uniqueName("decode-unions");
  const connection = new Connection({ schemaRegistryUrl: registryUrl() });
  const Packet = modelFromAvro(own, { topic, connection });
  const ownId = await Packet.registerSchema();
  await new SchemaRegistryClient({ url: registryUrl() }).setCompatibility(
    "BACKWARD",
    `${topic}-value`,
  );
  const Writer = modelFromAvro(evolved, { topic, connection });
  assert.notEqual(await Writer.registerSchema(), ownId, "the writer's schema is another version");

  for (const packet of packets) {
    // The model's own schema (compiled reader) and the evolved one (avsc + the adapter) agree.
    assert.deepStrictEqual(await Packet.decode(await Packet.encode(packet)), packet);
    const decoded = await Packet.decode(await Writer.encode({ ...packet, channel: "app" }));
    assert.deepStrictEqual(decoded, packet, packet.id);
  }
});
