/**
 * The schemas models compile (avroRecordOf of the Valibot models in tests/ and
 * bench/, Debezium's envelope) read as avsc + value_adapter.ts read them:
 * seeded values, and the benchmark's own value pools.
 */
import { test } from "node:test";
import { avroRecordOf } from "../../../src/avro/to_avro_schema.ts";
import type { AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import type { AvscType } from "../../../src/avro/avsc_type.ts";
import { valueAdapter } from "../../../src/avro/value_adapter.ts";
import { Order } from "../order_avro.ts";
import { InvoiceSchema } from "../../serde/invoice.ts";
import { envelopeSchema } from "../debezium_envelope.ts";
import { OrderSchema as BenchOrder } from "../../../bench/record.ts";
import { shape, type ShapeName, shapeNames } from "../../../bench/shapes.ts";
import { prng, valueOf } from "./avro_values.ts";
import { assertSameRead, pairOf } from "./expected.ts";

const compiled = (schema: unknown, name: string): AvroSchema =>
  avroRecordOf(schema, { name, namespace: "test" }).compiled;

const modelSchemas: Record<string, unknown> = {
  "tests/avro/order_avro.ts Order": compiled(Order, "Order"),
  "tests/serde/invoice.ts Invoice": compiled(InvoiceSchema, "Invoice"),
  "bench/record.ts Order": compiled(BenchOrder, "BenchOrder"),
  "Debezium envelope": envelopeSchema,
};
for (const name of shapeNames) {
  modelSchemas[`bench/shapes.ts ${name}`] = shape(name).model("t").avroSchema;
}

for (const [name, schema] of Object.entries(modelSchemas)) {
  test(`${name}: 300 seeded values read as avsc + adapter read them`, () => {
    const pair = pairOf(schema);
    for (let seed = 1; seed <= 300; seed++) {
      const value = valueOf(pair.type as unknown as AvscType, prng(seed));
      assertSameRead(pair, pair.type.toBuffer(value), `${name}, seed ${seed}`);
    }
  });
}

for (const name of ["wide", "nested", "order"] as ShapeName[]) {
  test(`bench shape ${name}: the benchmark's pool reads as avsc + adapter read it`, () => {
    const { model, values } = shape(name);
    const pair = pairOf(model("t").avroSchema);
    const toAvro = valueAdapter(pair.type).toAvro ?? ((value: unknown) => value);
    values.forEach((value, i) => {
      // Absent optionals (the order's coupon) travel as Avro nulls.
      const full: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const field of (pair.type as unknown as AvscType).fields!) full[field.name] ??= null;
      assertSameRead(pair, pair.type.toBuffer(toAvro(full)), `${name} value ${i}`);
    });
  });
}
