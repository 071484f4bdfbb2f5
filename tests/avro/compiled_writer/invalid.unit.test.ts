/**
 * Values a schema cannot hold make the compiled writer throw, never write;
 * through the serde they are the SerializationError avsc's path has always
 * given, word for word.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Buffer } from "node:buffer";
import { SerializationError } from "../../../src/errors.ts";
import { AvroSerde } from "../../../src/serde/avro_serde.ts";
import { explainWriteFailure } from "../../../src/serde/write_failure.ts";
import { MockSchemaRegistry } from "../../../src/registry/mock_registry.ts";
import type { AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import { HEADER_LENGTH } from "../../../src/serde/wire_format.ts";
import { avscBytes, compiledBytes, subjectOf } from "./differential.ts";

const schema: AvroSchema = {
  type: "record",
  name: "Row",
  namespace: "t",
  fields: [
    { name: "i", type: "int" },
    { name: "l", type: "long" },
    { name: "x", type: { type: "long", "flowodm.exactLong": true } },
    { name: "s", type: "string" },
    { name: "e", type: { type: "enum", name: "E", symbols: ["A", "B"] } },
    { name: "f", type: { type: "fixed", name: "F", size: 2 } },
    { name: "b", type: "bytes" },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "us", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "d", type: { type: "bytes", logicalType: "decimal", precision: 4, scale: 2 } },
    { name: "o", type: ["null", "string"], default: null },
    { name: "arr", type: { type: "array", items: "int" } },
    { name: "m", type: { type: "map", values: "boolean" } },
    {
      name: "w",
      type: [
        "null",
        { type: "record", name: "P", fields: [{ name: "p", type: "int" }] },
        { type: "record", name: "Q", fields: [{ name: "q", type: "string" }] },
      ],
    },
  ],
};

const valid = {
  i: 1,
  l: 2,
  x: 3n,
  s: "s",
  e: "A",
  f: new Uint8Array([1, 2]),
  b: new Uint8Array([3]),
  at: new Date(1_700_000_000_000),
  us: new Date(1_700_000_000_000),
  d: "12.34",
  arr: [1],
  m: { k: true },
  w: { q: "q" },
};

const invalids: [string, Record<string, unknown>][] = [
  ["int past 32 bits", { i: 2 ** 31 }],
  ["int below 32 bits", { i: -(2 ** 31) - 1 }],
  ["non-integer int", { i: 1.5 }],
  ["int as a string", { i: "1" }],
  ["non-integer long", { l: 2.5 }],
  ["long past 2^53", { l: 2 ** 53 }],
  ["long below -2^53", { l: -(2 ** 53) }],
  ["NaN long", { l: NaN }],
  ["bigint long as a number", { x: 3 }],
  ["bigint long past 64 bits", { x: 2n ** 63n }],
  ["number long as a bigint", { l: 2n }],
  ["missing required string", { s: undefined }],
  ["string as a number", { s: 5 }],
  ["unknown enum symbol", { e: "C" }],
  ["fixed of the wrong size", { f: new Uint8Array(3) }],
  ["bytes as an array", { b: [1, 2] }],
  ["timestamp as a number", { at: 1_700_000_000_000 }],
  ["invalid Date", { at: new Date(NaN) }],
  ["timestamp-micros past 2^53", { us: new Date(8.64e15) }],
  ["decimal past its precision", { d: "123.45" }],
  ["decimal as a number", { d: 12.34 }],
  ["optional as a number", { o: 5 }],
  ["array item of the wrong type", { arr: [1, "2"] }],
  ["array as an object", { arr: { 0: 1 } }],
  ["map value of the wrong type", { m: { k: 1 } }],
  ["map as an array", { m: [true] }],
  ["union record missing its field", { w: { r: 1 } }],
  ["union as a string", { w: "q" }],
  ["null required field", { i: null }],
];

test("a valid row is written, and each invalid one throws in the compiled writer", () => {
  const subject = subjectOf(schema);
  assert.ok(!(avscBytes(subject, valid) instanceof Error));
  assert.deepEqual(compiledBytes(subject, valid), avscBytes(subject, valid));
  for (const [name, change] of invalids) {
    const value = { ...valid, ...change };
    assert.ok(avscBytes(subject, value) instanceof Error, `avsc takes the ${name}`);
    assert.throws(() => compiledBytes(subject, value), Error, name);
  }
});

test("through the serde, an invalid value is today's SerializationError", async () => {
  const url = "mock://compiled-writer-invalid";
  MockSchemaRegistry.reset(url);
  const registry = new MockSchemaRegistry(url);
  const serde = new AvroSerde({
    name: "Row",
    avroSchema: schema,
    subject: "row-value",
    registry: () => registry,
  });
  const [framed] = await serde.encodeMany([valid]);
  const id = await serde.schemaId();
  const subject = subjectOf(schema);
  assert.deepEqual(
    Buffer.from(framed.subarray(HEADER_LENGTH)),
    Buffer.from(avscBytes(subject, valid) as Uint8Array),
  );
  for (const [name, change] of invalids) {
    const value = { ...valid, ...change };
    const avroValue = subject.toAvro(value);
    const cause = avscBytes(subject, value) as Error;
    const expected = `Row could not be written with schema id ${id}: ${
      explainWriteFailure(subject.type, avroValue, cause)
    }`;
    await assert.rejects(serde.encodeMany([value]), (error: unknown) => {
      assert.ok(error instanceof SerializationError, name);
      assert.equal(error.message, expected, name);
      assert.equal(error.schemaId, id);
      return true;
    });
  }
  MockSchemaRegistry.reset(url);
});

test("an enum symbol inherited from Object.prototype is refused (avsc would write symbol 0)", () => {
  const subject = subjectOf({ type: "enum", name: "E", symbols: ["A", "B"] });
  assert.throws(() => compiledBytes(subject, "toString"));
  assert.throws(() => compiledBytes(subject, "__proto__"));
});
