/**
 * Debezium's schemas survive Avro -> Valibot -> Avro: nested records, enums and fixed keep their
 * names and namespaces (a reader resolves a writer's record only by full name), Kafka Connect's
 * `connect.*` attributes stay, and `[T, "null"]` unions keep their order and default.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { toAvroSchema } from "../../src/avro/to_avro_schema.ts";
import { valibotFromAvro } from "../../src/avro/valibot_from_avro.ts";
import { envelopeSchema } from "./debezium_envelope.ts";

const roundTrip = (schema: { name: string; namespace?: string }) =>
  toAvroSchema(valibotFromAvro(schema), { name: schema.name, namespace: schema.namespace });

test("Debezium's PostgreSQL envelope comes back from its Valibot schema exactly", () => {
  assert.deepEqual(roundTrip(envelopeSchema), envelopeSchema);
});

test("nested records, enums and fixed in other namespaces keep their full names", () => {
  const schema = {
    type: "record",
    name: "Event",
    namespace: "app",
    fields: [
      {
        name: "meta",
        type: {
          type: "record",
          name: "lib.Meta", // a full name: its namespace is "lib"
          fields: [
            { name: "kind", type: { type: "enum", name: "Kind", symbols: ["A", "B"] } },
            { name: "hash", type: { type: "fixed", name: "Hash", namespace: "crypto", size: 2 } },
          ],
        },
      },
      { name: "state", type: { type: "enum", name: "State", namespace: "fsm", symbols: ["ON"] } },
      { name: "same", type: { type: "record", name: "Same", namespace: "app", fields: [] } },
    ],
  };
  const expected = structuredClone(schema) as typeof schema;
  // Written the canonical way: a namespace only where it differs from the inherited one.
  Object.assign(expected.fields[0].type, { name: "Meta", namespace: "lib" });
  delete (expected.fields[2].type as { namespace?: string }).namespace;
  assert.deepEqual(roundTrip(schema), expected);
});

test('[T, "null"] with a default of T stays in that order (Avro checks defaults on the first)', () => {
  const schema = {
    type: "record",
    name: "Snap",
    fields: [{ name: "snapshot", type: ["string", "null"], default: "false" }],
  };
  const valibot = valibotFromAvro(schema);
  assert.deepEqual(v.parse(valibot, {}), { snapshot: "false" });
  assert.deepEqual(v.parse(valibot, { snapshot: null }), { snapshot: null });
  assert.deepEqual(roundTrip(schema), schema);
});

test("nanosecond longs (Debezium's ts_ns, io.debezium.time.Nano*) are exact bigints", () => {
  const nanos = { type: "long", "connect.version": 1, "connect.name": "io.debezium.time.NanoTime" };
  const schema = {
    type: "record",
    name: "Times",
    fields: [
      { name: "ts_ns", type: ["null", "long"], default: null },
      { name: "at", type: nanos },
      { name: "ts_ms", type: "long" },
    ],
  };
  const valibot = valibotFromAvro(schema);
  const value = { ts_ns: 1_795_750_000_200_456_789n, at: 1n, ts_ms: 1 };
  assert.deepEqual(v.parse(valibot, value), value);
  assert.throws(() => v.parse(valibot, { ...value, ts_ms: 1n }), "other longs stay numbers");
  assert.deepEqual(roundTrip(schema), schema);
});

test("records of one name in two namespaces stay apart, referred to by full name", () => {
  const value = (namespace: string) => ({
    type: "record",
    name: "Value",
    namespace,
    fields: [{ name: "id", type: "int" }],
  });
  const schema = {
    type: "record",
    name: "Pair",
    namespace: "shop",
    fields: [
      { name: "customer", type: value("shop.customers") },
      { name: "order", type: value("shop.orders") },
      { name: "again", type: "shop.customers.Value" },
      {
        name: "inner",
        type: {
          type: "record",
          name: "Inner",
          namespace: "other",
          fields: [{ name: "order", type: "shop.orders.Value" }],
        },
      },
    ],
  };
  assert.deepEqual(roundTrip(schema), schema);
});
