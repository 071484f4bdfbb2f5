/**
 * One conversion gives both schemas: the compiled one marks `v.bigint()` longs for the exact bigint
 * reader, and the registered one is the same schema without the marks.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { avroRecordOf, toAvroSchema } from "../../src/avro/to_avro_schema.ts";
import { EXACT_LONG } from "../../src/avro/exact_long.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";

const Ledger = v.object({
  id: v.bigint(),
  micros: v.pipe(v.bigint(), v.metadata({ avro: { logicalType: "x-micros" } })),
  plain: v.pipe(v.bigint(), v.metadata({ avro: { type: "long" } })),
  maybe: v.optional(v.bigint()),
  count: v.pipe(v.number(), v.integer()),
});

test(
  "the registered schema is the compiled one without its exact-long marks",
  { timeout: 60_000 },
  () => {
    const { schema, compiled } = avroRecordOf(Ledger, { name: "Ledger" });
    assert.deepEqual(schema, toAvroSchema(Ledger, { name: "Ledger" }));
    assert.equal(
      JSON.stringify(schema),
      JSON.stringify({
        type: "record",
        name: "Ledger",
        fields: [
          { name: "id", type: "long" },
          { name: "micros", type: { type: "long", logicalType: "x-micros" } },
          { name: "plain", type: "long" },
          { name: "maybe", type: ["null", "long"], default: null },
          { name: "count", type: "long" },
        ],
      }),
    );
    assert.ok(!JSON.stringify(schema).includes(EXACT_LONG));
    const fields = (compiled as { fields: { name: string; type: unknown }[] }).fields;
    const marked = (type: unknown) => JSON.stringify(type).includes(EXACT_LONG);
    assert.deepEqual(fields.map((field) => [field.name, marked(field.type)]), [
      ["id", true],
      ["micros", true],
      ["plain", true],
      ["maybe", true],
      ["count", false],
    ]);
  },
);

test(
  "bigints beyond 2^53 round-trip, also where metadata restates the long",
  { timeout: 60_000 },
  async () => {
    const connection = new Connection({
      bootstrapServers: "memory://marks",
      schemaRegistryUrl: `mock://${uniqueName("marks")}`,
    });
    try {
      const Model = defineModel("Ledger", Ledger, { topic: "ledger", connection });
      const value = { id: 2n ** 62n + 1n, micros: -(2n ** 60n), plain: 2n ** 63n - 1n, count: 3 };
      assert.deepEqual(await Model.decode(await Model.encode(value)), value);
    } finally {
      await connection.close();
    }
  },
);
