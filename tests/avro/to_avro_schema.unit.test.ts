import assert from "node:assert/strict";
import * as v from "valibot";
import avro from "avsc";
import { test } from "node:test";
import { toAvroSchema } from "../../src/avro/to_avro_schema.ts";
import { SchemaError } from "../../src/errors.ts";

function fieldType(schema: v.GenericSchema, key = "f"): unknown {
  const out = toAvroSchema(v.object({ [key]: schema }), { name: "T" }) as {
    fields: { type: unknown }[];
  };
  avro.Type.forSchema(out as avro.Schema);
  return out.fields[0].type;
}

test("string, uuid", () => {
  assert.equal(fieldType(v.string()), "string");
  assert.deepEqual(fieldType(v.pipe(v.string(), v.uuid())), {
    type: "string",
    logicalType: "uuid",
  });
});

test("number: double, long, int", () => {
  assert.equal(fieldType(v.number()), "double");
  assert.equal(fieldType(v.pipe(v.number(), v.integer())), "long");
  assert.equal(fieldType(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))), "int");
  assert.equal(
    fieldType(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 40))),
    "long",
  );
});

test("bigint, boolean, bytes", () => {
  assert.equal(fieldType(v.bigint()), "long");
  assert.equal(fieldType(v.boolean()), "boolean");
  assert.equal(fieldType(v.instance(Uint8Array)), "bytes");
});

test("date and its logical types via metadata", () => {
  assert.deepEqual(fieldType(v.date()), { type: "long", logicalType: "timestamp-millis" });
  assert.deepEqual(
    fieldType(v.pipe(v.date(), v.metadata({ avro: { logicalType: "timestamp-micros" } }))),
    { type: "long", logicalType: "timestamp-micros" },
  );
  assert.deepEqual(
    fieldType(v.pipe(v.date(), v.metadata({ avro: { type: "int", logicalType: "date" } }))),
    { type: "int", logicalType: "date" },
  );
});

test("picklist, enum, literal -> enum named after the path", () => {
  assert.deepEqual(fieldType(v.picklist(["A", "B"]), "status"), {
    type: "enum",
    name: "Status",
    symbols: ["A", "B"],
  });
  enum Color {
    Red = "RED",
    Blue = "BLUE",
  }
  assert.deepEqual((fieldType(v.enum(Color)) as { symbols: string[] }).symbols, ["RED", "BLUE"]);
  assert.deepEqual((fieldType(v.literal("X")) as { symbols: string[] }).symbols, ["X"]);
});

test("optional / nullable / nullish -> null union with null default", () => {
  const wrappers = [v.optional(v.string()), v.nullable(v.string()), v.nullish(v.string())];
  for (const wrapped of wrappers) {
    const out = toAvroSchema(v.object({ f: wrapped }), { name: "T" }) as { fields: unknown[] };
    assert.deepEqual(out.fields[0], { name: "f", type: ["null", "string"], default: null });
  }
});

test("optional with a default keeps T and encodes the default", () => {
  const out = toAvroSchema(
    v.object({
      n: v.optional(v.number(), 1.5),
      b: v.optional(v.instance(Uint8Array), new Uint8Array([255, 0])),
    }),
    { name: "T" },
  ) as { fields: unknown[] };
  assert.deepEqual(out.fields, [
    { name: "n", type: "double", default: 1.5 },
    { name: "b", type: "bytes", default: "\u00ff\u0000" },
  ]);
  avro.Type.forSchema(out as avro.Schema);
});

test("array, map, nested record reused by name, union of records", () => {
  const Address = v.object({ city: v.string() });
  const out = toAvroSchema(
    v.object({
      tags: v.array(v.string()),
      attrs: v.record(v.string(), v.number()),
      home: Address,
      work: Address,
      pay: v.union([v.object({ card: v.string() }), v.object({ iban: v.string() })]),
    }),
    { name: "User", namespace: "acme" },
  ) as { fields: { name: string; type: unknown }[] };
  const type = avro.Type.forSchema(out as avro.Schema);
  assert.ok(type);
  assert.deepEqual(out.fields.map((f) => f.name), ["tags", "attrs", "home", "work", "pay"]);
  assert.deepEqual(out.fields[0].type, { type: "array", items: "string" });
  assert.deepEqual(out.fields[1].type, { type: "map", values: "double" });
  assert.equal((out.fields[2].type as { name: string }).name, "Home");
  assert.equal(out.fields[3].type, "Home");
  assert.equal((out.fields[4].type as unknown[]).length, 2);
});

test("title, description and avro metadata override", () => {
  const out = toAvroSchema(
    v.object({
      addr: v.pipe(v.object({ city: v.string() }), v.title("Address"), v.description("where")),
      price: v.pipe(
        v.string(),
        v.metadata({ avro: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } }),
      ),
    }),
    { name: "T" },
  ) as { fields: { type: { name?: string; doc?: string } }[] };
  assert.equal(out.fields[0].type.name, "Address");
  assert.equal(out.fields[0].type.doc, "where");
  assert.deepEqual(out.fields[1].type, {
    type: "bytes",
    logicalType: "decimal",
    precision: 10,
    scale: 2,
  });
  avro.Type.forSchema(out as avro.Schema);
});

test("unmappable input is a SchemaError naming the path", () => {
  assert.throws(
    () => toAvroSchema(v.object({ a: v.object({ b: v.symbol() }) }), { name: "T" }),
    (e: unknown) => e instanceof SchemaError && e.path === "a.b",
  );
  assert.throws(
    () => fieldType(v.picklist(["not valid"])),
    (e: unknown) => e instanceof SchemaError && e.path === "f",
  );
  assert.throws(() => toAvroSchema(v.string(), { name: "T" }), SchemaError);
});
