/** Hostile block counts and sizes cannot make avsc loop or allocate without end, reading or skipping. */
import assert from "node:assert/strict";
import avro from "avsc";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import { installBoundedBlocks, MAX_ZERO_BYTE_ITEMS } from "../../src/avro/bounded_blocks.ts";

installBoundedBlocks(avro.types);

const writerSchema = {
  type: "record",
  name: "R",
  fields: [
    { name: "legacy", type: { type: "array", items: "string" } },
    { name: "tags", type: { type: "map", values: "null" } },
    { name: "empties", type: { type: "array", items: "null" } },
  ],
};
const reader = avro.Type.forSchema({ type: "record", name: "R", fields: [] });
const resolver = () => reader.createResolver(avro.Type.forSchema(writerSchema as avro.Schema));

// Zigzag varint of a count: 2^40 is [0x80 x5, 0x40], 2^23 is [0x80, 0x80, 0x80, 0x08].
const count2e40 = [0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
const count2e23 = [0x80, 0x80, 0x80, 0x08];

test("a negative block size in a skipped array is refused, not looped on", () => {
  // Block count -1, then block size -2: avsc's own skip moves backwards forever.
  assert.throws(
    () => reader.fromBuffer(Buffer.from([1, 3]), resolver()),
    /truncated|trailing|invalid/i,
  );
});

test("a huge block of zero-byte items is skipped at once", () => {
  // legacy: empty; tags: empty; empties: 2^40 nulls, then the end of the array.
  assert.deepEqual({ ...reader.fromBuffer(Buffer.from([0, 0, ...count2e40, 0]), resolver()) }, {});
});

test("well-formed skipped fields still resolve", () => {
  const writer = avro.Type.forSchema(writerSchema as avro.Schema);
  const bytes = writer.toBuffer({ legacy: ["a", "b"], tags: { x: null }, empties: [null] });
  assert.deepEqual({ ...reader.fromBuffer(bytes, resolver()) }, {});
});

test("reading 2^23 or 2^40 nulls from a 10-byte array is refused", () => {
  const nulls = avro.Type.forSchema({ type: "array", items: "null" });
  for (const count of [count2e23, count2e40]) {
    assert.throws(() => nulls.fromBuffer(Buffer.from([...count, 0])), /truncated/);
  }
  // Up to the cap, zero-byte items still read: the count is all the data there is.
  const cap = avro.Type.forSchema({ type: "array", items: "null" }).toBuffer(
    new Array(MAX_ZERO_BYTE_ITEMS).fill(null),
  );
  assert.equal((nulls.fromBuffer(cap) as unknown[]).length, MAX_ZERO_BYTE_ITEMS);
  const emptyRecords = avro.Type.forSchema({
    type: "array",
    items: { type: "record", name: "E", fields: [] },
  });
  assert.throws(() => emptyRecords.fromBuffer(Buffer.from([...count2e40, 0])), /truncated/);
});

test("a block count beyond the bytes left is refused for arrays and maps", () => {
  const ints = avro.Type.forSchema({ type: "array", items: "int" });
  const map = avro.Type.forSchema({ type: "map", values: "int" });
  for (const type of [ints, map]) {
    for (const count of [count2e23, count2e40]) {
      assert.throws(() => type.fromBuffer(Buffer.from([...count, 2, 2, 2, 0])), /truncated/);
    }
  }
  // Negative counts (with a block size) read as before.
  assert.deepEqual(ints.fromBuffer(Buffer.from([3, 4, 2, 4, 0])), [1, 2]);
  assert.deepEqual({ ...(map.fromBuffer(map.toBuffer({ a: 1, b: 2 })) as object) }, { a: 1, b: 2 });
  assert.deepEqual(ints.fromBuffer(ints.toBuffer([5, 6, 7])), [5, 6, 7]);
});
