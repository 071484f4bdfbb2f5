/**
 * Through the serde, the compiled writer's framed messages: owned copies and
 * in-place slab views alike hold avsc's bytes, for values smaller and larger
 * than a 64 KiB slab, written one after another into the same slabs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Buffer } from "node:buffer";
import { AvroSerde } from "../../../src/serde/avro_serde.ts";
import { MockSchemaRegistry } from "../../../src/registry/mock_registry.ts";
import { HEADER_LENGTH } from "../../../src/serde/wire_format.ts";
import type { AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import { avscBytes, subjectOf } from "./differential.ts";

const schema: AvroSchema = {
  type: "record",
  name: "Doc",
  fields: [
    { name: "title", type: "string" },
    { name: "blob", type: "bytes" },
    { name: "words", type: { type: "array", items: "string" } },
  ],
};

const doc = (i: number) => ({
  title: `doc ${i} ${"é".repeat(i % 5)}`,
  blob: new Uint8Array((i * 7919) % (200 * 1024)).fill(i & 0xff),
  words: Array.from({ length: (i * 31) % 3000 }, (_, w) => `w${w}`),
});

test("owned and in-place messages hold avsc's bytes, small and bigger than a slab", async () => {
  const url = "mock://compiled-writer-serde";
  MockSchemaRegistry.reset(url);
  const registry = new MockSchemaRegistry(url);
  const serde = new AvroSerde({
    name: "Doc",
    avroSchema: schema,
    subject: "doc-value",
    registry: () => registry,
  });
  const subject = subjectOf(schema);
  const values = Array.from({ length: 60 }, (_, i) => doc(i));
  const inPlace = await serde.encodeMany(values, true);
  const owned = await serde.encodeMany(values);
  let big = 0;
  values.forEach((value, i) => {
    const expected = Buffer.from(avscBytes(subject, value) as Uint8Array);
    if (expected.length > 64 * 1024) big++;
    assert.ok(Buffer.from(inPlace[i].subarray(HEADER_LENGTH)).equals(expected), `in place ${i}`);
    assert.ok(Buffer.from(owned[i].subarray(HEADER_LENGTH)).equals(expected), `owned ${i}`);
    assert.equal(owned[i].byteOffset, 0);
    assert.equal(owned[i].buffer.byteLength, owned[i].length);
  });
  assert.ok(big > 5, `only ${big} values were bigger than a slab`);
  MockSchemaRegistry.reset(url);
});
