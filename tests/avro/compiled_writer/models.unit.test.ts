/**
 * The compiled writer against avsc on whole records: the schemas generated
 * from the Valibot models of the tests and benchmarks, recursive and nested
 * records, every union kind, and values bigger than a 64 KiB slab.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { avroRecordOf, type AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import { Order as TestOrder } from "../order_avro.ts";
import { InvoiceSchema as TestInvoice } from "../../serde/invoice.ts";
import { order, OrderSchema } from "../../../bench/record.ts";
import { shape } from "../../../bench/shapes.ts";
import { assertSame, assertSameRandom, subjectOf } from "./differential.ts";

const compiled = (schema: unknown, name: string) =>
  avroRecordOf(schema, { name, namespace: "t" }).compiled;

const Optionals = v.object({
  a: v.optional(v.string()),
  b: v.nullish(v.number()),
  c: v.optional(v.number(), 5),
  d: v.nullable(v.pipe(v.number(), v.integer())),
  at: v.optional(v.date()),
  big: v.optional(v.bigint()),
  blob: v.optional(v.instance(Uint8Array)),
  words: v.optional(v.array(v.string())),
});

const models: [string, AvroSchema][] = [
  ["tests' Order (every mapping)", compiled(TestOrder, "Order")],
  ["tests' decimal invoice", compiled(TestInvoice, "Invoice")],
  ["bench order", compiled(OrderSchema, "BenchOrder")],
  ["bench wide", compiled(shape("wide").model("t").schema, "BenchWide")],
  ["bench nested", compiled(shape("nested").model("t").schema, "BenchInvoice")],
  ["optionals", compiled(Optionals, "Optionals")],
];

const handWritten: [string, AvroSchema][] = [
  ["recursive list", {
    type: "record",
    name: "Node",
    fields: [
      { name: "value", type: "int" },
      { name: "next", type: ["null", "Node"], default: null },
      { name: "children", type: { type: "array", items: "Node" } },
    ],
  }],
  ["wrapped unions", {
    type: "record",
    name: "Event",
    namespace: "ev",
    fields: [
      {
        name: "payload",
        type: [
          "null",
          { type: "record", name: "Card", fields: [{ name: "last4", type: "string" }] },
          {
            type: "record",
            name: "Wire",
            fields: [{ name: "iban", type: "string" }, { name: "raw", type: "bytes" }],
          },
        ],
      },
      { name: "label", type: ["string", { type: "enum", name: "Kind", symbols: ["A", "B"] }] },
      { name: "number", type: ["int", "double", "null"] },
      { name: "many", type: { type: "array", items: ["Card", "Wire"] } },
    ],
  }],
  ["unwrapped unions of every kind", {
    type: "record",
    name: "U",
    fields: [
      {
        name: "u",
        type: ["null", "boolean", "long", "string", "bytes", { type: "array", items: "int" }, {
          type: "map",
          values: "int",
        }],
      },
      {
        name: "t",
        type: ["null", { type: "long", logicalType: "timestamp-micros" }],
        default: null,
      },
      {
        name: "d",
        type: [{ type: "bytes", logicalType: "decimal", precision: 6, scale: 2 }, "null"],
      },
      { name: "x", type: ["null", { type: "long", "flowodm.exactLong": true }] },
      {
        name: "r",
        type: ["null", { type: "record", name: "In", fields: [{ name: "b", type: "bytes" }] }],
      },
      { name: "f", type: ["null", { type: "fixed", name: "Four", size: 4 }] },
    ],
  }],
  ["unwrapped unions of adapted kinds", {
    type: "record",
    name: "A",
    fields: [
      {
        name: "m",
        type: ["null", { type: "map", values: "bytes" }, { type: "array", items: "bytes" }],
      },
      {
        name: "r",
        type: ["null", "string", {
          type: "record",
          name: "B",
          fields: [{ name: "b", type: "bytes" }],
        }, "bytes"],
      },
      { name: "s", type: ["long", { type: "map", values: "B" }, "boolean"] },
      { name: "t", type: ["null", { type: "long", logicalType: "timestamp-millis" }, "bytes"] },
      {
        name: "d",
        type: ["null", { type: "bytes", logicalType: "decimal", precision: 6, scale: 2 }, {
          type: "array",
          items: "B",
        }],
      },
    ],
  }],
  ["defaults of every kind", {
    type: "record",
    name: "D",
    fields: [
      { name: "i", type: "int", default: 42 },
      { name: "s", type: "string", default: "héllo" },
      { name: "a", type: { type: "array", items: "long" }, default: [1, 2] },
      { name: "e", type: { type: "enum", name: "E", symbols: ["X", "Y"] }, default: "Y" },
      { name: "n", type: ["null", "string"], default: null },
      { name: "m", type: ["string", "null"], default: "m" },
      { name: "b", type: "bytes", default: "\u00ff\u0000" },
    ],
  }],
];

for (const [name, schema] of [...models, ...handWritten]) {
  test(`${name}: random values, the same bytes as avsc (seeded)`, () => {
    assertSameRandom(subjectOf(schema), name.length * 7919, 400, name);
  });
}

test("the bench order pool: the same bytes as avsc", () => {
  const subject = subjectOf(compiled(OrderSchema, "BenchOrder"));
  for (let i = 0; i < 200; i++) assertSame(subject, order(i));
});

test("a recursive value, deep and wide", () => {
  const subject = subjectOf(handWritten[0][1]);
  let list: unknown = { value: 0, children: [] };
  for (let i = 1; i < 300; i++) {
    list = { value: i, next: list, children: [{ value: -i, children: [] }] };
  }
  assertSame(subject, list);
});

test("big arrays and a record bigger than a 64 KiB slab", () => {
  const subject = subjectOf(compiled(shape("nested").model("t").schema, "BenchInvoice"));
  const lines = Array.from({ length: 20_000 }, (_, i) => ({
    sku: `sku-${i}-${"é".repeat(i % 7)}`,
    quantity: i,
    price: i / 3,
    gift: i % 2 === 0,
  }));
  const value = { invoice_id: "big", customer_id: "c".repeat(70_000), lines };
  assertSame(subject, value);
  assert.ok(subject.type.toBuffer(value).length > 64 * 1024 * 4);
});
