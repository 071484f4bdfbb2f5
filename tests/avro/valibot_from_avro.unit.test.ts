import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { SchemaError } from "../../src/errors.ts";
import { toAvroSchema } from "../../src/avro/to_avro_schema.ts";
import { valibotFromAvro } from "../../src/avro/valibot_from_avro.ts";
import { orderAvro } from "./order_avro.ts";

test("Avro -> Valibot -> Avro gives back the same schema", () => {
  assert.deepEqual(
    toAvroSchema(valibotFromAvro(orderAvro), { name: "Order", namespace: "shop" }),
    orderAvro,
  );
});

test("primitives, logical types, containers and unions map to the matching Valibot schemas", () => {
  const schema = valibotFromAvro({
    type: "record",
    name: "All",
    fields: [
      { name: "n", type: "null" },
      { name: "i", type: "int" },
      { name: "l", type: "long" },
      { name: "f", type: "float" },
      { name: "d", type: "double" },
      { name: "s", type: "string" },
      { name: "b", type: "bytes" },
      { name: "u", type: { type: "string", logicalType: "uuid" } },
      { name: "ts", type: { type: "long", logicalType: "timestamp-millis" } },
      { name: "tu", type: { type: "long", logicalType: "timestamp-micros" } },
      { name: "day", type: { type: "int", logicalType: "date" } },
      { name: "dec", type: { type: "bytes", logicalType: "decimal", precision: 9, scale: 2 } },
      { name: "fx", type: { type: "fixed", name: "Hash", size: 4 } },
      { name: "e", type: { type: "enum", name: "Color", symbols: ["RED", "BLUE"] } },
      { name: "arr", type: { type: "array", items: "int" } },
      { name: "map", type: { type: "map", values: "string" } },
      { name: "either", type: ["int", "string"] },
      { name: "maybe", type: ["null", "string"], default: null },
      { name: "holes", type: { type: "array", items: ["null", "int"] } },
    ],
  });
  const good = {
    n: null,
    i: 7,
    l: 2 ** 40,
    f: 1.5,
    d: 2.5,
    s: "x",
    b: new Uint8Array([1]),
    u: "6a2f41a3-c54c-fce8-32d2-0324e1c32e22",
    ts: new Date(0),
    tu: new Date(1),
    day: new Date(86_400_000),
    dec: "12.34",
    fx: new Uint8Array([1, 2, 3, 4]),
    e: "RED",
    arr: [1, 2],
    map: { a: "b" },
    either: "s",
    holes: [1, null],
  };
  // ["null", T] defaulting to null is what v.optional(T) writes: optional again, absent stays
  // absent (a null read from the wire is made absent before validation); elsewhere, nullable.
  assert.deepEqual(v.parse(schema, good), good);
  assert.deepEqual(v.parse(schema, { ...good, maybe: "m" }), { ...good, maybe: "m" });
  assert.equal(v.safeParse(schema, { ...good, holes: [undefined] }).success, false);
  for (
    const [field, bad] of [["i", 2 ** 31], ["i", 1.5], ["u", "nope"], ["fx", new Uint8Array(3)], [
      "e",
      "GREEN",
    ], ["either", true]] as const
  ) {
    assert.equal(v.safeParse(schema, { ...good, [field]: bad }).success, false, field);
  }
});

test("defaults become optional values in the model's own types", () => {
  const schema = valibotFromAvro({
    type: "record",
    name: "D",
    fields: [
      { name: "q", type: "int", default: 1 },
      { name: "raw", type: "bytes", default: "\u0001\u00ff" },
      { name: "at", type: { type: "long", logicalType: "timestamp-millis" }, default: 1000 },
      { name: "list", type: { type: "array", items: "string" }, default: ["a"] },
    ],
  });
  assert.deepEqual(v.parse(schema, {}), {
    q: 1,
    raw: new Uint8Array([1, 255]),
    at: new Date(1000),
    list: ["a"],
  });
});

test("recursive records become lazy schemas", () => {
  const schema = valibotFromAvro({
    type: "record",
    name: "Node",
    namespace: "t",
    fields: [{ name: "value", type: "int" }, {
      name: "next",
      type: ["null", "Node"],
      default: null,
    }],
  });
  const list = { value: 1, next: { value: 2, next: { value: 3 } } };
  assert.deepEqual(v.parse(schema, list), list);
  assert.equal(v.safeParse(schema, { value: 1, next: { value: "x" } }).success, false);
});

test("an unknown named type is a SchemaError naming the field", () => {
  assert.throws(
    () => valibotFromAvro({ type: "record", name: "R", fields: [{ name: "x", type: "Missing" }] }),
    (e: unknown) => e instanceof SchemaError && e.path === "x",
  );
});
