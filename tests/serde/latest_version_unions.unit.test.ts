/**
 * `useLatestVersion` writes the model's values with a registered schema the
 * model did not generate: they are adapted to that schema's avsc type, whose
 * unions may be wrapped where the model's are not (a record more in a union).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AvroSerde } from "../../src/serde/avro_serde.ts";
import { MockSchemaRegistry } from "../../src/registry/mock_registry.ts";
import type { AvroSchema } from "../../src/avro/to_avro_schema.ts";

const card = {
  type: "record",
  name: "Card",
  fields: [{ name: "token", type: "bytes" }],
};
const holder = (union: unknown[]): AvroSchema => ({
  type: "record",
  name: "Holder",
  namespace: "pay",
  fields: [{ name: "id", type: "string" }, { name: "method", type: union }],
});
// The model's schema: a record next to bytes, a union avsc leaves unwrapped.
const own = holder(["null", card, "bytes"]);
// The latest registered version: a second record makes avsc wrap the union.
const latest = holder([
  "null",
  card,
  { type: "record", name: "Cash", fields: [{ name: "note", type: "string" }] },
  { type: "map", values: "bytes" },
  "bytes",
]);

test("useLatestVersion adapts values to the latest schema's wrapped unions", async () => {
  const url = "mock://latest-version-unions";
  MockSchemaRegistry.reset(url);
  const registry = new MockSchemaRegistry(url);
  const latestId = await registry.register("holder-value", JSON.stringify(latest));
  const subject = (avroSchema: AvroSchema) => ({
    name: "Holder",
    avroSchema,
    subject: "holder-value",
    registry: () => registry,
  });
  const writer = new AvroSerde(subject(own), { useLatestVersion: true });
  const reader = new AvroSerde(subject(latest));
  const values = [
    { id: "a", method: { token: new Uint8Array([1, 2]) } },
    { id: "b", method: new Uint8Array([3]) },
    { id: "c", method: null },
  ];
  for (const value of values) {
    const bytes = await writer.encode(value);
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint32(1), latestId);
    const { value: decoded } = await reader.decode(bytes);
    assert.deepStrictEqual({ ...decoded as object }, value, value.id);
  }
  MockSchemaRegistry.reset(url);
});
